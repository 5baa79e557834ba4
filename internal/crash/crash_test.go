package crash

import (
	"bytes"
	"testing"
)

func TestGuardTurnsAPanicIntoOneLineAndExit2(t *testing.T) {
	var buf bytes.Buffer
	code := -1
	out, exit = &buf, func(c int) { code = c }
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer Guard()
		panic("boom")
	}()
	<-done
	if code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if got := buf.String(); got != "logpath: internal error: boom (please report it with the input that caused it)\n" {
		t.Errorf("message %q", got)
	}
}
