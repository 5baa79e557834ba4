// Package jsontree parses JSON into a tree that remembers where every value
// came from, so that errors about a value can name its line and column.
//
// encoding/json reports the position of syntax errors only; logpath must also
// point at the statement or field that is wrong in a valid document.
package jsontree

import (
	"fmt"
	"math/bits"
	"sort"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the JSON type of a Node.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "invalid"
}

// Node is one JSON value.
type Node struct {
	Kind Kind
	// Text is the decoded string, the number's literal text, or "true"/"false".
	Text   string
	Items  []Node  // Array elements.
	Fields []Field // Object members, in document order.
	// Start and End are byte offsets of the value in the parsed input.
	Start, End int
}

// Field is one member of an object.
type Field struct {
	Key       string
	KeyOffset int
	Value     Node
}

// Get returns the value of the first member named key, or nil.
func (n *Node) Get(key string) *Node {
	for i := range n.Fields {
		if n.Fields[i].Key == key {
			return &n.Fields[i].Value
		}
	}
	return nil
}

// MaxDepth bounds nesting so that hostile input cannot exhaust the stack.
const MaxDepth = 512

// MaxSize is the largest document Doc.Parse reads: offsets are 32-bit so that
// a value takes 40 bytes, not 56.
const MaxSize = 1<<32 - 1

// SyntaxError is a JSON syntax error at a byte offset.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Parse parses one JSON value that fills data (surrounding white space allowed).
func Parse(data []byte) (Node, error) {
	var d Doc
	if err := d.Parse(data); err != nil {
		return Node{}, err
	}
	return d.node(0), nil
}

// node builds the Node tree of the value at index v.
func (d *Doc) node(v int) Node {
	val := &d.Values[v]
	n := Node{Kind: val.Kind, Text: d.Text(v), Start: int(val.Start), End: int(val.End)}
	switch val.Kind {
	case Array:
		if val.n > 0 {
			n.Items = make([]Node, val.n)
			for i, c := 0, v+1; i < len(n.Items); i, c = i+1, d.Next(c) {
				n.Items[i] = d.node(c)
			}
		}
	case Object:
		if val.n > 0 {
			n.Fields = make([]Field, val.n)
			for i, k := 0, v+1; i < len(n.Fields); i, k = i+1, d.Next(k+1) {
				n.Fields[i] = Field{Key: d.Text(k), KeyOffset: int(d.Values[k].Start), Value: d.node(k + 1)}
			}
		}
	}
	return n
}

// Doc is a parsed JSON document as one flat list of values in document
// order, the form for hot paths: parsing writes each value once into a slice
// that the next Parse reuses, and readers walk it by index. A container is
// followed by its children; an object's member is its name (a String value
// whose Start is the name's offset) followed by its value.
//
//	for i, c := 0, d.First(v); i < d.Len(v); i, c = i+1, d.Next(c) { item c }
//	for i, k := 0, d.First(v); i < d.Len(v); i, k = i+1, d.Next(k+1) { name k, value k+1 }
//
// The strings of a Doc (Text) are slices of one copy of the input (Src) or
// decoded copies, so they stay valid when the Doc parses another document;
// the Values do not. Values hold no pointers: the garbage collector never
// looks at them.
type Doc struct {
	// Src is the parsed input.
	Src    string
	Values []Value
	// decoded holds the text of strings with escapes or invalid UTF-8.
	decoded []string
	lines   *Lines
	pos     int
	// base is the offset in the parsed input where Src starts (Rebase).
	base uint32
}

// Rebase returns a Doc with d's values whose text comes from src, a copy of
// the input from offset from on: only values inside src can be read
// through it, and it has no Lines. A reader that keeps strings of a value
// uses it so as not to keep the whole input alive.
func (d *Doc) Rebase(src string, from int) Doc {
	r := *d
	r.Src, r.base, r.lines, r.pos = src, uint32(from), nil, 0
	return r
}

// Lines converts offsets in the document to lines and columns. Every call
// until the next Parse returns the same Lines.
func (d *Doc) Lines() *Lines {
	if d.lines == nil {
		d.lines = NewLines(d.Src)
	}
	return d.lines
}

// IndexedLines is Lines for a document long enough that its lines are worth
// an index; nil for a shorter one, where LineCol on Src is as quick.
func (d *Doc) IndexedLines() *Lines {
	if len(d.Src) < linesIndexed {
		return nil
	}
	return d.Lines()
}

// LineCol converts an offset in the document to a line and a column.
func (d *Doc) LineCol(offset int) (line, col int) {
	if l := d.IndexedLines(); l != nil {
		return l.LineCol(offset)
	}
	return LineCol(d.Src, offset)
}

// Value is one JSON value of a Doc.
type Value struct {
	Kind Kind
	// escaped marks a String whose text is decoded[n].
	escaped bool
	// n is the number of an array's items or an object's members.
	n uint32
	// next is the index of the value after this one and all it holds.
	next uint32
	// Start and End are byte offsets of the value in the input.
	Start, End uint32
}

// Text is the decoded text of the string at v, the literal text of a
// number, or "true" or "false"; for a member name, the name.
func (d *Doc) Text(v int) string {
	val := &d.Values[v]
	switch val.Kind {
	case String:
		if val.escaped {
			return d.decoded[val.n]
		}
		return d.Src[val.Start-d.base+1 : val.End-d.base-1]
	case Number, Bool:
		return d.Src[val.Start-d.base : val.End-d.base]
	}
	return ""
}

// First is the index of the first child of the container at v.
func (d *Doc) First(v int) int { return v + 1 }

// Next is the index of the value after the one at v and its children: its
// next sibling when it has one.
func (d *Doc) Next(v int) int { return int(d.Values[v].next) }

// Len is the number of items or members of the container at v.
func (d *Doc) Len(v int) int {
	if k := d.Values[v].Kind; k != Array && k != Object {
		return 0
	}
	return int(d.Values[v].n)
}

// Member returns the index of the value of the first member of the object
// at v named key, or -1.
func (d *Doc) Member(v int, key string) int {
	for i, k := 0, v+1; i < d.Len(v); i, k = i+1, d.Next(k+1) {
		if d.Text(k) == key {
			return k + 1
		}
	}
	return -1
}

// Parse parses one JSON value that fills data (surrounding white space
// allowed) into d, reusing d's memory. The root is Values[0].
func (d *Doc) Parse(data []byte) error {
	// Strings without escapes are slices of this one copy.
	return d.ParseString(string(data))
}

// ParseString is Parse of a string, which the Doc's strings are slices of.
func (d *Doc) ParseString(src string) error {
	d.Src, d.pos, d.lines, d.base = src, 0, nil, 0
	d.Values = d.Values[:0]
	if cap(d.Values) == 0 {
		d.Values = make([]Value, 0, len(src)/16+8)
	}
	clear(d.decoded)
	d.decoded = d.decoded[:0]
	if uint64(len(src)) > MaxSize {
		return &SyntaxError{Msg: fmt.Sprintf("JSON document larger than %d bytes", MaxSize)}
	}
	d.skipSpace()
	if err := d.value(0); err != nil {
		d.Values = d.Values[:0]
		return err
	}
	d.skipSpace()
	if d.pos != len(d.Src) {
		d.Values = d.Values[:0]
		return d.errorf("unexpected %s after the JSON value", d.describe())
	}
	return nil
}

func (d *Doc) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: d.pos, Msg: fmt.Sprintf(format, args...)}
}

func (d *Doc) describe() string {
	if d.pos >= len(d.Src) {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(d.Src[d.pos:])
	return strconv.QuoteRune(r)
}

func (d *Doc) skipSpace() {
	// Most calls find no space at all: one comparison says so.
	if d.pos >= len(d.Src) || d.Src[d.pos] > ' ' {
		return
	}
	pos := d.pos
	for pos < len(d.Src) {
		if c := d.Src[pos]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			break
		}
		pos++
	}
	d.pos = pos
}

// push appends a value and returns its index. It writes the fields in place:
// copying a Value built elsewhere stalls on store forwarding.
func (d *Doc) push(kind Kind, start int) int {
	i := len(d.Values)
	if i == cap(d.Values) {
		d.Values = append(d.Values, Value{})
	}
	d.Values = d.Values[:i+1]
	v := &d.Values[i]
	v.Kind, v.escaped, v.n, v.Start = kind, false, 0, uint32(start)
	return i
}

// end finishes the value at i, which ends at the current position.
func (d *Doc) end(i int) {
	d.Values[i].End = uint32(d.pos)
	d.Values[i].next = uint32(len(d.Values))
}

func (d *Doc) value(depth int) error {
	if depth > MaxDepth {
		return d.errorf("JSON nested deeper than %d levels", MaxDepth)
	}
	if d.pos >= len(d.Src) {
		return d.errorf("unexpected end of input, expected a value")
	}
	switch d.Src[d.pos] {
	case '"':
		return d.str()
	case '{':
		return d.object(depth)
	case '[':
		return d.array(depth)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return d.number()
	case 't':
		return d.literal("true", Bool)
	case 'f':
		return d.literal("false", Bool)
	case 'n':
		return d.literal("null", Null)
	}
	return d.errorf("unexpected %s, expected a value", d.describe())
}

func (d *Doc) literal(word string, kind Kind) error {
	start := d.pos
	if len(d.Src)-d.pos < len(word) || d.Src[d.pos:d.pos+len(word)] != word {
		return d.errorf("invalid literal, expected %s", word)
	}
	d.pos += len(word)
	d.end(d.push(kind, start))
	return nil
}

func (d *Doc) number() error {
	start := d.pos
	data := d.Src
	if d.pos < len(data) && data[d.pos] == '-' {
		d.pos++
	}
	switch {
	case d.pos < len(data) && data[d.pos] == '0':
		d.pos++
	case d.pos < len(data) && data[d.pos] >= '1' && data[d.pos] <= '9':
		for d.pos < len(data) && data[d.pos] >= '0' && data[d.pos] <= '9' {
			d.pos++
		}
	default:
		return d.errorf("invalid number")
	}
	if d.pos < len(data) && data[d.pos] == '.' {
		d.pos++
		if d.pos >= len(data) || data[d.pos] < '0' || data[d.pos] > '9' {
			return d.errorf("invalid number: expected a digit after '.'")
		}
		for d.pos < len(data) && data[d.pos] >= '0' && data[d.pos] <= '9' {
			d.pos++
		}
	}
	if d.pos < len(data) && (data[d.pos] == 'e' || data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(data) && (data[d.pos] == '+' || data[d.pos] == '-') {
			d.pos++
		}
		if d.pos >= len(data) || data[d.pos] < '0' || data[d.pos] > '9' {
			return d.errorf("invalid number: expected a digit in the exponent")
		}
		for d.pos < len(data) && data[d.pos] >= '0' && data[d.pos] <= '9' {
			d.pos++
		}
	}
	d.end(d.push(Number, start))
	return nil
}

// str reads a string value starting at the opening quote.
func (d *Doc) str() error {
	// Fast path: printable ASCII without escapes, eight bytes at a time,
	// with the position in a register; the value is written at once.
	src := d.Src
	start := d.pos
	for pos := start + 1; len(src)-pos >= 8; {
		m := specialBytes(load64(src[pos:]))
		if m == 0 {
			pos += 8
			continue
		}
		pos += bits.TrailingZeros64(m) >> 3 // the first special byte
		switch src[pos] {
		case '"':
			d.pos = pos + 1
			i := d.push(String, start)
			v := &d.Values[i]
			v.End, v.next = uint32(pos+1), uint32(i+1)
			return nil
		case ' ', '!':
			pos++
			continue
		}
		break
	}
	s, escaped, err := d.strTextSlow(start + 1)
	if err != nil {
		return err
	}
	i := d.push(String, start)
	if escaped {
		d.Values[i].escaped, d.Values[i].n = true, uint32(len(d.decoded))
		d.decoded = append(d.decoded, s)
	}
	d.end(i)
	return nil
}

// load64 reads the first eight bytes of s as a little-endian number (the
// compiler makes it one load).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// specialBytes sets the high bit of the bytes of x that may end a string's
// fast path: a quote, a backslash, a control character, a byte that is not
// ASCII, and also a space or '!' (they are below '"', and one test for
// "below 0x23" is cheaper than three; str steps over them). It is the
// classic "has zero byte" bit trick: a byte above a marked one may be marked
// too, but the lowest mark is always right.
func specialBytes(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	y := x ^ (ones * '\\')
	return ((x - ones*('"'+1)) | x | ((y - ones) &^ y)) & highs
}

// plainByte marks the bytes a string's fast path steps over: printable
// ASCII other than '"' and '\\'.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// strTextSlow reads a string from the first byte after the opening quote,
// for the strings str's fast path leaves: near the end of the input, not
// ASCII, with escapes or invalid. Unless escaped is set, the string's text
// is the input between the quotes, and s is empty.
func (d *Doc) strTextSlow(start int) (s string, escaped bool, err error) {
	d.pos = start
	data := d.Src
	ascii := true
	for d.pos < len(data) {
		c := data[d.pos]
		if plainByte[c] {
			d.pos++
			continue
		}
		if c == '"' {
			if ascii || utf8.ValidString(data[start:d.pos]) {
				d.pos++
				return "", false, nil
			}
			break
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", false, d.errorf("control character %q in string", c)
		}
		ascii = false
		d.pos++
	}
	// Slow path: decode escapes, and replace invalid UTF-8 with U+FFFD as
	// encoding/json does.
	d.pos = start
	var buf []byte
	for d.pos < len(data) {
		c := data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(buf), true, nil
		case c < 0x20:
			return "", false, d.errorf("control character %q in string", c)
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(data[d.pos:])
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, data[d.pos:d.pos+size]...)
			}
			d.pos += size
			continue
		case c != '\\':
			buf = append(buf, c)
			d.pos++
			continue
		}
		d.pos++
		if d.pos >= len(data) {
			break
		}
		e := data[d.pos]
		d.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", false, d.errorf("invalid \\u escape in string")
			}
			if utf16.IsSurrogate(r) {
				// A high surrogate must be followed by \uDC00-\uDFFF.
				r2 := rune(-1)
				if d.pos+1 < len(data) && data[d.pos] == '\\' && data[d.pos+1] == 'u' {
					save := d.pos
					d.pos += 2
					var ok2 bool
					if r2, ok2 = d.hex4(); !ok2 {
						return "", false, d.errorf("invalid \\u escape in string")
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
					} else {
						d.pos = save
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			d.pos--
			return "", false, d.errorf("invalid escape \\%c in string", e)
		}
	}
	return "", false, d.errorf("unterminated string")
}

func (d *Doc) hex4() (rune, bool) {
	if len(d.Src)-d.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range d.Src[d.pos : d.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	d.pos += 4
	return r, true
}

func (d *Doc) array(depth int) error {
	i := d.push(Array, d.pos)
	d.pos++
	d.skipSpace()
	if d.pos < len(d.Src) && d.Src[d.pos] == ']' {
		d.pos++
		d.end(i)
		return nil
	}
	n := uint32(0)
	for {
		// White space before a value was skipped after '[' or ','.
		if err := d.value(depth + 1); err != nil {
			return err
		}
		n++
		d.skipSpace()
		if d.pos >= len(d.Src) {
			return d.errorf("unexpected end of input in array, expected ',' or ']'")
		}
		switch d.Src[d.pos] {
		case ',':
			d.pos++
			d.skipSpace()
		case ']':
			d.pos++
			d.Values[i].n = n
			d.end(i)
			return nil
		default:
			return d.errorf("unexpected %s in array, expected ',' or ']'", d.describe())
		}
	}
}

func (d *Doc) object(depth int) error {
	i := d.push(Object, d.pos)
	d.pos++
	d.skipSpace()
	if d.pos < len(d.Src) && d.Src[d.pos] == '}' {
		d.pos++
		d.end(i)
		return nil
	}
	n := uint32(0)
	for {
		// White space before a name was skipped after '{' or ','.
		if d.pos >= len(d.Src) || d.Src[d.pos] != '"' {
			return d.errorf("unexpected %s in object, expected a quoted member name", d.describe())
		}
		if err := d.str(); err != nil {
			return err
		}
		d.skipSpace()
		if d.pos >= len(d.Src) || d.Src[d.pos] != ':' {
			return d.errorf("unexpected %s after member name, expected ':'", d.describe())
		}
		d.pos++
		d.skipSpace()
		if err := d.value(depth + 1); err != nil {
			return err
		}
		n++
		d.skipSpace()
		if d.pos >= len(d.Src) {
			return d.errorf("unexpected end of input in object, expected ',' or '}'")
		}
		switch d.Src[d.pos] {
		case ',':
			d.pos++
			d.skipSpace()
		case '}':
			d.pos++
			d.Values[i].n = n
			d.end(i)
			return nil
		default:
			return d.errorf("unexpected %s in object, expected ',' or '}'", d.describe())
		}
	}
}

// LineCol converts a byte offset in data to a 1-based line and column
// (columns count runes, as editors do).
func LineCol[T ~string | ~[]byte](data T, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	line, col = 1, 1
	for i := 0; i < offset; {
		// 32 bytes at a time while they are ASCII and no newline (the
		// test of eight bytes below, four times, one branch), then eight.
		if offset-i >= 32 {
			const ones, highs = 0x0101010101010101, 0x8080808080808080
			x0, x1, x2, x3 := load64At(data, i), load64At(data, i+8), load64At(data, i+16), load64At(data, i+24)
			y0, y1, y2, y3 := x0^(ones*'\n'), x1^(ones*'\n'), x2^(ones*'\n'), x3^(ones*'\n')
			if ((y0-ones)&^y0|x0|(y1-ones)&^y1|x1|(y2-ones)&^y2|x2|(y3-ones)&^y3|x3)&highs == 0 {
				i += 32
				col += 32
				continue
			}
		}
		if offset-i >= 8 {
			x := uint64(data[i]) | uint64(data[i+1])<<8 | uint64(data[i+2])<<16 | uint64(data[i+3])<<24 |
				uint64(data[i+4])<<32 | uint64(data[i+5])<<40 | uint64(data[i+6])<<48 | uint64(data[i+7])<<56
			const ones, highs = 0x0101010101010101, 0x8080808080808080
			if y := x ^ (ones * '\n'); ((y-ones)&^y|x)&highs == 0 {
				i += 8
				col += 8
				continue
			}
		}
		c := data[i]
		switch {
		case c == '\n':
			line++
			col = 1
			i++
			continue
		case c < utf8.RuneSelf:
			i++
		default:
			var r [utf8.UTFMax]byte
			_, size := utf8.DecodeRune(r[:copy(r[:], data[i:min(i+utf8.UTFMax, len(data))])])
			i += size
		}
		col++
	}
	return line, col
}

// load64At reads eight bytes of data from i as a little-endian number.
func load64At[T ~string | ~[]byte](data T, i int) uint64 {
	_ = data[i+7]
	return uint64(data[i]) | uint64(data[i+1])<<8 | uint64(data[i+2])<<16 | uint64(data[i+3])<<24 |
		uint64(data[i+4])<<32 | uint64(data[i+5])<<40 | uint64(data[i+6])<<48 | uint64(data[i+7])<<56
}

// Lines converts byte offsets in a text to lines and columns as LineCol does.
// A long text's line starts are indexed on the first call, so that finding a
// position in a large file does not scan it from the start each time. A
// Lines is safe for concurrent use.
type Lines struct {
	src    string
	once   sync.Once
	starts []int // offsets of the lines' first bytes
}

// linesIndexed is the text length from which Lines indexes line starts.
const linesIndexed = 1 << 12

// NewLines returns the Lines of src.
func NewLines(src string) *Lines { return &Lines{src: src} }

// LineCol is LineCol(src, offset).
func (l *Lines) LineCol(offset int) (line, col int) {
	if len(l.src) < linesIndexed || offset <= 0 {
		return LineCol(l.src, offset)
	}
	l.once.Do(func() {
		l.starts = append(l.starts, 0)
		for i := 0; i < len(l.src); i++ {
			if l.src[i] == '\n' {
				l.starts = append(l.starts, i+1)
			}
		}
	})
	offset = min(offset, len(l.src))
	// The last line that starts at or before offset.
	i := sort.SearchInts(l.starts, offset+1) - 1
	_, col = LineCol(l.src[l.starts[i]:], offset-l.starts[i])
	return i + 1, col
}
