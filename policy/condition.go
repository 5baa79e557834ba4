package policy

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// The condition operators of the IAM User Guide, all of them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
type operatorFamily uint8

const (
	opStringEquals operatorFamily = iota + 1
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opARNLike // ArnEquals and ArnLike behave the same
	opNull
)

type operatorInfo struct {
	family  operatorFamily
	negated bool
}

var operators = map[string]operatorInfo{
	"StringEquals":              {opStringEquals, false},
	"StringNotEquals":           {opStringEquals, true},
	"StringEqualsIgnoreCase":    {opStringEqualsIgnoreCase, false},
	"StringNotEqualsIgnoreCase": {opStringEqualsIgnoreCase, true},
	"StringLike":                {opStringLike, false},
	"StringNotLike":             {opStringLike, true},
	"NumericEquals":             {opNumericEquals, false},
	"NumericNotEquals":          {opNumericEquals, true},
	"NumericLessThan":           {opNumericLessThan, false},
	"NumericLessThanEquals":     {opNumericLessThanEquals, false},
	"NumericGreaterThan":        {opNumericGreaterThan, false},
	"NumericGreaterThanEquals":  {opNumericGreaterThanEquals, false},
	"DateEquals":                {opDateEquals, false},
	"DateNotEquals":             {opDateEquals, true},
	"DateLessThan":              {opDateLessThan, false},
	"DateLessThanEquals":        {opDateLessThanEquals, false},
	"DateGreaterThan":           {opDateGreaterThan, false},
	"DateGreaterThanEquals":     {opDateGreaterThanEquals, false},
	"Bool":                      {opBool, false},
	"BinaryEquals":              {opBinaryEquals, false},
	"IpAddress":                 {opIPAddress, false},
	"NotIpAddress":              {opIPAddress, true},
	"ArnEquals":                 {opARNLike, false},
	"ArnLike":                   {opARNLike, false},
	"ArnNotEquals":              {opARNLike, true},
	"ArnNotLike":                {opARNLike, true},
	"Null":                      {opNull, false},
}

type setQualifier uint8

const (
	setNone setQualifier = iota
	setForAllValues
	setForAnyValue
)

// parsedOperator is an operator name taken apart.
type parsedOperator struct {
	operatorInfo
	set      setQualifier
	ifExists bool
	base     string // the operator without qualifier and IfExists
}

// parseOperator reads "ForAnyValue:StringLikeIfExists" and the like. Operator
// names are matched exactly, as AWS does; the error suggests the right
// spelling when only the case differs.
func parseOperator(name string) (parsedOperator, string) {
	if op, ok := allOperators[name]; ok {
		return op, ""
	}
	return parseOperatorName(name)
}

// allOperators holds every valid operator name, qualified or not, taken
// apart once.
var allOperators = func() map[string]parsedOperator {
	m := map[string]parsedOperator{}
	for base := range operators {
		for _, q := range []string{"", "ForAllValues:", "ForAnyValue:"} {
			for _, suffix := range []string{"", "IfExists"} {
				if op, problem := parseOperatorName(q + base + suffix); problem == "" {
					m[q+base+suffix] = op
				}
			}
		}
	}
	return m
}()

// parseOperatorName is parseOperator without the table of valid names.
func parseOperatorName(name string) (parsedOperator, string) {
	var op parsedOperator
	rest := name
	if q, after, ok := strings.Cut(rest, ":"); ok {
		switch q {
		case "ForAllValues":
			op.set = setForAllValues
		case "ForAnyValue":
			op.set = setForAnyValue
		default:
			return op, "unknown condition set operator " + strconv.Quote(q) + " (expected ForAllValues or ForAnyValue)"
		}
		rest = after
	}
	if base, ok := strings.CutSuffix(rest, "IfExists"); ok && base != "" {
		if base == "Null" {
			return op, "Null cannot take the IfExists suffix"
		}
		op.ifExists = true
		rest = base
	}
	info, ok := operators[rest]
	if !ok {
		for known := range operators {
			if strings.EqualFold(known, rest) {
				return op, "unknown condition operator " + strconv.Quote(name) + " (operator names are case-sensitive: did you mean " + strconv.Quote(known) + "?)"
			}
		}
		return op, "unknown condition operator " + strconv.Quote(name)
	}
	op.operatorInfo = info
	op.base = rest
	return op, ""
}

// condition is a compiled Condition: one operator applied to one key.
type condition struct {
	op     parsedOperator
	key    string // lower-cased
	values []conditionValue
	src    *Condition
}

// conditionValue is one policy value, pre-parsed for its operator.
type conditionValue struct {
	str     pattern     // String*, Bool, Null
	arn     *arnPattern // Arn*
	typed   *typedValue // Numeric*, Date*, IpAddress, BinaryEquals
	invalid bool        // unusable for the operator: matches nothing
}

// typedValue is a value of the operators that compare numbers, dates,
// addresses or bytes: kept apart, so that the far more common string values
// do not carry them.
type typedValue struct {
	num    float64
	date   time.Time
	prefix netip.Prefix
	bytes  []byte
}

// compileCondition compiles c with memory from a.
func compileCondition(a *Arena, c *Condition, op parsedOperator, variables bool) (condition, []string) {
	cc := condition{op: op, key: a.lowerKey(c.Key), src: c}
	cc.values = a.values.Take(len(c.Values))
	var problems []string
	for i, v := range c.Values {
		cv := &cc.values[i]
		switch op.family {
		case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals,
			opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals,
			opBinaryEquals, opIPAddress:
			cv.typed = a.typed.One()
		}
		switch op.family {
		case opStringEquals:
			cv.str = compilePatternIn(a, v, patternOptions{variables: variables})
		case opStringEqualsIgnoreCase:
			cv.str = compilePatternIn(a, v, patternOptions{variables: variables, fold: true})
		case opStringLike:
			cv.str = compilePatternIn(a, v, patternOptions{variables: variables, wildcards: true})
		case opBool:
			cv.str = compilePatternIn(a, v, patternOptions{variables: variables, fold: true})
			if !cv.str.hasVars && v != "true" && v != "false" && !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
				problems = append(problems, "Bool value "+strconv.Quote(v)+" is neither true nor false")
			}
		case opARNLike:
			cv.arn = a.arns.One()
			*cv.arn = compileARNPatternIn(a, v, patternOptions{variables: variables})
			if cv.arn.malformed {
				problems = append(problems, "ARN operator value "+strconv.Quote(v)+" is neither \"*\" nor an ARN of six colon-separated segments")
			}
		case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				cv.invalid = true
				problems = append(problems, "numeric operator value "+strconv.Quote(v)+" is not a number")
			}
			cv.typed.num = n
		case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
			t, ok := parseDate(v)
			if !ok {
				cv.invalid = true
				problems = append(problems, "date operator value "+strconv.Quote(v)+" is not an ISO 8601 date or epoch time")
			}
			cv.typed.date = t
		case opBinaryEquals:
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				cv.invalid = true
				problems = append(problems, "BinaryEquals value "+strconv.Quote(v)+" is not base64")
			}
			cv.typed.bytes = b
		case opIPAddress:
			p, ok := parseCIDR(v)
			if !ok {
				cv.invalid = true
				problems = append(problems, "IP address value "+strconv.Quote(v)+" is not an IP address or CIDR block")
			}
			cv.typed.prefix = p
		case opNull:
			if v != "true" && v != "false" {
				problems = append(problems, "Null value "+strconv.Quote(v)+" is neither true nor false")
			}
			cv.str = compilePatternIn(a, strings.ToLower(v), patternOptions{})
		}
	}
	return cc, problems
}

// parseCIDR reads a CIDR block or a bare address (a /32 or /128).
func parseCIDR(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()).Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// parseDate reads the date forms AWS accepts: ISO 8601 (a date, or a date
// and time with optional seconds, fraction and zone) and epoch seconds. It
// parses by hand so that evaluation does not allocate.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if isEpoch(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return time.Time{}, false
		}
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), true
	}
	num := func(i, n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	if !ok1 || !ok2 || !ok3 || s[4] != '-' || s[7] != '-' || month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	if len(s) == 10 {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	if s[10] != 'T' && s[10] != 't' && s[10] != ' ' {
		return time.Time{}, false
	}
	hour, ok1 := num(11, 2)
	min, ok2 := num(14, 2)
	if !ok1 || !ok2 || s[13] != ':' || hour > 23 || min > 59 {
		return time.Time{}, false
	}
	i, sec, nsec := 16, 0, 0
	if i < len(s) && s[i] == ':' {
		v, ok := num(i+1, 2)
		if !ok || v > 60 {
			return time.Time{}, false
		}
		sec, i = v, i+3
		if i < len(s) && s[i] == '.' {
			i++
			digits := 0
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				if digits < 9 {
					nsec = nsec*10 + int(s[i]-'0')
					digits++
				}
				i++
			}
			if digits == 0 {
				return time.Time{}, false
			}
			for ; digits < 9; digits++ {
				nsec *= 10
			}
		}
	}
	offset := 0
	switch {
	case i == len(s):
	case s[i] == 'Z' || s[i] == 'z':
		i++
	case s[i] == '+' || s[i] == '-':
		oh, ok := num(i+1, 2)
		if !ok {
			return time.Time{}, false
		}
		j := i + 3
		if j < len(s) && s[j] == ':' {
			j++
		}
		om, ok := num(j, 2)
		if !ok {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if s[i] == '-' {
			offset = -offset
		}
		i = j + 2
	default:
		return time.Time{}, false
	}
	if i != len(s) {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, min, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

func isEpoch(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '-' && i == 0 && len(s) > 1:
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return true
}

// eval decides the condition for a request. The rules for missing keys,
// negated operators, IfExists and the set qualifiers are the IAM User Guide's:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
func (c *condition) eval(ctx *Context) bool {
	vals, present := ctx.lookup(c.key)
	if c.op.family == opNull {
		// Null "true": the key is absent; "false": it is present.
		for i := range c.values {
			want := c.values[i].str.text
			if (strings.EqualFold(want, "true") && !present) || (strings.EqualFold(want, "false") && present) {
				return true
			}
		}
		return false
	}
	if !present || len(vals) == 0 {
		switch {
		case c.op.ifExists:
			return true
		case c.op.set == setForAllValues:
			// ForAllValues is true when there is nothing to check: the
			// reason the User Guide warns against it with Allow.
			return true
		case c.op.set == setForAnyValue:
			return false
		}
		// A missing key fails a positive operator and satisfies a negated one.
		return c.op.negated
	}
	switch c.op.set {
	case setForAllValues:
		for _, v := range vals {
			if c.matchAny(v, ctx) == c.op.negated {
				return false
			}
		}
		return true
	case setForAnyValue:
		for _, v := range vals {
			if c.matchAny(v, ctx) != c.op.negated {
				return true
			}
		}
		return false
	}
	// No set qualifier. AWS says multivalued keys need one and does not say
	// what happens without it; a single-valued key has one value. logpath
	// reads "any request value matches any policy value", and for a negated
	// operator "no request value matches any policy value".
	for _, v := range vals {
		if c.matchAny(v, ctx) {
			return !c.op.negated
		}
	}
	return c.op.negated
}

// matchAny reports whether the request value v matches any of the policy
// values under the operator's positive form (values are ORed).
func (c *condition) matchAny(v string, ctx *Context) bool {
	switch c.op.family {
	case opStringEquals, opStringEqualsIgnoreCase, opStringLike, opBool:
		for i := range c.values {
			if c.values[i].str.match(v, ctx) {
				return true
			}
		}
	case opARNLike:
		for i := range c.values {
			if c.values[i].arn.match(v, ctx) {
				return true
			}
		}
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		if !looksNumeric(v) {
			return false // checked first: ParseFloat's error allocates
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		for i := range c.values {
			cv := &c.values[i]
			if !cv.invalid && compareOrdered(c.op.family-opNumericEquals, n < cv.typed.num, n == cv.typed.num) {
				return true
			}
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(v)
		if !ok {
			return false
		}
		for i := range c.values {
			cv := &c.values[i]
			if !cv.invalid && compareOrdered(c.op.family-opDateEquals, t.Before(cv.typed.date), t.Equal(cv.typed.date)) {
				return true
			}
		}
	case opBinaryEquals:
		var in, out [256]byte
		if len(v) > len(in) {
			return false // longer than any value this compares against
		}
		n := copy(in[:], v)
		m, err := base64.StdEncoding.Decode(out[:], in[:n])
		if err != nil {
			return false
		}
		b := out[:m]
		for i := range c.values {
			if !c.values[i].invalid && bytes.Equal(b, c.values[i].typed.bytes) {
				return true
			}
		}
	case opIPAddress:
		a, ok := parseAddr(v)
		if !ok {
			return false
		}
		for i := range c.values {
			if !c.values[i].invalid && c.values[i].typed.prefix.Contains(a) {
				return true
			}
		}
	}
	return false
}

// compareOrdered applies the n-th of Equals, LessThan, LessThanEquals,
// GreaterThan, GreaterThanEquals given how the request value compares with
// the policy value.
func compareOrdered(n operatorFamily, less, equal bool) bool {
	switch n {
	case 0:
		return equal
	case 1:
		return less
	case 2:
		return less || equal
	case 3:
		return !less && !equal
	case 4:
		return !less
	}
	return false
}

// looksNumeric checks the number grammar before strconv.ParseFloat, whose
// error allocates.
func looksNumeric(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseAddr reads an IP address without allocating for IPv4 (netip's
// error values allocate); IPv6 goes to netip after a character check.
func parseAddr(s string) (netip.Addr, bool) {
	if !strings.Contains(s, ":") {
		var b [4]byte
		part, n, digits := 0, 0, 0
		for i := 0; i <= len(s); i++ {
			if i == len(s) || s[i] == '.' {
				if digits == 0 || part > 3 {
					return netip.Addr{}, false
				}
				b[part] = byte(n)
				part, n, digits = part+1, 0, 0
				continue
			}
			c := s[i]
			if c < '0' || c > '9' || digits == 3 || (digits > 0 && n == 0) {
				return netip.Addr{}, false
			}
			n, digits = n*10+int(c-'0'), digits+1
			if n > 255 {
				return netip.Addr{}, false
			}
		}
		if part != 4 {
			return netip.Addr{}, false
		}
		return netip.AddrFrom4(b), true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.') {
			return netip.Addr{}, false
		}
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}
