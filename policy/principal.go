package policy

import (
	"strings"
)

// principalMatch is how a statement's Principal names the caller. It matters
// within one account: an allow that names a user or a session directly stands
// on its own, one that names a role ARN is still limited by the session's
// permissions boundary and session policy, and one that names only the
// account delegates to the account's identity policies.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
type principalMatch uint8

const (
	noPrincipalMatch principalMatch = iota
	// matchAccount: the statement names the caller's account (its root ARN
	// or ID). For anyone but the root user this delegates to IAM.
	matchAccount
	// matchLimited: the statement names the caller's role, or everyone
	// ("*"). The grant still passes through the caller's permissions
	// boundary and session policy. AWS documents this for role ARNs; for
	// "*" it says nothing, and logpath reads it the same way so as never to
	// grant more than AWS might.
	matchLimited
	// matchDirect: the statement names exactly this caller (a user, a
	// session, a service principal, the root user), or "*" for callers that
	// have no boundary or session policy (services, anonymous, root).
	matchDirect
)

type principalPatternKind uint8

const (
	principalNever   principalPatternKind = iota // can match no caller logpath models
	principalAll                                 // "*" or {"AWS": "*"}
	principalAccount                             // an account ID or its :root ARN
	principalRole                                // an IAM role ARN: matches its sessions
	principalARN                                 // an exact user, session or federated-user ARN
	principalService                             // a service principal name
)

type principalPattern struct {
	kind    principalPatternKind
	account string
	name    string // role name, exact ARN, or service name (lower-cased)
}

// compilePrincipal reads one entry of a Principal element.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// The second result is a warning for a value that can never match.
func compilePrincipal(e PrincipalEntry) (principalPattern, string) {
	v := e.Value
	switch e.Type {
	case "AWS":
		if v == "*" {
			// "Principal": {"AWS": "*"} is equivalent to "Principal": "*".
			return principalPattern{kind: principalAll}, ""
		}
		if hasWildcard(v) {
			return principalPattern{}, "a wildcard cannot match part of a principal; AWS rejects or never matches it (use an aws:PrincipalArn condition instead)"
		}
		if isAccountID(v) {
			return principalPattern{kind: principalAccount, account: v}, ""
		}
		parts, ok := splitARN(v)
		if !ok || parts[0] != "arn" || !isAccountID(parts[4]) {
			// Unique IDs (AIDA..., AROA...) appear when the named user or
			// role was deleted; they match no caller until it is fixed.
			return principalPattern{}, "not an account ID or principal ARN; AWS shows this when the named principal was deleted, and it matches no caller"
		}
		acct, res := parts[4], parts[5]
		switch {
		case parts[2] == "iam" && res == "root":
			return principalPattern{kind: principalAccount, account: acct}, ""
		case parts[2] == "iam" && strings.HasPrefix(res, "role/"):
			// The role's sessions match it; a session ARN has no path.
			return principalPattern{kind: principalRole, account: acct, name: res[strings.LastIndexByte(res, '/')+1:]}, ""
		default:
			return principalPattern{kind: principalARN, account: acct, name: v}, ""
		}
	case "Service":
		if v == "*" || hasWildcard(v) {
			return principalPattern{}, "service principals cannot be wildcards"
		}
		return principalPattern{kind: principalService, name: strings.ToLower(v)}, ""
	}
	// Federated and CanonicalUser principals make requests logpath does not
	// model (web identity and SAML federation, S3 canonical users).
	return principalPattern{}, ""
}

// matchPrincipal says how the pattern names the caller.
func (pp *principalPattern) matchPrincipal(p *Principal) principalMatch {
	switch pp.kind {
	case principalAll:
		switch p.Kind {
		case ServicePrincipal, Anonymous, RootUser:
			return matchDirect
		}
		return matchLimited
	case principalAccount:
		if p.Account != pp.account || p.Account == "" {
			return noPrincipalMatch
		}
		if p.Kind == RootUser {
			return matchDirect
		}
		return matchAccount
	case principalRole:
		if p.Kind == AssumedRole && p.Account == pp.account && p.RoleName == pp.name {
			return matchLimited
		}
	case principalARN:
		if p.Kind != ServicePrincipal && p.Kind != Anonymous && p.ARN == pp.name {
			return matchDirect
		}
	case principalService:
		if p.Kind == ServicePrincipal && p.ARN == pp.name {
			return matchDirect
		}
	}
	return noPrincipalMatch
}

// bestPrincipalMatch is the strongest way any of the patterns names the caller.
func bestPrincipalMatch(pps []principalPattern, p *Principal) principalMatch {
	best := noPrincipalMatch
	for i := range pps {
		if m := pps[i].matchPrincipal(p); m > best {
			best = m
			if best == matchDirect {
				break
			}
		}
	}
	return best
}

// notPrincipalApplies decides a NotPrincipal element. AWS checks each of the
// identities a caller has (a role session is also its role and its account;
// a user is also its account) and the statement applies unless every one of
// them is listed. That is why the IAM User Guide tells you to list the
// session, the role and the account to exempt a role session from a Deny.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func notPrincipalApplies(pps []principalPattern, p *Principal) bool {
	listed := func(ok func(pp *principalPattern) bool) bool {
		for i := range pps {
			if pps[i].kind == principalAll || ok(&pps[i]) {
				return true
			}
		}
		return false
	}
	self := func(pp *principalPattern) bool {
		switch p.Kind {
		case ServicePrincipal:
			return pp.kind == principalService && pp.name == p.ARN
		case RootUser:
			return pp.kind == principalAccount && pp.account == p.Account
		case Anonymous:
			return false
		}
		return pp.kind == principalARN && pp.name == p.ARN
	}
	if !listed(self) {
		return true
	}
	if p.Kind == AssumedRole && !listed(func(pp *principalPattern) bool {
		return pp.kind == principalRole && pp.account == p.Account && pp.name == p.RoleName
	}) {
		return true
	}
	switch p.Kind {
	case IAMUser, AssumedRole, FederatedUser:
		if !listed(func(pp *principalPattern) bool {
			return pp.kind == principalAccount && pp.account == p.Account
		}) {
			return true
		}
	}
	return false
}
