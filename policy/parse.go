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
	var d jsontree.Doc
	if err := d.Parse(data); err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			p := &Policy{lines: d.IndexedLines(), src: d.Src, base: opts.Base, basePath: opts.Path}
			return nil, &Error{Name: opts.Name, Pos: p.position(se.Offset), Msg: "invalid JSON: " + se.Msg}
		}
		return nil, err
	}
	return FromJSON(&d, 0, opts)
}

// FromJSON compiles the policy that is value v of an already parsed
// document. Callers that read policies embedded in larger JSON files use it
// so that positions point into those files. The policy does not keep d.
func FromJSON(d *jsontree.Doc, v int, opts Options) (*Policy, error) {
	a := opts.Arena
	if a == nil {
		a = new(Arena)
	} else {
		a.useCache()
	}
	b := builder{d: d, a: a, p: a.policies.One(), noWarnings: opts.NoWarnings}
	*b.p = Policy{Name: opts.Name, Kind: opts.Kind, lines: d.IndexedLines(), src: d.Src, base: opts.Base, basePath: opts.Path}
	if err := b.policy(v); err != nil {
		return nil, err
	}
	return b.p, nil
}

type builder struct {
	p *Policy
	d *jsontree.Doc
	a *Arena
	// template, when set, is the statement template being compiled: its
	// warnings are kept relative to the statement.
	template *stmtTemplate
	// noWarnings is Options.NoWarnings (a template keeps its warnings
	// all the same, for the policies that want them).
	noWarnings bool
}

// rootPath is the path of a policy document's root.
var rootPath jsontree.Path

func (b *builder) errorf(v int, path *jsontree.Path, format string, args ...any) error {
	if b.template != nil {
		return errTemplate
	}
	return &Error{Name: b.p.Name, Path: b.p.path(path.String()), Pos: b.p.position(int(b.d.Values[v].Start)), Msg: fmt.Sprintf(format, args...)}
}

func (b *builder) warn(offset int, path *jsontree.Path, code, format string, args ...any) {
	if t := b.template; t != nil {
		t.warnings = append(t.warnings, stmtWarning{offset: offset - t.base, suffix: path.String()[1:], code: code, message: fmt.Sprintf(format, args...)})
		return
	}
	if b.noWarnings {
		return
	}
	b.p.Warnings = append(b.p.Warnings, Warning{Code: code, Message: fmt.Sprintf(format, args...), Path: b.p.path(path.String()), Pos: b.p.position(offset)})
}

// start is the offset where value v starts.
func (b *builder) start(v int) int { return int(b.d.Values[v].Start) }

// kind is the JSON type of value v.
func (b *builder) kind(v int) jsontree.Kind { return b.d.Values[v].Kind }

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

func (b *builder) policy(root int) error {
	d := b.d
	if b.kind(root) != jsontree.Object {
		return b.errorf(root, &rootPath, "a policy must be a JSON object, not %s", b.kind(root))
	}
	stmts := -1
	var seen uint8 // one bit per policy element, to find duplicates
	for i, k := 0, d.First(root); i < d.Len(root); i, k = i+1, d.Next(k+1) {
		key, val := d.Text(k), k+1
		var bit uint8
		switch key {
		case "Version":
			bit = 1
		case "Id":
			bit = 2
		case "Statement":
			bit = 4
		default:
			path := rootPath.Member(key)
			return b.errorf(val, &path, "unknown policy element %q%s", key, suggest(key, "Version", "Id", "Statement"))
		}
		if seen&bit != 0 {
			path := rootPath.Member(key)
			return b.errorf(val, &path, "duplicate element %q", key)
		}
		seen |= bit
		switch key {
		case "Version":
			if text := d.Text(val); b.kind(val) != jsontree.String || (text != Version2012 && text != Version2008) {
				path := rootPath.Member(key)
				return b.errorf(val, &path, "Version must be %q or %q", Version2012, Version2008)
			}
			b.p.Version = d.Text(val)
		case "Id":
			if b.kind(val) != jsontree.String {
				path := rootPath.Member(key)
				return b.errorf(val, &path, "Id must be a string")
			}
			b.p.ID = d.Text(val)
		case "Statement":
			stmts = val
		}
	}
	if stmts < 0 {
		return b.errorf(root, &rootPath, "the policy has no Statement")
	}
	path := rootPath.Member("Statement")
	switch b.kind(stmts) {
	case jsontree.Object:
		b.p.Statements = b.a.statements.Take(1)[:0]
		if err := b.statement(stmts, &path, 0); err != nil {
			return err
		}
	case jsontree.Array:
		n := d.Len(stmts)
		if n == 0 {
			return b.errorf(stmts, &path, "the Statement list is empty")
		}
		b.p.Statements = b.a.statements.Take(n)[:0]
		for i, v := 0, d.First(stmts); i < n; i, v = i+1, d.Next(v) {
			ipath := path.Item(i)
			if err := b.statement(v, &ipath, i); err != nil {
				return err
			}
		}
	default:
		return b.errorf(stmts, &path, "Statement must be an object or a list of objects, not %s", b.kind(stmts))
	}
	for i := range b.p.Statements {
		b.p.Statements[i].policy = b.p
	}
	if b.p.Version == "" && b.usesVariables() {
		b.warn(b.start(root), &rootPath, "variables-without-version",
			"policy variables (${...}) are literal text without \"Version\": %q", Version2012)
	} else if b.p.Version == Version2008 && b.usesVariables() {
		vpath := rootPath.Member("Version")
		b.warn(b.start(root), &vpath, "variables-without-version",
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

func (b *builder) statement(v int, path *jsontree.Path, index int) error {
	c := b.a.cache
	if c == nil || b.template != nil || b.kind(v) != jsontree.Object {
		return b.compileStatement(v, path, index)
	}
	val := &b.d.Values[v]
	text, kind, variables := b.d.Src[val.Start:val.End], b.p.Kind, b.p.Version == Version2012
	h := c.hash(text, kind, variables)
	t := c.lookup(h, text, kind, variables)
	b.a.hitRate.note(t != nil)
	if t == nil {
		if !b.a.hitRate.worthCaching() {
			return b.compileStatement(v, path, index)
		}
		if t = b.a.compileTemplate(b.d, v, text, kind, variables); t == nil {
			// An error: compiled in place, it has a position and a path.
			return b.compileStatement(v, path, index)
		}
		c.insert(h, t)
	}
	s := t.s
	s.Index, s.offset = index, int(val.Start)
	if !b.noWarnings {
		for _, w := range t.warnings {
			b.p.Warnings = append(b.p.Warnings, Warning{Code: w.code, Message: w.message, Path: b.p.path(path.String() + w.suffix), Pos: b.p.position(int(val.Start) + w.offset)})
		}
	}
	b.p.Statements = append(b.p.Statements, s)
	return nil
}

// compileStatement compiles statement v, the index-th of its policy.
func (b *builder) compileStatement(v int, path *jsontree.Path, index int) error {
	d := b.d
	if b.kind(v) != jsontree.Object {
		return b.errorf(v, path, "a statement must be an object, not %s", b.kind(v))
	}
	if d.Len(v) == 0 {
		return b.errorf(v, path, "empty statement")
	}
	s := Statement{Index: index, offset: b.start(v), c: b.a.compiled.One()}
	variables := b.p.Version == Version2012
	effect, action, notAction, principal, notPrincipal, resource, notResource, cond := -1, -1, -1, -1, -1, -1, -1, -1
	var seen uint16 // one bit per statement element, to find duplicates
	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
		key, val := d.Text(k), k+1
		var slot *int
		bit := -1
		switch key {
		case "Sid":
			bit = 0
		case "Effect":
			bit, slot = 1, &effect
		case "Principal":
			bit, slot = 2, &principal
		case "NotPrincipal":
			bit, slot = 3, &notPrincipal
		case "Action":
			bit, slot = 4, &action
		case "NotAction":
			bit, slot = 5, &notAction
		case "Resource":
			bit, slot = 6, &resource
		case "NotResource":
			bit, slot = 7, &notResource
		case "Condition":
			bit, slot = 8, &cond
		default:
			fpath := path.Member(key)
			return b.errorf(val, &fpath, "unknown statement element %q%s", key, suggest(key, statementElements...))
		}
		if seen&(1<<bit) != 0 {
			fpath := path.Member(key)
			return b.errorf(val, &fpath, "duplicate element %q", key)
		}
		seen |= 1 << bit
		if slot != nil {
			*slot = val
			continue
		}
		// Sid.
		if b.kind(val) != jsontree.String {
			fpath := path.Member("Sid")
			return b.errorf(val, &fpath, "Sid must be a string")
		}
		s.Sid = d.Text(val)
	}

	// Effect.
	if effect < 0 {
		return b.errorf(v, path, "the statement has no Effect")
	}
	switch text := d.Text(effect); {
	case b.kind(effect) == jsontree.String && text == "Allow":
		s.Effect = Allow
	case b.kind(effect) == jsontree.String && text == "Deny":
		s.Effect = Deny
	default:
		fpath := path.Member("Effect")
		return b.errorf(effect, &fpath, "unknown Effect %s (expected \"Allow\" or \"Deny\")", b.describe(effect))
	}

	// Action / NotAction.
	switch {
	case action >= 0 && notAction >= 0:
		fpath := path.Member("NotAction")
		return b.errorf(notAction, &fpath, "a statement cannot have both Action and NotAction")
	case action < 0 && notAction < 0:
		return b.errorf(v, path, "the statement has no Action or NotAction")
	}
	an, aname := action, "Action"
	if notAction >= 0 {
		an, aname, s.NotAction = notAction, "NotAction", true
	}
	apath := path.Member(aname)
	actions, err := b.stringList(an, &apath)
	if err != nil {
		return err
	}
	s.c.actions = b.a.patterns.Take(len(actions))
	for i, a := range actions {
		if a != "*" && !strings.Contains(a, ":") {
			ipath := b.itemPath(an, &apath, i)
			return b.errorf(b.itemNode(an, i), &ipath, "action %q must be \"*\" or service:Action", a)
		}
		s.c.actions[i] = compilePatternIn(b.a, a, patternOptions{wildcards: true, fold: true})
	}
	s.Actions = actions

	// Principal / NotPrincipal.
	if principal >= 0 && notPrincipal >= 0 {
		fpath := path.Member("NotPrincipal")
		return b.errorf(notPrincipal, &fpath, "a statement cannot have both Principal and NotPrincipal")
	}
	pn, pname := principal, "Principal"
	if notPrincipal >= 0 {
		pn, pname = notPrincipal, "NotPrincipal"
	}
	ppath := path.Member(pname)
	if pn >= 0 {
		switch b.p.Kind {
		case KindIdentity, KindSCP:
			return b.errorf(pn, &ppath, "%s is not allowed in an %s", pname, b.p.Kind)
		}
		spec, pps, err := b.principal(pn, &ppath)
		if err != nil {
			return err
		}
		if notPrincipal >= 0 {
			s.NotPrincipal = spec
			if s.Effect == Allow {
				b.warn(b.start(pn), &ppath, "notprincipal-allow",
					"NotPrincipal with Allow grants to everyone not listed, anonymous callers included; AWS advises against it")
			}
		} else {
			s.Principal = spec
		}
		s.c.principals = pps
	} else if b.p.Kind == KindResource {
		return b.errorf(v, path, "a statement of a resource policy needs a Principal or NotPrincipal")
	}

	// Resource / NotResource.
	if resource >= 0 && notResource >= 0 {
		fpath := path.Member("NotResource")
		return b.errorf(notResource, &fpath, "a statement cannot have both Resource and NotResource")
	}
	rn, rname := resource, "Resource"
	if notResource >= 0 {
		rn, rname, s.NotResource = notResource, "NotResource", true
	}
	if rn >= 0 {
		rpath := path.Member(rname)
		resources, err := b.stringList(rn, &rpath)
		if err != nil {
			return err
		}
		s.c.resources = b.a.arns.Take(len(resources))
		for i, r := range resources {
			ap := &s.c.resources[i]
			*ap = compileARNPatternIn(b.a, r, patternOptions{variables: variables})
			if ap.malformed {
				ipath := b.itemPath(rn, &rpath, i)
				b.warn(b.start(b.itemNode(rn, i)), &ipath, "resource-not-arn",
					"resource %q is neither \"*\" nor an ARN (arn:partition:service:region:account:resource); AWS rejects it and it matches nothing", r)
			} else if !ap.any && hasWildcard(ap.segments[2].text) {
				ipath := b.itemPath(rn, &rpath, i)
				b.warn(b.start(b.itemNode(rn, i)), &ipath, "resource-service-wildcard",
					"resource %q has a wildcard in the service segment, which AWS does not allow", r)
			}
		}
		s.Resources, s.HasResource = resources, true
	} else if b.p.Kind == KindIdentity || b.p.Kind == KindSCP {
		// Trust policies (resource policies of roles) omit Resource; the
		// other policy types must name it.
		return b.errorf(v, path, "the statement has no Resource or NotResource")
	}

	// Condition.
	if cond >= 0 {
		cpath := path.Member("Condition")
		if err := b.conditions(&s, cond, &cpath, variables); err != nil {
			return err
		}
	}

	if s.Effect == Allow && s.Principal != nil && s.Principal.Wildcard && len(s.Conditions) == 0 {
		b.warn(b.start(pn), &ppath, "allow-public",
			"Allow to Principal \"*\" without a Condition grants to everyone, anonymous callers included")
	}
	if s.Effect == Allow && s.NotAction {
		fpath := path.Member("NotAction")
		b.warn(b.start(notAction), &fpath, "notaction-allow",
			"Allow with NotAction grants every action not listed, including actions added to AWS later")
	}
	b.p.Statements = append(b.p.Statements, s)
	return nil
}

func (b *builder) describe(v int) string {
	if b.kind(v) == jsontree.String {
		return strconv.Quote(b.d.Text(v))
	}
	return b.kind(v).String()
}

// itemNode is the i-th item of a list, or the value itself when it is a
// single string.
func (b *builder) itemNode(list, i int) int {
	if b.kind(list) != jsontree.Array {
		return list
	}
	v := b.d.First(list)
	for ; i > 0; i-- {
		v = b.d.Next(v)
	}
	return v
}

func (b *builder) itemPath(list int, path *jsontree.Path, i int) jsontree.Path {
	if b.kind(list) == jsontree.Array {
		return path.Item(i)
	}
	return *path
}

// stringList reads an element that is a string or a non-empty list of strings.
func (b *builder) stringList(v int, path *jsontree.Path) ([]string, error) {
	d := b.d
	switch b.kind(v) {
	case jsontree.String:
		out := b.a.strs.Take(1)
		out[0] = d.Text(v)
		return out, nil
	case jsontree.Array:
		n := d.Len(v)
		if n == 0 {
			return nil, b.errorf(v, path, "the list is empty")
		}
		out := b.a.strs.Take(n)
		for i, it := 0, d.First(v); i < n; i, it = i+1, d.Next(it) {
			if b.kind(it) != jsontree.String {
				ipath := path.Item(i)
				return nil, b.errorf(it, &ipath, "expected a string, not %s", b.kind(it))
			}
			out[i] = d.Text(it)
		}
		return out, nil
	}
	return nil, b.errorf(v, path, "expected a string or a list of strings, not %s", b.kind(v))
}

var principalTypes = []string{"AWS", "Service", "Federated", "CanonicalUser"}

func (b *builder) principal(v int, path *jsontree.Path) (*PrincipalSpec, []principalPattern, error) {
	d := b.d
	if b.kind(v) == jsontree.String {
		if d.Text(v) != "*" {
			return nil, nil, b.errorf(v, path, "a Principal string must be \"*\"; name principals as {\"AWS\": ...}, {\"Service\": ...}, {\"Federated\": ...} or {\"CanonicalUser\": ...}")
		}
		spec := b.a.specs.One()
		spec.Wildcard = true
		pps := b.a.principals.Take(1)
		pps[0] = principalPattern{kind: principalAll}
		return spec, pps, nil
	}
	if b.kind(v) != jsontree.Object {
		return nil, nil, b.errorf(v, path, "expected \"*\" or an object, not %s", b.kind(v))
	}
	if d.Len(v) == 0 {
		return nil, nil, b.errorf(v, path, "the principal object is empty")
	}
	// Every value of every type is one entry.
	n := 0
	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
		n += max(d.Len(k+1), 1)
	}
	spec := b.a.specs.One()
	spec.Entries = b.a.entries.Take(n)[:0]
	pps := b.a.principals.Take(n)[:0]
	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
		key, val := d.Text(k), k+1
		fpath := path.Member(key)
		known := false
		for _, t := range principalTypes {
			known = known || t == key
		}
		if !known {
			return nil, nil, b.errorf(val, &fpath, "unknown principal type %q (expected AWS, Service, Federated or CanonicalUser)%s", key, suggest(key, principalTypes...))
		}
		values, err := b.stringList(val, &fpath)
		if err != nil {
			return nil, nil, err
		}
		for j, value := range values {
			e := PrincipalEntry{Type: key, Value: value}
			spec.Entries = append(spec.Entries, e)
			pp, warning := compilePrincipal(e)
			if warning != "" {
				ipath := b.itemPath(val, &fpath, j)
				b.warn(b.start(b.itemNode(val, j)), &ipath, "principal-never-matches", "%q: %s", value, warning)
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

func (b *builder) conditions(s *Statement, v int, path *jsontree.Path, variables bool) error {
	d := b.d
	if b.kind(v) != jsontree.Object {
		return b.errorf(v, path, "Condition must be an object of operators, not %s", b.kind(v))
	}
	// Every key under every operator is one condition.
	n := 0
	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
		n += d.Len(k + 1)
	}
	s.Conditions = b.a.conditions.Take(n)[:0]
	ops := b.a.ops[:0]
	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
		opKey, opVal := d.Text(k), k+1
		opPath := path.Member(opKey)
		op, problem := parseOperator(opKey)
		if problem != "" {
			return b.errorf(opVal, &opPath, "%s", problem)
		}
		ops = append(ops, op)
		if b.kind(opVal) != jsontree.Object {
			return b.errorf(opVal, &opPath, "an operator maps condition keys to values; expected an object, not %s", b.kind(opVal))
		}
		if d.Len(opVal) == 0 {
			return b.errorf(opVal, &opPath, "the operator has no condition keys")
		}
		for j, kk := 0, d.First(opVal); j < d.Len(opVal); j, kk = j+1, d.Next(kk+1) {
			key, kval := d.Text(kk), kk+1
			kpath := opPath.Member(key)
			if key == "" {
				return b.errorf(kval, &kpath, "empty condition key")
			}
			values, err := b.conditionValues(kval, &kpath)
			if err != nil {
				return err
			}
			s.Conditions = append(s.Conditions, Condition{Operator: opKey, Key: key, Values: values})
			if op.set != setNone && isSingleValuedKey(b.a.lowerKey(key)) {
				b.warn(b.start(kk), &kpath, "set-operator-single-valued-key",
					"%s on the single-valued key %s: set operators are for multivalued keys, and ForAllValues is true when the key is absent", opKey, key)
			} else if op.set == setForAllValues && s.Effect == Allow && !op.negated {
				b.warn(b.start(kk), &kpath, "forallvalues-allow",
					"%s with Allow is also true when the request has no %s; add a Null condition if the key must be present", opKey, key)
			}
		}
	}
	b.a.ops = ops
	// Compile after collecting, so that the warnings about keys come first.
	s.c.conds = b.a.conds.Take(n)
	idx := 0
	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
		opVal := k + 1
		for j, kk := 0, d.First(opVal); j < d.Len(opVal); j, kk = j+1, d.Next(kk+1) {
			c := &s.Conditions[idx]
			cc, problems := compileCondition(b.a, c, ops[i], variables)
			for _, p := range problems {
				opPath := path.Member(d.Text(k))
				kpath := opPath.Member(d.Text(kk))
				b.warn(b.start(kk+1), &kpath, "condition-value-invalid", "%s; it matches nothing", p)
			}
			s.c.conds[idx] = cc
			idx++
		}
	}
	return nil
}

// conditionValues reads a condition value: a string, number or boolean, or a
// list of them. Numbers and booleans are compared as their JSON text.
func (b *builder) conditionValues(v int, path *jsontree.Path) ([]string, error) {
	d := b.d
	scalar := func(v int, path *jsontree.Path) (string, error) {
		switch b.kind(v) {
		case jsontree.String, jsontree.Number, jsontree.Bool:
			return d.Text(v), nil
		}
		return "", b.errorf(v, path, "a condition value must be a string, number or boolean, not %s", b.kind(v))
	}
	if b.kind(v) == jsontree.Array {
		n := d.Len(v)
		if n == 0 {
			return nil, b.errorf(v, path, "the list of condition values is empty")
		}
		out := b.a.strs.Take(n)
		for i, it := 0, d.First(v); i < n; i, it = i+1, d.Next(it) {
			ipath := path.Item(i)
			s, err := scalar(it, &ipath)
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	}
	s, err := scalar(v, path)
	if err != nil {
		return nil, err
	}
	out := b.a.strs.Take(1)
	out[0] = s
	return out, nil
}
