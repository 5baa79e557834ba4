package delivery

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/logpath/logpath/model"
)

func readSeed(t *testing.T, file string) *model.Model {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.ReadSnapshot(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The rules of shared/reference/aws-live-audit.md §3.3, on the seed (whose
// policies FAIL) and its fix (whose policies are OK).
func TestEvidenceCombinesWithThePolicyVerdict(t *testing.T) {
	observed := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	at := func(ago time.Duration) model.Value[*time.Time] {
		t := observed.Add(-ago)
		return model.Known(&t)
	}
	tests := []struct {
		name    string
		seed    string
		logType string
		ev      model.Evidence
		want    Verdict
		state   string
		gate    Verdict
		contra  bool
		says    string
	}{
		{"fixed, arriving: confirmed", "snapshot-fixed.json", "FLOW", model.Evidence{Newest: at(10 * time.Minute)}, OK, EvidenceArriving, OK, false, "confirms"},
		{"fixed, stopped two days ago: WARN", "snapshot-fixed.json", "FLOW", model.Evidence{Newest: at(48 * time.Hour)}, WARN, EvidenceStopped, WARN, false, "stopped arriving"},
		{"fixed, never, traffic unknown: unchanged", "snapshot-fixed.json", "FLOW", model.Evidence{Newest: model.Known[*time.Time](nil)}, OK, EvidenceNone, OK, false, "idle firewall"},
		{"fixed, never, traffic: WARN", "snapshot-fixed.json", "FLOW", model.Evidence{Newest: model.Known[*time.Time](nil), Traffic: model.Known(1200.0)}, WARN, EvidenceNone, WARN, false, "1200 packets"},
		{"fixed, never, no traffic: unchanged", "snapshot-fixed.json", "FLOW", model.Evidence{Newest: model.Known[*time.Time](nil), Traffic: model.Known(0.0)}, OK, EvidenceNone, OK, false, "no traffic"},
		{"fixed, ALERT empty with traffic: may be empty", "snapshot-fixed.json", "ALERT", model.Evidence{Newest: model.Known[*time.Time](nil), Traffic: model.Known(5.0)}, OK, EvidenceNone, OK, false, "rightly be empty"},
		{"fixed, unreadable: said so, unchanged", "snapshot-fixed.json", "FLOW", model.Evidence{Newest: model.Unknown[*time.Time]("access denied on s3:ListBucket")}, OK, EvidenceUnread, OK, false, "s3:ListBucket"},
		{"fixed, AWS-reported failure: never OK", "snapshot-fixed.json", "FLOW", model.Evidence{Newest: at(time.Minute), Failure: `Firehose FailureDescription: KMS_ACCESS_DENIED`}, WARN, EvidenceArriving, WARN, false, "KMS_ACCESS_DENIED"},
		{"seed, arriving: contradiction, FAIL stands", "snapshot.json", "FLOW", model.Evidence{Newest: at(time.Minute)}, FAIL, EvidenceArriving, WARN, true, "CONTRADICTION"},
		{"seed, none: agrees", "snapshot.json", "FLOW", model.Evidence{Newest: model.Known[*time.Time](nil)}, FAIL, EvidenceNone, OK, false, "agrees with the FAIL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := readSeed(t, "../examples/seed/"+tt.seed)
			ev := tt.ev
			ev.ObservedAt, ev.Lookback = observed, "24h0m0s"
			dest := &m.Firewalls[0].Logging.Destinations[0]
			dest.LogType = model.Known(tt.logType)
			dest.Evidence = &ev
			ds := Analyze(m)
			if len(ds) != 1 {
				t.Fatalf("%d deliveries", len(ds))
			}
			d := ds[0]
			if d.Verdict != tt.want || d.Effective != tt.want {
				t.Errorf("verdict %s (effective %s), want %s", d.Verdict, d.Effective, tt.want)
			}
			if d.Evidence == nil || d.Evidence.State != tt.state || d.Evidence.Contradiction != tt.contra {
				t.Fatalf("evidence %+v, want state %s, contradiction %v", d.Evidence, tt.state, tt.contra)
			}
			last := d.Gates[len(d.Gates)-1]
			if last.ID != "evidence.logs" || last.Verdict != tt.gate {
				t.Errorf("last gate %s %s, want evidence.logs %s", last.ID, last.Verdict, tt.gate)
			}
			if !strings.Contains(d.Evidence.Summary, tt.says) || last.Reason != d.Evidence.Summary {
				t.Errorf("summary %q does not say %q (gate: %q)", d.Evidence.Summary, tt.says, last.Reason)
			}
		})
	}
}

// With a gate UNKNOWN, the policies have not been shown to allow delivery,
// and the evidence does not say they have.
func TestEvidenceWithAnUnknownGate(t *testing.T) {
	observed := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	stopped := observed.Add(-48 * time.Hour)
	m := readSeed(t, "../examples/seed/snapshot-fixed.json")
	m.Keys[0].Policy = model.Unknown[*model.PolicyDocument]("access denied on kms:GetKeyPolicy")
	m.Firewalls[0].Logging.Destinations[0].Evidence = &model.Evidence{Newest: model.Known(&stopped), ObservedAt: observed, Lookback: "24h0m0s"}
	ds := Analyze(m)
	if len(ds) != 1 || ds[0].Verdict != UNKNOWN || ds[0].Evidence == nil {
		t.Fatalf("deliveries %+v", ds)
	}
	if s := ds[0].Evidence.Summary; strings.Contains(s, "the policies allow delivery") || !strings.Contains(s, "stopped arriving although no gate logpath could decide fails") {
		t.Errorf("summary %q", s)
	}
}

func TestGapsAreUnknownDeliveries(t *testing.T) {
	m := &model.Model{Gaps: []*model.Gap{
		{Account: "444455556666", Reason: "cannot assume arn:aws:iam::444455556666:role/LogpathAudit: AccessDenied"},
		{Account: "111122223333", Region: "eu-west-1", Source: "network-firewall", Reason: "network-firewall:ListFirewalls: AccessDeniedException"},
	}}
	ds := Analyze(m)
	if len(ds) != 2 {
		t.Fatalf("%d deliveries", len(ds))
	}
	for i, d := range ds {
		if d.Verdict != UNKNOWN || d.Gates[0].ID != "audit.read" || d.Gates[0].Reason != m.Gaps[i].Reason {
			t.Errorf("delivery %d: %+v", i, d)
		}
	}
	if ds[0].Source.Type != "account" || ds[1].Source.Type != "network-firewall" || !strings.Contains(ds[1].Source.Name, "eu-west-1") {
		t.Errorf("sources %+v, %+v", ds[0].Source, ds[1].Source)
	}
}

func TestNFWObjectPrefix(t *testing.T) {
	for _, tt := range []struct{ prefix, want string }{
		{"", "AWSLogs/111122223333/network-firewall/flow/ap-northeast-1/fw/"},
		{"nfw", "nfw/AWSLogs/111122223333/network-firewall/flow/ap-northeast-1/fw/"},
		{"nfw/", "nfw/AWSLogs/111122223333/network-firewall/flow/ap-northeast-1/fw/"},
		{"/", "/AWSLogs/111122223333/network-firewall/flow/ap-northeast-1/fw/"},
	} {
		if got := NFWObjectPrefix(tt.prefix, "111122223333", "FLOW", "ap-northeast-1", "fw"); got != tt.want {
			t.Errorf("prefix %q: %q, want %q", tt.prefix, got, tt.want)
		}
	}
}

// Evidence on the sources that log whatever they see (VPC Flow Logs,
// Route 53 Resolver, WAF): logs that stopped arriving are a WARN, an
// AWS-reported failure is never OK, and the wording names the source, not
// a firewall. shared/reference/aws-live-audit.md §3.1, §3.3.
func TestEvidenceOnOtherSources(t *testing.T) {
	observed := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) model.Value[*time.Time] {
		t := observed.Add(-d)
		return model.Known(&t)
	}
	resolver := func(ev *model.Evidence) func(m *model.Model) {
		return func(m *model.Model) { m.ResolverQueryLogConfigs[0].Evidence = ev }
	}
	waf := func(ev *model.Evidence) func(m *model.Model) {
		return func(m *model.Model) { m.WAFLoggingConfigurations[0].Destinations[0].Evidence = ev }
	}
	for _, tt := range []struct {
		name  string
		build func(ev *model.Evidence) func() *model.Model
		ev    model.Evidence
		want  Verdict
		says  string
	}{
		{"resolver arriving: confirmed", func(ev *model.Evidence) func() *model.Model {
			return resolverModel(keyPolicy(goodKeyPolicy), resolver(ev))
		},
			model.Evidence{Newest: ago(5 * time.Minute)}, OK, "confirms the policy verdict"},
		{"resolver stopped: WARN naming the configuration", func(ev *model.Evidence) func() *model.Model {
			return resolverModel(keyPolicy(goodKeyPolicy), resolver(ev))
		},
			model.Evidence{Newest: ago(72 * time.Hour)}, WARN, "the query logging configuration had nothing to log since"},
		{"resolver never: no metric to tell", func(ev *model.Evidence) func() *model.Model {
			return resolverModel(keyPolicy(goodKeyPolicy), resolver(ev))
		},
			model.Evidence{Newest: model.Known[*time.Time](nil)}, OK, "no traffic metric for a query logging configuration"},
		{"resolver association error: never OK", func(ev *model.Evidence) func() *model.Model {
			return resolverModel(keyPolicy(goodKeyPolicy), resolver(ev))
		},
			model.Evidence{Newest: ago(5 * time.Minute), Failure: `Route 53 Resolver reports association rslvr-qlca-1 (vpc-1): Status FAILED, Error ACCESS_DENIED`}, WARN, "ACCESS_DENIED"},
		{"resolver FAIL with AWS failure: FAIL", func(ev *model.Evidence) func() *model.Model { return resolverModel(resolver(ev)) },
			model.Evidence{Newest: model.Known[*time.Time](nil), Failure: `Route 53 Resolver reports Status FAILED`}, FAIL, "Status FAILED"},
		{"WAF stopped: WARN naming the web ACL", func(ev *model.Evidence) func() *model.Model { return wafModel(keyPolicy(goodKeyPolicy), waf(ev)) },
			model.Evidence{Newest: ago(30 * time.Hour)}, WARN, "the web ACL had nothing to log since"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev := tt.ev
			ev.ObservedAt, ev.Lookback = observed, "24h0m0s"
			ds := Analyze(tt.build(&ev)())
			if len(ds) != 1 {
				t.Fatalf("%d deliveries", len(ds))
			}
			d := ds[0]
			last := d.Gates[len(d.Gates)-1]
			if d.Verdict != tt.want || last.ID != "evidence.logs" || !strings.Contains(last.Reason, tt.says) || strings.Contains(last.Reason, "firewall") {
				t.Errorf("%s, last gate %s %s %q; want %s with %q", d.Verdict, last.ID, last.Verdict, last.Reason, tt.want, tt.says)
			}
		})
	}
}
