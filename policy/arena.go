package policy

import (
	"strings"
	"unicode/utf8"
)

// An Arena is memory that policies are compiled into, for programs that
// parse many policies: the statements, patterns, conditions and lists of
// policies parsed with the same Arena (Options.Arena) are carved out of
// shared blocks, so that a policy costs a few allocations instead of
// hundreds. A block is freed when no policy that uses it is reachable; a
// long-lived policy keeps the rest of its blocks alive.
//
// An Arena is not safe for concurrent use. The zero Arena is ready to use.
type Arena struct {
	policies   slab[Policy]
	statements slab[Statement]
	strs       slab[string]
	patterns   slab[pattern]
	units      slab[unit]
	arns       slab[arnPattern]
	specs      slab[PrincipalSpec]
	entries    slab[PrincipalEntry]
	principals slab[principalPattern]
	conditions slab[Condition]
	conds      slab[condition]
	values     slab[conditionValue]
	ops        []parsedOperator // scratch for a Condition element's operators
	// lower maps condition keys to their lower-cased form, so that the
	// same key in many statements is lower-cased once.
	lower map[string]string
}

// slabBlock is the most elements a slab allocates at once.
const slabBlock = 256

// A slab hands out slices of blocks it allocates, each block twice the size
// of the one before, up to slabBlock elements.
type slab[T any] struct {
	free []T
	next int
}

// take returns n zero elements; appending to the slice reallocates it.
func (s *slab[T]) take(n int) []T {
	if n > len(s.free) {
		size := max(s.next, 8)
		s.next = min(size*2, slabBlock)
		if n > size/2 {
			return make([]T, n) // a large request gets a block of its own
		}
		s.free = make([]T, size)
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

// one returns a pointer to one zero element.
func (s *slab[T]) one() *T { return &s.take(1)[0] }

// lowerKey is strings.ToLower(key), the same string for the same key.
func (a *Arena) lowerKey(key string) string {
	if isLowerASCII(key) {
		return key
	}
	if l, ok := a.lower[key]; ok {
		return l
	}
	if a.lower == nil || len(a.lower) >= 4096 {
		a.lower = make(map[string]string)
	}
	l := strings.ToLower(key)
	a.lower[key] = l
	return l
}

// isLowerASCII reports whether s is ASCII without upper-case letters, which
// strings.ToLower returns unchanged.
func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}
