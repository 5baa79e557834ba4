package simulate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sync"
	"unsafe"

	"github.com/logpath/logpath/internal/crash"
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

// blockSize is how much of a JSON lines input a worker takes at a time: large
// enough that handing blocks around costs nothing, small enough that both
// CPUs have work from the start.
const blockSize = 256 << 10

// Batch evaluates every case of a case file read from in and writes one JSON
// line per case, in input order, as Read and Decide would decide them. JSON
// lines are read, decided and written a block at a time by up to workers
// goroutines, so that memory stays bounded whatever the input's size; a JSON
// array is read whole first.
func Batch(w io.Writer, name string, in io.Reader, workers int) error {
	workers = max(workers, 1)
	// The first byte that is not white space tells the two forms apart.
	// The white space before it is kept: it counts in lines and offsets.
	buf := make([]byte, 0, blockSize)
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, len(buf))
		}
		n, err := in.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if len(bytes.TrimLeft(buf, " \t\r\n")) > 0 {
			break
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	switch bytes.TrimLeft(buf, " \t\r\n")[0] {
	case '[':
		rest, err := io.ReadAll(in)
		if err != nil {
			return err
		}
		return batchArray(w, name, append(buf, rest...), workers)
	case '{':
		return batchLines(w, name, buf, in, workers)
	}
	return &InputError{fmt.Sprintf("%s: expected a JSON array of cases or JSON lines (one case object per line)", name)}
}

// A block is a run of whole lines of a JSON lines input and, once decided,
// their output.
type block struct {
	seq       int
	data      []byte
	firstLine int // line number of data's first line
	offset    int // byte offset of data in the input
	out       []byte
}

// afterBlock, when set (by tests), is called with a block's input once the
// block's output is written, when nothing may read the input any more.
var afterBlock func(data []byte)

// batchLines decides a JSON lines input. One goroutine reads blocks that end
// at a line end, workers decide them, and the calling goroutine writes their
// output in input order.
func batchLines(w io.Writer, name string, head []byte, in io.Reader, workers int) error {
	todo := make(chan *block, workers)
	done := make(chan *block, 2*workers)
	free := make(chan *block, 4*workers)
	for range 4 * workers {
		free <- &block{data: make([]byte, 0, blockSize)}
	}
	var readErr error
	go func() {
		defer crash.Guard()
		defer close(todo)
		readErr = readBlocks(head, in, free, todo)
	}()
	var wg sync.WaitGroup
	shared := new(policy.Arena)
	for range workers {
		wg.Add(1)
		wk := newWorker(name, shared.Sibling())
		go func() {
			defer crash.Guard()
			defer wg.Done()
			for b := range todo {
				wk.recycle() // see worker
				b.out = wk.lines(b.out[:0], b)
				done <- b
			}
		}()
	}
	go func() {
		defer crash.Guard()
		wg.Wait()
		close(done)
	}()
	// Blocks finish out of order; pending holds those that are early.
	pending := map[int]*block{}
	next := 0
	var writeErr error
	for b := range done {
		pending[b.seq] = b
		for b := pending[next]; b != nil; b = pending[next] {
			delete(pending, next)
			if writeErr == nil {
				_, writeErr = w.Write(b.out)
			}
			next++
			if afterBlock != nil {
				afterBlock(b.data)
			}
			free <- b
		}
	}
	if readErr != nil {
		return readErr
	}
	return writeErr
}

// readBlocks cuts the input, head first, into blocks of whole lines taken
// from free, and sends them to todo. A block is filled until it is half full
// or the input has nothing more at hand; a line longer than a block grows it.
func readBlocks(head []byte, in io.Reader, free <-chan *block, todo chan<- *block) error {
	var carry []byte // the start of a line that the last block cut
	carry = append(carry, head...)
	seq, line, offset := 0, 1, 0
	for eof := false; !eof || len(carry) > 0; {
		b := <-free
		b.data = append(b.data[:0], carry...)
		hasLine := bytes.IndexByte(b.data, '\n') >= 0
		for !eof && !(hasLine && len(b.data) >= cap(b.data)/2) {
			if len(b.data) == cap(b.data) {
				b.data = slices.Grow(b.data, len(b.data))
			}
			want := cap(b.data) - len(b.data)
			n, err := in.Read(b.data[len(b.data):cap(b.data)])
			hasLine = hasLine || bytes.IndexByte(b.data[len(b.data):len(b.data)+n], '\n') >= 0
			b.data = b.data[:len(b.data)+n]
			if err == io.EOF {
				eof = true
			} else if err != nil {
				return err
			}
			if n < want && hasLine {
				break // a pipe with nothing more for now: go on with what is here
			}
		}
		end := len(b.data)
		if !eof {
			end = bytes.LastIndexByte(b.data, '\n') + 1
		}
		carry = append(carry[:0], b.data[end:]...)
		b.data = b.data[:end]
		b.seq, b.firstLine, b.offset = seq, line, offset
		seq++
		line += bytes.Count(b.data, []byte{'\n'})
		offset += len(b.data)
		todo <- b
	}
	return nil
}

// batchArray decides a JSON array of cases: the whole file is parsed once,
// and workers read and decide ranges of its items.
func batchArray(w io.Writer, name string, data []byte, workers int) error {
	var d jsontree.Doc
	// data is Batch's own and never written again: the document's strings
	// can be slices of it.
	if err := d.ParseString(unsafe.String(unsafe.SliceData(data), len(data))); err != nil {
		return &InputError{syntaxMessage(name, data, err)}
	}
	if d.Values[0].Kind != jsontree.Array {
		return &InputError{name + ": expected a JSON array of cases"}
	}
	d.Lines() // built here, before the workers share the document
	items := make([]int, 0, d.Len(0))
	for i, v := 0, d.First(0); i < d.Len(0); i, v = i+1, d.Next(v) {
		items = append(items, v)
	}
	parts := workers * 4
	size := (len(items) + parts - 1) / max(parts, 1)
	outs := make([][]byte, (len(items)+max(size, 1)-1)/max(size, 1))
	next := make(chan int)
	var wg sync.WaitGroup
	shared := new(policy.Arena)
	for range min(workers, len(outs)) {
		wg.Add(1)
		wk := newWorker(name, shared.Sibling())
		wk.r.d = &d
		go func() {
			defer crash.Guard()
			defer wg.Done()
			for part := range next {
				wk.recycle()
				lo, hi := part*size, min((part+1)*size, len(items))
				for i := lo; i < hi; i++ {
					path := rootPath.Item(i)
					outs[part] = wk.decide(outs[part], wk.r.entry(wk.reset(), items[i], &path))
				}
			}
		}()
	}
	for part := range outs {
		next <- part
	}
	close(next)
	wg.Wait()
	for _, out := range outs {
		if _, err := w.Write(out); err != nil {
			return err
		}
	}
	return nil
}

// A worker is what one goroutine of a batch reuses from case to case. Its
// arena is a sibling of the other workers', so that a statement compiled by
// one need not be compiled by the others. A case is done with once its
// output line is written, so the memory of a block's cases (their policies
// and lists) is reused for the next block's: a batch touches the same few
// hundred kilobytes again and again instead of new memory for every case,
// which costs a page fault per 4 KB.
type worker struct {
	r   caseReader
	doc jsontree.Doc
	c   Case
}

func newWorker(name string, arena *policy.Arena) *worker {
	wk := &worker{}
	wk.r = caseReader{name: name, d: &wk.doc, arena: arena, req: new(policy.Request), inPlace: true, noWarnings: true}
	return wk
}

// recycle reuses the memory of the cases decided so far for the next ones.
func (wk *worker) recycle() {
	wk.r.arena.Recycle()
	wk.r.strs.Rewind()
	wk.r.policies.Rewind()
	wk.r.levels.Rewind()
}

// reset returns the worker's Case, emptied for the next case.
func (wk *worker) reset() *Case {
	wk.c = Case{}
	return &wk.c
}

// lines decides the cases of a block of JSON lines and appends their output.
func (wk *worker) lines(out []byte, b *block) []byte {
	eachLine(b.data, b.firstLine, b.offset, func(line []byte, base policy.Position) {
		out = wk.decide(out, wk.r.line(wk.reset(), line, base))
	})
	return out
}

// decide appends the output line of one entry.
func (wk *worker) decide(out []byte, e Entry) []byte {
	decision, err := Decide(e)
	out = append(out, `{"id":`...)
	out = appendJSONString(out, e.ID)
	out = append(out, `,"decision":"`...)
	out = append(out, decision...)
	out = append(out, '"')
	if err != nil {
		out = append(out, `,"error":`...)
		out = appendJSONString(out, err.Error())
	}
	return append(out, "}\n"...)
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (without HTML escaping).
func appendJSONString(out []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s)
			return append(out, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})...)
		}
	}
	out = append(out, '"')
	out = append(out, s...)
	return append(out, '"')
}
