package tfhcl

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// fastParse parses src as hclsyntax.ParseConfig(src, filename, start)
// does, and gives the same syntax tree, for the subset of the HCL native
// syntax that generated and hand-written Terraform mostly is: blocks,
// arguments, literals, references, index keys, function calls, tuples,
// objects, operators, conditionals, parentheses, for expressions, splats
// and quoted templates with escapes and interpolations, in ASCII, with
// line comments, and heredocs. It returns nil for anything else (template
// directives, $${ and %%{ escapes, legacy index syntax, block comments,
// CRLF, non-ASCII, single-line blocks) and for any syntax error; the caller
// then parses with hclsyntax, which gives its own diagnostics.
//
// Why: hclsyntax spends most of its time keeping one 96-byte token per
// lexeme and stepping through every byte of every token by grapheme
// cluster to count columns; on a configuration of thousands of resources
// that was most of `logpath check`'s time (docs/benchmarks.md). In ASCII
// without CR, every byte is one column, and positions follow from offsets.
//
// The parser mirrors hclsyntax's (parser.go, parser_template.go of
// github.com/hashicorp/hcl/v2 v2.25.0) function by function, with the same
// peeker rules for newlines and comments, so that every range is the same;
// TestFastParseMatchesHCLSyntax and FuzzFastParse compare the two trees.
// https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md
//
// tooDeep is set (body nil) when an expression nests more than maxNesting
// deep: hclsyntax must not parse such input either (nestingDiag).
func fastParse(src []byte, filename string, start hcl.Pos) (body *hclsyntax.Body, tooDeep *hcl.Range) {
	if start.Column < 1 || start.Line < 1 {
		return nil, nil
	}
	buf := tokenPool.Get().(*[]ftok)
	defer func() {
		*buf = (*buf)[:0]
		tokenPool.Put(buf)
		if r := recover(); r != nil {
			if d, ok := r.(nestedTooDeep); ok {
				body, tooDeep = nil, &d.at
				return
			}
			if r != errFallback {
				panic(r)
			}
			body = nil
		}
	}()
	toks, ok := lexFast(src, start, (*buf)[:0])
	*buf = toks
	if !ok {
		return nil, nil
	}
	p := &fparser{toks: toks, src: string(src), filename: filename, base: start.Byte, nl: make([]bool, 1, 8)}
	p.nl[0] = true
	return p.parseBody(fEOF), nil
}

// nestedTooDeep stops fastParse at the expression that passes maxNesting.
type nestedTooDeep struct{ at hcl.Range }

// binaryOps are hclsyntax's binary operators by token, with their
// precedence group, lowest first, as in its binaryOps table
// (expression_ops.go); operators of a group are left-associative.
var binaryOps = [fPercent + 1]struct {
	group int
	op    *hclsyntax.Operation
}{
	fOr:  {0, hclsyntax.OpLogicalOr},
	fAnd: {1, hclsyntax.OpLogicalAnd},
	fEq:  {2, hclsyntax.OpEqual}, fNe: {2, hclsyntax.OpNotEqual},
	fGt: {3, hclsyntax.OpGreaterThan}, fGe: {3, hclsyntax.OpGreaterThanOrEqual}, fLt: {3, hclsyntax.OpLessThan}, fLe: {3, hclsyntax.OpLessThanOrEqual},
	fPlus: {4, hclsyntax.OpAdd}, fMinus: {4, hclsyntax.OpSubtract},
	fStar: {5, hclsyntax.OpMultiply}, fSlash: {5, hclsyntax.OpDivide}, fPercent: {5, hclsyntax.OpModulo},
}

const binaryGroups = 6

// errFallback stops fastParse: the input is outside the subset.
var errFallback = &struct{ string }{"fastParse: outside the subset"}

func fallback() { panic(errFallback) }

// fparser is hclsyntax's parser and peeker over ftoks.
type fparser struct {
	toks     []ftok
	next     int
	depth    int    // of expressions being parsed
	nl       []bool // hclsyntax's IncludeNewlinesStack
	src      string
	filename string
	base     int // the byte offset of src[0]
}

// nextToken is the index of the token Peek would give, and the index after
// it. A comment that ends with a newline reads as a newline where newlines
// count (with the comment's range), and is skipped elsewhere.
func (p *fparser) nextToken() (tok, after int) {
	inclNL := p.nl[len(p.nl)-1]
	for i := p.next; i < len(p.toks); i++ {
		switch p.toks[i].typ {
		case fComment:
			if inclNL && p.toks[i].endsLine {
				return i, i + 1
			}
			continue
		case fNewline:
			if !inclNL {
				continue
			}
		}
		return i, i + 1
	}
	return len(p.toks) - 1, len(p.toks)
}

// typ is the type a token reads as: a comment is a newline.
func (p *fparser) typ(i int) ftokType {
	if t := p.toks[i].typ; t != fComment {
		return t
	}
	return fNewline
}

func (p *fparser) peek() int { i, _ := p.nextToken(); return i }
func (p *fparser) peekType() ftokType {
	return p.typ(p.peek())
}

func (p *fparser) read() int {
	i, after := p.nextToken()
	p.next = after
	return i
}

// expect reads the next token, which must be of type t.
func (p *fparser) expect(t ftokType) int {
	i := p.read()
	if p.typ(i) != t {
		fallback()
	}
	return i
}

// nest counts one more level of expressions, and stops the parse past
// maxNesting.
func (p *fparser) nest(at hcl.Range) {
	if p.depth++; p.depth > maxNesting {
		panic(nestedTooDeep{at})
	}
}

func (p *fparser) push(include bool) { p.nl = append(p.nl, include) }
func (p *fparser) pop()              { p.nl = p.nl[:len(p.nl)-1] }

func (p *fparser) rng(i int) hcl.Range {
	t := p.toks[i]
	r := hcl.Range{Filename: p.filename,
		Start: hcl.Pos{Line: int(t.line), Column: int(t.col), Byte: p.base + int(t.start)},
		End:   hcl.Pos{Line: int(t.line), Column: int(t.col + t.end - t.start), Byte: p.base + int(t.end)}}
	if t.endsLine {
		r.End.Line, r.End.Column = r.End.Line+1, 1
	}
	return r
}

func (p *fparser) prevRange() hcl.Range {
	if p.next == 0 {
		return p.rng(p.peek())
	}
	return p.rng(p.next - 1)
}

func (p *fparser) text(i int) string { return p.src[p.toks[i].start:p.toks[i].end] }

// literal is the value of a quoted literal token: its text, with its
// escapes decoded by hclsyntax itself.
func (p *fparser) literal(i int) string {
	s := p.text(i)
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	v, diags := hclsyntax.ParseStringLiteralToken(hclsyntax.Token{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(s), Range: p.rng(i)})
	if len(diags) > 0 {
		fallback()
	}
	return v
}

// parseBody is hclsyntax's ParseBody.
func (p *fparser) parseBody(end ftokType) *hclsyntax.Body {
	attrs, blocks := hclsyntax.Attributes{}, hclsyntax.Blocks{}
	startRange := p.prevRange()
	var endRange hcl.Range
	for {
		next := p.peek()
		switch p.typ(next) {
		case end:
			endRange = p.rng(next)
			p.read()
			return &hclsyntax.Body{Attributes: attrs, Blocks: blocks,
				SrcRange: hcl.RangeBetween(startRange, endRange),
				EndRange: hcl.Range{Filename: endRange.Filename, Start: endRange.End, End: endRange.End}}
		case fNewline:
			p.read()
		case fIdent:
			ident := p.read()
			switch p.peekType() {
			case fEqual:
				a := p.parseAttribute(ident)
				if attrs[a.Name] != nil {
					fallback() // "Attribute redefined"
				}
				attrs[a.Name] = a
			case fOQuote, fOBrace, fIdent:
				blocks = append(blocks, p.parseBlock(ident))
			default:
				fallback()
			}
		default:
			fallback()
		}
	}
}

// parseAttribute is finishParsingBodyAttribute, not on a single line.
func (p *fparser) parseAttribute(ident int) *hclsyntax.Attribute {
	eq := p.read()
	expr := p.parseExpression()
	if t := p.peekType(); t != fNewline && t != fEOF {
		fallback() // "Missing newline after argument"
	}
	endRange := p.prevRange()
	p.read()
	name := p.rng(ident)
	return &hclsyntax.Attribute{Name: p.text(ident), Expr: expr,
		SrcRange: hcl.RangeBetween(name, endRange), NameRange: name, EqualsRange: p.rng(eq)}
}

// parseBlock is finishParsingBodyBlock, without single-line blocks.
func (p *fparser) parseBlock(ident int) *hclsyntax.Block {
	var labels []string
	var labelRanges []hcl.Range
	var oBrace int
labels:
	for {
		switch p.peekType() {
		case fOBrace:
			oBrace = p.read()
			break labels
		case fOQuote:
			label, r := p.parseQuotedStringLiteral()
			labels, labelRanges = append(labels, label), append(labelRanges, r)
		case fIdent:
			t := p.read()
			labels, labelRanges = append(labels, p.text(t)), append(labelRanges, p.rng(t))
		default:
			fallback()
		}
	}
	switch p.peekType() {
	case fNewline, fEOF, fCBrace:
	default:
		fallback() // a single-line block
	}
	body := p.parseBody(fCBrace)
	cBrace := p.prevRange()
	if t := p.peekType(); t != fNewline && t != fEOF {
		fallback() // "Missing newline after block definition"
	}
	p.read()
	return &hclsyntax.Block{Type: p.text(ident), Labels: labels, Body: body,
		TypeRange: p.rng(ident), LabelRanges: labelRanges, OpenBraceRange: p.rng(oBrace), CloseBraceRange: cBrace}
}

// parseQuotedStringLiteral is the parser's: a label without interpolations.
func (p *fparser) parseQuotedStringLiteral() (string, hcl.Range) {
	open := p.expect(fOQuote)
	s := ""
	for {
		t := p.read()
		switch p.typ(t) {
		case fCQuote:
			return s, hcl.RangeBetween(p.rng(open), p.rng(t))
		case fQuotedLit:
			s += p.literal(t)
		default:
			fallback()
		}
	}
}

// parseExpression is ParseExpression and parseTernaryConditional.
func (p *fparser) parseExpression() hclsyntax.Expression {
	startRange := p.rng(p.peek())
	p.nest(startRange)
	defer func() { p.depth-- }()
	cond := p.parseBinaryOps(0)
	if p.peekType() != fQuestion {
		return cond
	}
	p.read()
	t := p.parseExpression()
	p.expect(fColon)
	f := p.parseExpression()
	return &hclsyntax.ConditionalExpr{Condition: cond, TrueResult: t, FalseResult: f, SrcRange: hcl.RangeBetween(startRange, f.Range())}
}

// parseBinaryOps is hclsyntax's, from precedence group level on.
func (p *fparser) parseBinaryOps(level int) hclsyntax.Expression {
	if level == binaryGroups {
		return p.parseTraversals(p.parseTerm())
	}
	lhs := p.parseBinaryOps(level + 1)
	var op *hclsyntax.Operation
	var rhs hclsyntax.Expression
	for {
		b := binaryOps[p.peekType()]
		if b.op == nil || b.group != level {
			break
		}
		next := b.op
		if op != nil {
			lhs = &hclsyntax.BinaryOpExpr{LHS: lhs, Op: op, RHS: rhs, SrcRange: hcl.RangeBetween(lhs.Range(), rhs.Range())}
		}
		op = next
		p.read()
		rhs = p.parseBinaryOps(level + 1)
	}
	if op == nil {
		return lhs
	}
	return &hclsyntax.BinaryOpExpr{LHS: lhs, Op: op, RHS: rhs, SrcRange: hcl.RangeBetween(lhs.Range(), rhs.Range())}
}

// parseTraversals is parseExpressionTraversals without legacy index syntax.
func (p *fparser) parseTraversals(from hclsyntax.Expression) hclsyntax.Expression {
	ret := from
	for {
		switch p.peekType() {
		case fDot:
			dot := p.read()
			if p.peekType() == fStar {
				ret = p.parseAttrSplat(from, ret, dot)
				continue
			}
			attr := p.expect(fIdent)
			r := hcl.RangeBetween(p.rng(dot), p.rng(attr))
			ret = makeRelativeTraversal(ret, hcl.TraverseAttr{Name: p.text(attr), SrcRange: r}, r)
		case fOBrack:
			open := p.read()
			if p.peekType() == fStar {
				// A full splat: foo[*] and the traversal steps after it,
				// applied to each element.
				p.read()
				close := p.expect(fCBrack)
				item := &hclsyntax.AnonSymbolExpr{SrcRange: hcl.RangeBetween(p.rng(open), p.rng(close))}
				each := p.parseTraversals(item)
				ret = &hclsyntax.SplatExpr{Source: ret, Each: each, Item: item,
					SrcRange: hcl.RangeBetween(from.Range(), each.Range()), MarkerRange: hcl.RangeBetween(p.rng(open), p.rng(close))}
				continue
			}
			p.push(false)
			key := p.parseExpression()
			close := p.expect(fCBrack)
			p.pop()
			r := hcl.RangeBetween(p.rng(open), p.rng(close))
			if lit, ok := key.(*hclsyntax.LiteralValueExpr); ok {
				k, _ := lit.Value(nil)
				ret = makeRelativeTraversal(ret, hcl.TraverseIndex{Key: k, SrcRange: r}, r)
			} else if tmpl, ok := key.(*hclsyntax.TemplateExpr); ok && tmpl.IsStringLiteral() {
				k, _ := tmpl.Value(nil)
				ret = makeRelativeTraversal(ret, hcl.TraverseIndex{Key: k, SrcRange: r}, r)
			} else {
				ret = &hclsyntax.IndexExpr{Collection: ret, Key: key,
					SrcRange: hcl.RangeBetween(from.Range(), r), OpenRange: p.rng(open), BracketRange: r}
			}
		default:
			return ret
		}
	}
}

// parseAttrSplat is the attribute-only splat, foo.*.bar, after the dot:
// only attribute steps follow it.
func (p *fparser) parseAttrSplat(from, ret hclsyntax.Expression, dot int) hclsyntax.Expression {
	marker := p.read()
	trav := make(hcl.Traversal, 0, 1)
	firstRange, lastRange := p.rng(p.peek()), p.rng(marker)
	for p.peekType() == fDot {
		d := p.read()
		attr := p.expect(fIdent) // numbers (legacy index syntax) and nested splats are outside
		trav = append(trav, hcl.TraverseAttr{Name: p.text(attr), SrcRange: hcl.RangeBetween(p.rng(d), p.rng(attr))})
		lastRange = p.rng(attr)
	}
	item := &hclsyntax.AnonSymbolExpr{SrcRange: hcl.RangeBetween(p.rng(dot), p.rng(marker))}
	var each hclsyntax.Expression = item
	if len(trav) > 0 {
		each = &hclsyntax.RelativeTraversalExpr{Source: item, Traversal: trav, SrcRange: hcl.RangeBetween(firstRange, lastRange)}
	}
	return &hclsyntax.SplatExpr{Source: ret, Each: each, Item: item,
		SrcRange: hcl.RangeBetween(from.Range(), lastRange), MarkerRange: hcl.RangeBetween(p.rng(dot), p.rng(marker))}
}

// makeRelativeTraversal is hclsyntax's: it extends a traversal in place.
func makeRelativeTraversal(expr hclsyntax.Expression, next hcl.Traverser, r hcl.Range) hclsyntax.Expression {
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		e.Traversal = append(e.Traversal, next)
		e.SrcRange = hcl.RangeBetween(e.SrcRange, r)
		return e
	case *hclsyntax.RelativeTraversalExpr:
		e.Traversal = append(e.Traversal, next)
		e.SrcRange = hcl.RangeBetween(e.SrcRange, r)
		return e
	}
	return &hclsyntax.RelativeTraversalExpr{Source: expr, Traversal: hcl.Traversal{next}, SrcRange: hcl.RangeBetween(expr.Range(), r)}
}

// parseTerm is parseExpressionTerm without heredocs.
func (p *fparser) parseTerm() hclsyntax.Expression {
	start := p.peek()
	switch p.typ(start) {
	case fOParen:
		open := p.read()
		p.push(false)
		expr := p.parseExpression()
		close := p.expect(fCParen)
		p.pop()
		return &hclsyntax.ParenthesesExpr{Expression: expr, SrcRange: hcl.RangeBetween(p.rng(open), p.rng(close))}
	case fMinus, fBang:
		t := p.read()
		op := hclsyntax.OpNegate
		if p.typ(t) == fBang {
			op = hclsyntax.OpLogicalNot
		}
		// Only the term and its traversals: -1+2 is (-1)+2.
		p.nest(p.rng(t))
		val := p.parseTraversals(p.parseTerm())
		p.depth--
		return &hclsyntax.UnaryOpExpr{Op: op, Val: val, SrcRange: hcl.RangeBetween(p.rng(t), val.Range()), SymbolRange: p.rng(t)}
	case fNumber:
		t := p.read()
		v, err := cty.ParseNumberVal(p.text(t))
		if err != nil {
			fallback()
		}
		return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: p.rng(t)}
	case fIdent:
		t := p.read()
		if p.peekType() == fOParen {
			return p.parseFunctionCall(t)
		}
		r := p.rng(t)
		switch name := p.text(t); name {
		case "true":
			return &hclsyntax.LiteralValueExpr{Val: cty.True, SrcRange: r}
		case "false":
			return &hclsyntax.LiteralValueExpr{Val: cty.False, SrcRange: r}
		case "null":
			return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType), SrcRange: r}
		default:
			return &hclsyntax.ScopeTraversalExpr{Traversal: hcl.Traversal{hcl.TraverseRoot{Name: name, SrcRange: r}}, SrcRange: r}
		}
	case fOQuote:
		return p.parseTemplate(fCQuote, false)
	case fOHeredoc:
		return p.parseTemplate(fCHeredoc, strings.HasPrefix(p.text(start), "<<-"))
	case fOBrack:
		return p.parseTuple()
	case fOBrace:
		return p.parseObject()
	}
	fallback()
	return nil
}

// parseTemplate is the template case of parseExpressionTerm (a quoted
// template, or a heredoc closed by closer), with parseTemplateInner and
// parseTemplateParts: literals and interpolations, a flush heredoc's
// indentation removed, consecutive literals melded.
func (p *fparser) parseTemplate(closer ftokType, flush bool) hclsyntax.Expression {
	open := p.read()
	startRange := p.rng(p.peek())
	var parts []templatePart
	for {
		t := p.read()
		switch p.typ(t) {
		case closer:
			closeRange := p.prevRange()
			if len(parts) == 0 {
				// An empty template is one empty literal, at the end of the
				// token after the opening one, as in hclsyntax.
				parts = append(parts, templatePart{lit: true, rng: hcl.Range{Filename: startRange.Filename, Start: startRange.End, End: startRange.End}})
			}
			if flush {
				flushHeredoc(parts)
			}
			var exprs []hclsyntax.Expression
			for i := 0; i < len(parts); i++ {
				part := parts[i]
				if !part.lit {
					exprs = append(exprs, part.expr)
					continue
				}
				for i+1 < len(parts) && parts[i+1].lit {
					i++
					part.val += parts[i].val
					part.rng.End = parts[i].rng.End
				}
				exprs = append(exprs, &hclsyntax.LiteralValueExpr{Val: cty.StringVal(part.val), SrcRange: part.rng})
			}
			r := hcl.RangeBetween(p.rng(open), closeRange)
			if len(parts) == 1 && !parts[0].lit {
				return &hclsyntax.TemplateWrapExpr{Wrapped: exprs[0], SrcRange: r}
			}
			return &hclsyntax.TemplateExpr{Parts: exprs, SrcRange: r}
		case fQuotedLit:
			parts = append(parts, templatePart{lit: true, val: p.literal(t), rng: p.rng(t)})
		case fStringLit:
			// A heredoc's literal has no escapes; the lexer leaves $ and %
			// sequences outside the subset.
			parts = append(parts, templatePart{lit: true, val: p.text(t), rng: p.rng(t)})
		case fInterp:
			p.push(false)
			e := p.parseExpression()
			p.expect(fSeqEnd)
			p.pop()
			parts = append(parts, templatePart{expr: e})
		default:
			fallback()
		}
	}
}

// templatePart is a literal or an interpolation of a template.
type templatePart struct {
	lit  bool
	val  string
	rng  hcl.Range
	expr hclsyntax.Expression
}

// flushHeredoc is hclsyntax's flushHeredocTemplateParts for ASCII: the
// spaces that begin every line that is not blank, as few as the line with
// the fewest has, are taken off the literals that begin lines.
func flushHeredoc(parts []templatePart) {
	minSpaces := -1
	newline := true
	var adjust []int
	for i, part := range parts {
		if newline {
			newline = false
			spaces := -1 // a line not counted
			if part.lit {
				trimmed := strings.TrimLeft(part.val, " \t\n\v\f\r")
				if len(trimmed) > 0 || !strings.HasSuffix(part.val, "\n") {
					spaces = len(part.val) - len(trimmed)
					adjust = append(adjust, i)
				}
			} else {
				spaces = 0
			}
			if spaces >= 0 && (minSpaces < 0 || spaces < minSpaces) {
				minSpaces = spaces
			}
		}
		if part.lit && strings.HasSuffix(part.val, "\n") {
			newline = true
		}
	}
	if minSpaces <= 0 {
		return
	}
	for _, i := range adjust {
		parts[i].val = parts[i].val[minSpaces:]
		parts[i].rng.Start.Column += minSpaces
		parts[i].rng.Start.Byte += minSpaces
	}
}

// isFor says whether the next token is the keyword of a for expression.
func (p *fparser) isFor() bool {
	i := p.peek()
	return p.typ(i) == fIdent && p.text(i) == "for"
}

// parseTuple is parseTupleCons.
func (p *fparser) parseTuple() hclsyntax.Expression {
	open := p.read()
	p.push(false)
	defer p.pop()
	if p.isFor() {
		return p.parseFor(open, false)
	}
	var exprs []hclsyntax.Expression
	for {
		if p.peekType() == fCBrack {
			break
		}
		exprs = append(exprs, p.parseExpression())
		if p.peekType() == fCBrack {
			break
		}
		p.expect(fComma)
	}
	close := p.read()
	return &hclsyntax.TupleConsExpr{Exprs: exprs, SrcRange: hcl.RangeBetween(p.rng(open), p.rng(close)), OpenRange: p.rng(open)}
}

// parseObject is parseObjectCons.
func (p *fparser) parseObject() hclsyntax.Expression {
	open := p.read()
	p.push(false)
	isFor := p.isFor()
	p.pop()
	if isFor {
		return p.parseFor(open, true)
	}
	p.push(true)
	defer p.pop()
	var items []hclsyntax.ObjectConsItem
	for {
		switch p.peekType() {
		case fNewline:
			p.read()
			continue
		case fCBrace:
		default:
			// Parentheses make a key an expression, never a name.
			force := p.peekType() == fOParen
			key := &hclsyntax.ObjectConsKeyExpr{Wrapped: p.parseExpression(), ForceNonLiteral: force}
			if t := p.peekType(); t != fEqual && t != fColon {
				fallback()
			}
			p.read()
			items = append(items, hclsyntax.ObjectConsItem{KeyExpr: key, ValueExpr: p.parseExpression()})
			switch p.peekType() {
			case fCBrace:
			case fComma, fNewline:
				p.read()
				continue
			default:
				fallback()
			}
		}
		close := p.read()
		return &hclsyntax.ObjectConsExpr{Items: items, SrcRange: hcl.RangeBetween(p.rng(open), p.rng(close)), OpenRange: p.rng(open)}
	}
}

// isKeyword says whether the next token is the identifier kw.
func (p *fparser) isKeyword(kw string) bool {
	i := p.peek()
	return p.typ(i) == fIdent && p.text(i) == kw
}

// parseFor is finishParsingForExpr: [for k, v in coll : val if cond] or
// {for k, v in coll : key => val... if cond}.
func (p *fparser) parseFor(open int, makeObj bool) hclsyntax.Expression {
	p.push(false)
	defer p.pop()
	p.read() // for
	closeType := fCBrack
	if makeObj {
		closeType = fCBrace
	}
	keyName, valName := "", p.text(p.expect(fIdent))
	if p.peekType() == fComma {
		p.read()
		keyName, valName = valName, p.text(p.expect(fIdent))
	}
	if !p.isKeyword("in") {
		fallback()
	}
	p.read()
	coll := p.parseExpression()
	p.expect(fColon)
	var keyExpr hclsyntax.Expression
	valExpr := p.parseExpression()
	if p.peekType() == fFatArrow {
		p.read()
		keyExpr, valExpr = valExpr, p.parseExpression()
	}
	group := false
	if p.peekType() == fEllipsis {
		p.read()
		group = true
	}
	var cond hclsyntax.Expression
	if p.isKeyword("if") {
		p.read()
		cond = p.parseExpression()
	}
	close := p.expect(closeType)
	if makeObj != (keyExpr != nil) || group && !makeObj {
		fallback() // a key in a tuple, none in an object, or grouping in a tuple
	}
	return &hclsyntax.ForExpr{KeyVar: keyName, ValVar: valName, CollExpr: coll, KeyExpr: keyExpr, ValExpr: valExpr,
		CondExpr: cond, Group: group, SrcRange: hcl.RangeBetween(p.rng(open), p.rng(close)), OpenRange: p.rng(open), CloseRange: p.rng(close)}
}

// parseFunctionCall is finishParsingFunctionCall without namespaces.
func (p *fparser) parseFunctionCall(name int) hclsyntax.Expression {
	open := p.read()
	p.push(false)
	var args []hclsyntax.Expression
	var close int
	expandFinal := false
	for {
		if p.peekType() == fCParen {
			close = p.read()
			break
		}
		args = append(args, p.parseExpression())
		sep := p.read()
		if p.typ(sep) == fCParen {
			close = sep
			break
		}
		if p.typ(sep) == fEllipsis {
			expandFinal = true
			close = p.expect(fCParen)
			break
		}
		if p.typ(sep) != fComma {
			fallback()
		}
		if p.peekType() == fCParen {
			close = p.read()
			break
		}
	}
	p.pop()
	return &hclsyntax.FunctionCallExpr{Name: p.text(name), Args: args, ExpandFinal: expandFinal,
		NameRange: p.rng(name), OpenParenRange: p.rng(open), CloseParenRange: p.rng(close)}
}
