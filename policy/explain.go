package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// Explanation is Evaluate's result with a trace of every statement: whether
// it applies to the request and, if not, the first element that did not
// match. It is for people; Evaluate is for hot paths.
type Explanation struct {
	Result   Result
	Policies []PolicyTrace
}

// PolicyTrace is one policy's part in an evaluation.
type PolicyTrace struct {
	Type   PolicyType
	Level  string
	Policy *Policy
	// Skipped says why the policy type does not apply to this request (for
	// example SCPs for a service principal); empty when it was evaluated.
	Skipped    string
	Statements []StatementTrace
}

// StatementTrace is one statement's part in an evaluation.
type StatementTrace struct {
	Statement *Statement
	Applies   bool
	// Mismatch names the element that kept the statement from applying.
	Mismatch string
	// Note qualifies a statement that applies, e.g. an Allow that names
	// only the caller's account and so delegates to IAM policies.
	Note string
}

// Explain evaluates the request and traces every statement.
func Explain(req *Request, set *Set) Explanation {
	ex := Explanation{Result: Evaluate(req, set)}
	p := &req.Principal
	boundary := hasIdentitySide(p) && len(set.Boundary) > 0
	add := func(t PolicyType, level string, pol *Policy, skipped string) {
		if pol == nil {
			return
		}
		pt := PolicyTrace{Type: t, Level: level, Policy: pol, Skipped: skipped}
		if skipped == "" {
			for i := range pol.Statements {
				pt.Statements = append(pt.Statements, explainStatement(&pol.Statements[i], req, boundary))
			}
		}
		ex.Policies = append(ex.Policies, pt)
	}
	noIdentity := ""
	if !hasIdentitySide(p) {
		noIdentity = fmt.Sprintf("a %s has no identity policies", strings.ToLower(principalNoun(p)))
	}
	for _, lvl := range set.RCPs {
		for _, pol := range lvl.Policies {
			add(RCP, lvl.ID, pol, "")
		}
	}
	scpSkip := ""
	if !scpsApply(p) {
		scpSkip = fmt.Sprintf("SCPs do not apply to a %s", strings.ToLower(principalNoun(p)))
	}
	for _, lvl := range set.SCPs {
		for _, pol := range lvl.Policies {
			add(SCP, lvl.ID, pol, scpSkip)
		}
	}
	add(ResourcePolicy, "", set.Resource, "")
	for _, pol := range set.Identity {
		add(IdentityPolicy, "", pol, noIdentity)
	}
	for _, pol := range set.Boundary {
		add(PermissionsBoundary, "", pol, noIdentity)
	}
	add(SessionPolicy, "", set.Session, noIdentity)
	return ex
}

func principalNoun(p *Principal) string {
	switch p.Kind {
	case ServicePrincipal:
		return "service principal"
	case Anonymous:
		return "anonymous caller"
	}
	return p.Kind.String()
}

func explainStatement(s *Statement, req *Request, boundary bool) StatementTrace {
	t := StatementTrace{Statement: s}
	switch {
	case !s.actionMatches(req):
		if s.NotAction {
			t.Mismatch = fmt.Sprintf("NotAction %s excludes %q", quoteList(s.Actions), req.Action)
		} else {
			t.Mismatch = fmt.Sprintf("Action %s does not match %q", quoteList(s.Actions), req.Action)
		}
		return t
	case !s.resourceMatches(req):
		if s.NotResource {
			t.Mismatch = fmt.Sprintf("NotResource %s excludes %q", quoteList(s.Resources), req.Resource)
		} else {
			t.Mismatch = fmt.Sprintf("Resource %s does not match %q", quoteList(s.Resources), req.Resource)
		}
		return t
	}
	pm := s.principalMatch(req, boundary && s.Effect == Deny)
	if pm == noPrincipalMatch {
		if s.NotPrincipal != nil {
			t.Mismatch = fmt.Sprintf("NotPrincipal %s lists every identity of %s", principalList(s.NotPrincipal), describePrincipal(&req.Principal))
		} else {
			t.Mismatch = fmt.Sprintf("Principal %s does not name %s", principalList(s.Principal), describePrincipal(&req.Principal))
		}
		return t
	}
	conds := s.compiled().conds
	for i := range conds {
		c := &conds[i]
		if !c.eval(&req.Context) {
			t.Mismatch = "Condition " + explainCondition(c, &req.Context)
			return t
		}
	}
	t.Applies = true
	if s.Effect == Allow && s.policy.Kind != KindIdentity {
		switch pm {
		case matchAccount:
			t.Note = "names the caller's account, which delegates to the account's IAM policies"
		case matchLimited:
			if req.Principal.Kind != RootUser {
				t.Note = "names the caller's role or everyone, so the caller's permissions boundary and session policy still apply"
			}
		}
	}
	return t
}

func explainCondition(c *condition, ctx *Context) string {
	vals, present := ctx.lookup(c.key)
	head := fmt.Sprintf("%s %s %s", c.src.Operator, c.src.Key, quoteList(c.src.Values))
	if !present {
		return fmt.Sprintf("%s: the request has no %s", head, c.src.Key)
	}
	return fmt.Sprintf("%s: the request has %s", head, quoteList(vals))
}

func describePrincipal(p *Principal) string {
	switch p.Kind {
	case Anonymous:
		return "an anonymous caller"
	case ServicePrincipal:
		return "service principal " + p.ARN
	}
	return p.ARN
}

func quoteList(v []string) string {
	q := make([]string, len(v))
	for i, s := range v {
		q[i] = strconv.Quote(s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func principalList(ps *PrincipalSpec) string {
	if ps.Wildcard && len(ps.Entries) == 0 {
		return `"*"`
	}
	q := make([]string, len(ps.Entries))
	for i, e := range ps.Entries {
		q[i] = e.Type + ":" + e.Value
	}
	return "[" + strings.Join(q, ", ") + "]"
}
