package tfhcl

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// target is the resource or data source instance an expression refers to
// directly (aws_kms_key.logs.arn, possibly through locals, module inputs
// and module outputs).
type target struct {
	mod   *module
	block *hclsyntax.Block
	base  string // address without the instance key
	typ   string
	data  bool
	addr  string
	key   cty.Value
	attr  string // "" for the whole object
}

// refOf follows an expression that is just a reference.
func (m *module) refOf(expr hcl.Expression, in inst) (target, bool) {
	return m.refOfDepth(expr, in, 0)
}

func (m *module) refOfDepth(expr hcl.Expression, in inst, depth int) (target, bool) {
	if depth > 32 || expr == nil {
		return target{}, false
	}
	var t hcl.Traversal
	switch e := expr.(type) {
	case *hclsyntax.TemplateWrapExpr:
		return m.refOfDepth(e.Wrapped, in, depth+1)
	case *hclsyntax.ParenthesesExpr:
		return m.refOfDepth(e.Expression, in, depth+1)
	case *hclsyntax.ScopeTraversalExpr:
		t = e.Traversal
	case *hclsyntax.RelativeTraversalExpr:
		// aws_kms_key.logs[count.index].arn
		ix, ok := e.Source.(*hclsyntax.IndexExpr)
		if !ok {
			return target{}, false
		}
		coll, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		if !ok {
			return target{}, false
		}
		k := m.eval(ix.Key, in)
		if !k.IsWhollyKnown() {
			return target{}, false
		}
		k = unmarkDeep(k)
		if k.IsNull() || (k.Type() != cty.Number && k.Type() != cty.String) {
			return target{}, false
		}
		t = append(append(append(hcl.Traversal{}, coll.Traversal...), hcl.TraverseIndex{Key: k}), e.Traversal...)
	default:
		return target{}, false
	}
	root := t.RootName()
	switch root {
	case "local":
		name, ok := attrAt(t, 1)
		if !ok || len(t) != 2 || m.locals[name] == nil {
			return target{}, false
		}
		return m.refOfDepth(m.locals[name].Expr, inst{}, depth+1)
	case "var":
		name, ok := attrAt(t, 1)
		if !ok || len(t) != 2 || m.parent == nil || m.call == nil {
			return target{}, false
		}
		a := m.call.Body.Attributes[name]
		if a == nil {
			return target{}, false
		}
		return m.parent.refOfDepth(a.Expr, m.callIn, depth+1)
	case "module":
		name, ok := attrAt(t, 1)
		if !ok {
			return target{}, false
		}
		key, rest := indexAt(t, 2)
		out, ok := attrAt(t, rest)
		if !ok || len(t) != rest+1 {
			return target{}, false
		}
		for _, c := range m.children[name] {
			if c.missing == "" && sameKey(m.childKey[c], key) && c.outputs[out] != nil {
				return c.refOfDepth(c.outputs[out].Expr, inst{}, depth+1)
			}
		}
		return target{}, false
	case "data":
		typ, ok1 := attrAt(t, 1)
		name, ok2 := attrAt(t, 2)
		if !ok1 || !ok2 || m.data[typ+"."+name] == nil {
			return target{}, false
		}
		return m.refTarget(m.data[typ+"."+name], "data."+typ+"."+name, typ, true, t, 3)
	case "count", "each", "path", "terraform", "self":
		return target{}, false
	}
	name, ok := attrAt(t, 1)
	if !ok || m.resources[root+"."+name] == nil {
		return target{}, false
	}
	return m.refTarget(m.resources[root+"."+name], root+"."+name, root, false, t, 2)
}

func (m *module) refTarget(b *hclsyntax.Block, key, typ string, data bool, t hcl.Traversal, i int) (target, bool) {
	k, rest := indexAt(t, i)
	_, hasCount := b.Body.Attributes["count"]
	_, hasEach := b.Body.Attributes["for_each"]
	if (hasCount || hasEach) != (k != cty.NilVal) {
		return target{}, false
	}
	if len(t) > rest+1 {
		return target{}, false
	}
	attr, _ := attrAt(t, rest)
	return target{mod: m, block: b, base: m.prefix + key, typ: typ, data: data, key: k, addr: instAddr(m.prefix+key, k), attr: attr}, true
}

// indexAt is the instance key at step i of a traversal, and the step after it.
func indexAt(t hcl.Traversal, i int) (cty.Value, int) {
	if i < len(t) {
		if ix, ok := t[i].(hcl.TraverseIndex); ok && ix.Key.IsKnown() && !ix.Key.IsNull() &&
			(ix.Key.Type() == cty.Number || ix.Key.Type() == cty.String) {
			return ix.Key, i + 1
		}
	}
	return cty.NilVal, i
}

func sameKey(a, b cty.Value) bool {
	if a == cty.NilVal || b == cty.NilVal {
		return a == cty.NilVal && b == cty.NilVal
	}
	return a.Type() == b.Type() && a.Equals(b).True()
}

// variables lists the traversals from the root scope an expression holds,
// as hclsyntax.Variables does (variables_test.go compares them), without its
// generic walk, which took a sixth of the evaluation of a large
// configuration: a type switch over the nodes of common expressions. Nodes
// that open a scope of their own (for expressions, splats) and nodes it does
// not know go to hclsyntax.Variables, whose answer for such a subtree is its
// part of the whole.
func variables(expr hcl.Expression) []hcl.Traversal {
	e, ok := expr.(hclsyntax.Expression)
	if !ok || !fastPaths {
		return expr.Variables()
	}
	var out []hcl.Traversal
	appendVariables(&out, e)
	return out
}

func appendVariables(out *[]hcl.Traversal, e hclsyntax.Expression) {
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
	case *hclsyntax.ScopeTraversalExpr:
		*out = append(*out, e.Traversal)
	case *hclsyntax.TemplateExpr:
		for _, p := range e.Parts {
			appendVariables(out, p)
		}
	case *hclsyntax.TemplateWrapExpr:
		appendVariables(out, e.Wrapped)
	case *hclsyntax.ObjectConsExpr:
		for _, item := range e.Items {
			appendVariables(out, item.KeyExpr)
			appendVariables(out, item.ValueExpr)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		// A naked name is the key itself, not a reference.
		if hcl.ExprAsKeyword(e.Wrapped) == "" {
			appendVariables(out, e.Wrapped)
		}
	case *hclsyntax.TupleConsExpr:
		for _, x := range e.Exprs {
			appendVariables(out, x)
		}
	case *hclsyntax.FunctionCallExpr:
		for _, x := range e.Args {
			appendVariables(out, x)
		}
	case *hclsyntax.RelativeTraversalExpr:
		appendVariables(out, e.Source)
	case *hclsyntax.IndexExpr:
		appendVariables(out, e.Collection)
		appendVariables(out, e.Key)
	case *hclsyntax.ConditionalExpr:
		appendVariables(out, e.Condition)
		appendVariables(out, e.TrueResult)
		appendVariables(out, e.FalseResult)
	case *hclsyntax.BinaryOpExpr:
		appendVariables(out, e.LHS)
		appendVariables(out, e.RHS)
	case *hclsyntax.UnaryOpExpr:
		appendVariables(out, e.Val)
	case *hclsyntax.ParenthesesExpr:
		appendVariables(out, e.Expression)
	case *hclsyntax.TemplateJoinExpr:
		appendVariables(out, e.Tuple)
	default:
		*out = append(*out, hclsyntax.Variables(e)...)
	}
}
