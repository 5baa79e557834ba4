// Package crash keeps a bug in a worker goroutine from reaching the user as
// a stack trace. The CLI recovers panics on its main goroutine; a panic on
// any other goroutine would end the process with a trace no recover there
// can catch, so each worker defers Guard.
package crash

import (
	"fmt"
	"io"
	"os"
)

// exit and out are replaced in tests.
var (
	exit           = os.Exit
	out  io.Writer = os.Stderr
)

// Guard, deferred at the top of a goroutine, turns a panic into the same
// one-line message and exit code 2 as a panic on the main goroutine.
func Guard() {
	if r := recover(); r != nil {
		fmt.Fprintf(out, "logpath: internal error: %v (please report it with the input that caused it)\n", r)
		exit(2)
	}
}
