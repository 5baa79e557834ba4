package policy

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// fuzzPolicySeeds are realistic policies of every type, the Principal forms,
// every condition operator family, and edge cases: deep nesting, unicode
// escapes, huge wildcard patterns, policy variables.
var fuzzPolicySeeds = []string{
	// The default key policy.
	`{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`,
	// A key policy with admins, users, vended-log delivery and a deny.
	`{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Allow access for Key Administrators", "Effect": "Allow",
     "Principal": {"AWS": ["arn:aws:iam::111122223333:role/KeyAdmin", "arn:aws:iam::111122223333:user/alice"]},
     "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
     "Resource": "*"},
    {"Sid": "Allow use of the key via S3", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
     "Resource": "*",
     "Condition": {"StringEquals": {"kms:ViaService": "s3.ap-northeast-1.amazonaws.com", "kms:CallerAccount": "111122223333"},
                   "StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::amzn-s3-demo-bucket/*"}}},
    {"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
     "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
     "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
    {"Sid": "Allow Vended Logs delivery", "Effect": "Allow",
     "Principal": {"Service": "delivery.logs.amazonaws.com"},
     "Action": "kms:GenerateDataKey*", "Resource": "*",
     "Condition": {"StringEquals": {"aws:SourceAccount": ["111122223333"]},
                   "ArnLike": {"aws:SourceArn": ["arn:aws:logs:ap-northeast-1:111122223333:*"]}}},
    {"Sid": "Deny other source accounts", "Effect": "Deny",
     "Principal": {"Service": "delivery.logs.amazonaws.com"},
     "Action": "kms:*", "Resource": "*",
     "Condition": {"StringNotEquals": {"aws:SourceAccount": "111122223333"}}},
    {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
  ]
}`,
	// An S3 bucket policy with conditions of every family.
	`{"Version":"2012-10-17","Statement":[
{"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceAccount":"111122223333"},"ArnLike":{"aws:SourceArn":"arn:aws:logs:ap-northeast-1:111122223333:*"}}},
{"Sid":"AWSLogDeliveryAclCheck","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringEquals":{"aws:SourceAccount":["111122223333"]}}},
{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:TlsVersion":1.2}}},
{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/public/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]},"NotIpAddress":{"aws:SourceIp":"203.0.113.7"},"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"},"DateLessThanEquals":{"aws:EpochTime":"1893456000"},"StringEqualsIgnoreCase":{"aws:UserAgent":"LogDelivery"},"StringNotLikeIfExists":{"aws:Referer":"*.example.com/*"},"BinaryEquals":{"s3:ExistingObjectTag/hash":"QmluYXJ5"},"Null":{"aws:TokenIssueTime":"false"},"ForAnyValue:StringLike":{"aws:TagKeys":["team-*","cost?"]},"ForAllValues:StringEquals":{"aws:PrincipalOrgPaths":["o-a1b2c3d4e5/r-ab12/*"]},"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/Blocked"},"NumericGreaterThanEquals":{"s3:max-keys":"10"},"DateEquals":{"aws:TokenIssueTime":"2024-05-01"}}}]}`,
	// Principal forms; NotPrincipal with Deny; NotAction/NotResource.
	`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:sts::111122223333:assumed-role/Admin/session","arn:aws:iam::111122223333:role/Admin","111122223333"]},"NotAction":["kms:Describe*","kms:List*"],"NotResource":"arn:aws:kms:*:111122223333:alias/*"},{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:root","arn:aws:iam::444455556666:role/path/to/Role","arn:aws:iam::444455556666:user/bob","arn:aws:sts::444455556666:federated-user/carol","AIDAEXAMPLEUNIQUEID"],"Service":["logs.ap-northeast-1.amazonaws.com","cloudtrail.amazonaws.com"],"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"*","Resource":"*"}]}`,
	`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`,
	`{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`,
	// A trust policy: no Resource.
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}`,
	// Identity policies with variables, defaults and escapes.
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket/home/${aws:username}/${aws:PrincipalTag/team, 'none'}/${*}${?}${$}*","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*","${aws:userid"]}}}]}`,
	`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}"}]}`,
	`{"Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::*:user/${aws:username}"}]}`,
	// SCP and RCP shapes.
	`{"Version":"2012-10-17","Statement":[{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"DenyKeyDeletion","Effect":"Deny","Action":["kms:ScheduleKeyDeletion","kms:DisableKey"],"Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/KeyAdmin"}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Sid":"EnforceOrgIdentities","Effect":"Deny","Principal":"*","Action":["s3:*","kms:*"],"Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}]}`,
	// Unicode escapes and raw UTF-8.
	`{"Version":"2012-10-17","Statement":[{"Sid":"\u30ad\u30fc\u7ba1\u7406 \ud83d\udd11","Effect":"\u0041llow","Principal":{"AWS":"arn:aws:iam::111122223333:role/\u00e9t\u00e9"},"Action":"kms:\u002a","Resource":"\u002a","Condition":{"StringLike":{"aws:PrincipalTag/\u30c1\u30fc\u30e0":"\ud800*"}}}]}`,
	"{\"Statement\":[{\"Sid\":\"日本語\",\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::バケット/*\"}]}",
	// Huge wildcard patterns.
	`{"Statement":[{"Effect":"Allow","Action":"s3:` + strings.Repeat("*a", 200) + `","Resource":"arn:aws:s3:::` + strings.Repeat("*?", 200) + `b","Condition":{"StringLike":{"aws:UserAgent":"` + strings.Repeat("*x", 200) + `"}}}]}`,
	// Errors AWS reports.
	`{"Statement":[{"Effect":"Alow","Action":"s3:GetObject","Resource":"*"}]}`,
	`{"Version":"2012-10-17","Statement":[]}`,
	`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{}}}]}`,
	`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"stringequals":{"a":"b"}}}]}`,
	`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NullIfExists":{"a":"true"}}}]}`,
	`{"Statement":[{"Effect":"Allow","Action":"GetObject","Resource":"*"}]}`,
	`{"version":"2012-10-17","Statement":[]}`,
	`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Effect":"Deny"}]}`,
	`{"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"s3:*","Resource":"*"}]}`,
	`[]`, `"policy"`, `{}`, ``, `{"Statement":`, "{\n\n  \"Statement\": [\n    {\"Effect\": \"Allow\",, }\n  ]\n}",
	// Nesting.
	`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"k":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}}}]}`,
	`{"Statement":` + strings.Repeat("[", 50) + strings.Repeat("]", 50) + `}`,
}

var fuzzKinds = []Kind{KindAny, KindIdentity, KindResource, KindSCP, KindRCP}

// fuzzRequests builds requests of every principal kind, once.
var fuzzRequests = sync.OnceValue(func() []*Request {
	key := "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	specs := []struct {
		principal, action, resource string
		ctx                         map[string][]string
	}{
		{"delivery.logs.amazonaws.com", "kms:GenerateDataKey", key, map[string][]string{
			"aws:SourceAccount":                {"111122223333"},
			"aws:SourceArn":                    {"arn:aws:logs:ap-northeast-1:111122223333:log-group:/aws/network-firewall/flow"},
			"kms:EncryptionContext:aws:s3:arn": {"arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/network-firewall/flow/2024/05/01/x.log.gz"},
			"kms:ViaService":                   {"s3.ap-northeast-1.amazonaws.com"},
			"kms:EncryptionContextKeys":        {"aws:s3:arn"},
			"aws:SecureTransport":              {"true"},
		}},
		{"arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice", "kms:PutKeyPolicy", key, map[string][]string{
			"aws:SecureTransport":   {"false"},
			"aws:CurrentTime":       {"2024-06-01T12:00:00Z"},
			"aws:EpochTime":         {"1717243200"},
			"aws:SourceIp":          {"203.0.113.9"},
			"aws:TagKeys":           {"team-a", "cost1", "*"},
			"aws:PrincipalTag/team": {"platform"},
			"aws:username":          {"alice"},
			"aws:userid":            {"AROAEXAMPLE:alice"},
			"aws:PrincipalOrgID":    {"o-a1b2c3d4e5"},
			"aws:TokenIssueTime":    {"2024-05-01"},
		}},
		{"arn:aws:iam::444455556666:user/bob", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/public/home/bob/x", map[string][]string{
			"s3:TlsVersion":             {"1.1"},
			"aws:SourceIp":              {"2001:db8:1234:5678::1"},
			"aws:UserAgent":             {"logdelivery"},
			"aws:Referer":               {"https://www.example.com/a"},
			"s3:ExistingObjectTag/hash": {"QmluYXJ5"},
			"s3:max-keys":               {"not-a-number"},
			"aws:username":              {"b*?"},
			"aws:PrincipalOrgPaths":     {"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"},
			"s3:prefix":                 {"home/bob/"},
		}},
		{"111122223333", "kms:ScheduleKeyDeletion", key, nil},
		{"anonymous", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/public/x", map[string][]string{"aws:SourceIp": {"203.0.113.7"}}},
		{"arn:aws:sts::111122223333:federated-user/carol", "sts:AssumeRole", "arn:aws:iam::111122223333:role/Admin", map[string][]string{"sts:ExternalId": {"x"}}},
		{"arn:aws:iam::111122223333:role/App", "s3:PutObject", "arn:aws:s3:::bucket/home/alice/none/*?$x", map[string][]string{"aws:username": {"alice"}}},
		{"logs.ap-northeast-1.amazonaws.com", "logs:PutLogEvents", "not-an-arn", nil},
	}
	var out []*Request
	for _, s := range specs {
		r, err := NewRequest(s.principal, s.action, s.resource, s.ctx)
		if err != nil {
			panic(err)
		}
		out = append(out, r)
	}
	// A cross-account request with an overridden principal account.
	r, err := NewRequest("arn:aws:sts::444455556666:assumed-role/App/s", "kms:Decrypt", key, nil)
	if err != nil {
		panic(err)
	}
	r.SetPrincipalAccount("444455556666")
	return append(out, r)
})

// fuzzSets places p in every role of an evaluation, and in all at once.
func fuzzSets(p *Policy) []Set {
	lvl := []OrgLevel{{ID: "r-ab12", Policies: []*Policy{p}}}
	return []Set{
		{Identity: []*Policy{p}},
		{Resource: p},
		{Boundary: []*Policy{p}},
		{Session: p},
		{SCPs: lvl},
		{RCPs: lvl},
		{Identity: []*Policy{p, p}, Resource: p, Boundary: []*Policy{p}, Session: p, SCPs: lvl, RCPs: lvl},
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzPolicySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var anyKind *Policy
		for _, kind := range fuzzKinds {
			p, err := Parse(data, Options{Name: "fuzz.json", Kind: kind})
			fuzzCheckParse(t, kind, p, err, 1)
			if kind == KindAny {
				anyKind = p
			} else if p != nil && anyKind == nil {
				// KindAny checks only what every type shares.
				t.Fatalf("the document parses as a %s but not as KindAny", kind)
			}
			if p != nil {
				// The kind changes what parses and Explain's notes, not
				// how a statement is evaluated: Explain (the slow part)
				// in every role only once, for KindAny.
				fuzzCheckEvaluate(t, p, kind == KindAny)
			}
		}
		// Positions relative to an enclosing file.
		p, err := Parse(data, Options{Name: "cases.jsonl", Kind: KindResource, Base: Position{Line: 7, Column: 30, Offset: 900}, Path: "$.resourcePolicy"})
		fuzzCheckParse(t, KindResource, p, err, 7)
		fuzzCheckArena(t, data)
	})
}

// fuzzCheckArena parses data three times as each of two kinds with one
// Arena, at different places of an enclosing file: the first time compiles
// its statements into templates, the others copy them; a Reset between
// some of them changes nothing. Each time the policy, its warnings and its
// decisions must be those of Parse without an Arena, and those of the
// earlier parses must still be. A second Arena, recycled before each
// parse, must give the same policy each time.
func fuzzCheckArena(t *testing.T, data []byte) {
	t.Helper()
	var a, recycled Arena
	type parsed struct{ got, want *Policy }
	var earlier []parsed
	for i, kind := range []Kind{KindResource, KindResource, KindResource, KindIdentity, KindIdentity, KindIdentity} {
		if i%2 == 1 {
			a.Reset()
		}
		opts := Options{Name: "cases.jsonl", Kind: kind, Base: Position{Line: 3 + i, Column: 1 + 7*i, Offset: 100 * i}, Path: fmt.Sprintf("$[%d].policy", i)}
		want, wantErr := Parse(data, opts)
		opts.Arena = &a
		got, err := Parse(data, opts)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("parse %d with an Arena: error %v, without: %v", i, err, wantErr)
		}
		if err != nil {
			continue
		}
		if !reflect.DeepEqual(got.Warnings, want.Warnings) {
			t.Fatalf("parse %d with an Arena: warnings\n%v\nwithout:\n%v", i, got.Warnings, want.Warnings)
		}
		if g, w := fuzzReadable(got), fuzzReadable(want); !reflect.DeepEqual(g, w) {
			t.Fatalf("parse %d with an Arena:\n%+v\nwithout:\n%+v", i, g, w)
		}
		earlier = append(earlier, parsed{got, want})
		recycled.Recycle()
		opts.Arena = &recycled
		again, err := Parse(data, opts)
		if err != nil {
			t.Fatalf("parse %d with a recycled Arena: %v", i, err)
		}
		if g, w := fuzzReadable(again), fuzzReadable(want); !reflect.DeepEqual(g, w) || !reflect.DeepEqual(again.Warnings, want.Warnings) {
			t.Fatalf("parse %d with a recycled Arena:\n%+v\nwithout an Arena:\n%+v", i, g, w)
		}
		for _, req := range fuzzRequests() {
			gs, ws := fuzzSets(again), fuzzSets(want)
			if g, w := Evaluate(req, &gs[len(gs)-1]), Evaluate(req, &ws[len(ws)-1]); fuzzResult(g) != fuzzResult(w) {
				t.Fatalf("parse %d with a recycled Arena: %s, without: %s", i, fuzzResult(g), fuzzResult(w))
			}
		}
		for j, e := range earlier {
			if g, w := fuzzReadable(e.got), fuzzReadable(e.want); !reflect.DeepEqual(g, w) {
				t.Fatalf("parse %d, after parse %d:\n%+v\nwithout an Arena:\n%+v", j, i, g, w)
			}
		}
		for _, req := range fuzzRequests() {
			gs, ws := fuzzSets(got), fuzzSets(want)
			g, w := Evaluate(req, &gs[len(gs)-1]), Evaluate(req, &ws[len(ws)-1])
			if fuzzResult(g) != fuzzResult(w) {
				t.Fatalf("parse %d with an Arena: %s, without: %s", i, fuzzResult(g), fuzzResult(w))
			}
		}
	}
}

// fuzzReadable is what a policy says, with its statements' positions.
func fuzzReadable(p *Policy) []any {
	out := []any{p.Name, p.Kind, p.Version, p.ID, len(p.Statements)}
	for i := range p.Statements {
		s := &p.Statements[i]
		out = append(out, s.Sid, s.Index, s.Effect, s.Principal, s.NotPrincipal, s.Actions, s.NotAction,
			s.Resources, s.NotResource, s.HasResource, s.Conditions, s.Position(), s.Policy() == p)
	}
	return out
}

// fuzzResult is a result with the deciding statements named by index.
func fuzzResult(r Result) string {
	out := fmt.Sprintf("%s gap %d level %q root %v", r.Decision, r.Gap, r.Level, r.RootUser)
	for _, m := range r.Deciding() {
		out += fmt.Sprintf(" [%s %s #%d]", m.Type, m.Level, m.Statement.Index)
	}
	return out
}

func fuzzCheckParse(t *testing.T, kind Kind, p *Policy, err error, minLine int) {
	t.Helper()
	if err != nil {
		if p != nil {
			t.Fatalf("%s: Parse returned both a policy and %v", kind, err)
		}
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("%s: Parse error is %T (%v), want *policy.Error", kind, err, err)
		}
		if pe.Pos.Line < minLine || pe.Pos.Column < 1 || pe.Msg == "" {
			t.Fatalf("%s: error %q at line %d column %d, want line >= %d", kind, pe.Error(), pe.Pos.Line, pe.Pos.Column, minLine)
		}
		return
	}
	if p == nil {
		t.Fatalf("%s: Parse returned neither a policy nor an error", kind)
	}
	if len(p.Statements) == 0 {
		t.Fatalf("%s: policy without statements", kind)
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		if pos := s.Position(); pos.Line < minLine || pos.Column < 1 {
			t.Fatalf("%s: statement %d at %v", kind, i, pos)
		}
		if s.Policy() != p || s.Index != i || s.Label() == "" {
			t.Fatalf("%s: statement %d: policy %p (want %p), index %d", kind, i, s.Policy(), p, s.Index)
		}
		if s.Principal != nil && s.NotPrincipal != nil {
			t.Fatalf("%s: statement %d has both Principal and NotPrincipal", kind, i)
		}
		if (kind == KindIdentity || kind == KindSCP) && (s.Principal != nil || s.NotPrincipal != nil) {
			t.Fatalf("%s: statement %d has a principal", kind, i)
		}
	}
	for _, w := range p.Warnings {
		if w.Pos.Line < minLine || w.Code == "" || w.String() == "" {
			t.Fatalf("%s: warning %+v", kind, w)
		}
	}
}

// fuzzCheckEvaluate evaluates the fixed requests against p in every role: no
// panic, the same result twice, and Explain agreeing with Evaluate (in every
// role with explainAll, else only with p in all roles at once).
func fuzzCheckEvaluate(t *testing.T, p *Policy, explainAll bool) {
	t.Helper()
	for _, req := range fuzzRequests() {
		sets := fuzzSets(p)
		for si, set := range sets {
			res := Evaluate(req, &set)
			again := Evaluate(req, &set)
			if res != again {
				t.Fatalf("Evaluate is not deterministic: %+v then %+v", res, again)
			}
			if (res.Decision == ImplicitlyDenied) != (res.Gap != NoGap) {
				t.Fatalf("decision %s with gap %d", res.Decision, res.Gap)
			}
			if res.Decision == ImplicitlyDenied && len(res.Deciding()) != 0 {
				t.Fatalf("ImplicitlyDenied with deciding statements %+v", res.Deciding())
			}
			if !explainAll && si != len(sets)-1 {
				continue
			}
			ex := Explain(req, &set)
			if ex.Result != res {
				t.Fatalf("Explain's result %+v differs from Evaluate's %+v", ex.Result, res)
			}
			applies := map[*Statement]bool{}
			for _, pt := range ex.Policies {
				for _, st := range pt.Statements {
					if st.Applies {
						applies[st.Statement] = true
					} else if st.Mismatch == "" {
						t.Fatalf("statement %s does not apply but has no mismatch", st.Statement.Label())
					}
				}
			}
			for _, m := range res.Deciding() {
				if !applies[m.Statement] {
					t.Fatalf("deciding statement %s (%s) does not apply in Explain", m.Statement.Label(), m.Type)
				}
			}
		}
	}
}

// fuzzRefGlob is the reference wildcard matcher: * is any run of characters,
// ? is one character (a UTF-8 sequence, or one byte of invalid UTF-8), every
// other byte matches itself (ASCII case-insensitively with fold). It is the
// textbook dynamic programme over (pattern position, subject position).
func fuzzRefGlob(pattern, s string, fold bool) bool {
	// m[j] is whether pattern[i:] matches s[j:], for the current i.
	m := make([]bool, len(s)+1)
	next := make([]bool, len(s)+1)
	m[len(s)] = true // empty pattern, empty subject
	for i := len(pattern) - 1; i >= 0; i-- {
		m, next = next, m // next now holds row i+1
		c := pattern[i]
		for j := len(s); j >= 0; j-- {
			size := 0
			if j < len(s) {
				_, size = utf8.DecodeRuneInString(s[j:])
			}
			switch {
			case c == '*':
				m[j] = next[j] || (size > 0 && m[j+size])
			case c == '?':
				m[j] = size > 0 && next[j+size]
			default:
				m[j] = j < len(s) && fuzzByteEq(c, s[j], fold) && next[j+1]
			}
		}
	}
	return m[0]
}

func fuzzByteEq(a, b byte, fold bool) bool {
	if fold {
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
	}
	return a == b
}

// fuzzRefARN matches an ARN pattern the way the Resource element and the Arn*
// operators do: "*" matches everything; a pattern of six colon-separated
// segments (the sixth is the rest, colons and all) matches an ARN of six
// segments segment by segment, so that no wildcard crosses a colon before the
// resource; any other pattern is malformed and matches nothing.
func fuzzRefARN(pattern, s string) bool {
	if pattern == "*" {
		return true
	}
	pp := strings.SplitN(pattern, ":", arnSegments)
	if len(pp) < arnSegments {
		return false
	}
	ss := strings.SplitN(s, ":", arnSegments)
	if len(ss) < arnSegments {
		return false
	}
	for i := range pp {
		if !fuzzRefGlob(pp[i], ss[i], false) {
			return false
		}
	}
	return true
}

// Bounds that keep one fuzz execution well under a millisecond.
const (
	fuzzMaxPattern = 64
	fuzzMaxSubject = 256
)

var fuzzGlobSeeds = []struct {
	pattern, subject string
}{
	{"kms:*", "kms:GenerateDataKey"},
	{"kms:GenerateDataKey*", "kms:GenerateDataKeyWithoutPlaintext"},
	{"kms:ReEncrypt*", "KMS:REENCRYPTFROM"},
	{"s3:Get*Acl", "s3:GetBucketAcl"},
	{"s3:?etObject", "s3:GetObject"},
	{"*", ""},
	{"", ""},
	{"?", ""},
	{"?", "日"},
	{"??", "日"},
	{"a*b*c", "aXbYbZc"},
	{"*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	{strings.Repeat("*a", 30), strings.Repeat("a", 200) + "b"},
	{strings.Repeat("?*", 30), strings.Repeat("日本", 40)},
	{"arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/*/network-firewall/*", "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/network-firewall/flow/x.gz"},
	{"${aws:username}*", "${aws:username}x"},
	{"**?*", "ab"},
	{"*\xe3*\x81\x82Z", "\xe3\x81\x82\xe3\x81\x82Z"},
	{"a?c", "a\xffc"},
}

func FuzzGlob(f *testing.F) {
	for _, s := range fuzzGlobSeeds {
		f.Add(s.pattern, s.subject, false)
		f.Add(s.pattern, s.subject, true)
	}
	f.Fuzz(func(t *testing.T, pattern, subject string, fold bool) {
		if len(pattern) > fuzzMaxPattern || len(subject) > fuzzMaxSubject {
			return
		}
		var ctx Context
		p := compilePattern(pattern, patternOptions{wildcards: true, fold: fold})
		for _, u := range p.units {
			if u.kind == unitVar {
				t.Fatalf("variable unit in %q compiled without variables", pattern)
			}
		}
		got := p.match(subject, &ctx)
		if raw := globUnits(fuzzUnits(&p), subject, p.fold); raw != got {
			t.Fatalf("pattern %q, subject %q: match says %v, globUnits says %v", pattern, subject, got, raw)
		}
		// With a pattern that is not UTF-8, "one character" has no meaning:
		// a literal can end inside a character, from where the greedy
		// matcher's * steps differently than from the character's start, so
		// it and the reference may differ (for example "*\xe3*\x81\x82Z" on
		// "\xe3\x81\x82\xe3\x81\x82Z"). Only raw invalid bytes in a policy file
		// produce such a pattern, and AWS rejects those; the subject may be
		// anything.
		if utf8.ValidString(pattern) {
			if want := fuzzRefGlob(pattern, subject, fold); got != want {
				t.Fatalf("pattern %q, subject %q, fold %v: got %v, reference says %v", pattern, subject, fold, got, want)
			}
		}
		// Without wildcards (StringEquals) a pattern is its literal text.
		lit := compilePattern(pattern, patternOptions{fold: fold})
		want := pattern == subject || (fold && equalFoldASCII(pattern, subject))
		if got := lit.match(subject, &ctx); got != want {
			t.Fatalf("literal pattern %q, subject %q, fold %v: got %v, want %v", pattern, subject, fold, got, want)
		}
	})
}

// fuzzUnits is the units of a pattern, those of the fast-path patterns that
// keep none included.
func fuzzUnits(p *pattern) []unit {
	switch {
	case p.units != nil:
		return p.units
	case p.any:
		return []unit{{kind: unitStar}}
	case p.prefixStar:
		return []unit{{kind: unitLiteral, s: p.literal()}, {kind: unitStar}}
	}
	return []unit{{kind: unitLiteral, s: p.literal()}}
}

var fuzzARNSeeds = []struct {
	pattern, subject string
}{
	{"*", "anything"},
	{"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
	{"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:ap-northeast-1:444455556666:key/1234abcd"},
	{"arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/a:b:c"},
	{"arn:aws:s3:::*", "arn:aws:s3:::"},
	{"arn:*:logs:*:*:log-group:/aws/*", "arn:aws-cn:logs:cn-north-1:111122223333:log-group:/aws/vpc:log-stream:x"},
	{"arn:aws:iam::*:role/KeyAdmin", "arn:aws:iam::111122223333:role/KeyAdmin"},
	{"arn:aws:*", "arn:aws:s3:::bucket"},
	{"arn:aws:s3*", "arn:aws:s3:::bucket"},
	{"arn:aws:s?:::b", "arn:aws:s3:::b"},
	{"arn:aws::::", "arn:aws::::"},
	{"not-an-arn*", "not-an-arn-at-all"},
	{"arn:aws:kms:ap-northeast-1:111122223333:*", "arn:aws:kms:ap-northeast-1:111122223333"},
	{"arn:aws:s3:::" + strings.Repeat("*a", 20), "arn:aws:s3:::" + strings.Repeat("a", 100) + "b"},
	{"arn:aws:s3:::バケット/*", "arn:aws:s3:::バケット/日本"},
}

func FuzzARNMatch(f *testing.F) {
	for _, s := range fuzzARNSeeds {
		f.Add(s.pattern, s.subject)
	}
	f.Fuzz(func(t *testing.T, pattern, subject string) {
		if len(pattern) > fuzzMaxPattern || len(subject) > fuzzMaxSubject {
			return
		}
		var ctx Context
		a := compileARNPattern(pattern, patternOptions{})
		got := a.match(subject, &ctx)
		if !utf8.ValidString(pattern) {
			return // see FuzzGlob
		}
		if want := fuzzRefARN(pattern, subject); got != want {
			t.Fatalf("ARN pattern %q, subject %q: got %v, reference says %v", pattern, subject, got, want)
		}
	})
}

// Pathological patterns must not make matching exponential: globUnits keeps
// one backtracking point, so these take O(len(pattern) * len(subject)).
func TestGlobPathologicalPatternsFinish(t *testing.T) {
	subjectNo := strings.Repeat("a", 5000) + "b"
	subjectYes := strings.Repeat("a", 5000)
	var ctx Context
	for _, tc := range []struct {
		pattern, subject string
		want             bool
	}{
		{strings.Repeat("*a", 500), subjectNo, false},
		{strings.Repeat("*a", 500), subjectYes, true},
		{strings.Repeat("a*", 500) + "b", subjectYes, false},
		{strings.Repeat("*a", 500) + "*", subjectNo, true},
		{strings.Repeat("?*", 500) + "c", subjectNo, false},
		{strings.Repeat("*?", 5001), subjectYes, false},
		{strings.Repeat("*aa", 300) + "*b", subjectNo, true},
	} {
		p := compilePattern(tc.pattern, patternOptions{wildcards: true})
		if got := p.match(tc.subject, &ctx); got != tc.want {
			t.Errorf("pattern %.20q... on %d bytes: got %v, want %v", tc.pattern, len(tc.subject), got, tc.want)
		}
		pf := compilePattern(strings.ToUpper(tc.pattern), patternOptions{wildcards: true, fold: true})
		if got := pf.match(tc.subject, &ctx); got != tc.want {
			t.Errorf("folded pattern %.20q... on %d bytes: got %v, want %v", tc.pattern, len(tc.subject), got, tc.want)
		}
		a := compileARNPattern("arn:aws:s3:::"+tc.pattern, patternOptions{})
		if got := a.match("arn:aws:s3:::"+tc.subject, &ctx); got != tc.want {
			t.Errorf("ARN pattern %.30q... on %d bytes: got %v, want %v", "arn:aws:s3:::"+tc.pattern, len(tc.subject), got, tc.want)
		}
	}

	// The same through Parse and Evaluate: a policy whose Action, Resource
	// and StringLike condition are all hostile.
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:` + strings.Repeat("*a", 500) +
		`","Resource":"arn:aws:s3:::` + strings.Repeat("*a", 500) + `","Condition":{"StringLike":{"aws:UserAgent":"` + strings.Repeat("*a", 500) + `"}}}]}`
	p, err := Parse([]byte(doc), Options{Kind: KindIdentity})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		suffix string
		want   Decision
	}{{"b", ImplicitlyDenied}, {"", Allowed}} {
		req, err := NewRequest("arn:aws:iam::111122223333:user/alice", "s3:"+subjectYes+tc.suffix, "arn:aws:s3:::"+subjectYes+tc.suffix,
			map[string][]string{"aws:UserAgent": {subjectYes + tc.suffix}})
		if err != nil {
			t.Fatal(err)
		}
		if got := Evaluate(req, &Set{Identity: []*Policy{p}}).Decision; got != tc.want {
			t.Errorf("suffix %q: decision %s, want %s", tc.suffix, got, tc.want)
		}
	}
}
