package cloudformation

import (
	"github.com/logpath/logpath/internal/ignore"
	"github.com/logpath/logpath/model"
)

// suppressions reads what the template accepts on purpose: "# logpath:ignore
// GATE reason" comments in a YAML template, on or directly above a resource,
// and Metadata: {logpath: {ignore: [GATE | {gate: GATE, reason: ...}]}} on a
// resource. delivery applies them; the loader only records where they are.
func (l *loader) suppressions(ids []string, res []*val) error {
	for i, rv := range res {
		ig := rv.get("Metadata").get("logpath").get("ignore")
		if ig == nil {
			continue
		}
		if ig.kind != kList {
			return l.errorf(ig, "%s: Metadata logpath.ignore must be a list of gate IDs or {gate, reason} maps", ids[i])
		}
		for _, item := range ig.list {
			s := model.Suppression{Resource: l.prefix + ids[i], File: l.file, At: model.Origin{File: l.file, Line: item.line, Column: item.col, ID: l.prefix + ids[i]}}
			switch item.kind {
			case kString:
				s.Gates = []string{item.s}
			case kMap:
				g := item.get("gate")
				if g == nil || g.kind != kString {
					return l.errorf(item, "%s: a Metadata logpath.ignore entry needs a gate", ids[i])
				}
				s.Gates = []string{g.s}
				if r := item.get("reason"); r != nil {
					s.Reason = r.s
				}
			default:
				return l.errorf(item, "%s: Metadata logpath.ignore entries are gate IDs or {gate, reason} maps", ids[i])
			}
			l.m.Suppressions = append(l.m.Suppressions, s)
		}
	}
	comments := ignore.Scan(l.data)
	if len(comments) == 0 {
		return nil
	}
	spans := make([]ignore.Span, len(res))
	for i, rv := range res {
		start := rv.keyLine
		if start == 0 {
			start = rv.line
		}
		spans[i] = ignore.Span{Start: start, End: maxLine(rv)}
	}
	for i, owner := range ignore.Assign(l.data, comments, spans) {
		c := comments[i]
		if owner < 0 {
			return &Error{File: l.file, Line: c.Line, Column: c.Column, Msg: "logpath:ignore is neither inside a resource nor directly above one"}
		}
		l.m.Suppressions = append(l.m.Suppressions, model.Suppression{Gates: c.Gates, Reason: c.Reason,
			File: l.file, Start: spans[owner].Start, End: spans[owner].End,
			At: model.Origin{File: l.file, Line: c.Line, Column: c.Column, ID: l.prefix + ids[owner]}})
	}
	return nil
}

// maxLine is the last line a value takes.
func maxLine(v *val) int {
	n := v.line
	for _, c := range v.list {
		n = max(n, maxLine(c))
	}
	for _, c := range v.vals {
		n = max(n, maxLine(c))
	}
	return n
}
