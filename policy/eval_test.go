package policy

import (
	"strings"
	"testing"
)

const (
	keyARN     = "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	bucketObj  = "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/network-firewall/flow/x.log.gz"
	rootStmt   = `{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`
	deliveryOK = `{"Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*"}`
)

func mustParse(t testing.TB, kind Kind, doc string) *Policy {
	t.Helper()
	p, err := Parse([]byte(doc), Options{Name: "test", Kind: kind})
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, doc)
	}
	return p
}

func keyPolicy(t testing.TB, stmts ...string) *Policy {
	return mustParse(t, KindResource, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`)
}

func identity(t testing.TB, stmts ...string) *Policy {
	return mustParse(t, KindIdentity, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`)
}

func mustRequest(t testing.TB, principal, action, resource string, ctx map[string][]string) *Request {
	t.Helper()
	r, err := NewRequest(principal, action, resource, ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The seed: Network Firewall logs never reach an SSE-KMS bucket whose key
// policy has only the default statement, because the log delivery service
// is a service principal and the default statement only delegates to IAM.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
func TestSeed(t *testing.T) {
	seedReq := func(sourceAccount string) *Request {
		return mustRequest(t, "delivery.logs.amazonaws.com", "kms:GenerateDataKey", keyARN,
			map[string][]string{"aws:SourceAccount": {sourceAccount}})
	}
	t.Run("root statement only denies delivery", func(t *testing.T) {
		res := Evaluate(seedReq("111122223333"), &Set{Resource: keyPolicy(t, rootStmt)})
		if res.Decision != ImplicitlyDenied || res.Gap != GapKeyPolicy {
			t.Fatalf("got %v %v", res.Decision, res.Gap)
		}
	})
	t.Run("delivery statement allows", func(t *testing.T) {
		res := Evaluate(seedReq("111122223333"), &Set{Resource: keyPolicy(t, rootStmt, deliveryOK)})
		if res.Decision != Allowed {
			t.Fatalf("got %v", res.Decision)
		}
		if d := res.Deciding(); len(d) != 1 || d[0].Statement.Index != 1 || d[0].Type != ResourcePolicy {
			t.Fatalf("deciding = %+v", d)
		}
	})
	deny := `{"Sid":"DenyOtherAccounts","Effect":"Deny","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}}`
	t.Run("StringNotEquals SourceAccount deny blocks another account", func(t *testing.T) {
		res := Evaluate(seedReq("444455556666"), &Set{Resource: keyPolicy(t, rootStmt, deliveryOK, deny)})
		if res.Decision != ExplicitlyDenied || res.Deciding()[0].Statement.Sid != "DenyOtherAccounts" {
			t.Fatalf("got %v %+v", res.Decision, res.Deciding())
		}
	})
	t.Run("the same deny lets the own account through", func(t *testing.T) {
		res := Evaluate(seedReq("111122223333"), &Set{Resource: keyPolicy(t, rootStmt, deliveryOK, deny)})
		if res.Decision != Allowed {
			t.Fatalf("got %v", res.Decision)
		}
	})
	t.Run("the deny also blocks a request without SourceAccount", func(t *testing.T) {
		req := mustRequest(t, "delivery.logs.amazonaws.com", "kms:GenerateDataKey", keyARN, nil)
		res := Evaluate(req, &Set{Resource: keyPolicy(t, rootStmt, deliveryOK, deny)})
		if res.Decision != ExplicitlyDenied {
			t.Fatalf("got %v", res.Decision)
		}
	})
}

type evalCase struct {
	name      string
	principal string
	action    string
	resource  string
	ctx       map[string][]string
	set       func(t *testing.T) *Set
	resAcct   string
	want      Decision
	gap       Gap
}

func runEvalCases(t *testing.T, cases []evalCase) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			action, resource := tt.action, tt.resource
			if action == "" {
				action = "s3:GetObject"
			}
			if resource == "" {
				resource = "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"
			}
			req := mustRequest(t, tt.principal, action, resource, tt.ctx)
			if tt.resAcct != "" {
				req.ResourceAccount = tt.resAcct
			} else if req.ResourceAccount == "" {
				req.ResourceAccount = "111122223333"
			}
			res := Evaluate(req, tt.set(t))
			if res.Decision != tt.want || (tt.want == ImplicitlyDenied && tt.gap != NoGap && res.Gap != tt.gap) {
				t.Errorf("got %v (%v), want %v (%v)", res.Decision, res.Gap, tt.want, tt.gap)
			}
		})
	}
}

const (
	alice      = "arn:aws:iam::111122223333:user/alice"
	session    = "arn:aws:sts::111122223333:assumed-role/LogReader/alice-session"
	roleARN    = "arn:aws:iam::111122223333:role/LogReader"
	otherUser  = "arn:aws:iam::444455556666:user/bob"
	allowGet   = `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`
	bucketRoot = `{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}`
)

func bucketPolicy(t *testing.T, principal string) *Policy {
	return keyPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+principal+`"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}`)
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
func TestEvaluationLogic(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "nothing allows", principal: alice, set: func(t *testing.T) *Set { return &Set{} }, want: ImplicitlyDenied, gap: GapNoAllow},
		{name: "same account: identity allow alone", principal: alice,
			set: func(t *testing.T) *Set { return &Set{Identity: []*Policy{identity(t, allowGet)}} }, want: Allowed},
		{name: "same account: resource allow naming the user alone", principal: alice,
			set: func(t *testing.T) *Set { return &Set{Resource: bucketPolicy(t, alice)} }, want: Allowed},
		{name: "same account: resource allow naming the account delegates", principal: alice,
			set: func(t *testing.T) *Set { return &Set{Resource: keyPolicy(t, bucketRoot)} }, want: ImplicitlyDenied, gap: GapIdentity},
		{name: "same account: root user has full access", principal: "111122223333",
			set: func(t *testing.T) *Set { return &Set{} }, want: Allowed},
		{name: "explicit deny in identity policy wins over resource allow", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{Resource: bucketPolicy(t, alice), Identity: []*Policy{identity(t, `{"Effect":"Deny","Action":"s3:*","Resource":"*"}`)}}
			}, want: ExplicitlyDenied},
		{name: "explicit deny in resource policy wins over identity allow", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, allowGet)}, Resource: keyPolicy(t, `{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}`)}
			}, want: ExplicitlyDenied},
		{name: "explicit deny denies even the root user", principal: "111122223333",
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, `{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}`)}
			}, want: ExplicitlyDenied},
		{name: "cross account: resource allow alone is not enough", principal: otherUser,
			set: func(t *testing.T) *Set { return &Set{Resource: bucketPolicy(t, otherUser)} }, want: ImplicitlyDenied, gap: GapIdentity},
		{name: "cross account: identity allow alone is not enough", principal: otherUser,
			set: func(t *testing.T) *Set { return &Set{Identity: []*Policy{identity(t, allowGet)}} }, want: ImplicitlyDenied, gap: GapResourcePolicy},
		{name: "cross account: both sides allow", principal: otherUser,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, allowGet)}, Resource: bucketPolicy(t, "444455556666")}
			}, want: Allowed},
		{name: "cross account: other account's root", principal: "444455556666",
			set: func(t *testing.T) *Set { return &Set{Resource: bucketPolicy(t, "444455556666")} }, want: Allowed},
		{name: "role ARN in resource policy matches its session", principal: session,
			set: func(t *testing.T) *Set { return &Set{Resource: bucketPolicy(t, roleARN)} }, want: Allowed},
		{name: "role ARN grant is limited by the boundary", principal: session,
			set: func(t *testing.T) *Set {
				return &Set{Resource: bucketPolicy(t, roleARN), Boundary: []*Policy{identity(t, `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`)}}
			}, want: ImplicitlyDenied, gap: GapBoundary},
		{name: "session ARN grant is not limited by the boundary", principal: session,
			set: func(t *testing.T) *Set {
				return &Set{Resource: bucketPolicy(t, session), Boundary: []*Policy{identity(t, `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`)}}
			}, want: Allowed},
		{name: "role ARN grant is limited by the session policy", principal: session,
			set: func(t *testing.T) *Set {
				return &Set{Resource: bucketPolicy(t, roleARN), Session: identity(t, `{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`)}
			}, want: ImplicitlyDenied, gap: GapSessionPolicy},
		{name: "identity allow outside the boundary", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, allowGet)}, Boundary: []*Policy{identity(t, `{"Effect":"Allow","Action":"ec2:*","Resource":"*"}`)}}
			}, want: ImplicitlyDenied, gap: GapBoundary},
		{name: "identity allow inside the boundary", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, allowGet)}, Boundary: []*Policy{identity(t, `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`)}}
			}, want: Allowed},
		{name: "user ARN grant in resource policy is not limited by the boundary", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{Resource: bucketPolicy(t, alice), Boundary: []*Policy{identity(t, `{"Effect":"Allow","Action":"ec2:*","Resource":"*"}`)}}
			}, want: Allowed},
		{name: "anonymous is allowed only by Principal *", principal: "anonymous",
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`)}
			}, want: Allowed},
		{name: "anonymous is not an account principal", principal: "anonymous",
			set: func(t *testing.T) *Set { return &Set{Resource: keyPolicy(t, bucketRoot)} }, want: ImplicitlyDenied, gap: GapResourcePolicy},
		{name: "AWS * matches a service principal", principal: "delivery.logs.amazonaws.com", action: "s3:PutObject",
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:PutObject","Resource":"*"}`)}
			}, want: Allowed},
		{name: "service principal ignores identity policies", principal: "delivery.logs.amazonaws.com", action: "s3:PutObject",
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, `{"Effect":"Allow","Action":"*","Resource":"*"}`)}}
			}, want: ImplicitlyDenied, gap: GapResourcePolicy},
	})
}

// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
func TestOrganizationPolicies(t *testing.T) {
	fullAccess := `{"Effect":"Allow","Action":"*","Resource":"*"}`
	rcpFull := `{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}`
	rcpDenyOutside := `{"Effect":"Deny","Principal":"*","Action":["s3:*","kms:*"],"Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-exampleorgid"}}}`
	rcpDenyOutsideExempt := `{"Effect":"Deny","Principal":"*","Action":["s3:*","kms:*"],"Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-exampleorgid"},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}`
	level := func(t *testing.T, kind Kind, id string, stmts ...string) OrgLevel {
		return OrgLevel{ID: id, Policies: []*Policy{mustParse(t, kind, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`)}}
	}
	runEvalCases(t, []evalCase{
		{name: "SCP must allow at every level", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, allowGet)}, SCPs: []OrgLevel{level(t, KindSCP, "r-examplerootid", fullAccess), level(t, KindSCP, "ou-1", `{"Effect":"Allow","Action":"ec2:*","Resource":"*"}`)}}
			}, want: ImplicitlyDenied, gap: GapSCP},
		{name: "SCP allowing at every level", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, allowGet)}, SCPs: []OrgLevel{level(t, KindSCP, "r-examplerootid", fullAccess), level(t, KindSCP, "ou-1", fullAccess)}}
			}, want: Allowed},
		{name: "SCP allow does not grant", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{SCPs: []OrgLevel{level(t, KindSCP, "r-examplerootid", fullAccess)}}
			},
			want: ImplicitlyDenied, gap: GapNoAllow},
		{name: "SCP deny", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, allowGet)}, SCPs: []OrgLevel{level(t, KindSCP, "r-examplerootid", fullAccess, `{"Effect":"Deny","Action":"s3:*","Resource":"*"}`)}}
			}, want: ExplicitlyDenied},
		{name: "SCPs do not apply to service principals", principal: "delivery.logs.amazonaws.com", action: "kms:GenerateDataKey", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, deliveryOK), SCPs: []OrgLevel{level(t, KindSCP, "r-examplerootid", `{"Effect":"Deny","Action":"*","Resource":"*"}`)}}
			}, want: Allowed},
		{name: "RCP deny outside the org blocks the delivery service", principal: "delivery.logs.amazonaws.com", action: "kms:GenerateDataKey", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, deliveryOK), RCPs: []OrgLevel{level(t, KindRCP, "r-examplerootid", rcpFull, rcpDenyOutside)}}
			}, want: ExplicitlyDenied},
		{name: "RCP with the PrincipalIsAWSService exemption lets it through", principal: "delivery.logs.amazonaws.com", action: "kms:GenerateDataKey", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, deliveryOK), RCPs: []OrgLevel{level(t, KindRCP, "r-examplerootid", rcpFull, rcpDenyOutsideExempt)}}
			}, want: Allowed},
		{name: "RCP without an allow denies", principal: "delivery.logs.amazonaws.com", action: "kms:GenerateDataKey", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, deliveryOK), RCPs: []OrgLevel{level(t, KindRCP, "r-examplerootid", `{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`)}}
			}, want: ImplicitlyDenied, gap: GapRCP},
	})
}

// The key policy is authoritative: IAM policies count only when the key
// policy delegates to the account.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
// https://docs.aws.amazon.com/kms/latest/developerguide/policy-evaluation.html
func TestKMSKeyPolicyIsAuthoritative(t *testing.T) {
	kmsAllow := `{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}`
	runEvalCases(t, []evalCase{
		{name: "IAM allow without delegation does nothing", principal: alice, action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, kmsAllow)}, Resource: keyPolicy(t, deliveryOK)}
			}, want: ImplicitlyDenied, gap: GapKeyPolicy},
		{name: "IAM allow with delegation works", principal: alice, action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, kmsAllow)}, Resource: keyPolicy(t, rootStmt)}
			}, want: Allowed},
		{name: "delegation without IAM allow", principal: alice, action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set { return &Set{Resource: keyPolicy(t, rootStmt)} }, want: ImplicitlyDenied, gap: GapIdentity},
		{name: "root user needs the key policy", principal: "111122223333", action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set { return &Set{Resource: keyPolicy(t, deliveryOK)} }, want: ImplicitlyDenied, gap: GapKeyPolicy},
		{name: "root user with the default key policy", principal: "111122223333", action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set { return &Set{Resource: keyPolicy(t, rootStmt)} }, want: Allowed},
		{name: "key policy naming the user allows alone", principal: alice, action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, `{"Effect":"Allow","Principal":{"AWS":"`+alice+`"},"Action":"kms:Decrypt","Resource":"*"}`)}
			}, want: Allowed},
		{name: "cross-account key use needs both", principal: otherUser, action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, rootStmt, `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Decrypt","Resource":"*"}`)}
			}, want: ImplicitlyDenied, gap: GapIdentity},
		{name: "cross-account key use with both", principal: otherUser, action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{identity(t, `{"Effect":"Allow","Action":"kms:Decrypt","Resource":"`+keyARN+`"}`)},
					Resource: keyPolicy(t, rootStmt, `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Decrypt","Resource":"*"}`)}
			}, want: Allowed},
		{name: "aws/s3 managed key never allows a service principal", principal: "delivery.logs.amazonaws.com", action: "kms:GenerateDataKey", resource: keyARN,
			ctx: map[string][]string{"kms:ViaService": {"s3.ap-northeast-1.amazonaws.com"}},
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, `{"Sid":"Allow access through S3 for all principals in the account that are authorized to use S3","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333","kms:ViaService":"s3.ap-northeast-1.amazonaws.com"}}}`, `{"Sid":"Allow direct access to key metadata to the account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:Describe*","kms:Get*","kms:List*"],"Resource":"*"}`)}
			}, want: ImplicitlyDenied, gap: GapKeyPolicy},
		{name: "encryption context condition on the object ARN", principal: "delivery.logs.amazonaws.com", action: "kms:GenerateDataKey", resource: keyARN,
			ctx: map[string][]string{"kms:EncryptionContext:aws:s3:arn": {bucketObj}},
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, `{"Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::amzn-s3-demo-bucket/*"}}}`)}
			}, want: Allowed},
		{name: "bucket-key context is the bucket ARN, not an object", principal: "delivery.logs.amazonaws.com", action: "kms:GenerateDataKey", resource: keyARN,
			ctx: map[string][]string{"kms:EncryptionContext:aws:s3:arn": {"arn:aws:s3:::amzn-s3-demo-bucket"}},
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, `{"Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::amzn-s3-demo-bucket/*"}}}`)}
			}, want: ImplicitlyDenied, gap: GapKeyPolicy},
	})
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func TestPrincipals(t *testing.T) {
	denyExcept := func(listed ...string) string {
		return `{"Effect":"Deny","NotPrincipal":{"AWS":["` + strings.Join(listed, `","`) + `"]},"Action":"s3:GetObject","Resource":"*"}`
	}
	allowAll := `{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}`
	runEvalCases(t, []evalCase{
		{name: "account ID equals its root ARN", principal: "111122223333",
			set: func(t *testing.T) *Set { return &Set{Resource: bucketPolicy(t, "arn:aws:iam::111122223333:root")} }, want: Allowed},
		{name: "session ARN named directly", principal: session,
			set: func(t *testing.T) *Set { return &Set{Resource: bucketPolicy(t, session)} }, want: Allowed},
		{name: "another session of the role is not the named session", principal: "arn:aws:sts::111122223333:assumed-role/LogReader/bob",
			set: func(t *testing.T) *Set { return &Set{Resource: bucketPolicy(t, session)} }, want: ImplicitlyDenied},
		{name: "role ARN with a path matches its session", principal: session,
			set: func(t *testing.T) *Set {
				return &Set{Resource: bucketPolicy(t, "arn:aws:iam::111122223333:role/team/LogReader")}
			}, want: Allowed},
		{name: "role of another account does not match", principal: session,
			set: func(t *testing.T) *Set {
				return &Set{Resource: bucketPolicy(t, "arn:aws:iam::444455556666:role/LogReader")}
			}, want: ImplicitlyDenied},
		{name: "service principal names are case-insensitive", principal: "delivery.logs.amazonaws.com", action: "s3:PutObject",
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, `{"Effect":"Allow","Principal":{"Service":"Delivery.Logs.AmazonAWS.com"},"Action":"s3:PutObject","Resource":"*"}`)}
			}, want: Allowed},
		{name: "regional service principal is a different principal", principal: "logs.ap-northeast-1.amazonaws.com", action: "kms:Encrypt", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, `{"Effect":"Allow","Principal":{"Service":"logs.amazonaws.com"},"Action":"kms:Encrypt*","Resource":"*"}`)}
			}, want: ImplicitlyDenied},
		{name: "NotPrincipal deny listing the session only still denies it", principal: session,
			set: func(t *testing.T) *Set { return &Set{Resource: keyPolicy(t, allowAll, denyExcept(session))} }, want: ExplicitlyDenied},
		{name: "NotPrincipal deny listing session, role and account exempts it", principal: session,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, allowAll, denyExcept(session, roleARN, "arn:aws:iam::111122223333:root")), Identity: []*Policy{identity(t, allowGet)}}
			}, want: Allowed},
		{name: "NotPrincipal deny listing user and account exempts the user", principal: alice,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, denyExcept(alice, "111122223333")), Identity: []*Policy{identity(t, allowGet)}}
			}, want: Allowed},
		{name: "NotPrincipal deny hits everyone else", principal: "arn:aws:iam::111122223333:user/carol",
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, denyExcept(alice, "111122223333")), Identity: []*Policy{identity(t, allowGet)}}
			}, want: ExplicitlyDenied},
	})
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
func TestActionsAndResources(t *testing.T) {
	pol := func(stmt string) func(t *testing.T) *Set {
		return func(t *testing.T) *Set { return &Set{Identity: []*Policy{identity(t, stmt)}} }
	}
	runEvalCases(t, []evalCase{
		{name: "action is case-insensitive", principal: alice, action: "S3:getobject", set: pol(allowGet), want: Allowed},
		{name: "action wildcard", principal: alice, action: "kms:GenerateDataKeyWithoutPlaintext", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, rootStmt), Identity: []*Policy{identity(t, `{"Effect":"Allow","Action":"kms:GenerateDataKey*","Resource":"*"}`)}}
			}, want: Allowed},
		{name: "action question mark", principal: alice, action: "s3:GetObject", set: pol(`{"Effect":"Allow","Action":"s3:?etObject","Resource":"*"}`), want: Allowed},
		{name: "action of another service", principal: alice, action: "s3:GetObject", set: pol(`{"Effect":"Allow","Action":"s3control:*","Resource":"*"}`), want: ImplicitlyDenied},
		{name: "NotAction allow", principal: alice, action: "s3:GetObject", set: pol(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`), want: Allowed},
		{name: "NotAction allow excludes listed", principal: alice, action: "s3:GetObject", set: pol(`{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}`), want: ImplicitlyDenied},
		{name: "resource star spans slashes", principal: alice, resource: "arn:aws:s3:::amzn-s3-demo-bucket/a/b/c.txt",
			set: pol(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}`), want: Allowed},
		{name: "bucket ARN is not its objects", principal: alice, resource: "arn:aws:s3:::amzn-s3-demo-bucket/x",
			set: pol(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket"}`), want: ImplicitlyDenied},
		{name: "resource is case-sensitive", principal: alice, resource: "arn:aws:s3:::amzn-s3-demo-bucket/X",
			set: pol(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/x"}`), want: ImplicitlyDenied},
		{name: "wildcard region and account segments", principal: alice, action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, rootStmt), Identity: []*Policy{identity(t, `{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*:*:key/*"}`)}}
			}, want: Allowed},
		{name: "resource wildcard does not cross a segment", principal: alice, action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, rootStmt), Identity: []*Policy{identity(t, `{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*:key/*"}`)}}
			}, want: ImplicitlyDenied},
		{name: "NotResource deny spares the listed resource", principal: alice, resource: "arn:aws:s3:::amzn-s3-demo-bucket/public/x",
			set: pol(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","NotResource":"arn:aws:s3:::amzn-s3-demo-bucket/public/*"}`), want: Allowed},
		{name: "NotResource deny hits others", principal: alice, resource: "arn:aws:s3:::amzn-s3-demo-bucket/private/x",
			set: pol(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","NotResource":"arn:aws:s3:::amzn-s3-demo-bucket/public/*"}`), want: ExplicitlyDenied},
		{name: "variable in Resource", principal: alice, resource: "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/x", ctx: one("aws:username", "alice"),
			set: pol(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*"}`), want: Allowed},
		{name: "variable in Resource, other user", principal: alice, resource: "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/x", ctx: one("aws:username", "alice"),
			set: pol(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*"}`), want: ImplicitlyDenied},
		{name: "variable in account segment", principal: alice, action: "kms:Decrypt", resource: keyARN,
			set: func(t *testing.T) *Set {
				return &Set{Resource: keyPolicy(t, rootStmt), Identity: []*Policy{identity(t, `{"Effect":"Allow","Action":"kms:Decrypt","Resource":"arn:aws:kms:*:${aws:PrincipalAccount}:key/*"}`)}}
			}, want: Allowed},
	})
}

func TestExplainNamesTheMismatch(t *testing.T) {
	req := mustRequest(t, "delivery.logs.amazonaws.com", "kms:GenerateDataKey", keyARN, map[string][]string{"aws:SourceAccount": {"444455556666"}})
	set := &Set{
		Resource: keyPolicy(t, rootStmt,
			`{"Sid":"Logs","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}`,
			`{"Sid":"Decrypt","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*"}`),
		SCPs: []OrgLevel{{ID: "r-examplerootid", Policies: []*Policy{mustParse(t, KindSCP, `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)}}},
	}
	ex := Explain(req, set)
	if ex.Result.Decision != ImplicitlyDenied {
		t.Fatalf("decision %v", ex.Result.Decision)
	}
	want := map[string]string{
		`"Enable IAM User Permissions"`: "Principal [AWS:arn:aws:iam::111122223333:root] does not name service principal delivery.logs.amazonaws.com",
		`"Logs"`:                        `Condition StringEquals aws:SourceAccount "111122223333": the request has "444455556666"`,
		`"Decrypt"`:                     `Action "kms:Decrypt" does not match "kms:GenerateDataKey"`,
	}
	var sawSCP bool
	for _, pt := range ex.Policies {
		if pt.Type == SCP {
			sawSCP = true
			if !strings.Contains(pt.Skipped, "SCPs do not apply") {
				t.Errorf("SCP skipped = %q", pt.Skipped)
			}
			continue
		}
		for _, st := range pt.Statements {
			if w, ok := want[st.Statement.Label()]; ok && st.Mismatch != w {
				t.Errorf("%s: mismatch %q, want %q", st.Statement.Label(), st.Mismatch, w)
			}
		}
	}
	if !sawSCP {
		t.Error("no SCP trace")
	}
}

// Context keys that differ only in case are one key, also when one of them
// is not ASCII and lower-cases to ASCII (U+212A KELVIN SIGN is "k"), as
// strings.ToLower sees them.
func TestContextKeysEqualUnderToLower(t *testing.T) {
	for _, keys := range [][2]string{{"aws:Key", "aws:key"}, {"aws:\u212Aey", "aws:Key"}, {"aws:KEY", "aws:\u212Aey"}} {
		_, err := NewRequest("anonymous", "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{keys[0]: {"1"}, keys[1]: {"2"}})
		if err == nil || !strings.Contains(err.Error(), "differ only in case") {
			t.Errorf("%q and %q: err = %v, want them to be the same key", keys[0], keys[1], err)
		}
	}
	req, err := NewRequest("anonymous", "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"aws:\u212Aey": {"v"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"aws:key", "AWS:KEY", "aws:\u212Aey"} {
		if v, ok := req.Context.Get(k); !ok || len(v) != 1 || v[0] != "v" {
			t.Errorf("Get(%q) = %v, %v", k, v, ok)
		}
	}
}

// A Statement built by hand rather than parsed has no compiled form: it
// applies to nothing, and evaluating or explaining it does not panic.
func TestStatementNotParsedAppliesToNothing(t *testing.T) {
	p := &Policy{Name: "by hand", Kind: KindIdentity, Statements: []Statement{{Effect: Allow, Actions: []string{"*"}, Resources: []string{"*"}, HasResource: true}}}
	p.Statements[0].policy = p
	req, err := NewRequest("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::b/k", nil)
	if err != nil {
		t.Fatal(err)
	}
	set := &Set{Identity: []*Policy{p}}
	if res := Evaluate(req, set); res.Decision != ImplicitlyDenied {
		t.Errorf("decision %s, want ImplicitlyDenied", res.Decision)
	}
	Explain(req, set)
}
