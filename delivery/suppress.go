package delivery

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/logpath/logpath/model"
)

// Suppressed says why a finding was accepted, and where that is written.
type Suppressed struct {
	Reason string       `json:"reason,omitempty"`
	At     model.Origin `json:"at"`
}

// applySuppressions marks the gates the user accepted. A suppression
// applies to a delivery when it is on a resource along the delivery's path:
// the source, the resource a gate is about, the resource a fix changes, or
// the one holding the deciding statement. The gate keeps its verdict; only
// the delivery's Effective verdict leaves it out.
func applySuppressions(ds []Delivery, sups []model.Suppression) {
	if len(sups) == 0 {
		return
	}
	idx := indexSuppressions(sups)
	for i := range ds {
		d := &ds[i]
		for _, k := range idx.candidates(d) {
			suppress(d, &sups[k])
		}
		d.Effective = effective(d)
	}
}

// suppress marks the gates of d that s accepts, when s is on d's path.
func suppress(d *Delivery, s *model.Suppression) {
	if !onPath(d, s) {
		return
	}
	for j := range d.Gates {
		g := &d.Gates[j]
		if g.Verdict != OK && g.Suppressed == nil && slices.Contains(s.Gates, g.ID) {
			g.Suppressed = &Suppressed{Reason: s.Reason, At: s.At}
		}
	}
}

// effective is the worst verdict of the gates that are not suppressed.
func effective(d *Delivery) Verdict {
	v := OK
	for _, g := range d.Gates {
		if g.Suppressed == nil {
			v = worse(v, g.Verdict)
		}
	}
	return v
}

// suppressionIndex finds the suppressions that may be on a delivery's
// path without trying each on each delivery: one on a resource ID covers
// only that resource, one limited to a file only resources in that file.
type suppressionIndex struct {
	byResource, byFile map[string][]int
	anywhere           []int
}

func indexSuppressions(sups []model.Suppression) *suppressionIndex {
	x := &suppressionIndex{byResource: map[string][]int{}, byFile: map[string][]int{}}
	for i, s := range sups {
		switch {
		case s.Resource != "":
			x.byResource[s.Resource] = append(x.byResource[s.Resource], i)
		case s.File != "":
			f := filepath.Clean(s.File)
			x.byFile[f] = append(x.byFile[f], i)
		default:
			x.anywhere = append(x.anywhere, i)
		}
	}
	return x
}

// candidates are the indexes, in order, of the suppressions that may cover
// a resource on the delivery's path (the origins onPath looks at).
func (x *suppressionIndex) candidates(d *Delivery) []int {
	out := append([]int(nil), x.anywhere...)
	add := func(o model.Origin) {
		out = append(out, x.byResource[o.ID]...)
		if o.File != "" {
			out = append(out, x.byFile[filepath.Clean(o.File)]...)
		}
	}
	add(d.Source.Origin)
	for _, g := range d.Gates {
		add(g.Location)
		if g.Fix != nil {
			add(g.Fix.Location)
		}
		if st := g.Deciding; st != nil && st.File != "" {
			add(model.Origin{File: st.File, Line: st.Line})
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func onPath(d *Delivery, s *model.Suppression) bool {
	if s.Covers(d.Source.Origin) {
		return true
	}
	for _, g := range d.Gates {
		if s.Covers(g.Location) {
			return true
		}
		if g.Fix != nil && s.Covers(g.Fix.Location) {
			return true
		}
		if st := g.Deciding; st != nil && st.File != "" && s.Covers(model.Origin{File: st.File, Line: st.Line}) {
			return true
		}
	}
	return false
}

// CheckSuppressions returns an error naming the first suppression whose
// gate is not in the catalogue: a misspelt gate would otherwise silently
// suppress nothing.
func CheckSuppressions(sups []model.Suppression) error {
	for _, s := range sups {
		if len(s.Gates) == 0 {
			return fmt.Errorf("%s: logpath:ignore needs a gate ID (see docs/gates.md)", where(s.At))
		}
		for _, id := range s.Gates {
			if gateDoc("", id) == "" {
				return fmt.Errorf("%s: logpath:ignore names the unknown gate %q (see docs/gates.md)", where(s.At), id)
			}
		}
	}
	return nil
}

func where(o model.Origin) string {
	switch {
	case o.File == "":
		return "suppression"
	case o.Line == 0:
		return o.File
	}
	return fmt.Sprintf("%s:%d:%d", o.File, o.Line, max(o.Column, 1))
}
