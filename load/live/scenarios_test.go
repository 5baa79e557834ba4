package live

import (
	"regexp"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/internal/fakeaws"
	"github.com/logpath/logpath/model"
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
			checkScenario(t, ds, srv, tt.want, tt.calls)
		})
	}
}

// checkScenario checks the gates a scenario must decide, and the calls it
// must make, exactly.
func checkScenario(t *testing.T, ds []delivery.Delivery, srv *fakeaws.Server, want []expect, calls map[string]int) {
	t.Helper()
	for _, w := range want {
		g := gate(t, ds, w.source, w.logType, w.gate)
		if g.Verdict != w.verdict || !strings.Contains(g.Reason, w.says) {
			t.Errorf("%s %s %s: %s %q, want %s with %q", w.source, w.logType, w.gate, g.Verdict, g.Reason, w.verdict, w.says)
		}
	}
	for op, n := range calls {
		if got := srv.Calls(op); got != n {
			t.Errorf("%s called %d times, want %d", op, got, n)
		}
	}
}

// With --evidence metrics, a delivery the policies allow but that never
// delivered while the firewall received packets is a WARN.
func TestMetricsEvidence(t *testing.T) {
	m, srv := audit(t, "silent", acctA, Options{Evidence: EvidenceMetrics})
	ds := golden(t, "silent-metrics", m)
	g := gate(t, ds, "inspection-fw", "FLOW", "evidence.logs")
	if g.Verdict != delivery.WARN || !strings.Contains(g.Reason, "nothing was delivered while the firewall received 125000 packets") {
		t.Errorf("evidence.logs: %s %q", g.Verdict, g.Reason)
	}
	if srv.Calls("cloudwatch:GetMetricData") != 1 {
		t.Errorf("GetMetricData called %d times", srv.Calls("cloudwatch:GetMetricData"))
	}
	// Without metrics (the default), no GetMetricData, and no WARN.
	m, srv = audit(t, "silent", acctA, Options{})
	if v := verdictOf(t, delivery.Analyze(m), "inspection-fw", "FLOW"); v != delivery.OK || srv.Calls("cloudwatch:GetMetricData") != 0 {
		t.Errorf("without metrics: %s, %d GetMetricData calls", v, srv.Calls("cloudwatch:GetMetricData"))
	}
}

// atSnapshot is where a snapshot places a resource; a live one has no file.
var atSnapshot = regexp.MustCompile(` at snapshot\.json:\d+`)

// A snapshot written from a live read gives check the same verdicts.
func TestSnapshotRoundTrip(t *testing.T) {
	for _, sc := range []string{"seed-broken", "cross-account", "logs-firehose", "key-states", "denied-key-policy",
		"flowlogs-s3", "flowlogs-cwl", "flowlogs-iam-denied", "resolver-association-error", "waf-logs", "sources-denied",
		"cloudtrail", "cloudtrail-status-denied"} {
		t.Run(sc, func(t *testing.T) {
			m, _ := audit(t, sc, acctA, Options{})
			data, err := model.WriteSnapshot(m)
			if err != nil {
				t.Fatal(err)
			}
			back, err := model.ReadSnapshot("snapshot.json", data)
			if err != nil {
				t.Fatalf("%v\n%s", err, data)
			}
			want, got := delivery.Analyze(m), delivery.Analyze(back)
			if len(want) != len(got) {
				t.Fatalf("%d deliveries, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i].Verdict != want[i].Verdict || len(got[i].Gates) != len(want[i].Gates) {
					t.Errorf("delivery %d: %s with %d gates, want %s with %d", i, got[i].Verdict, len(got[i].Gates), want[i].Verdict, len(want[i].Gates))
					continue
				}
				for j := range want[i].Gates {
					if got[i].Gates[j].ID != want[i].Gates[j].ID || got[i].Gates[j].Verdict != want[i].Gates[j].Verdict || atSnapshot.ReplaceAllString(got[i].Gates[j].Reason, "") != want[i].Gates[j].Reason {
						t.Errorf("gate %s: %s %q, want %s %q", want[i].Gates[j].ID, got[i].Gates[j].Verdict, got[i].Gates[j].Reason, want[i].Gates[j].Verdict, want[i].Gates[j].Reason)
					}
				}
			}
		})
	}
}

// Access denied on ListFirewalls: the Region's firewalls are one UNKNOWN
// delivery naming the action, not an empty, clean report.
func TestListDenied(t *testing.T) {
	m, _ := audit(t, "denied-list", acctA, Options{})
	ds := golden(t, "denied-list", m)
	if len(ds) != 1 || ds[0].Verdict != delivery.UNKNOWN || ds[0].Gates[0].ID != "audit.read" ||
		!strings.Contains(ds[0].Gates[0].Reason, "access denied on network-firewall:ListFirewalls") {
		t.Errorf("got %+v", ds)
	}
}
