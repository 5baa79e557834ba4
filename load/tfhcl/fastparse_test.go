package tfhcl

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/logpath/logpath/internal/genfleet"
)

// checkFastParse says what is wrong with fastParse on src: when it parses
// src, hclsyntax must parse it without a diagnostic into the same syntax
// tree, every range included. It returns whether fastParse parsed it.
func checkFastParse(t *testing.T, name string, src []byte, start hcl.Pos) bool {
	t.Helper()
	got, _ := fastParse(src, "main.tf", start)
	if got == nil {
		return false
	}
	file, diags := hclsyntax.ParseConfig(src, "main.tf", start)
	if len(diags) > 0 {
		t.Fatalf("%s: fastParse parsed what hclsyntax rejects: %v\n%q", name, diags, src)
	}
	want := file.Body.(*hclsyntax.Body)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: fastParse's syntax tree differs from hclsyntax's:\n%s\nsource: %q", name, firstDiff(reflect.ValueOf(got), reflect.ValueOf(want), "body"), src)
	}
	return true
}

// firstDiff names the first place two trees differ, for the failure.
func firstDiff(a, b reflect.Value, path string) string {
	if a.IsValid() != b.IsValid() {
		return path + ": one is missing"
	}
	if !a.IsValid() {
		return ""
	}
	if a.Type() != b.Type() {
		return path + ": " + a.Type().String() + " vs " + b.Type().String()
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() != b.IsNil() {
			return path + ": nil vs not nil"
		}
		if a.IsNil() {
			return ""
		}
		return firstDiff(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			if d := firstDiff(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return path + ": slices of other lengths or nil-ness"
		}
		for i := range a.Len() {
			if d := firstDiff(a.Index(i), b.Index(i), path+"["+strconv.Itoa(i)+"]"); d != "" {
				return d
			}
		}
		return ""
	case reflect.Map:
		if a.Len() != b.Len() {
			return path + ": maps of other sizes"
		}
		for _, k := range a.MapKeys() {
			if d := firstDiff(a.MapIndex(k), b.MapIndex(k), path+"["+k.String()+"]"); d != "" {
				return d
			}
		}
		return ""
	}
	if a.CanInterface() && !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return path + ": " + strings.TrimSpace(reflect.ValueOf(a.Interface()).String()) + " vs " + reflect.ValueOf(b.Interface()).String()
	}
	return ""
}

// Every construct of the subset, each compared with hclsyntax; and what is
// outside it, for which fastParse must give up.
func TestFastParseMatchesHCLSyntax(t *testing.T) {
	inside := map[string]string{
		"empty":                      "",
		"only newlines":              "\n\n",
		"only a comment":             "# x",
		"comment first":              "# x\n// y\na = 1\n",
		"attribute at EOF":           "a = 1",
		"spaces at EOF":              "a = 1\n  \t",
		"numbers and literals":       "a = 0\nb = 12345\nc = true\nd = false\ne = null\n",
		"strings":                    "a = \"\"\nb = \"x y {} [] # // '\"\nc = \"\t\"\n",
		"templates":                  "a = \"${x}\"\nb = \"x-${y.z}\"\nc = \"${a}${b}\"\nd = \"${a}-${b}/c\"\ne = \"${\"q\"}\"\n",
		"nested template":            "a = \"${join(\",\", [\"${b}\", c])}\"\n",
		"traversals":                 "a = b.c.d\nb = c[0]\nc = d[\"k\"].e\nd = e[f]\ne = g[h].i[0]\nf = null.x\ng = \"s\"[0]\n",
		"index of a template":        "a = b[\"${c}\"]\n",
		"function calls":             "a = f()\nb = g(1)\nc = h(1, \"x\",)\nd = i(\n  j,\n  k\n)\ne = f(g(h()))\n",
		"tuples":                     "a = []\nb = [1]\nc = [1, 2,]\nd = [\n  1,\n  # c\n  2\n]\n",
		"objects":                    "a = {}\nb = { x = 1 }\nc = { x = 1, y = 2 }\nd = {\n  x = 1\n\n  \"y\" = 2 # c\n  z = {\n    w = [a.b]\n  }\n}\n",
		"object keys":                "a = { b.c = 1, \"${d}\" = 2, e[0] = 3 }\n",
		"blocks":                     "r \"t\" \"n\" {\n  a = 1\n  b {\n    c = 2\n  }\n}\nd {}\ne \"\" {\n}\nf g {\n}\n",
		"block comment after {":      "r { # c\n  a = 1 // d\n}\n",
		"jsonencode policy":          "p = jsonencode({\n  Version = \"2012-10-17\"\n  Statement = [\n    {\n      Effect = \"Allow\"\n      Action = [\"kms:*\"]\n      Condition = { StringEquals = { \"aws:SourceAccount\" = local.a } }\n    },\n  ]\n})\n",
		"identifiers with -":         "a-b = c-d.e-f\n",
		"call across newline":        "a = [f\n(1)]\n",
		"for as a reference":         "a = for\n",
		"operators":                  "a = 1 + 2\nb = a * b / c % d - e + f\nc = a == \"x\" && b != 1 || c < 2\nd = a >= 1 && b <= 2 || !c\ne = a > b\n",
		"unary":                      "a = -1\nb = -1 + 2\nc = !a.b[0]\nd = - - 1\ne = !(a || b)\n",
		"conditionals":               "count = var.x ? 1 : 0\nb = a ? b : c ? d : e\nc = (a ? b : c) ? d : e\nd = a == \"\" ? null : a\n",
		"parentheses":                "a = (b)\nb = (a)[0].b\nc = (\n  1 +\n  2\n)\nd = ((a))\n",
		"object key forms":           "a = { (b) = 1, c: 2, \"d\": 3 }\n",
		"escapes":                    "a = \"\\n\\t\\\"\\\\\"\nb = \"x\\u00e9y\"\nc = \"${a}\\n${b}\"\nr \"a\\\"b\" {\n}\n",
		"operators in interpolation": "a = \"${b + 1}-${c ? d : e}\"\n",
		"splats":                     "a = b[*].c\nb = b.*.c\nc = b[*]\nd = b.*\ne = b[*].c[0][*].d\nf = b.*.c.d\ng = b[*].c.*.d\nh = f(x)[*].y\n",
		"for expressions":            "a = [for x in y : x]\nb = {for k, v in y : k => v}\nc = [for x in y : x.z if x.ok]\nd = {for k, v in y : v => k...}\ne = [\n  for x in [for y in z : y] :\n  x\n]\nf = { for x in y: x => 1 if x != \"\" }\n",
		"expanded argument":          "a = f(b...)\nb = concat(c, d...)\n",
		"heredocs":                   "a = <<EOT\nx\n  y \\ \"z\"\nEOT\nb = <<EOT\nEOT\nc = <<-EOT\n    x\n      y\n\n    z\n    EOT\nd = <<EOT\n${a}\nEOT\ne = <<-EOT\n  a ${b} c\n    ${d}\n  EOT\n",
		"heredoc policy":             "policy = <<-POLICY\n  {\n    \"Version\": \"2012-10-17\",\n    \"Resource\": \"arn:aws:s3:::${var.b}/*\"\n  }\n  POLICY\nx = 1\n",
		"heredoc in an object":       "a = {\n  b = <<EOT\nx\nEOT\n  c = 1\n}\n",
		"heredoc marker forms":       "a = <<EOT-1\nx\n  EOT-1  \nb = <<_E\n\n_E\n",
		"comparison of calls":        "a = length(b) > 0 ? b[0] : \"none\"\n",
	}
	for name, src := range inside {
		for _, start := range []hcl.Pos{hcl.InitialPos, {Line: 7, Column: 1, Byte: 300}, {Line: 2, Column: 5, Byte: 9}} {
			if !checkFastParse(t, name, []byte(src), start) {
				t.Errorf("%s: fastParse gave up on %q", name, src)
			}
		}
	}
	outside := map[string]string{
		"fraction":                 "a = 1.5\n",
		"exponent":                 "a = 1e3\n",
		"legacy index in splat":    "a = b.*.0\n",
		"key in a tuple for":       "a = [for k, v in m : k => v]\n",
		"no key in an object for":  "a = {for v in m : v}\n",
		"group in a tuple for":     "a = [for v in m : v...]\n",
		"argument after expansion": "a = f(b..., c)\n",
		"heredoc without newline":  "a = <<EOT",
		"unterminated heredoc":     "a = <<EOT\nx\n",
		"heredoc marker at EOF":    "a = <<EOT\nx\nEOT",
		"heredoc with CRLF":        "a = <<EOT\r\nx\r\nEOT\r\n",
		"heredoc escape":           "a = <<EOT\n$${x}\nEOT\n",
		"heredoc directive":        "a = <<EOT\n%{if x}y%{endif}\nEOT\n",
		"bad escape":               "a = \"\\q\"\n",
		"escape at the end":        "a = \"x\\",
		"bitwise and":              "a = b & c\n",
		"missing false result":     "a = b ? c\n",
		"unclosed parenthesis":     "a = (b\n",
		"legacy index":             "a = b.0\n",
		"literal dollar":           "a = \"$5\"\n",
		"escaped interp":           "a = \"$${x}\"\n",
		"directive":                "a = \"%{if x}y%{endif}\"\n",
		"strip marker":             "a = \"${~x}\"\n",
		"block comment":            "/* x */\na = 1\n",
		"crlf":                     "a = 1\r\n",
		"non-ASCII":                "a = \"é\"\n",
		"non-ASCII comment":        "# é\na = 1\n",
		"single-line block":        "r { a = 1 }\n",
		"namespaced function":      "a = provider::aws::f(1)\n",
		"redefined attribute":      "a = 1\na = 2\n",
		"missing newline":          "a = 1 b = 2\n",
		"unclosed block":           "r {\n",
		"unclosed string":          "a = \"x\n",
		"newline in interp":        "a = \"${\nx}\"\n",
		"stray brace":              "}\n",
		"quoted attribute":         "\"a\" = 1\n",
		"label interpolation":      "r \"${x}\" {\n}\n",
		"number then ident":        "a = 0x10\n",
		"missing object value":     "a = { b }\n",
		"missing comma":            "a = [1 2]\n",
		"control character":        "a = 1 \x01\n",
	}
	for name, src := range outside {
		if checkFastParse(t, name, []byte(src), hcl.InitialPos) {
			t.Errorf("%s: fastParse parsed %q, which is outside the subset", name, src)
		}
	}
}

// The generated fleet, every Terraform file of the tests and examples:
// where fastParse parses a file, the tree is hclsyntax's; and it parses
// every file of the fleet, in every piece, which is what makes `logpath
// check` on it fast.
func TestFastParseFiles(t *testing.T) {
	fleet := t.TempDir()
	if err := genfleet.WriteTerraform(fleet, 40); err != nil {
		t.Fatal(err)
	}
	generated, _ := filepath.Glob(filepath.Join(fleet, "*.tf"))
	files := terraformFiles(t, "testdata", filepath.Join("..", "..", "examples"), filepath.Join("..", "..", "cmd", "logpath", "testdata"))
	parsed := 0
	for _, f := range append(files, generated...) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if checkFastParse(t, f, src, hcl.InitialPos) {
			parsed++
		}
		for _, p := range splitPieces(0, src, 512) {
			ok := checkFastParse(t, f, src[p.start:p.end], hcl.Pos{Line: p.line, Column: 1, Byte: p.start})
			if !ok && strings.HasPrefix(f, fleet) {
				t.Errorf("%s: fastParse gave up on the piece at line %d", f, p.line)
			}
		}
	}
	t.Logf("fastParse parsed %d of %d files whole", parsed, len(files)+len(generated))
}

// terraformFiles lists the .tf and .tfvars files under the roots; the
// repository has more than a dozen, and fewer means the walk went wrong.
func terraformFiles(t *testing.T, roots ...string) []string {
	t.Helper()
	var files []string
	for _, root := range roots {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".tf") || strings.HasSuffix(path, ".tfvars")) {
				files = append(files, path)
			}
			return nil
		})
	}
	if len(files) < 12 {
		t.Fatalf("only %d Terraform files found under %v", len(files), roots)
	}
	return files
}

// FuzzFastParse: fastParse gives up or gives hclsyntax's tree.
func FuzzFastParse(f *testing.F) {
	for _, dir := range []string{"seed", "fixed", "module"} {
		if src, err := os.ReadFile(filepath.Join("testdata", dir, "main.tf")); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("a = \"${join(\",\", [\"${b}\", c])}\"\nr \"t\" {\n  b = { x = [1, f(g)], \"y\" = z[0].w }\n}\n"))
	f.Add([]byte("# c\nd {}\ne = [\n  1, # x\n]\n"))
	f.Add([]byte("count = var.x ? 1 : 0\na = !(b || c) && -d[0] >= 2 * (e - 1) % 3\nb = { (k): \"v\\n${w}\" }\n"))
	f.Add([]byte("a = [for k, v in m : v.x[*].y if k != \"\"]\nb = {for x in l : x.id => x...}\nc = f(d.*.e...)\n"))
	f.Add([]byte("p = <<-EOT\n  {\n    \"a\": \"${b}\"\n\n  }\n  EOT\nq = <<EOT\n${c}\nEOT\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFastParse(t, "fuzz", src, hcl.InitialPos)
	})
}

// BenchmarkParseFleetFile parses one file of the generated fleet (100
// firewalls, 416 KB) in the pieces parseFiles cuts, with hclsyntax and
// with fastParse: the front end of `logpath check` on Terraform.
func BenchmarkParseFleetFile(b *testing.B) {
	dir := b.TempDir()
	if err := genfleet.WriteTerraform(dir, 100); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "firewalls-*.tf"))
	src, err := os.ReadFile(files[0])
	if err != nil {
		b.Fatal(err)
	}
	pieces := splitPieces(0, src, pieceSize)
	for _, bc := range []struct {
		name  string
		parse func(src []byte, at hcl.Pos) bool
	}{
		{"hclsyntax", func(src []byte, at hcl.Pos) bool {
			_, diags := hclsyntax.ParseConfig(src, "main.tf", at)
			return !diags.HasErrors()
		}},
		{"fastParse", func(src []byte, at hcl.Pos) bool { b, _ := fastParse(src, "main.tf", at); return b != nil }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range pieces {
					if !bc.parse(src[p.start:p.end], hcl.Pos{Line: p.line, Column: 1, Byte: p.start}) {
						b.Fatal("a piece does not parse")
					}
				}
			}
		})
	}
}

// TestFastParseGenerated compares fastParse with hclsyntax on random
// configurations written from the subset's grammar (and a little outside
// it), which reach combinations the fixed inputs and the fuzzer's
// mutations seldom do. The seed is fixed: a failure names its input.
func TestFastParseGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	parsed, valid := 0, 0
	const n = 3000
	for i := range n {
		var g hclGen
		g.r = r
		g.body(0)
		src := []byte(g.b.String())
		if checkFastParse(t, fmt.Sprintf("generated %d", i), src, hcl.InitialPos) {
			parsed++
		}
		if _, diags := hclsyntax.ParseConfig(src, "main.tf", hcl.InitialPos); !diags.HasErrors() {
			valid++
		}
	}
	t.Logf("fastParse parsed %d of the %d generated configurations hclsyntax accepts (of %d)", parsed, valid, n)
	if parsed < valid/4 {
		t.Errorf("fastParse parsed only %d of %d valid generated configurations", parsed, valid)
	}
}

// hclGen writes a random configuration.
type hclGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *hclGen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g *hclGen) body(depth int) {
	for range g.r.IntN(4) + 1 {
		g.b.WriteString(g.pick("", "  ", "\t"))
		switch g.r.IntN(6) {
		case 0:
			if depth < 3 {
				g.b.WriteString(g.pick("resource", "data", "rule", "x-y") + g.pick("", ` "aws_s3_bucket"`, ` "t" "n"`, " label", ` ""`) + " {" + g.pick("\n", " # c\n", "\n\n"))
				g.body(depth + 1)
				g.b.WriteString(g.pick("}\n", "}\n\n", "} # end\n"))
				continue
			}
			fallthrough
		default:
			fmt.Fprintf(&g.b, "a%d%s=%s", g.b.Len(), g.pick(" ", ""), g.pick(" ", "", "  "))
			g.expr(0)
			g.b.WriteString(g.pick("\n", " # c\n", " // d\n", "\n\n"))
		}
	}
	if g.r.IntN(8) == 0 {
		g.b.WriteString(g.pick("# comment\n", "// comment\n", "\n"))
	}
}

func (g *hclGen) expr(depth int) {
	if depth > 4 {
		g.b.WriteString(g.pick("1", "x", `"s"`, "true"))
		return
	}
	switch g.r.IntN(14) {
	case 0:
		g.b.WriteString(g.pick("0", "42", "null", "true", "false", "1.5", "1e3"))
	case 1:
		g.b.WriteString(g.pick("a", "local.b", "var.c[0]", `d["k"].e`, "f[g].h", "i.0", "j[*].k", "count.index"))
	case 2:
		g.b.WriteString(`"`)
		for range g.r.IntN(4) {
			switch g.r.IntN(5) {
			case 0:
				g.b.WriteString("${")
				g.expr(depth + 1)
				g.b.WriteString("}")
			case 1:
				g.b.WriteString(g.pick(`\n`, `\"`, `\\`, `\u0041`, `$$`, `%`, `\q`))
			default:
				g.b.WriteString(g.pick("abc", "arn:aws:s3:::b/*", " ", "-", "{x}"))
			}
		}
		g.b.WriteString(`"`)
	case 3, 4:
		g.b.WriteString(g.pick("[", "[\n", "[ "))
		for i := range g.r.IntN(4) {
			if i > 0 {
				g.b.WriteString(g.pick(",", ", ", ",\n", ", # c\n"))
			}
			g.expr(depth + 1)
		}
		g.b.WriteString(g.pick("]", ",]", "\n]"))
	case 5, 6:
		g.b.WriteString(g.pick("{", "{\n", "{ "))
		for i := range g.r.IntN(4) {
			if i > 0 {
				g.b.WriteString(g.pick(",", "\n", ", ", "\n\n", " # c\n"))
			}
			g.b.WriteString(g.pick("k", `"k:1"`, "(k)", "k.l", `"${k}"`))
			g.b.WriteString(g.pick(" = ", "=", ": "))
			g.expr(depth + 1)
		}
		g.b.WriteString(g.pick("}", "\n}", " }"))
	case 7:
		g.b.WriteString(g.pick("f", "jsonencode", "merge") + "(")
		for i := range g.r.IntN(3) {
			if i > 0 {
				g.b.WriteString(g.pick(",", ", ", ",\n"))
			}
			g.expr(depth + 1)
		}
		g.b.WriteString(g.pick(")", ",)", "...)"))
	case 8:
		g.expr(depth + 1)
		g.b.WriteString(g.pick(" + ", " - ", "*", " / ", " % ", " == ", " != ", " < ", " >= ", " && ", " || ", " & "))
		g.expr(depth + 1)
	case 9:
		g.expr(depth + 1)
		g.b.WriteString(g.pick(" ? ", "?"))
		g.expr(depth + 1)
		g.b.WriteString(g.pick(" : ", ":"))
		g.expr(depth + 1)
	case 10:
		g.b.WriteString(g.pick("-", "!", "- "))
		g.expr(depth + 1)
	case 11:
		g.b.WriteString("(")
		g.expr(depth + 1)
		g.b.WriteString(g.pick(")", ")[0]", ").x"))
	case 12:
		switch g.r.IntN(5) {
		case 0:
			g.b.WriteString(g.pick("é", "a.*.0", "<<EOT\r\nx\r\nEOT"))
		case 4:
			g.b.WriteString(g.pick("<<EOT\n", "<<-EOT\n"))
			for range g.r.IntN(4) {
				g.b.WriteString(g.pick("", " ", "  ", "\t", "    "))
				if g.r.IntN(3) == 0 {
					g.b.WriteString("${")
					g.expr(depth + 1)
					g.b.WriteString("}")
				}
				g.b.WriteString(g.pick("x", "", "\"q\" \\", "$$", "{}", "EOTX") + "\n")
			}
			g.b.WriteString(g.pick("EOT", "  EOT", "EOT  "))
		case 1:
			g.b.WriteString(g.pick("[for x in ", "[for i, x in ", "[\nfor x in "))
			g.expr(depth + 1)
			g.b.WriteString(" : ")
			g.expr(depth + 1)
			g.b.WriteString(g.pick("]", " if x]", "...]", "\n]"))
		case 2:
			g.b.WriteString(g.pick("{for k, v in ", "{ for v in ", "{\nfor k, v in "))
			g.expr(depth + 1)
			g.b.WriteString(": ")
			g.expr(depth + 1)
			g.b.WriteString(g.pick(" => ", " =>\n"))
			g.expr(depth + 1)
			g.b.WriteString(g.pick("}", "...}", " if k != \"\"}", "\n}"))
		default:
			g.expr(depth + 1)
			g.b.WriteString(g.pick("[*]", ".*", "[*].x", ".*.y.z", "[*][0]", "[*].*"))
		}
	default:
		g.b.WriteString(g.pick("x", "1", `""`))
	}
}
