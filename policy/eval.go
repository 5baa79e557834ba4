package policy

// Decision is the outcome of evaluating a request.
type Decision uint8

const (
	// ImplicitlyDenied: nothing allows the request (AWS's default).
	ImplicitlyDenied Decision = iota
	// Allowed: the policies allow the request and nothing denies it.
	Allowed
	// ExplicitlyDenied: a Deny statement applies.
	ExplicitlyDenied
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "Allowed"
	case ExplicitlyDenied:
		return "ExplicitlyDenied"
	}
	return "ImplicitlyDenied"
}

// PolicyType is the role a policy plays in an evaluation.
type PolicyType uint8

const (
	IdentityPolicy PolicyType = iota + 1
	ResourcePolicy
	PermissionsBoundary
	SessionPolicy
	SCP
	RCP
)

func (t PolicyType) String() string {
	switch t {
	case IdentityPolicy:
		return "identity policy"
	case ResourcePolicy:
		return "resource policy"
	case PermissionsBoundary:
		return "permissions boundary"
	case SessionPolicy:
		return "session policy"
	case SCP:
		return "SCP"
	case RCP:
		return "RCP"
	}
	return "policy"
}

// Set is every policy that applies to a request.
type Set struct {
	// Identity holds the policies attached to the principal.
	Identity []*Policy
	// Resource is the resource-based policy (a key policy for a KMS key); nil if none.
	Resource *Policy
	// Boundary is the principal's permissions boundary; several documents
	// are read as one boundary (any of them allowing is enough).
	Boundary []*Policy
	// Session is a role or federated session's session policy; nil if none.
	Session *Policy
	// SCPs and RCPs hold one entry per level of the organization that the
	// principal's (SCP) or the resource's (RCP) account sits under.
	SCPs []OrgLevel
	RCPs []OrgLevel
}

// OrgLevel is the policies attached at one level of an organization: the
// root, an OU, or the account. Every level must allow a request.
type OrgLevel struct {
	ID       string
	Policies []*Policy
}

// Gap says why a request was implicitly denied: the first layer of the
// evaluation that had no allow.
type Gap uint8

const (
	NoGap Gap = iota
	// GapRCP: an RCP level has no Allow for the request (Result.Level names it).
	GapRCP
	// GapSCP: an SCP level has no Allow for the request.
	GapSCP
	// GapNoAllow: no identity policy and no resource policy allows it.
	GapNoAllow
	// GapResourcePolicy: a cross-account request, or one by a service or an
	// anonymous caller, that the resource policy does not allow.
	GapResourcePolicy
	// GapKeyPolicy: the KMS key policy neither allows the request nor
	// delegates it to IAM.
	GapKeyPolicy
	// GapIdentity: the resource side allows (or delegates) but no identity
	// policy of the principal allows.
	GapIdentity
	// GapBoundary: the permissions boundary does not allow it.
	GapBoundary
	// GapSessionPolicy: the session policy does not allow it.
	GapSessionPolicy
	// GapKMSCrossAccount: KMS lets other accounts call only some operations.
	GapKMSCrossAccount
)

func (g Gap) String() string {
	switch g {
	case GapRCP:
		return "no RCP statement allows the request"
	case GapSCP:
		return "no SCP statement allows the request"
	case GapNoAllow:
		return "no identity or resource policy statement allows the request"
	case GapResourcePolicy:
		return "no resource policy statement allows the request"
	case GapKeyPolicy:
		return "the key policy neither allows the request nor delegates it to IAM policies"
	case GapIdentity:
		return "no identity policy statement allows the request"
	case GapBoundary:
		return "the permissions boundary does not allow the request"
	case GapSessionPolicy:
		return "the session policy does not allow the request"
	case GapKMSCrossAccount:
		return "KMS does not let principals of another account call this operation, whatever the policies say"
	}
	return ""
}

// Match is a statement that decided a request.
type Match struct {
	Type      PolicyType
	Level     string // org level for SCPs and RCPs
	Statement *Statement
}

const maxDeciding = 4

// Result is the decision on a request and the statements that made it.
type Result struct {
	Decision Decision
	// Gap says why an implicit deny happened; Level names the SCP or RCP
	// level for GapSCP and GapRCP.
	Gap   Gap
	Level string
	// RootUser is set when the decision rests on the account root user's
	// full access to its own account rather than on a statement.
	RootUser bool

	deciding [maxDeciding]Match
	n        uint8
	more     bool
}

// Deciding returns the statements that decided the request: for
// ExplicitlyDenied the Deny statements that apply; for Allowed the Allow
// statements that grant it (a resource policy's and, where the evaluation
// needs both, an identity policy's). Empty for ImplicitlyDenied.
func (r *Result) Deciding() []Match { return r.deciding[:r.n] }

// Truncated reports whether more statements decided than Deciding holds.
func (r *Result) Truncated() bool { return r.more }

func (r *Result) add(m Match) {
	if int(r.n) < maxDeciding {
		r.deciding[r.n] = m
		r.n++
	} else {
		r.more = true
	}
}

// appliesTo reports whether the statement applies to the request and, if it
// has a Principal element, how that names the caller. Cheap checks first.
func (s *Statement) appliesTo(req *Request, boundary bool) (bool, principalMatch) {
	// The principal first: in a key or bucket policy it rules out most
	// statements with a few string comparisons.
	pm := s.principalMatch(req, boundary)
	if pm == noPrincipalMatch || !s.actionMatches(req) || !s.resourceMatches(req) {
		return false, noPrincipalMatch
	}
	conds := s.compiled().conds
	for i := range conds {
		if !conds[i].eval(&req.Context) {
			return false, noPrincipalMatch
		}
	}
	return true, pm
}

func (s *Statement) actionMatches(req *Request) bool {
	actions := s.compiled().actions
	for i := range actions {
		if actions[i].match(req.Action, &req.Context) {
			return !s.NotAction
		}
	}
	return s.NotAction
}

func (s *Statement) resourceMatches(req *Request) bool {
	if !s.HasResource {
		return true
	}
	resources := s.compiled().resources
	for i := range resources {
		if resources[i].match(req.Resource, &req.Context) {
			return !s.NotResource
		}
	}
	return s.NotResource
}

// boundary says whether the caller has a permissions boundary: a Deny with
// NotPrincipal always applies to such a caller, whatever it lists.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
func (s *Statement) principalMatch(req *Request, boundary bool) principalMatch {
	switch {
	case s.Principal != nil:
		return bestPrincipalMatch(s.compiled().principals, &req.Principal)
	case s.NotPrincipal != nil:
		if !(boundary && s.Effect == Deny) && !notPrincipalApplies(s.compiled().principals, &req.Principal) {
			return noPrincipalMatch
		}
		// Everyone not listed: read as "*" would be.
		all := principalPattern{kind: principalAll}
		return all.matchPrincipal(&req.Principal)
	}
	// Identity policies, boundaries, SCPs: the principal is implied.
	return matchDirect
}

// firstDeny returns the first Deny statement of p that applies.
func firstDeny(p *Policy, req *Request, boundary bool) *Statement {
	if p == nil {
		return nil
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.Effect == Deny {
			if ok, _ := s.appliesTo(req, boundary); ok {
				return s
			}
		}
	}
	return nil
}

// bestAllow returns the Allow statement of p that names the caller most
// directly, and how.
func bestAllow(p *Policy, req *Request) (*Statement, principalMatch) {
	if p == nil {
		return nil, noPrincipalMatch
	}
	var best *Statement
	bestMatch := noPrincipalMatch
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.Effect != Allow {
			continue
		}
		if ok, pm := s.appliesTo(req, false); ok && pm > bestMatch {
			best, bestMatch = s, pm
			if pm == matchDirect {
				break
			}
		}
	}
	return best, bestMatch
}

func anyAllow(ps []*Policy, req *Request) *Statement {
	for _, p := range ps {
		if s, _ := bestAllow(p, req); s != nil {
			return s
		}
	}
	return nil
}

// scpsApply: SCPs limit the principals of member accounts. They do not apply
// to AWS service principals or to anonymous callers, which belong to no
// account in the organization.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
func scpsApply(p *Principal) bool {
	return p.Kind != ServicePrincipal && p.Kind != Anonymous
}

// hasIdentitySide reports whether the caller can hold identity policies.
func hasIdentitySide(p *Principal) bool {
	return p.Kind != ServicePrincipal && p.Kind != Anonymous
}

// Evaluate decides a request against a set of policies. It does not
// allocate. The order of the steps is AWS's:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// https://docs.aws.amazon.com/kms/latest/developerguide/policy-evaluation.html
func Evaluate(req *Request, set *Set) Result {
	var res Result
	p := &req.Principal
	identitySide := hasIdentitySide(p)
	boundary := identitySide && len(set.Boundary) > 0

	// 1. An explicit deny in any policy that applies wins.
	if identitySide {
		for _, pol := range set.Identity {
			if s := firstDeny(pol, req, boundary); s != nil {
				res.add(Match{Type: IdentityPolicy, Statement: s})
			}
		}
		for _, pol := range set.Boundary {
			if s := firstDeny(pol, req, boundary); s != nil {
				res.add(Match{Type: PermissionsBoundary, Statement: s})
			}
		}
		if s := firstDeny(set.Session, req, boundary); s != nil {
			res.add(Match{Type: SessionPolicy, Statement: s})
		}
	}
	if s := firstDeny(set.Resource, req, boundary); s != nil {
		res.add(Match{Type: ResourcePolicy, Statement: s})
	}
	if scpsApply(p) {
		for _, lvl := range set.SCPs {
			for _, pol := range lvl.Policies {
				if s := firstDeny(pol, req, boundary); s != nil {
					res.add(Match{Type: SCP, Level: lvl.ID, Statement: s})
				}
			}
		}
	}
	for _, lvl := range set.RCPs {
		for _, pol := range lvl.Policies {
			if s := firstDeny(pol, req, boundary); s != nil {
				res.add(Match{Type: RCP, Level: lvl.ID, Statement: s})
			}
		}
	}
	if res.n > 0 {
		res.Decision = ExplicitlyDenied
		return res
	}

	// 2. RCPs (on the resource's account) and SCPs (on the principal's)
	// must allow at every level. They never grant on their own.
	for _, lvl := range set.RCPs {
		if anyAllow(lvl.Policies, req) == nil {
			res.Gap, res.Level = GapRCP, lvl.ID
			return res
		}
	}
	if scpsApply(p) {
		for _, lvl := range set.SCPs {
			if anyAllow(lvl.Policies, req) == nil {
				res.Gap, res.Level = GapSCP, lvl.ID
				return res
			}
		}
	}

	resourceStmt, resourceMatch := bestAllow(set.Resource, req)
	isKMS := req.IsKMSKey()

	// 3. Services and anonymous callers have no identity policies: the
	// resource policy is the whole allow side.
	if !identitySide {
		if resourceStmt == nil {
			res.Gap = GapResourcePolicy
			if isKMS {
				res.Gap = GapKeyPolicy
			}
			return res
		}
		res.Decision = Allowed
		res.add(Match{Type: ResourcePolicy, Statement: resourceStmt})
		return res
	}

	// The principal's own side: an identity allow, within its permissions
	// boundary and session policy. The root user has no boundary and full
	// access to its own account, but not to a KMS key whose policy does
	// not grant it (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
	boundaryOK, sessionOK := true, true
	if p.Kind != RootUser {
		if len(set.Boundary) > 0 {
			boundaryOK = anyAllow(set.Boundary, req) != nil
		}
		switch {
		case set.Session != nil:
			_, sm := bestAllow(set.Session, req)
			sessionOK = sm != noPrincipalMatch
		case p.Kind == FederatedUser:
			// A federated user session (GetFederationToken) gets its
			// permissions only through its session policy: without one,
			// identity policies grant it nothing.
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
			sessionOK = false
		}
	}
	identityStmt := anyAllow(set.Identity, req)
	rootAccess := p.Kind == RootUser && !isKMS
	identityOK := (identityStmt != nil || rootAccess) && boundaryOK && sessionOK
	identityGap := func() Gap {
		switch {
		case identityStmt == nil && !rootAccess:
			return GapIdentity
		case !boundaryOK:
			return GapBoundary
		}
		return GapSessionPolicy
	}
	// bothSides finishes an evaluation in which the resource side allows
	// (or, for a KMS key, delegates): the identity side must allow too.
	bothSides := func(res *Result) {
		if !identityOK {
			res.Gap = identityGap()
			return
		}
		res.add(Match{Type: ResourcePolicy, Statement: resourceStmt})
		res.Decision = Allowed
		if identityStmt != nil {
			res.add(Match{Type: IdentityPolicy, Statement: identityStmt})
		} else {
			res.RootUser = true
		}
	}

	// 4. Cross-account: both the resource's policy and the principal's
	// identity side must allow.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
	if req.crossAccount() {
		if isKMS && !kmsCrossAccountAction(req.Action) {
			res.Gap = GapKMSCrossAccount
			return res
		}
		if resourceStmt == nil {
			res.Gap = GapResourcePolicy
			if isKMS {
				res.Gap = GapKeyPolicy
			}
			return res
		}
		bothSides(&res)
		return res
	}

	// 5. Same account. A resource policy allow that names the caller
	// directly stands alone; one that names its role (or "*") still
	// passes through the boundary and session policy.
	if resourceMatch == matchDirect || (resourceMatch == matchLimited && boundaryOK && sessionOK) {
		res.Decision = Allowed
		res.add(Match{Type: ResourcePolicy, Statement: resourceStmt})
		return res
	}
	if isKMS {
		// The key policy is authoritative: IAM policies count only when a
		// key policy statement allows the request for the account
		// (the "Enable IAM policies" delegation).
		if resourceStmt == nil {
			res.Gap = GapKeyPolicy
			return res
		}
		bothSides(&res)
		return res
	}
	// Within one account, an identity allow or a resource allow suffices.
	if identityOK {
		res.Decision = Allowed
		if identityStmt != nil {
			res.add(Match{Type: IdentityPolicy, Statement: identityStmt})
		} else {
			res.RootUser = true
		}
		return res
	}
	switch {
	case resourceMatch == matchLimited && !boundaryOK:
		res.Gap = GapBoundary
	case resourceMatch == matchLimited:
		res.Gap = GapSessionPolicy
	case identityStmt == nil && !rootAccess && resourceStmt == nil:
		res.Gap = GapNoAllow
	default:
		res.Gap = identityGap()
	}
	return res
}

// IsKMSKey reports whether the request's resource is a KMS key (or alias),
// whose key policy is authoritative.
func (r *Request) IsKMSKey() bool {
	if r.kmsResource != "" && r.kmsResource == r.Resource {
		return true // Init found it; the comparison of one string with itself is short
	}
	parts, ok := splitARN(r.Resource)
	return ok && parts[2] == "kms"
}

// kmsCrossAccountActions are the KMS operations that principals of another
// account can be allowed to call; for any other operation a cross-account
// grant has no effect.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
var kmsCrossAccountActions = map[string]bool{
	"kms:decrypt": true, "kms:encrypt": true, "kms:generatedatakey": true, "kms:generatedatakeypair": true,
	"kms:generatedatakeypairwithoutplaintext": true, "kms:generatedatakeywithoutplaintext": true,
	"kms:generatemac": true, "kms:reencryptfrom": true, "kms:reencryptto": true, "kms:sign": true,
	"kms:verify": true, "kms:verifymac": true, "kms:derivesharedsecret": true,
	"kms:creategrant": true, "kms:describekey": true, "kms:getkeyrotationstatus": true,
	"kms:getpublickey": true, "kms:listgrants": true, "kms:retiregrant": true, "kms:revokegrant": true,
}

func kmsCrossAccountAction(action string) bool {
	var buf [64]byte
	if len(action) > len(buf) {
		return false
	}
	b := buf[:len(action)]
	for i := 0; i < len(action); i++ {
		c := action[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return kmsCrossAccountActions[string(b)]
}
