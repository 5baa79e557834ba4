package live

import (
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
)

// expect is one gate a scenario must decide in a given way.
type expect struct {
	source, logType, gate string
	verdict               delivery.Verdict
	says                  string // a phrase of the reason
}

// Each scenario of internal/fakeaws/testdata, read through the real SDK
// clients, gives these verdicts (and the report in testdata/golden).
func TestScenarios(t *testing.T) {
	tests := []struct {
		name, scenario string
		as             string
		opts           Options
		standardRetry  bool // the standard retryer: the adaptive one paces many throttles slowly
		want           []expect
		calls          map[string]int // operation: calls, exactly
	}{
		{name: "aws-managed-key", scenario: "aws-managed-key", want: []expect{
			{"inspection-fw", "FLOW", "s3.encryption", delivery.FAIL, "AWS managed key"},
			{"inspection-fw", "ALERT", "s3.encryption", delivery.FAIL, "without a key ID uses the AWS managed key aws/s3"},
		}, calls: map[string]int{"kms:DescribeKey": 0}},
		{name: "key-by-alias", scenario: "key-by-alias", want: []expect{
			{"inspection-fw", "FLOW", "s3.encryption", delivery.FAIL, `names the key as "alias/nfw-logs", not by its key ARN`},
		}, calls: map[string]int{"kms:ListAliases": 1, "kms:DescribeKey": 1}},
		{name: "key-states", scenario: "key-states", want: []expect{
			{"inspection-fw", "FLOW", "kms.key-state", delivery.FAIL, "the key state is Disabled"},
			{"egress-fw", "FLOW", "kms.key-state", delivery.FAIL, "pending deletion"},
			{"inspection-fw", "FLOW", "evidence.logs", delivery.OK, "agrees with the FAIL"},
		}},
		{name: "denied-key-policy", scenario: "denied-key-policy", want: []expect{
			{"inspection-fw", "FLOW", "kms.key-policy", delivery.UNKNOWN, "access denied on kms:GetKeyPolicy"},
		}},
		{name: "throttled once, adaptive retryer", scenario: "throttled-one", want: []expect{
			{"inspection-fw", "FLOW", "kms.key-policy", delivery.OK, "lets delivery.logs.amazonaws.com"},
		}, calls: map[string]int{"network-firewall:ListFirewalls": 2}},
		{name: "throttled", scenario: "throttled", want: []expect{
			{"inspection-fw", "FLOW", "kms.key-policy", delivery.OK, "lets delivery.logs.amazonaws.com"},
			{"inspection-fw", "FLOW", "evidence.logs", delivery.OK, "logs are arriving"},
		}, calls: map[string]int{"kms:GetKeyPolicy": 3, "kms:DescribeKey": 3}, standardRetry: true},
		{name: "logs-stopped", scenario: "logs-stopped", want: []expect{
			{"inspection-fw", "FLOW", "evidence.logs", delivery.WARN, "FLOW logs stopped arriving"},
		}},
		{name: "logs-and-firehose", scenario: "logs-firehose", want: []expect{
			{"alert-fw", "ALERT", "logs.kms-key-policy", delivery.FAIL, "logs.ap-northeast-1.amazonaws.com may not call kms:GenerateDataKey"},
			{"alert-fw", "ALERT", "logs.resource-policy", delivery.OK, "resource policy lets"},
			{"flow-fw", "FLOW", "evidence.logs", delivery.OK, "logs are arriving"},
			{"stream-fw", "FLOW", "firehose.tag", delivery.FAIL, "not tagged LogDeliveryEnabled=true"},
			{"stream-fw", "ALERT", "evidence.logs", delivery.WARN, "KMS_ACCESS_DENIED"},
		}},
		{name: "cross-account, archive audited", scenario: "cross-account", opts: Options{Accounts: []string{acctA, acctB}, RoleName: "LogpathAudit"}, want: []expect{
			{"inspection-fw", "FLOW", "s3.bucket-policy", delivery.OK, "bucket policy lets"},
			{"inspection-fw", "FLOW", "kms.key-policy", delivery.OK, "key policy of"},
			{"inspection-fw", "FLOW", "evidence.logs", delivery.OK, "logs are arriving"},
		}},
		{name: "cross-account, archive not audited", scenario: "cross-account", want: []expect{
			{"inspection-fw", "FLOW", "s3.bucket-policy", delivery.UNKNOWN, "s3:GetBucketPolicy is owner-only"},
			{"inspection-fw", "FLOW", "kms.key-policy", delivery.UNKNOWN, "kms:GetKeyPolicy never works across accounts"},
			{"inspection-fw", "FLOW", "kms.key-state", delivery.OK, "Enabled"},
			{"inspection-fw", "FLOW", "evidence.logs", delivery.OK, "logs are arriving"},
		}, calls: map[string]int{"s3:GetBucketPolicy": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := tt.as
			if as == "" {
				as = acctA
			}
			adaptiveRetries = !tt.standardRetry
			defer func() { adaptiveRetries = true }()
			m, srv := audit(t, tt.scenario, as, tt.opts)
			ds := golden(t, strings.ReplaceAll(strings.ReplaceAll(tt.name, ",", ""), " ", "-"), m)
			for _, w := range tt.want {
				g := gate(t, ds, w.source, w.logType, w.gate)
				if g.Verdict != w.verdict || !strings.Contains(g.Reason, w.says) {
					t.Errorf("%s %s %s: %s %q, want %s with %q", w.source, w.logType, w.gate, g.Verdict, g.Reason, w.verdict, w.says)
				}
			}
			for op, n := range tt.calls {
				if got := srv.Calls(op); got != n {
					t.Errorf("%s called %d times, want %d", op, got, n)
				}
			}
		})
	}
}
