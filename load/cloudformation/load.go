// Package cloudformation reads CloudFormation templates (YAML with the
// short-form tags, or JSON) and CDK cloud assemblies (cdk.out) into
// logpath's model. It only translates: what AWS does with the resources is
// decided in package delivery.
package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/logpath/logpath/internal/jsontree"
	"github.com/logpath/logpath/model"
	"gopkg.in/yaml.v3"
)

// Options are the values a template cannot know by itself.
type Options struct {
	Account, Region string
	// Params are parameter values (--param Name=Value); they override defaults.
	Params map[string]string
}

// Error is a template that cannot be read, located in its file.
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

// IsTemplate reports whether data looks like a CloudFormation template.
func IsTemplate(data []byte) bool {
	return bytes.Contains(data, []byte("Resources")) &&
		(bytes.Contains(data, []byte("AWS::")) || bytes.Contains(data, []byte("AWSTemplateFormatVersion")))
}

// parse reads YAML or JSON into a value tree.
func parse(file string, data []byte) (*val, error) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		root, err := jsontree.Parse(data)
		if err != nil {
			var se *jsontree.SyntaxError
			if errors.As(err, &se) {
				l, c := jsontree.LineCol(data, se.Offset)
				return nil, &Error{File: file, Line: l, Column: c, Msg: "invalid JSON: " + se.Msg}
			}
			return nil, &Error{File: file, Msg: err.Error()}
		}
		return fromJSON(data, &root), nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		msg := err.Error()
		// yaml.v3 says "yaml: line N: ...".
		if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
			if n, after, ok := strings.Cut(rest, ":"); ok {
				fmt.Sscanf(n, "%d", &line)
				msg = strings.TrimSpace(after)
			}
		}
		return nil, &Error{File: file, Line: line, Column: 1, Msg: "invalid YAML: " + msg}
	}
	v, err := fromYAML(&doc)
	if err != nil {
		var pe *posError
		if errors.As(err, &pe) {
			return nil, &Error{File: file, Line: pe.line, Column: pe.col, Msg: pe.msg}
		}
		return nil, &Error{File: file, Msg: err.Error()}
	}
	return v, nil
}

// Load reads one template.
func Load(file string, data []byte, opts Options) (*model.Model, error) {
	root, err := parse(file, data)
	if err != nil {
		return nil, err
	}
	if root.kind != kMap {
		return nil, &Error{File: file, Line: 1, Column: 1, Msg: "a template is a map with a Resources section"}
	}
	l := &loader{file: file, data: data, opts: opts, m: &model.Model{}, roleNames: map[string][]*model.IAMRole{}}
	if err := l.template(root, nil); err != nil {
		return nil, err
	}
	return l.m, nil
}

type loader struct {
	file string
	// data is the template's text, for its logpath:ignore comments.
	data []byte
	opts Options
	m    *model.Model
	// prefix qualifies logical IDs in a cloud assembly ("Stack/Nested/"),
	// where several templates may use the same ones.
	prefix string
	// assets is the cloud assembly directory nested templates are read
	// from; empty for a lone template.
	assets string
	depth  int
	r      *resolver
	// by logical ID, for linking.
	firewalls map[string]*model.Firewall
	buckets   map[string]*model.Bucket
	keys      map[string]*model.Key
	streams   map[string]*model.DeliveryStream
	roles     map[string]*model.IAMRole
	// roleNames finds the roles of a name in the model, which the
	// templates of a CDK assembly share, without a scan per policy.
	roleNames map[string][]*model.IAMRole
}

func (l *loader) errorf(v *val, format string, args ...any) error {
	return &Error{File: l.file, Line: v.line, Column: v.col, Msg: fmt.Sprintf(format, args...)}
}

func (l *loader) origin(res *resource) model.Origin {
	return model.Origin{File: l.file, Line: res.v.line, Column: res.v.col, ID: l.prefix + res.id}
}

// refID is the model ID a value's ref names (refs carry their prefix).
func (l *loader) refID(id string) string { return id }

// byRef returns the resource of this template a ref names, if any.
func (l *loader) byRef(ref string) *resource {
	id, ok := strings.CutPrefix(ref, l.prefix)
	if !ok {
		return nil
	}
	return l.r.resources[id]
}

// template reads a template; params are the values given by a parent stack.
func (l *loader) template(root *val, given map[string]*val) error {
	r := &resolver{params: map[string]*val{}, condCache: map[string]*val{}, resources: map[string]*resource{},
		mappings: root.get("Mappings"), conditions: root.get("Conditions"), prefix: l.prefix}
	l.r = r
	l.pseudoParams()
	if ps := root.get("Parameters"); ps != nil {
		if ps.kind != kMap {
			return l.errorf(ps, "Parameters must be a map")
		}
		for i, name := range ps.keys {
			r.params[name] = l.parameter(name, ps.vals[i], given)
		}
	}
	resources := root.get("Resources")
	if resources == nil || resources.kind != kMap {
		return l.errorf(root, "the template has no Resources map")
	}
	if err := l.suppressions(resources.keys, resources.vals); err != nil {
		return err
	}
	var order []*resource
	for i, id := range resources.keys {
		rv := resources.vals[i]
		if rv.kind != kMap {
			return l.errorf(rv, "resource %s must be a map", id)
		}
		t := rv.get("Type")
		if t == nil || t.kind != kString {
			return l.errorf(rv, "resource %s has no Type", id)
		}
		props := rv.get("Properties")
		if props == nil {
			props = &val{kind: kMap, line: rv.line, col: rv.col}
		} else if props.kind != kMap {
			return l.errorf(props, "the Properties of %s must be a map", id)
		}
		res := &resource{id: id, typ: t.s, props: props, v: rv}
		if c := rv.get("Condition"); c != nil {
			res.cond = c.s
		}
		r.resources[id] = res
		order = append(order, res)
	}
	l.firewalls = map[string]*model.Firewall{}
	l.buckets = map[string]*model.Bucket{}
	l.keys = map[string]*model.Key{}
	l.streams = map[string]*model.DeliveryStream{}
	l.roles = map[string]*model.IAMRole{}
	// Resources first, then what attaches to them.
	sort.SliceStable(order, func(i, j int) bool { return attachOrder(order[i].typ) < attachOrder(order[j].typ) })
	for _, res := range order {
		if res.cond != "" {
			if c := r.condition(res.cond); c.kind == kBool && c.s == "false" {
				continue // not created
			}
		}
		if err := l.resource(res); err != nil {
			return err
		}
	}
	return nil
}

func attachOrder(typ string) int {
	switch typ {
	case "AWS::S3::BucketPolicy", "AWS::NetworkFirewall::LoggingConfiguration", "AWS::KMS::Alias",
		"AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::ManagedPolicy":
		return 1
	}
	return 0
}

// pseudoParams sets AWS::AccountId and friends from the options.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html
func (l *loader) pseudoParams() {
	p := l.r.params
	if l.opts.Account != "" {
		p["AWS::AccountId"] = str(l.opts.Account)
	} else {
		p["AWS::AccountId"] = unknown("the account is not given (use --account)")
	}
	if l.opts.Region != "" {
		p["AWS::Region"] = str(l.opts.Region)
		part, suffix := "aws", "amazonaws.com"
		switch {
		case strings.HasPrefix(l.opts.Region, "cn-"):
			part, suffix = "aws-cn", "amazonaws.com.cn"
		case strings.HasPrefix(l.opts.Region, "us-gov-"):
			part = "aws-us-gov"
		}
		p["AWS::Partition"], p["AWS::URLSuffix"] = str(part), str(suffix)
	} else {
		why := "the Region is not given (use --region)"
		p["AWS::Region"], p["AWS::Partition"], p["AWS::URLSuffix"] = unknown("%s", why), unknown("%s", why), unknown("%s", why)
	}
	p["AWS::NoValue"] = noValue
	p["AWS::StackName"] = unknown("the stack name is known only at deployment")
	p["AWS::StackId"] = unknown("the stack ID is known only at deployment")
	p["AWS::NotificationARNs"] = unknown("the stack's notification ARNs are known only at deployment")
}

// parameter resolves a parameter: the given value, else its default.
func (l *loader) parameter(name string, def *val, given map[string]*val) *val {
	if v, ok := l.opts.Params[name]; ok && given == nil {
		return str(v)
	}
	if v, ok := given[name]; ok {
		return v
	}
	typ := ""
	if t := def.get("Type"); t != nil {
		typ = t.s
	}
	if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value") {
		return unknown("parameter %s is read from SSM Parameter Store at deployment", name)
	}
	if d := def.get("Default"); d != nil {
		if typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<") {
			out := &val{kind: kList}
			for _, s := range strings.Split(d.s, ",") {
				out.list = append(out.list, str(strings.TrimSpace(s)))
			}
			return out
		}
		return &val{kind: kString, s: d.s, line: d.line, col: d.col}
	}
	return unknown("parameter %s has no default and no value was given (use --param %s=VALUE)", name, name)
}
