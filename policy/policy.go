// Package policy parses, validates and evaluates AWS access policies (identity
// policies, resource policies such as S3 bucket policies and KMS key
// policies, permissions boundaries, session policies, SCPs and RCPs) the way
// AWS does.
//
// A Policy is parsed and compiled once; Evaluate then decides a Request
// against a Set of policies without allocating. Explain says, statement by
// statement, what matched and what did not.
//
//	key, err := policy.Parse(data, policy.Options{Name: "key.json", Kind: policy.KindResource})
//	req, err := policy.NewRequest("delivery.logs.amazonaws.com", "kms:GenerateDataKey", keyARN, nil)
//	res := policy.Evaluate(req, &policy.Set{Resource: key})
//	if res.Decision != policy.Allowed { ... }
//
// The rules follow the IAM User Guide's policy evaluation logic
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
// and, for KMS keys, the KMS Developer Guide
// (https://docs.aws.amazon.com/kms/latest/developerguide/policy-evaluation.html).
// Where AWS documentation leaves a case open, the code says so and picks the
// reading that does not grant more than AWS might.
package policy

import (
	"fmt"

	"github.com/logpath/logpath/internal/jsontree"
)

// Effect is a statement's effect.
type Effect uint8

const (
	Allow Effect = iota + 1
	Deny
)

func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "?"
}

// Kind is the type of a policy document. It decides which elements the
// document must or must not have.
type Kind uint8

const (
	// KindAny checks only what every policy type shares.
	KindAny Kind = iota
	// KindIdentity is a policy attached to a user, group or role; also used
	// for permissions boundaries and session policies. No Principal.
	KindIdentity
	// KindResource is a resource-based policy (bucket policy, key policy,
	// log resource policy, trust policy). Principal or NotPrincipal required.
	KindResource
	// KindSCP is an AWS Organizations service control policy.
	KindSCP
	// KindRCP is an AWS Organizations resource control policy.
	KindRCP
)

func (k Kind) String() string {
	switch k {
	case KindIdentity:
		return "identity policy"
	case KindResource:
		return "resource policy"
	case KindSCP:
		return "service control policy"
	case KindRCP:
		return "resource control policy"
	}
	return "policy"
}

// Position is a place in a source document.
type Position struct {
	Line, Column int // 1-based
	Offset       int // byte offset
}

func (p Position) String() string { return fmt.Sprintf("line %d, column %d", p.Line, p.Column) }

// Options says how to read a policy document.
type Options struct {
	// Name identifies the document in messages: a file name, or a role
	// such as "key policy of alias/logs".
	Name string
	Kind Kind
	// Base is where the document starts inside a larger file, so that
	// positions point into that file. Zero means the document is the file.
	Base Position
	// Path is the JSON path of the document inside that file, prefixed to
	// the paths in errors and warnings. Empty means "$".
	Path string
	// Arena, when set, is the memory the policy is compiled into.
	Arena *Arena
	// NoWarnings leaves Policy.Warnings empty, for a caller that reads
	// only decisions (a batch of cases): a warning's path and position
	// cost more than the statement it is about when that is copied from a
	// template. Errors are reported as ever.
	NoWarnings bool
}

// Policy is a parsed and compiled policy document.
type Policy struct {
	Name    string
	Kind    Kind
	Version string // "2012-10-17", "2008-10-17", or "" when absent
	ID      string
	// Statements in document order.
	Statements []Statement
	// Warnings about constructs AWS accepts but that are likely mistakes.
	Warnings []Warning

	// The source the policy was read from, for positions: its Lines when
	// it is long, else the text itself.
	lines    *jsontree.Lines
	src      string
	base     Position
	basePath string
}

// path turns a path relative to the document ("$.Statement[0]") into one
// relative to the file the document sits in.
func (p *Policy) path(rel string) string {
	if p.basePath == "" {
		return rel
	}
	return p.basePath + rel[1:]
}

// position converts a byte offset in the policy's source to a Position.
func (p *Policy) position(offset int) Position {
	var line, col int
	if p.lines != nil {
		line, col = p.lines.LineCol(offset)
	} else {
		line, col = jsontree.LineCol(p.src, offset)
	}
	if p.base.Line > 0 {
		if line == 1 {
			col += p.base.Column - 1
		}
		line += p.base.Line - 1
	}
	return Position{Line: line, Column: col, Offset: offset + p.base.Offset}
}

// Statement is one statement of a policy.
type Statement struct {
	// Sid as written; key policies allow spaces in it.
	Sid string
	// Index is the statement's place in the policy, from 0.
	Index  int
	Effect Effect

	// Principal and NotPrincipal as written. At most one is set.
	Principal    *PrincipalSpec
	NotPrincipal *PrincipalSpec
	// Actions holds Action or, when NotAction is set, NotAction.
	Actions   []string
	NotAction bool
	// Resources holds Resource or, when NotResource is set, NotResource. Both
	// are empty when the statement has neither (trust policies).
	Resources   []string
	NotResource bool
	HasResource bool
	Conditions  []Condition

	policy *Policy
	offset int
	// c is the compiled form, which statements written alike share.
	c *compiledStatement
}

// compiledStatement is what evaluation reads of a statement.
type compiledStatement struct {
	actions    []pattern
	resources  []arnPattern
	principals []principalPattern
	conds      []condition
}

// notCompiled is the compiled form of a Statement that was not parsed: it
// matches no action.
var notCompiled compiledStatement

// compiled is the statement's compiled form.
func (s *Statement) compiled() *compiledStatement {
	if s.c == nil {
		return &notCompiled
	}
	return s.c
}

// Position is where the statement starts in its source.
func (s *Statement) Position() Position { return s.policy.position(s.offset) }

// Policy is the policy the statement belongs to.
func (s *Statement) Policy() *Policy { return s.policy }

// Label names the statement for a person: its Sid, or its index.
func (s *Statement) Label() string {
	if s.Sid != "" {
		return fmt.Sprintf("%q", s.Sid)
	}
	return fmt.Sprintf("#%d", s.Index)
}

// PrincipalSpec is a Principal or NotPrincipal element.
type PrincipalSpec struct {
	// Wildcard is set for "Principal": "*".
	Wildcard bool
	// Entries by type, in document order: AWS, Service, Federated, CanonicalUser.
	Entries []PrincipalEntry
}

// PrincipalEntry is one principal named in a policy.
type PrincipalEntry struct {
	Type  string // AWS, Service, Federated or CanonicalUser
	Value string
}

// Condition is one key under one operator of a Condition element.
type Condition struct {
	Operator string // as written, e.g. "ForAnyValue:StringLikeIfExists"
	Key      string // as written
	Values   []string
}

// Warning is a construct AWS accepts but that is probably not what the
// author meant.
type Warning struct {
	Code    string // stable identifier, e.g. "forallvalues-single-valued-key"
	Message string
	Path    string // JSON path, e.g. $.Statement[2].Condition
	Pos     Position
}

func (w Warning) String() string {
	return fmt.Sprintf("%s (%s): %s [%s]", w.Pos, w.Path, w.Message, w.Code)
}

// Error is a policy that AWS would reject.
type Error struct {
	Name string // Options.Name
	Path string // JSON path of the offending element
	Pos  Position
	Msg  string
}

func (e *Error) Error() string {
	loc := e.Pos.String()
	if e.Name != "" {
		loc = fmt.Sprintf("%s:%d:%d", e.Name, e.Pos.Line, e.Pos.Column)
	}
	if e.Path != "" {
		return fmt.Sprintf("%s (%s): %s", loc, e.Path, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}
