package policy

import (
	"strings"
	"unicode/utf8"
)

// A pattern is a compiled string from a policy: an action, a resource ARN
// segment or a condition value. It is a sequence of units: literal text, the
// wildcards * and ?, and policy variables resolved from the request context at
// evaluation time. Resolving variables into units instead of into a new string
// keeps evaluation free of allocation and keeps a variable's value literal even
// when it contains * or ? (as AWS does: a substituted value is never a
// wildcard).
type pattern struct {
	units []unit
	// fold makes literal comparison ASCII case-insensitive (actions, IgnoreCase
	// operators); both sides are folded when compared.
	fold bool
	// Fast paths.
	exact      bool   // one literal unit, no wildcard or variable
	prefixStar bool   // a literal then "*", as in kms:GenerateDataKey*
	any        bool   // a lone "*"
	hasVars    bool   // at least one variable unit
	text       string // the pattern as written, for explanations
}

type unitKind uint8

const (
	unitLiteral unitKind = iota
	unitStar             // * : any run of characters, including none
	unitOne              // ? : exactly one character
	unitVar              // ${key} or ${key, 'default'}
)

type unit struct {
	s    string // literal text, or the lower-cased context key of a variable
	def  string // a variable's default value
	kind unitKind
	// hasDef is set when the variable names a default value.
	hasDef bool
}

// maxUnits bounds the units resolved on the stack. Longer patterns still
// work; they allocate.
const maxUnits = 16

type patternOptions struct {
	wildcards bool // * and ? are wildcards (Like operators, actions, resources)
	variables bool // ${...} are policy variables (Version 2012-10-17 only)
	fold      bool // case-insensitive literals
}

// compilePattern splits s into units. It never fails: text that is not a
// well-formed variable stays literal, as AWS treats it.
func compilePattern(s string, o patternOptions) pattern { return compilePatternIn(nil, s, o) }

// hasWildcard reports whether s holds '*' or '?' (strings.ContainsAny
// builds a set for each call).
func hasWildcard(s string) bool {
	return strings.IndexByte(s, '*') >= 0 || strings.IndexByte(s, '?') >= 0
}

// patternSpecial[wildcards][variables] marks the bytes that end a
// pattern's literal start under those options: '*' and '?' with wildcards,
// '$' with variables.
var patternSpecial = func() (t [2][2][256]bool) {
	for w := range 2 {
		for v := range 2 {
			t[w][v]['*'], t[w][v]['?'], t[w][v]['$'] = w == 1, w == 1, v == 1
		}
	}
	return t
}()

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compilePatternIn is compilePattern with the units taken from a (nil: from
// the heap).
func compilePatternIn(a *Arena, s string, o patternOptions) pattern {
	// Most patterns are a literal ("kms:Decrypt") or a literal and a
	// trailing star ("kms:Describe*", "key/*", "*"): those skip the general
	// loop below, which gives the same result for them.
	first := len(s)
	special := &patternSpecial[b2i(o.wildcards)][b2i(o.variables)]
	for i := 0; i < len(s); i++ {
		if special[s[i]] {
			first = i
			break
		}
	}
	// They need no units: the literal is the text (see literal).
	switch {
	case first == len(s):
		return pattern{fold: o.fold, text: s, exact: true}
	case first == len(s)-1 && s[first] == '*':
		return pattern{fold: o.fold, text: s, any: first == 0, prefixStar: first > 0}
	}
	p := pattern{fold: o.fold, text: s}
	// The units are collected on the stack and copied out once.
	var buf [maxUnits]unit
	units := buf[:0]
	// Literal runs are substrings of s: no copying.
	litStart := 0
	literal := func(t string) {
		if t == "" {
			return
		}
		units = append(units, unit{kind: unitLiteral, s: t})
	}
	for i := 0; i < len(s); {
		c := s[i]
		if o.wildcards && (c == '*' || c == '?') {
			literal(s[litStart:i])
			i++
			litStart = i
			// Consecutive stars are one star.
			if c == '*' && len(units) > 0 && units[len(units)-1].kind == unitStar {
				continue
			}
			k := unitStar
			if c == '?' {
				k = unitOne
			}
			units = append(units, unit{kind: k})
			continue
		}
		if o.variables && c == '$' && i+1 < len(s) && s[i+1] == '{' {
			if end := strings.IndexByte(s[i+2:], '}'); end >= 0 {
				if u, lit, ok := parseVariable(s[i+2 : i+2+end]); ok {
					literal(s[litStart:i])
					if lit != "" {
						// ${*}, ${?} and ${$} stand for the literal character.
						literal(lit)
					} else {
						units = append(units, u)
						p.hasVars = true
					}
					i += 2 + end + 1
					litStart = i
					continue
				}
			}
		}
		i++
	}
	literal(s[litStart:])
	// Adjacent literals (around an escape) are joined, for the fast paths.
	for j := 1; j < len(units); j++ {
		if units[j].kind == unitLiteral && units[j-1].kind == unitLiteral {
			units[j-1].s += units[j].s
			units = append(units[:j], units[j+1:]...)
			j--
		}
	}
	switch {
	case len(units) == 1 && units[0].kind == unitStar:
		p.any = true
	case len(units) == 1 && units[0].kind == unitLiteral:
		p.exact = true
	case len(units) == 2 && units[0].kind == unitLiteral && units[1].kind == unitStar:
		p.prefixStar = true
	case len(units) == 0:
		p.exact = true // matches only the empty string
		units = append(units, unit{kind: unitLiteral})
	}
	p.units = takeUnits(a, len(units))
	copy(p.units, units)
	return p
}

// takeUnits returns n units from a, or from the heap when a is nil.
func takeUnits(a *Arena, n int) []unit {
	if a != nil {
		return a.units.Take(n)
	}
	return make([]unit, n)
}

// parseVariable reads the inside of ${...}.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func parseVariable(body string) (u unit, literal string, ok bool) {
	switch body {
	case "*", "?", "$":
		return unit{}, body, true
	}
	key, def, hasDef := body, "", false
	if comma := strings.IndexByte(body, ','); comma >= 0 {
		key = body[:comma]
		d := strings.TrimSpace(body[comma+1:])
		if len(d) < 2 || d[0] != '\'' || d[len(d)-1] != '\'' {
			return unit{}, "", false
		}
		def, hasDef = d[1:len(d)-1], true
	}
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " ${") {
		return unit{}, "", false
	}
	return unit{kind: unitVar, s: strings.ToLower(key), def: def, hasDef: hasDef}, "", true
}

// literal is what an exact or prefixStar pattern compares with: its first
// unit, or, when it has no units, its text (without the star).
func (p *pattern) literal() string {
	switch {
	case p.units != nil:
		return p.units[0].s
	case p.prefixStar:
		return p.text[:len(p.text)-1]
	}
	return p.text
}

// match reports whether s matches the pattern, resolving variables from ctx.
// A variable whose key is absent (and that has no default) makes the pattern
// match nothing: AWS says the comparison fails.
func (p *pattern) match(s string, ctx *Context) bool {
	if p.any {
		return true
	}
	if p.exact {
		if p.fold {
			return equalFoldASCII(s, p.literal())
		}
		return s == p.literal()
	}
	if p.prefixStar {
		return hasPrefix(s, p.literal(), p.fold)
	}
	units := p.units
	if p.hasVars {
		var buf [maxUnits]unit
		resolved := buf[:0]
		if len(p.units) > maxUnits {
			resolved = make([]unit, 0, len(p.units))
		}
		for _, u := range p.units {
			if u.kind != unitVar {
				resolved = append(resolved, u)
				continue
			}
			v, ok := ctx.variable(u.s)
			if !ok {
				if !u.hasDef {
					return false
				}
				v = u.def
			}
			resolved = append(resolved, unit{kind: unitLiteral, s: v})
		}
		return globUnits(resolved, s, p.fold)
	}
	return globUnits(units, s, p.fold)
}

// globUnits matches s against literal, * and ? units. It is the classic
// wildcard algorithm with one backtracking point (the last star), so it runs
// in O(len(units) * len(s)) however many stars the pattern has: a hostile
// pattern cannot make it exponential.
func globUnits(units []unit, s string, fold bool) bool {
	pi, si := 0, 0
	starPi, starSi := -1, 0
	for pi < len(units) || si < len(s) {
		if pi < len(units) {
			u := &units[pi]
			switch u.kind {
			case unitStar:
				if pi == len(units)-1 {
					return true // a trailing star takes the rest
				}
				starPi, starSi = pi, si
				pi++
				continue
			case unitOne:
				if si < len(s) {
					_, size := utf8.DecodeRuneInString(s[si:])
					si += size
					pi++
					continue
				}
			case unitLiteral:
				if hasPrefix(s[si:], u.s, fold) {
					si += len(u.s)
					pi++
					continue
				}
			}
		}
		if starPi >= 0 && starSi < len(s) {
			if s[starSi] < utf8.RuneSelf {
				starSi++
			} else {
				_, size := utf8.DecodeRuneInString(s[starSi:])
				starSi += size
			}
			pi, si = starPi+1, starSi
			continue
		}
		return false
	}
	return true
}

func hasPrefix(s, prefix string, fold bool) bool {
	if len(s) < len(prefix) {
		return false
	}
	if fold {
		return equalFoldASCII(s[:len(prefix)], prefix)
	}
	return s[:len(prefix)] == prefix
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// An arnPattern matches ARNs the way the Resource element and the Arn*
// condition operators do: each of the first five colon-separated segments
// (arn, partition, service, region, account) is matched on its own, and the
// sixth, the resource, is the rest of the ARN and may itself hold colons. A
// wildcard never crosses a segment boundary before the resource.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
type arnPattern struct {
	any bool
	// malformed is set when the pattern is neither "*" nor six segments. AWS
	// rejects such Resource values when a policy is saved and documents no
	// meaning for them in conditions; logpath lets them match nothing (and
	// the parser warns), so that they never grant.
	malformed bool
	segments  []pattern // arnSegments of them, unless any or malformed
	text      string
}

const arnSegments = 6

func compileARNPattern(s string, o patternOptions) arnPattern {
	return compileARNPatternIn(nil, s, o)
}

// compileARNPatternIn is compileARNPattern with memory from a (nil: from the
// heap).
func compileARNPatternIn(a *Arena, s string, o patternOptions) arnPattern {
	o.wildcards = true
	ap := arnPattern{text: s}
	if s == "*" {
		ap.any = true
		return ap
	}
	parts, ok := splitARNPattern(s, o.variables)
	if !ok {
		ap.malformed = true
		return ap
	}
	if a != nil {
		ap.segments = a.patterns.Take(arnSegments)
	} else {
		ap.segments = make([]pattern, arnSegments)
	}
	for i, part := range parts {
		ap.segments[i] = compilePatternIn(a, part, o)
	}
	return ap
}

// splitARNPattern is splitARN for a pattern: with variables on, a colon
// inside ${...} (as in ${aws:PrincipalAccount}) does not split.
func splitARNPattern(s string, variables bool) (parts [arnSegments]string, ok bool) {
	if !variables || !strings.Contains(s, "${") {
		return splitARN(s)
	}
	n, start := 0, 0
	for i := 0; i < len(s) && n < arnSegments-1; i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			if end := strings.IndexByte(s[i:], '}'); end > 0 {
				i += end
			}
		case s[i] == ':':
			parts[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	if n < arnSegments-1 {
		return parts, false
	}
	parts[arnSegments-1] = s[start:]
	return parts, true
}

// splitARN splits an ARN into its five leading segments and the resource.
func splitARN(s string) (parts [arnSegments]string, ok bool) {
	for i := 0; i < arnSegments-1; i++ {
		c := strings.IndexByte(s, ':')
		if c < 0 {
			return parts, false
		}
		parts[i], s = s[:c], s[c+1:]
	}
	parts[arnSegments-1] = s
	return parts, true
}

func (a *arnPattern) match(s string, ctx *Context) bool {
	if a.any {
		return true
	}
	if a.malformed {
		return false
	}
	parts, ok := splitARN(s)
	if !ok {
		return false
	}
	for i := range parts {
		if !a.segments[i].match(parts[i], ctx) {
			return false
		}
	}
	return true
}
