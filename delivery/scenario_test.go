package delivery

import (
	"fmt"
	"strings"
	"testing"

	"github.com/logpath/logpath/model"
)

// Scenario tests: a model built in code, one delivery, the verdict of each
// gate that matters. Each scenario cites the section of
// shared/reference/aws-log-delivery.md (and through it the AWS page) it
// rests on.

const (
	acct     = "111122223333"
	other    = "444455556666"
	region   = "ap-northeast-1"
	keyID    = "1234abcd-12ab-34cd-56ef-1234567890ab"
	keyARN   = "arn:aws:kms:" + region + ":" + acct + ":key/" + keyID
	bucket   = "amzn-s3-demo-logs"
	rootOnly = `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	// The statement of the seed's experiment (Network Firewall's page).
	seedGrant = `{"Sid":"AllowLogDelivery","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*"}`
)

func doc(json string) model.Value[*model.PolicyDocument] {
	return model.Known(&model.PolicyDocument{JSON: model.Known(json)})
}

func managedDoc(json string) model.Value[*model.PolicyDocument] {
	return model.Known(&model.PolicyDocument{JSON: model.Known(json), Managed: true})
}

func policyWith(statements ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

// cmk is a customer managed key in the seed's account and Region.
func cmk(policyJSON string) *model.Key {
	return &model.Key{
		Origin:  model.Origin{ID: "LogKey"},
		KeyID:   model.Known(keyID),
		ARN:     model.Known(keyARN),
		Account: model.Known(acct), Region: model.Known(region),
		Manager: model.Known("CUSTOMER"), Spec: model.Known("SYMMETRIC_DEFAULT"), State: model.Known("Enabled"),
		Policy: doc(policyJSON),
	}
}

func firewall(dests ...model.LogDestination) *model.Firewall {
	return &model.Firewall{
		Origin:  model.Origin{ID: "Firewall"},
		Name:    model.Known("inspection-fw"),
		ARN:     model.Known("arn:aws:network-firewall:" + region + ":" + acct + ":firewall/inspection-fw"),
		Account: model.Known(acct), Region: model.Known(region),
		Logging: &model.LoggingConfiguration{Destinations: dests},
	}
}

func s3Dest(logType, prefix string) model.LogDestination {
	return model.LogDestination{LogType: model.Known(logType), Type: model.Known(model.DestS3),
		BucketName: model.Known(bucket), Prefix: model.Known(prefix)}
}

// seed is the motivating failure: Network Firewall FLOW logs to an SSE-KMS
// bucket whose customer managed key has only the default key policy.
func seed() *model.Model {
	return &model.Model{
		Firewalls: []*model.Firewall{firewall(s3Dest("FLOW", "nfw"))},
		Buckets: []*model.Bucket{{
			Origin: model.Origin{ID: "LogBucket"},
			Name:   model.Known(bucket), Account: model.Known(acct), Region: model.Known(region),
			Encryption: model.Known(&model.BucketEncryption{Algorithm: model.Known(model.SSEKMS),
				KMSKeyID: model.Known(keyARN), BucketKeyEnabled: model.Known(true)}),
			Ownership: model.Known("BucketOwnerEnforced"),
			Policy:    model.Known[*model.PolicyDocument](nil),
		}},
		Keys: []*model.Key{cmk(rootOnly)},
	}
}

type scenario struct {
	name string
	ref  string // section of the reference the scenario rests on
	// build returns the model; the first delivery is checked, or the
	// one at index (a trail's log group delivery is its second).
	build func() *model.Model
	index int
	want  Verdict
	gates map[string]Verdict
	// reason, when set, must appear in the reason of the gate named by reasonGate.
	reasonGate, reason string
	// fixGate, when set, must carry a proven fix.
	fixGate string
}

func runScenarios(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			ds := Analyze(sc.build())
			if len(ds) <= sc.index {
				t.Fatalf("%d deliveries, want one at index %d", len(ds), sc.index)
			}
			d := ds[sc.index]
			got := map[string]GateResult{}
			for _, g := range d.Gates {
				got[g.ID] = g
			}
			if d.Verdict != sc.want {
				t.Errorf("delivery verdict %v, want %v (%s)", d.Verdict, sc.want, sc.ref)
				for _, g := range d.Gates {
					t.Logf("  %s %v: %s", g.ID, g.Verdict, g.Reason)
				}
			}
			for id, want := range sc.gates {
				g, ok := got[id]
				if !ok {
					t.Errorf("gate %s missing (want %v)", id, want)
					continue
				}
				if g.Verdict != want {
					t.Errorf("gate %s = %v, want %v: %s", id, g.Verdict, want, g.Reason)
				}
			}
			if sc.reason != "" && !strings.Contains(got[sc.reasonGate].Reason, sc.reason) {
				t.Errorf("gate %s reason %q does not mention %q", sc.reasonGate, got[sc.reasonGate].Reason, sc.reason)
			}
			if sc.fixGate != "" {
				f := got[sc.fixGate].Fix
				if f == nil {
					t.Errorf("gate %s has no fix", sc.fixGate)
				} else if len(f.Statements) == 0 && f.Summary == "" {
					t.Errorf("gate %s: empty fix", sc.fixGate)
				}
			}
		})
	}
}

// mutate returns a builder that applies changes to the seed.
func mutate(changes ...func(m *model.Model)) func() *model.Model {
	return func() *model.Model {
		m := seed()
		for _, c := range changes {
			c(m)
		}
		return m
	}
}

func keyPolicy(json string) func(m *model.Model) {
	return func(m *model.Model) { m.Keys[0].Policy = doc(json) }
}

func TestSeedScenario(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "seed: root-only key policy fails at kms.key-policy", ref: "§0, §2.5, §3.3",
			build: seed, want: FAIL,
			gates:      map[string]Verdict{"s3.bucket": OK, "s3.bucket-policy": OK, "s3.encryption": OK, "kms.key-state": OK, "kms.key-policy": FAIL},
			reasonGate: "kms.key-policy", reason: "may not call kms:GenerateDataKey", fixGate: "kms.key-policy"},
		{name: "seed with the statement of the experiment: Decrypt missing is a WARN", ref: "§2.5 (multipart needs Decrypt)",
			build: mutate(keyPolicy(policyWith(`{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`, seedGrant))),
			want:  WARN, gates: map[string]Verdict{"kms.key-policy": WARN}, reasonGate: "kms.key-policy", reason: "kms:Decrypt"},
	})
}

// The fix logpath prints for the seed, applied, makes every gate OK.
func TestSeedFixApplied(t *testing.T) {
	ds := Analyze(seed())
	var f *Fix
	for _, g := range ds[0].Gates {
		if g.ID == "kms.key-policy" {
			f = g.Fix
		}
	}
	if f == nil {
		t.Fatal("no fix")
	}
	m := seed()
	m.Keys[0].Policy = doc(f.Policy)
	after := Analyze(m)[0]
	if after.Verdict != OK {
		for _, g := range after.Gates {
			t.Logf("%s %v: %s", g.ID, g.Verdict, g.Reason)
		}
		t.Fatalf("after the fix: %v", after.Verdict)
	}
}

// Two inputs that both define a bucket of the same name (two templates
// copied from one example): each firewall's logs go to its own input's
// bucket, not to whichever bucket was read last.
func TestNameLookupPrefersTheSourcesOwnInput(t *testing.T) {
	otherKey := "arn:aws:kms:" + region + ":" + acct + ":key/00000000-1111-2222-3333-444444444444"
	broken := seed()
	fixed := mutate(keyPolicy(goodKeyPolicy), func(m *model.Model) {
		m.Keys[0].ARN = model.Known(otherKey)
		m.Keys[0].KeyID = model.Known("00000000-1111-2222-3333-444444444444")
		enc, _ := m.Buckets[0].Encryption.Get()
		enc.KMSKeyID = model.Known(otherKey)
	})()
	for _, order := range [][2]*model.Model{{broken, fixed}, {fixed, broken}} {
		m := &model.Model{}
		for i, part := range order {
			p := *part
			p.Isolate(fmt.Sprint(i))
			m.Merge(&p)
		}
		ds := Analyze(m)
		if len(ds) != 2 {
			t.Fatalf("%d deliveries", len(ds))
		}
		want := map[*model.Firewall]Verdict{broken.Firewalls[0]: FAIL, fixed.Firewalls[0]: OK}
		for i, d := range ds {
			if fw := m.Firewalls[i]; d.Verdict != want[fw] {
				t.Errorf("delivery %d: %s, want %s", i, d.Verdict, want[fw])
			}
		}
	}
}
