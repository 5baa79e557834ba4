package tfhcl

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/logpath/logpath/delivery"
)

// FuzzLoadDir loads arbitrary main.tf files: an *Error or a model, never a
// panic, and never OK on something unknown.
func FuzzLoadDir(f *testing.F) {
	for _, dir := range []string{"seed", "fixed", "module"} {
		if src, err := os.ReadFile(filepath.Join("testdata", dir, "main.tf")); err == nil {
			f.Add(src)
		}
	}
	for _, dir := range []string{"broken", "fixed"} {
		if src, err := os.ReadFile(filepath.Join("..", "..", "examples", "vpc-flow-logs-s3-kms", "terraform", dir, "main.tf")); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(flowLogMain))
	for _, dir := range []string{"broken", "fixed"} {
		if src, err := os.ReadFile(filepath.Join("..", "..", "examples", "cloudtrail-s3-kms", "terraform", dir, "main.tf")); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(trailMain))
	f.Add([]byte(`resource "aws_cloudtrail" "t" { enable_logging = "maybe"
 cloud_watch_logs_group_arn = "${aws_iam_role.r.arn}${aws_iam_role.r.arn}:*"
 kms_key_id = [1] }`))
	f.Add([]byte(`resource "aws_iam_role" "r" { inline_policy {}
 managed_policy_arns = { a = 1 } }
resource "aws_flow_log" "f" { destination_options { per_hour_partition = "x" } }`))
	for _, dir := range []string{"route53-resolver-query-logs/terraform/broken", "waf-logs/terraform/broken"} {
		if src, err := os.ReadFile(filepath.Join("..", "..", "examples", dir, "main.tf")); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(`resource "aws_wafv2_web_acl_logging_configuration" "l" {
 resource_arn = aws_wafv2_web_acl.a.arn
 log_destination_configs = [1, {}, aws_s3_bucket.b.arn] }
resource "aws_route53_resolver_query_log_config_association" "a" { resolver_query_log_config_id = aws_route53_resolver_query_log_config.q[0].id }`))
	f.Add([]byte(fixedKey))
	f.Add([]byte(varsMain))
	f.Add([]byte(`locals { a = local.b
 b = local.a }
resource "aws_s3_bucket" "x" { bucket = try(local.a, "z")
 count = 2 }`))
	f.Add([]byte(`module "m" { source = "./" }`))
	f.Add([]byte(`resource "aws_s3_bucket" "b" { for_each = { a = 1 }
 bucket = "${each.key}-${each.value}" }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := LoadDir(dir, Options{Account: "111122223333", Region: "eu-west-1"})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T) is not an *Error", err, err)
			}
			return
		}
		delivery.Analyze(m)
	})
}
