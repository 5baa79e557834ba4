package cli

// AuditUsage is the help of logpath audit. It is here, not in logpath-audit,
// so that "logpath help audit" needs only logpath.
const AuditUsage = `logpath audit reads AWS accounts as they are (read-only: Describe, Get and List
calls only), decides every log delivery the way check does, and shows next to
each verdict what AWS itself shows: its own delivery status where the service
has one, and whether logs are arriving. Sources read: Network Firewall, VPC Flow
Logs (with the IAM role of a flow log to CloudWatch Logs), Route 53 Resolver
query logging, AWS WAF (CLOUDFRONT web ACLs when us-east-1 is read).

Usage:
    logpath audit [flags]
    logpath-audit [flags]       the same: logpath audit runs logpath-audit, the one
                                logpath program that links the AWS SDK

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
