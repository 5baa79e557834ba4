package fakeaws

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every scenario in testdata parses.
func TestScenariosParse(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yaml")
	if len(files) == 0 {
		t.Fatal("no scenarios")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(f, data); err != nil {
			t.Error(err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"unknown field", "accounts:\n  - id: \"111122223333\"\n    bukets: []\n", "line 3: field bukets not found"},
		{"bad account", "accounts:\n  - id: \"1234\"\n", "12-digit"},
		{"bad age", "accounts:\n  - id: \"111122223333\"\n    buckets:\n      - {name: b, region: r, objects: [{key: k, age: soon}]}\n", `"soon" is not a duration`},
		{"policy string not JSON", "accounts:\n  - id: \"111122223333\"\n    buckets:\n      - {name: b, region: r, policy: nope}\n", "must be JSON"},
		{"twice", "accounts:\n  - id: \"111122223333\"\n  - id: \"111122223333\"\n", "listed twice"},
		{"org management", "organization: {management: \"444455556666\"}\n", "management account"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "s.yaml: ") {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// FuzzParse: no input makes the scenario parser panic or hang.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("accounts: [{id: '111122223333', regions: [{name: r, keys: [{id: k, policy: '{}'}]}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err == nil && s == nil {
			t.Fatal("no scenario and no error")
		}
	})
}
