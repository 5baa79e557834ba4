package policy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/logpath/logpath/internal/jsontree"
)

// The policy grammar:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

// Version values AWS accepts.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Parse reads and compiles a JSON policy document. An error is an *Error
// naming the JSON path and line:column of what AWS would reject.
func Parse(data []byte, opts Options) (*Policy, error) {
	root, err := jsontree.Parse(data)
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			p := &Policy{src: data, base: opts.Base, basePath: opts.Path}
			return nil, &Error{Name: opts.Name, Pos: p.position(se.Offset), Msg: "invalid JSON: " + se.Msg}
		}
		return nil, err
	}
	return FromJSON(data, &root, opts)
}

// FromJSON compiles a policy from an already parsed JSON value; data is the
// source the node's offsets refer to. Callers that read policies embedded in
// larger JSON files use it so that positions point into those files.
func FromJSON(data []byte, root *jsontree.Node, opts Options) (*Policy, error) {
	b := builder{p: &Policy{Name: opts.Name, Kind: opts.Kind, src: data, base: opts.Base, basePath: opts.Path}}
	if err := b.policy(root); err != nil {
		return nil, err
	}
	return b.p, nil
}

type builder struct {
	p *Policy
}

func (b *builder) errorf(n *jsontree.Node, path, format string, args ...any) error {
	return &Error{Name: b.p.Name, Path: b.p.path(path), Pos: b.p.position(n.Start), Msg: fmt.Sprintf(format, args...)}
}

func (b *builder) warn(offset int, path, code, format string, args ...any) {
	b.p.Warnings = append(b.p.Warnings, Warning{Code: code, Message: fmt.Sprintf(format, args...), Path: b.p.path(path), Pos: b.p.position(offset)})
}

// suggest returns " (did you mean X?)" when name differs from a known element
// only in case.
func suggest(name string, known ...string) string {
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return fmt.Sprintf(" (element names are case-sensitive: did you mean %q?)", k)
		}
	}
	return ""
}

func (b *builder) policy(root *jsontree.Node) error {
	if root.Kind != jsontree.Object {
		return b.errorf(root, "$", "a policy must be a JSON object, not %s", root.Kind)
	}
	var stmts *jsontree.Node
	seen := map[string]bool{}
	for i := range root.Fields {
		f := &root.Fields[i]
		path := "$." + f.Key
		if seen[f.Key] {
			return b.errorf(&f.Value, path, "duplicate element %q", f.Key)
		}
		seen[f.Key] = true
		switch f.Key {
		case "Version":
			if f.Value.Kind != jsontree.String || (f.Value.Text != Version2012 && f.Value.Text != Version2008) {
				return b.errorf(&f.Value, path, "Version must be %q or %q", Version2012, Version2008)
			}
			b.p.Version = f.Value.Text
		case "Id":
			if f.Value.Kind != jsontree.String {
				return b.errorf(&f.Value, path, "Id must be a string")
			}
			b.p.ID = f.Value.Text
		case "Statement":
			stmts = &f.Value
		default:
			return b.errorf(&f.Value, path, "unknown policy element %q%s", f.Key, suggest(f.Key, "Version", "Id", "Statement"))
		}
	}
	if stmts == nil {
		return b.errorf(root, "$", "the policy has no Statement")
	}
	switch stmts.Kind {
	case jsontree.Object:
		if err := b.statement(stmts, "$.Statement", 0); err != nil {
			return err
		}
	case jsontree.Array:
		if len(stmts.Items) == 0 {
			return b.errorf(stmts, "$.Statement", "the Statement list is empty")
		}
		b.p.Statements = make([]Statement, 0, len(stmts.Items))
		for i := range stmts.Items {
			if err := b.statement(&stmts.Items[i], "$.Statement["+strconv.Itoa(i)+"]", i); err != nil {
				return err
			}
		}
	default:
		return b.errorf(stmts, "$.Statement", "Statement must be an object or a list of objects, not %s", stmts.Kind)
	}
	for i := range b.p.Statements {
		b.p.Statements[i].policy = b.p
	}
	if b.p.Version == "" && b.usesVariables() {
		b.warn(root.Start, "$", "variables-without-version",
			"policy variables (${...}) are literal text without \"Version\": %q", Version2012)
	} else if b.p.Version == Version2008 && b.usesVariables() {
		b.warn(root.Start, "$.Version", "variables-without-version",
			"policy variables (${...}) are literal text under Version %q; use %q", Version2008, Version2012)
	}
	return nil
}

func (b *builder) usesVariables() bool {
	for i := range b.p.Statements {
		s := &b.p.Statements[i]
		for _, r := range s.Resources {
			if strings.Contains(r, "${") {
				return true
			}
		}
		for _, c := range s.Conditions {
			for _, v := range c.Values {
				if strings.Contains(v, "${") {
					return true
				}
			}
		}
	}
	return false
}

var statementElements = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

func (b *builder) statement(n *jsontree.Node, path string, index int) error {
	if n.Kind != jsontree.Object {
		return b.errorf(n, path, "a statement must be an object, not %s", n.Kind)
	}
	if len(n.Fields) == 0 {
		return b.errorf(n, path, "empty statement")
	}
	s := Statement{Index: index, offset: n.Start}
	variables := b.p.Version == Version2012
	var effect, action, notAction, principal, notPrincipal, resource, notResource, cond *jsontree.Node
	var seen uint16 // one bit per statement element, to find duplicates
	for i := range n.Fields {
		f := &n.Fields[i]
		for bit, name := range statementElements {
			if name == f.Key {
				if seen&(1<<bit) != 0 {
					return b.errorf(&f.Value, path+"."+f.Key, "duplicate element %q", f.Key)
				}
				seen |= 1 << bit
			}
		}
		switch f.Key {
		case "Sid":
			if f.Value.Kind != jsontree.String {
				return b.errorf(&f.Value, path+".Sid", "Sid must be a string")
			}
			s.Sid = f.Value.Text
		case "Effect":
			effect = &f.Value
		case "Action":
			action = &f.Value
		case "NotAction":
			notAction = &f.Value
		case "Principal":
			principal = &f.Value
		case "NotPrincipal":
			notPrincipal = &f.Value
		case "Resource":
			resource = &f.Value
		case "NotResource":
			notResource = &f.Value
		case "Condition":
			cond = &f.Value
		default:
			return b.errorf(&f.Value, path+"."+f.Key, "unknown statement element %q%s", f.Key, suggest(f.Key, statementElements...))
		}
	}

	// Effect.
	if effect == nil {
		return b.errorf(n, path, "the statement has no Effect")
	}
	switch {
	case effect.Kind == jsontree.String && effect.Text == "Allow":
		s.Effect = Allow
	case effect.Kind == jsontree.String && effect.Text == "Deny":
		s.Effect = Deny
	default:
		return b.errorf(effect, path+".Effect", "unknown Effect %s (expected \"Allow\" or \"Deny\")", describe(effect))
	}

	// Action / NotAction.
	switch {
	case action != nil && notAction != nil:
		return b.errorf(notAction, path+".NotAction", "a statement cannot have both Action and NotAction")
	case action == nil && notAction == nil:
		return b.errorf(n, path, "the statement has no Action or NotAction")
	}
	an, aname := action, "Action"
	if notAction != nil {
		an, aname, s.NotAction = notAction, "NotAction", true
	}
	actions, err := b.stringList(an, path+"."+aname)
	if err != nil {
		return err
	}
	for i, a := range actions {
		if a != "*" && !strings.Contains(a, ":") {
			return b.errorf(itemNode(an, i), itemPath(an, path+"."+aname, i), "action %q must be \"*\" or service:Action", a)
		}
		s.actions = append(s.actions, compilePattern(a, patternOptions{wildcards: true, fold: true}))
	}
	s.Actions = actions

	// Principal / NotPrincipal.
	if principal != nil && notPrincipal != nil {
		return b.errorf(notPrincipal, path+".NotPrincipal", "a statement cannot have both Principal and NotPrincipal")
	}
	pn, pname := principal, "Principal"
	if notPrincipal != nil {
		pn, pname = notPrincipal, "NotPrincipal"
	}
	if pn != nil {
		switch b.p.Kind {
		case KindIdentity, KindSCP:
			return b.errorf(pn, path+"."+pname, "%s is not allowed in an %s", pname, b.p.Kind)
		}
		spec, pps, err := b.principal(pn, path+"."+pname)
		if err != nil {
			return err
		}
		if notPrincipal != nil {
			s.NotPrincipal = spec
			if s.Effect == Allow {
				b.warn(pn.Start, path+".NotPrincipal", "notprincipal-allow",
					"NotPrincipal with Allow grants to everyone not listed, anonymous callers included; AWS advises against it")
			}
		} else {
			s.Principal = spec
		}
		s.principals = pps
	} else if b.p.Kind == KindResource {
		return b.errorf(n, path, "a statement of a resource policy needs a Principal or NotPrincipal")
	}

	// Resource / NotResource.
	if resource != nil && notResource != nil {
		return b.errorf(notResource, path+".NotResource", "a statement cannot have both Resource and NotResource")
	}
	rn, rname := resource, "Resource"
	if notResource != nil {
		rn, rname, s.NotResource = notResource, "NotResource", true
	}
	if rn != nil {
		resources, err := b.stringList(rn, path+"."+rname)
		if err != nil {
			return err
		}
		for i, r := range resources {
			ap := compileARNPattern(r, patternOptions{variables: variables})
			if ap.malformed {
				b.warn(itemNode(rn, i).Start, itemPath(rn, path+"."+rname, i), "resource-not-arn",
					"resource %q is neither \"*\" nor an ARN (arn:partition:service:region:account:resource); AWS rejects it and it matches nothing", r)
			} else if !ap.any && strings.ContainsAny(ap.segments[2].text, "*?") {
				b.warn(itemNode(rn, i).Start, itemPath(rn, path+"."+rname, i), "resource-service-wildcard",
					"resource %q has a wildcard in the service segment, which AWS does not allow", r)
			}
			s.resources = append(s.resources, ap)
		}
		s.Resources, s.HasResource = resources, true
	} else if b.p.Kind == KindIdentity || b.p.Kind == KindSCP {
		// Trust policies (resource policies of roles) omit Resource; the
		// other policy types must name it.
		return b.errorf(n, path, "the statement has no Resource or NotResource")
	}

	// Condition.
	if cond != nil {
		if err := b.conditions(&s, cond, path+".Condition", variables); err != nil {
			return err
		}
	}

	if s.Effect == Allow && s.Principal != nil && s.Principal.Wildcard && len(s.Conditions) == 0 {
		b.warn(pn.Start, path+".Principal", "allow-public",
			"Allow to Principal \"*\" without a Condition grants to everyone, anonymous callers included")
	}
	if s.Effect == Allow && s.NotAction {
		b.warn(notAction.Start, path+".NotAction", "notaction-allow",
			"Allow with NotAction grants every action not listed, including actions added to AWS later")
	}
	b.p.Statements = append(b.p.Statements, s)
	return nil
}

func describe(n *jsontree.Node) string {
	if n.Kind == jsontree.String {
		return strconv.Quote(n.Text)
	}
	return n.Kind.String()
}

func itemNode(list *jsontree.Node, i int) *jsontree.Node {
	if list.Kind == jsontree.Array {
		return &list.Items[i]
	}
	return list
}

func itemPath(list *jsontree.Node, path string, i int) string {
	if list.Kind == jsontree.Array {
		return fmt.Sprintf("%s[%d]", path, i)
	}
	return path
}

// stringList reads an element that is a string or a non-empty list of strings.
func (b *builder) stringList(n *jsontree.Node, path string) ([]string, error) {
	switch n.Kind {
	case jsontree.String:
		return []string{n.Text}, nil
	case jsontree.Array:
		if len(n.Items) == 0 {
			return nil, b.errorf(n, path, "the list is empty")
		}
		out := make([]string, len(n.Items))
		for i := range n.Items {
			it := &n.Items[i]
			if it.Kind != jsontree.String {
				return nil, b.errorf(it, fmt.Sprintf("%s[%d]", path, i), "expected a string, not %s", it.Kind)
			}
			out[i] = it.Text
		}
		return out, nil
	}
	return nil, b.errorf(n, path, "expected a string or a list of strings, not %s", n.Kind)
}

var principalTypes = []string{"AWS", "Service", "Federated", "CanonicalUser"}

func (b *builder) principal(n *jsontree.Node, path string) (*PrincipalSpec, []principalPattern, error) {
	spec := &PrincipalSpec{}
	if n.Kind == jsontree.String {
		if n.Text != "*" {
			return nil, nil, b.errorf(n, path, "a Principal string must be \"*\"; name principals as {\"AWS\": ...}, {\"Service\": ...}, {\"Federated\": ...} or {\"CanonicalUser\": ...}")
		}
		spec.Wildcard = true
		return spec, []principalPattern{{kind: principalAll}}, nil
	}
	if n.Kind != jsontree.Object {
		return nil, nil, b.errorf(n, path, "expected \"*\" or an object, not %s", n.Kind)
	}
	if len(n.Fields) == 0 {
		return nil, nil, b.errorf(n, path, "the principal object is empty")
	}
	var pps []principalPattern
	for i := range n.Fields {
		f := &n.Fields[i]
		fpath := path + "." + f.Key
		known := false
		for _, t := range principalTypes {
			known = known || t == f.Key
		}
		if !known {
			return nil, nil, b.errorf(&f.Value, fpath, "unknown principal type %q (expected AWS, Service, Federated or CanonicalUser)%s", f.Key, suggest(f.Key, principalTypes...))
		}
		values, err := b.stringList(&f.Value, fpath)
		if err != nil {
			return nil, nil, err
		}
		for j, v := range values {
			e := PrincipalEntry{Type: f.Key, Value: v}
			spec.Entries = append(spec.Entries, e)
			pp, warning := compilePrincipal(e)
			if warning != "" {
				b.warn(itemNode(&f.Value, j).Start, itemPath(&f.Value, fpath, j), "principal-never-matches", "%q: %s", v, warning)
			}
			if pp.kind == principalAll {
				spec.Wildcard = true
			}
			pps = append(pps, pp)
		}
	}
	return spec, pps, nil
}

// Keys that have one value per request: a set operator on them is a mistake,
// and ForAllValues on them can make a condition always true.
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
var singleValuedKeys = map[string]bool{
	"aws:sourceaccount": true, "aws:sourcearn": true, "aws:sourceorgid": true,
	"aws:principalarn": true, "aws:principalaccount": true, "aws:principalorgid": true,
	"aws:principalisawsservice": true, "aws:principalservicename": true, "aws:principaltype": true,
	"aws:sourceip": true, "aws:sourcevpc": true, "aws:sourcevpce": true, "aws:securetransport": true,
	"aws:viaawsservice": true, "aws:currenttime": true, "aws:epochtime": true, "aws:userid": true,
	"aws:username": true, "aws:requestedregion": true, "aws:resourceaccount": true, "aws:resourceorgid": true,
	"kms:viaservice": true, "kms:calleraccount": true, "kms:keyspec": true, "kms:keyorigin": true,
	"kms:encryptionalgorithm": true, "s3:x-amz-acl": true, "s3:x-amz-server-side-encryption": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true,
}

func isSingleValuedKey(lowerKey string) bool {
	if singleValuedKeys[lowerKey] {
		return true
	}
	// kms:EncryptionContext:<key> is single-valued; kms:EncryptionContextKeys is not.
	return strings.HasPrefix(lowerKey, "kms:encryptioncontext:")
}

func (b *builder) conditions(s *Statement, n *jsontree.Node, path string, variables bool) error {
	if n.Kind != jsontree.Object {
		return b.errorf(n, path, "Condition must be an object of operators, not %s", n.Kind)
	}
	for i := range n.Fields {
		opField := &n.Fields[i]
		opPath := path + "." + opField.Key
		op, problem := parseOperator(opField.Key)
		if problem != "" {
			return b.errorf(&opField.Value, opPath, "%s", problem)
		}
		if opField.Value.Kind != jsontree.Object {
			return b.errorf(&opField.Value, opPath, "an operator maps condition keys to values; expected an object, not %s", opField.Value.Kind)
		}
		if len(opField.Value.Fields) == 0 {
			return b.errorf(&opField.Value, opPath, "the operator has no condition keys")
		}
		for j := range opField.Value.Fields {
			kf := &opField.Value.Fields[j]
			kpath := opPath + "." + kf.Key
			if kf.Key == "" {
				return b.errorf(&kf.Value, kpath, "empty condition key")
			}
			values, err := b.conditionValues(&kf.Value, kpath)
			if err != nil {
				return err
			}
			s.Conditions = append(s.Conditions, Condition{Operator: opField.Key, Key: kf.Key, Values: values})
			lowerKey := strings.ToLower(kf.Key)
			if op.set != setNone && isSingleValuedKey(lowerKey) {
				b.warn(kf.KeyOffset, kpath, "set-operator-single-valued-key",
					"%s on the single-valued key %s: set operators are for multivalued keys, and ForAllValues is true when the key is absent", opField.Key, kf.Key)
			} else if op.set == setForAllValues && s.Effect == Allow && !op.negated {
				b.warn(kf.KeyOffset, kpath, "forallvalues-allow",
					"%s with Allow is also true when the request has no %s; add a Null condition if the key must be present", opField.Key, kf.Key)
			}
		}
	}
	// Compile after collecting, so that s.Conditions has its final address.
	idx := 0
	for i := range n.Fields {
		opField := &n.Fields[i]
		op, _ := parseOperator(opField.Key)
		for j := range opField.Value.Fields {
			kf := &opField.Value.Fields[j]
			c := &s.Conditions[idx]
			idx++
			cc, problems := compileCondition(c, op, variables)
			for _, p := range problems {
				b.warn(kf.Value.Start, path+"."+opField.Key+"."+kf.Key, "condition-value-invalid", "%s; it matches nothing", p)
			}
			s.conds = append(s.conds, cc)
		}
	}
	return nil
}

// conditionValues reads a condition value: a string, number or boolean, or a
// list of them. Numbers and booleans are compared as their JSON text.
func (b *builder) conditionValues(n *jsontree.Node, path string) ([]string, error) {
	scalar := func(n *jsontree.Node, path string) (string, error) {
		switch n.Kind {
		case jsontree.String, jsontree.Number, jsontree.Bool:
			return n.Text, nil
		}
		return "", b.errorf(n, path, "a condition value must be a string, number or boolean, not %s", n.Kind)
	}
	if n.Kind == jsontree.Array {
		if len(n.Items) == 0 {
			return nil, b.errorf(n, path, "the list of condition values is empty")
		}
		out := make([]string, len(n.Items))
		for i := range n.Items {
			v, err := scalar(&n.Items[i], fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	v, err := scalar(n, path)
	if err != nil {
		return nil, err
	}
	return []string{v}, nil
}
