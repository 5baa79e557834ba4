package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/logpath/logpath/delivery"
)

// Markdown writes the report for pull-request comments and CI job
// summaries: a table of deliveries, then for each delivery that is not OK a
// Mermaid diagram of its path with the failing gate marked, the reason, the
// request and the fix.
func Markdown(w io.Writer, ds []delivery.Delivery) {
	fmt.Fprintln(w, "## logpath: log delivery check")
	fmt.Fprintln(w)
	if len(ds) == 0 {
		fmt.Fprintln(w, "No log deliveries found (no firewall with a logging configuration, no VPC flow log, no CloudTrail trail).")
		return
	}
	fmt.Fprintln(w, "| verdict | source | log type | destination |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, d := range ds {
		fmt.Fprintf(w, "| %s | %s `%s` | %s | %s `%s`%s |\n", badge(d.Verdict), d.Source.Type, mdEscape(d.Source.Name), d.Source.LogType, d.Destination.Type, mdEscape(d.Destination.Name), mdEscape(suppressedNote(&d)))
	}
	for _, d := range ds {
		if d.Verdict == delivery.OK {
			continue
		}
		fmt.Fprintf(w, "\n### %s %s `%s` %s → %s `%s`\n\n", badge(d.Verdict), d.Source.Type, mdEscape(d.Source.Name), d.Source.LogType, d.Destination.Type, mdEscape(d.Destination.Name))
		mermaid(w, &d)
		for _, g := range d.Gates {
			if g.Verdict == delivery.OK {
				continue
			}
			fmt.Fprintf(w, "\n**%s `%s`**: %s\n", g.Verdict, g.ID, mdEscape(g.Reason))
			if s := g.Suppressed; s != nil {
				fmt.Fprintf(w, "\n- suppressed at `%s:%d`: %s\n", s.At.File, s.At.Line, mdEscape(s.Reason))
			}
			if g.Location.File != "" {
				fmt.Fprintf(w, "\n- at `%s:%d`", g.Location.File, g.Location.Line)
				if g.Location.ID != "" {
					fmt.Fprintf(w, " (`%s`)", g.Location.ID)
				}
				fmt.Fprintln(w)
			}
			if g.Request != nil {
				fmt.Fprintf(w, "- request: `%s` `%s` on `%s`\n", g.Request.Principal, g.Request.Action, g.Request.Resource)
			}
			if s := g.Deciding; s != nil {
				fmt.Fprintf(w, "- decided by %s statement `%s` (#%d) of the %s\n", s.Effect, s.Sid, s.Index, s.Policy)
			}
			fmt.Fprintf(w, "- AWS documentation: %s\n", g.Doc)
			if f := g.Fix; f != nil {
				fmt.Fprintf(w, "- fix: %s\n", mdEscape(f.Summary))
				for _, st := range f.Statements {
					b, _ := json.MarshalIndent(st, "", "  ")
					fmt.Fprintf(w, "\n```json\n%s\n```\n", b)
				}
			}
		}
	}
}

func badge(v delivery.Verdict) string {
	switch v {
	case delivery.OK:
		return "✅ OK"
	case delivery.WARN:
		return "⚠️ WARN"
	case delivery.UNKNOWN:
		return "❔ UNKNOWN"
	}
	return "❌ FAIL"
}

// mermaid draws the delivery's path, one node per gate.
func mermaid(w io.Writer, d *delivery.Delivery) {
	fmt.Fprintln(w, "```mermaid")
	fmt.Fprintln(w, "flowchart LR")
	prev := ""
	for i, h := range hops(d) {
		id := fmt.Sprintf("h%d", i)
		text := mermaidText(h.label)
		for _, g := range h.gates {
			text += fmt.Sprintf("<br/>%s %s", g.ID, g.Verdict)
		}
		fmt.Fprintf(w, "  %s[\"%s\"]\n", id, text)
		if prev != "" {
			fmt.Fprintf(w, "  %s --> %s\n", prev, id)
		}
		if len(h.gates) > 0 && h.verdict != delivery.OK {
			fmt.Fprintf(w, "  style %s stroke:#d00,stroke-width:3px\n", id)
		}
		prev = id
	}
	fmt.Fprintln(w, "```")
}

func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;").Replace(s)
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}
