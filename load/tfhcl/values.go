package tfhcl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions are the Terraform functions logpath evaluates; a call to any
// other makes the value unknown.
func (l *loader) functions() map[string]function.Function {
	if l.funcs != nil {
		return l.funcs
	}
	l.funcs = map[string]function.Function{
		"jsonencode": jsonencodeFunc, "jsondecode": stdlib.JSONDecodeFunc,
		"format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"join": stdlib.JoinFunc, "split": stdlib.SplitFunc,
		"concat": stdlib.ConcatFunc, "merge": stdlib.MergeFunc, "lookup": stdlib.LookupFunc,
		"replace": replaceFunc, "upper": stdlib.UpperFunc, "lower": stdlib.LowerFunc,
		"length": lengthFunc, "coalesce": coalesceFunc, "element": stdlib.ElementFunc,
		"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tobool": stdlib.MakeToFunc(cty.Bool), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"keys": stdlib.KeysFunc, "values": stdlib.ValuesFunc, "contains": stdlib.ContainsFunc,
		"distinct": stdlib.DistinctFunc, "flatten": stdlib.FlattenFunc, "compact": stdlib.CompactFunc,
		"trimspace": stdlib.TrimSpaceFunc, "trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
		"substr": stdlib.SubstrFunc, "zipmap": stdlib.ZipmapFunc,
		"min": stdlib.MinFunc, "max": stdlib.MaxFunc,
		"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
		"file": l.fileFunc(),
	}
	if !fastPaths {
		l.funcs["jsonencode"] = stdlib.JSONEncodeFunc
	}
	return l.funcs
}

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor an empty string (cty's skips only nulls).
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		types := make([]cty.Type, len(args))
		for i, a := range args {
			types[i] = a.Type()
		}
		t, _ := convert.UnifyUnsafe(types)
		if t == cty.NilType {
			return cty.NilType, fmt.Errorf("all arguments must have the same type")
		}
		return t, nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, a := range args {
			a, err := convert.Convert(a, retType)
			if err != nil {
				return cty.NilVal, err
			}
			if !a.IsKnown() {
				return cty.UnknownVal(retType), nil
			}
			if a.IsNull() || (retType == cty.String && a.RawEquals(cty.StringVal(""))) {
				continue
			}
			return a, nil
		}
		return cty.NilVal, fmt.Errorf("no non-null, non-empty-string arguments")
	},
})

// lengthFunc is Terraform's length: of a collection, or of a string.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		t := args[0].Type()
		if t == cty.String || t == cty.DynamicPseudoType || t.IsCollectionType() || t.IsTupleType() || t.IsObjectType() {
			return cty.Number, nil
		}
		return cty.NilType, fmt.Errorf("argument must be a string, a collection type, or a structural type")
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if v.Type() == cty.String {
			return stdlib.Strlen(v)
		}
		if !v.IsKnown() && v.Type() == cty.DynamicPseudoType {
			return cty.UnknownVal(cty.Number), nil
		}
		return stdlib.Length(v)
	},
})

// replaceFunc is Terraform's replace: a substring wrapped in slashes is a
// regular expression.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sub := args[1].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			return stdlib.RegexReplace(args[0], cty.StringVal(sub[1:len(sub)-1]), args[2])
		}
		return stdlib.Replace(args[0], args[1], args[2])
	},
})

// fileFunc is Terraform's file(): a path relative to the root module.
func (l *loader) fileFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := filepath.FromSlash(args[0].AsString())
			if !filepath.IsAbs(p) {
				p = filepath.Join(l.root, p)
			}
			fi, err := os.Stat(p)
			if err != nil {
				return cty.NilVal, err
			}
			if !fi.Mode().IsRegular() || fi.Size() > 1<<20 {
				return cty.NilVal, fmt.Errorf("%s is not a regular file of at most 1 MiB", args[0].AsString())
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(string(data)), nil
		},
	})
}

// providerOf is the provider configuration a resource or data source uses.
func (m *module) providerOf(b *hclsyntax.Block) (*module, *hclsyntax.Block) {
	name := "aws"
	if a := b.Body.Attributes["provider"]; a != nil {
		if t, d := hcl.AbsTraversalForExpr(a.Expr); !d.HasErrors() {
			name = t.RootName()
			if n, ok := attrAt(t, 1); ok {
				name += "." + n
			}
		}
	}
	for p := m; p != nil; p = p.parent {
		if pb := p.providers[name]; pb != nil {
			return p, pb
		}
		name = passedAs(p.call, name)
	}
	return nil, nil
}

// passedAs is the parent's name for a provider configuration a module call
// passes to the module (providers = { aws = aws.other }).
func passedAs(call *hclsyntax.Block, name string) string {
	if call == nil {
		return name
	}
	a := call.Body.Attributes["providers"]
	if a == nil {
		return name
	}
	oc, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return name
	}
	travName := func(e hcl.Expression) string {
		t, d := hcl.AbsTraversalForExpr(e)
		if d.HasErrors() {
			return ""
		}
		n := t.RootName()
		if a, ok := attrAt(t, 1); ok {
			n += "." + a
		}
		return n
	}
	for _, item := range oc.Items {
		if travName(item.KeyExpr) == name {
			if v := travName(item.ValueExpr); v != "" {
				return v
			}
		}
	}
	return name
}

// region is the Region a resource is in: its provider's region, else
// --region.
func (m *module) region(b *hclsyntax.Block) cty.Value {
	if pm, pb := m.providerOf(b); pb != nil {
		if a := pb.Body.Attributes["region"]; a != nil {
			return pm.eval(a.Expr, inst{})
		}
	}
	if m.l.opts.Region != "" {
		return cty.StringVal(m.l.opts.Region)
	}
	return unknown("the Region is not given (use --region)")
}

// account is the account a resource is in: --account, or the account of
// the role its provider assumes.
func (m *module) account(b *hclsyntax.Block) cty.Value {
	if pm, pb := m.providerOf(b); pb != nil {
		for _, ar := range pb.Body.Blocks {
			if ar.Type != "assume_role" {
				continue
			}
			a := ar.Body.Attributes["role_arn"]
			if a == nil {
				continue
			}
			s, reason := str(pm.eval(a.Expr, inst{}))
			if reason != "" {
				return unknown("the provider assumes a role whose ARN is not known: %s", reason)
			}
			if parts := strings.Split(s, ":"); len(parts) >= 6 && parts[4] != "" {
				return cty.StringVal(parts[4])
			}
			return unknown("the provider assumes role %q, whose account is not clear", s)
		}
	}
	if m.l.opts.Account != "" {
		return cty.StringVal(m.l.opts.Account)
	}
	return unknown("the account is not given (use --account)")
}

func partitionOf(region cty.Value) cty.Value {
	s, reason := str(region)
	if reason != "" {
		return region
	}
	switch {
	case strings.HasPrefix(s, "cn-"):
		return cty.StringVal("aws-cn")
	case strings.HasPrefix(s, "us-gov-"):
		return cty.StringVal("aws-us-gov")
	}
	return cty.StringVal("aws")
}

// concat joins string values; unknown when any is.
func concat(parts ...cty.Value) cty.Value {
	var b strings.Builder
	for _, p := range parts {
		s, reason := str(p)
		if reason != "" {
			return unknown("%s", reason)
		}
		b.WriteString(s)
	}
	return cty.StringVal(b.String())
}

// computedAttrs are the attributes the provider computes, by type.
func computedAttrs(b *hclsyntax.Block) []string {
	switch b.Labels[0] {
	case "aws_s3_bucket":
		return []string{"id", "arn", "bucket"}
	case "aws_kms_key":
		return []string{"id", "arn", "key_id"}
	case "aws_kms_alias", "aws_cloudwatch_log_group", "aws_kinesis_firehose_delivery_stream", "aws_networkfirewall_firewall",
		"aws_iam_role", "aws_iam_policy":
		return []string{"id", "arn", "name"}
	case "aws_caller_identity":
		return []string{"id", "account_id", "arn", "user_id"}
	case "aws_organizations_organization":
		return []string{"id", "arn", "master_account_id"}
	case "aws_region":
		return []string{"id", "name", "region"}
	case "aws_partition":
		return []string{"id", "partition", "dns_suffix"}
	case "aws_iam_policy_document":
		return []string{"id", "json", "minified_json"}
	case "aws_cloudtrail":
		return []string{"id", "arn", "name"}
	}
	return []string{"id"}
}

// named is the name attribute of a resource; unknown when Terraform or AWS
// generates it.
func (m *module) named(b *hclsyntax.Block, in inst, attr string) cty.Value {
	if a := b.Body.Attributes[attr]; a != nil {
		return m.eval(a.Expr, in)
	}
	if b.Body.Attributes[attr+"_prefix"] != nil {
		return unknown("%s.%s is generated from %s_prefix when the resource is created", in.addr, attr, attr)
	}
	return unknown("%s has no %s; Terraform generates one when the resource is created", in.addr, attr)
}

// computed is an attribute the configuration does not set.
func (m *module) computed(b *hclsyntax.Block, in inst, name string) cty.Value {
	after := func() cty.Value { return unknown("%s.%s is known only after apply", in.addr, name) }
	region, account := func() cty.Value { return m.region(b) }, func() cty.Value { return m.account(b) }
	switch b.Labels[0] {
	case "aws_s3_bucket":
		bucket := m.named(b, in, "bucket")
		switch name {
		case "id", "bucket":
			return bucket
		case "arn":
			return concat(cty.StringVal("arn:"), partitionOf(region()), cty.StringVal(":s3:::"), bucket)
		}
	case "aws_kms_key":
		switch name {
		case "id", "key_id":
			return unknown("the key ID of %s is generated when the key is created", in.addr)
		case "arn":
			return unknown("the key ARN of %s is generated when the key is created", in.addr)
		}
	case "aws_kms_alias":
		n := m.named(b, in, "name")
		switch name {
		case "id", "name":
			return n
		case "arn":
			r := region()
			return concat(cty.StringVal("arn:"), partitionOf(r), cty.StringVal(":kms:"), r, cty.StringVal(":"), account(), cty.StringVal(":"), n)
		}
	case "aws_cloudwatch_log_group":
		n := m.named(b, in, "name")
		switch name {
		case "id", "name":
			return n
		case "arn":
			r := region()
			return concat(cty.StringVal("arn:"), partitionOf(r), cty.StringVal(":logs:"), r, cty.StringVal(":"), account(), cty.StringVal(":log-group:"), n)
		}
	case "aws_kinesis_firehose_delivery_stream":
		n := m.named(b, in, "name")
		switch name {
		case "name":
			return n
		case "id", "arn":
			r := region()
			return concat(cty.StringVal("arn:"), partitionOf(r), cty.StringVal(":firehose:"), r, cty.StringVal(":"), account(), cty.StringVal(":deliverystream/"), n)
		}
	case "aws_iam_role", "aws_iam_policy":
		// arn:<partition>:iam::<account>:role<path><name>; path "/" by default.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
		n := m.named(b, in, "name")
		kind := strings.TrimPrefix(b.Labels[0], "aws_iam_")
		path := cty.StringVal("/")
		if a := b.Body.Attributes["path"]; a != nil {
			path = m.eval(a.Expr, in)
		}
		arn := func() cty.Value {
			return concat(cty.StringVal("arn:"), partitionOf(region()), cty.StringVal(":iam::"), account(), cty.StringVal(":"+kind), path, n)
		}
		switch {
		case name == "name", name == "id" && kind == "role":
			return n
		case name == "arn", name == "id":
			return arn()
		}
	case "aws_cloudtrail":
		if name == "arn" {
			r := region()
			return concat(cty.StringVal("arn:"), partitionOf(r), cty.StringVal(":cloudtrail:"), r, cty.StringVal(":"), account(), cty.StringVal(":trail/"), m.named(b, in, "name"))
		}
	case "aws_networkfirewall_firewall":
		n := m.named(b, in, "name")
		switch name {
		case "name":
			return n
		case "id", "arn":
			r := region()
			return concat(cty.StringVal("arn:"), partitionOf(r), cty.StringVal(":network-firewall:"), r, cty.StringVal(":"), account(), cty.StringVal(":firewall/"), n)
		}
	}
	return after()
}

// dataAttr is an attribute of a data source instance.
func (m *module) dataAttr(b *hclsyntax.Block, in inst, name string) cty.Value {
	switch b.Labels[0] {
	case "aws_caller_identity":
		switch name {
		case "id", "account_id":
			return m.account(b)
		}
	case "aws_organizations_organization":
		// The organization of the credentials Terraform runs with.
		// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/organizations_organization
		if name == "id" {
			if id := m.l.opts.OrganizationID; id != "" {
				return cty.StringVal(id)
			}
			return unknown("the organization's ID (%s.id) is known when Terraform runs; give it with --organization-id", in.addr)
		}
	case "aws_region":
		switch name {
		case "id", "name", "region":
			for _, n := range []string{"region", "name"} {
				if a := b.Body.Attributes[n]; a != nil {
					return m.eval(a.Expr, in)
				}
			}
			return m.region(b)
		}
	case "aws_partition":
		switch name {
		case "id", "partition":
			return partitionOf(m.region(b))
		case "dns_suffix":
			p, reason := str(partitionOf(m.region(b)))
			if reason != "" {
				return unknown("%s", reason)
			}
			if p == "aws-cn" {
				return cty.StringVal("amazonaws.com.cn")
			}
			return cty.StringVal("amazonaws.com")
		}
	case "aws_iam_policy_document":
		switch name {
		case "json", "minified_json":
			return m.policyDocument(b, in).json
		}
		return unknown("%s.%s is computed when Terraform plans", in.addr, name)
	}
	if a := b.Body.Attributes[name]; a != nil {
		return m.eval(a.Expr, in)
	}
	return unknown("%s.%s is read from AWS when Terraform plans", in.addr, name)
}
