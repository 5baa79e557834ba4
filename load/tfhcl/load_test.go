package tfhcl

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

var seedOpts = Options{Account: "111122223333", Region: "ap-northeast-1"}

func load(t *testing.T, dir string, opts Options) *model.Model {
	t.Helper()
	m, err := LoadDir(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// writeDir writes files into a temporary directory.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func gate(d delivery.Delivery, id string) *delivery.GateResult {
	for i := range d.Gates {
		if d.Gates[i].ID == id {
			return &d.Gates[i]
		}
	}
	return nil
}

func dump(t *testing.T, m *model.Model) string {
	t.Helper()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The seed story in Terraform: broken (the key policy has only the root
// statement), and fixed.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
func TestSeedStory(t *testing.T) {
	tests := []struct {
		dir      string
		opts     Options
		want     delivery.Verdict
		gate     string
		gateWant delivery.Verdict
	}{
		{"seed", seedOpts, delivery.FAIL, "kms.key-policy", delivery.FAIL},
		{"fixed", seedOpts, delivery.OK, "kms.key-policy", delivery.OK},
		// Without --account the bucket name and the key policy are unknown: never OK.
		{"fixed", Options{Region: "ap-northeast-1"}, delivery.UNKNOWN, "kms.key-policy", delivery.UNKNOWN},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			m := load(t, filepath.Join("testdata", tt.dir), tt.opts)
			ds := delivery.Analyze(m)
			if len(ds) != 2 {
				t.Fatalf("%d deliveries, want 2 (FLOW and ALERT)\n%s", len(ds), dump(t, m))
			}
			for _, d := range ds {
				if d.Verdict != tt.want {
					t.Errorf("%s: verdict %v, want %v\n%+v", d.Source.LogType, d.Verdict, tt.want, d.Gates)
				}
				g := gate(d, tt.gate)
				if g == nil || g.Verdict != tt.gateWant {
					t.Fatalf("gate %s = %+v, want %v", tt.gate, g, tt.gateWant)
				}
				if g.Location.File == "" || g.Location.Line == 0 {
					t.Errorf("gate %s has no location: %+v", tt.gate, g.Location)
				}
			}
		})
	}
}

// The failing key policy statement points into the data source.
func TestKeyPolicyLocation(t *testing.T) {
	m := load(t, filepath.Join("testdata", "seed"), seedOpts)
	k := m.Keys[0]
	doc, _ := k.Policy.Get()
	if doc == nil || !doc.Managed || doc.ID != "data.aws_iam_policy_document.key" || doc.Line != 21 {
		t.Fatalf("key policy = %+v", doc)
	}
	if len(doc.StatementLines) != 1 || doc.StatementLines[0] != 22 {
		t.Errorf("statement lines = %v, want [22]", doc.StatementLines)
	}
	b := m.Buckets[0]
	enc, _ := b.Encryption.Get()
	if enc == nil || enc.KeyRef != "aws_kms_key.logs" || enc.KeyRefForm != "arn" || enc.KMSKeyID.Known() {
		t.Errorf("encryption = %+v", enc)
	}
	if own, _ := b.Ownership.Get(); own != "BucketOwnerEnforced" {
		t.Errorf("ownership = %q", own)
	}
	fw := m.Firewalls[0]
	if fw.ID != "aws_networkfirewall_firewall.main" || fw.Line != 69 || fw.Column != 1 || fw.Name.Or("") != "inspection-fw" {
		t.Errorf("firewall = %+v", fw.Origin)
	}
	if d := fw.Logging.Destinations[0]; d.Ref != "aws_s3_bucket.logs" || d.Prefix.Or("") != "nfw" || d.Line != 81 {
		t.Errorf("destination = %+v", d)
	}
}

func TestSyntaxError(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"a.tf":    "variable \"x\" {}\n",
		"main.tf": "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  policy = {\n}\n}}\n",
	})
	_, err := LoadDir(dir, seedOpts)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if filepath.Base(e.File) != "main.tf" || e.Line != 5 || e.Column == 0 {
		t.Errorf("error at %s:%d:%d, want main.tf:5: %v", e.File, e.Line, e.Column, err)
	}
	if !strings.Contains(err.Error(), "main.tf:5:") {
		t.Errorf("message %q has no position", err)
	}
	// A tfvars file with a syntax error is located too.
	dir = writeDir(t, map[string]string{"main.tf": "variable \"x\" {}\n", "terraform.tfvars": "x = \n"})
	if _, err := LoadDir(dir, seedOpts); !errors.As(err, &e) || e.Line != 1 {
		t.Errorf("tfvars: err = %v", err)
	}
	// No configuration at all.
	if _, err := LoadDir(t.TempDir(), seedOpts); !errors.As(err, &e) {
		t.Errorf("empty dir: err = %v", err)
	}
}

// A model of a firewall logging to a bucket whose name is built from
// variables, to check where variable values come from.
const varsMain = `
variable "env" {
  default = "dev"
}
variable "suffix" {
  type = string
}
variable "names" {
  type    = list(string)
  default = ["x"]
}
locals {
  bucket = "logs-${var.env}-${var.suffix}-${join("+", var.names)}"
}
resource "aws_s3_bucket" "logs" {
  bucket = local.bucket
}
`

func TestVariables(t *testing.T) {
	files := map[string]string{
		"main.tf":          varsMain,
		"terraform.tfvars": "env = \"tfvars\"\nsuffix = \"a\"\n",
		"b.auto.tfvars":    "suffix = \"auto\"\n",
		"extra.tfvars":     "env = \"file\"\n",
	}
	tests := []struct {
		name  string
		files map[string]string
		opts  Options
		want  string
	}{
		{"tfvars and auto", files, seedOpts, "logs-tfvars-auto-x"},
		{"var file", files, Options{VarFiles: []string{"extra.tfvars"}}, "logs-file-auto-x"},
		{"--var wins", files, Options{VarFiles: []string{"extra.tfvars"}, Vars: map[string]string{"env": "cli", "names": `["p", "q"]`}}, "logs-cli-auto-p+q"},
		{"default", map[string]string{"main.tf": varsMain}, Options{Vars: map[string]string{"suffix": "s"}}, "logs-dev-s-x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeDir(t, tt.files)
			for i, f := range tt.opts.VarFiles {
				tt.opts.VarFiles[i] = filepath.Join(dir, f)
			}
			m := load(t, dir, tt.opts)
			if got, ok := m.Buckets[0].Name.Get(); !ok || got != tt.want {
				t.Errorf("bucket name = %q (%s), want %q", got, m.Buckets[0].Name.Reason(), tt.want)
			}
		})
	}
	// Without a value the name is unknown, and says which variable is missing.
	m := load(t, writeDir(t, map[string]string{"main.tf": varsMain}), seedOpts)
	if n := m.Buckets[0].Name; n.Known() || !strings.Contains(n.Reason(), "variable suffix has no default") {
		t.Errorf("bucket name = %+v (%s)", n, n.Reason())
	}
}
