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

// TextOptions say how Text draws the report.
type TextOptions struct {
	// Explain shows every gate, not only those that are not OK.
	Explain bool
	// Color marks verdicts with ANSI colors, for a terminal.
	Color bool
}

// Text writes one line per delivery, then the gates of every delivery that
// is not OK (of every delivery with explain), with the request AWS would
// deny, the deciding statement and the fix.
func Text(w io.Writer, ds []delivery.Delivery, explain bool) {
	TextWith(w, ds, TextOptions{Explain: explain})
}

// TextWith is Text with options.
func TextWith(w io.Writer, ds []delivery.Delivery, o TextOptions) {
	if len(ds) == 0 {
		fmt.Fprintln(w, "No log deliveries found (no firewall with a logging configuration, no VPC flow log, no CloudTrail trail).")
		return
	}
	paint := func(v delivery.Verdict, width int) string {
		s := v.String()
		pad := strings.Repeat(" ", max(0, width-len(s)))
		if !o.Color {
			return s + pad
		}
		return colors[v] + s + "\x1b[0m" + pad
	}
	for _, d := range ds {
		fmt.Fprintf(w, "%s %s %s -> %s %s%s\n", paint(d.Verdict, 7), sourceName(&d), d.Source.LogType, d.Destination.Type, d.Destination.Name, suppressedNote(&d))
	}
	suppressed := 0
	for _, d := range ds {
		for _, g := range d.Gates {
			if g.Suppressed != nil {
				suppressed++
			}
		}
		if d.Verdict == delivery.OK && !o.Explain {
			continue
		}
		fmt.Fprintf(w, "\n%s %s %s -> %s %s\n", paint(d.Verdict, 0), sourceName(&d), d.Source.LogType, d.Destination.Type, d.Destination.Name)
		fmt.Fprintf(w, "  %s\n", path(&d))
		for _, g := range d.Gates {
			if g.Verdict == delivery.OK && !o.Explain {
				continue
			}
			gate(w, &g, paint(g.Verdict, 0))
		}
	}
	counts := map[delivery.Verdict]int{}
	for _, d := range ds {
		counts[d.Verdict]++
	}
	fmt.Fprintf(w, "\n%d deliveries: %d FAIL, %d UNKNOWN, %d WARN, %d OK", len(ds), counts[delivery.FAIL], counts[delivery.UNKNOWN], counts[delivery.WARN], counts[delivery.OK])
	if suppressed > 0 {
		fmt.Fprintf(w, "; %d suppressed findings (not counted for --fail-on)", suppressed)
	}
	fmt.Fprintln(w)
}

// colors are the ANSI colors of the verdicts.
var colors = map[delivery.Verdict]string{
	delivery.OK:      "\x1b[32m", // green
	delivery.WARN:    "\x1b[33m", // yellow
	delivery.UNKNOWN: "\x1b[35m", // magenta
	delivery.FAIL:    "\x1b[1;31m",
}

// suppressedNote lists a delivery's suppressed gates.
func suppressedNote(d *delivery.Delivery) string {
	var ids []string
	for _, g := range d.Gates {
		if g.Suppressed != nil {
			ids = append(ids, g.ID)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return fmt.Sprintf(" (suppressed: %s; counts as %s)", strings.Join(ids, ", "), d.Effective)
}

func sourceName(d *delivery.Delivery) string {
	return fmt.Sprintf("%s %s", d.Source.Type, d.Source.Name)
}

// path draws the chain: source -> delivery service -> bucket -> key, each
// resource with its gates, those that are not OK marked.
func path(d *delivery.Delivery) string {
	var steps []string
	for _, h := range hops(d) {
		if len(h.gates) == 0 {
			steps = append(steps, h.label)
			continue
		}
		ids := make([]string, len(h.gates))
		for i, g := range h.gates {
			ids[i] = g.ID
			if g.Verdict != delivery.OK {
				ids[i] += " " + g.Verdict.String()
			}
		}
		steps = append(steps, h.label+" ["+strings.Join(ids, ", ")+"]")
	}
	return strings.Join(steps, " -> ")
}

func gate(w io.Writer, g *delivery.GateResult, verdict string) {
	fmt.Fprintf(w, "  %s %s\n", verdict, g.ID)
	if s := g.Suppressed; s != nil {
		reason := s.Reason
		if reason == "" {
			reason = "no reason given"
		}
		fmt.Fprintf(w, "    suppressed at %s:%d: %s\n", s.At.File, s.At.Line, reason)
	}
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

// Worst returns the worst effective verdict of the deliveries: suppressed
// findings do not count.
func Worst(ds []delivery.Delivery) delivery.Verdict {
	v := delivery.OK
	for _, d := range ds {
		v = max(v, d.Effective)
	}
	return v
}
