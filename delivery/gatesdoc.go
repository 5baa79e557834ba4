package delivery

import (
	"fmt"
	"strings"
)

// GatesMarkdown renders Catalog as docs/gates.md, so that the page and the
// code cannot drift apart (a test compares them).
func GatesMarkdown() string {
	var b strings.Builder
	b.WriteString("# Gates\n\n")
	b.WriteString("Generated from `delivery/catalog.go` by `go test ./delivery -update`; do not edit by hand.\n\n")
	b.WriteString("A gate is one thing that must hold for AWS to deliver a log. Each delivery passes its\n")
	b.WriteString("gates in this order; its verdict is its worst gate (FAIL > UNKNOWN > WARN > OK).\n\n")
	b.WriteString("| gate | destinations | what it checks |\n| --- | --- | --- |\n")
	for _, g := range Catalog {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", g.ID, strings.ReplaceAll(g.ID, ".", ""), g.Applies, g.Title)
	}
	for _, g := range Catalog {
		fmt.Fprintf(&b, "\n## %s\n\n**%s.** %s\n\nAWS source: %s\n", g.ID, g.Title, g.Checks, g.Doc)
	}
	return b.String()
}
