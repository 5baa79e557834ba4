// Package jsontree parses JSON into a tree that remembers where every value
// came from, so that errors about a value can name its line and column.
//
// encoding/json reports the position of syntax errors only; logpath must also
// point at the statement or field that is wrong in a valid document.
package jsontree

import (
	"bytes"
	"fmt"
	"strconv"
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

// SyntaxError is a JSON syntax error at a byte offset.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Parse parses one JSON value that fills data (surrounding white space allowed).
func Parse(data []byte) (Node, error) {
	var p Parser
	return p.Parse(data)
}

// Parser parses many documents, reusing its scratch space: a batch of
// JSON lines costs fewer allocations than calling Parse for each. The trees
// it returns stay valid after later calls. A Parser is not safe for
// concurrent use.
type Parser struct {
	p parser
}

// Parse is Parse with the Parser's scratch space.
func (ps *Parser) Parse(data []byte) (Node, error) {
	ps.p.data, ps.p.text, ps.p.pos = data, string(data), 0
	ps.p.items, ps.p.fields = ps.p.items[:0], ps.p.fields[:0]
	// Size the slabs once: a document has at most one child per ',', '['
	// or '{' plus one, and at most one member per ':' (strings may hold
	// some of these characters, which only over-counts).
	ps.p.nodeSlab = make([]Node, 0, bytes.Count(data, []byte{','})+bytes.Count(data, []byte{'['})+1)
	ps.p.fieldSlab = make([]Field, 0, bytes.Count(data, []byte{':'}))
	return ps.p.parse()
}

func (p *parser) parse() (Node, error) {
	p.skipSpace()
	n, err := p.value(0)
	if err != nil {
		return Node{}, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return Node{}, p.errorf("unexpected %s after the JSON value", p.describe())
	}
	return n, nil
}

type parser struct {
	data []byte
	// text is data as one string: strings without escapes are slices of
	// it, so a document costs one copy instead of one allocation a value.
	text string
	pos  int
	// items and fields are scratch stacks shared by all nesting levels;
	// each array or object copies its children out once, at its end.
	items  []Node
	fields []Field
	// nodeSlab and fieldSlab hand out the final child slices, so that a
	// document costs a few large allocations instead of one per container.
	nodeSlab  []Node
	fieldSlab []Field
}

// slabSize sizes a slab from what is left of the input: about one value
// per 24 bytes of JSON, at most 256 values.
func (p *parser) slabSize(need int) int {
	return max(need, min(256, (len(p.data)-p.pos)/24+4))
}

func (p *parser) takeNodes(src []Node) []Node {
	if len(src) > cap(p.nodeSlab)-len(p.nodeSlab) {
		p.nodeSlab = make([]Node, 0, p.slabSize(len(src)))
	}
	start := len(p.nodeSlab)
	p.nodeSlab = append(p.nodeSlab, src...)
	return p.nodeSlab[start:len(p.nodeSlab):len(p.nodeSlab)]
}

func (p *parser) takeFields(src []Field) []Field {
	if len(src) > cap(p.fieldSlab)-len(p.fieldSlab) {
		p.fieldSlab = make([]Field, 0, p.slabSize(len(src)))
	}
	start := len(p.fieldSlab)
	p.fieldSlab = append(p.fieldSlab, src...)
	return p.fieldSlab[start:len(p.fieldSlab):len(p.fieldSlab)]
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: p.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) describe() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (Node, error) {
	if depth > MaxDepth {
		return Node{}, p.errorf("JSON nested deeper than %d levels", MaxDepth)
	}
	if p.pos >= len(p.data) {
		return Node{}, p.errorf("unexpected end of input, expected a value")
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return Node{}, err
		}
		return Node{Kind: String, Text: s, Start: start, End: p.pos}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", Bool)
	case c == 'f':
		return p.literal("false", Bool)
	case c == 'n':
		return p.literal("null", Null)
	}
	return Node{}, p.errorf("unexpected %s, expected a value", p.describe())
}

func (p *parser) literal(word string, kind Kind) (Node, error) {
	start := p.pos
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return Node{}, p.errorf("invalid literal, expected %s", word)
	}
	p.pos += len(word)
	n := Node{Kind: kind, Start: start, End: p.pos}
	if kind == Bool {
		n.Text = word
	}
	return n, nil
}

func (p *parser) number() (Node, error) {
	start := p.pos
	d := p.data
	if p.pos < len(d) && d[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(d) && d[p.pos] == '0':
		p.pos++
	case p.pos < len(d) && d[p.pos] >= '1' && d[p.pos] <= '9':
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
	default:
		return Node{}, p.errorf("invalid number")
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		p.pos++
		if p.pos >= len(d) || d[p.pos] < '0' || d[p.pos] > '9' {
			return Node{}, p.errorf("invalid number: expected a digit after '.'")
		}
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if p.pos >= len(d) || d[p.pos] < '0' || d[p.pos] > '9' {
			return Node{}, p.errorf("invalid number: expected a digit in the exponent")
		}
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
	}
	return Node{Kind: Number, Text: p.text[start:p.pos], Start: start, End: p.pos}, nil
}

// str reads a string starting at the opening quote.
func (p *parser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	d := p.data
	// Fast path: no escapes and valid UTF-8.
	ascii := true
	for p.pos < len(d) {
		c := d[p.pos]
		if c == '"' {
			if ascii || utf8.Valid(d[start:p.pos]) {
				s := p.text[start:p.pos]
				p.pos++
				return s, nil
			}
			break
		}
		if c == '\\' {
			break
		}
		if c >= 0x80 {
			ascii = false
		}
		if c < 0x20 {
			return "", p.errorf("control character %q in string", c)
		}
		p.pos++
	}
	// Slow path: decode escapes, and replace invalid UTF-8 with U+FFFD as
	// encoding/json does.
	p.pos = start
	var buf []byte
	for p.pos < len(d) {
		c := d[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("control character %q in string", c)
		case c >= 0x80:
			r, size := utf8.DecodeRune(d[p.pos:])
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, d[p.pos:p.pos+size]...)
			}
			p.pos += size
			continue
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(d) {
			break
		}
		e := d[p.pos]
		p.pos++
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
			r, ok := p.hex4()
			if !ok {
				return "", p.errorf("invalid \\u escape in string")
			}
			if utf16.IsSurrogate(r) {
				// A high surrogate must be followed by \uDC00-\uDFFF.
				r2 := rune(-1)
				if p.pos+1 < len(d) && d[p.pos] == '\\' && d[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					var ok2 bool
					if r2, ok2 = p.hex4(); !ok2 {
						return "", p.errorf("invalid \\u escape in string")
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
					} else {
						p.pos = save
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.pos--
			return "", p.errorf("invalid escape \\%c in string", e)
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *parser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
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
	p.pos += 4
	return r, true
}

func (p *parser) array(depth int) (Node, error) {
	n := Node{Kind: Array, Start: p.pos}
	p.pos++
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		n.End = p.pos
		return n, nil
	}
	base := len(p.items)
	for {
		p.skipSpace()
		item, err := p.value(depth + 1)
		if err != nil {
			return Node{}, err
		}
		p.items = append(p.items, item)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return Node{}, p.errorf("unexpected end of input in array, expected ',' or ']'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			n.End = p.pos
			n.Items = p.takeNodes(p.items[base:])
			clear(p.items[base:])
			p.items = p.items[:base]
			return n, nil
		default:
			return Node{}, p.errorf("unexpected %s in array, expected ',' or ']'", p.describe())
		}
	}
}

func (p *parser) object(depth int) (Node, error) {
	n := Node{Kind: Object, Start: p.pos}
	p.pos++
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		n.End = p.pos
		return n, nil
	}
	base := len(p.fields)
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return Node{}, p.errorf("unexpected %s in object, expected a quoted member name", p.describe())
		}
		keyOffset := p.pos
		key, err := p.str()
		if err != nil {
			return Node{}, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return Node{}, p.errorf("unexpected %s after member name, expected ':'", p.describe())
		}
		p.pos++
		p.skipSpace()
		v, err := p.value(depth + 1)
		if err != nil {
			return Node{}, err
		}
		p.fields = append(p.fields, Field{Key: key, KeyOffset: keyOffset, Value: v})
		p.skipSpace()
		if p.pos >= len(p.data) {
			return Node{}, p.errorf("unexpected end of input in object, expected ',' or '}'")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			n.End = p.pos
			n.Fields = p.takeFields(p.fields[base:])
			clear(p.fields[base:])
			p.fields = p.fields[:base]
			return n, nil
		default:
			return Node{}, p.errorf("unexpected %s in object, expected ',' or '}'", p.describe())
		}
	}
}

// LineCol converts a byte offset in data to a 1-based line and column
// (columns count runes, as editors do).
func LineCol(data []byte, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	line, col = 1, 1
	for i := 0; i < offset; {
		r, size := utf8.DecodeRune(data[i:])
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		i += size
	}
	return line, col
}
