// Package tfhcl reads a directory of Terraform configuration (.tf files)
// into logpath's model, without running Terraform. Values Terraform knows
// from the configuration alone (literals, variables, locals, what the
// configuration sets on resources) are evaluated; values known only after
// apply (generated IDs and ARNs) are UNKNOWN with a reason, and a reference
// to a resource links the model resources through their Ref fields.
package tfhcl

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/logpath/logpath/model"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Options are the values a configuration cannot know by itself.
type Options struct {
	Account, Region string
	// OrganizationID is the ID of the organization (--organization-id):
	// data.aws_organizations_organization's id.
	OrganizationID string
	// Vars are variable values (--var NAME=VALUE); they override tfvars files.
	Vars map[string]string
	// VarFiles are .tfvars files read after terraform.tfvars and *.auto.tfvars.
	VarFiles []string
}

// Error is a configuration that cannot be read, located in its file.
type Error struct {
	File         string
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// diagError turns the first error diagnostic into an *Error.
func diagError(diags hcl.Diagnostics, file string) error {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		e := &Error{File: file, Msg: d.Summary}
		if d.Detail != "" {
			e.Msg += ": " + d.Detail
		}
		if d.Subject != nil {
			e.File, e.Line, e.Column = d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column
		}
		return e
	}
	return nil
}

// maxModuleDepth bounds module nesting (and module cycles), maxModules the
// number of module instances.
const (
	maxModuleDepth = 16
	maxModules     = 1000
)

type loader struct {
	opts    Options
	root    string
	parser  *hclparse.Parser
	modDirs map[string]string // modules.json: key → directory
	vars    map[string]varValue
	m       *model.Model
	mods    []*module
	funcs   map[string]function.Function
	// scanned are the files whose logpath:ignore comments are read.
	scanned map[string]bool
}

// varValue is a root variable value from a tfvars file or --var.
type varValue struct {
	expr hcl.Expression // from a tfvars file
	raw  *string        // from --var
}

// LoadDir reads the Terraform configuration in dir (the root module).
func LoadDir(dir string, opts Options) (_ *model.Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error reading the Terraform configuration: %v", dir, r)
		}
	}()
	l := &loader{opts: opts, root: dir, parser: hclparse.NewParser(), vars: map[string]varValue{}, m: &model.Model{}}
	l.readModulesJSON()
	root, err := l.loadModule(dir, nil, nil, "", "", inst{})
	if err != nil {
		return nil, err
	}
	if err := l.readVars(dir); err != nil {
		return nil, err
	}
	if err := l.expandModules(root, 0); err != nil {
		return nil, err
	}
	l.build()
	return l.m, nil
}

// readModulesJSON reads .terraform/modules/modules.json, written by
// terraform init, which says where each module call was downloaded.
func (l *loader) readModulesJSON() {
	l.modDirs = map[string]string{}
	data, err := os.ReadFile(filepath.Join(l.root, ".terraform", "modules", "modules.json"))
	if err != nil {
		return
	}
	var mj struct {
		Modules []struct{ Key, Source, Dir string }
	}
	if json.Unmarshal(data, &mj) != nil {
		return
	}
	for _, m := range mj.Modules {
		if m.Key != "" && m.Dir != "" {
			d := filepath.FromSlash(m.Dir)
			if !filepath.IsAbs(d) {
				d = filepath.Join(l.root, d)
			}
			l.modDirs[m.Key] = d
		}
	}
}

// readVars reads terraform.tfvars, *.auto.tfvars (in lexical order), the
// given var files, then --var values, later ones overriding earlier ones.
func (l *loader) readVars(dir string) error {
	var files []string
	if _, err := os.Stat(filepath.Join(dir, "terraform.tfvars")); err == nil {
		files = append(files, filepath.Join(dir, "terraform.tfvars"))
	}
	auto, _ := filepath.Glob(filepath.Join(dir, "*.auto.tfvars"))
	sort.Strings(auto)
	files = append(files, auto...)
	files = append(files, l.opts.VarFiles...)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return &Error{File: f, Msg: err.Error()}
		}
		file, diags := parseHCL(src, f, hcl.InitialPos)
		if diags.HasErrors() {
			return diagError(diags, f)
		}
		attrs, diags := file.Body.JustAttributes()
		if diags.HasErrors() {
			return diagError(diags, f)
		}
		for name, a := range attrs {
			l.vars[name] = varValue{expr: a.Expr}
		}
	}
	for name, v := range l.opts.Vars {
		v := v
		l.vars[name] = varValue{raw: &v}
	}
	return nil
}

// module is one instance of a module: the root, or a module call.
type module struct {
	l      *loader
	dir    string
	key    string // modules.json key: "" for the root, "a", "a.b"
	prefix string // address prefix: "", "module.a.", `module.a["x"].`
	parent *module
	call   *hclsyntax.Block // the module block in the parent
	callIn inst             // the call's instance in the parent
	// missing, when set, is why the module's source cannot be read.
	missing string

	vars      map[string]*hclsyntax.Block
	locals    map[string]*hclsyntax.Attribute
	resources map[string]*hclsyntax.Block // "type.name"
	data      map[string]*hclsyntax.Block // "type.name"
	calls     map[string]*hclsyntax.Block
	outputs   map[string]*hclsyntax.Attribute
	providers map[string]*hclsyntax.Block // "aws", "aws.alias"
	order     []string                    // resource keys in file order
	dataOrder []string

	children map[string][]*module // by call name
	childKey map[*module]cty.Value
	memo     map[string]cty.Value
	busy     map[string]bool
	docs     map[string]*renderedDoc // by data source instance address
	scopes   map[string]cty.Value    // var and local objects, by scopeKey
}

// loadModule parses the .tf files of a module directory.
func (l *loader) loadModule(dir string, parent *module, call *hclsyntax.Block, key, prefix string, in inst) (*module, error) {
	m := &module{l: l, dir: dir, key: key, prefix: prefix, parent: parent, call: call, callIn: in,
		vars: map[string]*hclsyntax.Block{}, locals: map[string]*hclsyntax.Attribute{},
		resources: map[string]*hclsyntax.Block{}, data: map[string]*hclsyntax.Block{},
		calls: map[string]*hclsyntax.Block{}, outputs: map[string]*hclsyntax.Attribute{},
		providers: map[string]*hclsyntax.Block{}, children: map[string][]*module{}, childKey: map[*module]cty.Value{},
		memo: map[string]cty.Value{}, busy: map[string]bool{}, docs: map[string]*renderedDoc{}}
	l.mods = append(l.mods, m)
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return nil, &Error{File: dir, Msg: err.Error()}
	}
	if len(files) == 0 {
		if parent == nil {
			return nil, &Error{File: dir, Msg: "no Terraform configuration (.tf files) in the directory"}
		}
		m.missing = fmt.Sprintf("module %s (%s) has no .tf files", strings.TrimSuffix(prefix, "."), dir)
		return m, nil
	}
	sort.Strings(files)
	sources := l.parseFiles(files)
	for i, f := range files {
		if isOverride(f) {
			return nil, &Error{File: f, Msg: "Terraform override files are not supported; merge the override into the configuration"}
		}
		sf := sources[i]
		if sf.err != nil {
			return nil, &Error{File: f, Msg: sf.err.Error()}
		}
		if sf.diags.HasErrors() {
			return nil, diagError(sf.diags, f)
		}
		body, ok := sf.file.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		if err := m.addBody(body); err != nil {
			return nil, err
		}
		if err := l.suppressions(f, sf.src, body); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func isOverride(file string) bool {
	base := filepath.Base(file)
	return base == "override.tf" || strings.HasSuffix(base, "_override.tf")
}

func blockErr(b *hclsyntax.Block, format string, args ...any) error {
	r := b.DefRange()
	return &Error{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column, Msg: fmt.Sprintf(format, args...)}
}

// addBody records the top-level blocks of one file.
func (m *module) addBody(body *hclsyntax.Body) error {
	for _, b := range body.Blocks {
		switch b.Type {
		case "variable", "module", "output":
			if len(b.Labels) != 1 {
				return blockErr(b, "a %s block needs one label", b.Type)
			}
			name := b.Labels[0]
			switch b.Type {
			case "variable":
				m.vars[name] = b
			case "module":
				if m.calls[name] != nil {
					return blockErr(b, "duplicate module call %q", name)
				}
				m.calls[name] = b
			case "output":
				if a := b.Body.Attributes["value"]; a != nil {
					m.outputs[name] = a
				}
			}
		case "locals":
			for name, a := range b.Body.Attributes {
				m.locals[name] = a
			}
		case "resource", "data":
			if len(b.Labels) != 2 {
				return blockErr(b, "a %s block needs two labels", b.Type)
			}
			k := b.Labels[0] + "." + b.Labels[1]
			if b.Type == "resource" {
				if m.resources[k] != nil {
					return blockErr(b, "duplicate resource %s", k)
				}
				m.resources[k] = b
				m.order = append(m.order, k)
			} else {
				if m.data[k] != nil {
					return blockErr(b, "duplicate data source %s", k)
				}
				m.data[k] = b
				m.dataOrder = append(m.dataOrder, k)
			}
		case "provider":
			if len(b.Labels) != 1 {
				return blockErr(b, "a provider block needs one label")
			}
			name := b.Labels[0]
			if a := b.Body.Attributes["alias"]; a != nil {
				if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
					name += "." + v.AsString()
				}
			}
			m.providers[name] = b
		}
	}
	return nil
}

// expandModules loads the module calls of m, with their instances.
func (l *loader) expandModules(m *module, depth int) error {
	names := make([]string, 0, len(m.calls))
	for n := range m.calls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		call := m.calls[name]
		key := name
		if m.key != "" {
			key = m.key + "." + name
		}
		base := m.prefix + "module." + name
		insts, why := m.instances(call, base)
		if why != "" {
			// Unknown count or for_each: the module's outputs are unknown.
			child := &module{l: l, key: key, prefix: base + ".", parent: m, call: call,
				missing: fmt.Sprintf("the instances of module %s are not known: %s", base, why)}
			m.children[name] = []*module{child}
			continue
		}
		dir, missing := l.moduleDir(m, call, key, base)
		for _, in := range insts {
			var child *module
			if missing != "" || depth >= maxModuleDepth || len(l.mods) >= maxModules {
				if missing == "" {
					missing = fmt.Sprintf("module %s is nested too deeply, or there are too many modules", base)
				}
				child = &module{l: l, key: key, prefix: in.addr + ".", parent: m, call: call, callIn: in, missing: missing}
			} else {
				var err error
				child, err = l.loadModule(dir, m, call, key, in.addr+".", in)
				if err != nil {
					return err
				}
				if err := l.expandModules(child, depth+1); err != nil {
					return err
				}
			}
			m.children[name] = append(m.children[name], child)
			m.childKey[child] = in.key
		}
	}
	return nil
}

// moduleDir finds where a module call's source is: a local path, or the
// directory terraform init downloaded it to.
func (l *loader) moduleDir(m *module, call *hclsyntax.Block, key, base string) (string, string) {
	src := ""
	if a := call.Body.Attributes["source"]; a != nil {
		if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			src = v.AsString()
		}
	}
	if src == "" {
		return "", fmt.Sprintf("module %s has no literal source", base)
	}
	if strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") {
		return filepath.Join(m.dir, filepath.FromSlash(src)), ""
	}
	if d, ok := l.modDirs[key]; ok {
		return d, ""
	}
	return "", fmt.Sprintf("module %s (%s) is not downloaded; run terraform init", strings.TrimPrefix(base, "module."), src)
}
