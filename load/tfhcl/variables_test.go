package tfhcl

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestVariablesLikeHCL compares variables with hclsyntax.Variables on every
// attribute of the repository's Terraform files and on expressions of every
// kind.
func TestVariablesLikeHCL(t *testing.T) {
	files := terraformFiles(t, "testdata", filepath.Join("..", "..", "examples"))
	n := 0
	var check func(body *hclsyntax.Body)
	check = func(body *hclsyntax.Body) {
		for _, a := range body.Attributes {
			n++
			if got, want := variables(a.Expr), hclsyntax.Variables(a.Expr); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: variables = %v, hclsyntax.Variables = %v", posOf(a.SrcRange), got, want)
			}
		}
		for _, b := range body.Blocks {
			check(b.Body)
		}
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, diags := hclsyntax.ParseConfig(src, f, hcl.InitialPos)
		if diags.HasErrors() {
			continue
		}
		check(file.Body.(*hclsyntax.Body))
	}
	for _, src := range []string{
		`"a-${local.x}-%{if var.c}${var.d}%{else}e%{endif}-%{for s in var.l}${s}${local.y}%{endfor}"`,
		`{ a = 1, (local.k) = 2, "x${var.y}" = 3, local.z = 4, null = 5, true = var.t }`, `{ (k) = 1, (each) = 2 }`,
		`[for k, v in var.m : "${k}=${v}-${local.s}" if v != var.skip]`,
		`{for k, v in var.m : upper(k) => [v, k, local.q]...}`,
		`var.list[*].id`, `aws_s3_bucket.b[0].arn`, `module.m["k"].out`, `(var.a + local.b) * -var.c`,
		`var.c ? data.aws_iam_policy_document.d.json : jsonencode({ a = [var.e, !var.f] })`,
		`local.m[var.k][count.index]`, `merge(var.a, local.b...)`, "<<EOT\n${each.key} ${each.value.x}\nEOT\n", `[for x in var.l : [for y in x : y.z if y != x]]`, `each.value.tags[*]`,
	} {
		e, diags := hclsyntax.ParseExpression([]byte(src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", src, diags)
		}
		n++
		if got, want := variables(e), hclsyntax.Variables(e); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: variables = %v, hclsyntax.Variables = %v", src, got, want)
		}
	}
	t.Logf("%d expressions in %d files", n, len(files))
}
