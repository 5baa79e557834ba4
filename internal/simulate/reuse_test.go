package simulate_test

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"testing"

	"github.com/logpath/logpath/internal/gencases"
	"github.com/logpath/logpath/internal/simulate"
)

// Batch parses JSON lines where it read them, without a copy per line, and
// reuses the memory of a block's cases (policies, requests, lists) for the
// next block's. Nothing read from a block may outlive it, except as a copy:
// the statement templates the workers share, the lower-cased condition
// keys, the JSON paths. With every block overwritten as soon as its output
// is written, each case must still decide as Read and Decide decide it
// (every line copied, nothing reused), to the byte.
func TestBatchKeepsNothingOfABlockItHasWritten(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 600
	}
	inputs := map[string][]byte{
		"seed 1":           generatedInput(t, gencases.Options{N: n, Seed: 1}),
		"seed 2 distinct":  generatedInput(t, gencases.Options{N: n / 2, Seed: 2, Distinct: true}),
		"seed 3 mutated":   mutated(generatedInput(t, gencases.Options{N: n, Seed: 3}), 3),
		"distinct mutated": mutated(generatedInput(t, gencases.Options{N: n / 2, Seed: 4, Distinct: true}), 4),
		"corpus, repeated": corpusLines(t, 40),
		"corpus, mutated":  mutated(corpusLines(t, 20), 5),
	}
	// Overwriting a block with a byte that is no JSON makes any string
	// still pointing into it read wrong, and a template or table that kept
	// one would mismatch or decide differently.
	simulate.SetAfterBlock(func(data []byte) {
		for i := range data {
			data[i] = 0xfe
		}
	})
	defer simulate.SetAfterBlock(nil)
	for name, data := range inputs {
		want := readAndDecide(t, name, data)
		for _, workers := range []int{1, 2, 3} {
			var out bytes.Buffer
			if err := simulate.Batch(&out, name, bytes.NewReader(data), workers); err != nil {
				t.Fatalf("%s: Batch: %v", name, err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				got, wantLines := bytes.Split(out.Bytes(), []byte{'\n'}), bytes.Split(want, []byte{'\n'})
				for i := range min(len(got), len(wantLines)) {
					if !bytes.Equal(got[i], wantLines[i]) {
						t.Fatalf("%s, %d workers: line %d is\n%s\nwant\n%s", name, workers, i+1, got[i], wantLines[i])
					}
				}
				t.Fatalf("%s, %d workers: %d lines, want %d", name, workers, len(got), len(wantLines))
			}
		}
	}
}

// readAndDecide is the output Batch must give for data: Read's entries,
// each decided by Decide, one JSON line each.
func readAndDecide(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	entries, err := simulate.Read(name, data)
	if err != nil {
		t.Fatalf("%s: Read: %v", name, err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	errors := 0
	for _, e := range entries {
		line := struct {
			ID       string `json:"id"`
			Decision string `json:"decision"`
			Error    string `json:"error,omitempty"`
		}{ID: e.ID}
		var derr error
		line.Decision, derr = simulate.Decide(e)
		if derr != nil {
			line.Error = derr.Error()
			errors++
		}
		if err := enc.Encode(line); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%s: %d cases, %d errors, %d bytes", name, len(entries), errors, len(data))
	return out.Bytes()
}

func generatedInput(t *testing.T, opts gencases.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gencases.Write(&buf, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// corpusLines is the engine's corpus as JSON lines, repeated times over.
func corpusLines(t *testing.T, times int) []byte {
	t.Helper()
	lines := append(bytes.Join(corpusCases(t), []byte{'\n'}), '\n')
	return bytes.Repeat(lines, times)
}

// mutated changes one line in three of data in a way a person might get
// wrong (a byte dropped, doubled or replaced, a word misspelled), so that
// many cases are errors, some still decide, and some decide differently.
func mutated(data []byte, seed int64) []byte {
	rng := rand.New(rand.NewSource(seed))
	words := [][2]string{{`"Allow"`, `"Alow"`}, {`"Action"`, `"action"`}, {`"Resource"`, `"NotResource"`},
		{`"StringEquals"`, `"StringEqual"`}, {`"aws:SourceAccount"`, `"aws:sourceaccount"`}, {`111122223333`, `11112222333`},
		{`"Statement"`, `"Statements"`}, {`"request"`, `"Request"`}, {`"Condition":{`, `"Condition":{"Null":{"x":"maybe"},`}}
	var out []byte
	for line := range bytes.Lines(data) {
		if len(line) < 3 || rng.Intn(3) != 0 {
			out = append(out, line...)
			continue
		}
		body := bytes.TrimSuffix(line, []byte{'\n'})
		i := rng.Intn(len(body))
		switch rng.Intn(5) {
		case 0:
			body = append(body[:i:i], body[i+1:]...)
		case 1:
			body = append(body[:i+1:i+1], body[i:]...)
		case 2:
			const noise = "{}[]\":,\\x0\u00e9" // half of an é is not UTF-8
			body = append(body[:i:i], append([]byte{noise[rng.Intn(len(noise))]}, body[i+1:]...)...)
		default:
			w := words[rng.Intn(len(words))]
			body = bytes.Replace(body, []byte(w[0]), []byte(w[1]), 1)
		}
		out = append(append(out, body...), '\n')
	}
	return out
}
