package delivery

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/policy"
)

// parsedPolicy caches one document's parse.
type parsedPolicy struct {
	p   *policy.Policy
	err error
}

// parse compiles a policy document once per run.
func (a *analyzer) parse(doc *model.PolicyDocument, kind policy.Kind, name string) (*policy.Policy, error) {
	if c, ok := a.parsed[doc]; ok {
		return c.p, c.err
	}
	text, ok := doc.JSON.Get()
	if !ok {
		err := fmt.Errorf("the %s is unknown: %s", name, doc.JSON.Reason())
		a.parsed[doc] = parsedPolicy{err: err}
		return nil, err
	}
	opts := policy.Options{Name: name, Kind: kind}
	if doc.File != "" {
		opts.Name = doc.File
		opts.Base = policy.Position{Line: doc.Line, Column: doc.Column}
	}
	p, err := policy.Parse([]byte(text), opts)
	if err != nil {
		err = fmt.Errorf("the %s does not parse: %w", name, err)
	} else if doc.File != "" {
		p.Name = name
	}
	a.parsed[doc] = parsedPolicy{p: p, err: err}
	if p != nil {
		a.docOf[p] = doc
	}
	return p, err
}

// variant is a context key whose value AWS does not document for a
// request. The gate is evaluated with the baseline value and again with
// each variant; if the decision changes, the verdict depends on something
// AWS does not say, and is at best Severity.
type variant struct {
	key      string
	values   []string // nil: the key is absent
	severity Verdict
	why      string
}

// spec is a request to evaluate.
type spec struct {
	principal, action, resource string
	context                     map[string][]string
	variants                    []variant
	resourceAccount             string
	// what names the request's object in reasons when it is not the
	// source's usual one (a member account's file); "" for that one.
	what string
}

// outcome is a spec's evaluation.
type outcome struct {
	res policy.Result
	req *policy.Request
	// dependsOn lists the variants that change the decision.
	dependsOn []variant
	// decisionWith is the decision under the first variant in dependsOn.
	decisionWith policy.Decision
}

// evaluate decides a spec against resource policies (their union, as AWS
// evaluates several resource policies on one resource) and RCP levels.
func evaluate(s spec, resources []*policy.Policy, rcps []policy.OrgLevel) (outcome, error) {
	base, err := s.request(nil)
	if err != nil {
		return outcome{}, err
	}
	o := outcome{req: base, res: decideUnion(base, resources, rcps)}
	for _, v := range s.variants {
		if !readsKey(v.key, resources, rcps) {
			continue // the decision cannot change with it
		}
		req, err := s.request(&v)
		if err != nil {
			return outcome{}, err
		}
		if d := decideUnion(req, resources, rcps).Decision; d != o.res.Decision {
			if len(o.dependsOn) == 0 {
				o.decisionWith = d
			}
			o.dependsOn = append(o.dependsOn, v)
		}
	}
	return o, nil
}

// readsKey reports whether evaluating the policies can read a context key.
// The engine reads the context only in conditions on a key and in policy
// variables (policy/condition.go, policy/match.go), so a policy set with
// neither a condition on the key nor any variable decides the same whatever
// the key's value; evaluate then skips that variant, which saves building
// and evaluating most variant requests.
func readsKey(key string, resources []*policy.Policy, rcps []policy.OrgLevel) bool {
	reads := func(p *policy.Policy) bool {
		if p == nil {
			return true
		}
		for i := range p.Statements {
			st := &p.Statements[i]
			for _, c := range st.Conditions {
				if strings.EqualFold(c.Key, key) || hasVariable(c.Values) {
					return true
				}
			}
			if hasVariable(st.Resources) {
				return true
			}
			for _, ps := range []*policy.PrincipalSpec{st.Principal, st.NotPrincipal} {
				if ps == nil {
					continue
				}
				for _, e := range ps.Entries {
					if strings.Contains(e.Value, "${") {
						return true
					}
				}
			}
		}
		return false
	}
	for _, p := range resources {
		if reads(p) {
			return true
		}
	}
	for _, l := range rcps {
		for _, p := range l.Policies {
			if reads(p) {
				return true
			}
		}
	}
	return false
}

func hasVariable(values []string) bool {
	for _, v := range values {
		if strings.Contains(v, "${") {
			return true
		}
	}
	return false
}

func (s spec) request(v *variant) (*policy.Request, error) {
	// NewRequest copies the context, so the spec's own serves the baseline.
	ctx := s.context
	if v != nil {
		ctx = make(map[string][]string, len(s.context)+1)
		for k, vals := range s.context {
			ctx[k] = vals
		}
		if v.values == nil {
			delete(ctx, v.key)
		} else {
			ctx[v.key] = v.values
		}
	}
	req, err := policy.NewRequest(s.principal, s.action, s.resource, ctx)
	if err != nil {
		return nil, err
	}
	if s.resourceAccount != "" {
		req.ResourceAccount = s.resourceAccount
	}
	return req, nil
}

// decideUnion evaluates the request against each resource policy: an
// explicit deny in any wins, then an allow in any.
func decideUnion(req *policy.Request, resources []*policy.Policy, rcps []policy.OrgLevel) policy.Result {
	if len(resources) == 0 {
		return policy.Evaluate(req, &policy.Set{RCPs: rcps})
	}
	var allowed, first policy.Result
	haveAllowed := false
	for i, p := range resources {
		r := policy.Evaluate(req, &policy.Set{Resource: p, RCPs: rcps})
		if r.Decision == policy.ExplicitlyDenied {
			return r
		}
		if r.Decision == policy.Allowed && !haveAllowed {
			allowed, haveAllowed = r, true
		}
		if i == 0 {
			first = r
		}
	}
	if haveAllowed {
		return allowed
	}
	return first
}

// requestOf reports a request as the policy engine saw it.
func requestOf(r *policy.Request) *Request {
	ctx := map[string][]string{}
	for _, k := range r.Context.Keys() {
		v, _ := r.Context.Get(k)
		ctx[k] = v
	}
	principal := r.Principal.ARN
	if r.Principal.Kind == policy.Anonymous {
		principal = "anonymous"
	}
	return &Request{Principal: principal, Action: r.Action, Resource: r.Resource, Context: ctx}
}

// deciding names the first statement that decided a result.
func (a *analyzer) deciding(r *policy.Result) *Statement {
	d := r.Deciding()
	if len(d) == 0 {
		return nil
	}
	s := d[0].Statement
	pos := s.Position()
	st := &Statement{Policy: s.Policy().Name, Sid: s.Sid, Index: s.Index, Effect: s.Effect.String(), Line: pos.Line, Column: pos.Column}
	if doc := a.docOf[s.Policy()]; doc != nil {
		st.File = doc.File
		if s.Index < len(doc.StatementLines) {
			st.Line, st.Column = doc.StatementLines[s.Index], 0
		}
	}
	if st.File == "" {
		st.Line, st.Column = 0, 0
	}
	return st
}

// describe explains a statement for a reason: `statement "Sid" (line N)`.
func (s *Statement) describe() string {
	label := fmt.Sprintf("#%d", s.Index)
	if s.Sid != "" {
		label = fmt.Sprintf("%q", s.Sid)
	}
	if s.Line > 0 {
		return fmt.Sprintf("statement %s of the %s (line %d)", label, s.Policy, s.Line)
	}
	return fmt.Sprintf("statement %s of the %s", label, s.Policy)
}

// dependsText explains which undocumented values decide an outcome.
func (o *outcome) dependsText() (Verdict, string) {
	sev := OK
	var parts []string
	for _, v := range o.dependsOn {
		sev = worse(sev, v.severity)
		parts = append(parts, v.why)
	}
	sort.Strings(parts)
	return sev, strings.Join(parts, "; ")
}

// Uncertain context keys shared by the gates. Each says why its value is
// not certain for a request made by a log delivery service.
func sourceArnVariant(region, account string) variant {
	return variant{
		key:      "aws:SourceArn",
		values:   []string{"arn:aws:logs:" + region + ":" + account + ":undocumented"},
		severity: UNKNOWN,
		why:      "AWS documents aws:SourceArn for this delivery only as matching arn:aws:logs:" + region + ":" + account + ":*, not its exact value (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html)",
	}
}

func sourceArnBaseline(region, account string) string {
	return "arn:aws:logs:" + region + ":" + account + ":*"
}

var callerAccountWhy = "AWS does not document kms:CallerAccount for requests made on behalf of a service principal (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html)"

func callerAccountVariants(accounts ...string) []variant {
	seen := map[string]bool{}
	var out []variant
	for _, a := range accounts {
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, variant{key: "kms:CallerAccount", values: []string{a}, severity: UNKNOWN, why: callerAccountWhy})
	}
	return out
}
