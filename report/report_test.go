package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
)

func deliveries() []delivery.Delivery {
	return []delivery.Delivery{
		{Source: delivery.Source{Type: "network-firewall", Name: "fw", LogType: "FLOW"},
			Destination: delivery.Destination{Type: "S3", Name: "b"}, Verdict: delivery.FAIL, Effective: delivery.OK,
			Gates: []delivery.GateResult{{ID: "kms.key-policy", Verdict: delivery.FAIL, Reason: "denied",
				Suppressed: &delivery.Suppressed{Reason: "accepted"}}}},
		{Source: delivery.Source{Type: "network-firewall", Name: "fw", LogType: "ALERT"},
			Destination: delivery.Destination{Type: "S3", Name: "b"}, Verdict: delivery.WARN, Effective: delivery.WARN,
			Gates: []delivery.GateResult{{ID: "kms.key-policy", Verdict: delivery.WARN, Reason: "no Decrypt"}}},
	}
}

// Suppressed findings do not count: the worst effective verdict is WARN
// although a delivery's own verdict is FAIL.
func TestWorstLeavesOutSuppressedFindings(t *testing.T) {
	if got := Worst(deliveries()); got != delivery.WARN {
		t.Errorf("Worst = %s, want WARN", got)
	}
}

func TestTextColor(t *testing.T) {
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		TextWith(&b, deliveries(), TextOptions{Color: color})
		out := b.String()
		if got := strings.Contains(out, "\x1b["); got != color {
			t.Errorf("Color=%v: ANSI escapes present = %v\n%s", color, got, out)
		}
		// Columns line up whether or not the verdicts are painted.
		first := strings.SplitN(out, "\n", 2)[0]
		if plain := strings.NewReplacer("\x1b[1;31m", "", "\x1b[0m", "").Replace(first); !strings.HasPrefix(plain, "FAIL    network-firewall") {
			t.Errorf("Color=%v: first line %q", color, first)
		}
		if !strings.Contains(out, "suppressed: kms.key-policy; counts as OK") || !strings.Contains(out, "1 suppressed findings") {
			t.Errorf("Color=%v: the suppression is not shown:\n%s", color, out)
		}
	}
}
