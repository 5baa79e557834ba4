package tfhcl

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// fastPaths turns on the ways to the same values that are faster than
// HCL's and cty's own (jsonencode.go, variables); the tests turn them off to
// compare the models loaded both ways.
var fastPaths = true

// why is the mark an unknown value carries: the reason it is unknown.
// Marks flow through HCL operations and functions, so an expression built
// from an unknown value says why it is unknown.
type why string

// unknown is a value not known before apply, with the reason.
func unknown(format string, args ...any) cty.Value {
	return cty.DynamicVal.Mark(why(fmt.Sprintf(format, args...)))
}

// reasonOf says why v is not wholly known.
func reasonOf(v cty.Value) string {
	_, marks := v.UnmarkDeep()
	var rs []string
	for mk := range marks {
		if w, ok := mk.(why); ok {
			rs = append(rs, string(w))
		}
	}
	if len(rs) == 0 {
		return "the value depends on something known only after apply"
	}
	sort.Strings(rs)
	return rs[0]
}

// unmarkDeep is v.UnmarkDeep() without the marks, and without its two maps
// and walk when v is an unmarked primitive (a string, most often), which it
// returns as it is, as UnmarkDeep does.
func unmarkDeep(v cty.Value) cty.Value {
	if !v.IsMarked() && v.Type().IsPrimitiveType() {
		return v
	}
	u, _ := v.UnmarkDeep()
	return u
}

// inst is one instance of a resource, data source or module call.
type inst struct {
	key  cty.Value // cty.NilVal without count or for_each
	each cty.Value // for_each value
	addr string
	// extra are further variables: dynamic block iterators.
	extra map[string]cty.Value
}

func instAddr(base string, key cty.Value) string {
	if key == cty.NilVal {
		return base
	}
	if key.Type() == cty.Number {
		return fmt.Sprintf("%s[%s]", base, key.AsBigFloat().Text('f', -1))
	}
	return fmt.Sprintf("%s[%q]", base, key.AsString())
}

// instances expands count and for_each; why is set when they are unknown.
func (m *module) instances(b *hclsyntax.Block, base string) ([]inst, string) {
	if a := b.Body.Attributes["count"]; a != nil {
		v := m.eval(a.Expr, inst{})
		if !v.IsWhollyKnown() {
			return nil, "count is not known: " + reasonOf(v)
		}
		v = unmarkDeep(v)
		n, err := convert.Convert(v, cty.Number)
		if err != nil || n.IsNull() {
			return nil, "count is not a number"
		}
		c, acc := n.AsBigFloat().Int64()
		if acc != 0 || c < 0 || c > 10000 {
			return nil, "count is not a whole number from 0 to 10000"
		}
		out := make([]inst, c)
		for i := range out {
			k := cty.NumberIntVal(int64(i))
			out[i] = inst{key: k, addr: instAddr(base, k)}
		}
		return out, ""
	}
	if a := b.Body.Attributes["for_each"]; a != nil {
		v := m.eval(a.Expr, inst{})
		if !v.IsKnown() {
			return nil, "for_each is not known: " + reasonOf(v)
		}
		v, _ = v.Unmark()
		if v.IsNull() {
			return nil, "for_each is null"
		}
		t := v.Type()
		var out []inst
		switch {
		case t.IsSetType():
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				if !e.IsKnown() {
					return nil, "for_each is not known: " + reasonOf(e)
				}
				e, _ = e.Unmark()
				if e.Type() != cty.String || e.IsNull() {
					return nil, "for_each is a set of values that are not strings"
				}
				out = append(out, inst{key: e, each: e, addr: instAddr(base, e)})
			}
		case t.IsMapType() || t.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				out = append(out, inst{key: k, each: e, addr: instAddr(base, k)})
			}
		default:
			return nil, "for_each is not a map or a set of strings"
		}
		return out, ""
	}
	return []inst{{addr: base}}, ""
}

// eval evaluates an expression in the module, for one instance. It never
// fails: what cannot be evaluated is unknown with the reason.
func (m *module) eval(expr hcl.Expression, in inst) cty.Value {
	v, _ := m.evalOr(expr, in, nil)
	return v
}

// evalOr is eval with a shortcut: once the context is built, short (which
// reads the expression and the context, nothing else) may answer instead
// of HCL's evaluation, by returning true; then so does evalOr, without a
// value.
func (m *module) evalOr(expr hcl.Expression, in inst, short func(*hcl.EvalContext) bool) (v cty.Value, done bool) {
	defer func() {
		if r := recover(); r != nil {
			v, done = unknown("%s: the expression cannot be evaluated (%v)", posOf(expr.Range()), r), false
		}
	}()
	ctx := m.ctx(expr, in)
	if fastPaths {
		if short != nil && shortcut(short, ctx) {
			return cty.NilVal, true
		}
		switch e := expr.(type) {
		case *hclsyntax.FunctionCallExpr:
			if s, ok := jsonencodeSyntax(e, ctx); ok {
				return cty.StringVal(s), false
			}
		case *hclsyntax.TemplateExpr:
			var s string
			if shortcut(func(ctx *hcl.EvalContext) bool { var ok bool; s, ok = joinTemplate(e, ctx); return ok }, ctx) {
				return cty.StringVal(s), false
			}
		}
	}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				msg := d.Summary
				if d.Detail != "" {
					msg += ": " + d.Detail
				}
				r := expr.Range()
				if d.Subject != nil {
					r = *d.Subject
				}
				return unknown("%s: %s", posOf(r), msg), false
			}
		}
	}
	return v, false
}

// shortcut runs a fast path; a panic in it leaves the answer to HCL.
func shortcut(f func(*hcl.EvalContext) bool, ctx *hcl.EvalContext) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return f(ctx)
}

func posOf(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// need is a variable an expression refers to: var.NAME, local.NAME,
// data.TYPE.NAME, module.NAME or TYPE.NAME, and the attributes it reads
// (all when it uses the whole object).
type need struct {
	root, typ, name string // typ is for data sources only
	attrs           []string
	all             bool
}

// Roots whose objects an expression's context holds when it names them.
const (
	rootVar = 1 << iota
	rootLocal
	rootData
	rootModule
	rootPath
	rootTerraform
)

// ctx builds the evaluation context of an expression: only the variables
// it refers to are evaluated, in the order it first names them.
func (m *module) ctx(expr hcl.Expression, in inst) *hcl.EvalContext {
	var needs []need
	// An expression names a few things, found by a scan; one that names
	// many (a list of every bucket's ARN) gets an index, so that the work
	// stays linear in what it names.
	var index map[[3]string]int
	add := func(root, typ, name, attr string) {
		i := 0
		if index != nil {
			var ok bool
			if i, ok = index[[3]string{root, typ, name}]; !ok {
				i = len(needs)
			}
		} else {
			for i < len(needs) && (needs[i].root != root || needs[i].typ != typ || needs[i].name != name) {
				i++
			}
		}
		if i == len(needs) {
			needs = append(needs, need{root: root, typ: typ, name: name})
			if index != nil {
				index[[3]string{root, typ, name}] = i
			} else if len(needs) > 16 {
				index = make(map[[3]string]int, 2*len(needs))
				for j, n := range needs {
					index[[3]string{n.root, n.typ, n.name}] = j
				}
			}
		}
		n := &needs[i]
		switch {
		case attr == "":
			n.all = true
		case !slices.Contains(n.attrs, attr):
			n.attrs = append(n.attrs, attr)
		}
	}
	// The roots the expression refers to: an object for a root it does not
	// name is never looked up, and building it for every evaluation is
	// much of the time of a large configuration.
	roots := 0
	for _, t := range variables(expr) {
		root := t.RootName()
		switch root {
		case "var", "local":
			if root == "var" {
				roots |= rootVar
			} else {
				roots |= rootLocal
			}
			if a, ok := attrAt(t, 1); ok {
				add(root, "", a, "")
			}
		case "data":
			roots |= rootData
			typ, ok1 := attrAt(t, 1)
			name, ok2 := attrAt(t, 2)
			if ok1 && ok2 {
				add(root, typ, name, instAttr(t, 3))
			}
		case "module":
			roots |= rootModule
			if name, ok := attrAt(t, 1); ok {
				add(root, "", name, instAttr(t, 2))
			}
		case "path":
			roots |= rootPath
		case "terraform":
			roots |= rootTerraform
		case "count", "each", "self":
		default:
			if _, ok := in.extra[root]; ok {
				continue
			}
			if name, ok := attrAt(t, 1); ok {
				add(root, "", name, instAttr(t, 2))
			}
		}
	}
	vars := map[string]cty.Value{}
	// These maps do not escape: they live on the stack.
	vs, ls, mods := map[string]cty.Value{}, map[string]cty.Value{}, map[string]cty.Value{}
	data, res := map[string]map[string]cty.Value{}, map[string]map[string]cty.Value{}
	// The var and local objects of the same names, once their values are
	// all memoized (they cannot change then), are built once.
	varKey, localKey := scopeKey(needs, "var", roots&rootVar != 0), scopeKey(needs, "local", roots&rootLocal != 0)
	varObj, haveVar := m.scopes[varKey]
	localObj, haveLocal := m.scopes[localKey]
	for i := range needs {
		n := &needs[i]
		slices.Sort(n.attrs)
		switch n.root {
		case "var":
			if !haveVar {
				vs[n.name] = m.variable(n.name)
			}
		case "local":
			if !haveLocal {
				ls[n.name] = m.local(n.name)
			}
		case "data":
			if data[n.typ] == nil {
				data[n.typ] = map[string]cty.Value{}
			}
			k := n.typ + "." + n.name
			data[n.typ][n.name] = m.blockValue(m.data[k], "data."+k, n.attrs, n.all)
		case "module":
			mods[n.name] = m.moduleValue(n.name, n.attrs, n.all)
		default:
			k := n.root + "." + n.name
			b := m.resources[k]
			if b == nil {
				continue
			}
			if res[n.root] == nil {
				res[n.root] = map[string]cty.Value{}
			}
			res[n.root][n.name] = m.blockValue(b, k, n.attrs, n.all)
		}
	}
	if roots&rootVar != 0 {
		if !haveVar {
			varObj = m.scopeObject(varKey, "var.", vs)
		}
		vars["var"] = varObj
	}
	if roots&rootLocal != 0 {
		if !haveLocal {
			localObj = m.scopeObject(localKey, "local.", ls)
		}
		vars["local"] = localObj
	}
	if roots&rootData != 0 {
		dv := make(map[string]cty.Value, len(data))
		for t, ns := range data {
			dv[t] = cty.ObjectVal(ns)
		}
		vars["data"] = cty.ObjectVal(dv)
	}
	if roots&rootModule != 0 {
		vars["module"] = cty.ObjectVal(mods)
	}
	for t, ns := range res {
		vars[t] = cty.ObjectVal(ns)
	}
	if in.key != cty.NilVal {
		if in.key.Type() == cty.Number {
			vars["count"] = cty.ObjectVal(map[string]cty.Value{"index": in.key})
		} else {
			vars["each"] = cty.ObjectVal(map[string]cty.Value{"key": in.key, "value": in.each})
		}
	}
	if roots&rootPath != 0 {
		rel := func(p string) string {
			if r, err := filepath.Rel(m.l.root, p); err == nil {
				return filepath.ToSlash(r)
			}
			return filepath.ToSlash(p)
		}
		vars["path"] = cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(rel(m.dir)), "root": cty.StringVal("."), "cwd": cty.StringVal(filepath.ToSlash(m.l.root))})
	}
	if roots&rootTerraform != 0 {
		vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
	}
	for k, v := range in.extra {
		vars[k] = v
	}
	return &hcl.EvalContext{Variables: vars, Functions: m.l.functions()}
}

// scopeKey names the var or local object of the names an expression reads,
// in the order it names them; "" when it does not use the root (or the
// objects are not kept: fastPaths).
func scopeKey(needs []need, root string, used bool) string {
	if !used || !fastPaths {
		return ""
	}
	k := root
	for _, n := range needs {
		if n.root == root {
			k += "," + n.name
		}
	}
	return k
}

// scopeObject is the object of vals, kept under key when each value is
// memoized under prefix+name (a value that refers to itself is not).
func (m *module) scopeObject(key, prefix string, vals map[string]cty.Value) cty.Value {
	obj := cty.ObjectVal(vals)
	if key == "" {
		return obj
	}
	for name := range vals {
		if _, ok := m.memo[prefix+name]; !ok {
			return obj
		}
	}
	if m.scopes == nil {
		m.scopes = map[string]cty.Value{}
	}
	m.scopes[key] = obj
	return obj
}

// attrAt is the attribute name at step i of a traversal.
func attrAt(t hcl.Traversal, i int) (string, bool) {
	if i >= len(t) {
		return "", false
	}
	if a, ok := t[i].(hcl.TraverseAttr); ok {
		return a.Name, true
	}
	return "", false
}

// instAttr is the attribute a traversal reads from a resource (step i),
// after an optional instance index; "" for the whole object.
func instAttr(t hcl.Traversal, i int) string {
	if i < len(t) {
		if _, ok := t[i].(hcl.TraverseIndex); ok {
			i++
		}
	}
	a, _ := attrAt(t, i)
	return a
}

// guard runs f once per key, memoized; a cycle yields unknown.
func (m *module) guard(key string, f func() cty.Value) cty.Value {
	if v, ok := m.memo[key]; ok {
		return v
	}
	if m.busy[key] {
		return unknown("%s%s refers to itself", m.prefix, key)
	}
	m.busy[key] = true
	v := f()
	delete(m.busy, key)
	m.memo[key] = v
	return v
}

// variable is the value of an input variable.
func (m *module) variable(name string) cty.Value {
	return m.guard("var."+name, func() cty.Value {
		b := m.vars[name]
		if b == nil {
			return unknown("%svar.%s is not declared", m.prefix, name)
		}
		ty := cty.DynamicPseudoType
		var defaults *typeexpr.Defaults
		if a := b.Body.Attributes["type"]; a != nil {
			if t, d, diags := typeexpr.TypeConstraintWithDefaults(a.Expr); !diags.HasErrors() {
				ty, defaults = t, d
			}
		}
		var v cty.Value
		given := false
		if m.parent == nil {
			if vv, ok := m.l.vars[name]; ok {
				given = true
				switch {
				case vv.raw != nil && (ty == cty.DynamicPseudoType || ty.IsPrimitiveType()):
					v = cty.StringVal(*vv.raw)
				case vv.raw != nil:
					expr, diags := parseExpression([]byte(*vv.raw), "--var "+name, hcl.InitialPos)
					if diags.HasErrors() {
						return unknown("--var %s is not a valid expression", name)
					}
					v = m.eval(expr, inst{})
				default:
					v = m.eval(vv.expr, inst{})
				}
			}
		} else if m.call != nil {
			if a := m.call.Body.Attributes[name]; a != nil {
				given = true
				v = m.parent.eval(a.Expr, m.callIn)
			}
		}
		if !given {
			a := b.Body.Attributes["default"]
			if a == nil {
				if m.parent == nil {
					return unknown("variable %s has no default and no value is given (use a .tfvars file or --var %s=VALUE)", name, name)
				}
				return unknown("variable %s of %s has no default and the module call does not set it", name, strings.TrimSuffix(m.prefix, "."))
			}
			v = m.eval(a.Expr, inst{})
		}
		if defaults != nil && v.IsWhollyKnown() {
			v = defaults.Apply(v)
		}
		if ty != cty.DynamicPseudoType {
			cv, err := convert.Convert(v, ty)
			if err != nil {
				return unknown("variable %s: %s", name, err)
			}
			v = cv
		}
		return v
	})
}

// local is the value of a local value.
func (m *module) local(name string) cty.Value {
	return m.guard("local."+name, func() cty.Value {
		a := m.locals[name]
		if a == nil {
			return unknown("%slocal.%s is not defined", m.prefix, name)
		}
		return m.eval(a.Expr, inst{})
	})
}

// blockValue is the value a reference to a resource or data source sees:
// one object, a tuple of them (count) or an object of them (for_each).
// attrs are the attributes read, sorted; all when the whole object is.
func (m *module) blockValue(b *hclsyntax.Block, key string, attrs []string, all bool) cty.Value {
	if b == nil {
		return unknown("%s%s is not declared", m.prefix, key)
	}
	mk := "value:" + key + ":false:" + strings.Join(attrs, ",")
	if all {
		mk = "value:" + key + ":true:" + strings.Join(attrs, ",")
	}
	return m.guard(mk, func() cty.Value {
		return m.blockValue1(b, key, attrs, all)
	})
}

func (m *module) blockValue1(b *hclsyntax.Block, key string, attrs []string, all bool) cty.Value {
	base := m.prefix + key
	insts, reason := m.instances(b, base)
	if reason != "" {
		return unknown("the instances of %s are not known: %s", base, reason)
	}
	names := attrs
	if all {
		names = slices.Clone(attrs)
		for a := range b.Body.Attributes {
			names = append(names, a)
		}
		names = append(names, computedAttrs(b)...)
		slices.Sort(names)
		names = slices.Compact(names)
	}
	obj := func(in inst) cty.Value {
		out := make(map[string]cty.Value, len(names))
		for _, a := range names {
			if a == "count" || a == "for_each" || a == "provider" || a == "depends_on" {
				continue
			}
			out[a] = m.attr(b, in, a)
		}
		return cty.ObjectVal(out)
	}
	_, hasCount := b.Body.Attributes["count"]
	_, hasEach := b.Body.Attributes["for_each"]
	switch {
	case hasCount:
		vals := make([]cty.Value, len(insts))
		for i, in := range insts {
			vals[i] = obj(in)
		}
		return cty.TupleVal(vals)
	case hasEach:
		vals := map[string]cty.Value{}
		for _, in := range insts {
			vals[in.key.AsString()] = obj(in)
		}
		return cty.ObjectVal(vals)
	}
	return obj(insts[0])
}

// attr is one attribute of a resource or data source instance: as the
// configuration sets it, or as the provider computes it.
func (m *module) attr(b *hclsyntax.Block, in inst, name string) cty.Value {
	return m.guard(in.addr+"#"+name, func() cty.Value {
		if b.Type == "data" {
			return m.dataAttr(b, in, name)
		}
		if a := b.Body.Attributes[name]; a != nil {
			return m.eval(a.Expr, in)
		}
		return m.computed(b, in, name)
	})
}

// moduleValue is what module.NAME refers to: the outputs of its instances.
func (m *module) moduleValue(name string, attrs []string, all bool) cty.Value {
	call := m.calls[name]
	if call == nil {
		return unknown("%smodule.%s is not declared", m.prefix, name)
	}
	children := m.children[name]
	obj := func(c *module) cty.Value {
		names := attrs
		if all {
			names = slices.Clone(attrs)
			for a := range c.outputs {
				names = append(names, a)
			}
			slices.Sort(names)
			names = slices.Compact(names)
		}
		out := make(map[string]cty.Value, len(names))
		for _, a := range names {
			out[a] = c.output(a)
		}
		return cty.ObjectVal(out)
	}
	if len(children) == 1 && children[0].missing != "" && m.childKey[children[0]] == cty.NilVal {
		return unknown("%s", children[0].missing)
	}
	_, hasCount := call.Body.Attributes["count"]
	_, hasEach := call.Body.Attributes["for_each"]
	switch {
	case hasCount:
		vals := make([]cty.Value, len(children))
		for i, c := range children {
			vals[i] = obj(c)
		}
		return cty.TupleVal(vals)
	case hasEach:
		vals := map[string]cty.Value{}
		for _, c := range children {
			vals[m.childKey[c].AsString()] = obj(c)
		}
		return cty.ObjectVal(vals)
	}
	if len(children) == 0 {
		return unknown("module %s is not loaded", name)
	}
	return obj(children[0])
}

// output is the value of one output of a module instance.
func (m *module) output(name string) cty.Value {
	if m.missing != "" {
		return unknown("%s", m.missing)
	}
	return m.guard("output."+name, func() cty.Value {
		a := m.outputs[name]
		if a == nil {
			return unknown("module %s has no output %q", strings.TrimSuffix(m.prefix, "."), name)
		}
		return m.eval(a.Expr, inst{})
	})
}

// str converts a value to a string; ok is false when it is unknown or not
// a string.
func str(v cty.Value) (string, string) {
	if !v.IsWhollyKnown() {
		return "", reasonOf(v)
	}
	v = unmarkDeep(v)
	if v.IsNull() {
		return "", "the value is null"
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", "expected a string, found " + v.Type().FriendlyName()
	}
	return s.AsString(), ""
}
