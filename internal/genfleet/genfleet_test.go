package genfleet_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/internal/genfleet"
	"github.com/logpath/logpath/load/cloudformation"
	"github.com/logpath/logpath/load/tfhcl"
	"github.com/logpath/logpath/model"
)

const (
	account = "111122223333"
	region  = "ap-northeast-1"
)

// load generates a fleet of n in the given format and loads it with the
// loader `logpath check` uses for it.
func load(t *testing.T, format string, n int) *model.Model {
	t.Helper()
	dir := t.TempDir()
	switch format {
	case "cloudformation":
		var buf bytes.Buffer
		if err := genfleet.WriteCloudFormation(&buf, n); err != nil {
			t.Fatal(err)
		}
		m, err := cloudformation.Load(filepath.Join(dir, "fleet.yaml"), buf.Bytes(), cloudformation.Options{Account: account, Region: region})
		if err != nil {
			t.Fatalf("the generated template does not load: %v", err)
		}
		return m
	case "terraform":
		if err := genfleet.WriteTerraform(dir, n); err != nil {
			t.Fatal(err)
		}
		m, err := tfhcl.LoadDir(dir, tfhcl.Options{Account: account, Region: region})
		if err != nil {
			t.Fatalf("the generated configuration does not load: %v", err)
		}
		return m
	}
	t.Fatalf("unknown format %q", format)
	return nil
}

// outcome is what a flaw must lead to for both log types of its firewall:
// the delivery's verdict and the gates that are not OK.
var outcome = map[genfleet.Flaw]struct {
	verdict delivery.Verdict
	gates   string
}{
	genfleet.NoFlaw:                   {delivery.OK, ""},
	genfleet.KeyPolicyWithoutDelivery: {delivery.FAIL, "kms.key-policy"},
	genfleet.KeyByID:                  {delivery.FAIL, "s3.encryption"},
	genfleet.KeyViaService:            {delivery.WARN, "kms.key-policy"},
}

// The generated fleets are read by the real loaders into the resources
// intended, and `logpath check` decides each firewall as its flaw says; the
// counts are written out by hand for small fleets.
func TestFleetVerdicts(t *testing.T) {
	tests := []struct {
		n                       int
		ok, warn, unknown, fail int // deliveries
	}{
		{n: 0},
		{n: 3, ok: 2, fail: 4},
		{n: 20, ok: 28, warn: 4, fail: 8},
	}
	for _, format := range []string{"cloudformation", "terraform"} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/n=%d", format, tt.n), func(t *testing.T) {
				m := load(t, format, tt.n)
				if len(m.Firewalls) != tt.n || len(m.Buckets) != tt.n || len(m.Keys) != tt.n {
					t.Fatalf("loaded %d firewalls, %d buckets, %d keys; want %d of each", len(m.Firewalls), len(m.Buckets), len(m.Keys), tt.n)
				}
				for _, b := range m.Buckets {
					if p, ok := b.Policy.Get(); !ok || p == nil {
						t.Errorf("bucket %s: no bucket policy was read (%s)", b.ID, b.Policy.Reason())
					}
				}
				ds := delivery.Analyze(m)
				if len(ds) != 2*tt.n {
					t.Fatalf("%d deliveries, want %d (FLOW and ALERT of each firewall)", len(ds), 2*tt.n)
				}
				var count [4]int
				for _, d := range ds {
					count[d.Verdict]++
					var i int
					if _, err := fmt.Sscanf(d.Source.Name, "fw-%d", &i); err != nil {
						t.Fatalf("source %q: %v", d.Source.Name, err)
					}
					if want := fmt.Sprintf("amzn-s3-demo-logs-%s-%s", strings.TrimPrefix(d.Source.Name, "fw-"), account); d.Destination.Name != want {
						t.Errorf("%s %s goes to %q, want %q", d.Source.Name, d.Source.LogType, d.Destination.Name, want)
					}
					var notOK []string
					for _, g := range d.Gates {
						if g.Verdict != delivery.OK {
							notOK = append(notOK, g.ID)
						}
					}
					flaw := genfleet.FlawOf(i)
					want := outcome[flaw]
					if d.Verdict != want.verdict || strings.Join(notOK, ",") != want.gates {
						t.Errorf("%s %s (flaw: %v): %v at [%s], want %v at [%s]", d.Source.Name, d.Source.LogType, flaw,
							d.Verdict, strings.Join(notOK, ","), want.verdict, want.gates)
					}
				}
				got := [4]int{delivery.OK: tt.ok, delivery.WARN: tt.warn, delivery.UNKNOWN: tt.unknown, delivery.FAIL: tt.fail}
				if count != got {
					t.Errorf("verdicts OK/WARN/UNKNOWN/FAIL = %v, want %v", count, got)
				}
			})
		}
	}
}

func TestFlawOfMix(t *testing.T) {
	count := map[genfleet.Flaw]int{}
	for i := range 1000 {
		count[genfleet.FlawOf(i)]++
	}
	want := map[genfleet.Flaw]int{genfleet.NoFlaw: 700, genfleet.KeyPolicyWithoutDelivery: 100, genfleet.KeyByID: 100, genfleet.KeyViaService: 100}
	for f, n := range want {
		if count[f] != n {
			t.Errorf("%v: %d of 1000 firewalls, want %d", f, count[f], n)
		}
	}
}

func TestDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := genfleet.WriteCloudFormation(&a, 25); err != nil {
		t.Fatal(err)
	}
	if err := genfleet.WriteCloudFormation(&b, 25); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two CloudFormation templates for the same n differ")
	}
	d1, d2 := t.TempDir(), t.TempDir()
	if err := genfleet.WriteTerraform(d1, 250); err != nil {
		t.Fatal(err)
	}
	if err := genfleet.WriteTerraform(d2, 250); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(d1, "*.tf"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
		x, _ := os.ReadFile(f)
		y, err := os.ReadFile(filepath.Join(d2, filepath.Base(f)))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs for the same n", filepath.Base(f))
		}
	}
	if want := "firewalls-0000-0099.tf firewalls-0100-0199.tf firewalls-0200-0249.tf main.tf"; strings.Join(names, " ") != want {
		t.Errorf("files %q, want %q", names, want)
	}
}

func TestWriteTerraformRefusesADirectoryWithTfFiles(t *testing.T) {
	dir := t.TempDir()
	if err := genfleet.WriteTerraform(dir, 1); err != nil {
		t.Fatal(err)
	}
	err := genfleet.WriteTerraform(dir, 1)
	if err == nil || !strings.Contains(err.Error(), "already holds .tf files") {
		t.Errorf("second WriteTerraform into %s: %v, want an error", dir, err)
	}
	if err := genfleet.WriteCloudFormation(&bytes.Buffer{}, -1); err == nil {
		t.Error("n = -1: no error")
	}
}

func TestFirewallName(t *testing.T) {
	for _, tt := range []struct {
		i, n int
		want string
	}{{0, 3, "fw-0000"}, {999, 1000, "fw-0999"}, {12345, 20000, "fw-12345"}, {7, 20000, "fw-00007"}} {
		if got := genfleet.FirewallName(tt.i, tt.n); got != tt.want {
			t.Errorf("FirewallName(%d, %d) = %q, want %q", tt.i, tt.n, got, tt.want)
		}
	}
}
