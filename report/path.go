package report

import (
	"strings"

	"github.com/logpath/logpath/delivery"
)

// hop is one step of a delivery's path: the source, the service that
// writes, then each resource on the way with the gates decided on it.
type hop struct {
	label   string
	gates   []delivery.GateResult
	verdict delivery.Verdict
}

// hops draws a delivery as the path its logs take: source -> the principal
// AWS writes as -> each resource (bucket, key, log group, stream) with its
// gates, consecutive gates on one resource grouped.
func hops(d *delivery.Delivery) []hop {
	out := []hop{{label: strings.TrimSpace(d.Source.Name + " " + d.Source.LogType)}}
	for _, g := range d.Gates {
		if g.Request != nil && g.Request.Principal != "" {
			out = append(out, hop{label: g.Request.Principal})
			break
		}
	}
	// Consecutive gates of one service (s3.*, kms.*) are on one resource;
	// the first gate that names it gives the label (a key policy's gate may
	// point at the policy document rather than the key).
	family := ""
	for _, g := range d.Gates {
		f, _, _ := strings.Cut(g.ID, ".")
		if f == "evidence" || f == "audit" {
			continue // what a live account shows, not a step on the way
		}
		if last := &out[len(out)-1]; len(last.gates) > 0 && f == family {
			last.gates = append(last.gates, g)
			last.verdict = max(last.verdict, g.Verdict)
			if last.label == "" {
				last.label = g.Location.ID
			}
			continue
		}
		family = f
		out = append(out, hop{label: g.Location.ID, gates: []delivery.GateResult{g}, verdict: g.Verdict})
	}
	for i := range out {
		if out[i].label == "" {
			out[i].label = kindLabel(d, out[i].gates[0].ID)
		}
	}
	return out
}

// kindLabel names a resource with no ID in the input by its kind.
func kindLabel(d *delivery.Delivery, gateID string) string {
	kind, _, _ := strings.Cut(gateID, ".")
	switch kind {
	case "s3":
		return "bucket " + d.Destination.Name
	case "logs":
		return "log group " + d.Destination.Name
	case "firehose":
		return "stream " + d.Destination.Name
	case "kms":
		return "KMS key"
	case "org":
		return "organization"
	}
	return kind
}
