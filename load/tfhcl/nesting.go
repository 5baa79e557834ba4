package tfhcl

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// maxNesting bounds how deeply a configuration's expressions may nest.
// hclsyntax parses, and logpath evaluates, by recursion, and Go ends the
// process with a stack trace when a goroutine's stack passes 1 GB, which
// about 50,000 nested brackets or templates reach (400,000 unary
// operators). No real configuration nests more than a few dozen levels;
// deeper input is refused with an error at the place it passes the bound.
const maxNesting = 10000

// parseHCL parses a file, or a piece of one, as hclsyntax.ParseConfig
// does: with fastParse when it can, else with hclsyntax once the file's
// tokens show that it nests within maxNesting.
func parseHCL(src []byte, filename string, start hcl.Pos) (*hcl.File, hcl.Diagnostics) {
	body, deep := fastParse(src, filename, start)
	if body != nil {
		return &hcl.File{Body: body, Bytes: src}, nil
	}
	if deep == nil {
		tokens, _ := hclsyntax.LexConfig(src, filename, start)
		deep = tooDeep(tokens)
	}
	if deep != nil {
		return &hcl.File{Body: &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: hclsyntax.Blocks{}}, Bytes: src},
			hcl.Diagnostics{nestingDiag(*deep)}
	}
	return hclsyntax.ParseConfig(src, filename, start)
}

// parseExpression is hclsyntax.ParseExpression with the same bound.
func parseExpression(src []byte, filename string, start hcl.Pos) (hclsyntax.Expression, hcl.Diagnostics) {
	tokens, _ := hclsyntax.LexExpression(src, filename, start)
	if deep := tooDeep(tokens); deep != nil {
		return nil, hcl.Diagnostics{nestingDiag(*deep)}
	}
	return hclsyntax.ParseExpression(src, filename, start)
}

func nestingDiag(at hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Expressions nested too deeply",
		Detail:  fmt.Sprintf("logpath reads expressions nested up to %d levels deep", maxNesting),
		Subject: &at}
}

// tooDeep returns where tokens pass maxNesting, or nil. It counts open
// brackets, parentheses, braces, quotes and template sequences, and the
// unary and conditional operators of a statement, each of which hclsyntax
// parses one recursion deeper; the count may exceed the true depth, never
// fall short of it.
func tooDeep(tokens hclsyntax.Tokens) *hcl.Range {
	depth, chain := 0, 0
	for i := range tokens {
		t := &tokens[i]
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
			hclsyntax.TokenOHeredoc, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCQuote,
			hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			depth = max(depth-1, 0)
		case hclsyntax.TokenMinus, hclsyntax.TokenBang, hclsyntax.TokenQuestion:
			chain++
		case hclsyntax.TokenNewline:
			if depth == 0 {
				chain = 0
			}
		}
		if depth+chain > maxNesting {
			return &t.Range
		}
	}
	return nil
}
