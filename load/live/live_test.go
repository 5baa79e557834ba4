package live

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/internal/fakeaws"
	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/report"
)

var update = flag.Bool("update", false, "rewrite testdata/golden")

const (
	acctA  = "111122223333"
	acctB  = "444455556666"
	region = "ap-northeast-1"
)

// audit runs the reader with the real SDK clients against the fake,
// configured only through the environment (AWS_ENDPOINT_URL, static
// credentials), as a user's shell would.
func audit(t *testing.T, scenario, as string, o Options) (*model.Model, *fakeaws.Server) {
	t.Helper()
	srv := fakeaws.Start(t, filepath.Join("..", "..", "internal", "fakeaws", "testdata", scenario+".yaml"))
	for _, kv := range srv.Env(as, region) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("AWS_PROFILE", "")
	o.Now = srv.Now
	if o.MaxBackoff == 0 {
		o.MaxBackoff = time.Millisecond
	}
	m, err := Read(context.Background(), o)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	// What the fake saw is in docs/iam-policy.json, but sts:AssumeRole,
	// the caller's own permission.
	policy := readPolicyActions(t)
	for _, op := range srv.Ops() {
		action := op
		if a, ok := iamAction[op]; ok {
			action = a
		}
		if !policy[action] && op != "sts:AssumeRole" {
			t.Errorf("the audit called %s, which docs/iam-policy.json does not allow", op)
		}
	}
	return m, srv
}

// golden compares the text report of a model with testdata/golden.
func golden(t *testing.T, name string, m *model.Model) []delivery.Delivery {
	t.Helper()
	ds := delivery.Analyze(m)
	var out bytes.Buffer
	report.TextWith(&out, ds, report.TextOptions{})
	file := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		os.MkdirAll(filepath.Dir(file), 0o755)
		if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return ds
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./load/live -update)", err)
	}
	if out.String() != string(want) {
		t.Errorf("report differs from %s (go test ./load/live -update after checking):\n--- got\n%s\n--- want\n%s", file, out.String(), want)
	}
	return ds
}

// gate finds a gate's verdict in the delivery of a source and log type.
func gate(t *testing.T, ds []delivery.Delivery, source, logType, id string) *delivery.GateResult {
	t.Helper()
	for i := range ds {
		if ds[i].Source.Name == source && ds[i].Source.LogType == logType {
			for j := range ds[i].Gates {
				if ds[i].Gates[j].ID == id {
					return &ds[i].Gates[j]
				}
			}
			t.Fatalf("%s %s has no gate %s", source, logType, id)
		}
	}
	t.Fatalf("no delivery from %s %s", source, logType)
	return nil
}

func verdictOf(t *testing.T, ds []delivery.Delivery, source, logType string) delivery.Verdict {
	t.Helper()
	for _, d := range ds {
		if d.Source.Name == source && d.Source.LogType == logType {
			return d.Verdict
		}
	}
	t.Fatalf("no delivery from %s %s", source, logType)
	return 0
}

func TestSeedBroken(t *testing.T) {
	m, srv := audit(t, "seed-broken", acctA, Options{})
	ds := golden(t, "seed-broken", m)
	if g := gate(t, ds, "inspection-fw", "FLOW", "kms.key-policy"); g.Verdict != delivery.FAIL || g.Fix == nil {
		t.Errorf("kms.key-policy: %s %s (fix %v)", g.Verdict, g.Reason, g.Fix)
	}
	if ev := ds[0].Evidence; ev == nil || ev.State != delivery.EvidenceNone {
		t.Errorf("evidence %+v, want none", ev)
	}
	if n := srv.Calls("kms:DescribeKey"); n != 1 {
		t.Errorf("DescribeKey called %d times", n)
	}
}

func TestSeedFixed(t *testing.T) {
	m, _ := audit(t, "seed-fixed", acctA, Options{})
	ds := golden(t, "seed-fixed", m)
	if v := verdictOf(t, ds, "inspection-fw", "FLOW"); v != delivery.OK {
		t.Errorf("verdict %s", v)
	}
	if ev := ds[0].Evidence; ev == nil || ev.State != delivery.EvidenceArriving {
		t.Errorf("evidence %+v, want arriving", ev)
	}
}
