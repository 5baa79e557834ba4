package tfhcl

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/logpath/logpath/internal/genfleet"
	"github.com/logpath/logpath/model"
)

// loadBothWays loads dir with the fast paths and without them (HCL's and
// cty's own evaluation) and fails unless the models, or the errors, are the
// same.
func loadBothWays(t *testing.T, dir string, opts Options) {
	t.Helper()
	defer func() { fastPaths = true }()
	fastPaths = false
	want, wantErr := LoadDir(dir, opts)
	fastPaths = true
	got, gotErr := LoadDir(dir, opts)
	if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
		t.Fatalf("%s: error %v, without the fast paths %v", dir, gotErr, wantErr)
	}
	if wantErr != nil {
		return
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := model.WriteSnapshot(got)
		w, _ := model.WriteSnapshot(want)
		// HCL suggests a function for an unknown one from a map: of two
		// as close, either.
		if bytes.Contains(w, []byte("Did you mean")) &&
			bytes.Equal(didYouMean.ReplaceAll(g, nil), didYouMean.ReplaceAll(w, nil)) {
			return
		}
		gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s: the models differ; snapshot line %d:\n got %s\nwant %s", dir, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s: the models differ (%d and %d snapshot lines)", dir, len(gl), len(wl))
	}
}

var didYouMean = regexp.MustCompile(`Did you mean [^?]*\?`)

// TestFastPathsSameModel loads every Terraform configuration of the
// repository, generated fleets and configurations with unknown, marked,
// cyclic and odd jsonencode values both ways.
func TestFastPathsSameModel(t *testing.T) {
	opts := Options{Account: "111122223333", Region: "ap-northeast-1", Vars: map[string]string{"vpc_id": "vpc-0123456789abcdef0"}}
	var dirs []string
	for _, root := range []string{"testdata", filepath.Join("..", "..", "examples")} {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if tfs, _ := filepath.Glob(filepath.Join(p, "*.tf")); len(tfs) > 0 {
					dirs = append(dirs, p)
				}
			}
			return nil
		})
	}
	if len(dirs) < 10 {
		t.Fatalf("found only %d Terraform directories", len(dirs))
	}
	for _, n := range []int{1, 20, 50} {
		dir := t.TempDir()
		if err := genfleet.WriteTerraform(dir, n); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	for _, src := range append([]string{flowLogMain, trailMain, fixedKey, varsMain}, fastPathSources...) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	for _, dir := range dirs {
		loadBothWays(t, dir, opts)
	}
}

// fastPathSources are configurations whose policies are jsonencode values
// the fast paths must leave to HCL, or write as HCL would.
var fastPathSources = []string{
	`variable "v" { default = "x" }
locals {
  a = local.b
  b = "${local.a}-${var.v}"
  c = [var.v, local.d]
  d = var.w
}
resource "aws_kms_key" "k1" { policy = jsonencode({ A = local.a, C = local.c, V = var.v }) }
resource "aws_kms_key" "k2" { policy = jsonencode({ C = local.c, A = local.a, V = var.v }) }
resource "aws_kms_key" "k3" { policy = jsonencode({ B = local.b, V = "${var.v}${local.d}" }) }
`,
	`locals {
  a = local.b
  b = local.a
  k = "Sid"
}
resource "aws_kms_key" "k" {
  policy = jsonencode({ Statement = [{ (local.k) = "x", Sid = "y", Action = local.a }] })
}
resource "aws_s3_bucket" "b" {
  bucket = "b"
  policy = jsonencode({ Version = "2012-10-17", "Id" = 1, n = 1.50, t = true, z = null, "e\u0301" = "<&>", Statement = [] })
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({ Statement = [{ Resource = aws_kms_key.k.arn }, { Resource = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"] }] })
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = jsonencode([for s in ["a", "b"] : { Sid = s }])
  inline_policy {
    name   = "i"
    policy = jsonencode({ a = 1, a = 2, b = { c = { d = [1, [2, {}]] } } })
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ x = 1 / 0, y = nosuchfunction(1) })
}
resource "aws_cloudwatch_log_resource_policy" "l" {
  policy_name     = "l"
  policy_document = jsonencode({ "${local.k}" = tolist(["a"]), m = tomap({ b = 1, a = 2 }), s = toset(["b", "a"]) })
}
`,
	`resource "aws_kms_key" "k" {
  count  = 2
  policy = jsonencode({ Statement = [{ Sid = "s${count.index}", Principal = { AWS = data.aws_caller_identity.c.account_id } }] })
}
data "aws_caller_identity" "c" {}
resource "aws_s3_bucket" "b" {
  for_each = { x = "1", y = "2" }
  bucket   = "b-${each.key}"
  policy   = jsonencode({ Key = each.key, Value = each.value, Self = aws_s3_bucket.b["x"].arn, Bad = var.nope, "${each.key}" = 1 })
}
`,
}

// FuzzFastPaths loads arbitrary main.tf files both ways: the same model or
// the same error.
func FuzzFastPaths(f *testing.F) {
	for _, src := range fastPathSources {
		f.Add([]byte(src))
	}
	f.Add([]byte(fixedKey))
	f.Add([]byte(`resource "aws_s3_bucket" "b" { policy = jsonencode({ a = [1, "x", { b = null }], "c" = var.x }) }
variable "x" { default = { y = ["z"] } }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		loadBothWays(t, dir, Options{Account: "111122223333", Region: "eu-west-1"})
	})
}

// An expression that names many resources (here 40, past the scan's
// limit of 16) finds each, in both ways of loading.
func TestExpressionNamingManyResources(t *testing.T) {
	var src strings.Builder
	var refs []string
	for i := range 40 {
		fmt.Fprintf(&src, "resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"amzn-s3-demo-%d\"\n  bucket_prefix = \"p%d\"\n}\n", i, i, i)
		refs = append(refs, fmt.Sprintf("aws_s3_bucket.b%d.bucket", i))
	}
	for i := range 40 { // each named again, for another attribute
		refs = append(refs, fmt.Sprintf("aws_s3_bucket.b%d.bucket_prefix", i))
	}
	fmt.Fprintf(&src, "locals {\n  names = [%s]\n}\nresource \"aws_s3_bucket\" \"last\" {\n  bucket = \"${local.names[39]}-${local.names[0]}-${local.names[79]}\"\n}\n", strings.Join(refs, ", "))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := LoadDir(dir, Options{Account: "111122223333", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	last := m.Buckets[len(m.Buckets)-1]
	if name, ok := last.Name.Get(); !ok || name != "amzn-s3-demo-39-amzn-s3-demo-0-p39" {
		t.Fatalf("bucket name %v, want amzn-s3-demo-39-amzn-s3-demo-0-p39", last.Name)
	}
}
