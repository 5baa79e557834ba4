package policy

import (
	"errors"
	"strings"
	"testing"
)

// Every form of every element that the IAM JSON policy grammar allows.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
func TestParseAcceptsEveryForm(t *testing.T) {
	tests := []struct {
		name  string
		kind  Kind
		doc   string
		check func(t *testing.T, p *Policy)
	}{
		{"statement as object", KindIdentity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`,
			func(t *testing.T, p *Policy) {
				if len(p.Statements) != 1 || p.Statements[0].Effect != Allow {
					t.Fatalf("statements = %+v", p.Statements)
				}
			}},
		{"statement as array, version 2008, no Sid", KindIdentity,
			`{"Version":"2008-10-17","Statement":[{"Effect":"Deny","Action":["s3:*","kms:*"],"Resource":["*"]}]}`,
			func(t *testing.T, p *Policy) {
				if p.Version != Version2008 || len(p.Statements[0].Actions) != 2 {
					t.Fatalf("got %+v", p)
				}
			}},
		{"version absent, Id present", KindIdentity,
			`{"Id":"x","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			func(t *testing.T, p *Policy) {
				if p.Version != "" || p.ID != "x" {
					t.Fatalf("got %+v", p)
				}
			}},
		{"key policy Sid with spaces, principal string star", KindResource,
			`{"Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}]}`,
			func(t *testing.T, p *Policy) {
				s := p.Statements[0]
				if s.Sid != "Enable IAM User Permissions" || !s.Principal.Wildcard {
					t.Fatalf("got %+v", s)
				}
			}},
		{"principal map of every type, string or list", KindResource,
			`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:role/r"],"Service":"delivery.logs.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`,
			func(t *testing.T, p *Policy) {
				if n := len(p.Statements[0].Principal.Entries); n != 5 {
					t.Fatalf("entries = %d, want 5", n)
				}
			}},
		{"NotPrincipal, NotAction, NotResource", KindResource,
			`{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"NotAction":"s3:GetObject","NotResource":"arn:aws:s3:::amzn-s3-demo-bucket/public/*"}]}`,
			func(t *testing.T, p *Policy) {
				s := p.Statements[0]
				if s.NotPrincipal == nil || !s.NotAction || !s.NotResource {
					t.Fatalf("got %+v", s)
				}
			}},
		{"condition values: string, number, bool, list", KindIdentity,
			`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true},"StringEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}}]}`,
			func(t *testing.T, p *Policy) {
				got := map[string][]string{}
				for _, c := range p.Statements[0].Conditions {
					got[c.Key] = c.Values
				}
				if got["s3:max-keys"][0] != "10" || got["aws:SecureTransport"][0] != "true" || len(got["aws:SourceVpce"]) != 2 {
					t.Fatalf("conditions = %v", got)
				}
			}},
		{"trust policy without Resource", KindResource,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			func(t *testing.T, p *Policy) {
				if p.Statements[0].HasResource {
					t.Fatal("HasResource set")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.doc), Options{Name: "p.json", Kind: tt.kind})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, p)
		})
	}
}

// What AWS rejects, with the JSON path and position of the culprit.
func TestParseRejectsWhatAWSRejects(t *testing.T) {
	tests := []struct {
		name     string
		kind     Kind
		doc      string
		path     string
		line     int
		column   int
		contains string
	}{
		{"Action with NotAction", KindIdentity,
			"{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\n \"NotAction\":\"s3:Get*\",\"Resource\":\"*\"}]}",
			"$.Statement[0].NotAction", 2, 14, "both Action and NotAction"},
		{"Principal with NotPrincipal", KindResource,
			`{"Statement":[{"Effect":"Deny","Principal":"*","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}]}`,
			"$.Statement[0].NotPrincipal", 1, 63, "both Principal and NotPrincipal"},
		{"unknown Effect", KindIdentity,
			"{\n  \"Statement\": [\n    {\"Effect\": \"Alow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}",
			"$.Statement[0].Effect", 3, 16, `unknown Effect "Alow"`},
		{"Effect in lower case", KindIdentity,
			`{"Statement":{"Effect":"allow","Action":"s3:*","Resource":"*"}}`,
			"$.Statement.Effect", 1, 24, "unknown Effect"},
		{"unknown element, case hint", KindIdentity,
			`{"Statement":[{"effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
			"$.Statement[0].effect", 1, 25, `did you mean "Effect"`},
		{"unknown top-level element", KindIdentity,
			`{"Version":"2012-10-17","Statements":[]}`,
			"$.Statements", 1, 38, `unknown policy element "Statements"`},
		{"unknown condition operator", KindIdentity,
			`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqual":{"aws:SourceAccount":"111122223333"}}}]}`,
			"$.Statement[0].Condition.StringEqual", 1, 91, `unknown condition operator "StringEqual"`},
		{"operator in wrong case", KindIdentity,
			`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"stringequals":{"aws:SourceAccount":"1"}}}]}`,
			"$.Statement[0].Condition.stringequals", 1, 92, `did you mean "StringEquals"`},
		{"NullIfExists", KindIdentity,
			`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:SourceAccount":"true"}}}]}`,
			"$.Statement[0].Condition.NullIfExists", 1, 92, "Null cannot take the IfExists suffix"},
		{"unknown set operator", KindIdentity,
			`{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForEachValue:StringLike":{"aws:TagKeys":"a"}}}]}`,
			"$.Statement[0].Condition.ForEachValue:StringLike", 1, 103, "unknown condition set operator"},
		{"empty statement", KindIdentity,
			`{"Statement":[{}]}`, "$.Statement[0]", 1, 15, "empty statement"},
		{"empty statement list", KindIdentity,
			`{"Statement":[]}`, "$.Statement", 1, 14, "Statement list is empty"},
		{"no statement", KindIdentity,
			`{"Version":"2012-10-17"}`, "$", 1, 1, "no Statement"},
		{"bad version", KindIdentity,
			`{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
			"$.Version", 1, 12, "Version must be"},
		{"Principal in an identity policy", KindIdentity,
			`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`,
			"$.Statement.Principal", 1, 44, "not allowed in an identity policy"},
		{"resource policy without Principal", KindResource,
			`{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}`,
			"$.Statement", 1, 14, "needs a Principal"},
		{"identity policy without Resource", KindIdentity,
			`{"Statement":{"Effect":"Allow","Action":"kms:*"}}`,
			"$.Statement", 1, 14, "no Resource"},
		{"statement without Action", KindResource,
			`{"Statement":{"Effect":"Allow","Principal":"*","Resource":"*"}}`,
			"$.Statement", 1, 14, "no Action or NotAction"},
		{"action without service prefix", KindIdentity,
			`{"Statement":{"Effect":"Allow","Action":["s3:GetObject","GetObject"],"Resource":"*"}}`,
			"$.Statement.Action[1]", 1, 57, "service:Action"},
		{"Principal string other than star", KindResource,
			`{"Statement":{"Effect":"Allow","Principal":"111122223333","Action":"*","Resource":"*"}}`,
			"$.Statement.Principal", 1, 44, `must be "*"`},
		{"unknown principal type", KindResource,
			`{"Statement":{"Effect":"Allow","Principal":{"Services":"logs.amazonaws.com"},"Action":"*","Resource":"*"}}`,
			"$.Statement.Principal.Services", 1, 56, "unknown principal type"},
		{"condition value an object", KindIdentity,
			`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":{"a":1}}}}}`,
			"$.Statement.Condition.StringEquals.k", 1, 93, "must be a string, number or boolean"},
		{"duplicate element", KindIdentity,
			`{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}`,
			"$.Statement.Effect", 1, 41, "duplicate element"},
		{"invalid JSON", KindIdentity,
			"{\"Statement\": [\n  {\"Effect\": \"Allow\",}\n]}", "", 2, 22, "invalid JSON"},
		{"not an object", KindIdentity, `[1]`, "$", 1, 1, "must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), Options{Name: "p.json", Kind: tt.kind})
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if pe.Path != tt.path || pe.Pos.Line != tt.line || pe.Pos.Column != tt.column {
				t.Errorf("at %s %d:%d, want %s %d:%d (%v)", pe.Path, pe.Pos.Line, pe.Pos.Column, tt.path, tt.line, tt.column, err)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q does not contain %q", err, tt.contains)
			}
			if !strings.HasPrefix(err.Error(), "p.json:") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

func TestParseWarnings(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		doc  string
		code string
		path string
	}{
		// KMS rejects ForAllValues on kms:EncryptionContext:<key>, a
		// single-valued key.
		// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
		{"set operator on single-valued key", KindResource,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"ForAllValues:StringLike":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::amzn-s3-demo-bucket/*"}}}}`,
			"set-operator-single-valued-key", "$.Statement.Condition.ForAllValues:StringLike.kms:EncryptionContext:aws:s3:arn"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
		{"ForAllValues with Allow", KindIdentity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}}}`,
			"forallvalues-allow", "$.Statement.Condition.ForAllValues:StringEquals.aws:TagKeys"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
		{"variables without version", KindIdentity,
			`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*"}}`,
			"variables-without-version", "$"},
		{"variables under 2008-10-17", KindIdentity,
			`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*"}}`,
			"variables-without-version", "$.Version"},
		{"public allow", KindResource,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}}`,
			"allow-public", "$.Statement.Principal"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
		{"NotPrincipal with Allow", KindResource,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}}`,
			"notprincipal-allow", "$.Statement.NotPrincipal"},
		{"partial wildcard principal", KindResource,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"s3:GetObject","Resource":"*"}}`,
			"principal-never-matches", "$.Statement.Principal.AWS"},
		{"bad numeric value", KindIdentity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"ten"}}}}`,
			"condition-value-invalid", "$.Statement.Condition.NumericLessThanEquals.s3:max-keys"},
		{"resource not an ARN", KindIdentity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"amzn-s3-demo-bucket"}}`,
			"resource-not-arn", "$.Statement.Resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.doc), Options{Kind: tt.kind})
			if err != nil {
				t.Fatal(err)
			}
			// NoWarnings: the same statements and no warnings, compiled in
			// place or copied from a template; the template keeps its
			// warnings for a policy that wants them.
			arena := new(Arena)
			for i, no := range []bool{true, false, true, true, false} {
				opts := Options{Kind: tt.kind, NoWarnings: no}
				if i > 0 {
					opts.Arena = arena
				}
				q, err := Parse([]byte(tt.doc), opts)
				if err != nil {
					t.Fatal(err)
				}
				if len(q.Statements) != len(p.Statements) || (no && len(q.Warnings) != 0) || (!no && len(q.Warnings) != len(p.Warnings)) {
					t.Errorf("parse %d, NoWarnings %v: %d statements, warnings %v", i, no, len(q.Statements), q.Warnings)
				}
			}
			for _, w := range p.Warnings {
				if w.Code == tt.code {
					if w.Path != tt.path {
						t.Errorf("path = %s, want %s", w.Path, tt.path)
					}
					if w.Pos.Line < 1 {
						t.Errorf("no position: %+v", w)
					}
					return
				}
			}
			t.Errorf("no %s warning in %v", tt.code, p.Warnings)
		})
	}
}

func TestParseCleanPolicyHasNoWarnings(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
	  {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
	  {"Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*",
	   "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"aws:s3:arn"}}}]}`
	p, err := Parse([]byte(doc), Options{Kind: KindResource})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings = %v", p.Warnings)
	}
}

// Positions of policies embedded in a larger file point into that file.
func TestParseBasePosition(t *testing.T) {
	doc := "{\"Statement\":\n {\"Effect\":\"Alow\",\"Action\":\"*\",\"Resource\":\"*\"}}"
	_, err := Parse([]byte(doc), Options{Name: "cases.json", Base: Position{Line: 10, Column: 5, Offset: 300}, Path: "$[2].identityPolicies[0]"})
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatal(err)
	}
	if pe.Pos.Line != 11 || pe.Pos.Column != 12 || pe.Path != "$[2].identityPolicies[0].Statement.Effect" {
		t.Errorf("got %s %d:%d", pe.Path, pe.Pos.Line, pe.Pos.Column)
	}
	doc = "{\"Statement\":{\"Effect\":\"Alow\",\"Action\":\"*\",\"Resource\":\"*\"}}"
	_, err = Parse([]byte(doc), Options{Base: Position{Line: 10, Column: 5}})
	if !errors.As(err, &pe) || pe.Pos.Line != 10 || pe.Pos.Column != 5+23 {
		t.Errorf("first-line column not offset: %v", err)
	}
}

func TestStatementPosition(t *testing.T) {
	doc := "{\n  \"Statement\": [\n    {\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},\n    {\"Sid\":\"Two\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}\n  ]\n}"
	p, err := Parse([]byte(doc), Options{Kind: KindIdentity})
	if err != nil {
		t.Fatal(err)
	}
	if pos := p.Statements[1].Position(); pos.Line != 4 || pos.Column != 5 {
		t.Errorf("position = %v", pos)
	}
	if got := p.Statements[1].Label(); got != `"Two"` {
		t.Errorf("label = %s", got)
	}
	if got := p.Statements[0].Label(); got != "#0" {
		t.Errorf("label = %s", got)
	}
}
