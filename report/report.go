// Package report renders delivery verdicts for people (text) and programs
// (json).
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/logpath/logpath/delivery"
)

// JSONVersion is the version of the json report (docs/json-output.md).
const JSONVersion = 1

// JSON writes the report as one JSON document.
func JSON(w io.Writer, ds []delivery.Delivery) error {
	if ds == nil {
		ds = []delivery.Delivery{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Version    int                 `json:"version"`
		Deliveries []delivery.Delivery `json:"deliveries"`
	}{JSONVersion, ds})
}

// Text writes one line per delivery, then the gates of every delivery that
// is not OK (of every delivery with explain), with the request AWS would
// deny, the deciding statement and the fix.
func Text(w io.Writer, ds []delivery.Delivery, explain bool) {
	if len(ds) == 0 {
		fmt.Fprintln(w, "No log deliveries found (no firewall with a logging configuration, no VPC flow log).")
		return
	}
	for _, d := range ds {
		fmt.Fprintf(w, "%-7s %s %s -> %s %s\n", d.Verdict, sourceName(&d), d.Source.LogType, d.Destination.Type, d.Destination.Name)
	}
	for _, d := range ds {
		if d.Verdict == delivery.OK && !explain {
			continue
		}
		fmt.Fprintf(w, "\n%s %s %s -> %s %s\n", d.Verdict, sourceName(&d), d.Source.LogType, d.Destination.Type, d.Destination.Name)
		fmt.Fprintf(w, "  %s\n", path(&d))
		for _, g := range d.Gates {
			if g.Verdict == delivery.OK && !explain {
				continue
			}
			gate(w, &g)
		}
	}
	counts := map[delivery.Verdict]int{}
	for _, d := range ds {
		counts[d.Verdict]++
	}
	fmt.Fprintf(w, "\n%d deliveries: %d FAIL, %d UNKNOWN, %d WARN, %d OK\n", len(ds), counts[delivery.FAIL], counts[delivery.UNKNOWN], counts[delivery.WARN], counts[delivery.OK])
}

func sourceName(d *delivery.Delivery) string {
	return fmt.Sprintf("%s %s", d.Source.Type, d.Source.Name)
}

// path draws the chain: firewall -> delivery service -> bucket -> key, with
// the failing gate marked.
func path(d *delivery.Delivery) string {
	steps := []string{d.Source.Name}
	for _, g := range d.Gates {
		mark := ""
		if g.Verdict != delivery.OK {
			mark = " [" + g.Verdict.String() + "]"
		}
		steps = append(steps, g.ID+mark)
	}
	return strings.Join(steps, " -> ")
}

func gate(w io.Writer, g *delivery.GateResult) {
	fmt.Fprintf(w, "  %s %s\n", g.Verdict, g.ID)
	fmt.Fprintf(w, "    %s\n", g.Reason)
	if g.Location.File != "" {
		fmt.Fprintf(w, "    at %s:%d", g.Location.File, g.Location.Line)
		if g.Location.ID != "" {
			fmt.Fprintf(w, " (%s)", g.Location.ID)
		}
		fmt.Fprintln(w)
	}
	if g.Request != nil && g.Verdict != delivery.OK {
		fmt.Fprintf(w, "    request: %s %s on %s\n", g.Request.Principal, g.Request.Action, g.Request.Resource)
		keys := make([]string, 0, len(g.Request.Context))
		for k := range g.Request.Context {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "      %s = %s\n", k, strings.Join(g.Request.Context[k], ", "))
		}
	}
	if s := g.Deciding; s != nil {
		loc := ""
		if s.File != "" {
			loc = fmt.Sprintf(" at %s:%d", s.File, s.Line)
		}
		label := fmt.Sprintf("#%d", s.Index)
		if s.Sid != "" {
			label = fmt.Sprintf("%q", s.Sid)
		}
		fmt.Fprintf(w, "    decided by: %s statement %s of the %s%s\n", s.Effect, label, s.Policy, loc)
	}
	fmt.Fprintf(w, "    doc: %s\n", g.Doc)
	if f := g.Fix; f != nil {
		fmt.Fprintf(w, "    fix: %s\n", f.Summary)
		for _, st := range f.Statements {
			b, _ := json.MarshalIndent(st, "      ", "  ")
			fmt.Fprintf(w, "      %s\n", b)
		}
	}
}

// Worst returns the worst verdict of the deliveries.
func Worst(ds []delivery.Delivery) delivery.Verdict {
	v := delivery.OK
	for _, d := range ds {
		v = max(v, d.Verdict)
	}
	return v
}
