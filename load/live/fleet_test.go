package live

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/internal/fakeaws"
	"github.com/logpath/logpath/model"
)

// readFleet audits a fleet served by the fake, from its management account
// with --org --role-name LogpathAudit.
func readFleet(tb testing.TB, srv *fakeaws.Server, o Options) *model.Model {
	tb.Helper()
	for _, kv := range srv.Env(fakeaws.FleetAccount(0), region) {
		k, v, _ := strings.Cut(kv, "=")
		tb.Setenv(k, v)
	}
	tb.Setenv("AWS_PROFILE", "")
	o.Org, o.RoleName, o.Now = true, "LogpathAudit", srv.Now
	m, err := Read(context.Background(), o)
	if err != nil {
		tb.Fatalf("Read: %v", err)
	}
	return m
}

// Ten accounts of an organization, one of which has no audit role: that
// account is reported UNKNOWN and the nine others are read, with the RCP
// of the root evaluated.
func TestTenAccounts(t *testing.T) {
	srv := fakeaws.New(fakeaws.Fleet(10, 2, 0, 6))
	defer srv.Close()
	ds := delivery.Analyze(readFleet(t, srv, Options{}))
	var ok, unknown int
	for _, d := range ds {
		switch d.Verdict {
		case delivery.OK:
			ok++
			if d.Evidence == nil || d.Evidence.State != delivery.EvidenceArriving {
				t.Errorf("%s %s: evidence %+v", d.Source.Account, d.Source.Name, d.Evidence)
			}
			found := false
			for _, g := range d.Gates {
				found = found || (g.ID == "org.rcp" && g.Verdict == delivery.OK)
			}
			if !found {
				t.Errorf("%s %s: no OK org.rcp gate", d.Source.Account, d.Source.Name)
			}
		case delivery.UNKNOWN:
			unknown++
			if d.Source.Account != fakeaws.FleetAccount(6) || !strings.Contains(d.Gates[0].Reason, "cannot assume arn:aws:iam::"+fakeaws.FleetAccount(6)+":role/LogpathAudit") {
				t.Errorf("unknown delivery %+v", d)
			}
		default:
			t.Errorf("%s %s: %s", d.Source.Account, d.Source.Name, d.Verdict)
		}
	}
	if ok != 18 || unknown != 1 {
		t.Errorf("%d OK, %d UNKNOWN; want 18 and 1", ok, unknown)
	}
	// Shared reads: every bucket and key once.
	if n := srv.Calls("kms:GetKeyPolicy"); n != 18 {
		t.Errorf("GetKeyPolicy called %d times for 18 keys", n)
	}
	if u := srv.Unexpected(); len(u) > 0 {
		t.Errorf("unexpected calls: %v", u)
	}
}

// BenchmarkAuditOrganization audits an organization of 20 accounts with 50
// firewalls each, each logging to its own bucket encrypted with its own
// key, served by the fake with 20 ms per call (about 8,000 calls). Goal:
// the whole audit in under 10 s. Figures: docs/benchmarks.md.
func BenchmarkAuditOrganization(b *testing.B) {
	srv := fakeaws.New(fakeaws.Fleet(20, 50, 20*time.Millisecond))
	defer srv.Close()
	for b.Loop() {
		m := readFleet(b, srv, Options{})
		ds := delivery.Analyze(m)
		if len(ds) != 1000 {
			b.Fatalf("%d deliveries, want 1000", len(ds))
		}
		for _, d := range ds {
			if d.Verdict != delivery.OK {
				b.Fatalf("%s %s: %s", d.Source.Account, d.Source.Name, d.Verdict)
			}
		}
	}
	b.ReportMetric(float64(srv.Calls("s3:GetBucketPolicy"))/float64(b.N), "buckets/op")
}

// From a member account, the organization's RCPs cannot be read: org.rcp
// is UNKNOWN and says why, never OK.
func TestMemberAccountRCPsUnknown(t *testing.T) {
	srv := fakeaws.New(fakeaws.Fleet(2, 1, 0))
	defer srv.Close()
	for _, kv := range srv.Env(fakeaws.FleetAccount(1), region) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	m, err := Read(context.Background(), Options{Now: srv.Now})
	if err != nil {
		t.Fatal(err)
	}
	ds := delivery.Analyze(m)
	if len(ds) != 1 {
		t.Fatalf("%d deliveries", len(ds))
	}
	g := gate(t, ds, "fw-00", "FLOW", "org.rcp")
	if g.Verdict != delivery.UNKNOWN || !strings.Contains(g.Reason, "management account or a delegated administrator") {
		t.Errorf("org.rcp: %s %q", g.Verdict, g.Reason)
	}
}
