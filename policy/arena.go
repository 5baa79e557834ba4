package policy

import (
	"errors"
	"hash/maphash"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/logpath/logpath/internal/jsontree"
	"github.com/logpath/logpath/internal/slab"
)

// An Arena is memory that policies are compiled into, for programs that
// parse many policies: the statements, patterns, conditions and lists of
// policies parsed with the same Arena (Options.Arena) are carved out of
// shared blocks, so that a policy costs a few allocations instead of
// hundreds. A block is freed when no policy that uses it is reachable; a
// long-lived policy keeps the rest of its blocks alive.
//
// An Arena also keeps a template of each statement it compiles: a statement
// written exactly like one it has seen (in a policy of the same kind, with
// variables on or off alike) is a copy of the template instead of being
// compiled again. The copy's index, position and warnings are its own; the
// slices it holds (Actions, Conditions, ...) are shared, which is one more
// reason to treat a Policy as read-only. While few statements turn out to
// repeat, the Arena compiles them in place instead, which is cheaper.
//
// An Arena is not safe for concurrent use; Sibling gives another goroutine
// an Arena of its own that shares what this one remembers. The zero Arena
// is ready to use.
type Arena struct {
	cache *stmtCache
	// templates is where this Arena compiles the statements it adds to
	// the cache, apart from its policies' memory.
	templates *Arena
	hitRate   hitRate

	slabs                  // the policies' memory
	ops   []parsedOperator // scratch for a Condition element's operators
	// lower maps condition keys to their lower-cased form, so that the
	// same key in many statements is lower-cased once.
	lower map[string]string
}

// Sibling returns an empty Arena for another goroutine that shares a's
// memory of compiled statements: a statement compiled through one of them
// need not be compiled again through the other. Each of them may be used
// by one goroutine at a time.
func (a *Arena) Sibling() *Arena {
	a.useCache()
	return &Arena{cache: a.cache}
}

// Reset starts new blocks: the policies compiled through a so far keep
// their memory and stay valid, but share no block with those compiled
// after. Policies in one block keep one another's memory alive; a program
// that drops its policies a batch at a time calls Reset between batches so
// that each batch's memory can be freed. What a remembers of statements is
// kept.
func (a *Arena) Reset() { a.slabs.reset() }

// Recycle is Reset for a program that is done with every policy compiled
// through a since the last Recycle: the memory of those policies is
// reused, zeroed, for the policies compiled after, instead of being
// allocated again. The policies compiled before must not be used after (nor
// the Statements, Conditions and PrincipalSpecs read from them): they share
// memory with the ones compiled after. What a remembers of statements is
// kept: the templates have memory of their own.
func (a *Arena) Recycle() { a.slabs.rewind() }

// slabs is the part of an Arena that holds policies' memory.
type slabs struct {
	policies   slab.Slab[Policy]
	statements slab.Slab[Statement]
	compiled   slab.Slab[compiledStatement]
	typed      slab.Slab[typedValue]
	strs       slab.Slab[string]
	patterns   slab.Slab[pattern]
	units      slab.Slab[unit]
	arns       slab.Slab[arnPattern]
	specs      slab.Slab[PrincipalSpec]
	entries    slab.Slab[PrincipalEntry]
	principals slab.Slab[principalPattern]
	conditions slab.Slab[Condition]
	conds      slab.Slab[condition]
	values     slab.Slab[conditionValue]
}

func (s *slabs) reset() {
	s.policies.Reset()
	s.statements.Reset()
	s.compiled.Reset()
	s.typed.Reset()
	s.strs.Reset()
	s.patterns.Reset()
	s.units.Reset()
	s.arns.Reset()
	s.specs.Reset()
	s.entries.Reset()
	s.principals.Reset()
	s.conditions.Reset()
	s.conds.Reset()
	s.values.Reset()
}

func (s *slabs) rewind() {
	s.policies.Rewind()
	s.statements.Rewind()
	s.compiled.Rewind()
	s.typed.Rewind()
	s.strs.Rewind()
	s.patterns.Rewind()
	s.units.Rewind()
	s.arns.Rewind()
	s.specs.Rewind()
	s.entries.Rewind()
	s.principals.Rewind()
	s.conditions.Rewind()
	s.conds.Rewind()
	s.values.Rewind()
}

// useCache gives a a statement cache unless it has one.
func (a *Arena) useCache() {
	if a.cache == nil {
		a.cache = newStmtCache()
	}
}

// lowerKey is strings.ToLower(key), the same string for the same key.
func (a *Arena) lowerKey(key string) string {
	if isLowerASCII(key) {
		return key
	}
	if l, ok := knownKeys[key]; ok {
		return l
	}
	if l, ok := a.lower[key]; ok {
		return l
	}
	if a.lower == nil || len(a.lower) >= 4096 {
		a.lower = make(map[string]string)
	}
	// The key is copied: it is a slice of the document it was read from.
	key = strings.Clone(key)
	l := strings.ToLower(key)
	a.lower[key] = l
	return l
}

// knownKeys maps condition keys as AWS spells them to lower case, so that a
// policy that uses them costs no lower-casing.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
var knownKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{
		"aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceIp",
		"aws:SourceVpc", "aws:SourceVpce", "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID",
		"aws:PrincipalOrgPaths", "aws:PrincipalIsAWSService", "aws:PrincipalServiceName",
		"aws:PrincipalServiceNamesList", "aws:PrincipalType", "aws:PrincipalTag", "aws:SecureTransport",
		"aws:ViaAWSService", "aws:CalledVia", "aws:CurrentTime", "aws:EpochTime", "aws:TokenIssueTime",
		"aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:RequestedRegion", "aws:ResourceAccount",
		"aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:TagKeys", "aws:UserAgent", "aws:Referer",
		"kms:ViaService", "kms:CallerAccount", "kms:KeySpec", "kms:KeyOrigin", "kms:KeyUsage",
		"kms:EncryptionAlgorithm", "kms:GrantIsForAWSResource", "kms:GrantOperations", "kms:EncryptionContextKeys",
		"kms:EncryptionContext:aws:s3:arn", "kms:EncryptionContext:aws:logs:arn",
		"kms:EncryptionContext:aws:cloudtrail:arn", "s3:TlsVersion", "s3:signatureversion",
	} {
		m[k] = strings.ToLower(k)
	}
	return m
}()

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

// A stmtCache holds the compiled form of statements by their JSON text, for
// the Arenas that share it. A template keeps a copy of its statement's text
// and its own memory, so that it keeps neither the document it came from
// nor the blocks of the policies that used it. The cache is split into
// shards, each behind its own lock, so that the goroutines that share it
// seldom wait for one another.
type stmtCache struct {
	seed   maphash.Seed
	shards [stmtShards]stmtShard
}

const stmtShards = 64

type stmtShard struct {
	mu    sync.RWMutex
	known map[uint64]*stmtTemplate
	_     [64 - 32]byte // a cache line of its own
}

// stmtShardKnown bounds the templates of a shard; past it the shard starts
// over. All shards full hold 8,192 templates, about 25 MB.
const stmtShardKnown = 1 << 13 / stmtShards

// A stmtTemplate is a compiled statement ready to be copied into a policy.
// It does not change once it is in the cache.
type stmtTemplate struct {
	text      string
	kind      Kind
	variables bool
	s         Statement // Index, offset and policy unset
	warnings  []stmtWarning
	base      int // while compiling: the statement's offset in its document
}

// A stmtWarning is a warning about a statement, relative to the statement.
type stmtWarning struct {
	offset        int    // from the statement's first byte
	suffix        string // JSON path below the statement, e.g. ".Principal"
	code, message string
}

// A hitRate follows how often an Arena finds statements in the cache, so
// that it stops adding templates when they are seldom used again: a
// template costs more to make than a statement compiled in place, and
// keeps memory. Every 16th miss still makes one, so that repeats are
// noticed when they come back.
type hitRate struct {
	hits, lookups, misses int
}

func (r *hitRate) note(hit bool) {
	r.lookups++
	if hit {
		r.hits++
	} else {
		r.misses++
	}
	if r.lookups == 1<<12 { // forget slowly
		r.hits, r.lookups = r.hits/2, r.lookups/2
	}
}

// worthCaching reports whether a miss should make a template: while at
// least one lookup in eight finds one.
func (r *hitRate) worthCaching() bool {
	return r.lookups < 256 || r.hits*8 >= r.lookups || r.misses%16 == 0
}

// errTemplate stops the compiling of a template: the statement is then
// compiled in place, which reports the error with its position.
var errTemplate = errors.New("statement not cached")

func newStmtCache() *stmtCache {
	c := &stmtCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].known = map[uint64]*stmtTemplate{}
	}
	return c
}

func (c *stmtCache) hash(text string, kind Kind, variables bool) uint64 {
	h := maphash.String(c.seed, text) ^ uint64(kind)<<1
	if variables {
		h ^= 1
	}
	return h
}

func (c *stmtCache) shard(h uint64) *stmtShard { return &c.shards[h%stmtShards] }

// lookup returns the template of a statement, or nil.
func (c *stmtCache) lookup(h uint64, text string, kind Kind, variables bool) *stmtTemplate {
	sh := c.shard(h)
	sh.mu.RLock()
	t := sh.known[h]
	sh.mu.RUnlock()
	if t != nil && t.text == text && t.kind == kind && t.variables == variables {
		return t
	}
	return nil
}

func (c *stmtCache) insert(h uint64, t *stmtTemplate) {
	sh := c.shard(h)
	sh.mu.Lock()
	if len(sh.known) >= stmtShardKnown {
		clear(sh.known)
	}
	sh.known[h] = t
	sh.mu.Unlock()
}

// compileTemplate compiles statement v of d, whose JSON text is text, into
// a template in a's template memory; nil if it has an error.
func (a *Arena) compileTemplate(d *jsontree.Doc, v int, text string, kind Kind, variables bool) *stmtTemplate {
	if a.templates == nil {
		a.templates = new(Arena)
	}
	start := int(d.Values[v].Start)
	t := &stmtTemplate{text: strings.Clone(text), kind: kind, variables: variables, base: start}
	var one [1]Statement
	p := &Policy{Kind: kind, Statements: one[:0]}
	if variables {
		p.Version = Version2012
	}
	rd := d.Rebase(t.text, start)
	b := builder{p: p, d: &rd, a: a.templates, template: t}
	if b.compileStatement(v, &rootPath, 0) != nil || len(p.Statements) != 1 {
		return nil
	}
	t.s = p.Statements[0]
	return t
}
