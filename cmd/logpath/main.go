// Command logpath proves that AWS log delivery works: it evaluates the
// policies on every gate between a log source and its destination the way
// AWS does.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/logpath/logpath/internal/cli"
)

const usage = `logpath proves that AWS log delivery works before anyone finds out it doesn't.

Usage:
    logpath check [flags] [PATH...]
                                   check every log delivery in CloudFormation, CDK,
                                   Terraform (HCL, plan, state) or a snapshot
    logpath audit [flags]          audit live AWS accounts, with AWS's own evidence
                                   (runs logpath-audit, installed beside logpath)
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

func main() {
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	os.Exit(code)
}

// run is main without the process: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return cli.Run(stderr, func() error { return dispatch(args, stdin, stdout, stderr) })
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &cli.ExitError{Code: 2}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "simulate":
		return simulateCommand(rest, stdin, stdout, stderr)
	case "check":
		return checkCommand(rest, stdin, stdout)
	case "audit":
		return auditCommand(rest, stdin, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "logpath", cli.VersionString())
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
				fmt.Fprint(stdout, cli.AuditUsage)
				return nil
			}
			return cli.Usagef("unknown command %q; run \"logpath help\"", rest[0])
		}
		fmt.Fprint(stdout, usage)
		return nil
	default:
		return cli.Usagef("unknown command %q; run \"logpath help\"", cmd)
	}
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }
