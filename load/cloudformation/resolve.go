package cloudformation

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// resolver evaluates intrinsic functions against a template's parameters,
// pseudo parameters, mappings, conditions and resources.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
type resolver struct {
	params     map[string]*val
	mappings   *val
	conditions *val
	condCache  map[string]*val
	resources  map[string]*resource
	depth      int
	// prefix qualifies the resource IDs that values carry in ref, so that
	// a value passed to a nested stack still names the right resource.
	prefix string
}

// resource is a template resource.
type resource struct {
	id, typ string
	props   *val
	v       *val // the whole resource, for its position and Metadata
	cond    string
}

// noValue marks AWS::NoValue: the property is removed.
var noValue = &val{kind: kNull, reason: "AWS::NoValue"}

const maxDepth = 64

// resolve evaluates every intrinsic function in v.
func (r *resolver) resolve(v *val) *val {
	if v == nil {
		return nil
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return unknown("intrinsic functions nested deeper than %d levels", maxDepth)
	}
	switch v.kind {
	case kList:
		out := &val{kind: kList, line: v.line, col: v.col}
		for _, c := range v.list {
			rc := r.resolve(c)
			if rc == noValue {
				continue
			}
			out.list = append(out.list, rc)
		}
		return out
	case kMap:
		if len(v.keys) == 1 && (v.keys[0] == "Ref" || v.keys[0] == "Condition" || strings.HasPrefix(v.keys[0], "Fn::")) {
			res := r.function(v.keys[0], v.vals[0])
			if res != noValue && res.line == 0 {
				res.line, res.col = v.line, v.col
			}
			return res
		}
		out := &val{kind: kMap, line: v.line, col: v.col}
		for i, k := range v.keys {
			rc := r.resolve(v.vals[i])
			if rc == noValue {
				continue
			}
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, rc)
		}
		return out
	}
	return v
}

// scalar resolves v and returns it as a string, or why it is unknown.
func (r *resolver) scalar(v *val) (string, *val) {
	rv := r.resolve(v)
	switch rv.kind {
	case kString, kNumber, kBool:
		return rv.s, rv
	case kUnknown:
		return "", rv
	}
	return "", unknown("expected a string, found a %s", kindName(rv.kind))
}

func kindName(k kind) string {
	return [...]string{"null", "string", "number", "boolean", "list", "map", "unknown value"}[k]
}

func (r *resolver) function(name string, arg *val) *val {
	switch name {
	case "Ref":
		target, u := r.scalar(arg)
		if u.kind == kUnknown {
			return u
		}
		return r.ref(target)
	case "Fn::GetAtt":
		a := r.resolve(arg)
		if a.kind != kList || len(a.list) != 2 {
			return unknown("Fn::GetAtt takes [resource, attribute]")
		}
		return r.getAtt(a.list[0].s, a.list[1].s)
	case "Fn::Sub":
		return r.sub(arg)
	case "Fn::Join":
		a := r.resolve(arg)
		if a.kind != kList || len(a.list) != 2 || a.list[1].kind != kList {
			if u := firstUnknown(a); u != nil {
				return u
			}
			return unknown("Fn::Join takes [delimiter, [values]]")
		}
		var parts []string
		for _, p := range a.list[1].list {
			if p.kind == kUnknown {
				return unknown("Fn::Join of an unknown value: %s", p.reason)
			}
			parts = append(parts, p.s)
		}
		return str(strings.Join(parts, a.list[0].s))
	case "Fn::Select":
		a := r.resolve(arg)
		if u := firstUnknown(a); u != nil {
			return u
		}
		if a.kind != kList || len(a.list) != 2 || a.list[1].kind != kList {
			return unknown("Fn::Select takes [index, [values]]")
		}
		i, err := strconv.Atoi(a.list[0].s)
		if err != nil || i < 0 || i >= len(a.list[1].list) {
			return unknown("Fn::Select index %q is out of range", a.list[0].s)
		}
		return a.list[1].list[i]
	case "Fn::Split":
		a := r.resolve(arg)
		if u := firstUnknown(a); u != nil {
			return u
		}
		if a.kind != kList || len(a.list) != 2 {
			return unknown("Fn::Split takes [delimiter, string]")
		}
		out := &val{kind: kList}
		for _, p := range strings.Split(a.list[1].s, a.list[0].s) {
			out.list = append(out.list, str(p))
		}
		return out
	case "Fn::If":
		if arg.kind != kList || len(arg.list) != 3 {
			return unknown("Fn::If takes [condition, value if true, value if false]")
		}
		c := r.condition(arg.list[0].s)
		switch {
		case c.kind == kUnknown:
			return unknown("condition %s is unknown: %s", arg.list[0].s, c.reason)
		case c.s == "true":
			return r.resolve(arg.list[1])
		}
		return r.resolve(arg.list[2])
	case "Condition":
		return r.condition(arg.s)
	case "Fn::Equals":
		a := r.resolve(arg)
		if u := firstUnknown(a); u != nil {
			return u
		}
		if a.kind != kList || len(a.list) != 2 {
			return unknown("Fn::Equals takes two values")
		}
		return boolVal(toJSON(a.list[0]) == toJSON(a.list[1]) || (a.list[0].s == a.list[1].s && a.list[0].kind != kList && a.list[0].kind != kMap))
	case "Fn::And", "Fn::Or":
		a := r.resolve(arg)
		if a.kind != kList {
			return unknown("%s takes a list of conditions", name)
		}
		var unk *val
		for _, c := range a.list {
			if c.kind == kUnknown {
				unk = c
				continue
			}
			if (c.s == "true") == (name == "Fn::Or") {
				return boolVal(name == "Fn::Or")
			}
		}
		if unk != nil {
			return unk
		}
		return boolVal(name == "Fn::And")
	case "Fn::Not":
		a := r.resolve(arg)
		if a.kind == kList && len(a.list) == 1 {
			a = a.list[0]
		}
		if a.kind == kUnknown {
			return a
		}
		return boolVal(a.s != "true")
	case "Fn::FindInMap":
		a := r.resolve(arg)
		if u := firstUnknown(a); u != nil {
			return u
		}
		if a.kind != kList || len(a.list) < 3 {
			return unknown("Fn::FindInMap takes [map, top key, second key]")
		}
		v := r.mappings.get(a.list[0].s).get(a.list[1].s).get(a.list[2].s)
		if v == nil {
			if len(a.list) == 4 {
				if d := a.list[3].get("DefaultValue"); d != nil {
					return d
				}
			}
			return unknown("Fn::FindInMap: %s/%s/%s is not in Mappings", a.list[0].s, a.list[1].s, a.list[2].s)
		}
		return v
	case "Fn::ImportValue":
		n, u := r.scalar(arg)
		if u.kind == kUnknown {
			return u
		}
		return unknown("imported from another stack's export %s, which is not in the input", n)
	case "Fn::Base64":
		s, u := r.scalar(arg)
		if u.kind == kUnknown {
			return u
		}
		return str(base64.StdEncoding.EncodeToString([]byte(s)))
	case "Fn::Cidr":
		return unknown("Fn::Cidr is not evaluated")
	case "Fn::GetAZs":
		return unknown("the Availability Zones of a Region are known only at deployment")
	case "Fn::ToJsonString":
		a := r.resolve(arg)
		if u := firstUnknown(a); u != nil {
			return u
		}
		return str(toJSON(a))
	case "Fn::Length":
		a := r.resolve(arg)
		if a.kind != kList {
			return unknown("Fn::Length of a non-list")
		}
		return &val{kind: kNumber, s: strconv.Itoa(len(a.list))}
	}
	return unknown("unknown function %s", name)
}

func boolVal(b bool) *val {
	if b {
		return &val{kind: kBool, s: "true"}
	}
	return &val{kind: kBool, s: "false"}
}

func (r *resolver) condition(name string) *val {
	if c, ok := r.condCache[name]; ok {
		if c == nil {
			return unknown("condition %s refers to itself", name)
		}
		return c
	}
	def := r.conditions.get(name)
	if def == nil {
		return unknown("condition %s is not defined", name)
	}
	r.condCache[name] = nil
	c := r.resolve(def)
	if c.kind != kUnknown && c.kind != kBool {
		c = unknown("condition %s is not a boolean", name)
	}
	r.condCache[name] = c
	return c
}

func (r *resolver) ref(target string) *val {
	if p, ok := r.params[target]; ok {
		return p
	}
	if res, ok := r.resources[target]; ok {
		v := r.resourceRef(res)
		v.ref = r.prefix + res.id
		return v
	}
	return unknown("Ref to %s, which is neither a parameter nor a resource of the template", target)
}

// resourceRef is what Ref returns for a resource.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-ref.html
func (r *resolver) resourceRef(res *resource) *val {
	switch res.typ {
	case "AWS::S3::Bucket":
		return r.nameProp(res, "BucketName")
	case "AWS::Logs::LogGroup":
		return r.nameProp(res, "LogGroupName")
	case "AWS::KinesisFirehose::DeliveryStream":
		return r.nameProp(res, "DeliveryStreamName")
	case "AWS::KMS::Alias":
		return r.nameProp(res, "AliasName")
	case "AWS::KMS::Key":
		return &val{kind: kUnknown, reason: fmt.Sprintf("the ID of key %s is generated when the stack is created", res.id), attr: "KeyId"}
	case "AWS::NetworkFirewall::Firewall":
		v := r.getAtt(res.id, "FirewallArn")
		return v
	case "AWS::IAM::Role":
		return r.nameProp(res, "RoleName")
	case "AWS::IAM::ManagedPolicy":
		return r.getAtt(res.id, "PolicyArn")
	case "AWS::CloudTrail::Trail":
		return r.nameProp(res, "TrailName")
	}
	return unknown("Ref to %s (%s) is known only after deployment", res.id, res.typ)
}

func (r *resolver) nameProp(res *resource, prop string) *val {
	if p := res.props.get(prop); p != nil {
		v := r.resolve(p)
		if v.kind == kString {
			return &val{kind: kString, s: v.s, ref: r.prefix + res.id}
		}
		if v.kind == kUnknown {
			return &val{kind: kUnknown, reason: v.reason, ref: r.prefix + res.id}
		}
	}
	return &val{kind: kUnknown, reason: fmt.Sprintf("%s of %s is generated when the stack is created (no %s given)", prop, res.id, prop), ref: r.prefix + res.id}
}

// getAtt is what Fn::GetAtt returns for the attributes logpath follows.
func (r *resolver) getAtt(id, attr string) *val {
	res, ok := r.resources[id]
	if !ok {
		return unknown("Fn::GetAtt %s.%s: no such resource", id, attr)
	}
	with := func(v *val) *val { v.ref, v.attr = r.prefix+id, attr; return v }
	part, region, account := r.pseudo("AWS::Partition"), r.pseudo("AWS::Region"), r.pseudo("AWS::AccountId")
	env := func(build func(p, reg, acct string) string, what string) *val {
		for _, v := range []*val{part, region, account} {
			if v.kind == kUnknown {
				return with(&val{kind: kUnknown, reason: fmt.Sprintf("the %s of %s needs the account and Region: %s", what, id, v.reason)})
			}
		}
		return with(str(build(part.s, region.s, account.s)))
	}
	switch {
	case res.typ == "AWS::S3::Bucket" && attr == "Arn":
		n := r.nameProp(res, "BucketName")
		if n.kind == kUnknown {
			return with(&val{kind: kUnknown, reason: n.reason})
		}
		return with(str("arn:" + part.s + ":s3:::" + n.s))
	case res.typ == "AWS::KMS::Key" && (attr == "Arn" || attr == "KeyId"):
		return with(&val{kind: kUnknown, reason: fmt.Sprintf("the %s of key %s is generated when the stack is created", attr, id)})
	case res.typ == "AWS::Logs::LogGroup" && attr == "Arn":
		n := r.nameProp(res, "LogGroupName")
		if n.kind == kUnknown {
			return with(&val{kind: kUnknown, reason: n.reason})
		}
		return env(func(p, reg, a string) string {
			return "arn:" + p + ":logs:" + reg + ":" + a + ":log-group:" + n.s + ":*"
		}, "ARN")
	case res.typ == "AWS::KinesisFirehose::DeliveryStream" && attr == "Arn":
		n := r.nameProp(res, "DeliveryStreamName")
		if n.kind == kUnknown {
			return with(&val{kind: kUnknown, reason: n.reason})
		}
		return env(func(p, reg, a string) string {
			return "arn:" + p + ":firehose:" + reg + ":" + a + ":deliverystream/" + n.s
		}, "ARN")
	case (res.typ == "AWS::IAM::Role" && attr == "Arn") || (res.typ == "AWS::IAM::ManagedPolicy" && attr == "PolicyArn"):
		// arn:<partition>:iam::<account>:role<path><name>; the path is "/" by default.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
		kind, prop := "role", "RoleName"
		if res.typ == "AWS::IAM::ManagedPolicy" {
			kind, prop = "policy", "ManagedPolicyName"
		}
		n := r.nameProp(res, prop)
		path := str("/")
		if p := res.props.get("Path"); p != nil {
			path = r.resolve(p)
		}
		for _, v := range []*val{n, path} {
			if v.kind == kUnknown {
				return with(&val{kind: kUnknown, reason: v.reason})
			}
		}
		return env(func(p, _, a string) string { return "arn:" + p + ":iam::" + a + ":" + kind + path.s + n.s }, "ARN")
	case res.typ == "AWS::CloudTrail::Trail" && attr == "Arn":
		n := r.nameProp(res, "TrailName")
		if n.kind == kUnknown {
			return with(&val{kind: kUnknown, reason: n.reason})
		}
		return env(func(p, reg, a string) string { return "arn:" + p + ":cloudtrail:" + reg + ":" + a + ":trail/" + n.s }, "ARN")
	case res.typ == "AWS::NetworkFirewall::Firewall" && (attr == "FirewallArn" || attr == "Arn"):
		n := r.nameProp(res, "FirewallName")
		if n.kind == kUnknown {
			return with(&val{kind: kUnknown, reason: n.reason})
		}
		return env(func(p, reg, a string) string {
			return "arn:" + p + ":network-firewall:" + reg + ":" + a + ":firewall/" + n.s
		}, "ARN")
	}
	return with(unknown("%s.%s is known only after deployment", id, attr))
}

func (r *resolver) pseudo(name string) *val {
	if p, ok := r.params[name]; ok {
		return p
	}
	return unknown("%s is not known", name)
}

// sub evaluates Fn::Sub in its string and [string, map] forms.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html
func (r *resolver) sub(arg *val) *val {
	tmpl := arg
	var vars *val
	if arg.kind == kList {
		if len(arg.list) != 2 {
			return unknown("Fn::Sub takes a string or [string, {variables}]")
		}
		tmpl, vars = arg.list[0], arg.list[1]
	}
	if tmpl.kind != kString {
		return unknown("Fn::Sub's template is not a string")
	}
	s := tmpl.s
	var b strings.Builder
	var ref string
	refs := 0
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		name := s[i+2 : i+end]
		s = s[i+end+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		var v *val
		if vars != nil && vars.get(name) != nil {
			v = r.resolve(vars.get(name))
		} else if id, attr, ok := strings.Cut(name, "."); ok {
			v = r.getAtt(id, attr)
		} else {
			v = r.ref(name)
		}
		if v.kind == kUnknown {
			return &val{kind: kUnknown, reason: v.reason, ref: v.ref, attr: v.attr}
		}
		refs++
		ref = v.ref
		b.WriteString(v.s)
	}
	out := str(b.String())
	if refs == 1 {
		out.ref = ref
	}
	return out
}
