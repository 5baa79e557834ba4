package tfhcl

import (
	"bytes"
	"os"
	"runtime"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/logpath/logpath/internal/parallel"
)

// Parsing was most of the time spent on a large configuration, so files
// are parsed on all CPUs, and a large file in pieces of about pieceSize
// bytes, each a run of whole top-level blocks, each parsed by fastParse or,
// outside its subset, by hclsyntax (parseHCL). hclsyntax keeps every token
// of what it parses in one slice, grown as it goes: for a file of hundreds
// of kilobytes that is tens of megabytes copied and cleared, and small
// pieces hold far less at once; a piece outside fastParse's subset also
// sends only itself to hclsyntax (docs/benchmarks.md). The pieces give the
// same syntax tree as the whole file (FuzzParsePieces checks it); a file
// whose pieces do not parse cleanly is parsed whole, so that its errors
// are the ones hclsyntax gives for it.
const pieceSize = 4096

// sourceFile is one .tf file, read and parsed.
type sourceFile struct {
	src   []byte
	file  *hcl.File
	diags hcl.Diagnostics
	err   error // from reading the file
}

// piece is a run of whole top-level items of a file, parsed on its own.
type piece struct {
	file       int
	start, end int // byte offsets
	line       int // of start
	parsed     *hcl.File
	body       *hclsyntax.Body
	diags      hcl.Diagnostics
}

// parseFiles reads and parses the files of a module. A file parsed before
// (a module called more than once) comes from the parser's cache. Override
// files are skipped; loadModule rejects them.
func (l *loader) parseFiles(files []string) []sourceFile {
	out := make([]sourceFile, len(files))
	cached := l.parser.Files()
	var pieces []piece
	for i, f := range files {
		if isOverride(f) {
			continue
		}
		sf := &out[i]
		if sf.src, sf.err = os.ReadFile(f); sf.err != nil {
			continue
		}
		if sf.file = cached[f]; sf.file == nil {
			pieces = append(pieces, splitPieces(i, sf.src, pieceSize)...)
		}
	}
	parallel.For(len(pieces), runtime.GOMAXPROCS(0), func() struct{} { return struct{}{} }, func(_ struct{}, n int) {
		p := &pieces[n]
		src := out[p.file].src
		p.parsed, p.diags = parseHCL(src[p.start:p.end], files[p.file], hcl.Pos{Line: p.line, Column: 1, Byte: p.start})
		p.body, _ = p.parsed.Body.(*hclsyntax.Body)
	})
	for from := 0; from < len(pieces); {
		to := from + 1
		for to < len(pieces) && pieces[to].file == pieces[from].file {
			to++
		}
		i := pieces[from].file
		sf := &out[i]
		if to == from+1 {
			sf.file, sf.diags = pieces[from].parsed, pieces[from].diags // the whole file
		} else {
			sf.file = joinPieces(sf.src, pieces[from:to])
		}
		if sf.file == nil {
			sf.file, sf.diags = parseHCL(sf.src, files[i], hcl.InitialPos)
		}
		l.parser.AddFile(files[i], sf.file)
		from = to
	}
	return out
}

// joinPieces makes one file of its parsed pieces, as hclsyntax.ParseConfig
// would have made it; nil when a piece has a diagnostic, or an argument is
// set in two pieces (which the whole file reports).
func joinPieces(src []byte, pieces []piece) *hcl.File {
	body := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: hclsyntax.Blocks{}}
	for _, p := range pieces {
		if len(p.diags) > 0 || p.body == nil {
			return nil
		}
		for name, a := range p.body.Attributes {
			if body.Attributes[name] != nil {
				return nil
			}
			body.Attributes[name] = a
		}
		body.Blocks = append(body.Blocks, p.body.Blocks...)
	}
	first, last := pieces[0].body, pieces[len(pieces)-1].body
	body.SrcRange = hcl.RangeBetween(first.SrcRange, last.SrcRange)
	body.EndRange = last.EndRange
	return &hcl.File{Body: body, Bytes: src}
}

// splitPieces cuts src into pieces of at least size bytes (the last may be
// shorter), each ending with a newline at the top level of the file:
// outside any brace, bracket, parenthesis, string, heredoc or comment. The
// scan follows the HCL native syntax's lexical rules only as far as it
// needs to; where it gets them wrong, a piece ends inside something it
// opened, does not parse, and the file is parsed whole. A file it cannot
// follow to the end (an unterminated string, say) is one piece.
// https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md
func splitPieces(file int, src []byte, size int) []piece {
	whole := []piece{{file: file, start: 0, end: len(src), line: 1}}
	if len(src) < 2*size {
		return whole
	}
	// stack holds what the scan is inside: 'e' an expression (the file's
	// top level, or a template interpolation) or '"' a quoted template;
	// depth the brackets open in each.
	stack, depth := []byte{'e'}, []int{0}
	var out []piece
	start, startLine, line := 0, 1, 1
	for i := 0; i < len(src); i++ {
		c := src[i]
		top := len(stack) - 1
		if stack[top] == '"' {
			switch {
			case c == '\\':
				i++
			case c == '\n':
				return whole // no quoted string spans lines
			case (c == '$' || c == '%') && i+2 < len(src) && src[i+1] == c && src[i+2] == '{':
				i += 2 // $${ and %%{ are literal
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				stack, depth = append(stack, 'e'), append(depth, 0)
				i++
			case c == '"':
				stack, depth = stack[:top], depth[:top]
			}
			continue
		}
		switch c {
		case '\n':
			line++
			if top == 0 && depth[0] == 0 && i+1-start >= size && len(src)-(i+1) >= size {
				out = append(out, piece{file: file, start: start, end: i + 1, line: startLine})
				start, startLine = i+1, line
			}
		case '#':
			i = endOfLine(src, i)
		case '/':
			switch {
			case i+1 < len(src) && src[i+1] == '/':
				i = endOfLine(src, i)
			case i+1 < len(src) && src[i+1] == '*':
				n := bytes.Index(src[i+2:], []byte("*/"))
				if n < 0 {
					return whole
				}
				line += bytes.Count(src[i:i+2+n], []byte{'\n'})
				i += 2 + n + 1
			}
		case '"':
			stack, depth = append(stack, '"'), append(depth, 0)
		case '<':
			if i+1 < len(src) && src[i+1] == '<' {
				last, newlines, ok := skipHeredoc(src, i)
				if !ok {
					return whole
				}
				i, line = last, line+newlines
			}
		case '{', '[', '(':
			depth[top]++
		case '}', ']', ')':
			switch {
			case depth[top] > 0:
				depth[top]--
			case top > 0 && c == '}':
				stack, depth = stack[:top], depth[:top] // the end of an interpolation
			default:
				return whole
			}
		}
	}
	if len(stack) != 1 || depth[0] != 0 || len(out) == 0 {
		return whole
	}
	return append(out, piece{file: file, start: start, end: len(src), line: startLine})
}

// endOfLine is the index of the last byte before the newline that ends
// the line of src[i], or of the last byte of src.
func endOfLine(src []byte, i int) int {
	if n := bytes.IndexByte(src[i:], '\n'); n >= 0 {
		return i + n - 1
	}
	return len(src) - 1
}

// skipHeredoc reads the heredoc that starts at src[i] ("<<EOT" or
// "<<-EOT", then a newline) and returns the index of the last byte of its
// closing line (the marker alone on a line, after optional spaces) and the
// newlines before that line.
func skipHeredoc(src []byte, i int) (last, newlines int, ok bool) {
	j := i + 2
	if j < len(src) && src[j] == '-' {
		j++
	}
	k := j
	for k < len(src) && (src[k] == '_' || src[k] == '-' || 'a' <= src[k]|0x20 && src[k]|0x20 <= 'z' || k > j && '0' <= src[k] && src[k] <= '9') {
		k++
	}
	marker := src[j:k]
	if k < len(src) && src[k] == '\r' {
		k++
	}
	if len(marker) == 0 || k >= len(src) || src[k] != '\n' {
		return 0, 0, false
	}
	for p := k + 1; p < len(src); {
		newlines++
		end := len(src)
		if n := bytes.IndexByte(src[p:], '\n'); n >= 0 {
			end = p + n
		}
		text := bytes.TrimSuffix(bytes.TrimLeft(src[p:end], " \t"), []byte{'\r'})
		if bytes.Equal(text, marker) {
			return end - 1, newlines, true
		}
		p = end + 1
	}
	return 0, 0, false
}
