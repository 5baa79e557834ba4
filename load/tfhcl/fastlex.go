package tfhcl

import (
	"bytes"
	"sync"

	"github.com/hashicorp/hcl/v2"
)

// The lexer of fastParse: the tokens hclsyntax's scanner (scan_tokens.rl)
// makes of the subset, with their positions.

// ftokType is a token type of the subset.
type ftokType uint8

const (
	fEOF ftokType = iota
	fNewline
	fComment // a line comment, with its newline when it has one
	fIdent
	fNumber
	fOQuote
	fCQuote
	fQuotedLit
	fInterp // ${
	fSeqEnd // the } that ends an interpolation
	fOBrace
	fCBrace
	fOBrack
	fCBrack
	fOParen
	fCParen
	fComma
	fEqual
	fDot
	fColon
	fQuestion
	fBang
	fFatArrow
	fEllipsis
	fOHeredoc
	fCHeredoc
	fStringLit // a heredoc's literal: a line with its newline, or up to an interpolation
	// Binary operators, in hclsyntax's binaryOps order.
	fOr
	fAnd
	fEq
	fNe
	fGt
	fGe
	fLt
	fLe
	fPlus
	fMinus
	fStar
	fSlash
	fPercent
)

// ftok is a token: what hclsyntax's Token holds, in 20 bytes. Its end is
// on the same line, or at the start of the next for a newline and a
// comment that ends with one.
type ftok struct {
	typ        ftokType
	endsLine   bool
	start, end int32 // offsets in the source
	line, col  int32 // of start
}

var tokenPool = sync.Pool{New: func() any { b := make([]ftok, 0, 1024); return &b }}

// lexFast cuts src into tokens as hclsyntax's scanner would (scan_tokens.rl),
// or says it cannot (ok false): a byte outside the subset, or an unclosed
// string or interpolation.
func lexFast(src []byte, start hcl.Pos, toks []ftok) (_ []ftok, ok bool) {
	n := len(src)
	if int64(n)+int64(start.Byte) > 1<<31-1 {
		return toks, false
	}
	line := int32(start.Line)
	lineStart := -(start.Column - 1) // the offset of column 1 of this line
	col := func(i int) int32 { return int32(i - lineStart + 1) }
	emit := func(typ ftokType, s, e int) {
		toks = append(toks, ftok{typ: typ, start: int32(s), end: int32(e), line: line, col: col(s)})
	}
	// modes is the nesting of templates and their interpolations, as the
	// scanner's fcall stack: the top level is the main mode.
	var modes []lexMode
	inInterp := func() bool { return len(modes) > 0 }
	braces := 0
	var retBraces []int
	interp := func(i int) bool {
		if i+2 < n && src[i+2] == '~' {
			return false
		}
		emit(fInterp, i, i+2)
		braces++
		retBraces = append(retBraces, braces)
		modes = append(modes, lexMode{kind: modeInterp})
		return true
	}
	for i := 0; i < n; {
		c := src[i]
		if top := len(modes) - 1; top >= 0 && modes[top].kind == modeHeredoc {
			// A run of literal bytes up to the end of the line or an
			// interpolation; a line that is the marker alone ends it.
			if c == '$' && i+1 < n && src[i+1] == '{' {
				modes[top].startOfLine = false
				if !interp(i) {
					return toks, false
				}
				i += 2
				continue
			}
			j := i
			for j < n && heredocByte(src[j]) {
				j++
			}
			switch {
			case j < n && src[j] == '\n':
				if modes[top].startOfLine && string(bytes.TrimSpace(src[i:j])) == modes[top].marker {
					emit(fCHeredoc, i, j)
					emit(fNewline, j, j+1)
					toks[len(toks)-1].endsLine = true
					modes = modes[:top]
				} else {
					emit(fStringLit, i, j+1)
					toks[len(toks)-1].endsLine = true
					modes[top].startOfLine = true
				}
				line++
				lineStart = j + 1
				i = j + 1
			case j+1 < n && src[j] == '$' && src[j+1] == '{':
				if j > i {
					emit(fStringLit, i, j)
				}
				modes[top].startOfLine = false
				i = j
			default: // $ and % sequences, CR, non-ASCII, the end of the input
				return toks, false
			}
			continue
		}
		if top := len(modes) - 1; top >= 0 && modes[top].kind == modeString {
			switch {
			case c == '"':
				emit(fCQuote, i, i+1)
				modes = modes[:top]
				i++
			case c == '$' && i+1 < n && src[i+1] == '{':
				if !interp(i) {
					return toks, false
				}
				i += 2
			case quotedLitByte(c) || c == '\\':
				// A run of literal bytes and escapes (a backslash and the
				// byte after it) is one token, as in the scanner.
				j := i
				for j < n {
					if src[j] == '\\' && j+1 < n && (quotedLitByte(src[j+1]) || src[j+1] == '"' || src[j+1] == '\\' || src[j+1] == '$' || src[j+1] == '%') {
						j += 2
					} else if quotedLitByte(src[j]) {
						j++
					} else {
						break
					}
				}
				if j == i {
					return toks, false
				}
				emit(fQuotedLit, i, j)
				i = j
			default: // escapes, $ and % sequences, newlines, non-ASCII
				return toks, false
			}
			continue
		}
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '\n':
			if inInterp() {
				return toks, false // a newline within an interpolation
			}
			emit(fNewline, i, i+1)
			toks[len(toks)-1].endsLine = true
			line++
			lineStart = i + 1
			i++
		case c == '#' || c == '/' && i+1 < n && src[i+1] == '/':
			if inInterp() {
				return toks, false
			}
			j := i
			for j < n && src[j] != '\n' {
				if src[j] >= 0x80 || src[j] == '\r' {
					return toks, false
				}
				j++
			}
			if j < n {
				emit(fComment, i, j+1)
				toks[len(toks)-1].endsLine = true
				line++
				lineStart = j + 1
				i = j + 1
			} else {
				emit(fComment, i, j)
				i = j
			}
		case 'a' <= c|0x20 && c|0x20 <= 'z' || c == '_':
			j := i + 1
			for j < n && identByte(src[j]) {
				j++
			}
			emit(fIdent, i, j)
			i = j
		case '0' <= c && c <= '9':
			j := i + 1
			for j < n && '0' <= src[j] && src[j] <= '9' {
				j++
			}
			if j < n && (src[j] == '.' || src[j]|0x20 == 'e') {
				return toks, false // fractions and exponents
			}
			emit(fNumber, i, j)
			i = j
		case c == '"':
			emit(fOQuote, i, i+1)
			modes = append(modes, lexMode{kind: modeString})
			i++
		case c == '{':
			emit(fOBrace, i, i+1)
			braces++
			i++
		case c == '}':
			if len(retBraces) > 0 && retBraces[len(retBraces)-1] == braces {
				emit(fSeqEnd, i, i+1)
				retBraces = retBraces[:len(retBraces)-1]
				modes = modes[:len(modes)-1]
			} else {
				emit(fCBrace, i, i+1)
			}
			braces--
			i++
		case c == '=' && i+1 < n && src[i+1] == '>':
			emit(fFatArrow, i, i+2)
			i += 2
		case c == '<' && i+1 < n && src[i+1] == '<':
			// <<EOT or <<-EOT and a newline open a heredoc.
			j := i + 2
			if j < n && src[j] == '-' {
				j++
			}
			m := j
			if j < n && ('a' <= src[j]|0x20 && src[j]|0x20 <= 'z' || src[j] == '_') {
				for j++; j < n && identByte(src[j]); j++ {
				}
			}
			if j == m || j >= n || src[j] != '\n' {
				return toks, false
			}
			emit(fOHeredoc, i, j+1)
			toks[len(toks)-1].endsLine = true
			modes = append(modes, lexMode{kind: modeHeredoc, marker: string(src[m:j]), startOfLine: true})
			line++
			lineStart = j + 1
			i = j + 1
		case c == '/' && i+1 < n && src[i+1] == '*':
			return toks, false // block comments
		case c == ':' && i+1 < n && src[i+1] == ':':
			return toks, false // function namespaces
		case c < 128 && withEquals[c] != 0 && i+1 < n && src[i+1] == '=':
			emit(withEquals[c], i, i+2)
			i += 2
		case c == '&' || c == '|':
			if i+1 >= n || src[i+1] != c {
				return toks, false // bitwise operators, which HCL rejects
			}
			emit(doubled[c], i, i+2)
			i += 2
		case c < 128 && oneByteOps[c] != 0:
			emit(oneByteOps[c], i, i+1)
			i++
		case c == '.' && i+2 < n && src[i+1] == '.' && src[i+2] == '.':
			emit(fEllipsis, i, i+3)
			i += 3
		case c == '.':
			if i+1 < n && src[i+1] == '.' {
				return toks, false
			}
			emit(fDot, i, i+1)
			i++
		default: // ~, ;, quotes other than ", CR, non-ASCII
			return toks, false
		}
	}
	if len(modes) > 0 {
		return toks, false
	}
	emit(fEOF, n, n)
	return toks, true
}

// lexMode is a mode of the scanner below the main one.
type lexMode struct {
	kind        byte // modeString, modeHeredoc or modeInterp
	marker      string
	startOfLine bool
}

const (
	modeString = iota
	modeHeredoc
	modeInterp
)

// heredocByte: a byte of a heredoc line that stands for itself.
func heredocByte(c byte) bool {
	return c >= 0x20 && c < 0x7f && c != '$' && c != '%' || c == '\t'
}

var (
	oneByteOps = [128]ftokType{'[': fOBrack, ']': fCBrack, '(': fOParen, ')': fCParen, ',': fComma, '=': fEqual,
		':': fColon, '?': fQuestion, '!': fBang, '>': fGt, '<': fLt, '+': fPlus, '-': fMinus, '*': fStar, '/': fSlash, '%': fPercent}
	// withEquals are the operators of a byte and "=": ==, !=, <=, >=.
	withEquals = [128]ftokType{'=': fEq, '!': fNe, '<': fLe, '>': fGe}
	doubled    = [128]ftokType{'&': fAnd, '|': fOr}
)

// quotedLitByte: a byte of a quoted literal that stands for itself.
func quotedLitByte(c byte) bool {
	return c >= 0x20 && c < 0x7f && c != '"' && c != '$' && c != '%' && c != '\\' || c == '\t'
}

func identByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}
