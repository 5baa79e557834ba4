package live

import (
	"strings"
	"testing"
	"time"

	"github.com/logpath/logpath/delivery"
)

// VPC Flow Logs, Route 53 Resolver and WAF read through the real SDK
// clients: each scenario of internal/fakeaws/testdata gives these
// verdicts, with AWS's own delivery status quoted (reference §3.1), and
// the report in testdata/golden.
func TestSourceScenarios(t *testing.T) {
	tests := []struct {
		name, scenario string
		opts           Options
		want           []expect
		calls          map[string]int // operation: calls, exactly
	}{
		{name: "flow logs to S3", scenario: "flowlogs-s3", want: []expect{
			{"fl-0a1b2c3d4e5f60001", "ALL", "kms.key-policy", delivery.FAIL, "delivery.logs.amazonaws.com may not call kms:GenerateDataKey"},
			{"fl-0a1b2c3d4e5f60001", "ALL", "evidence.logs", delivery.WARN, `EC2 reports DeliverLogsStatus FAILED, DeliverLogsErrorMessage "Access error"`},
			{"fl-0a1b2c3d4e5f60002", "ALL", "evidence.logs", delivery.OK, "logs are arriving under s3://amzn-s3-demo-flow-logs/flows/AWSLogs/111122223333/vpcflowlogs/ap-northeast-1/"},
			{"fl-0a1b2c3d4e5f60003", "REJECT", "evidence.logs", delivery.WARN, "the newest is from 2026-04-28 09:00Z; logs stopped arriving"},
		}, calls: map[string]int{"ec2:DescribeFlowLogs": 1, "s3:GetBucketPolicy": 2}},
		{name: "flow logs to CloudWatch Logs", scenario: "flowlogs-cwl", want: []expect{
			{"fl-0b1c2d3e4f5a60001", "ALL", "iam.role-trust", delivery.FAIL, "vpc-flow-logs.amazonaws.com may not assume role flow-logs-wrong-trust"},
			{"fl-0b1c2d3e4f5a60001", "ALL", "evidence.logs", delivery.WARN, `DeliverLogsStatus FAILED, DeliverLogsErrorMessage "Access error"`},
			{"fl-0b1c2d3e4f5a60002", "ALL", "iam.role-permissions", delivery.OK, "the policies of role flow-logs-publisher allow"},
			{"fl-0b1c2d3e4f5a60002", "ALL", "evidence.logs", delivery.OK, "logs are arriving under log group /vpc/flow-logs-b, every stream"},
			{"fl-0b1c2d3e4f5a60003", "ALL", "iam.role-trust", delivery.OK, "lets vpc-flow-logs.amazonaws.com assume it"},
		}, calls: map[string]int{"iam:GetRole": 2, "iam:GetPolicy": 1, "iam:GetPolicyVersion": 1, "logs:DescribeLogStreams": 2}},
		{name: "access denied on iam:GetRole and iam:GetPolicyVersion", scenario: "flowlogs-iam-denied", want: []expect{
			{"fl-0c1d2e3f4a5b60001", "ALL", "iam.role-trust", delivery.UNKNOWN, "access denied on iam:GetRole"},
			{"fl-0c1d2e3f4a5b60001", "ALL", "iam.role-permissions", delivery.UNKNOWN, "the permissions boundary of role flow-logs-publisher is unknown: access denied on iam:GetRole"},
			{"fl-0c1d2e3f4a5b60001", "ALL", "iam.role-permissions", delivery.UNKNOWN, "the managed policy CloudWatchLogsFullAccess is unknown: access denied on iam:GetPolicyVersion"},
		}, calls: map[string]int{"iam:ListRolePolicies": 1, "iam:GetRolePolicy": 1, "iam:GetPolicy": 1}},
		{name: "Resolver association in an error state", scenario: "resolver-association-error", want: []expect{
			{"dns-queries", "", "s3.bucket-policy", delivery.OK, "bucket policy lets"},
			{"dns-queries", "", "evidence.logs", delivery.WARN, `association rslvr-qlca-0123456789abcde2 (vpc-0d1e2f3a4b5c60790): Status FAILED, Error ACCESS_DENIED, ErrorMessage "Resolver doesn't have permission to write to the destination"`},
		}, calls: map[string]int{"s3:ListObjectsV2": 3}},
		{name: "WAF", scenario: "waf-logs", opts: Options{Regions: []string{region, "us-east-1"}}, want: []expect{
			{"orders-acl", "WAF_LOGS", "waf.destination", delivery.FAIL, `bucket "amzn-s3-demo-waf" does not start with aws-waf-logs-`},
			{"shop-acl", "WAF_LOGS", "evidence.logs", delivery.OK, "logs are arriving under s3://aws-waf-logs-amzn-s3-demo/AWSLogs/111122223333/WAFLogs/ap-northeast-1/shop-acl/"},
			{"cf-acl", "WAF_LOGS", "evidence.logs", delivery.WARN, "streams cloudfront_cf-acl_*"},
		}, calls: map[string]int{"wafv2:ListWebACLs": 3, "wafv2:ListLoggingConfigurations": 2}},
		{name: "CloudTrail", scenario: "cloudtrail", want: []expect{
			{"audit", "events", "kms.key-policy", delivery.OK, "cloudtrail.amazonaws.com"},
			{"audit", "events", "evidence.logs", delivery.OK, "logs are arriving under s3://amzn-s3-demo-trail-logs/AWSLogs/111122223333/CloudTrail/ap-northeast-1/"},
			{"key-without-cloudtrail", "events", "kms.key-policy", delivery.FAIL, "cloudtrail.amazonaws.com may not call kms:GenerateDataKey"},
			{"key-without-cloudtrail", "events", "evidence.logs", delivery.WARN, `CloudTrail reports LatestDeliveryError "KMS.AccessDeniedException"`},
			{"bucket-denied", "events", "s3.bucket-policy", delivery.FAIL, "cloudtrail.amazonaws.com"},
			{"bucket-denied", "events", "evidence.logs", delivery.WARN, `CloudTrail reports LatestDeliveryError "AccessDenied"`},
		}, calls: map[string]int{"cloudtrail:DescribeTrails": 1, "cloudtrail:GetTrailStatus": 3, "iam:GetRole": 1}},
		{name: "access denied on cloudtrail:GetTrailStatus", scenario: "cloudtrail-status-denied", want: []expect{
			{"audit", "events", "cloudtrail.trail", delivery.UNKNOWN, "access denied on cloudtrail:GetTrailStatus"},
			{"audit", "events", "s3.bucket-policy", delivery.OK, "bucket policy lets"},
		}, calls: map[string]int{"cloudtrail:GetTrailStatus": 1}},
		{name: "organization trails", scenario: "cloudtrail-org", want: []expect{
			{"org-trail", "events", "s3.bucket-policy", delivery.OK, "on arn:aws:s3:::amzn-s3-demo-org-trail-logs/AWSLogs/o-exampleorgid/*"},
			{"org-trail", "events", "evidence.logs", delivery.OK, "logs are arriving under s3://amzn-s3-demo-org-trail-logs/AWSLogs/o-exampleorgid/111122223333/CloudTrail/ap-northeast-1/"},
			{"org-trail-account-path", "events", "s3.bucket-policy", delivery.FAIL, "a member account's log files (AWSLogs/o-exampleorgid/<member account>/)"},
			{"org-trail-account-path", "events", "evidence.logs", delivery.WARN, `CloudTrail reports LatestDeliveryError "AccessDenied"`},
		}, calls: map[string]int{"organizations:DescribeOrganization": 1, "cloudtrail:GetTrailStatus": 2}},
		{name: "access denied on organizations:DescribeOrganization", scenario: "cloudtrail-org-denied", want: []expect{
			{"org-trail", "events", "s3.bucket-policy", delivery.UNKNOWN, "access denied on organizations:DescribeOrganization"},
		}, calls: map[string]int{"organizations:DescribeOrganization": 1}},
		{name: "reads of the sources denied", scenario: "sources-denied", want: []expect{
			{"every source in 111122223333 ap-northeast-1", "*", "audit.read", delivery.UNKNOWN, "access denied on ec2:DescribeFlowLogs"},
			{"shop-acl", "WAF_LOGS", "waf.logging-config", delivery.UNKNOWN, "access denied on wafv2:ListLoggingConfigurations"},
			{"dns-queries", "", "resolver.query-log-config", delivery.UNKNOWN, "access denied on route53resolver:ListResolverQueryLogConfigAssociations"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, srv := audit(t, tt.scenario, acctA, tt.opts)
			ds := golden(t, tt.scenario, m)
			checkScenario(t, ds, srv, tt.want, tt.calls)
		})
	}
}

// A Region where a service has no endpoint is a gap for that source, not
// a failed audit: the other sources of the Region are read.
func TestRegionWithoutTheService(t *testing.T) {
	m, _ := audit(t, "no-service", acctA, Options{})
	var gaps []string
	for _, g := range m.Gaps {
		gaps = append(gaps, g.Source)
		if !strings.Contains(g.Reason, "in ap-northeast-1, so the service may not be offered in that Region") {
			t.Errorf("gap %s: %q", g.Source, g.Reason)
		}
	}
	if strings.Join(gaps, ",") != "route53-resolver,waf" {
		t.Errorf("gaps %v, want route53-resolver and waf", gaps)
	}
	if len(m.FlowLogs) != 1 {
		t.Errorf("%d flow logs read, want 1", len(m.FlowLogs))
	}
}

// The folder a flow log's files are in: after the folder of the bucket
// ARN, in the plain or the Hive-compatible layout.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
func TestFlowLogFolder(t *testing.T) {
	for _, tt := range []struct {
		arnFolder string
		hive      bool
		want      string
		startDay  string
	}{
		{"", false, "AWSLogs/111122223333/vpcflowlogs/ap-northeast-1/", "AWSLogs/111122223333/vpcflowlogs/ap-northeast-1/2026/04/30"},
		{"flows/", false, "flows/AWSLogs/111122223333/vpcflowlogs/ap-northeast-1/", "flows/AWSLogs/111122223333/vpcflowlogs/ap-northeast-1/2026/04/30"},
		{"flows", false, "flows/AWSLogs/111122223333/vpcflowlogs/ap-northeast-1/", "flows/AWSLogs/111122223333/vpcflowlogs/ap-northeast-1/2026/04/30"},
		{"a/b/", true, "a/b/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=ap-northeast-1/",
			"a/b/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=ap-northeast-1/year=2026/month=04/day=30"},
	} {
		folder, dates := flowLogFolder(acctA, region, tt.hive)
		got := underPrefix(tt.arnFolder, folder)
		start := got + time.Date(2026, 4, 30, 11, 0, 0, 0, time.UTC).Format(dates)
		if got != tt.want || start != tt.startDay {
			t.Errorf("folder %q, hive %v: %q starting after %q, want %q after %q", tt.arnFolder, tt.hive, got, start, tt.want, tt.startDay)
		}
	}
}

// IAM returns policy documents URL-encoded (RFC 3986): "+" is a plus, not
// a space, and a document that does not decode is kept as it is.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
func TestIAMDocument(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"%7B%22Sid%22%3A%22a%20b%2Bc%22%7D", `{"Sid":"a b+c"}`},
		{"%7B%22Sid%22%3A%22a+b%22%7D", `{"Sid":"a+b"}`},
		{"%7B%zz", "%7B%zz"},
	} {
		doc, _ := iamDocument("arn", &tt.in).Get()
		if got := doc.JSON.Or(""); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
	if doc, ok := iamDocument("arn", nil).Get(); !ok || doc != nil {
		t.Errorf("no document: %v %v, want known nil", doc, ok)
	}
}
