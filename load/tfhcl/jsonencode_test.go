package tfhcl

import (
	"math/big"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// sameCall says jsonencodeFunc answers as stdlib.JSONEncodeFunc does for v:
// the same value (bytes, marks, refinements) or the same error.
func sameCall(t *testing.T, v cty.Value) {
	t.Helper()
	want, wantErr := stdlib.JSONEncodeFunc.Call([]cty.Value{v})
	got, gotErr := jsonencodeFunc.Call([]cty.Value{v})
	if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
		t.Fatalf("jsonencode(%#v): error %v, want %v", v, gotErr, wantErr)
	}
	if wantErr != nil {
		return
	}
	if !sameValue(got, want) {
		t.Fatalf("jsonencode(%#v)\n got %#v\nwant %#v", v, got, want)
	}
}

// sameValue compares values with their marks and refinements.
func sameValue(a, b cty.Value) bool {
	ua, _ := a.UnmarkDeep()
	ub, _ := b.UnmarkDeep()
	return a.RawEquals(b) && ua.GoString() == ub.GoString()
}

func TestJSONEncodeLikeStdlib(t *testing.T) {
	big1, _ := new(big.Float).SetString("123456789012345678901234567890.125")
	strs := []string{"", "a", "Allow", "arn:aws:s3:::b/*", `q"uote`, `back\slash`, "<b>&amp;</b>", "tab\there", "nl\n",
		"\x00\x1f\x7f", "é", "e\u0301", "日本", "\u2028\u2029", "\xff\xfe", "emoji 😀", "ﬁ"}
	var prims []cty.Value
	for _, s := range strs {
		prims = append(prims, cty.StringVal(s))
	}
	prims = append(prims, cty.NumberIntVal(0), cty.NumberIntVal(-42), cty.NumberFloatVal(1.5), cty.NumberFloatVal(1e21),
		cty.NumberFloatVal(-1e-7), cty.NumberVal(big1), cty.PositiveInfinity, cty.NegativeInfinity,
		cty.True, cty.False, cty.NullVal(cty.String), cty.NullVal(cty.Number), cty.NullVal(cty.DynamicPseudoType))
	odd := []cty.Value{
		cty.UnknownVal(cty.String), cty.DynamicVal, cty.UnknownVal(cty.String).RefineNotNull(),
		cty.StringVal("x").Mark(why("w")), cty.DynamicVal.Mark(why("unknown, with a reason")),
		cty.UnknownVal(cty.List(cty.String)).RefineNotNull(), cty.NullVal(cty.List(cty.String)),
		cty.NullVal(cty.Object(map[string]cty.Type{"a": cty.String})),
		cty.CapsuleVal(cty.Capsule("c", reflect.TypeOf(struct{ A int }{})), &struct{ A int }{A: 1}),
	}
	var cases []cty.Value
	cases = append(cases, prims...)
	cases = append(cases, odd...)
	for i, p := range append(append([]cty.Value{}, prims...), odd...) {
		cases = append(cases,
			cty.TupleVal([]cty.Value{p}),
			cty.TupleVal([]cty.Value{cty.StringVal("a"), p, cty.NumberIntVal(int64(i))}),
			cty.ObjectVal(map[string]cty.Value{"k": p, "Z": cty.StringVal("z"), "a b": cty.True}),
			cty.ObjectVal(map[string]cty.Value{"e\u0301": p, "<&>": cty.StringVal("x")}),
			cty.MapVal(map[string]cty.Value{"b": p, "a": p}),
		)
		if !p.Type().Equals(cty.DynamicPseudoType) && p.IsKnown() && !p.IsMarked() && p.Type().IsPrimitiveType() {
			cases = append(cases, cty.ListVal([]cty.Value{p, p}), cty.SetVal([]cty.Value{p}))
		}
	}
	cases = append(cases,
		cty.EmptyObjectVal, cty.EmptyTupleVal, cty.ListValEmpty(cty.String), cty.MapValEmpty(cty.Number), cty.SetValEmpty(cty.Bool),
		cty.SetVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a"), cty.StringVal("c")}),
		cty.SetVal([]cty.Value{cty.NumberIntVal(10), cty.NumberIntVal(2), cty.NumberFloatVal(2.5)}),
		cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x")}), cty.ObjectVal(map[string]cty.Value{"a": cty.NullVal(cty.String)})}),
		cty.ObjectVal(map[string]cty.Value{"Statement": cty.TupleVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"Action": cty.ListVal([]cty.Value{cty.StringVal("s3:*")}), "Condition": cty.MapVal(map[string]cty.Value{
				"Bool": cty.MapVal(map[string]cty.Value{"aws:SecureTransport": cty.StringVal("false")})})}),
			cty.ObjectVal(map[string]cty.Value{"Deep": cty.ObjectVal(map[string]cty.Value{"x": cty.UnknownVal(cty.String).Mark(why("later"))})}),
		})}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x")}).Mark(why("whole")),
		cty.ListVal([]cty.Value{cty.StringVal("x").Mark(why("one")), cty.StringVal("y")}),
	)
	for _, v := range cases {
		sameCall(t, v)
	}
}

// TestJSONEncodeInHCL evaluates jsonencode expressions as the loader does,
// with the stdlib function and with jsonencodeFunc.
func TestJSONEncodeInHCL(t *testing.T) {
	vars := map[string]cty.Value{
		"local": cty.ObjectVal(map[string]cty.Value{
			"known":   cty.StringVal("111122223333"),
			"unknown": unknown("the key ARN is generated when the key is created"),
			"marked":  cty.StringVal("m").Mark(why("marked")),
			"list":    cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}),
		}),
	}
	for _, src := range []string{
		`jsonencode({Version = "2012-10-17", Statement = [{Sid = "A", Principal = { AWS = "arn:aws:iam::${local.known}:root" }, Action = ["kms:*"], Resource = "*"}]})`,
		`jsonencode({a = local.unknown, b = 1})`,
		`jsonencode([local.marked, 1.25, true, null])`,
		`jsonencode(local.list)`,
		`jsonencode({ "aws:SourceArn" = "x", n = 1e30, m = -0.000001 })`,
		`jsonencode(null)`,
		`jsonencode(local.unknown)`,
		`jsonencode("<&>")`,
		`jsonencode(1/0)`,
		`jsonencode(tolist([local.known, local.unknown]))`,
		`jsonencode({ for k in ["b", "a"] : k => upper(k) })`,
		`jsonencode(toset(["b", "a", "b"]))`,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", src, diags)
		}
		eval := func(f any) (cty.Value, string) {
			fs := (&loader{}).functions()
			if f != nil {
				fs["jsonencode"] = stdlib.JSONEncodeFunc
			}
			v, d := expr.Value(&hcl.EvalContext{Variables: vars, Functions: fs})
			return v, d.Error()
		}
		want, wantDiags := eval(true)
		got, gotDiags := eval(nil)
		if gotDiags != wantDiags || !sameValue(got, want) {
			t.Errorf("%s\n got %#v %s\nwant %#v %s", src, got, gotDiags, want, wantDiags)
		}
	}
}

// TestJSONEncodeSyntax compares jsonencode written from the syntax with
// HCL's evaluation using the stdlib function, and checks it takes the
// expressions it should.
func TestJSONEncodeSyntax(t *testing.T) {
	vars := map[string]cty.Value{
		"local": cty.ObjectVal(map[string]cty.Value{
			"k":       cty.StringVal("Sid"),
			"n":       cty.NumberIntVal(7),
			"nfd":     cty.StringVal("e\u0301"),
			"unknown": unknown("later"),
			"marked":  cty.StringVal("m").Mark(why("marked")),
			"null":    cty.NullVal(cty.String),
			"obj":     cty.ObjectVal(map[string]cty.Value{"b": cty.True, "a": cty.ListVal([]cty.Value{cty.StringVal("x")})}),
		}),
	}
	for _, c := range []struct {
		src  string
		fast bool
	}{
		{`jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "A", Principal = { AWS = "arn:aws:iam::${local.k}:root" }, Action = ["kms:*"], n = local.n }] })`, true},
		{`jsonencode({ b = 1, a = [true, null, 1.5, -0.25, "<&>"], "c d" = { z = local.obj, "${local.k}" = "caf\u0065\u0301-${local.k}" } })`, true},
		{`jsonencode([local.nfd, "${local.nfd}x", "x${local.n}", "%{if true}y%{endif}"])`, true},
		{`jsonencode({ (local.k) = 1, "\u00e9" = 2, "e\u0301x" = 3, null = null, true = [null] })`, true},
		{`jsonencode({ "\u00e9" = 2, "e\u0301" = 3 })`, false}, // the same name, once normalized
		{`jsonencode({ "${local.k}" = 1, "x${local.k}" = 2, "caf\u0065\u0301" = 4, ("${local.k}y") = 5 })`, true},
		{`jsonencode({})`, true},
		{`jsonencode([])`, true},
		{`jsonencode({ a = 1, a = 2 })`, false},
		{`jsonencode({ a = local.unknown })`, false},
		{`jsonencode({ a = "${local.unknown}x" })`, false},
		{`jsonencode({ a = local.marked })`, false},
		{`jsonencode({ a = "x${local.null}" })`, false},
		{`jsonencode({ (local.n) = 1 })`, false},
		{`jsonencode({ (local.null) = 1 })`, false},
		{`jsonencode({ a = nosuch.thing })`, false},
		{`jsonencode({ a = 1 / 0 })`, false},
		{`jsonencode(local.obj)`, false},
		{`jsonencode([local.obj]...)`, false},
		{`jsonencode({ a.b = 1 })`, false},
		{`jsonencode({ "${nokey}" = 1 })`, false},
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(c.src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", c.src, diags)
		}
		fs := (&loader{}).functions()
		s, ok := jsonencodeSyntax(expr.(*hclsyntax.FunctionCallExpr), &hcl.EvalContext{Variables: vars, Functions: fs})
		if ok != c.fast {
			t.Errorf("%s: written from the syntax: %v, want %v", c.src, ok, c.fast)
		}
		if !ok {
			continue
		}
		fs["jsonencode"] = stdlib.JSONEncodeFunc
		want, d := expr.Value(&hcl.EvalContext{Variables: vars, Functions: fs})
		if d.HasErrors() || !want.IsKnown() || want.IsMarked() || want.AsString() != s {
			t.Errorf("%s\n got %s\nwant %#v %v", c.src, s, want, d)
		}
	}
}

// TestStringsOf compares the strings of a tuple constructor with the list
// of strings cty converts the tuple to, without its nulls.
func TestStringsOf(t *testing.T) {
	vars := map[string]cty.Value{"local": cty.ObjectVal(map[string]cty.Value{
		"s": cty.StringVal("x"), "nfd": cty.StringVal("e\u0301"), "n": cty.NumberIntVal(1), "null": cty.NullVal(cty.String),
		"unknown": unknown("later"), "marked": cty.StringVal("m").Mark(why("marked")),
	})}
	for _, c := range []struct {
		src  string
		fast bool
	}{
		{`["a", local.s, "${local.s}-${local.nfd}", null, local.null, "caf\u0065\u0301"]`, true},
		{`[]`, true},
		{`[null]`, true},
		{`[local.n]`, false},
		{`[true]`, false},
		{`[local.unknown]`, false},
		{`["${local.unknown}"]`, false},
		{`[local.marked]`, false},
		{`["a", ["b"]]`, false},
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(c.src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", c.src, diags)
		}
		ctx := &hcl.EvalContext{Variables: vars}
		got, ok := stringsOf(expr.(*hclsyntax.TupleConsExpr), ctx)
		if ok != c.fast {
			t.Errorf("%s: read from the syntax: %v, want %v", c.src, ok, c.fast)
		}
		if !ok {
			continue
		}
		v, _ := expr.Value(ctx)
		lv, err := convert.Convert(v, cty.List(cty.String))
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		var want []string
		for _, e := range lv.AsValueSlice() {
			if !e.IsNull() {
				want = append(want, e.AsString())
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q, want %q", c.src, got, want)
		}
	}
}

// FuzzJSONEncode builds values from bytes and compares jsonencodeFunc with
// stdlib.JSONEncodeFunc.
func FuzzJSONEncode(f *testing.F) {
	f.Add([]byte{6, 3, 0, 'a', 1, 2, 5})
	f.Add([]byte{7, 2, 0, 200, 1, 9, 4, 3})
	f.Add([]byte{8, 3, 3, 1, 11, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &valueGen{data: data}
		v := g.value(0)
		sameCall(t, v)
		if u, _ := v.UnmarkDeep(); !unmarkDeep(v).RawEquals(u) {
			t.Fatalf("unmarkDeep(%#v) = %#v, want %#v", v, unmarkDeep(v), u)
		}
	})
}

// valueGen turns bytes into a cty value.
type valueGen struct {
	data []byte
	i    int
}

func (g *valueGen) next() byte {
	if g.i >= len(g.data) {
		return 0
	}
	b := g.data[g.i]
	g.i++
	return b
}

func (g *valueGen) str() string {
	n := int(g.next() % 8)
	var b []byte
	for range n {
		b = append(b, g.next())
	}
	return string(b)
}

func (g *valueGen) value(depth int) cty.Value {
	k := g.next() % 13
	if depth > 4 && k >= 6 {
		k %= 6
	}
	switch k {
	case 0:
		return cty.StringVal(g.str())
	case 1:
		return cty.NumberIntVal(int64(int8(g.next())))
	case 2:
		return cty.NumberFloatVal(float64(int8(g.next())) / 8)
	case 3:
		return cty.BoolVal(g.next()%2 == 0)
	case 4:
		return cty.NullVal([]cty.Type{cty.String, cty.Number, cty.DynamicPseudoType, cty.List(cty.String)}[g.next()%4])
	case 5:
		if g.next()%2 == 0 {
			return unknown("%s", g.str())
		}
		return cty.UnknownVal(cty.String)
	case 6, 7:
		n := int(g.next() % 4)
		vals := make([]cty.Value, n)
		for i := range vals {
			vals[i] = g.value(depth + 1)
		}
		return cty.TupleVal(vals)
	case 8, 9:
		n := int(g.next() % 4)
		vals := map[string]cty.Value{}
		for range n {
			vals[g.str()] = g.value(depth + 1)
		}
		return cty.ObjectVal(vals)
	case 10:
		n := int(g.next()%4) + 1
		vals := make([]cty.Value, n)
		for i := range vals {
			vals[i] = cty.StringVal(g.str())
		}
		if g.next()%2 == 0 {
			return cty.SetVal(vals)
		}
		return cty.ListVal(vals)
	case 11:
		n := int(g.next()%3) + 1
		vals := map[string]cty.Value{}
		for range n {
			vals[g.str()] = cty.NumberIntVal(int64(g.next()))
		}
		return cty.MapVal(vals)
	default:
		return g.value(depth + 1).Mark(why(g.str()))
	}
}
