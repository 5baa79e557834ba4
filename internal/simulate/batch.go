package simulate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/logpath/logpath/internal/jsontree"
	"github.com/logpath/logpath/policy"
)

// Decide evaluates one entry: its decision, or "Error" with the reason.
func Decide(e Entry) (decision string, err error) {
	if e.Err != nil {
		return "Error", e.Err
	}
	res := policy.Evaluate(e.Case.Request, &e.Case.Set)
	return res.Decision.String(), nil
}

// Batch evaluates every case of a case file and writes one JSON line per
// case, in input order. Cases are read and decided in parallel by up to
// workers goroutines; each case's policies are parsed once.
func Batch(w io.Writer, name string, data []byte, workers int) error {
	if workers < 1 {
		workers = 1
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) == 0 {
		return nil
	}
	var chunks []func(*bytes.Buffer)
	switch trimmed[0] {
	case '[':
		root, err := jsontree.Parse(data)
		if err != nil {
			return &InputError{syntaxMessage(name, data, err)}
		}
		if root.Kind != jsontree.Array {
			return &InputError{name + ": expected a JSON array of cases"}
		}
		items := root.Items
		for _, r := range split(len(items), workers*4) {
			lo, hi := r[0], r[1]
			chunks = append(chunks, func(buf *bytes.Buffer) {
				for i := lo; i < hi; i++ {
					writeOutcome(buf, readCase(name, data, &items[i], fmt.Sprintf("$[%d]", i), policy.Position{}))
				}
			})
		}
	case '{':
		for _, r := range splitLines(data, workers*4) {
			lo, hi := r[0], r[1]
			chunks = append(chunks, func(buf *bytes.Buffer) {
				for _, e := range readLines(name, data, lo, hi) {
					writeOutcome(buf, e)
				}
			})
		}
	default:
		return &InputError{fmt.Sprintf("%s: expected a JSON array of cases or JSON lines (one case object per line)", name)}
	}

	out := make([]bytes.Buffer, len(chunks))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(chunks)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				chunks[i](&out[i])
			}
		}()
	}
	for i := range chunks {
		next <- i
	}
	close(next)
	wg.Wait()
	for i := range out {
		if _, err := w.Write(out[i].Bytes()); err != nil {
			return err
		}
	}
	return nil
}

func writeOutcome(buf *bytes.Buffer, e Entry) {
	decision, err := Decide(e)
	buf.WriteString(`{"id":`)
	writeJSONString(buf, e.ID)
	buf.WriteString(`,"decision":"`)
	buf.WriteString(decision)
	buf.WriteByte('"')
	if err != nil {
		buf.WriteString(`,"error":`)
		writeJSONString(buf, err.Error())
	}
	buf.WriteString("}\n")
}

func writeJSONString(buf *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			enc := json.NewEncoder(buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s)
			buf.Truncate(buf.Len() - 1) // Encode ends with a newline
			return
		}
	}
	buf.WriteByte('"')
	buf.WriteString(s)
	buf.WriteByte('"')
}

// split cuts n items into at most parts contiguous ranges.
func split(n, parts int) [][2]int {
	if n == 0 {
		return nil
	}
	size := (n + parts - 1) / parts
	var out [][2]int
	for lo := 0; lo < n; lo += size {
		out = append(out, [2]int{lo, min(lo+size, n)})
	}
	return out
}

// splitLines cuts data into at most parts byte ranges that end at line ends.
func splitLines(data []byte, parts int) [][2]int {
	size := len(data)/parts + 1
	var out [][2]int
	for lo := 0; lo < len(data); {
		hi := min(lo+size, len(data))
		if nl := bytes.IndexByte(data[hi:], '\n'); nl >= 0 {
			hi += nl + 1
		} else {
			hi = len(data)
		}
		out = append(out, [2]int{lo, hi})
		lo = hi
	}
	return out
}
