// Package fix builds least-privilege policy changes for denied requests and
// proves them: a fix is returned only after the policy engine has evaluated
// the request again with the change applied and found it allowed.
package fix

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/logpath/logpath/policy"
)

// Statement is a policy statement in the order people write its elements.
type Statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]string         `json:"Principal,omitempty"`
	Action    Strings                   `json:"Action"`
	Resource  Strings                   `json:"Resource,omitempty"` // none in a trust policy
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// Strings is a policy element that holds one string or a list; it is
// written as a plain string when it holds one, as people write policies.
type Strings []string

// MarshalJSON writes one value as a string and several as a list.
func (s Strings) MarshalJSON() ([]byte, error) {
	if len(s) == 1 {
		return json.Marshal(s[0])
	}
	return json.Marshal([]string(s))
}

// Target says which policy a fix changes.
type Target string

const (
	TargetResourcePolicy Target = "resource policy"
	TargetKeyPolicy      Target = "key policy"
	TargetIdentityPolicy Target = "identity policy"
)

// Fix is a proven change: add Statement to the policy named by Target.
type Fix struct {
	Target    Target
	Statement Statement
	// Policy is the whole policy with the statement added.
	Policy []byte
}

// Unfixable explains why no statement is offered.
type Unfixable struct{ Reason string }

func (u *Unfixable) Error() string { return u.Reason }

// ForImplicitDeny proposes the smallest statement that lets req through and
// proves it. resourcePolicy is the resource policy's source (nil when the
// resource has none). It returns *Unfixable when adding an Allow cannot help
// (an explicit deny, an SCP or RCP gap, a boundary) or would be unsafe (an
// anonymous caller: logpath never proposes public access).
func ForImplicitDeny(req *policy.Request, set *policy.Set, resourcePolicy []byte) (*Fix, error) {
	res := policy.Evaluate(req, set)
	switch {
	case res.Decision == policy.Allowed:
		return nil, &Unfixable{"the request is already allowed"}
	case res.Decision == policy.ExplicitlyDenied:
		return nil, &Unfixable{"an explicit Deny decides the request; change that statement (an added Allow cannot override it)"}
	case req.Principal.Kind == policy.Anonymous:
		return nil, &Unfixable{"the caller is anonymous; logpath does not propose public access"}
	}
	isKey := req.IsKMSKey()
	switch res.Gap {
	case policy.GapResourcePolicy, policy.GapKeyPolicy:
		return resourceFix(req, set, resourcePolicy, isKey)
	case policy.GapIdentity, policy.GapNoAllow:
		if req.Principal.Kind == policy.ServicePrincipal {
			return resourceFix(req, set, resourcePolicy, isKey)
		}
		return identityFix(req, set)
	}
	return nil, &Unfixable{res.Gap.String() + "; an added Allow in the resource or identity policy cannot change that"}
}

// grant builds an Allow for exactly the request: its principal, its action,
// its resource ("*" in a key policy, where it means "this key"), and the
// confused-deputy conditions the request carries.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
func grant(req *policy.Request, withPrincipal, isKey bool) Statement {
	st := Statement{Effect: "Allow", Action: Strings{req.Action}, Resource: Strings{req.Resource}}
	if isKey {
		st.Resource = Strings{"*"}
	}
	if withPrincipal {
		p := req.Principal
		switch p.Kind {
		case policy.ServicePrincipal:
			st.Principal = map[string]string{"Service": p.ARN}
		case policy.AssumedRole:
			arn, _ := req.Context.Get("aws:PrincipalArn")
			st.Principal = map[string]string{"AWS": arn[0]}
		default:
			st.Principal = map[string]string{"AWS": p.ARN}
		}
		if p.Kind == policy.ServicePrincipal {
			cond := map[string]map[string]any{}
			if v, ok := req.Context.Get("aws:SourceAccount"); ok && len(v) == 1 {
				cond["StringEquals"] = map[string]any{"aws:SourceAccount": v[0]}
			}
			if v, ok := req.Context.Get("aws:SourceArn"); ok && len(v) == 1 {
				cond["ArnLike"] = map[string]any{"aws:SourceArn": v[0]}
			}
			if len(cond) > 0 {
				st.Condition = cond
			}
		}
	}
	return st
}

func resourceFix(req *policy.Request, set *policy.Set, src []byte, isKey bool) (*Fix, error) {
	st := grant(req, true, isKey)
	doc, err := AddStatement(src, st)
	if err != nil {
		return nil, err
	}
	p, err := policy.Parse(doc, policy.Options{Name: "fixed resource policy", Kind: policy.KindResource})
	if err != nil {
		return nil, fmt.Errorf("the fixed policy does not parse: %w", err)
	}
	fixed := *set
	fixed.Resource = p
	target := TargetResourcePolicy
	if isKey {
		target = TargetKeyPolicy
	}
	return prove(req, &fixed, &Fix{Target: target, Statement: st, Policy: doc})
}

func identityFix(req *policy.Request, set *policy.Set) (*Fix, error) {
	st := grant(req, false, false)
	doc, err := AddStatement(nil, st)
	if err != nil {
		return nil, err
	}
	p, err := policy.Parse(doc, policy.Options{Name: "added identity policy", Kind: policy.KindIdentity})
	if err != nil {
		return nil, fmt.Errorf("the added policy does not parse: %w", err)
	}
	fixed := *set
	fixed.Identity = append(append([]*policy.Policy(nil), set.Identity...), p)
	return prove(req, &fixed, &Fix{Target: TargetIdentityPolicy, Statement: st, Policy: doc})
}

// prove re-evaluates the request with the fix applied.
func prove(req *policy.Request, fixed *policy.Set, f *Fix) (*Fix, error) {
	res := policy.Evaluate(req, fixed)
	if res.Decision != policy.Allowed {
		return nil, &Unfixable{fmt.Sprintf("adding the statement to the %s still leaves the request %s (%s)", f.Target, res.Decision, res.Gap)}
	}
	return f, nil
}

// AddStatement returns the policy src with st appended to its statements
// (a new policy when src is nil). Element order is kept as JSON allows;
// formatting is rewritten.
func AddStatement(src []byte, st Statement) ([]byte, error) {
	stJSON, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(src)) == 0 {
		out := []byte(`{"Version":"2012-10-17","Statement":[` + string(stJSON) + `]}`)
		return indent(out)
	}
	var doc orderedObject
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("reading the policy to fix: %w", err)
	}
	added := false
	for i, kv := range doc {
		if kv.key != "Statement" {
			continue
		}
		raw := bytes.TrimSpace(kv.value)
		switch {
		case len(raw) > 0 && raw[0] == '[':
			var list []json.RawMessage
			if err := json.Unmarshal(raw, &list); err != nil {
				return nil, err
			}
			list = append(list, stJSON)
			doc[i].value, _ = json.Marshal(list)
		default:
			doc[i].value, _ = json.Marshal([]json.RawMessage{raw, stJSON})
		}
		added = true
	}
	if !added {
		doc = append(doc, member{"Statement", json.RawMessage(`[` + string(stJSON) + `]`)})
	}
	out, err := doc.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return indent(out)
}

func indent(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// orderedObject is a JSON object that keeps its members' order.
type member struct {
	key   string
	value json.RawMessage
}

type orderedObject []member

func (o *orderedObject) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("a policy must be a JSON object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		*o = append(*o, member{key, v})
	}
	return nil
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(m.value)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
