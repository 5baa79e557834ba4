// Command logpath-audit is logpath audit: it reads live AWS accounts through
// the AWS SDK and decides every log delivery in them as logpath check does.
// logpath audit runs it; it is a binary of its own so that the SDK stays out
// of logpath (see package internal/cli). Its flags are logpath audit's:
//
//	logpath-audit --region ap-northeast-1
//
// is the same as
//
//	logpath audit --region ap-northeast-1
package main

import (
	"io"
	"os"

	"github.com/logpath/logpath/internal/cli"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	return cli.Run(stderr, func() error { return audit(args, stdout) })
}
