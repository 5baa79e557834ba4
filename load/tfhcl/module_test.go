package tfhcl

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
)

// A local module holds the bucket and its key; a registry module that is
// not downloaded makes its destination UNKNOWN.
func TestLocalModule(t *testing.T) {
	m := load(t, filepath.Join("testdata", "module"), seedOpts)
	if len(m.Buckets) != 1 || m.Buckets[0].ID != "module.logs.aws_s3_bucket.this" {
		t.Fatalf("buckets:\n%s", dump(t, m))
	}
	b := m.Buckets[0]
	if n := b.Name.Or(""); n != "amzn-s3-demo-logs-prod" {
		t.Errorf("bucket name = %q", n)
	}
	if !strings.HasSuffix(filepath.ToSlash(b.File), "modules/logbucket/main.tf") || b.Line != 32 {
		t.Errorf("bucket origin = %+v", b.Origin)
	}
	enc, _ := b.Encryption.Get()
	if enc == nil || enc.KeyRef != "module.logs.aws_kms_key.this" || enc.KeyRefForm != "arn" {
		t.Errorf("encryption = %+v", enc)
	}
	if m.Keys[0].ID != "module.logs.aws_kms_key.this" {
		t.Errorf("key id = %s", m.Keys[0].ID)
	}
	ds := delivery.Analyze(m)
	if len(ds) != 2 {
		t.Fatalf("%d deliveries", len(ds))
	}
	flow, alert := ds[0], ds[1]
	if d := m.Firewalls[0].Logging.Destinations[0]; d.Ref != "module.logs.aws_s3_bucket.this" {
		t.Errorf("FLOW ref = %q", d.Ref)
	}
	if flow.Verdict != delivery.OK {
		t.Errorf("FLOW verdict = %v: %+v", flow.Verdict, flow.Gates)
	}
	if alert.Verdict != delivery.UNKNOWN {
		t.Errorf("ALERT verdict = %v: %+v", alert.Verdict, alert.Gates)
	}
	d := m.Firewalls[0].Logging.Destinations[1]
	if d.BucketName.Known() || !strings.Contains(d.BucketName.Reason(), "module remote (terraform-aws-modules/s3-bucket/aws) is not downloaded; run terraform init") {
		t.Errorf("ALERT bucket = %q", d.BucketName.Reason())
	}
}

// A module terraform init downloaded is read from .terraform/modules, and
// module inputs flow through several levels.
func TestDownloadedModule(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"main.tf": `
module "kms" {
  source = "example-corp/kms/aws"
  alias  = "logs"
}
resource "aws_s3_bucket" "b" {
  bucket = "amzn-s3-demo-b"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = module.kms.alias_name
      }
    }
  }
}
`,
		".terraform/modules/modules.json": `{"Modules":[{"Key":"","Source":"","Dir":"."},
{"Key":"kms","Source":"registry.terraform.io/example-corp/kms/aws","Version":"1.0.0","Dir":".terraform/modules/kms"},
{"Key":"kms.inner","Source":"./inner","Dir":".terraform/modules/kms/inner"}]}`,
		".terraform/modules/kms/main.tf": `
variable "alias" {}
module "inner" {
  source = "./inner"
  n      = "alias/${var.alias}"
}
output "alias_name" {
  value = module.inner.name
}
`,
		".terraform/modules/kms/inner/main.tf": `
variable "n" {}
resource "aws_kms_key" "k" {
  is_enabled = false
}
resource "aws_kms_alias" "a" {
  name          = var.n
  target_key_id = aws_kms_key.k.key_id
}
output "name" {
  value = aws_kms_alias.a.name
}
`,
	})
	m := load(t, dir, seedOpts)
	if len(m.Aliases) != 1 || len(m.Keys) != 1 {
		t.Fatalf("model:\n%s", dump(t, m))
	}
	al := m.Aliases[0]
	if al.ID != "module.kms.module.inner.aws_kms_alias.a" || al.Name.Or("") != "alias/logs" || al.TargetRef != "module.kms.module.inner.aws_kms_key.k" {
		t.Errorf("alias = %+v", al)
	}
	if s := m.Keys[0].State.Or(""); s != "Disabled" {
		t.Errorf("key state = %q", s)
	}
	enc, _ := m.Buckets[0].Encryption.Get()
	if enc == nil || enc.KMSKeyID.Or("") != "alias/logs" || enc.KeyRef != "module.kms.module.inner.aws_kms_alias.a" || enc.KeyRefForm != "alias" {
		t.Errorf("encryption = %+v", enc)
	}
}

// A module gets the provider configuration its call passes, and with it
// the Region; count on a module call prefixes the addresses.
func TestModuleProviders(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"main.tf": `
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "use1"
  region = "us-east-1"
}
module "a" {
  source    = "./m"
  providers = { aws = aws.use1 }
}
module "b" {
  count  = 2
  source = "./m"
}
`,
		"m/main.tf": `resource "aws_cloudwatch_log_group" "g" {
  name = "/nfw/${path.module}"
}
`,
	})
	m := load(t, dir, Options{Account: "111122223333"})
	var got []string
	for _, g := range m.LogGroups {
		got = append(got, g.ID+" "+g.Region.Or("?")+" "+g.Name.Or("?"))
	}
	want := "[module.a.aws_cloudwatch_log_group.g us-east-1 /nfw/m module.b[0].aws_cloudwatch_log_group.g eu-west-1 /nfw/m module.b[1].aws_cloudwatch_log_group.g eu-west-1 /nfw/m]"
	if s := fmt.Sprint(got); s != want {
		t.Errorf("log groups\n got %s\nwant %s", s, want)
	}
}
