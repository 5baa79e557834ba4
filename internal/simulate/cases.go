// Package simulate reads the batch case format of `logpath simulate --cases`
// (docs/simulate-cases.md) and evaluates each case with the policy engine.
// The engine's test corpus uses the same format, through the same code.
package simulate

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/logpath/logpath/internal/jsontree"
	"github.com/logpath/logpath/policy"
)

// Case is one request with the policies that apply to it.
type Case struct {
	ID      string
	Request *policy.Request
	Set     policy.Set
	// ResourcePolicySource is the resource policy as JSON, for fixes.
	ResourcePolicySource []byte
	// Expect, Doc and Note are the corpus fields; simulate ignores them.
	Expect, Doc, Note string
	// Line is where the case starts in its file.
	Line int
}

// Entry is a case as read: either Case or Err is set.
type Entry struct {
	Case *Case
	ID   string // the case's id, when it could be read
	Err  error
}

// InputError is a file that is neither a JSON array of cases nor JSON lines.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// Read splits a case file into entries. A case that cannot be read becomes
// an entry with Err set, so that a batch goes on; an error is returned only
// when the file as a whole is not a case file.
func Read(name string, data []byte) ([]Entry, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, nil
	}
	if trimmed[0] == '[' {
		root, err := jsontree.Parse(data)
		if err != nil {
			return nil, &InputError{syntaxMessage(name, data, err)}
		}
		entries := make([]Entry, len(root.Items))
		for i := range root.Items {
			entries[i] = readCase(name, data, &root.Items[i], fmt.Sprintf("$[%d]", i), policy.Position{})
		}
		return entries, nil
	}
	if trimmed[0] != '{' {
		return nil, &InputError{fmt.Sprintf("%s: expected a JSON array of cases or JSON lines (one case object per line)", name)}
	}
	return readLines(name, data, 0, len(data)), nil
}

// readLines reads JSON lines between byte offsets start and end.
func readLines(name string, data []byte, start, end int) []Entry {
	var entries []Entry
	var parser jsontree.Parser
	lineNo := 1 + bytes.Count(data[:start], []byte{'\n'})
	for off := start; off < end; lineNo++ {
		nl := bytes.IndexByte(data[off:end], '\n')
		lineEnd := end
		if nl >= 0 {
			lineEnd = off + nl
		}
		line := data[off:lineEnd]
		base := policy.Position{Line: lineNo, Column: 1, Offset: off}
		if len(bytes.TrimSpace(line)) > 0 {
			entries = append(entries, readLine(&parser, name, line, base))
		}
		off = lineEnd + 1
	}
	return entries
}

func readLine(parser *jsontree.Parser, name string, line []byte, base policy.Position) Entry {
	root, err := parser.Parse(line)
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			l, c := jsontree.LineCol(line, se.Offset)
			return Entry{Err: fmt.Errorf("%s:%d:%d: invalid JSON: %s", name, base.Line+l-1, c, se.Msg)}
		}
		return Entry{Err: err}
	}
	return readCase(name, line, &root, "$", base)
}

func syntaxMessage(name string, data []byte, err error) string {
	var se *jsontree.SyntaxError
	if errors.As(err, &se) {
		l, c := jsontree.LineCol(data, se.Offset)
		return fmt.Sprintf("%s:%d:%d: invalid JSON: %s", name, l, c, se.Msg)
	}
	return fmt.Sprintf("%s: %v", name, err)
}

// caseReader reads one case object; positions are relative to data, which
// starts at base in the file.
type caseReader struct {
	name string
	data []byte
	base policy.Position
}

func (r *caseReader) errorf(n *jsontree.Node, path, format string, args ...any) error {
	l, c := jsontree.LineCol(r.data, n.Start)
	if r.base.Line > 0 {
		if l == 1 {
			c += r.base.Column - 1
		}
		l += r.base.Line - 1
	}
	return fmt.Errorf("%s:%d:%d (%s): %s", r.name, l, c, path, fmt.Sprintf(format, args...))
}

func readCase(name string, data []byte, n *jsontree.Node, path string, base policy.Position) Entry {
	r := &caseReader{name: name, data: data, base: base}
	c, id, err := r.read(n, path)
	if err != nil {
		return Entry{ID: id, Err: err}
	}
	return Entry{Case: c, ID: id}
}

func (r *caseReader) str(n *jsontree.Node, path string) (string, error) {
	if n.Kind != jsontree.String {
		return "", r.errorf(n, path, "expected a string, not %s", n.Kind)
	}
	return n.Text, nil
}

func (r *caseReader) read(n *jsontree.Node, path string) (*Case, string, error) {
	if n.Kind != jsontree.Object {
		return nil, "", r.errorf(n, path, "a case must be a JSON object, not %s", n.Kind)
	}
	c := &Case{}
	l, _ := jsontree.LineCol(r.data, n.Start)
	c.Line = l + max(r.base.Line, 1) - 1
	// The id first, so that any later error can carry it.
	if idNode := n.Get("id"); idNode != nil {
		id, err := r.str(idNode, path+".id")
		if err != nil {
			return nil, "", err
		}
		c.ID = id
	} else {
		return nil, "", r.errorf(n, path, "the case has no \"id\"")
	}
	var reqNode *jsontree.Node
	var resourceAccount, principalAccount string
	for i := range n.Fields {
		f := &n.Fields[i]
		fpath := path + "." + f.Key
		var err error
		switch f.Key {
		case "id":
		case "request":
			reqNode = &f.Value
		case "identityPolicies":
			c.Set.Identity, err = r.policyList(&f.Value, fpath, policy.KindIdentity)
		case "resourcePolicy":
			c.Set.Resource, c.ResourcePolicySource, err = r.policy(&f.Value, fpath, policy.KindResource)
		case "permissionBoundaries":
			c.Set.Boundary, err = r.policyList(&f.Value, fpath, policy.KindIdentity)
		case "sessionPolicy":
			c.Set.Session, _, err = r.policy(&f.Value, fpath, policy.KindIdentity)
		case "scps":
			c.Set.SCPs, err = r.orgLevels(&f.Value, fpath, policy.KindSCP)
		case "rcps":
			c.Set.RCPs, err = r.orgLevels(&f.Value, fpath, policy.KindRCP)
		case "resourceAccount":
			resourceAccount, err = r.account(&f.Value, fpath)
		case "principalAccount":
			principalAccount, err = r.account(&f.Value, fpath)
		case "expect":
			c.Expect, err = r.str(&f.Value, fpath)
		case "doc":
			c.Doc, err = r.str(&f.Value, fpath)
		case "note":
			c.Note, err = r.str(&f.Value, fpath)
		default:
			err = r.errorf(&f.Value, fpath, "unknown case field %q (see docs/simulate-cases.md)", f.Key)
		}
		if err != nil {
			return nil, c.ID, err
		}
	}
	if reqNode == nil {
		return nil, c.ID, r.errorf(n, path, "the case has no \"request\"")
	}
	req, err := r.request(reqNode, path+".request")
	if err != nil {
		return nil, c.ID, err
	}
	if resourceAccount != "" {
		req.ResourceAccount = resourceAccount
	}
	if principalAccount != "" {
		req.SetPrincipalAccount(principalAccount)
	}
	c.Request = req
	return c, c.ID, nil
}

func (r *caseReader) account(n *jsontree.Node, path string) (string, error) {
	s, err := r.str(n, path)
	if err != nil {
		return "", err
	}
	if len(s) != 12 || strings.Trim(s, "0123456789") != "" {
		return "", r.errorf(n, path, "%q is not a 12-digit account ID", s)
	}
	return s, nil
}

func (r *caseReader) request(n *jsontree.Node, path string) (*policy.Request, error) {
	if n.Kind != jsontree.Object {
		return nil, r.errorf(n, path, "expected an object, not %s", n.Kind)
	}
	var principal, action, resource string
	ctx := map[string][]string{}
	for i := range n.Fields {
		f := &n.Fields[i]
		fpath := path + "." + f.Key
		var err error
		switch f.Key {
		case "principal":
			principal, err = r.str(&f.Value, fpath)
		case "action":
			action, err = r.str(&f.Value, fpath)
		case "resource":
			resource, err = r.str(&f.Value, fpath)
		case "context":
			err = r.context(&f.Value, fpath, ctx)
		default:
			err = r.errorf(&f.Value, fpath, "unknown request field %q (expected principal, action, resource, context)", f.Key)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, need := range []struct{ name, v string }{{"principal", principal}, {"action", action}, {"resource", resource}} {
		if need.v == "" {
			return nil, r.errorf(n, path, "the request has no %q", need.name)
		}
	}
	req, err := policy.NewRequest(principal, action, resource, ctx)
	if err != nil {
		return nil, r.errorf(n, path, "%v", err)
	}
	return req, nil
}

func (r *caseReader) context(n *jsontree.Node, path string, ctx map[string][]string) error {
	if n.Kind != jsontree.Object {
		return r.errorf(n, path, "expected an object of condition keys, not %s", n.Kind)
	}
	scalar := func(v *jsontree.Node, p string) (string, error) {
		switch v.Kind {
		case jsontree.String, jsontree.Number, jsontree.Bool:
			return v.Text, nil
		}
		return "", r.errorf(v, p, "a context value must be a string, number or boolean, not %s", v.Kind)
	}
	for i := range n.Fields {
		f := &n.Fields[i]
		fpath := path + "." + f.Key
		if f.Value.Kind == jsontree.Array {
			vals := make([]string, len(f.Value.Items))
			for j := range f.Value.Items {
				v, err := scalar(&f.Value.Items[j], fmt.Sprintf("%s[%d]", fpath, j))
				if err != nil {
					return err
				}
				vals[j] = v
			}
			ctx[f.Key] = vals
			continue
		}
		v, err := scalar(&f.Value, fpath)
		if err != nil {
			return err
		}
		ctx[f.Key] = []string{v}
	}
	return nil
}

// policy reads a policy given as a document, a {"name", "policy"} wrapper,
// a JSON string holding a document, or null (no policy).
func (r *caseReader) policy(n *jsontree.Node, path string, kind policy.Kind) (*policy.Policy, []byte, error) {
	name := r.name
	switch n.Kind {
	case jsontree.Null:
		return nil, nil, nil
	case jsontree.String:
		p, err := policy.Parse([]byte(n.Text), policy.Options{Name: r.name + " " + path + " (a JSON string)", Kind: kind})
		return p, []byte(n.Text), err
	case jsontree.Object:
		if inner := n.Get("policy"); inner != nil && n.Get("Statement") == nil {
			for i := range n.Fields {
				f := &n.Fields[i]
				switch f.Key {
				case "policy":
				case "name":
					if _, err := r.str(&f.Value, path+".name"); err != nil {
						return nil, nil, err
					}
					name = r.name + " (" + f.Value.Text + ")"
				default:
					return nil, nil, r.errorf(&f.Value, path+"."+f.Key, "unknown field %q in a named policy (expected name, policy)", f.Key)
				}
			}
			return r.policyNode(inner, path+".policy", kind, name)
		}
		return r.policyNode(n, path, kind, name)
	}
	return nil, nil, r.errorf(n, path, "expected a policy object, a JSON string or null, not %s", n.Kind)
}

func (r *caseReader) policyNode(n *jsontree.Node, path string, kind policy.Kind, name string) (*policy.Policy, []byte, error) {
	if n.Kind == jsontree.String {
		return r.policy(n, path, kind)
	}
	p, err := policy.FromJSON(r.data, n, policy.Options{Name: name, Kind: kind, Base: r.base, Path: path})
	return p, r.data[n.Start:n.End], err
}

func (r *caseReader) policyList(n *jsontree.Node, path string, kind policy.Kind) ([]*policy.Policy, error) {
	if n.Kind == jsontree.Null {
		return nil, nil
	}
	if n.Kind != jsontree.Array {
		return nil, r.errorf(n, path, "expected a list of policies, not %s", n.Kind)
	}
	out := make([]*policy.Policy, 0, len(n.Items))
	for i := range n.Items {
		p, _, err := r.policy(&n.Items[i], fmt.Sprintf("%s[%d]", path, i), kind)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

func (r *caseReader) orgLevels(n *jsontree.Node, path string, kind policy.Kind) ([]policy.OrgLevel, error) {
	if n.Kind == jsontree.Null {
		return nil, nil
	}
	if n.Kind != jsontree.Array {
		return nil, r.errorf(n, path, "expected a list of {\"orgIdentifier\", \"policies\"} levels, not %s", n.Kind)
	}
	out := make([]policy.OrgLevel, 0, len(n.Items))
	for i := range n.Items {
		item := &n.Items[i]
		ipath := fmt.Sprintf("%s[%d]", path, i)
		if item.Kind != jsontree.Object {
			return nil, r.errorf(item, ipath, "expected {\"orgIdentifier\": ..., \"policies\": [...]}, not %s", item.Kind)
		}
		var lvl policy.OrgLevel
		var err error
		for j := range item.Fields {
			f := &item.Fields[j]
			switch f.Key {
			case "orgIdentifier":
				lvl.ID, err = r.str(&f.Value, ipath+".orgIdentifier")
			case "policies":
				lvl.Policies, err = r.policyList(&f.Value, ipath+".policies", kind)
			default:
				err = r.errorf(&f.Value, ipath+"."+f.Key, "unknown field %q (expected orgIdentifier, policies)", f.Key)
			}
			if err != nil {
				return nil, err
			}
		}
		out = append(out, lvl)
	}
	return out, nil
}
