package tfhcl

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Input that nests deeper than Go's stack allows would end the process
// with a stack trace; it is an error at the place it passes maxNesting,
// whether fastParse or hclsyntax would parse it, and input nested within
// the bound still loads.
func TestNestingTooDeep(t *testing.T) {
	deep := maxNesting + 10
	outside := "/* a block comment, outside fastParse's subset: hclsyntax parses the file */\n"
	for name, src := range map[string]string{
		"brackets":                     "a = " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n",
		"brackets, hclsyntax":          outside + "a = " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n",
		"brackets behind strings":      outside + "a = " + strings.Repeat(`["]",`, deep) + strings.Repeat("]", deep) + "\n",
		"templates":                    "a = " + strings.Repeat(`"${`, deep) + "x" + strings.Repeat(`}"`, deep) + "\n",
		"function calls":               "a = " + strings.Repeat("f(", deep) + strings.Repeat(")", deep) + "\n",
		"unary operators":              "a = " + strings.Repeat("-", deep) + "1\n",
		"unary operators, hclsyntax":   outside + "a = " + strings.Repeat("!", deep) + "true\n",
		"conditionals":                 "a = " + strings.Repeat("b ? c : ", deep) + "d\n",
		"unclosed brackets, hclsyntax": outside + "a = " + strings.Repeat("{", deep) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadDir(dir, Options{Account: "111122223333", Region: "eu-west-1"})
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Msg, "nested too deeply") || e.Line < 1 {
				t.Fatalf("got %v, want an error at a line saying the expressions nest too deeply", err)
			}
		})
	}
	var negatives strings.Builder
	for i := range maxNesting + 1 {
		fmt.Fprintf(&negatives, "a%d = -1\n", i)
	}
	for name, src := range map[string]string{
		"brackets":  "a = " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n",
		"hclsyntax": outside + "a = " + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100) + "\n",
		"negatives": negatives.String(), // many statements, each shallow
		"evaluated near the bound": "locals {\n  a = " + strings.Repeat("[", maxNesting-10) + "1" + strings.Repeat("]", maxNesting-10) +
			"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = jsonencode(local.a)\n}\n",
		"subtraction over lines": "a = [\n" + strings.Repeat("1 - 2,\n", 100) + "]\n",
	} {
		t.Run("within/"+name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadDir(dir, Options{Account: "111122223333", Region: "eu-west-1"}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A --var value of a complex type is parsed as an expression: too deep, it
// is not a valid expression (an unknown value), and the process goes on.
func TestNestingTooDeepInAVar(t *testing.T) {
	dir := t.TempDir()
	src := "variable \"x\" {\n  type = list(string)\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = var.x[0]\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := strings.Repeat("[", maxNesting+10) + strings.Repeat("]", maxNesting+10)
	m, err := LoadDir(dir, Options{Account: "111122223333", Region: "eu-west-1", Vars: map[string]string{"x": deep}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Buckets) != 1 || m.Buckets[0].Name.Known() || !strings.Contains(m.Buckets[0].Name.Reason(), "--var x") {
		t.Fatalf("buckets %+v, want one whose name is unknown because of --var x", m.Buckets)
	}
}
