package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// PrincipalKind says what kind of caller makes a request.
type PrincipalKind uint8

const (
	// Anonymous is an unauthenticated caller.
	Anonymous PrincipalKind = iota
	// RootUser is an AWS account's root user (arn:aws:iam::<account>:root).
	RootUser
	// IAMUser is an IAM user.
	IAMUser
	// AssumedRole is a session of an IAM role (arn:aws:sts::<account>:assumed-role/<role>/<session>).
	AssumedRole
	// FederatedUser is an STS federated user session.
	FederatedUser
	// ServicePrincipal is an AWS service calling on its own behalf, such as
	// delivery.logs.amazonaws.com.
	ServicePrincipal
)

func (k PrincipalKind) String() string {
	switch k {
	case Anonymous:
		return "Anonymous"
	case RootUser:
		return "Account"
	case IAMUser:
		return "User"
	case AssumedRole:
		return "AssumedRole"
	case FederatedUser:
		return "FederatedUser"
	case ServicePrincipal:
		return "AWSService"
	}
	return "Unknown"
}

// Principal is the caller of a request.
type Principal struct {
	Kind PrincipalKind
	// ARN is the caller's ARN; for a service principal, its name.
	ARN string
	// Account is the caller's account ID; empty for services and anonymous callers.
	Account string
	// RoleName is set for role sessions: the role the session belongs to.
	RoleName string
	// Partition is the ARN partition (aws, aws-cn, aws-us-gov).
	Partition string
}

// ParsePrincipal reads a request's principal: an ARN, a 12-digit account ID
// (the account's root user), a service principal name, or "anonymous".
func ParsePrincipal(s string) (Principal, error) {
	switch {
	case s == "anonymous":
		return Principal{Kind: Anonymous}, nil
	case isAccountID(s):
		return Principal{Kind: RootUser, ARN: "arn:aws:iam::" + s + ":root", Account: s, Partition: "aws"}, nil
	case strings.HasPrefix(s, "arn:"):
		parts, ok := splitARN(s)
		if !ok {
			return Principal{}, fmt.Errorf("principal %q is not a valid ARN", s)
		}
		part, service, account, res := parts[1], parts[2], parts[4], parts[5]
		if !isAccountID(account) {
			return Principal{}, fmt.Errorf("principal %q: account %q is not a 12-digit account ID", s, account)
		}
		p := Principal{ARN: s, Account: account, Partition: part}
		switch {
		case service == "iam" && res == "root":
			p.Kind = RootUser
		case service == "iam" && strings.HasPrefix(res, "user/"):
			p.Kind = IAMUser
		case service == "sts" && strings.HasPrefix(res, "assumed-role/"):
			rest := strings.TrimPrefix(res, "assumed-role/")
			slash := strings.IndexByte(rest, '/')
			if slash <= 0 || slash == len(rest)-1 {
				return Principal{}, fmt.Errorf("principal %q: an assumed-role ARN is assumed-role/<role>/<session>", s)
			}
			p.Kind, p.RoleName = AssumedRole, rest[:slash]
		case service == "sts" && strings.HasPrefix(res, "federated-user/"):
			p.Kind = FederatedUser
		case service == "iam" && strings.HasPrefix(res, "role/"):
			// A role never signs a request itself; its sessions do. Reading a
			// role ARN as "a session of this role" is what users mean.
			name := res[strings.LastIndexByte(res, '/')+1:]
			p.Kind, p.RoleName = AssumedRole, name
			p.ARN = "arn:" + part + ":sts::" + account + ":assumed-role/" + name + "/logpath-simulated-session"
		default:
			return Principal{}, fmt.Errorf("principal %q: expected an IAM user, role, root, assumed-role or federated-user ARN", s)
		}
		return p, nil
	case isServiceName(s):
		return Principal{Kind: ServicePrincipal, ARN: strings.ToLower(s)}, nil
	}
	return Principal{}, fmt.Errorf("principal %q: expected an ARN, a 12-digit account ID, a service principal (name.amazonaws.com) or \"anonymous\"", s)
}

// isServiceName reports whether s looks like a service principal: a DNS name
// ending in amazonaws.com (or amazonaws.com.cn and similar partition suffixes).
func isServiceName(s string) bool {
	if !strings.Contains(s, ".amazonaws.com") {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', ':', '/', '*':
			return false
		}
	}
	return !strings.HasPrefix(s, ".")
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Context holds a request's condition keys. Key names are case-insensitive
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html):
// they are lower-cased once, all of a request's into one string, so that
// evaluation compares them with a policy's lower-cased keys as they are and
// does not allocate.
type Context struct {
	entries []contextEntry
	// index finds an entry by its lower-cased key in a context of many keys.
	index map[string]int
}

type contextEntry struct {
	name   string // the key as first written (or as last written in another case)
	lower  string // strings.ToLower(name)
	values []string
}

// contextIndexed is the number of keys from which a Context keeps an index.
const contextIndexed = 16

// Get returns the values of a key and whether the request has it.
func (c *Context) Get(key string) ([]string, bool) {
	if v, ok := c.lookup(key); ok {
		return v, ok
	}
	return c.lookup(strings.ToLower(key))
}

func (c *Context) lookup(lowerKey string) ([]string, bool) {
	if i := c.find(lowerKey); i >= 0 {
		return c.entries[i].values, true
	}
	return nil, false
}

// find returns the index of the entry of a lower-cased key, or -1.
func (c *Context) find(lowerKey string) int {
	if c == nil {
		return -1
	}
	if c.index != nil {
		if i, ok := c.index[lowerKey]; ok {
			return i
		}
		return -1
	}
	for i := range c.entries {
		if e := &c.entries[i]; len(e.lower) == len(lowerKey) && e.lower == lowerKey {
			return i
		}
	}
	return -1
}

// variable resolves a policy variable. Only single-valued keys can be
// variables: AWS does not substitute multivalued keys.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func (c *Context) variable(lowerKey string) (string, bool) {
	v, ok := c.lookup(lowerKey)
	if !ok || len(v) != 1 {
		return "", false
	}
	return v[0], true
}

// Keys returns the context's keys as they were written.
func (c *Context) Keys() []string {
	keys := make([]string, 0, len(c.entries))
	for i := range c.entries {
		keys = append(keys, c.entries[i].name)
	}
	return keys
}

// set gives key its values; it replaces those of a key that differs only
// in case, which keeps the name it was first written with unless key is
// not in lower case.
func (c *Context) set(key string, values []string) {
	lower := strings.ToLower(key)
	if i := c.find(lower); i >= 0 {
		c.entries[i].values = values
		if lower != key {
			c.entries[i].name = key
		}
		return
	}
	c.add(contextEntry{name: key, lower: lower, values: values})
}

// add appends an entry for a key the context does not have.
func (c *Context) add(e contextEntry) {
	c.entries = append(c.entries, e)
	switch {
	case c.index != nil:
		c.index[e.lower] = len(c.entries) - 1
	case len(c.entries) > contextIndexed:
		c.index = make(map[string]int, 2*len(c.entries))
		for i := range c.entries {
			c.index[c.entries[i].lower] = i
		}
	}
}

// lowerKeys sets the lower field of entries: keys that are lower-case
// ASCII stay themselves, other ASCII keys are lower-cased into one shared
// string, the rest by strings.ToLower.
func lowerKeys(entries []contextEntry) {
	// First pass: each key's class, and the room the ASCII keys with
	// upper-case letters need. Those are left with an empty lower field
	// (every other key of some length gets one of some length).
	n := 0
	for i := range entries {
		e := &entries[i]
		upper, ascii := false, true
		for j := 0; j < len(e.name); j++ {
			c := e.name[j]
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
			upper = upper || 'A' <= c && c <= 'Z'
		}
		switch {
		case !ascii:
			e.lower = strings.ToLower(e.name)
		case !upper:
			e.lower = e.name
		default:
			if l, ok := knownKeys[e.name]; ok {
				e.lower = l // the keys AWS documents, as it spells them
				continue
			}
			e.lower = ""
			n += len(e.name)
		}
	}
	if n == 0 {
		return
	}
	buf, off := make([]byte, n), 0
	for i := range entries {
		if e := &entries[i]; e.lower == "" && e.name != "" {
			lower := buf[off : off+len(e.name)]
			for j := range lower {
				c := e.name[j]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				lower[j] = c
			}
			off += len(lower)
		}
	}
	// buf is not written again: its string shares its memory, as
	// strings.Builder's does.
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	off = 0
	for i := range entries {
		if e := &entries[i]; e.lower == "" && e.name != "" {
			e.lower, off = all[off:off+len(e.name)], off+len(e.name)
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Request is one authorization request, prepared for evaluation.
type Request struct {
	Principal Principal
	Action    string
	Resource  string
	Context   Context
	// ResourceAccount owns the resource. Empty means unknown, which is read
	// as the principal's own account.
	ResourceAccount string

	// derived holds the values of the keys NewRequest derives from the
	// principal, so that they cost no allocation of their own.
	derived [4]string
	// kmsResource is the Resource that Init found to be a KMS ARN
	// (IsKMSKey), so that evaluation does not split it again; "" when it
	// found none. A Resource changed since is split anew.
	kmsResource string
}

// NewRequest prepares a request. The principal is read by ParsePrincipal.
// Keys that AWS derives from the principal (aws:PrincipalArn,
// aws:PrincipalAccount, aws:PrincipalType, aws:PrincipalIsAWSService,
// aws:PrincipalServiceName) are filled in unless ctx sets them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func NewRequest(principal, action, resource string, ctx map[string][]string) (*Request, error) {
	r := new(Request)
	if err := r.Init(principal, action, resource, ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Init prepares r as NewRequest does, reusing the memory r has from an
// earlier Init: a program that evaluates many requests one after another
// keeps one Request. The context's value lists are ctx's own, not copied.
// After an error r is not a request.
func (r *Request) Init(principal, action, resource string, ctx map[string][]string) error {
	p, err := ParsePrincipal(principal)
	if err != nil {
		return err
	}
	if action == "" {
		return fmt.Errorf("the request has no action")
	}
	if !strings.Contains(action, ":") {
		return fmt.Errorf("action %q: expected service:Action", action)
	}
	if resource == "" {
		return fmt.Errorf("the request has no resource")
	}
	entries, index := r.Context.entries[:0], r.Context.index
	clear(index)
	if len(ctx)+4 <= contextIndexed {
		index = nil // a short context is searched, not indexed
	}
	*r = Request{Principal: p, Action: action, Resource: resource}
	// Every entry of ctx goes at the end of entries, lower-cased, and is
	// then moved to its place: the entries ctx gives and the four keys
	// fillPrincipalKeys may add fit without growing the slice.
	n := len(ctx)
	if cap(entries) < 2*n+4 {
		entries = make([]contextEntry, 0, 2*n+4)
	}
	scratch := entries[n+4 : 2*n+4]
	i := 0
	for k, v := range ctx {
		scratch[i] = contextEntry{name: k, values: v}
		i++
	}
	lowerKeys(scratch)
	r.Context.entries, r.Context.index = entries, index
	for _, e := range scratch {
		if i := r.Context.find(e.lower); i >= 0 {
			other := r.Context.entries[i].name
			a, b := min(e.name, other), max(e.name, other)
			return fmt.Errorf("context keys %q and %q differ only in case; AWS condition keys are case-insensitive, so give one", a, b)
		}
		r.Context.add(e)
	}
	clear(scratch)
	r.fillPrincipalKeys()
	if parts, ok := splitARN(resource); ok {
		if isAccountID(parts[4]) {
			r.ResourceAccount = parts[4]
		}
		if parts[2] == "kms" {
			r.kmsResource = resource
		}
	}
	return nil
}

func (r *Request) fillPrincipalKeys() {
	n := 0
	set := func(lowerKey, key, value string) {
		if r.Context.find(lowerKey) < 0 {
			r.derived[n] = value
			r.Context.add(contextEntry{name: key, lower: lowerKey, values: r.derived[n : n+1 : n+1]})
			n++
		}
	}
	p := r.Principal
	set("aws:principalisawsservice", "aws:PrincipalIsAWSService", boolText(p.Kind == ServicePrincipal))
	if p.Kind != Anonymous {
		set("aws:principaltype", "aws:PrincipalType", p.Kind.String())
	}
	switch p.Kind {
	case ServicePrincipal:
		set("aws:principalservicename", "aws:PrincipalServiceName", p.ARN)
	case AssumedRole:
		// aws:PrincipalArn of a role session is the role's ARN. The role's
		// path is not in the session ARN, so it cannot be restored here.
		set("aws:principalarn", "aws:PrincipalArn", "arn:"+p.Partition+":iam::"+p.Account+":role/"+p.RoleName)
		set("aws:principalaccount", "aws:PrincipalAccount", p.Account)
	case RootUser, IAMUser, FederatedUser:
		set("aws:principalarn", "aws:PrincipalArn", p.ARN)
		set("aws:principalaccount", "aws:PrincipalAccount", p.Account)
	}
}

// SetPrincipalAccount overrides the account the principal belongs to.
func (r *Request) SetPrincipalAccount(account string) {
	r.Principal.Account = account
	if r.Principal.Kind != ServicePrincipal && r.Principal.Kind != Anonymous {
		r.Context.set("aws:PrincipalAccount", []string{account})
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// crossAccount reports whether the request crosses an account boundary.
// Service principals and anonymous callers have no account of their own, so
// for them only the resource's side of the evaluation exists.
func (r *Request) crossAccount() bool {
	return r.ResourceAccount != "" && r.Principal.Account != "" && r.ResourceAccount != r.Principal.Account
}
