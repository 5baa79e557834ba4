package tfhcl

import (
	"encoding/json"
	"sort"
	"strings"

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
			var b strings.Builder
			if appendJSON(&b, v, v.Type()) {
				return cty.StringVal(b.String()), nil
			}
		}
		return stdlib.JSONEncodeFunc.Call(args)
	},
})

// appendJSON writes v (of type t) as cty's json.Marshal does; false when v
// holds something it leaves to the stdlib function.
func appendJSON(b *strings.Builder, v cty.Value, t cty.Type) bool {
	if v.IsMarked() || !v.IsKnown() || t == cty.DynamicPseudoType {
		return false
	}
	if v.IsNull() {
		b.WriteString("null")
		return true
	}
	switch {
	case t == cty.String:
		appendJSONString(b, v.AsString())
	case t == cty.Bool:
		if v.True() {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case t == cty.Number:
		if v.RawEquals(cty.PositiveInfinity) || v.RawEquals(cty.NegativeInfinity) {
			return false
		}
		b.WriteString(v.AsBigFloat().Text('f', -1))
	case t.IsListType(), t.IsSetType():
		b.WriteByte('[')
		ety := t.ElementType()
		first := true
		for it := v.ElementIterator(); it.Next(); {
			if !first {
				b.WriteByte(',')
			}
			first = false
			_, ev := it.Element()
			if !appendJSON(b, ev, ety) {
				return false
			}
		}
		b.WriteByte(']')
	case t.IsTupleType():
		b.WriteByte('[')
		etys := t.TupleElementTypes()
		i := 0
		for it := v.ElementIterator(); it.Next(); {
			if i > 0 {
				b.WriteByte(',')
			}
			_, ev := it.Element()
			if !appendJSON(b, ev, etys[i]) {
				return false
			}
			i++
		}
		b.WriteByte(']')
	case t.IsMapType():
		b.WriteByte('{')
		ety := t.ElementType()
		first := true
		for it := v.ElementIterator(); it.Next(); {
			if !first {
				b.WriteByte(',')
			}
			first = false
			ek, ev := it.Element()
			if !appendJSON(b, ek, ek.Type()) {
				return false
			}
			b.WriteByte(':')
			if !appendJSON(b, ev, ety) {
				return false
			}
		}
		b.WriteByte('}')
	case t.IsObjectType():
		b.WriteByte('{')
		atys := t.AttributeTypes()
		names := make([]string, 0, len(atys))
		for k := range atys {
			names = append(names, k)
		}
		sort.Strings(names)
		for i, k := range names {
			if i > 0 {
				b.WriteByte(',')
			}
			// cty's json.Marshal writes a name as the string value
			// cty.StringVal(name), which is normalized (NFC).
			if plainASCII(k) {
				b.WriteByte('"')
				b.WriteString(k)
				b.WriteByte('"')
			} else {
				appendJSONString(b, cty.StringVal(k).AsString())
			}
			b.WriteByte(':')
			if !appendJSON(b, v.GetAttr(k), atys[k]) {
				return false
			}
		}
		b.WriteByte('}')
	default:
		return false // capsules
	}
	return true
}

// appendJSONString writes s as encoding/json.Marshal does (cty's json.Marshal
// uses it for strings), escaping HTML characters.
func appendJSONString(b *strings.Builder, s string) {
	if plainASCII(s) {
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	j, _ := json.Marshal(s) // a string always marshals
	b.Write(j)
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
// whose keys and leaves HCL evaluates. The usual evaluation builds a cty
// object (and its type) for every constructor, then walks the whole value
// twice more before marshaling it: most of the garbage a large
// configuration makes. ok is false, and the caller evaluates the
// expression as usual, for anything else: another function, an expansion,
// a diagnostic, an unknown or marked value, a key that is not a known
// string or that is given twice. The bytes are those jsonencode writes for
// the value HCL computes (jsonencode_test.go compares them).
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
	var b strings.Builder
	if !appendSyntaxJSON(&b, fc.Args[0], ctx) {
		return "", false
	}
	return b.String(), true
}

func appendSyntaxJSON(b *strings.Builder, e hclsyntax.Expression, ctx *hcl.EvalContext) bool {
	switch e := e.(type) {
	case *hclsyntax.TupleConsExpr:
		b.WriteByte('[')
		for i, x := range e.Exprs {
			if i > 0 {
				b.WriteByte(',')
			}
			if !appendSyntaxJSON(b, x, ctx) {
				return false
			}
		}
		b.WriteByte(']')
		return true
	case *hclsyntax.ObjectConsExpr:
		// An object's attributes are written in the order of their names:
		// each value goes to its own builder, then in order to b.
		type attr struct{ name, json string }
		attrs := make([]attr, 0, len(e.Items))
		for _, item := range e.Items {
			name, ok := syntaxKey(item.KeyExpr, ctx)
			if !ok {
				return false
			}
			var vb strings.Builder
			if !appendSyntaxJSON(&vb, item.ValueExpr, ctx) {
				return false
			}
			attrs = append(attrs, attr{name, vb.String()})
		}
		sort.Slice(attrs, func(i, j int) bool { return attrs[i].name < attrs[j].name })
		b.WriteByte('{')
		for i, a := range attrs {
			if i > 0 {
				if attrs[i-1].name == a.name {
					return false // HCL keeps the last; left to it
				}
				b.WriteByte(',')
			}
			if plainASCII(a.name) {
				b.WriteByte('"')
				b.WriteString(a.name)
				b.WriteByte('"')
			} else {
				appendJSONString(b, cty.StringVal(a.name).AsString())
			}
			b.WriteByte(':')
			b.WriteString(a.json)
		}
		b.WriteByte('}')
		return true
	}
	v, diags := e.Value(ctx)
	if len(diags) > 0 {
		return false
	}
	return appendJSON(b, v, v.Type())
}

// syntaxKey is the name an object constructor's key gives, as
// ObjectConsExpr.Value computes it; ok is false unless it is a known,
// unmarked, non-null string without diagnostics.
func syntaxKey(k hclsyntax.Expression, ctx *hcl.EvalContext) (string, bool) {
	v, diags := k.Value(ctx)
	if len(diags) > 0 || v.IsMarked() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}
