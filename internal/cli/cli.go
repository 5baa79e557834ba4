// Package cli holds what the two logpath binaries share: how an error
// becomes an exit code, the report flags and how a report is written, the
// version, and the audit's usage text.
//
// There are two binaries so that the AWS SDK stays out of logpath itself:
// logpath (check, simulate) links no AWS client and starts in about 2 ms,
// while logpath-audit, which reads live accounts through the SDK, pays the
// SDK's package initialisation (about 12 ms of schemas and endpoint regular
// expressions) on every start. logpath audit runs logpath-audit.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
)

// ExitError carries an exit code to main; its message, when there is one,
// is printed as is after the program's name.
type ExitError struct {
	Code int
	Msg  string
}

func (e *ExitError) Error() string { return e.Msg }

// Usagef is bad usage or unreadable input: exit code 2.
func Usagef(format string, args ...any) error {
	return &ExitError{Code: 2, Msg: fmt.Sprintf(format, args...)}
}

// Fail is err as exit code 2, for input that cannot be read.
func Fail(err error) error {
	return &ExitError{Code: 2, Msg: err.Error()}
}

// Run runs a command and returns its exit code: 0 without error or on
// -h, the ExitError's code, and 2 for any other error and for a panic. A bug
// must not reach the user as a stack trace: it is said in one line, as for
// unreadable input.
func Run(stderr io.Writer, command func() error) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "logpath: internal error: %v (please report it with the input that caused it)\n", r)
			code = 2
		}
	}()
	err := command()
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Msg != "" {
			fmt.Fprintf(stderr, "logpath: %s\n", ee.Msg)
		}
		return ee.Code
	}
	fmt.Fprintf(stderr, "logpath: %v\n", err)
	return 2
}

// Version is set by a release build, for both binaries:
//
//	-ldflags "-X github.com/logpath/logpath/internal/cli.Version=v1.2.3"
var Version = ""

// VersionString is Version, else the module version go install recorded,
// else "devel".
func VersionString() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
