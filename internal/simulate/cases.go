// Package simulate reads the batch case format of `logpath simulate --cases`
// (docs/simulate-cases.md) and evaluates each case with the policy engine.
// The engine's test corpus uses the same format, through the same code.
package simulate

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"github.com/logpath/logpath/internal/jsontree"
	"github.com/logpath/logpath/internal/slab"
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
	var arena policy.Arena
	if trimmed[0] == '[' {
		var d jsontree.Doc
		if err := d.Parse(data); err != nil {
			return nil, &InputError{syntaxMessage(name, data, err)}
		}
		r := caseReader{name: name, d: &d, arena: &arena, sources: true}
		entries := make([]Entry, 0, d.Len(0))
		for i, v := 0, d.First(0); i < d.Len(0); i, v = i+1, d.Next(v) {
			path := rootPath.Item(i)
			entries = append(entries, r.entry(new(Case), v, &path))
		}
		return entries, nil
	}
	if trimmed[0] != '{' {
		return nil, &InputError{fmt.Sprintf("%s: expected a JSON array of cases or JSON lines (one case object per line)", name)}
	}
	var entries []Entry
	var d jsontree.Doc
	r := caseReader{name: name, d: &d, arena: &arena, sources: true}
	eachLine(data, 1, 0, func(line []byte, base policy.Position) {
		entries = append(entries, r.line(new(Case), line, base))
	})
	return entries, nil
}

// eachLine calls f with each line of data that is not blank, and where it
// starts: data starts at line firstLine and byte offset offset of the file.
func eachLine(data []byte, firstLine, offset int, f func(line []byte, base policy.Position)) {
	lineNo := firstLine
	for off := 0; off < len(data); lineNo++ {
		lineEnd := len(data)
		if nl := bytes.IndexByte(data[off:], '\n'); nl >= 0 {
			lineEnd = off + nl
		}
		line := data[off:lineEnd]
		if len(bytes.TrimSpace(line)) > 0 {
			f(line, policy.Position{Line: lineNo, Column: 1, Offset: offset + off})
		}
		off = lineEnd + 1
	}
}

// line reads the case on one line of a JSON lines file into c. The line is
// copied, so that the case's strings, slices of the copy, stay valid; unless
// r.inPlace is set.
func (r *caseReader) line(c *Case, line []byte, base policy.Position) Entry {
	r.base = base
	var err error
	if r.inPlace {
		err = r.d.ParseString(unsafe.String(unsafe.SliceData(line), len(line)))
	} else {
		err = r.d.Parse(line)
	}
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			l, col := jsontree.LineCol(line, se.Offset)
			return Entry{Err: fmt.Errorf("%s:%d:%d: invalid JSON: %s", r.name, base.Line+l-1, col, se.Msg)}
		}
		return Entry{Err: err}
	}
	return r.entry(c, 0, &rootPath)
}

func syntaxMessage(name string, data []byte, err error) string {
	var se *jsontree.SyntaxError
	if errors.As(err, &se) {
		l, c := jsontree.LineCol(data, se.Offset)
		return fmt.Sprintf("%s:%d:%d: invalid JSON: %s", name, l, c, se.Msg)
	}
	return fmt.Sprintf("%s: %v", name, err)
}

// rootPath is the path of a case file's root.
var rootPath jsontree.Path

// caseReader reads case objects from a parsed document; positions are
// relative to the document, which starts at base in the file.
type caseReader struct {
	name  string
	d     *jsontree.Doc
	base  policy.Position
	arena *policy.Arena
	// sources keeps Case.ResourcePolicySource, which a batch does not need.
	sources bool
	// noWarnings leaves the policies' warnings out: a batch prints
	// decisions only.
	noWarnings bool
	// req, when set, is the Request every case is read into: a batch
	// decides a case before it reads the next.
	req *policy.Request
	// inPlace parses a line where it is instead of copying it: its strings
	// are then slices of the caller's buffer, valid until the caller writes
	// into it again. Batch sets it: it is done with a block's cases when it
	// has written their output, and what outlives a case (the statement
	// templates and the key and path tables of the arenas and the reader)
	// is copied when it is kept.
	inPlace bool
	// ctx is the context of the request being read, reused from case to
	// case; the slabs hand out the lists of a case.
	ctx      map[string][]string
	strs     slab.Slab[string]
	policies slab.Slab[*policy.Policy]
	levels   slab.Slab[policy.OrgLevel]
	// paths holds the JSON paths given to policies, which repeat from case
	// to case; pathBuf is where they are written.
	paths   map[string]string
	pathBuf []byte
}

// pathString is p.String(), the same string for the same path.
func (r *caseReader) pathString(p *jsontree.Path) string {
	r.pathBuf = p.Append(r.pathBuf[:0])
	if s, ok := r.paths[string(r.pathBuf)]; ok {
		return s
	}
	if r.paths == nil || len(r.paths) >= 1024 {
		r.paths = map[string]string{}
	}
	s := string(r.pathBuf)
	r.paths[s] = s
	return s
}

func (r *caseReader) errorf(v int, path *jsontree.Path, format string, args ...any) error {
	l, c := r.d.LineCol(int(r.d.Values[v].Start))
	if r.base.Line > 0 {
		if l == 1 {
			c += r.base.Column - 1
		}
		l += r.base.Line - 1
	}
	return fmt.Errorf("%s:%d:%d (%s): %s", r.name, l, c, path.String(), fmt.Sprintf(format, args...))
}

// entry reads the case object v into c.
func (r *caseReader) entry(c *Case, v int, path *jsontree.Path) Entry {
	id, err := r.read(c, v, path)
	if err != nil {
		return Entry{ID: id, Err: err}
	}
	return Entry{Case: c, ID: id}
}

func (r *caseReader) kind(v int) jsontree.Kind { return r.d.Values[v].Kind }

func (r *caseReader) str(v int, path *jsontree.Path) (string, error) {
	if r.kind(v) != jsontree.String {
		return "", r.errorf(v, path, "expected a string, not %s", r.kind(v))
	}
	return r.d.Text(v), nil
}

func (r *caseReader) read(c *Case, v int, path *jsontree.Path) (string, error) {
	d := r.d
	if r.kind(v) != jsontree.Object {
		return "", r.errorf(v, path, "a case must be a JSON object, not %s", r.kind(v))
	}
	l, _ := d.LineCol(int(d.Values[v].Start))
	c.Line = l + max(r.base.Line, 1) - 1
	// The id first, so that any later error can carry it.
	if idNode := d.Member(v, "id"); idNode >= 0 {
		ipath := path.Member("id")
		id, err := r.str(idNode, &ipath)
		if err != nil {
			return "", err
		}
		c.ID = id
	} else {
		return "", r.errorf(v, path, "the case has no \"id\"")
	}
	reqNode := -1
	var resourceAccount, principalAccount string
	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
		key, val := d.Text(k), k+1
		fpath := path.Member(key)
		var err error
		switch key {
		case "id":
		case "request":
			reqNode = val
		case "identityPolicies":
			c.Set.Identity, err = r.policyList(val, &fpath, policy.KindIdentity)
		case "resourcePolicy":
			c.Set.Resource, c.ResourcePolicySource, err = r.policy(val, &fpath, policy.KindResource)
		case "permissionBoundaries":
			c.Set.Boundary, err = r.policyList(val, &fpath, policy.KindIdentity)
		case "sessionPolicy":
			c.Set.Session, _, err = r.policy(val, &fpath, policy.KindIdentity)
		case "scps":
			c.Set.SCPs, err = r.orgLevels(val, &fpath, policy.KindSCP)
		case "rcps":
			c.Set.RCPs, err = r.orgLevels(val, &fpath, policy.KindRCP)
		case "resourceAccount":
			resourceAccount, err = r.account(val, &fpath)
		case "principalAccount":
			principalAccount, err = r.account(val, &fpath)
		case "expect":
			c.Expect, err = r.str(val, &fpath)
		case "doc":
			c.Doc, err = r.str(val, &fpath)
		case "note":
			c.Note, err = r.str(val, &fpath)
		default:
			err = r.errorf(val, &fpath, "unknown case field %q (see docs/simulate-cases.md)", key)
		}
		if err != nil {
			return c.ID, err
		}
	}
	if reqNode < 0 {
		return c.ID, r.errorf(v, path, "the case has no \"request\"")
	}
	rpath := path.Member("request")
	req, err := r.request(reqNode, &rpath)
	if err != nil {
		return c.ID, err
	}
	if resourceAccount != "" {
		req.ResourceAccount = resourceAccount
	}
	if principalAccount != "" {
		req.SetPrincipalAccount(principalAccount)
	}
	c.Request = req
	return c.ID, nil
}

func (r *caseReader) account(v int, path *jsontree.Path) (string, error) {
	s, err := r.str(v, path)
	if err != nil {
		return "", err
	}
	if len(s) != 12 || strings.Trim(s, "0123456789") != "" {
		return "", r.errorf(v, path, "%q is not a 12-digit account ID", s)
	}
	return s, nil
}

func (r *caseReader) request(v int, path *jsontree.Path) (*policy.Request, error) {
	d := r.d
	if r.kind(v) != jsontree.Object {
		return nil, r.errorf(v, path, "expected an object, not %s", r.kind(v))
	}
	var principal, action, resource string
	if r.ctx == nil {
		r.ctx = map[string][]string{}
	}
	ctx := r.ctx
	clear(ctx)
	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
		key, val := d.Text(k), k+1
		fpath := path.Member(key)
		var err error
		switch key {
		case "principal":
			principal, err = r.str(val, &fpath)
		case "action":
			action, err = r.str(val, &fpath)
		case "resource":
			resource, err = r.str(val, &fpath)
		case "context":
			err = r.context(val, &fpath, ctx)
		default:
			err = r.errorf(val, &fpath, "unknown request field %q (expected principal, action, resource, context)", key)
		}
		if err != nil {
			return nil, err
		}
	}
	for _, need := range []struct{ name, v string }{{"principal", principal}, {"action", action}, {"resource", resource}} {
		if need.v == "" {
			return nil, r.errorf(v, path, "the request has no %q", need.name)
		}
	}
	req := r.req
	if req == nil {
		req = new(policy.Request)
	}
	if err := req.Init(principal, action, resource, ctx); err != nil {
		return nil, r.errorf(v, path, "%v", err)
	}
	return req, nil
}

func (r *caseReader) context(v int, path *jsontree.Path, ctx map[string][]string) error {
	d := r.d
	if r.kind(v) != jsontree.Object {
		return r.errorf(v, path, "expected an object of condition keys, not %s", r.kind(v))
	}
	scalar := func(v int, p *jsontree.Path) (string, error) {
		switch r.kind(v) {
		case jsontree.String, jsontree.Number, jsontree.Bool:
			return d.Text(v), nil
		}
		return "", r.errorf(v, p, "a context value must be a string, number or boolean, not %s", r.kind(v))
	}
	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
		key, val := d.Text(k), k+1
		fpath := path.Member(key)
		if r.kind(val) == jsontree.Array {
			vals := r.strs.Take(d.Len(val))
			for j, it := 0, d.First(val); j < len(vals); j, it = j+1, d.Next(it) {
				ipath := fpath.Item(j)
				s, err := scalar(it, &ipath)
				if err != nil {
					return err
				}
				vals[j] = s
			}
			ctx[key] = vals
			continue
		}
		s, err := scalar(val, &fpath)
		if err != nil {
			return err
		}
		vals := r.strs.Take(1)
		vals[0] = s
		ctx[key] = vals
	}
	return nil
}

// policy reads a policy given as a document, a {"name", "policy"} wrapper,
// a JSON string holding a document, or null (no policy).
func (r *caseReader) policy(v int, path *jsontree.Path, kind policy.Kind) (*policy.Policy, []byte, error) {
	d := r.d
	name := r.name
	switch r.kind(v) {
	case jsontree.Null:
		return nil, nil, nil
	case jsontree.String:
		text := d.Text(v)
		p, err := policy.Parse([]byte(text), policy.Options{Name: r.name + " " + path.String() + " (a JSON string)", Kind: kind, Arena: r.arena, NoWarnings: r.noWarnings})
		if !r.sources {
			return p, nil, err
		}
		return p, []byte(text), err
	case jsontree.Object:
		if inner := d.Member(v, "policy"); inner >= 0 && d.Member(v, "Statement") < 0 {
			for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) {
				key, val := d.Text(k), k+1
				switch key {
				case "policy":
				case "name":
					npath := path.Member("name")
					if _, err := r.str(val, &npath); err != nil {
						return nil, nil, err
					}
					name = r.name + " (" + d.Text(val) + ")"
				default:
					fpath := path.Member(key)
					return nil, nil, r.errorf(val, &fpath, "unknown field %q in a named policy (expected name, policy)", key)
				}
			}
			ppath := path.Member("policy")
			return r.policyNode(inner, &ppath, kind, name)
		}
		return r.policyNode(v, path, kind, name)
	}
	return nil, nil, r.errorf(v, path, "expected a policy object, a JSON string or null, not %s", r.kind(v))
}

func (r *caseReader) policyNode(v int, path *jsontree.Path, kind policy.Kind, name string) (*policy.Policy, []byte, error) {
	if r.kind(v) == jsontree.String {
		return r.policy(v, path, kind)
	}
	val := &r.d.Values[v]
	p, err := policy.FromJSON(r.d, v, policy.Options{Name: name, Kind: kind, Base: r.base, Path: r.pathString(path), Arena: r.arena, NoWarnings: r.noWarnings})
	if !r.sources {
		return p, nil, err
	}
	return p, []byte(r.d.Src[val.Start:val.End]), err
}

func (r *caseReader) policyList(v int, path *jsontree.Path, kind policy.Kind) ([]*policy.Policy, error) {
	d := r.d
	if r.kind(v) == jsontree.Null {
		return nil, nil
	}
	if r.kind(v) != jsontree.Array {
		return nil, r.errorf(v, path, "expected a list of policies, not %s", r.kind(v))
	}
	out := r.policies.Take(d.Len(v))[:0]
	for i, it := 0, d.First(v); i < d.Len(v); i, it = i+1, d.Next(it) {
		ipath := path.Item(i)
		p, _, err := r.policy(it, &ipath, kind)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

func (r *caseReader) orgLevels(v int, path *jsontree.Path, kind policy.Kind) ([]policy.OrgLevel, error) {
	d := r.d
	if r.kind(v) == jsontree.Null {
		return nil, nil
	}
	if r.kind(v) != jsontree.Array {
		return nil, r.errorf(v, path, "expected a list of {\"orgIdentifier\", \"policies\"} levels, not %s", r.kind(v))
	}
	out := r.levels.Take(d.Len(v))[:0]
	for i, item := 0, d.First(v); i < d.Len(v); i, item = i+1, d.Next(item) {
		ipath := path.Item(i)
		if r.kind(item) != jsontree.Object {
			return nil, r.errorf(item, &ipath, "expected {\"orgIdentifier\": ..., \"policies\": [...]}, not %s", r.kind(item))
		}
		var lvl policy.OrgLevel
		var err error
		for j, k := 0, d.First(item); j < d.Len(item); j, k = j+1, d.Next(k+1) {
			key, val := d.Text(k), k+1
			switch key {
			case "orgIdentifier":
				fpath := ipath.Member("orgIdentifier")
				lvl.ID, err = r.str(val, &fpath)
			case "policies":
				fpath := ipath.Member("policies")
				lvl.Policies, err = r.policyList(val, &fpath, kind)
			default:
				fpath := ipath.Member(key)
				err = r.errorf(val, &fpath, "unknown field %q (expected orgIdentifier, policies)", key)
			}
			if err != nil {
				return nil, err
			}
		}
		out = append(out, lvl)
	}
	return out, nil
}
