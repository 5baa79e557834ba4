package simulate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/logpath/logpath/internal/simulate"
)

const fuzzKeyPolicy = `{"Version":"2012-10-17","Statement":[` +
	`{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},` +
	`{"Sid":"Allow Vended Logs delivery","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*",` +
	`"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},"ArnLike":{"aws:SourceArn":"arn:aws:logs:ap-northeast-1:111122223333:*"}}},` +
	`{"Sid":"Deny other accounts","Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"111122223333"},"Bool":{"aws:PrincipalIsAWSService":"true"}}}]}`

const fuzzRequest = `"request":{"principal":"delivery.logs.amazonaws.com","action":"kms:GenerateDataKey",` +
	`"resource":"arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",` +
	`"context":{"aws:SourceAccount":"111122223333","aws:SourceArn":"arn:aws:logs:ap-northeast-1:111122223333:log-group:x","kms:EncryptionContextKeys":["aws:s3:arn"],"n":1,"b":true}}`

var fuzzCaseSeeds = []string{
	// JSON lines: allowed, denied, errors, blank lines, CRLF.
	`{"id":"allowed",` + fuzzRequest + `,"resourcePolicy":` + fuzzKeyPolicy + `,"expect":"Allowed"}` + "\n" +
		`{"id":"no-policy",` + fuzzRequest + `}` + "\n\n" +
		`{"id":"bad-effect",` + fuzzRequest + `,"resourcePolicy":{"Statement":[{"Effect":"Alow","Principal":"*","Action":"kms:*","Resource":"*"}]}}` + "\r\n" +
		`{"id":"bad-json", "request": }` + "\n" +
		`{"request":{}}` + "\n" +
		`   ` + "\n" +
		`{"id":"cross-account","request":{"principal":"arn:aws:iam::444455556666:user/bob","action":"kms:Decrypt","resource":"arn:aws:kms:ap-northeast-1:111122223333:key/k"},"resourcePolicy":` + fuzzKeyPolicy + `,"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}]}`,
	// Every field and policy form.
	`{"id":"every-field",` + fuzzRequest + `,"resourcePolicy":{"name":"key","policy":` + fuzzKeyPolicy + `},` +
		`"identityPolicies":[null,"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",{"name":"p","policy":"{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"}],` +
		`"permissionBoundaries":[{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}],"sessionPolicy":null,` +
		`"scps":[{"orgIdentifier":"r-ab12","policies":[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]}],` +
		`"rcps":[{"orgIdentifier":"r-ab12","policies":[{"Statement":{"Effect":"Deny","Principal":"*","Action":"kms:ScheduleKeyDeletion","Resource":"*"}}]}],` +
		`"resourceAccount":"111122223333","principalAccount":"111122223333","doc":"https://docs.aws.amazon.com/","note":"n\u00e9"}`,
	// A JSON array of cases.
	`[{"id":"a",` + fuzzRequest + `,"resourcePolicy":` + fuzzKeyPolicy + `},` + "\n" +
		`{"id":"b",` + fuzzRequest + `,"scps":{}}, 7, {"id":"c\"\\\u0001\u2028"}, {"id":"d","request":{"principal":"anonymous","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}]`,
	`[]`, `  [ ]  `, `[`, `[1,]`, `{`, ``, " \n\t ", `x`, `"string"`, `null`,
	"{\"id\":\"\xff\xfe\"," + fuzzRequest + "}",
	`{"id":"deep","request":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`,
	`{"id":"bad-account",` + fuzzRequest + `,"resourceAccount":"12345"}` + "\n" + `{"id":"unknown-field","foo":1,` + fuzzRequest + `}`,
	`{"id":"bad-principal","request":{"principal":"arn:aws:iam::1:user/x","action":"s3:GetObject","resource":"r"}}` + "\n" + `{"id":"no-colon","request":{"principal":"anonymous","action":"GetObject","resource":"r"}}`,
}

func FuzzRead(f *testing.F) {
	for _, s := range fuzzCaseSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := simulate.Read("fuzz.jsonl", data)
		// Three workers cut the input into twelve chunks; each line of the
		// output is checked against Read's entry below.
		var out bytes.Buffer
		berr := simulate.Batch(&out, "fuzz.jsonl", bytes.NewReader(data), 3)
		if err != nil {
			var ie *simulate.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Read returned %T %v, want *InputError", err, err)
			}
			if berr == nil {
				t.Fatalf("Read fails (%v) but Batch does not", err)
			}
			return
		}
		if berr != nil {
			t.Fatalf("Read succeeds but Batch fails: %v", berr)
		}
		lines := bytes.Split(out.Bytes(), []byte{'\n'})
		if last := lines[len(lines)-1]; len(last) != 0 {
			t.Fatalf("Batch output does not end with a newline: %q", last)
		}
		lines = lines[:len(lines)-1]
		if len(lines) != len(entries) {
			t.Fatalf("Read returned %d entries, Batch printed %d lines:\n%s", len(entries), len(lines), out.Bytes())
		}
		for i, line := range lines {
			var got struct {
				ID       *string `json:"id"`
				Decision string  `json:"decision"`
				Error    *string `json:"error"`
			}
			if err := json.Unmarshal(line, &got); err != nil {
				t.Fatalf("line %d is not JSON: %v: %q", i+1, err, line)
			}
			e := entries[i]
			decision, derr := simulate.Decide(e)
			if got.ID == nil || got.Decision != decision {
				t.Fatalf("line %d = %s, want id %q decision %s", i+1, line, e.ID, decision)
			}
			if e.Err != nil && e.Case != nil {
				t.Fatalf("entry %d has both a case and an error", i)
			}
			if e.Err == nil && e.Case == nil {
				t.Fatalf("entry %d has neither a case nor an error", i)
			}
			if e.Case != nil && (e.Case.Request == nil || e.Case.ID != e.ID || e.Case.Line < 1) {
				t.Fatalf("entry %d: case %+v", i, e.Case)
			}
			if want := fuzzRoundTrip(e.ID); *got.ID != want {
				t.Fatalf("line %d has id %q, Read says %q", i+1, *got.ID, e.ID)
			}
			switch {
			case derr == nil && got.Error != nil:
				t.Fatalf("line %d has error %q, Read's entry has none", i+1, *got.Error)
			case derr != nil && (got.Error == nil || *got.Error != fuzzRoundTrip(derr.Error())):
				t.Fatalf("line %d = %s, Read's entry has error %q", i+1, line, derr)
			}
		}
	})
}

// fuzzRoundTrip is s as it reads back from JSON output: bytes that are not
// UTF-8 become U+FFFD.
func fuzzRoundTrip(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}

// Bug: condition key names are case-insensitive, and a case whose context
// names one key twice in different case ("aws:SourceAccount" and
// "aws:sourceaccount") gets a random decision: policy.NewRequest lower-cases
// the keys while ranging over the context map, so whichever spelling Go's map
// iteration visits last wins. The same request must get the same decision
// every time (or be reported as an Error).
func TestContextKeysDifferingOnlyInCaseDecideTheSameEveryTime(t *testing.T) {
	line := []byte(`{"id":"dup-key","request":{"principal":"delivery.logs.amazonaws.com","action":"kms:GenerateDataKey",` +
		`"resource":"arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",` +
		`"context":{"aws:SourceAccount":"111122223333","aws:sourceaccount":"444455556666"}},` +
		`"resourcePolicy":{"Statement":[{"Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:*","Resource":"*",` +
		`"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}}`)
	seen := map[string]int{}
	for range 1000 {
		entries, err := simulate.Read("dup.jsonl", line)
		if err != nil || len(entries) != 1 {
			t.Fatalf("Read: %v, %d entries", err, len(entries))
		}
		d, err := simulate.Decide(entries[0])
		seen[d]++
		if err == nil || !strings.Contains(err.Error(), "differ only in case") {
			t.Fatalf("decision %s, error %v: want an error naming the two keys", d, err)
		}
	}
	if len(seen) != 1 {
		t.Errorf("1000 evaluations of the same case gave %v", seen)
	}
}
