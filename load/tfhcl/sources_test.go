package tfhcl

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
)

var exampleOpts = Options{Account: "111122223333", Region: "ap-northeast-1"}

// The Route 53 Resolver and WAF examples: broken fails at the seed's gate
// (WAF's second web ACL at its stream's name), fixed is OK.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs.html
// https://docs.aws.amazon.com/waf/latest/developerguide/logging.html
func TestSourceExamples(t *testing.T) {
	tests := []struct {
		dir   string
		fails []string // the FAIL gate of each delivery, "" for OK
	}{
		{"route53-resolver-query-logs/terraform/broken", []string{"kms.key-policy"}},
		{"route53-resolver-query-logs/terraform/fixed", []string{""}},
		{"waf-logs/terraform/broken", []string{"kms.key-policy", "waf.destination"}},
		{"waf-logs/terraform/fixed", []string{"", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			ds := delivery.Analyze(load(t, filepath.Join("..", "..", "examples", tt.dir), exampleOpts))
			if len(ds) != len(tt.fails) {
				t.Fatalf("%d deliveries, want %d", len(ds), len(tt.fails))
			}
			for i, d := range ds {
				var failing []string
				for _, g := range d.Gates {
					if g.Verdict != delivery.OK {
						failing = append(failing, g.ID)
					}
				}
				if got := strings.Join(failing, ","); got != tt.fails[i] {
					t.Errorf("%s: gates not OK %q, want %q", d.Source.Name, got, tt.fails[i])
				}
			}
		})
	}
}

// References link the resources whose ARNs are known only after apply;
// a list given by a variable has no references; a CloudFront web ACL logs
// from us-east-1; count over an unknown value is UNKNOWN.
func TestResolverAndWAFResources(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.tf": `
provider "aws" {
  region = "us-east-1"
}
variable "destinations" {
  type    = list(string)
  default = ["arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-edge"]
}
variable "n" {
  type = number
}
resource "aws_cloudwatch_log_group" "waf" {
  name = "aws-waf-logs-edge"
}
resource "aws_route53_resolver_query_log_config" "q" {
  name            = "dns"
  destination_arn = aws_cloudwatch_log_group.waf.arn
}
resource "aws_route53_resolver_query_log_config_association" "a" {
  resolver_query_log_config_id = aws_route53_resolver_query_log_config.q.id
  resource_id                  = "vpc-0123"
}
resource "aws_wafv2_web_acl" "cf" {
  name  = "cf-acl"
  scope = "CLOUDFRONT"
}
resource "aws_wafv2_web_acl_logging_configuration" "cf" {
  resource_arn            = aws_wafv2_web_acl.cf.arn
  log_destination_configs = var.destinations
}
resource "aws_wafv2_web_acl_logging_configuration" "counted" {
  count                   = var.n
  resource_arn            = aws_wafv2_web_acl.cf.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]
}
`})
	m := load(t, dir, Options{Account: "111122223333"})
	if len(m.ResolverQueryLogConfigs) != 1 || len(m.ResolverQueryLogAssociations) != 1 || len(m.WebACLs) != 1 || len(m.WAFLoggingConfigurations) != 2 {
		t.Fatalf("model:\n%s", dump(t, m))
	}
	c := m.ResolverQueryLogConfigs[0]
	if c.DestinationRef != "aws_cloudwatch_log_group.waf" || c.DestinationARN.Or("") != "arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-edge" || c.ConfigID.Known() {
		t.Errorf("config: %+v", c)
	}
	if a := m.ResolverQueryLogAssociations[0]; a.ConfigRef != "aws_route53_resolver_query_log_config.q" || a.VPCID.Or("") != "vpc-0123" {
		t.Errorf("association: %+v", a)
	}
	lc, counted := m.WAFLoggingConfigurations[0], m.WAFLoggingConfigurations[1]
	if lc.ID != "aws_wafv2_web_acl_logging_configuration.cf" {
		lc, counted = counted, lc
	}
	if lc.WebACLRef != "aws_wafv2_web_acl.cf" || len(lc.Destinations) != 1 || lc.Destinations[0].Ref != "" {
		t.Errorf("logging configuration: %+v", lc)
	}
	if counted.Unknown == "" {
		t.Errorf("a logging configuration with an unknown count: %+v", counted)
	}
	for _, d := range delivery.Analyze(m) {
		want := delivery.OK
		if d.Source.ID == "aws_wafv2_web_acl_logging_configuration.counted" {
			want = delivery.UNKNOWN
		}
		if d.Verdict != want {
			t.Errorf("%s %s: %v, want %v: %+v", d.Source.Type, d.Source.Name, d.Verdict, want, d.Gates)
		}
	}
}

// "${aws_s3_bucket.logs.arn}/dns" still refers to the bucket: the link
// does not depend on bucket names, which two inputs may share.
func TestDestinationRefWithPrefix(t *testing.T) {
	m := load(t, filepath.Join("..", "..", "examples", "route53-resolver-query-logs", "terraform", "broken"), exampleOpts)
	c := m.ResolverQueryLogConfigs[0]
	if c.DestinationRef != "aws_s3_bucket.logs" || c.DestinationARN.Or("") != "arn:aws:s3:::amzn-s3-demo-dns-logs-111122223333/dns" {
		t.Errorf("config: ref %q, ARN %v", c.DestinationRef, c.DestinationARN)
	}
}
