package jsontree

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func TestParseValues(t *testing.T) {
	n, err := Parse([]byte(` {"a": [1, -2.5e3, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"], "b": {}} `))
	if err != nil {
		t.Fatal(err)
	}
	a := n.Get("a")
	if a == nil || a.Kind != Array || len(a.Items) != 6 {
		t.Fatalf("a = %+v", a)
	}
	want := []struct {
		kind Kind
		text string
	}{{Number, "1"}, {Number, "-2.5e3"}, {Bool, "true"}, {Bool, "false"}, {Null, ""}, {String, "x\"\\/\b\f\n\r\té😀"}}
	for i, w := range want {
		if a.Items[i].Kind != w.kind || a.Items[i].Text != w.text {
			t.Errorf("item %d = %v %q, want %v %q", i, a.Items[i].Kind, a.Items[i].Text, w.kind, w.text)
		}
	}
	if b := n.Get("b"); b == nil || b.Kind != Object || len(b.Fields) != 0 {
		t.Errorf("b = %+v", b)
	}
	if n.Get("c") != nil {
		t.Error("Get of a missing key")
	}
	if n.Fields[0].KeyOffset != 2 || a.Start != 7 {
		t.Errorf("offsets: key %d, value %d", n.Fields[0].KeyOffset, a.Start)
	}
}

func TestLoneSurrogateBecomesReplacement(t *testing.T) {
	n, err := Parse([]byte(`["\ud800", "\ud800\u0041", "\udc00"]`))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"\uFFFD", "\uFFFDA", "\uFFFD"} {
		if n.Items[i].Text != want {
			t.Errorf("item %d = %q, want %q", i, n.Items[i].Text, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
	}{
		{``, 0},
		{`{`, 1},
		{`{"a" 1}`, 5},
		{`{"a":1,}`, 7},
		{`[1,]`, 3},
		{`[1 2]`, 3},
		{`"abc`, 4},
		{"\"a\nb\"", 2},
		{`"\x"`, 2},
		{`"\u12G4"`, 3},
		{`01`, 1},
		{`1.`, 2},
		{`1e`, 2},
		{`-`, 1},
		{`tru`, 0},
		{`nul`, 0},
		{`{} {}`, 3},
		{`@`, 0},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset {
			t.Errorf("Parse(%q): offset %d, want %d (%v)", tt.in, se.Offset, tt.offset, err)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	deep := make([]byte, 0, 2*(MaxDepth+2))
	for range MaxDepth + 2 {
		deep = append(deep, '[')
	}
	for range MaxDepth + 2 {
		deep = append(deep, ']')
	}
	if _, err := Parse(deep); err == nil {
		t.Error("no error for nesting beyond MaxDepth")
	}
	if _, err := Parse(deep[1 : len(deep)-1][1 : len(deep)-3]); err != nil {
		t.Errorf("nesting of exactly MaxDepth: %v", err)
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncé\nx")
	tests := []struct{ offset, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {4, 2, 2}, {6, 2, 3}, {7, 3, 1}, {99, 3, 2},
	}
	for _, tt := range tests {
		if l, c := LineCol(data, tt.offset); l != tt.line || c != tt.col {
			t.Errorf("LineCol(%d) = %d:%d, want %d:%d", tt.offset, l, c, tt.line, tt.col)
		}
	}
}

// LineCol and Lines agree with a rune-by-rune count for every offset of a
// text long enough to be indexed, with multi-byte runes, invalid bytes,
// empty lines and long ASCII runs (up to 80 bytes, past the 32 bytes LineCol
// steps over at a time).
func TestLinesMatchesLineCol(t *testing.T) {
	var b []byte
	for i := 0; len(b) < linesIndexed+512; i++ {
		b = append(b, "ab\ncé\n\nx\xff日本\n0123456789abcdefghij0123456789abcdefghij0123456789abcdefghij0123456789"[:1+i%87]...)
	}
	src := string(b)
	ref := func(offset int) (line, col int) {
		line, col = 1, 1
		for i := 0; i < min(offset, len(src)); {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			i += size
		}
		return line, col
	}
	l := NewLines(src)
	for off := -2; off <= len(src)+2; off++ {
		wl, wc := ref(off)
		if gl, gc := LineCol(src, off); gl != wl || gc != wc {
			t.Fatalf("LineCol(%d) = %d:%d, want %d:%d", off, gl, gc, wl, wc)
		}
		if gl, gc := LineCol([]byte(src), off); gl != wl || gc != wc {
			t.Fatalf("LineCol([]byte, %d) = %d:%d, want %d:%d", off, gl, gc, wl, wc)
		}
		if gl, gc := l.LineCol(off); gl != wl || gc != wc {
			t.Fatalf("Lines.LineCol(%d) = %d:%d, want %d:%d", off, gl, gc, wl, wc)
		}
	}
}
