package simulate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/logpath/logpath/internal/gencases"
	"github.com/logpath/logpath/internal/simulate"
	"github.com/logpath/logpath/policy"
)

// The batch path (Batch: flat documents, arenas shared by the workers,
// statements copied from templates, blocks read as a stream) must decide
// every case as a simple reading does: each case decoded by encoding/json,
// each policy parsed on its own by policy.Parse, the request built by
// policy.NewRequest from a map, and policy.Evaluate.

// refCase is a case as encoding/json reads it.
type refCase struct {
	ID      string `json:"id"`
	Request struct {
		Principal string                     `json:"principal"`
		Action    string                     `json:"action"`
		Resource  string                     `json:"resource"`
		Context   map[string]json.RawMessage `json:"context"`
	} `json:"request"`
	IdentityPolicies     []json.RawMessage `json:"identityPolicies"`
	ResourcePolicy       json.RawMessage   `json:"resourcePolicy"`
	PermissionBoundaries []json.RawMessage `json:"permissionBoundaries"`
	SessionPolicy        json.RawMessage   `json:"sessionPolicy"`
	SCPs                 []refLevel        `json:"scps"`
	RCPs                 []refLevel        `json:"rcps"`
	ResourceAccount      string            `json:"resourceAccount"`
	PrincipalAccount     string            `json:"principalAccount"`
}

type refLevel struct {
	OrgIdentifier string            `json:"orgIdentifier"`
	Policies      []json.RawMessage `json:"policies"`
}

// refPolicy parses a policy in any of its forms: a document, a
// {"name", "policy"} wrapper, a JSON string holding a document, or null.
func refPolicy(raw json.RawMessage, kind policy.Kind) (*policy.Policy, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return refPolicy(json.RawMessage(s), kind)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	if inner, ok := fields["policy"]; ok && fields["Statement"] == nil {
		return refPolicy(inner, kind)
	}
	return policy.Parse(raw, policy.Options{Name: "reference", Kind: kind})
}

func refPolicies(raws []json.RawMessage, kind policy.Kind) ([]*policy.Policy, error) {
	var out []*policy.Policy
	for _, raw := range raws {
		p, err := refPolicy(raw, kind)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

func refLevels(levels []refLevel, kind policy.Kind) ([]policy.OrgLevel, error) {
	var out []policy.OrgLevel
	for _, l := range levels {
		ps, err := refPolicies(l.Policies, kind)
		if err != nil {
			return nil, err
		}
		out = append(out, policy.OrgLevel{ID: l.OrgIdentifier, Policies: ps})
	}
	return out, nil
}

// refDecide decides one case the simple way: its id and decision, or an
// error.
func refDecide(raw []byte) (id, decision string, err error) {
	var c refCase
	if err := json.Unmarshal(raw, &c); err != nil {
		return "", "", err
	}
	ctx := map[string][]string{}
	for k, v := range c.Request.Context {
		var list []json.RawMessage
		if json.Unmarshal(v, &list) != nil {
			list = []json.RawMessage{v}
		}
		for _, item := range list {
			var s string
			if json.Unmarshal(item, &s) != nil {
				s = string(item) // numbers and booleans as their JSON text
			}
			ctx[k] = append(ctx[k], s)
		}
	}
	req, err := policy.NewRequest(c.Request.Principal, c.Request.Action, c.Request.Resource, ctx)
	if err != nil {
		return c.ID, "", err
	}
	if c.ResourceAccount != "" {
		req.ResourceAccount = c.ResourceAccount
	}
	if c.PrincipalAccount != "" {
		req.SetPrincipalAccount(c.PrincipalAccount)
	}
	var set policy.Set
	var errs [6]error
	set.Identity, errs[0] = refPolicies(c.IdentityPolicies, policy.KindIdentity)
	set.Resource, errs[1] = refPolicy(c.ResourcePolicy, policy.KindResource)
	set.Boundary, errs[2] = refPolicies(c.PermissionBoundaries, policy.KindIdentity)
	set.Session, errs[3] = refPolicy(c.SessionPolicy, policy.KindIdentity)
	set.SCPs, errs[4] = refLevels(c.SCPs, policy.KindSCP)
	set.RCPs, errs[5] = refLevels(c.RCPs, policy.KindRCP)
	if err := errors.Join(errs[:]...); err != nil {
		return c.ID, "", err
	}
	return c.ID, policy.Evaluate(req, &set).Decision.String(), nil
}

// checkAgainstReference runs Batch over cases (JSON lines, or a JSON array
// when array is set) with the given number of workers and compares every
// output line with refDecide.
func checkAgainstReference(t *testing.T, name string, cases [][]byte, array bool, workers int) {
	t.Helper()
	var in bytes.Buffer
	if array {
		in.WriteString("[\n" + string(bytes.Join(cases, []byte(",\n"))) + "\n]\n")
	} else {
		in.Write(bytes.Join(cases, []byte("\n")))
	}
	var out bytes.Buffer
	if err := simulate.Batch(&out, name, &in, workers); err != nil {
		t.Fatalf("%s: Batch: %v", name, err)
	}
	lines := bytes.Split(bytes.TrimSuffix(out.Bytes(), []byte("\n")), []byte("\n"))
	if len(lines) != len(cases) {
		t.Fatalf("%s: Batch printed %d lines for %d cases", name, len(lines), len(cases))
	}
	for i, line := range lines {
		var got struct {
			ID, Decision, Error string
		}
		if err := json.Unmarshal(line, &got); err != nil {
			t.Fatalf("%s: line %d is not JSON: %s", name, i+1, line)
		}
		id, want, err := refDecide(cases[i])
		if err != nil {
			want = "Error"
		}
		if got.ID != id || got.Decision != want {
			t.Errorf("%s case %d: Batch says %s %s (%s), the reference %s %s (%v)", name, i+1, got.ID, got.Decision, got.Error, id, want, err)
		}
	}
}

func generated(t *testing.T, opts gencases.Options) [][]byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gencases.Write(&buf, opts); err != nil {
		t.Fatal(err)
	}
	return bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("\n"))
}

func TestBatchDecidesGeneratedCasesAsTheReference(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 500
	}
	for _, opts := range []gencases.Options{{N: n, Seed: 1}, {N: n / 3, Seed: 2}, {N: n / 3, Seed: 3, Distinct: true}} {
		cases := generated(t, opts)
		for _, workers := range []int{1, 2, 3} {
			checkAgainstReference(t, fmt.Sprintf("seed %d distinct %v workers %d", opts.Seed, opts.Distinct, workers), cases, false, workers)
		}
		checkAgainstReference(t, fmt.Sprintf("seed %d as an array", opts.Seed), cases, true, 2)
	}
}

// The corpus holds every policy form, operator and evaluation rule the
// engine knows, each case once.
func TestBatchDecidesTheCorpusAsTheReference(t *testing.T) {
	all := corpusCases(t)
	// Twice, so that the second time statements come from templates.
	all = append(all, all...)
	checkAgainstReference(t, "corpus", all, false, 2)
	checkAgainstReference(t, "corpus as an array", all, true, 2)
}

// corpusCases is the engine's corpus, each case compacted to one line.
func corpusCases(t *testing.T) [][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "policy", "testdata", "corpus", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	var all [][]byte
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cases []json.RawMessage
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range cases {
			var compact bytes.Buffer
			if err := json.Compact(&compact, c); err != nil {
				t.Fatal(err)
			}
			all = append(all, compact.Bytes())
		}
	}
	return all
}

// Batch reads its input as a stream: a reader that hands out a byte at a
// time gives the same output as one that hands out everything.
func TestBatchReadsAStream(t *testing.T) {
	input := bytes.Join(generated(t, gencases.Options{N: 200, Seed: 4}), []byte("\n"))
	var want bytes.Buffer
	if err := simulate.Batch(&want, "s", bytes.NewReader(input), 2); err != nil {
		t.Fatal(err)
	}
	for _, r := range []io.Reader{iotest.OneByteReader(bytes.NewReader(input)), iotest.HalfReader(bytes.NewReader(input))} {
		var got bytes.Buffer
		if err := simulate.Batch(&got, "s", r, 2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%T: other output than from a bytes.Reader", r)
		}
	}
}
