package cli

import (
	"io"
	"os"
	"path/filepath"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/report"
)

// ReportOptions are the report flags check and audit share.
type ReportOptions struct {
	Format, Output string
	Quiet, Explain bool
	NoColor        bool
	Threshold      delivery.Verdict
}

// Formats are the report formats of check and audit.
var Formats = map[string]bool{"text": true, "json": true, "markdown": true, "sarif": true}

// FailOnLevels are the values of --fail-on.
var FailOnLevels = map[string]delivery.Verdict{"fail": delivery.FAIL, "unknown": delivery.UNKNOWN, "warn": delivery.WARN}

// WriteReport writes the deliveries in the chosen format to standard
// output or --output, and returns exit code 1 when a delivery reaches
// --fail-on.
func WriteReport(stdout io.Writer, ds []delivery.Delivery, o ReportOptions) error {
	out := stdout
	if o.Output != "" {
		f, err := os.Create(o.Output)
		if err != nil {
			return Fail(err)
		}
		defer f.Close()
		out = f
	}
	switch {
	case o.Format == "json":
		if err := report.JSON(out, ds); err != nil {
			return err
		}
	case o.Format == "markdown":
		report.Markdown(out, ds)
	case o.Format == "sarif":
		if err := report.SARIF(out, ds, report.SARIFOptions{ToolVersion: VersionString(), Root: SARIFRoot()}); err != nil {
			return err
		}
	case !o.Quiet || report.Worst(ds) > delivery.OK:
		color := !o.NoColor && os.Getenv("NO_COLOR") == "" && IsTerminal(out)
		report.TextWith(out, ds, report.TextOptions{Explain: o.Explain, Color: color})
	}
	if len(ds) > 0 && report.Worst(ds) >= o.Threshold {
		return &ExitError{Code: 1}
	}
	return nil
}

// IsTerminal says whether w is a terminal, where colors are wanted.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// SARIFRoot is the directory SARIF artifact URIs are relative to. GitHub
// resolves relative URIs against the repository root, so that is the root
// even when logpath runs in a subdirectory (a workflow step with
// working-directory: infra). A variable so that tests can fix it.
var SARIFRoot = func() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return repoRoot(wd)
}

// repoRoot returns the nearest directory at or above dir that holds .git
// (a directory in a clone, a file in a worktree or submodule), or dir
// itself when there is none.
func repoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}
