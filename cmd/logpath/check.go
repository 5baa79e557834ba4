package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/load/cloudformation"
	"github.com/logpath/logpath/load/terraform"
	"github.com/logpath/logpath/load/tfhcl"
	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/report"
)

const checkUsage = `logpath check follows every log delivery in its input from the source to the
destination, decides each gate the way AWS would, and prints the verdicts
(OK, WARN, UNKNOWN, FAIL) with the request AWS would deny and a proven fix.

Usage:
    logpath check [flags] FILE...

Input: CloudFormation templates (YAML or JSON), CDK cloud assemblies (a cdk.out
directory), Terraform configurations (a directory of .tf files), Terraform plans
and states (terraform show -json), and logpath snapshots (docs/snapshot.md);
- reads standard input.

Flags:
    --format FORMAT             text (default), json (docs/json-output.md), markdown (for
                                pull-request comments and CI job summaries, with Mermaid)
                                or sarif (for GitHub code scanning: docs/sarif.md)
    --output FILE               write the report to FILE instead of standard output
    --quiet                     print nothing when every delivery is OK
    --fail-on fail|unknown|warn exit 1 when a delivery is at least this bad (default fail)
    --explain                   show every gate, not only the ones that are not OK
    --account ID                the account the template deploys to (AWS::AccountId)
    --region REGION             the Region it deploys to (AWS::Region)
    --param Name=Value          a CloudFormation parameter (repeatable)
    --var NAME=VALUE            a Terraform variable (repeatable)
    --var-file FILE             a Terraform .tfvars file (repeatable)

Values logpath cannot know (a parameter without a default, an imported value, the
account when --account is not given) make the gates that need them UNKNOWN.

Exit codes: 0 nothing reaches --fail-on; 1 something does; 2 bad usage or unreadable input.

Examples:
    logpath check examples/seed/snapshot.json
    logpath check --account 111122223333 --region ap-northeast-1 template.yaml
    logpath check --account 111122223333 --region ap-northeast-1 --var vpc_id=vpc-1 infra/
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
	account := fs.String("account", "", "")
	region := fs.String("region", "", "")
	var params, vars, varFiles listFlag
	fs.Var(&params, "param", "")
	fs.Var(&vars, "var", "")
	fs.Var(&varFiles, "var-file", "")
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
	if *format != "text" && *format != "json" && *format != "markdown" && *format != "sarif" {
		return usageError("check: --format must be text, json, markdown or sarif, not %q", *format)
	}
	for _, p := range params {
		if k, _, ok := strings.Cut(p, "="); !ok || k == "" {
			return usageError("check: --param %q: expected Name=Value", p)
		}
	}
	for _, v := range vars {
		if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
			return usageError("check: --var %q: expected NAME=VALUE", v)
		}
	}
	if *account != "" && (len(*account) != 12 || strings.Trim(*account, "0123456789") != "") {
		return usageError("check: --account %q is not a 12-digit account ID", *account)
	}
	if fs.NArg() == 0 {
		return usageError("check: name at least one snapshot file; run \"logpath help check\"")
	}
	m := &model.Model{}
	for _, file := range fs.Args() {
		if st, err := os.Stat(file); err == nil && st.IsDir() {
			if tfFiles, _ := filepath.Glob(filepath.Join(file, "*.tf")); len(tfFiles) > 0 {
				part, err := tfhcl.LoadDir(file, tfhcl.Options{Account: *account, Region: *region, Vars: paramMap(vars), VarFiles: varFiles})
				if err != nil {
					return &exitError{code: 2, msg: err.Error()}
				}
				m.Merge(part)
				continue
			}
			if !cloudformation.IsCloudAssembly(file) {
				return &exitError{code: 2, msg: fmt.Sprintf("%s: a directory logpath can read holds Terraform .tf files or is a CDK cloud assembly (cdk.out, with manifest.json)", file)}
			}
			part, err := cloudformation.LoadCloudAssembly(file, cloudformation.Options{Account: *account, Region: *region, Params: paramMap(params)})
			if err != nil {
				return &exitError{code: 2, msg: err.Error()}
			}
			m.Merge(part)
			continue
		}
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
		part, err := loadFile(file, data, loadOptions{account: *account, region: *region, params: params})
		if err != nil {
			return err
		}
		m.Merge(part)
	}
	ds := delivery.Analyze(m)
	out := stdout
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		defer f.Close()
		out = f
	}
	switch {
	case *format == "json":
		if err := report.JSON(out, ds); err != nil {
			return err
		}
	case *format == "markdown":
		report.Markdown(out, ds)
	case *format == "sarif":
		if err := report.SARIF(out, ds, report.SARIFOptions{ToolVersion: versionString(), Root: sarifRoot()}); err != nil {
			return err
		}
	case !*quiet || report.Worst(ds) > delivery.OK:
		report.Text(out, ds, *explain)
	}
	if len(ds) > 0 && report.Worst(ds) >= threshold {
		return &exitError{code: 1}
	}
	return nil
}

type loadOptions struct {
	account, region string
	params          []string
}

// loadFile detects a file's format and loads it into the model.
func loadFile(file string, data []byte, o loadOptions) (*model.Model, error) {
	if terraform.IsShowJSON(data) {
		m, err := terraform.Load(file, data, terraform.Options{Account: o.account, Region: o.region})
		if err != nil {
			return nil, &exitError{code: 2, msg: err.Error()}
		}
		return m, nil
	}
	if cloudformation.IsTemplate(data) && !isSnapshot(data) {
		m, err := cloudformation.Load(file, data, cloudformation.Options{Account: o.account, Region: o.region, Params: paramMap(o.params)})
		if err != nil {
			return nil, &exitError{code: 2, msg: err.Error()}
		}
		return m, nil
	}
	m, err := model.ReadSnapshot(file, data)
	if err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
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
