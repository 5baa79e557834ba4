package tfhcl

import (
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/logpath/logpath/internal/ignore"
	"github.com/logpath/logpath/model"
)

// suppressions records the "# logpath:ignore GATE reason" (or "//")
// comments of a file, each on the resource or data block that holds it or
// that it stands directly above. Every instance of the block (count,
// for_each, each call of its module) is covered, since all are defined on
// those lines.
func (l *loader) suppressions(file string, src []byte, body *hclsyntax.Body) error {
	if l.scanned == nil {
		l.scanned = map[string]bool{}
	}
	if l.scanned[file] {
		return nil
	}
	l.scanned[file] = true
	comments := ignore.Scan(src)
	if len(comments) == 0 {
		return nil
	}
	var spans []ignore.Span
	var blocks []*hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type != "resource" && b.Type != "data" {
			continue
		}
		r := b.Range()
		spans = append(spans, ignore.Span{Start: r.Start.Line, End: r.End.Line})
		blocks = append(blocks, b)
	}
	for i, owner := range ignore.Assign(src, comments, spans) {
		c := comments[i]
		if owner < 0 {
			return &Error{File: file, Line: c.Line, Column: c.Column, Msg: "logpath:ignore is neither inside a resource block nor directly above one"}
		}
		b := blocks[owner]
		addr := b.Labels[0] + "." + b.Labels[1]
		if b.Type == "data" {
			addr = "data." + addr
		}
		l.m.Suppressions = append(l.m.Suppressions, model.Suppression{Gates: c.Gates, Reason: c.Reason,
			File: file, Start: spans[owner].Start, End: spans[owner].End,
			At: model.Origin{File: file, Line: c.Line, Column: c.Column, ID: addr}})
	}
	return nil
}
