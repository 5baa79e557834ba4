package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/internal/cli"
	"github.com/logpath/logpath/internal/config"
	"github.com/logpath/logpath/load/cloudformation"
	"github.com/logpath/logpath/load/terraform"
	"github.com/logpath/logpath/load/tfhcl"
	"github.com/logpath/logpath/model"
)

const checkUsage = `logpath check follows every log delivery in its input from the source to the
destination, decides each gate the way AWS would, and prints the verdicts
(OK, WARN, UNKNOWN, FAIL) with the request AWS would deny and a proven fix.

Usage:
    logpath check [flags] [PATH...]

PATH is a file or a directory (default: the current directory). Files:
CloudFormation templates (YAML or JSON), Terraform plans and states
(terraform show -json), logpath snapshots (docs/snapshot.md); - reads standard
input. Directories: a directory of .tf files is a Terraform root module, a
cdk.out directory a CDK cloud assembly; any other directory is searched for
those and for templates, plans and snapshots (hidden directories, node_modules,
vendor and testdata are skipped, and so are Terraform directories that another
one calls as a local module).

Flags:
    --format FORMAT             text (default), json (docs/json-output.md), markdown (for
                                pull-request comments and CI job summaries, with Mermaid)
                                or sarif (for GitHub code scanning: docs/sarif.md)
    --output FILE               write the report to FILE instead of standard output
    --quiet                     print nothing when every delivery is OK
    --fail-on fail|unknown|warn exit 1 when a delivery is at least this bad (default fail)
    --explain                   show every gate, not only the ones that are not OK
    --no-color                  no colors in the text report (also: NO_COLOR set)
    --config FILE               read defaults and suppressions from FILE
                                (default: .logpath.yaml, when there is one)
    --account ID                the account the template deploys to (AWS::AccountId)
    --region REGION             the Region it deploys to (AWS::Region)
    --organization-id ID        the organization's ID (o-...): where organization
                                trails write, data.aws_organizations_organization
    --param Name=Value          a CloudFormation parameter (repeatable)
    --var NAME=VALUE            a Terraform variable (repeatable)
    --var-file FILE             a Terraform .tfvars file (repeatable)

Values logpath cannot know (a parameter without a default, an imported value, the
account when --account is not given, the organization of an organization trail
when --organization-id is not given) make the gates that need them UNKNOWN.

A finding is accepted with "# logpath:ignore GATE reason" on or above the
resource (YAML, HCL), Metadata {logpath: {ignore: [GATE]}} in CloudFormation, or
an ignore entry in .logpath.yaml. It is still reported, marked suppressed, and
does not count for --fail-on.

Exit codes: 0 nothing reaches --fail-on; 1 something does; 2 bad usage or unreadable input.

Examples:
    logpath check examples/network-firewall-s3-kms/cloudformation/broken.yaml
    logpath check --account 111122223333 --region ap-northeast-1 template.yaml
    logpath check --account 111122223333 --region ap-northeast-1 --var vpc_id=vpc-1 infra/
    logpath check --format sarif --output logpath.sarif .
    logpath check --format json --fail-on unknown account.json
`

func checkCommand(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "")
	output := fs.String("output", "", "")
	quiet := fs.Bool("quiet", false, "")
	failOn := fs.String("fail-on", "fail", "")
	explain := fs.Bool("explain", false, "")
	noColor := fs.Bool("no-color", false, "")
	configPath := fs.String("config", "", "")
	account := fs.String("account", "", "")
	region := fs.String("region", "", "")
	orgID := fs.String("organization-id", "", "")
	var params, vars, varFiles listFlag
	fs.Var(&params, "param", "")
	fs.Var(&vars, "var", "")
	fs.Var(&varFiles, "var-file", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, checkUsage)
			return err
		}
		return cli.Usagef("check: %v; run \"logpath help check\"", err)
	}
	// .logpath.yaml gives defaults; what the command line sets wins.
	cfgFile := *configPath
	if cfgFile == "" {
		cfgFile = config.File
	}
	cfg, err := config.Read(cfgFile, *configPath != "")
	if err != nil {
		return cli.Usagef("%v", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	pick := func(name string, flagValue *string, cfgValue string) {
		if !set[name] && cfgValue != "" {
			*flagValue = cfgValue
		}
	}
	pick("format", format, cfg.Format)
	pick("fail-on", failOn, cfg.FailOn)
	pick("account", account, cfg.Account)
	pick("region", region, cfg.Region)
	pick("organization-id", orgID, cfg.OrganizationID)
	if !set["explain"] && cfg.Explain {
		*explain = true
	}
	params = append(config.Pairs(cfg.Params), params...)
	vars = append(config.Pairs(cfg.Vars), vars...)
	varFiles = append(append(listFlag{}, cfg.VarFiles...), varFiles...)

	threshold, ok := cli.FailOnLevels[*failOn]
	if !ok {
		return cli.Usagef("check: --fail-on must be fail, unknown or warn, not %q", *failOn)
	}
	if !cli.Formats[*format] {
		return cli.Usagef("check: --format must be text, json, markdown or sarif, not %q", *format)
	}
	for _, p := range params {
		if k, _, ok := strings.Cut(p, "="); !ok || k == "" {
			return cli.Usagef("check: --param %q: expected Name=Value", p)
		}
	}
	for _, v := range vars {
		if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
			return cli.Usagef("check: --var %q: expected NAME=VALUE", v)
		}
	}
	if *account != "" && (len(*account) != 12 || strings.Trim(*account, "0123456789") != "") {
		return cli.Usagef("check: --account %q is not a 12-digit account ID", *account)
	}
	if *orgID != "" && !organizationID.MatchString(*orgID) {
		return cli.Usagef("check: --organization-id %q is not an organization ID (o- and 10 to 32 lower-case letters or digits)", *orgID)
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var inputs []input
	for _, p := range paths {
		in, err := discover(p)
		if err != nil {
			return cli.Fail(err)
		}
		// Finding nothing is an error, not a pass: a check run in the
		// wrong directory must not look like a clean result.
		if len(in) == 0 {
			return &cli.ExitError{Code: 2, Msg: fmt.Sprintf("nothing to check in %s: no CloudFormation template, Terraform configuration, cdk.out, Terraform plan or logpath snapshot found", p)}
		}
		inputs = append(inputs, in...)
	}
	defer checkMemoryLimit(inputSize(inputs))()
	m := &model.Model{}
	for i, in := range inputs {
		part, err := loadInput(in, stdin, loadOptions{account: *account, region: *region, orgID: *orgID, params: params, vars: vars, varFiles: varFiles})
		if err != nil {
			return err
		}
		// Two inputs may both define a LogKey: each input's references
		// stay within it.
		if len(inputs) > 1 {
			part.Isolate(fmt.Sprint(i))
		}
		m.Merge(part)
	}
	if *orgID != "" {
		m.AssumeOrganizationID(*orgID)
	}
	m.Suppressions = append(m.Suppressions, cfg.Suppressions(cfgFile)...)
	if err := delivery.CheckSuppressions(m.Suppressions); err != nil {
		return cli.Fail(err)
	}
	ds := delivery.Analyze(m)
	return cli.WriteReport(stdout, ds, cli.ReportOptions{Format: *format, Output: *output, Quiet: *quiet, Explain: *explain, NoColor: *noColor, Threshold: threshold})
}

// loadInput reads one input into a model.
func loadInput(in input, stdin io.Reader, o loadOptions) (*model.Model, error) {
	switch in.kind {
	case inTerraformDir:
		m, err := tfhcl.LoadDir(in.path, tfhcl.Options{Account: o.account, Region: o.region, OrganizationID: o.orgID, Vars: paramMap(o.vars), VarFiles: o.varFiles})
		if err != nil {
			return nil, cli.Fail(err)
		}
		return m, nil
	case inCloudAssembly:
		m, err := cloudformation.LoadCloudAssembly(in.path, cloudformation.Options{Account: o.account, Region: o.region, Params: paramMap(o.params)})
		if err != nil {
			return nil, cli.Fail(err)
		}
		return m, nil
	}
	file := in.path
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(stdin)
		file = "<stdin>"
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, cli.Fail(err)
	}
	return loadFile(file, data, o)
}

type loadOptions struct {
	account, region        string
	orgID                  string // --organization-id
	params, vars, varFiles []string
}

// loadFile detects a file's format and loads it into the model.
func loadFile(file string, data []byte, o loadOptions) (*model.Model, error) {
	if terraform.IsShowJSON(data) {
		m, err := terraform.Load(file, data, terraform.Options{Account: o.account, Region: o.region})
		if err != nil {
			return nil, cli.Fail(err)
		}
		return m, nil
	}
	if cloudformation.IsTemplate(data) && !isSnapshot(data) {
		m, err := cloudformation.Load(file, data, cloudformation.Options{Account: o.account, Region: o.region, Params: paramMap(o.params)})
		if err != nil {
			return nil, cli.Fail(err)
		}
		return m, nil
	}
	m, err := model.ReadSnapshot(file, data)
	if err != nil {
		return nil, cli.Fail(err)
	}
	return m, nil
}

// isSnapshot reports whether JSON data is a logpath snapshot.
func isSnapshot(data []byte) bool {
	t := strings.TrimSpace(string(data[:min(len(data), 4096)]))
	return strings.HasPrefix(t, "{") && strings.Contains(t, `"version"`) && !strings.Contains(t, `"Resources"`)
}

func paramMap(params []string) map[string]string {
	out := map[string]string{}
	for _, p := range params {
		k, v, _ := strings.Cut(p, "=")
		out[k] = v
	}
	return out
}

// organizationID is the form of an AWS Organizations organization ID.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
var organizationID = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
