// Package ignore finds "logpath:ignore" comments in source files and gives
// each one to the resource it is written on.
//
// A comment applies to the resource whose definition contains it, or to the
// resource that follows it when only blank lines and comments stand between
// them:
//
//	# logpath:ignore kms.key-policy the archive account owns this key
//	LogKey:
//	  Type: AWS::KMS::Key
//
// Several gates are separated by commas; the rest of the line is the reason.
package ignore

import (
	"bytes"
	"regexp"
	"strings"
)

// Comment is one logpath:ignore comment.
type Comment struct {
	Line, Column int
	Gates        []string
	Reason       string
}

// Span is the lines a resource's definition takes, 1-based and inclusive.
type Span struct{ Start, End int }

// marker matches the comment: "#" (YAML, HCL) or "//" (HCL) then
// logpath:ignore, the gates and the reason.
var marker = regexp.MustCompile(`(#|//)\s*logpath:ignore\b[ \t]*([^\s]*)[ \t]*(.*)$`)

// Scan returns the logpath:ignore comments of a file. A comment without a
// gate is returned with no gates, for the caller to reject.
func Scan(data []byte) []Comment {
	if !bytes.Contains(data, []byte("logpath:ignore")) {
		return nil
	}
	var out []Comment
	for i, line := range strings.Split(string(data), "\n") {
		m := marker.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		c := Comment{Line: i + 1, Column: m[2] + 1, Reason: strings.TrimSpace(line[m[6]:m[7]])}
		for _, g := range strings.Split(line[m[4]:m[5]], ",") {
			if g = strings.TrimSpace(g); g != "" {
				c.Gates = append(c.Gates, g)
			}
		}
		out = append(out, c)
	}
	return out
}

// Assign gives each comment to a span: the innermost span holding its line,
// else the first span that starts after it with only blank or comment lines
// in between. It returns, per comment, the index of its span or -1.
func Assign(data []byte, comments []Comment, spans []Span) []int {
	lines := strings.Split(string(data), "\n")
	out := make([]int, len(comments))
	for i, c := range comments {
		out[i] = -1
		best := -1
		for j, s := range spans {
			if s.Start <= c.Line && c.Line <= s.End && (best < 0 || s.End-s.Start < spans[best].End-spans[best].Start) {
				best = j
			}
		}
		if best >= 0 {
			out[i] = best
			continue
		}
		// Directly above: walk down over blank and comment lines.
		next := c.Line + 1
		for next <= len(lines) && isBlankOrComment(lines[next-1]) {
			next++
		}
		for j, s := range spans {
			if s.Start == next {
				out[i] = j
				break
			}
		}
	}
	return out
}

func isBlankOrComment(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//")
}
