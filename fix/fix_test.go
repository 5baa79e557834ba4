package fix

import (
	"errors"
	"strings"
	"testing"

	"github.com/logpath/logpath/policy"
)

const keyARN = "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

func parse(t *testing.T, kind policy.Kind, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(doc), policy.Options{Kind: kind})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func request(t *testing.T, principal, action, resource string, ctx map[string][]string) *policy.Request {
	t.Helper()
	r, err := policy.NewRequest(principal, action, resource, ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAddStatementKeepsTheRest(t *testing.T) {
	src := []byte(`{"Version":"2012-10-17","Id":"k","Statement":{"Sid":"a","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}`)
	out, err := AddStatement(src, Statement{Effect: "Allow", Principal: map[string]string{"Service": "delivery.logs.amazonaws.com"}, Action: Strings{"kms:GenerateDataKey"}, Resource: Strings{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, policy.KindResource, string(out))
	if p.ID != "k" || len(p.Statements) != 2 || p.Statements[0].Sid != "a" {
		t.Errorf("got %s", out)
	}
	if strings.Index(string(out), `"Version"`) > strings.Index(string(out), `"Statement"`) {
		t.Errorf("member order changed:\n%s", out)
	}
	out, err = AddStatement(nil, Statement{Effect: "Allow", Action: Strings{"s3:GetObject"}, Resource: Strings{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	if p := parse(t, policy.KindIdentity, string(out)); p.Version != policy.Version2012 || len(p.Statements) != 1 {
		t.Errorf("new policy: %s", out)
	}
}

// Each proposed fix has been re-evaluated: applying it allows the request.
func TestForImplicitDeny(t *testing.T) {
	root := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	tests := []struct {
		name       string
		req        *policy.Request
		set        *policy.Set
		src        string
		target     Target
		principal  string
		conditions int
		unfixable  string
	}{
		{name: "seed: key policy statement for the delivery service",
			req: request(t, "delivery.logs.amazonaws.com", "kms:GenerateDataKey", keyARN, map[string][]string{"aws:SourceAccount": {"111122223333"}, "aws:SourceArn": {"arn:aws:logs:ap-northeast-1:111122223333:*"}}),
			set: &policy.Set{Resource: parse(t, policy.KindResource, root)}, src: root,
			target: TargetKeyPolicy, principal: "delivery.logs.amazonaws.com", conditions: 2},
		{name: "no resource policy at all",
			req:    request(t, "delivery.logs.amazonaws.com", "s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/x", nil),
			set:    &policy.Set{},
			target: TargetResourcePolicy, principal: "delivery.logs.amazonaws.com"},
		{name: "same-account user gets an identity statement",
			req:    request(t, "arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/x", nil),
			set:    &policy.Set{},
			target: TargetIdentityPolicy},
		{name: "cross-account role session: the resource side names the role",
			req: request(t, "arn:aws:sts::444455556666:assumed-role/Reader/s", "kms:Decrypt", keyARN, nil),
			set: &policy.Set{Resource: parse(t, policy.KindResource, root), Identity: []*policy.Policy{parse(t, policy.KindIdentity, `{"Statement":{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}}`)}}, src: root,
			target: TargetKeyPolicy, principal: "arn:aws:iam::444455556666:role/Reader"},
		{name: "explicit deny is not fixed by an allow",
			req:       request(t, "delivery.logs.amazonaws.com", "kms:GenerateDataKey", keyARN, nil),
			set:       &policy.Set{Resource: parse(t, policy.KindResource, `{"Statement":{"Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*"}}`)},
			unfixable: "explicit Deny"},
		{name: "anonymous gets no public access",
			req:       request(t, "anonymous", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/x", nil),
			set:       &policy.Set{},
			unfixable: "anonymous"},
		{name: "an SCP gap is not fixed by an allow",
			req:       request(t, "arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/x", nil),
			set:       &policy.Set{SCPs: []policy.OrgLevel{{ID: "r", Policies: []*policy.Policy{parse(t, policy.KindSCP, `{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}`)}}}},
			unfixable: "SCP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.req.ResourceAccount == "" {
				tt.req.ResourceAccount = "111122223333"
			}
			f, err := ForImplicitDeny(tt.req, tt.set, []byte(tt.src))
			if tt.unfixable != "" {
				var u *Unfixable
				if !errors.As(err, &u) || !strings.Contains(u.Reason, tt.unfixable) {
					t.Fatalf("err = %v, want Unfixable about %q", err, tt.unfixable)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Target != tt.target {
				t.Errorf("target %q, want %q", f.Target, tt.target)
			}
			var got string
			for _, v := range f.Statement.Principal {
				got = v
			}
			if got != tt.principal {
				t.Errorf("principal %q, want %q", got, tt.principal)
			}
			n := 0
			for _, m := range f.Statement.Condition {
				n += len(m)
			}
			if n != tt.conditions {
				t.Errorf("%d conditions, want %d: %+v", n, tt.conditions, f.Statement.Condition)
			}
			// Prove it independently: apply and evaluate.
			fixed := *tt.set
			if f.Target == TargetIdentityPolicy {
				fixed.Identity = append(fixed.Identity, parse(t, policy.KindIdentity, string(f.Policy)))
			} else {
				fixed.Resource = parse(t, policy.KindResource, string(f.Policy))
			}
			if res := policy.Evaluate(tt.req, &fixed); res.Decision != policy.Allowed {
				t.Errorf("with the fix: %v", res.Decision)
			}
		})
	}
}
