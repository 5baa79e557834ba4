package terraform

import (
	"errors"

	tfjson "github.com/hashicorp/terraform-json"
)

// cfgModule is one module of the configuration.
type cfgModule struct {
	m      *tfjson.ConfigModule
	path   []step // its JSON path, for the resources' positions
	parent *cfgModule
	// call is the module block in the parent that calls this module.
	call *tfjson.ModuleCall
}

// scope is a module instance: where a reference is resolved.
type scope struct {
	// segs are the module calls from the root, with instance keys.
	segs []modSeg
	// prefix is the module instance address followed by a dot, or "".
	prefix string
	// mod is the module's configuration; nil when the plan has none.
	mod *cfgModule
}

type modSeg struct {
	name string
	key  string // "[0]" or `["a"]`, "" without count or for_each
}

// part is one step of a traversal: an attribute name or an index ("[0]",
// `["a"]`).
type part struct {
	name string
	key  string
}

// parseTraversal splits a reference or address such as
// `module.a["x"].aws_s3_bucket.logs[0].id` into its steps.
func parseTraversal(s string) ([]part, error) {
	var parts []part
	i := 0
	for i < len(s) {
		switch {
		case s[i] == '[':
			j := i + 1
			if j < len(s) && s[j] == '"' {
				j++
				for j < len(s) && s[j] != '"' {
					if s[j] == '\\' {
						j++
					}
					j++
				}
				if j >= len(s) {
					return nil, errors.New("unterminated string index")
				}
				j++
			} else {
				for j < len(s) && s[j] != ']' {
					if s[j] < '0' || s[j] > '9' {
						return nil, errors.New("an index must be a number or a quoted string")
					}
					j++
				}
				if j == i+1 {
					return nil, errors.New("empty index")
				}
			}
			if j >= len(s) || s[j] != ']' {
				return nil, errors.New("unterminated index")
			}
			parts = append(parts, part{key: s[i : j+1]})
			i = j + 1
		default:
			if len(parts) > 0 {
				if s[i] != '.' {
					return nil, errors.New("expected . or [")
				}
				i++
			}
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			if j == i {
				return nil, errors.New("empty name")
			}
			parts = append(parts, part{name: s[i:j]})
			i = j
		}
	}
	return parts, nil
}

// newScope returns the scope of a module instance address ("" for the root).
func newScope(addr string, root *cfgModule) (*scope, error) {
	sc := &scope{mod: root}
	if addr == "" {
		return sc, nil
	}
	parts, err := parseTraversal(addr)
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(parts); {
		if parts[i].name != "module" || i+1 >= len(parts) || parts[i+1].name == "" {
			return nil, errors.New("expected module.NAME")
		}
		seg := modSeg{name: parts[i+1].name}
		i += 2
		if i < len(parts) && parts[i].key != "" {
			seg.key = parts[i].key
			i++
		}
		sc = sc.child(seg)
	}
	return sc, nil
}

// child returns the scope of a module call of sc.
func (sc *scope) child(seg modSeg) *scope {
	c := &scope{segs: append(append([]modSeg(nil), sc.segs...), seg)}
	c.prefix = sc.prefix + "module." + seg.name + seg.key + "."
	if sc.mod != nil {
		if call := sc.mod.m.ModuleCalls[seg.name]; call != nil && call.Module != nil {
			c.mod = &cfgModule{m: call.Module, parent: sc.mod, call: call,
				path: with(sc.mod.path, key("module_calls"), key(seg.name), key("module"))}
		}
	}
	return c
}

// parent returns the scope of the module that calls sc; nil for the root.
func (sc *scope) parent() *scope {
	if len(sc.segs) == 0 {
		return nil
	}
	p := &scope{segs: sc.segs[:len(sc.segs)-1]}
	for _, s := range p.segs {
		p.prefix += "module." + s.name + s.key + "."
	}
	if sc.mod != nil {
		p.mod = sc.mod.parent
	}
	return p
}

// target is a resource attribute a reference names.
type target struct {
	addr string // the resource (instance) address
	base string // the address without the instance key
	typ  string
	attr string
	data bool // a data source
}

// maxRefDepth bounds how far references are followed through module
// variables and outputs, and maxRefSteps how many references one
// attribute's resolution may visit (crafted input could make it
// exponential).
const (
	maxRefDepth = 32
	maxRefSteps = 10000
)

// resolve follows references (as the configuration lists them) to the
// resource attributes they name, through module variables and outputs.
// Locals are not in the JSON configuration, so references through them
// lead nowhere.
func (sc *scope) resolve(refs []string) []target {
	steps := 0
	return sc.resolveN(refs, 0, &steps)
}

func (sc *scope) resolveN(refs []string, depth int, steps *int) []target {
	if depth > maxRefDepth {
		return nil
	}
	var out []target
	for _, ref := range refs {
		if *steps++; *steps > maxRefSteps {
			return nil
		}
		parts, err := parseTraversal(ref)
		if err != nil || len(parts) < 2 || parts[0].name == "" || parts[1].name == "" {
			continue
		}
		switch parts[0].name {
		case "var":
			out = append(out, sc.resolveVar(parts[1].name, depth, steps)...)
		case "module":
			seg := modSeg{name: parts[1].name}
			rest := parts[2:]
			if len(rest) > 0 && rest[0].key != "" {
				seg.key = rest[0].key
				rest = rest[1:]
			}
			if len(rest) == 0 || rest[0].name == "" {
				continue
			}
			c := sc.child(seg)
			if c.mod == nil {
				continue
			}
			o := c.mod.m.Outputs[rest[0].name]
			if o == nil || o.Expression == nil || o.Expression.ExpressionData == nil {
				continue
			}
			out = append(out, c.resolveN(o.Expression.References, depth+1, steps)...)
		case "local", "count", "each", "path", "self", "terraform":
		case "data":
			if t, ok := resourceTarget(sc.prefix, parts[1:]); ok {
				t.data = true
				out = append(out, t)
			}
		default:
			if t, ok := resourceTarget(sc.prefix, parts); ok {
				out = append(out, t)
			}
		}
	}
	return dedupe(out)
}

// resourceTarget reads TYPE.NAME[KEY].ATTR; references without an
// attribute name the whole object and are skipped.
func resourceTarget(prefix string, parts []part) (target, bool) {
	if len(parts) < 3 || parts[0].name == "" || parts[1].name == "" {
		return target{}, false
	}
	t := target{typ: parts[0].name, base: prefix + parts[0].name + "." + parts[1].name}
	t.addr = t.base
	rest := parts[2:]
	if rest[0].key != "" {
		t.addr += rest[0].key
		rest = rest[1:]
	}
	if len(rest) == 0 || rest[0].name == "" {
		return target{}, false
	}
	t.attr = rest[0].name
	return t, true
}

func (sc *scope) resolveVar(name string, depth int, steps *int) []target {
	p := sc.parent()
	if p == nil || sc.mod == nil || sc.mod.call == nil {
		return nil // a root module variable: its value is in the plan
	}
	e := sc.mod.call.Expressions[name]
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	return p.resolveN(e.References, depth+1, steps)
}

func dedupe(ts []target) []target {
	seen := map[target]bool{}
	out := ts[:0]
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// expr returns the expression of an attribute; nil when absent.
func expr(exprs map[string]*tfjson.Expression, name string) *tfjson.Expression {
	if exprs == nil {
		return nil
	}
	e := exprs[name]
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	return e
}

// blocks returns the nested blocks of a block type.
func blocks(exprs map[string]*tfjson.Expression, name string) []map[string]*tfjson.Expression {
	if e := expr(exprs, name); e != nil {
		return e.NestedBlocks
	}
	return nil
}

// refsOf returns the references of an attribute expression.
func refsOf(exprs map[string]*tfjson.Expression, name string) []string {
	if e := expr(exprs, name); e != nil {
		return e.References
	}
	return nil
}

// kinds says which resource types, and which of their attributes, a
// reference may name to be followed; a nil attribute list allows any.
type kinds map[string][]string

// link returns the one resource of the plan that the targets name among
// the allowed kinds, and the attribute they name. It returns nil when
// there is none or more than one, or when one of them is outside the
// plan (a data source, a resource of another module instance): a
// reference is followed only when it is the only candidate.
func (l *loader) link(ts []target, allowed kinds) (*resource, string) {
	var found *resource
	var attr string
	for _, t := range ts {
		attrs, ok := allowed[t.typ]
		if !ok {
			continue
		}
		if attrs != nil && !contains(attrs, t.attr) {
			continue
		}
		if t.data {
			return nil, ""
		}
		r := l.byAddr[t.addr]
		if r == nil && t.addr == t.base {
			if rs := l.byBase[t.base]; len(rs) == 1 {
				r = rs[0]
			}
		}
		if r == nil || (found != nil && (found != r || attr != t.attr)) {
			return nil, ""
		}
		found, attr = r, t.attr
	}
	return found, attr
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// refTo follows the references of an attribute of r's configuration.
func (l *loader) refTo(r *resource, exprs map[string]*tfjson.Expression, attr string, allowed kinds) (*resource, string) {
	refs := refsOf(exprs, attr)
	if len(refs) == 0 {
		return nil, ""
	}
	return l.link(r.scope.resolve(refs), allowed)
}

// cfgExprs returns the configuration's expressions of r; nil without
// configuration.
func (r *resource) cfgExprs() map[string]*tfjson.Expression {
	if r.cfg == nil {
		return nil
	}
	return r.cfg.Expressions
}

// hasConfig reports whether the configuration of r is known: a plan with
// a configuration block for it.
func (r *resource) hasConfig() bool { return r.cfg != nil }

// declares reports whether r's configuration sets an attribute or block.
func (r *resource) declares(name string) bool {
	return expr(r.cfgExprs(), name) != nil
}
