package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/internal/cli"
	"github.com/logpath/logpath/load/live"
	"github.com/logpath/logpath/model"
)

// audit is logpath audit: it reads the accounts, optionally writes the
// snapshot, and writes the report as check does.
func audit(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o live.Options
	var regions, accounts string
	fs.StringVar(&o.Profile, "profile", "", "")
	fs.StringVar(&regions, "region", "", "")
	fs.BoolVar(&o.AllRegions, "all-regions", false, "")
	fs.StringVar(&o.RoleARN, "role-arn", "", "")
	fs.StringVar(&o.ExternalID, "external-id", "", "")
	fs.StringVar(&accounts, "accounts", "", "")
	fs.BoolVar(&o.Org, "org", false, "")
	fs.StringVar(&o.OU, "ou", "", "")
	fs.StringVar(&o.RoleName, "role-name", "", "")
	fs.IntVar(&o.ParallelAccounts, "parallel", 4, "")
	evidence := fs.String("evidence", "objects", "")
	fs.DurationVar(&o.Lookback, "lookback", 24*time.Hour, "")
	snapshotOut := fs.String("snapshot-out", "", "")
	var ro cli.ReportOptions
	fs.StringVar(&ro.Format, "format", "text", "")
	fs.StringVar(&ro.Output, "output", "", "")
	fs.BoolVar(&ro.Quiet, "quiet", false, "")
	fs.BoolVar(&ro.Explain, "explain", false, "")
	fs.BoolVar(&ro.NoColor, "no-color", false, "")
	failOn := fs.String("fail-on", "fail", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, cli.AuditUsage)
			return err
		}
		return cli.Usagef("audit: %v; run \"logpath help audit\"", err)
	}
	if fs.NArg() > 0 {
		return cli.Usagef("audit: unexpected argument %q (audit reads AWS, not files; logpath check reads files)", fs.Arg(0))
	}
	var ok bool
	if ro.Threshold, ok = cli.FailOnLevels[*failOn]; !ok {
		return cli.Usagef("audit: --fail-on must be fail, unknown or warn, not %q", *failOn)
	}
	if !cli.Formats[ro.Format] {
		return cli.Usagef("audit: --format must be text, json, markdown or sarif, not %q", ro.Format)
	}
	switch *evidence {
	case "objects":
		o.Evidence = live.EvidenceObjects
	case "none":
		o.Evidence = live.EvidenceNone
	case "metrics":
		o.Evidence = live.EvidenceMetrics
	default:
		return cli.Usagef("audit: --evidence must be none, objects or metrics, not %q", *evidence)
	}
	if o.Lookback < 20*time.Minute {
		return cli.Usagef("audit: --lookback %s is too short: S3 delivers Network Firewall logs 8 to 12 minutes late; use 20m or more", o.Lookback)
	}
	o.Regions = splitList(regions)
	o.Accounts = splitList(accounts)
	switch {
	case o.AllRegions && len(o.Regions) > 0:
		return cli.Usagef("audit: --region and --all-regions exclude each other")
	case o.Org && len(o.Accounts) > 0, o.RoleARN != "" && (o.Org || len(o.Accounts) > 0):
		return cli.Usagef("audit: --role-arn, --accounts and --org exclude each other")
	case o.OU != "" && !o.Org:
		return cli.Usagef("audit: --ou needs --org")
	case o.Org && o.RoleName == "":
		return cli.Usagef("audit: --org needs --role-name, the role to assume in each account")
	case o.ExternalID != "" && o.RoleARN == "" && o.RoleName == "":
		return cli.Usagef("audit: --external-id needs --role-arn or --role-name")
	case o.ParallelAccounts < 1:
		return cli.Usagef("audit: --parallel must be at least 1")
	}
	for _, id := range o.Accounts {
		if len(id) != 12 || strings.Trim(id, "0123456789") != "" {
			return cli.Usagef("audit: --accounts: %q is not a 12-digit account ID", id)
		}
	}
	m, err := live.Read(context.Background(), o)
	if err != nil {
		var se *live.SetupError
		if errors.As(err, &se) {
			return &cli.ExitError{Code: 2, Msg: "audit: " + se.Msg}
		}
		return &cli.ExitError{Code: 2, Msg: "audit: " + err.Error()}
	}
	if *snapshotOut != "" {
		data, err := model.WriteSnapshot(m)
		if err != nil {
			return &cli.ExitError{Code: 2, Msg: "audit: " + err.Error()}
		}
		if err := os.WriteFile(*snapshotOut, append(data, '\n'), 0o644); err != nil {
			return &cli.ExitError{Code: 2, Msg: "audit: " + err.Error()}
		}
	}
	return cli.WriteReport(stdout, delivery.Analyze(m), ro)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
