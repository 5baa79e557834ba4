package jsontree

import "strconv"

// Path is a JSON path inside a document, "$.Statement[0].Principal": a
// chain of steps kept on the stack while a reader walks a Doc, turned into
// text only when a message needs it. The zero Path is the root, "$".
type Path struct {
	up    *Path
	name  string // a member's name
	index int    // an item's index, or -1 for a member
}

// Member is the path of member name of the object at p.
func (p *Path) Member(name string) Path { return Path{up: p, name: name, index: -1} }

// Item is the path of item i of the array at p.
func (p *Path) Item(i int) Path { return Path{up: p, index: i} }

func (p *Path) String() string { return string(p.Append(make([]byte, 0, 64))) }

// Append appends the path's text to b.
func (p *Path) Append(b []byte) []byte {
	if p.up == nil {
		return append(b, '$')
	}
	b = p.up.Append(b)
	if p.index >= 0 {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(p.index), 10)
		return append(b, ']')
	}
	b = append(b, '.')
	return append(b, p.name...)
}
