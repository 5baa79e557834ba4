package terraform

import "unicode/utf8"

// posIndex converts byte offsets to lines and columns (columns count runes,
// as editors do). terraform show -json prints one long line, so it keeps a
// checkpoint every few kilobytes instead of scanning from the start.
type posIndex struct {
	data  []byte
	marks []mark // at offsets 0, chunk, 2*chunk, ... (rounded to a rune start)
}

type mark struct{ off, line, col int }

const chunk = 4096

func newPosIndex(data []byte) *posIndex { return &posIndex{data: data} }

func (p *posIndex) build() {
	m := mark{off: 0, line: 1, col: 1}
	p.marks = append(p.marks, m)
	next := chunk
	for m.off < len(p.data) {
		r, size := utf8.DecodeRune(p.data[m.off:])
		if r == '\n' {
			m.line++
			m.col = 1
		} else {
			m.col++
		}
		m.off += size
		if m.off >= next {
			p.marks = append(p.marks, m)
			next = m.off + chunk
		}
	}
}

// at returns the 1-based line and column of a byte offset.
func (p *posIndex) at(off int) (line, col int) {
	if p.marks == nil {
		p.build()
	}
	off = max(0, min(off, len(p.data)))
	// The last mark at or before off.
	lo, hi := 0, len(p.marks)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if p.marks[mid].off <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	m := p.marks[lo]
	for m.off < off {
		r, size := utf8.DecodeRune(p.data[m.off:])
		if r == '\n' {
			m.line++
			m.col = 1
		} else {
			m.col++
		}
		m.off += size
	}
	return m.line, m.col
}
