package tfhcl

import (
	"errors"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
)

const fixedKey = `
data "aws_caller_identity" "current" {}
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid       = "LogDelivery"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
  }
}
resource "aws_kms_key" "logs" {
  policy = data.aws_iam_policy_document.key.json
}
resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.logs.arn
    }
  }
}
resource "aws_networkfirewall_firewall" "main" {
  name = "fw"
}
`

// Whatever cannot be known before apply makes the verdict UNKNOWN, never OK.
func TestUnknownNeverOK(t *testing.T) {
	logging := func(dest string) string {
		return `
resource "aws_networkfirewall_logging_configuration" "main" {
  firewall_arn = aws_networkfirewall_firewall.main.arn
  logging_configuration {
    log_destination_config {
      log_destination = ` + dest + `
      log_destination_type = "S3"
      log_type             = "FLOW"
    }
  }
}
`
	}
	bucket := `resource "aws_s3_bucket" "logs" {
  bucket = "amzn-s3-demo-logs"
}
`
	tests := []struct {
		name, src string
		opts      Options
		reason    string // in some gate's reason
	}{
		{"baseline is OK", fixedKey + bucket + logging(`{ bucketName = aws_s3_bucket.logs.bucket }`), seedOpts, ""},
		{"variable without value", fixedKey + `variable "b" {}
resource "aws_s3_bucket" "logs" {
  bucket = var.b
}` + logging(`{ bucketName = aws_s3_bucket.logs.bucket }`), seedOpts, "variable b has no default"},
		{"generated bucket name", fixedKey + `resource "aws_s3_bucket" "logs" {
  bucket_prefix = "logs-"
}` + logging(`{ bucketName = aws_s3_bucket.logs.bucket }`), seedOpts, "bucket_prefix"},
		{"data source attribute", fixedKey + bucket + `data "aws_ssm_parameter" "p" {
  name = "/logs/prefix"
}` + logging(`{ bucketName = aws_s3_bucket.logs.bucket, prefix = data.aws_ssm_parameter.p.value }`), seedOpts, ""},
		{"whole destination unknown", fixedKey + bucket + `data "external" "d" {}` + logging(`data.external.d.result`), seedOpts, "data.external.d.result is read from AWS"},
		{"no account", fixedKey + bucket + logging(`{ bucketName = aws_s3_bucket.logs.bucket }`), Options{Region: "eu-west-1"}, "use --account"},
		{"unsupported function", fixedKey + bucket + logging(`{ bucketName = templatefile("x.tpl", {}) }`), seedOpts, "templatefile"},
		{"key policy from unknown input", `variable "extra" {}
` + strings.Replace(fixedKey, `resources = ["*"]`, `resources = [var.extra]`, 1) + bucket + logging(`{ bucketName = aws_s3_bucket.logs.bucket }`), seedOpts, "variable extra has no default"},
		{"unknown count on logging", fixedKey + bucket + `data "aws_availability_zones" "z" {}
resource "aws_networkfirewall_logging_configuration" "main" {
  count        = length(data.aws_availability_zones.z.names)
  firewall_arn = aws_networkfirewall_firewall.main.arn
  logging_configuration {
    log_destination_config {
      log_destination      = { bucketName = aws_s3_bucket.logs.bucket }
      log_destination_type = "S3"
      log_type             = "FLOW"
    }
  }
}`, seedOpts, "count is not known"},
		{"unknown dynamic block", fixedKey + bucket + `variable "types" {}
resource "aws_networkfirewall_logging_configuration" "main" {
  firewall_arn = aws_networkfirewall_firewall.main.arn
  logging_configuration {
    dynamic "log_destination_config" {
      for_each = var.types
      content {
        log_destination      = { bucketName = aws_s3_bucket.logs.bucket }
        log_destination_type = "S3"
        log_type             = log_destination_config.value
      }
    }
  }
}`, seedOpts, "dynamic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := load(t, writeDir(t, map[string]string{"main.tf": tt.src}), tt.opts)
			ds := delivery.Analyze(m)
			if len(ds) == 0 {
				t.Fatalf("no delivery:\n%s", dump(t, m))
			}
			for _, d := range ds {
				want := delivery.UNKNOWN
				if tt.name == "baseline is OK" {
					want = delivery.OK
				}
				if d.Verdict != want {
					t.Errorf("verdict %v, want %v: %+v\n%s", d.Verdict, want, d.Gates, dump(t, m))
				}
				found := tt.reason == ""
				for _, g := range d.Gates {
					if strings.Contains(g.Reason, tt.reason) {
						found = true
					}
				}
				if !found {
					t.Errorf("no gate says %q: %+v", tt.reason, d.Gates)
				}
			}
		})
	}
}

func TestExpressions(t *testing.T) {
	m := load(t, writeDir(t, map[string]string{"main.tf": `
variable "cfg" {
  type = object({ name = string, tags = optional(map(string), {}) })
  default = { name = "amzn-s3-demo-a" }
}
locals {
  loop_a = local.loop_b
  loop_b = local.loop_a
  m      = merge({ a = "1" }, { b = "2" })
}
resource "aws_s3_bucket" "a" {
  bucket = try(var.cfg.missing, var.cfg.name)
}
resource "aws_s3_bucket" "b" {
  bucket = local.loop_a
}
resource "aws_s3_bucket" "c" {
  bucket = format("%s-%s-%d", upper(lookup(local.m, "a", "x")), lower(replace("A_B", "_", "-")), length(concat([1], [2])))
}
resource "aws_s3_bucket" "d" {
  bucket = coalesce("", element(["x", "y"], 1))
}
resource "aws_s3_bucket" "f" {
  bucket = replace("a1b22", "/[0-9]+/", "-")
}
resource "aws_s3_bucket" "g" {
  bucket = length("héllo")
}
resource "aws_s3_bucket" "e" {
  bucket = jsondecode(jsonencode({ n = tostring(length(var.cfg.tags)) })).n
}
`}), seedOpts)
	want := []string{"amzn-s3-demo-a", "?", "1-a-b-2", "y", "a-b-", "5", "0"}
	for i, b := range m.Buckets {
		if got := b.Name.Or("?"); got != want[i] {
			t.Errorf("%s: %q (%s), want %q", b.ID, got, b.Name.Reason(), want[i])
		}
	}
	if r := m.Buckets[1].Name.Reason(); !strings.Contains(r, "refers to itself") {
		t.Errorf("cycle reason = %q", r)
	}
	_, err := LoadDir(writeDir(t, map[string]string{"main.tf": "", "x_override.tf": ""}), seedOpts)
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("override file: err = %v", err)
	}
}
