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
	"github.com/logpath/logpath/load/live"
	"github.com/logpath/logpath/model"
)

const auditUsage = `logpath audit reads AWS accounts as they are (read-only: Describe, Get and List
calls only), decides every log delivery the way check does, and shows next to
each verdict what AWS itself shows: its own delivery status where the service
has one, and whether logs are arriving. Sources read: Network Firewall, VPC Flow
Logs (with the IAM role of a flow log to CloudWatch Logs), Route 53 Resolver
query logging, AWS WAF (CLOUDFRONT web ACLs when us-east-1 is read).

Usage:
    logpath audit [flags]

Credentials come from the standard chain: environment, shared config and
credentials files (--profile), SSO, instance roles. AWS_ENDPOINT_URL and
AWS_ENDPOINT_URL_<SERVICE> are honoured (S3 is then addressed path-style).
Permissions: docs/iam-policy.json, or the AWS managed policy SecurityAudit
(plus cloudwatch:GetMetricData for --evidence metrics).

Flags:
    --profile NAME              the shared-config profile to use
    --region R1,R2              the Regions to read (default: the configured Region)
    --all-regions               every Region enabled in each account
    --role-arn ARN              audit the account behind this role
    --external-id ID            the external ID the role's trust policy asks for
    --accounts ID,ID            audit these accounts, through --role-name in each
                                (the caller's own account needs no role)
    --org                       audit every active account of the organization
                                (from the management account or a delegated administrator)
    --ou ID                     with --org: only the accounts under this OU
    --role-name NAME            the read-only role to assume in each account
    --parallel N                accounts read at once (default 4)
    --evidence none|objects|metrics
                                objects (default): list delivered S3 objects and log
                                streams (never reads one); metrics: also read the
                                firewalls' traffic (CloudWatch GetMetricData, which
                                AWS bills); none: configuration only
    --lookback DURATION         how far back logs count as arriving (default 24h,
                                at least 20m: S3 delivery takes 8 to 12 minutes)
    --snapshot-out FILE         also write what was read as a logpath snapshot;
                                logpath check FILE gives the same verdicts offline
    --format FORMAT             text (default), json, markdown or sarif, as for check
    --output FILE               write the report to FILE instead of standard output
    --quiet                     print nothing when every delivery is OK
    --fail-on fail|unknown|warn exit 1 when a delivery is at least this bad (default fail)
    --explain                   show every gate, not only the ones that are not OK
    --no-color                  no colors in the text report (also: NO_COLOR set)

A read that is denied makes the gates that need it UNKNOWN, naming the missing
IAM action. An account that cannot be entered is reported and the others go on.

Exit codes: 0 nothing reaches --fail-on; 1 something does; 2 bad usage, or no
usable credentials.

Examples:
    logpath audit --region ap-northeast-1
    logpath audit --profile audit --all-regions --evidence metrics
    logpath audit --accounts 111122223333,444455556666 --role-name LogpathAudit
    logpath audit --org --role-name LogpathAudit --format sarif --output audit.sarif
    logpath audit --snapshot-out account.json && logpath check account.json
`

func auditCommand(args []string, stdout io.Writer) error {
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
	var ro reportOptions
	fs.StringVar(&ro.format, "format", "text", "")
	fs.StringVar(&ro.output, "output", "", "")
	fs.BoolVar(&ro.quiet, "quiet", false, "")
	fs.BoolVar(&ro.explain, "explain", false, "")
	fs.BoolVar(&ro.noColor, "no-color", false, "")
	failOn := fs.String("fail-on", "fail", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, auditUsage)
			return err
		}
		return usageError("audit: %v; run \"logpath help audit\"", err)
	}
	if fs.NArg() > 0 {
		return usageError("audit: unexpected argument %q (audit reads AWS, not files; logpath check reads files)", fs.Arg(0))
	}
	var ok bool
	if ro.threshold, ok = failOnLevels[*failOn]; !ok {
		return usageError("audit: --fail-on must be fail, unknown or warn, not %q", *failOn)
	}
	if !formats[ro.format] {
		return usageError("audit: --format must be text, json, markdown or sarif, not %q", ro.format)
	}
	switch *evidence {
	case "objects":
		o.Evidence = live.EvidenceObjects
	case "none":
		o.Evidence = live.EvidenceNone
	case "metrics":
		o.Evidence = live.EvidenceMetrics
	default:
		return usageError("audit: --evidence must be none, objects or metrics, not %q", *evidence)
	}
	if o.Lookback < 20*time.Minute {
		return usageError("audit: --lookback %s is too short: S3 delivers Network Firewall logs 8 to 12 minutes late; use 20m or more", o.Lookback)
	}
	o.Regions = splitList(regions)
	o.Accounts = splitList(accounts)
	switch {
	case o.AllRegions && len(o.Regions) > 0:
		return usageError("audit: --region and --all-regions exclude each other")
	case o.Org && len(o.Accounts) > 0, o.RoleARN != "" && (o.Org || len(o.Accounts) > 0):
		return usageError("audit: --role-arn, --accounts and --org exclude each other")
	case o.OU != "" && !o.Org:
		return usageError("audit: --ou needs --org")
	case o.Org && o.RoleName == "":
		return usageError("audit: --org needs --role-name, the role to assume in each account")
	case o.ExternalID != "" && o.RoleARN == "" && o.RoleName == "":
		return usageError("audit: --external-id needs --role-arn or --role-name")
	case o.ParallelAccounts < 1:
		return usageError("audit: --parallel must be at least 1")
	}
	for _, id := range o.Accounts {
		if len(id) != 12 || strings.Trim(id, "0123456789") != "" {
			return usageError("audit: --accounts: %q is not a 12-digit account ID", id)
		}
	}
	m, err := live.Read(context.Background(), o)
	if err != nil {
		var se *live.SetupError
		if errors.As(err, &se) {
			return &exitError{code: 2, msg: "audit: " + se.Msg}
		}
		return &exitError{code: 2, msg: "audit: " + err.Error()}
	}
	if *snapshotOut != "" {
		data, err := model.WriteSnapshot(m)
		if err != nil {
			return &exitError{code: 2, msg: "audit: " + err.Error()}
		}
		if err := os.WriteFile(*snapshotOut, append(data, '\n'), 0o644); err != nil {
			return &exitError{code: 2, msg: "audit: " + err.Error()}
		}
	}
	return writeReport(stdout, delivery.Analyze(m), ro)
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
