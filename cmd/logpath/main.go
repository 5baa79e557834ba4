// Command logpath proves that AWS log delivery works: it evaluates the
// policies on every gate between a log source and its destination the way
// AWS does.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

const usage = `logpath proves that AWS log delivery works before anyone finds out it doesn't.

Usage:
    logpath check [flags] [PATH...]
                                   check every log delivery in CloudFormation, CDK,
                                   Terraform (HCL, plan, state) or a snapshot
    logpath audit [flags]          audit live AWS accounts, with AWS's own evidence
    logpath simulate [flags]       evaluate a request against AWS policies
    logpath version                print the version
    logpath help [command]         show help for a command

Run "logpath help check", "logpath help audit" or "logpath help simulate" for
flags and examples.

Example:
    logpath check --account 111122223333 --region ap-northeast-1 infra/

Exit codes: 0 success; 1 check or audit found a delivery at or above --fail-on;
2 bad usage or unreadable input.
`

// version is set by the release build (-ldflags "-X main.version=...").
var version = ""

// exitError carries an exit code to main; its message is printed as is.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageError(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

func main() {
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	os.Exit(code)
}

// run is main without the process: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	// A bug must not reach the user as a stack trace: say what happened
	// in one line and exit 2, as for unreadable input.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "logpath: internal error: %v (please report it with the input that caused it)\n", r)
			code = 2
		}
	}()
	err := dispatch(args, stdin, stdout, stderr)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(stderr, "logpath: %s\n", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "logpath: %v\n", err)
	return 2
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &exitError{code: 2}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "simulate":
		return simulateCommand(rest, stdin, stdout, stderr)
	case "check":
		return checkCommand(rest, stdin, stdout)
	case "audit":
		return auditCommand(rest, stdout)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "logpath", versionString())
		return nil
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			switch rest[0] {
			case "simulate":
				fmt.Fprint(stdout, simulateUsage)
				return nil
			case "check":
				fmt.Fprint(stdout, checkUsage)
				return nil
			case "audit":
				fmt.Fprint(stdout, auditUsage)
				return nil
			}
			return usageError("unknown command %q; run \"logpath help\"", rest[0])
		}
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return usageError("unknown command %q; run \"logpath help\"", cmd)
	}
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }
