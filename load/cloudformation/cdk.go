package cloudformation

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/logpath/logpath/model"
)

// IsCloudAssembly reports whether dir is a CDK cloud assembly (cdk.out).
func IsCloudAssembly(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "manifest.json"))
	return err == nil
}

// manifest is the part of a cloud assembly's manifest.json logpath reads.
// https://docs.aws.amazon.com/cdk/v2/guide/deploy.html (cloud assemblies)
type manifest struct {
	Artifacts map[string]struct {
		Type        string `json:"type"`
		Environment string `json:"environment"`
		Properties  struct {
			TemplateFile string `json:"templateFile"`
		} `json:"properties"`
	} `json:"artifacts"`
}

// LoadCloudAssembly reads every stack of a CDK cloud assembly, with the
// nested stacks whose templates it holds as local assets. A stack's
// environment (aws://account/region) fills the account and Region unless
// the options give them.
func LoadCloudAssembly(dir string, opts Options) (*model.Model, error) {
	path := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	var man manifest
	if err := json.Unmarshal(data, &man); err != nil {
		return nil, &Error{File: path, Msg: "not a cloud assembly manifest: " + err.Error()}
	}
	names := make([]string, 0, len(man.Artifacts))
	for name, a := range man.Artifacts {
		if a.Type == "aws:cloudformation:stack" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := &model.Model{}
	roleNames := map[string][]*model.IAMRole{} // the stacks share the model
	for _, name := range names {
		a := man.Artifacts[name]
		o := opts
		if acct, region, ok := parseEnvironment(a.Environment); ok {
			if o.Account == "" && acct != "" {
				o.Account = acct
			}
			if o.Region == "" && region != "" {
				o.Region = region
			}
		}
		file := filepath.Join(dir, a.Properties.TemplateFile)
		tdata, err := os.ReadFile(file)
		if err != nil {
			return nil, &Error{File: path, Msg: fmt.Sprintf("stack %s: %v", name, err)}
		}
		root, err := parse(file, tdata)
		if err != nil {
			return nil, err
		}
		l := &loader{file: file, opts: o, m: out, prefix: name + "/", assets: dir, roleNames: roleNames}
		if err := l.template(root, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parseEnvironment reads aws://ACCOUNT/REGION; CDK writes unknown-account
// and unknown-region for environment-agnostic stacks.
func parseEnvironment(env string) (account, region string, ok bool) {
	rest, ok := strings.CutPrefix(env, "aws://")
	if !ok {
		return "", "", false
	}
	account, region, ok = strings.Cut(rest, "/")
	if !ok {
		return "", "", false
	}
	if account == "unknown-account" {
		account = ""
	}
	if region == "unknown-region" {
		region = ""
	}
	return account, region, true
}

// nestedStack reads AWS::CloudFormation::Stack whose template CDK wrote as a
// local asset (Metadata "aws:asset:path"); others cannot be followed.
func (l *loader) nestedStack(res *resource) error {
	asset := res.v.get("Metadata").get("aws:asset:path")
	if l.assets == "" || asset == nil || asset.kind != kString {
		return nil // a nested template that is not in the input: nothing to read
	}
	if l.depth > 8 {
		return l.errorf(res.v, "%s: nested stacks deeper than 8 levels", res.id)
	}
	file := filepath.Join(l.assets, filepath.Base(asset.s))
	data, err := os.ReadFile(file)
	if err != nil {
		return l.errorf(res.v, "%s: nested stack template: %v", res.id, err)
	}
	root, err := parse(file, data)
	if err != nil {
		return err
	}
	given := map[string]*val{}
	if ps := res.props.get("Parameters"); ps != nil && ps.kind == kMap {
		for i, k := range ps.keys {
			given[k] = l.r.resolve(ps.vals[i])
		}
	}
	child := &loader{file: file, opts: l.opts, m: l.m, prefix: l.prefix + res.id + "/", assets: l.assets, depth: l.depth + 1, roleNames: l.roleNames}
	return child.template(root, given)
}
