package tfhcl

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// jsonencodeFunc is Terraform's jsonencode, stdlib.JSONEncodeFunc, with a
// faster path for what configurations hold: a wholly known value without
// marks. The stdlib function unmarks its argument (a copy of the whole
// value), checks it is wholly known and then marshals it, three walks and
// much garbage for each key or bucket policy; this one marshals in one walk
// and, as soon as it meets an unknown or marked value, a type whose
// encoding it does not write itself, or a number it cannot write, hands the
// argument to the stdlib function, whose answer (value, marks, refinement or
// error) it returns. The bytes are those of cty's json.Marshal:
// jsonencode_test.go compares the two.
var jsonencodeFunc = function.New(&function.Spec{
	Description: stdlib.JSONEncodeFunc.Description(),
	Params: []function.Parameter{{
		Name:             "val",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowNull:        true,
		// The marks are handled by the stdlib function, to which a marked
		// value goes.
		AllowMarked: true,
	}},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsMarked() && v.IsKnown() && v.Type() != cty.DynamicPseudoType {
			if b, ok := appendJSON(nil, v, v.Type()); ok {
				return cty.StringVal(string(b)), nil
			}
		}
		return stdlib.JSONEncodeFunc.Call(args)
	},
})

// appendJSON appends v (of type t) as cty's json.Marshal writes it; false
// when v holds something it leaves to the stdlib function.
func appendJSON(b []byte, v cty.Value, t cty.Type) ([]byte, bool) {
	if v.IsMarked() || !v.IsKnown() || (t == cty.DynamicPseudoType && v.Type() != cty.DynamicPseudoType) {
		return b, false
	}
	if v.IsNull() {
		return append(b, "null"...), true
	}
	if t == cty.DynamicPseudoType {
		return b, false
	}
	ok := true
	switch {
	case t == cty.String:
		b = appendJSONString(b, v.AsString())
	case t == cty.Bool:
		if v.True() {
			b = append(b, "true"...)
		} else {
			b = append(b, "false"...)
		}
	case t == cty.Number:
		if v.RawEquals(cty.PositiveInfinity) || v.RawEquals(cty.NegativeInfinity) {
			return b, false
		}
		b = append(b, v.AsBigFloat().Text('f', -1)...)
	case t.IsListType(), t.IsSetType():
		b = append(b, '[')
		ety := t.ElementType()
		first := true
		for it := v.ElementIterator(); ok && it.Next(); {
			if !first {
				b = append(b, ',')
			}
			first = false
			_, ev := it.Element()
			b, ok = appendJSON(b, ev, ety)
		}
		b = append(b, ']')
	case t.IsTupleType():
		b = append(b, '[')
		etys := t.TupleElementTypes()
		i := 0
		for it := v.ElementIterator(); ok && it.Next(); {
			if i > 0 {
				b = append(b, ',')
			}
			_, ev := it.Element()
			b, ok = appendJSON(b, ev, etys[i])
			i++
		}
		b = append(b, ']')
	case t.IsMapType():
		b = append(b, '{')
		ety := t.ElementType()
		first := true
		for it := v.ElementIterator(); ok && it.Next(); {
			if !first {
				b = append(b, ',')
			}
			first = false
			ek, ev := it.Element()
			if b, ok = appendJSON(b, ek, ek.Type()); ok {
				b = append(b, ':')
				b, ok = appendJSON(b, ev, ety)
			}
		}
		b = append(b, '}')
	case t.IsObjectType():
		b = append(b, '{')
		atys := t.AttributeTypes()
		names := make([]string, 0, len(atys))
		for k := range atys {
			names = append(names, k)
		}
		sort.Strings(names)
		for i, k := range names {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONName(b, k)
			b = append(b, ':')
			if b, ok = appendJSON(b, v.GetAttr(k), atys[k]); !ok {
				break
			}
		}
		b = append(b, '}')
	default:
		return b, false // capsules
	}
	return b, ok
}

// appendJSONName appends an object's attribute name: cty's json.Marshal
// writes it as the string value cty.StringVal(name), which is normalized
// (NFC).
func appendJSONName(b []byte, name string) []byte {
	if plainASCII(name) {
		b = append(b, '"')
		b = append(b, name...)
		return append(b, '"')
	}
	return appendJSONString(b, cty.StringVal(name).AsString())
}

// appendJSONString appends s as encoding/json.Marshal writes it (cty's
// json.Marshal uses it for strings), escaping HTML characters.
func appendJSONString(b []byte, s string) []byte {
	if plainASCII(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	j, _ := json.Marshal(s) // a string always marshals
	return append(b, j...)
}

// plainASCII says s is printable ASCII that encoding/json writes as is.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// jsonencodeSyntax writes jsonencode({...}) or jsonencode([...]) straight
// from the syntax: an object or tuple constructor, nested to any depth,
// whose keys and leaves HCL evaluates (string templates are joined here).
// The usual evaluation builds a cty object (and its type) for every
// constructor, then walks the whole value twice more before marshaling it:
// most of the garbage a large configuration makes. ok is false, and the
// caller evaluates the expression as usual, for anything else: another
// function, an expansion, a diagnostic, an unknown or marked value, a key
// that is not a known string or that is given twice. The bytes are those
// jsonencode writes for the value HCL computes (jsonencode_test.go and
// fastpath_test.go compare them). HCL's evaluation of an expression in a
// context has no effects, so the order in which the keys and leaves are
// evaluated (keys first, then the values in the order of their keys) does
// not change them.
func jsonencodeSyntax(fc *hclsyntax.FunctionCallExpr, ctx *hcl.EvalContext) (s string, ok bool) {
	if fc.Name != "jsonencode" || len(fc.Args) != 1 || fc.ExpandFinal || ctx == nil || ctx.Parent() != nil {
		return "", false
	}
	if f, found := ctx.Functions["jsonencode"]; !found || f != jsonencodeFunc {
		return "", false
	}
	switch fc.Args[0].(type) {
	case *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr:
	default:
		return "", false
	}
	defer func() {
		if recover() != nil {
			s, ok = "", false // the usual evaluation decides
		}
	}()
	bp := jsonBufs.Get().(*[]byte)
	defer jsonBufs.Put(bp)
	b, ok := appendSyntaxJSON((*bp)[:0], fc.Args[0], ctx)
	*bp = b
	if !ok {
		return "", false
	}
	return string(b), true
}

// jsonBufs are the buffers jsonencodeSyntax writes in.
var jsonBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// syntaxAttr is an attribute of an object constructor.
type syntaxAttr struct {
	name  string
	value hclsyntax.Expression
}

func appendSyntaxJSON(b []byte, e hclsyntax.Expression, ctx *hcl.EvalContext) ([]byte, bool) {
	ok := true
	switch e := e.(type) {
	case *hclsyntax.TupleConsExpr:
		b = append(b, '[')
		for i, x := range e.Exprs {
			if i > 0 {
				b = append(b, ',')
			}
			if b, ok = appendSyntaxJSON(b, x, ctx); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	case *hclsyntax.ObjectConsExpr:
		// cty writes an object's attributes in the order of their names.
		var small [16]syntaxAttr
		attrs := small[:0]
		for _, item := range e.Items {
			name, ok := syntaxKey(item.KeyExpr, ctx)
			if !ok {
				return b, false
			}
			attrs = append(attrs, syntaxAttr{name, item.ValueExpr})
		}
		slices.SortFunc(attrs, func(x, y syntaxAttr) int { return strings.Compare(x.name, y.name) })
		b = append(b, '{')
		for i, a := range attrs {
			if i > 0 {
				if attrs[i-1].name == a.name {
					return b, false // HCL keeps the last; left to it
				}
				b = append(b, ',')
			}
			b = appendJSONName(b, a.name)
			b = append(b, ':')
			if b, ok = appendSyntaxJSON(b, a.value, ctx); !ok {
				return b, false
			}
		}
		return append(b, '}'), true
	case *hclsyntax.TemplateExpr:
		if s, ok := joinTemplate(e, ctx); ok {
			return appendJSONString(b, s), true
		}
	}
	v, diags := e.Value(ctx)
	if len(diags) > 0 {
		return b, false
	}
	return appendJSON(b, v, v.Type())
}

// joinTemplate is the string a template of literal strings and
// interpolations of known, unmarked strings makes, as
// TemplateExpr.Value computes it (a normalized string); ok is false for
// any other template, which HCL evaluates.
func joinTemplate(e *hclsyntax.TemplateExpr, ctx *hcl.EvalContext) (string, bool) {
	var small [8]string
	parts := small[:0]
	n := 0
	for _, p := range e.Parts {
		v, diags := p.Value(ctx)
		if len(diags) > 0 || v.IsMarked() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			return "", false
		}
		s := v.AsString()
		parts = append(parts, s)
		n += len(s)
	}
	var sb strings.Builder
	sb.Grow(n)
	ascii := true
	for _, s := range parts {
		sb.WriteString(s)
		ascii = ascii && isASCII(s)
	}
	if ascii {
		return sb.String(), true // NFC leaves ASCII as it is
	}
	return cty.StringVal(sb.String()).AsString(), true
}

// syntaxKey is the name an object constructor's key gives, as
// ObjectConsExpr.Value computes it; ok is false unless it is a known,
// unmarked, non-null string without diagnostics.
func syntaxKey(k hclsyntax.Expression, ctx *hcl.EvalContext) (string, bool) {
	if ke, ok := k.(*hclsyntax.ObjectConsKeyExpr); ok && !ke.ForceNonLiteral {
		// ObjectConsKeyExpr.Value: a naked name is the key (a longer
		// traversal is an error), as the string value cty.StringVal(name).
		if t, ok := ke.Wrapped.(*hclsyntax.ScopeTraversalExpr); ok && len(t.Traversal) > 1 {
			return "", false
		}
		if name := hcl.ExprAsKeyword(ke.Wrapped); name != "" {
			if isASCII(name) {
				return name, true
			}
			return cty.StringVal(name).AsString(), true
		}
		if te, ok := ke.Wrapped.(*hclsyntax.TemplateExpr); ok {
			return joinTemplate(te, ctx)
		}
	}
	v, diags := k.Value(ctx)
	if len(diags) > 0 || v.IsMarked() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// stringsOf is the list of strings a tuple constructor makes once
// converted to a list of strings, without its nulls, as
// aws_iam_policy_document reads actions, resources, identifiers and values;
// ok is false unless every element is a known, unmarked string or null
// (HCL and cty then convert the list).
func stringsOf(tc *hclsyntax.TupleConsExpr, ctx *hcl.EvalContext) ([]string, bool) {
	var out []string
	for _, x := range tc.Exprs {
		if te, ok := x.(*hclsyntax.TemplateExpr); ok {
			s, ok := joinTemplate(te, ctx)
			if !ok {
				return nil, false
			}
			out = append(out, s)
			continue
		}
		v, diags := x.Value(ctx)
		if len(diags) > 0 || v.IsMarked() || !v.IsKnown() {
			return nil, false
		}
		if v.IsNull() {
			continue
		}
		if v.Type() != cty.String {
			return nil, false
		}
		out = append(out, v.AsString())
	}
	return out, true
}

// isASCII says s is ASCII, which NFC leaves as it is.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
