package policy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/internal/simulate"
)

// TestCorpus runs every case under testdata/corpus through the same reader
// and evaluator as `logpath simulate --cases`, and checks the decision each
// case expects. Every case names the AWS page that justifies its decision.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	seen := map[string]string{}
	total := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := simulate.Read(file, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			total++
			if e.Err != nil {
				t.Errorf("%s: case %q does not read: %v", file, e.ID, e.Err)
				continue
			}
			c := e.Case
			if prev, dup := seen[c.ID]; dup {
				t.Errorf("%s:%d: id %q already used in %s", file, c.Line, c.ID, prev)
			}
			seen[c.ID] = file
			if !strings.HasPrefix(c.Doc, "https://docs.aws.amazon.com/") {
				t.Errorf("%s:%d: case %q: doc %q is not an AWS documentation URL", file, c.Line, c.ID, c.Doc)
			}
			switch c.Expect {
			case "Allowed", "ImplicitlyDenied", "ExplicitlyDenied":
			default:
				t.Errorf("%s:%d: case %q: expect %q is not a decision", file, c.Line, c.ID, c.Expect)
				continue
			}
			got, _ := simulate.Decide(e)
			if got != c.Expect {
				t.Errorf("%s:%d: case %q: got %s, want %s (%s; %s)", file, c.Line, c.ID, got, c.Expect, c.Note, c.Doc)
			}
		}
	}
	if total < 150 {
		t.Errorf("the corpus has %d cases; it must keep at least 150", total)
	}
}
