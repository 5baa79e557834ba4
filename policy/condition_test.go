package policy

import (
	"testing"
)

const testUser = "arn:aws:iam::111122223333:user/alice"

// condHolds reports whether an Allow guarded by cond lets a same-account
// user through, i.e. whether cond is true for ctx.
func condHolds(t *testing.T, version, cond string, ctx map[string][]string) bool {
	t.Helper()
	doc := `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":` + cond + `}}`
	if version != "" {
		doc = `{"Version":"` + version + `",` + doc[1:]
	}
	p, err := Parse([]byte(doc), Options{Kind: KindIdentity})
	if err != nil {
		t.Fatalf("parse %s: %v", cond, err)
	}
	req, err := NewRequest(testUser, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/k", ctx)
	if err != nil {
		t.Fatal(err)
	}
	req.ResourceAccount = "111122223333"
	return Evaluate(req, &Set{Identity: []*Policy{p}}).Decision == Allowed
}

type condCase struct {
	name string
	cond string
	ctx  map[string][]string
	want bool
}

func one(k, v string) map[string][]string { return map[string][]string{k: {v}} }

func runCondCases(t *testing.T, version string, cases []condCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if got := condHolds(t, version, tt.cond, tt.ctx); got != tt.want {
				t.Errorf("%s with %v = %v, want %v", tt.cond, tt.ctx, got, tt.want)
			}
		})
	}
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
func TestStringOperators(t *testing.T) {
	runCondCases(t, Version2012, []condCase{
		{"StringEquals match", `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`, one("aws:SourceAccount", "111122223333"), true},
		{"StringEquals no match", `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`, one("aws:SourceAccount", "444455556666"), false},
		{"StringEquals is case-sensitive", `{"StringEquals":{"aws:PrincipalTag/team":"Logs"}}`, one("aws:PrincipalTag/team", "logs"), false},
		{"key names are case-insensitive", `{"StringEquals":{"AWS:SOURCEACCOUNT":"111122223333"}}`, one("aws:SourceAccount", "111122223333"), true},
		{"StringEquals star is literal", `{"StringEquals":{"s3:prefix":"home/*"}}`, one("s3:prefix", "home/x"), false},
		{"values are ORed", `{"StringEquals":{"aws:SourceAccount":["444455556666","111122223333"]}}`, one("aws:SourceAccount", "111122223333"), true},
		{"keys are ANDed", `{"StringEquals":{"aws:SourceAccount":"111122223333","aws:SourceArn":"arn:aws:logs:us-east-1:111122223333:*"}}`, one("aws:SourceAccount", "111122223333"), false},
		{"operators are ANDed", `{"StringEquals":{"aws:SourceAccount":"111122223333"},"StringLike":{"aws:SourceArn":"arn:aws:logs:*"}}`,
			map[string][]string{"aws:SourceAccount": {"111122223333"}, "aws:SourceArn": {"arn:aws:logs:us-east-1:111122223333:x"}}, true},
		{"StringNotEquals", `{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}`, one("aws:SourceAccount", "444455556666"), true},
		{"StringNotEquals values act as AND", `{"StringNotEquals":{"aws:SourceAccount":["444455556666","111122223333"]}}`, one("aws:SourceAccount", "111122223333"), false},
		{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"LOGS"}}`, one("aws:PrincipalTag/team", "logs"), true},
		{"StringNotEqualsIgnoreCase", `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/team":"LOGS"}}`, one("aws:PrincipalTag/team", "Logs"), false},
		{"StringLike star", `{"StringLike":{"s3:prefix":"home/*"}}`, one("s3:prefix", "home/alice/docs"), true},
		{"StringLike question mark", `{"StringLike":{"s3:prefix":"log?"}}`, one("s3:prefix", "logs"), true},
		{"StringLike question mark is one character", `{"StringLike":{"s3:prefix":"log?"}}`, one("s3:prefix", "log"), false},
		{"StringLike star spans colons", `{"StringLike":{"aws:SourceArn":"arn:aws:logs:*"}}`, one("aws:SourceArn", "arn:aws:logs:us-east-1:111122223333:log-group:x"), true},
		{"StringNotLike", `{"StringNotLike":{"s3:prefix":"home/*"}}`, one("s3:prefix", "other/"), true},
		{"StringNotLike matching", `{"StringNotLike":{"s3:prefix":"home/*"}}`, one("s3:prefix", "home/x"), false},
		{"number value compared as text", `{"StringEquals":{"s3:max-keys":10}}`, one("s3:max-keys", "10"), true},
	})
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_BinaryEquals
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null
func TestTypedOperators(t *testing.T) {
	runCondCases(t, Version2012, []condCase{
		{"NumericEquals", `{"NumericEquals":{"s3:max-keys":"10"}}`, one("s3:max-keys", "10.0"), true},
		{"NumericNotEquals", `{"NumericNotEquals":{"s3:max-keys":"10"}}`, one("s3:max-keys", "10"), false},
		{"NumericLessThan", `{"NumericLessThan":{"s3:max-keys":"10"}}`, one("s3:max-keys", "9"), true},
		{"NumericLessThan equal", `{"NumericLessThan":{"s3:max-keys":"10"}}`, one("s3:max-keys", "10"), false},
		{"NumericLessThanEquals", `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, one("s3:max-keys", "10"), true},
		{"NumericGreaterThan", `{"NumericGreaterThan":{"s3:max-keys":"10"}}`, one("s3:max-keys", "11"), true},
		{"NumericGreaterThanEquals", `{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, one("s3:max-keys", "9"), false},
		{"numeric request value not a number", `{"NumericLessThan":{"s3:max-keys":"10"}}`, one("s3:max-keys", "ten"), false},
		{"DateGreaterThan ISO 8601", `{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}}`, one("aws:CurrentTime", "2026-11-29T00:00:00Z"), true},
		{"DateLessThan ISO 8601", `{"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}`, one("aws:CurrentTime", "2026-11-29T00:00:00Z"), false},
		{"Date epoch against ISO", `{"DateLessThanEquals":{"aws:EpochTime":"2020-01-01T00:00:00Z"}}`, one("aws:EpochTime", "1577836800"), true},
		{"DateEquals", `{"DateEquals":{"aws:CurrentTime":"2020-01-01"}}`, one("aws:CurrentTime", "2020-01-01T00:00:00Z"), true},
		{"DateNotEquals", `{"DateNotEquals":{"aws:CurrentTime":"2020-01-01T00:00:00+00:00"}}`, one("aws:CurrentTime", "2020-01-01T00:00:00Z"), false},
		{"DateGreaterThanEquals", `{"DateGreaterThanEquals":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"}}`, one("aws:TokenIssueTime", "2019-12-31T23:59:59Z"), false},
		{"Bool true", `{"Bool":{"aws:SecureTransport":"true"}}`, one("aws:SecureTransport", "true"), true},
		{"Bool JSON boolean", `{"Bool":{"aws:SecureTransport":false}}`, one("aws:SecureTransport", "false"), true},
		{"Bool mismatch", `{"Bool":{"aws:SecureTransport":"true"}}`, one("aws:SecureTransport", "false"), false},
		{"BinaryEquals", `{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, one("key", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="), true},
		{"BinaryEquals differs", `{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, one("key", "QmluYXJ5"), false},
		{"IpAddress in CIDR", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one("aws:SourceIp", "203.0.113.7"), true},
		{"IpAddress outside CIDR", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one("aws:SourceIp", "198.51.100.7"), false},
		{"IpAddress bare IP is /32", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, one("aws:SourceIp", "203.0.113.7"), true},
		{"IpAddress IPv6", `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, one("aws:SourceIp", "2001:db8:1234:5678::1"), true},
		{"IpAddress IPv6 outside", `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, one("aws:SourceIp", "2001:db8:1234:5679::1"), false},
		{"IpAddress IPv4 and IPv6 list", `{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:DB8:1234:5678::/64"]}}`, one("aws:SourceIp", "192.0.2.1"), true},
		{"NotIpAddress", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, one("aws:SourceIp", "198.51.100.7"), true},
		{"ArnLike per segment", `{"ArnLike":{"aws:SourceArn":"arn:aws:logs:*:111122223333:*"}}`, one("aws:SourceArn", "arn:aws:logs:us-east-1:111122223333:log-group:x:*"), true},
		{"ArnLike star does not cross a segment", `{"ArnLike":{"aws:SourceArn":"arn:aws:logs:*"}}`, one("aws:SourceArn", "arn:aws:logs:us-east-1:111122223333:x"), false},
		{"ArnEquals behaves as ArnLike", `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:111122223333:topic"}}`, one("aws:SourceArn", "arn:aws:sns:us-east-2:111122223333:topic"), true},
		{"ArnLike is case-sensitive", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:Topic"}}`, one("aws:SourceArn", "arn:aws:sns:us-east-2:111122223333:topic"), false},
		{"ArnLike request value not an ARN", `{"ArnLike":{"aws:SourceArn":"*"}}`, one("aws:SourceArn", "not-an-arn"), true},
		{"ArnNotLike", `{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/admin-*"}}`, nil, true},
		{"ArnNotEquals matching", `{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/alice"}}`, nil, false},
		{"Null true: key absent", `{"Null":{"aws:TokenIssueTime":"true"}}`, nil, true},
		{"Null true: key present", `{"Null":{"aws:TokenIssueTime":"true"}}`, one("aws:TokenIssueTime", "2020-01-01T00:00:00Z"), false},
		{"Null false: key present", `{"Null":{"aws:TokenIssueTime":"false"}}`, one("aws:TokenIssueTime", "2020-01-01T00:00:00Z"), true},
		{"Null false: key absent", `{"Null":{"aws:TokenIssueTime":false}}`, nil, false},
	})
}

// A missing key fails positive operators and satisfies negated ones; IfExists
// turns a missing key into true.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
func TestMissingKeys(t *testing.T) {
	runCondCases(t, Version2012, []condCase{
		{"positive operator, key absent", `{"StringEquals":{"aws:SourceVpce":"vpce-1"}}`, nil, false},
		{"negated operator, key absent", `{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`, nil, true},
		{"NotIpAddress, key absent", `{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, nil, true},
		{"IfExists, key absent", `{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, nil, true},
		{"IfExists, key present and different", `{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, one("aws:SourceVpce", "vpce-2"), false},
		{"negated IfExists, key absent", `{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`, nil, true},
		{"NumericLessThanIfExists absent", `{"NumericLessThanIfExists":{"s3:max-keys":"10"}}`, nil, true},
		{"BoolIfExists absent", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`, nil, true},
		{"ArnLikeIfExists present", `{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:logs:*:111122223333:*"}}`, one("aws:SourceArn", "arn:aws:logs:us-east-1:444455556666:x"), false},
		{"empty multivalued key counts as absent", `{"StringEquals":{"aws:TagKeys":"env"}}`, map[string][]string{"aws:TagKeys": {}}, false},
	})
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
func TestSetOperators(t *testing.T) {
	tags := func(v ...string) map[string][]string { return map[string][]string{"aws:TagKeys": v} }
	runCondCases(t, Version2012, []condCase{
		{"ForAllValues subset", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("env"), true},
		{"ForAllValues all listed", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("env", "team"), true},
		{"ForAllValues extra value", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}`, tags("env", "cost"), false},
		{"ForAllValues key absent is true", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, nil, true},
		{"ForAllValues empty set is true", `{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}`, tags(), true},
		{"ForAnyValue one matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, tags("cost", "env"), true},
		{"ForAnyValue none matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, tags("cost"), false},
		{"ForAnyValue key absent is false", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, nil, false},
		{"ForAnyValue empty set is false", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}`, tags(), false},
		{"ForAllValues negated: none listed", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, tags("env", "team"), true},
		{"ForAllValues negated: one listed", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}`, tags("env", "secret"), false},
		{"ForAnyValue negated: one not listed", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}}`, tags("env", "team"), true},
		{"ForAnyValue negated: all listed", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["env"]}}`, tags("env"), false},
		{"ForAnyValue StringLike", `{"ForAnyValue:StringLike":{"kms:EncryptionContextKeys":"aws:s3:*"}}`, map[string][]string{"kms:EncryptionContextKeys": {"aws:s3:arn"}}, true},
		{"ForAnyValue IfExists absent", `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["env"]}}`, nil, true},
		{"no qualifier, multivalued: any value matches", `{"StringEquals":{"aws:TagKeys":"env"}}`, tags("cost", "env"), true},
	})
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func TestPolicyVariablesInConditions(t *testing.T) {
	ctx := map[string][]string{"aws:username": {"alice"}, "s3:prefix": {"home/alice/"}}
	runCondCases(t, Version2012, []condCase{
		{"variable in StringLike", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, ctx, true},
		{"variable value differs", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, map[string][]string{"aws:username": {"bob"}, "s3:prefix": {"home/alice/"}}, false},
		{"variable key missing fails the comparison", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, one("s3:prefix", "home/alice/"), false},
		{"default value", `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'company-wide'}"}}`, one("s3:prefix", "company-wide"), true},
		{"default not used when key present", `{"StringEquals":{"s3:prefix":"${aws:PrincipalTag/team, 'company-wide'}"}}`, map[string][]string{"aws:PrincipalTag/team": {"logs"}, "s3:prefix": {"logs"}}, true},
		{"${*} is a literal star", `{"StringLike":{"s3:prefix":"a${*}b"}}`, one("s3:prefix", "axb"), false},
		{"${*} matches a star", `{"StringLike":{"s3:prefix":"a${*}b"}}`, one("s3:prefix", "a*b"), true},
		{"${?} and ${$}", `{"StringEquals":{"s3:prefix":"${?}${$}"}}`, one("s3:prefix", "?$"), true},
		{"variable value is never a wildcard", `{"StringLike":{"s3:prefix":"${aws:username}"}}`, map[string][]string{"aws:username": {"*"}, "s3:prefix": {"anything"}}, false},
		{"variable names are case-insensitive", `{"StringEquals":{"s3:prefix":"${AWS:UserName}"}}`, map[string][]string{"aws:username": {"alice"}, "s3:prefix": {"alice"}}, true},
		{"multivalued key is not a variable", `{"StringEquals":{"s3:prefix":"${aws:TagKeys}"}}`, map[string][]string{"aws:TagKeys": {"a", "b"}, "s3:prefix": {"a"}}, false},
		{"variable in ArnLike", `{"ArnLike":{"aws:SourceArn":"arn:aws:logs:*:${aws:PrincipalAccount}:*"}}`, one("aws:SourceArn", "arn:aws:logs:us-east-1:111122223333:x"), true},
	})
	// Under 2008-10-17 the text is literal.
	runCondCases(t, Version2008, []condCase{
		{"2008: variable is literal", `{"StringEquals":{"s3:prefix":"${aws:username}"}}`, map[string][]string{"aws:username": {"alice"}, "s3:prefix": {"alice"}}, false},
		{"2008: literal text matches", `{"StringEquals":{"s3:prefix":"${aws:username}"}}`, one("s3:prefix", "${aws:username}"), true},
	})
	runCondCases(t, "", []condCase{
		{"no version: variable is literal", `{"StringEquals":{"s3:prefix":"${aws:username}"}}`, map[string][]string{"aws:username": {"alice"}, "s3:prefix": {"alice"}}, false},
	})
}
