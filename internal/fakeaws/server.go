package fakeaws

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running fake.
type Server struct {
	URL string

	sc       *Scenario
	srv      *httptest.Server
	accounts map[string]*Account
	byKey    map[string]*Account
	buckets  map[string]*bucketEntry

	mu         sync.Mutex
	calls      map[string]int
	callsOn    map[string]int
	unexpected []string
	sessions   map[string]*caller
	throttled  map[string]int
}

// caller is who signed a request.
type caller struct {
	account *Account
	arn     string
	region  string
}

type bucketEntry struct {
	owner   *Account
	b       *Bucket
	objects []object // sorted by key
}

type object struct {
	key      string
	modified time.Time
}

// apiErr is an error answer; each protocol writes it in its own shape.
type apiErr struct {
	status int
	code   string
	msg    string
	header map[string]string
}

func errf(status int, code, format string, args ...any) *apiErr {
	return &apiErr{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

// New starts a fake serving the scenario on 127.0.0.1 (not localhost: the
// S3 client would use virtual-hosted addressing there).
func New(sc *Scenario) *Server {
	s := &Server{sc: sc, accounts: map[string]*Account{}, byKey: map[string]*Account{}, buckets: map[string]*bucketEntry{},
		calls: map[string]int{}, callsOn: map[string]int{}, sessions: map[string]*caller{}, throttled: map[string]int{}}
	for _, a := range sc.Accounts {
		s.accounts[a.ID] = a
		s.byKey[a.AccessKey] = a
		for _, b := range a.Buckets {
			s.buckets[b.Name] = &bucketEntry{owner: a, b: b, objects: sc.objects(b)}
		}
	}
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL
	return s
}

// Start starts a fake for a test from a scenario file, and at the end of
// the test closes it and fails the test if an unexpected operation was
// called.
func Start(t testing.TB, file string) *Server {
	t.Helper()
	return start(t, file, time.Time{})
}

// StartNow is Start with the scenario's clock set to the real time, for a
// process that reads its own clock (the logpath binary).
func StartNow(t testing.TB, file string) *Server {
	t.Helper()
	return start(t, file, time.Now().UTC().Truncate(time.Second))
}

func start(t testing.TB, file string, now time.Time) *Server {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Parse(file, data)
	if err != nil {
		t.Fatal(err)
	}
	if !now.IsZero() {
		sc.Now = now
	}
	s := New(sc)
	t.Cleanup(func() {
		s.Close()
		if u := s.Unexpected(); len(u) > 0 {
			t.Errorf("unexpected calls to the fake AWS:\n  %s", strings.Join(u, "\n  "))
		}
	})
	return s
}

// Close stops the fake.
func (s *Server) Close() { s.srv.Close() }

// Now is the scenario's clock.
func (s *Server) Now() time.Time { return s.sc.Now }

// Env is the environment for a process (or t.Setenv) that reads the fake
// as account's auditor: static credentials, the endpoint, the Region.
func (s *Server) Env(account, region string) []string {
	key := "AKIAUNKNOWN"
	if a := s.accounts[account]; a != nil {
		key = a.AccessKey
	}
	return []string{
		"AWS_ENDPOINT_URL=" + s.URL,
		"AWS_ACCESS_KEY_ID=" + key,
		"AWS_SECRET_ACCESS_KEY=fake-secret",
		"AWS_REGION=" + region,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
	}
}

// Calls is how often an operation ("kms:GetKeyPolicy") was called.
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// CallsOn is how often an operation was called on one resource (a bucket
// name, a key ID, a log group name, a firewall name).
func (s *Server) CallsOn(op, resource string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsOn[op+" "+resource]
}

// Ops lists every operation called, sorted.
func (s *Server) Ops() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for op := range s.calls {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// Unexpected lists the calls the fake refused because logpath should not
// make them: operations it does not implement (every write among them),
// and DescribeKey on a predefined AWS alias.
func (s *Server) Unexpected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.unexpected)
}

func (s *Server) record(op, resource string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[op]++
	if resource != "" {
		s.callsOn[op+" "+resource]++
	}
}

func (s *Server) refuse(op, why string) *apiErr {
	s.mu.Lock()
	s.unexpected = append(s.unexpected, op+": "+why)
	s.mu.Unlock()
	return errf(501, "NotImplemented", "the fake AWS does not answer %s: %s", op, why)
}

// signingScope reads access key, Region and service from a SigV4
// Authorization header.
func signingScope(h string) (key, region, service string, ok bool) {
	_, rest, found := strings.Cut(h, "Credential=")
	if !found {
		return "", "", "", false
	}
	cred, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return "", "", "", false
	}
	return parts[0], parts[2], parts[3], true
}

// protocol is how a service is spoken.
type protocol int

const (
	protoJSON protocol = iota
	protoQuery
	protoEC2
	protoS3
	protoCBOR
)

// services maps a SigV4 signing name to the service prefix of operation
// names and the protocol.
var services = map[string]struct {
	prefix string
	proto  protocol
}{
	"network-firewall": {"network-firewall", protoJSON},
	"kms":              {"kms", protoJSON},
	"logs":             {"logs", protoJSON},
	"firehose":         {"firehose", protoJSON},
	"organizations":    {"organizations", protoJSON},
	"sts":              {"sts", protoQuery},
	"iam":              {"iam", protoQuery},
	"route53resolver":  {"route53resolver", protoJSON},
	"wafv2":            {"wafv2", protoJSON},
	"cloudtrail":       {"cloudtrail", protoJSON},
	"ec2":              {"ec2", protoEC2},
	"s3":               {"s3", protoS3},
	"monitoring":       {"cloudwatch", protoCBOR},
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	key, region, signing, ok := signingScope(r.Header.Get("Authorization"))
	svc, known := services[signing]
	if !ok || !known {
		s.writeErr(w, protoJSON, s.refuse("?", fmt.Sprintf("%s %s with signing name %q", r.Method, r.URL.Path, signing)))
		return
	}
	if d := time.Duration(s.sc.Faults.Latency); d > 0 {
		time.Sleep(d)
	}
	if slices.Contains(s.sc.Faults.NoService[region], signing) {
		// No endpoint: the request fails before any AWS answer.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	c := s.identify(key, region)
	switch svc.proto {
	case protoJSON:
		s.serveJSON(w, r, c, svc.prefix, body)
	case protoQuery, protoEC2:
		s.serveQuery(w, c, svc.prefix, svc.proto, body)
	case protoS3:
		s.serveS3(w, r, c)
	case protoCBOR:
		s.serveCBOR(w, r, c, body)
	}
}

func (s *Server) identify(key, region string) *caller {
	if a := s.byKey[key]; a != nil {
		return &caller{account: a, arn: "arn:aws:iam::" + a.ID + ":user/auditor", region: region}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.sessions[key]; c != nil {
		return &caller{account: c.account, arn: c.arn, region: region}
	}
	return nil
}

// admit records a call and applies the faults that come before any
// answer: an unknown key, throttling, access denied.
func (s *Server) admit(c *caller, op, resource string, proto protocol) *apiErr {
	s.record(op, resource)
	if c == nil {
		code := map[protocol]string{protoJSON: "UnrecognizedClientException", protoQuery: "InvalidClientTokenId", protoEC2: "AuthFailure", protoS3: "InvalidAccessKeyId", protoCBOR: "InvalidClientTokenId"}[proto]
		return errf(403, code, "The security token included in the request is invalid.")
	}
	s.mu.Lock()
	n := s.sc.Faults.Throttle[op]
	throttle := s.throttled[op] < n
	if throttle {
		s.throttled[op]++
	}
	s.mu.Unlock()
	if throttle {
		switch proto {
		case protoS3:
			return errf(503, "SlowDown", "Please reduce your request rate.")
		case protoQuery:
			return errf(400, "Throttling", "Rate exceeded")
		case protoEC2:
			return errf(503, "RequestLimitExceeded", "Request limit exceeded.")
		}
		return errf(400, "ThrottlingException", "Rate exceeded")
	}
	if slices.Contains(c.account.Deny, op) {
		action := op
		if a, ok := iamActions[op]; ok {
			action = a
		}
		msg := fmt.Sprintf("User: %s is not authorized to perform: %s because no identity-based policy allows the %s action", c.arn, action, action)
		switch proto {
		case protoS3:
			return errf(403, "AccessDenied", "%s", msg)
		case protoQuery:
			return errf(403, "AccessDenied", "%s", msg)
		case protoEC2:
			return errf(403, "UnauthorizedOperation", "You are not authorized to perform this operation. %s", msg)
		case protoCBOR:
			return errf(403, "AccessDenied", "%s", msg)
		}
		return errf(400, "AccessDeniedException", "%s", msg)
	}
	return nil
}

// iamActions names the IAM action of operations whose action differs
// from the operation name.
var iamActions = map[string]string{
	"s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
	"s3:ListObjectsV2":       "s3:ListBucket",
	"s3:ListBuckets":         "s3:ListAllMyBuckets",
}

// page returns one page of n items from the token on, and the next token.
func (s *Server) page(n int, token string, max int) (from, to int, next string) {
	from, _ = strconv.Atoi(token)
	from = min(max0(from), n)
	size := n - from
	if max > 0 {
		size = min(size, max)
	}
	if p := s.sc.Faults.PageSize; p > 0 {
		size = min(size, p)
	}
	to = from + size
	if to < n {
		next = strconv.Itoa(to)
	}
	return from, to, next
}

func max0(i int) int { return max(i, 0) }

func (s *Server) writeErr(w http.ResponseWriter, proto protocol, e *apiErr) {
	for k, v := range e.header {
		w.Header().Set(k, v)
	}
	switch proto {
	case protoJSON:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", e.code)
		w.WriteHeader(e.status)
		json.NewEncoder(w).Encode(map[string]string{"__type": e.code, "message": e.msg})
	case protoQuery:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(e.status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`, xmlText(e.code), xmlText(e.msg))
	case protoEC2:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(e.status)
		fmt.Fprintf(w, `<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fake-request</RequestID></Response>`, xmlText(e.code), xmlText(e.msg))
	case protoS3:
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(e.status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>fake-request</RequestId></Error>`, xmlText(e.code), xmlText(e.msg))
	case protoCBOR:
		writeCBORError(w, e)
	}
}

func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, c *caller, prefix string, body []byte) {
	// The operation follows the last dot: "CloudTrail_20131101.GetTrailStatus"
	// as the SDK sends it, or AWS's full
	// "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrailStatus".
	target := r.Header.Get("X-Amz-Target")
	name := target[strings.LastIndexByte(target, '.')+1:]
	op := prefix + ":" + name
	var in map[string]any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			s.writeErr(w, protoJSON, errf(400, "SerializationException", "%v", err))
			return
		}
	}
	h, ok := jsonOps[op]
	if !ok {
		s.record(op, "")
		s.writeErr(w, protoJSON, s.refuse(op, "not an operation logpath reads"))
		return
	}
	if e := s.admit(c, op, resourceOf(op, in), protoJSON); e != nil {
		s.writeErr(w, protoJSON, e)
		return
	}
	out, e := h(s, c, jsonIn(in))
	if e != nil {
		s.writeErr(w, protoJSON, e)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

// resourceOf names the resource a JSON call is about, for CallsOn.
func resourceOf(op string, in map[string]any) string {
	for _, k := range []string{"KeyId", "FirewallName", "FirewallArn", "DeliveryStreamName", "logGroupName", "resourceArn", "PolicyId", "ChildId", "Scope", "Name"} {
		if v, ok := in[k].(string); ok && v != "" {
			return v
		}
	}
	return ""
}

// jsonIn reads fields of a JSON request.
type jsonIn map[string]any

func (j jsonIn) str(k string) string {
	v, _ := j[k].(string)
	return v
}

func (j jsonIn) num(k string) int {
	v, _ := j[k].(float64)
	return int(v)
}

func (j jsonIn) boolean(k string) bool {
	v, _ := j[k].(bool)
	return v
}

func (s *Server) serveQuery(w http.ResponseWriter, c *caller, prefix string, proto protocol, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		s.writeErr(w, proto, errf(400, "MalformedQueryString", "%v", err))
		return
	}
	op := prefix + ":" + form.Get("Action")
	h, ok := queryOps[op]
	if !ok {
		s.record(op, "")
		s.writeErr(w, proto, s.refuse(op, "not an operation logpath reads"))
		return
	}
	// GetCallerIdentity needs no permission; AssumeRole is decided by
	// the role's trust, after the caller is known.
	resource := form.Get("RoleArn")
	for _, k := range []string{"RoleName", "PolicyArn"} {
		if resource == "" {
			resource = form.Get(k)
		}
	}
	if e := s.admit(c, op, resource, proto); e != nil {
		s.writeErr(w, proto, e)
		return
	}
	out, e := h(s, c, form)
	if e != nil {
		s.writeErr(w, proto, e)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	io.WriteString(w, out)
}

func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
