package simulate

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/logpath/logpath/policy"
)

const req = `"request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::amzn-s3-demo-bucket/x"}`

func TestReadForms(t *testing.T) {
	tests := []struct {
		name  string
		input string
		check func(t *testing.T, c *Case)
	}{
		{"identity policies: document, named, JSON string",
			`{"id":"x",` + req + `,"identityPolicies":[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}},{"name":"n","policy":{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}},"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"]}`,
			func(t *testing.T, c *Case) {
				if len(c.Set.Identity) != 3 {
					t.Fatalf("identity policies = %d", len(c.Set.Identity))
				}
				if c.Set.Identity[1].Name != "f (n)" {
					t.Errorf("named policy name = %q", c.Set.Identity[1].Name)
				}
			}},
		{"null resource policy, accounts, org levels",
			`{"id":"x",` + req + `,"resourcePolicy":null,"resourceAccount":"444455556666","principalAccount":"111122223333","scps":[{"orgIdentifier":"r-examplerootid","policies":[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}]}],"rcps":[{"orgIdentifier":"ou-1","policies":[]}]}`,
			func(t *testing.T, c *Case) {
				if c.Set.Resource != nil || c.Request.ResourceAccount != "444455556666" {
					t.Errorf("got %+v", c)
				}
				if len(c.Set.SCPs) != 1 || c.Set.SCPs[0].ID != "r-examplerootid" || len(c.Set.RCPs) != 1 {
					t.Errorf("org levels %+v %+v", c.Set.SCPs, c.Set.RCPs)
				}
			}},
		{"context: string, list, number, bool",
			`{"id":"x","request":{"principal":"111122223333","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{"a":"1","B":["x","y"],"c":3,"d":true}}}`,
			func(t *testing.T, c *Case) {
				for key, want := range map[string]string{"a": "1", "b": "x,y", "c": "3", "d": "true"} {
					v, ok := c.Request.Context.Get(key)
					if !ok || strings.Join(v, ",") != want {
						t.Errorf("%s = %v", key, v)
					}
				}
			}},
		{"corpus fields",
			`{"id":"x",` + req + `,"expect":"Allowed","doc":"https://docs.aws.amazon.com/x","note":"n"}`,
			func(t *testing.T, c *Case) {
				if c.Expect != "Allowed" || c.Doc == "" || c.Note != "n" {
					t.Errorf("got %+v", c)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := Read("f", []byte(tt.input))
			if err != nil || len(entries) != 1 {
				t.Fatalf("entries %v, err %v", entries, err)
			}
			if entries[0].Err != nil {
				t.Fatal(entries[0].Err)
			}
			tt.check(t, entries[0].Case)
		})
	}
}

// A case that cannot be read is an error for that case only, located in
// the file.
func TestReadCaseErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"no id", `{` + req + `}`, `f:1:1 ($): the case has no "id"`},
		{"no request", `{"id":"x"}`, `f:1:1 ($): the case has no "request"`},
		{"unknown field", `{"id":"x",` + req + `,"resourcePolicies":[]}`, `f:1:165 ($.resourcePolicies): unknown case field "resourcePolicies"`},
		{"unknown request field", `{"id":"x","request":{"principal":"111122223333","verb":"s3:GetObject"}}`, `($.request.verb): unknown request field "verb"`},
		{"bad account", `{"id":"x",` + req + `,"resourceAccount":"1234"}`, `($.resourceAccount): "1234" is not a 12-digit account ID`},
		{"bad principal", `{"id":"x","request":{"principal":"alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}`, `($.request): principal "alice"`},
		{"policy error in a later line", "\n\n" + `{"id":"x",` + req + `,"resourcePolicy":{"Statement":{"Effect":"Alow","Principal":"*","Action":"*","Resource":"*"}}}`,
			`f:3:186 ($.resourcePolicy.Statement.Effect): unknown Effect "Alow"`},
		{"context value an object", `{"id":"x","request":{"principal":"111122223333","action":"s3:GetObject","resource":"arn:aws:s3:::b/k","context":{"a":{}}}}`, `($.request.context.a): a context value must be`},
		{"invalid JSON line", `{"id":"x",`, `f:1:11: invalid JSON`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := Read("f", []byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Err == nil {
				t.Fatalf("entries = %+v", entries)
			}
			if !strings.Contains(entries[0].Err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", entries[0].Err, tt.want)
			}
		})
	}
}

func TestReadArrayPositions(t *testing.T) {
	input := "[\n  {\"id\":\"a\"," + req + "},\n  {\"id\":\"b\"," + req + ",\n   \"identityPolicies\":[{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\"}}]}\n]"
	entries, err := Read("cases.json", []byte(input))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Err != nil || entries[0].Case.Line != 2 {
		t.Fatalf("entries = %+v", entries)
	}
	var pe *policy.Error
	if !errors.As(entries[1].Err, &pe) {
		t.Fatalf("err = %v", entries[1].Err)
	}
	if pe.Path != "$[1].identityPolicies[0].Statement" || pe.Pos.Line != 4 || pe.Pos.Column != 37 || entries[1].ID != "b" {
		t.Errorf("got %s %d:%d id %q", pe.Path, pe.Pos.Line, pe.Pos.Column, entries[1].ID)
	}
}

func TestReadWholeFileErrors(t *testing.T) {
	for _, input := range []string{"[1,", "nope", "[\n {\"id\": \"a\"}\n] trailing"} {
		if _, err := Read("f", []byte(input)); err == nil {
			t.Errorf("Read(%q) succeeded", input)
		}
	}
	entries, err := Read("f", []byte("  \n"))
	if err != nil || len(entries) != 0 {
		t.Errorf("empty input: %v %v", entries, err)
	}
}

// Batch keeps input order whatever the number of workers, and reports a
// broken case without stopping.
func TestBatchOrder(t *testing.T) {
	var in bytes.Buffer
	var want bytes.Buffer
	for i := range 500 {
		id := strings.Repeat("c", i%7+1) + string(rune('a'+i%26))
		switch i % 3 {
		case 0:
			in.WriteString(`{"id":"` + id + `",` + req + `,"identityPolicies":[{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}` + "\n")
			want.WriteString(`{"id":"` + id + `","decision":"Allowed"}` + "\n")
		case 1:
			in.WriteString(`{"id":"` + id + `",` + req + `}` + "\n")
			want.WriteString(`{"id":"` + id + `","decision":"ImplicitlyDenied"}` + "\n")
		default:
			in.WriteString(`{"id":"` + id + `"}` + "\n")
		}
	}
	for _, workers := range []int{1, 2, 7} {
		var out bytes.Buffer
		if err := Batch(&out, "f", bytes.NewReader(in.Bytes()), workers); err != nil {
			t.Fatal(err)
		}
		var kept bytes.Buffer
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(lines) != 500 {
			t.Fatalf("workers %d: %d lines", workers, len(lines))
		}
		for i, l := range lines {
			if i%3 == 2 {
				if !strings.Contains(l, `"decision":"Error"`) || !strings.Contains(l, `f:`+itoa(i+1)+`:1`) {
					t.Fatalf("workers %d line %d: %s", workers, i, l)
				}
				continue
			}
			kept.WriteString(l + "\n")
		}
		if kept.String() != want.String() {
			t.Errorf("workers %d: order or decisions differ", workers)
		}
	}
}

func itoa(i int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
		if i == 0 {
			return string(b)
		}
	}
}

// Positions after more white space than a block holds stay right: the
// white space before the first case counts in lines.
func TestBatchLongLeadingWhiteSpace(t *testing.T) {
	for _, first := range []string{`{"id":"x"}`, `[{"id":"x"}]`} {
		input := strings.Repeat("\n", 300<<10) + first + "\n"
		var out bytes.Buffer
		if err := Batch(&out, "f", strings.NewReader(input), 2); err != nil {
			t.Fatal(err)
		}
		entries, err := Read("f", []byte(input))
		if err != nil || len(entries) != 1 {
			t.Fatalf("Read: %v, %d entries", err, len(entries))
		}
		want := `{"id":"x","decision":"Error","error":` + strconv.Quote(entries[0].Err.Error()) + "}\n"
		if out.String() != want || !strings.Contains(want, "f:307201:") {
			t.Errorf("%.10s...: got %s want %s", first, out.String(), want)
		}
	}
}
