package main

import (
	"io"
	"os"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/report"
)

// reportOptions are the report flags check and audit share.
type reportOptions struct {
	format, output string
	quiet, explain bool
	noColor        bool
	threshold      delivery.Verdict
}

// formats are the report formats of check and audit.
var formats = map[string]bool{"text": true, "json": true, "markdown": true, "sarif": true}

// failOnLevels are the values of --fail-on.
var failOnLevels = map[string]delivery.Verdict{"fail": delivery.FAIL, "unknown": delivery.UNKNOWN, "warn": delivery.WARN}

// writeReport writes the deliveries in the chosen format to standard
// output or --output, and returns exit code 1 when a delivery reaches
// --fail-on.
func writeReport(stdout io.Writer, ds []delivery.Delivery, o reportOptions) error {
	out := stdout
	if o.output != "" {
		f, err := os.Create(o.output)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		defer f.Close()
		out = f
	}
	switch {
	case o.format == "json":
		if err := report.JSON(out, ds); err != nil {
			return err
		}
	case o.format == "markdown":
		report.Markdown(out, ds)
	case o.format == "sarif":
		if err := report.SARIF(out, ds, report.SARIFOptions{ToolVersion: versionString(), Root: sarifRoot()}); err != nil {
			return err
		}
	case !o.quiet || report.Worst(ds) > delivery.OK:
		color := !o.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(out)
		report.TextWith(out, ds, report.TextOptions{Explain: o.explain, Color: color})
	}
	if len(ds) > 0 && report.Worst(ds) >= o.threshold {
		return &exitError{code: 1}
	}
	return nil
}
