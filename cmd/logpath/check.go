package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/report"
)

const checkUsage = `logpath check follows every log delivery in its input from the source to the
destination, decides each gate the way AWS would, and prints the verdicts
(OK, WARN, UNKNOWN, FAIL) with the request AWS would deny and a proven fix.

Usage:
    logpath check [flags] FILE...

Input: logpath snapshots (docs/snapshot.md); - reads standard input.

Flags:
    --format text|json          (default text; json is documented in docs/json-output.md)
    --fail-on fail|unknown|warn exit 1 when a delivery is at least this bad (default fail)
    --explain                   show every gate, not only the ones that are not OK

Exit codes: 0 nothing reaches --fail-on; 1 something does; 2 bad usage or unreadable input.

Examples:
    logpath check examples/seed/snapshot.json
    logpath check --format json --fail-on unknown account.json
`

func checkCommand(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "")
	failOn := fs.String("fail-on", "fail", "")
	explain := fs.Bool("explain", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, checkUsage)
			return err
		}
		return usageError("check: %v; run \"logpath help check\"", err)
	}
	threshold, ok := map[string]delivery.Verdict{"fail": delivery.FAIL, "unknown": delivery.UNKNOWN, "warn": delivery.WARN}[*failOn]
	if !ok {
		return usageError("check: --fail-on must be fail, unknown or warn, not %q", *failOn)
	}
	if *format != "text" && *format != "json" {
		return usageError("check: --format must be text or json, not %q", *format)
	}
	if fs.NArg() == 0 {
		return usageError("check: name at least one snapshot file; run \"logpath help check\"")
	}
	m := &model.Model{}
	for _, file := range fs.Args() {
		var data []byte
		var err error
		if file == "-" {
			data, err = io.ReadAll(stdin)
			file = "<stdin>"
		} else {
			data, err = os.ReadFile(file)
		}
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		part, err := model.ReadSnapshot(file, data)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		m.Merge(part)
	}
	ds := delivery.Analyze(m)
	if *format == "json" {
		if err := report.JSON(stdout, ds); err != nil {
			return err
		}
	} else {
		report.Text(stdout, ds, *explain)
	}
	if len(ds) > 0 && report.Worst(ds) >= threshold {
		return &exitError{code: 1}
	}
	return nil
}
