package tfhcl

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/logpath/logpath/model"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// ri is one resource instance.
type ri struct {
	m  *module
	b  *hclsyntax.Block
	in inst
}

func (r ri) typ() string { return r.b.Labels[0] }

func (r ri) origin() model.Origin {
	d := r.b.DefRange()
	return model.Origin{File: d.Filename, Line: d.Start.Line, Column: d.Start.Column, ID: r.in.addr}
}

// builder turns resource instances into the model.
type builder struct {
	m         *model.Model
	firewalls map[string]*model.Firewall
	buckets   map[string]*model.Bucket
	keys      map[string]*model.Key
	orgs      map[string]*model.OrgPolicy
	roles     map[string]*model.IAMRole
	// unsureRoles says why policies that may be added to any role are
	// unknown (a count or for_each that is not known).
	unsureRoles []string
	// bucketsByName and keysByID find what a resource names by a string
	// rather than a reference: the first bucket of a name, the last key of
	// an ID or ARN, without a scan of all of them per resource.
	bucketsByName map[string]*model.Bucket
	keysByID      map[string]*model.Key
	// roleNames finds the last role of a name, for a policy that names
	// its role by a string.
	roleNames map[string]*model.IAMRole
}

// attaching are the types that change another resource; they are read last.
var attaching = map[string]bool{
	"aws_networkfirewall_logging_configuration":          true,
	"aws_s3_bucket_server_side_encryption_configuration": true,
	"aws_s3_bucket_policy":                               true,
	"aws_s3_bucket_ownership_controls":                   true,
	"aws_kms_key_policy":                                 true,
	"aws_organizations_policy_attachment":                true,
	"aws_iam_role_policy":                                true,
	"aws_iam_role_policy_attachment":                     true,
}

func (l *loader) build() {
	bd := &builder{m: l.m, firewalls: map[string]*model.Firewall{}, buckets: map[string]*model.Bucket{},
		keys: map[string]*model.Key{}, orgs: map[string]*model.OrgPolicy{}, roles: map[string]*model.IAMRole{},
		bucketsByName: map[string]*model.Bucket{}, keysByID: map[string]*model.Key{}, roleNames: map[string]*model.IAMRole{}}
	var first, then []ri
	for _, m := range l.mods {
		if m.missing != "" {
			continue
		}
		for _, k := range m.order {
			b := m.resources[k]
			insts, reason := m.instances(b, m.prefix+k)
			if reason != "" {
				bd.unknownInstances(m, b, m.prefix+k, reason)
				continue
			}
			for _, in := range insts {
				r := ri{m: m, b: b, in: in}
				if attaching[r.typ()] {
					then = append(then, r)
				} else {
					first = append(first, r)
				}
			}
		}
	}
	for _, r := range append(first, then...) {
		bd.resource(r)
	}
	for _, why := range bd.unsureRoles {
		for _, role := range bd.m.Roles {
			role.InlinePolicies = model.Unknown[[]model.InlinePolicy]("%s", why)
			role.ManagedPolicies = model.Unknown[[]model.PolicyAttachment]("%s", why)
		}
	}
}

// unknownInstances records a firewall or logging configuration whose count
// or for_each is not known, so that its verdict is UNKNOWN.
func (bd *builder) unknownInstances(m *module, b *hclsyntax.Block, addr, reason string) {
	r := ri{m: m, b: b, in: inst{addr: addr}}
	why := addr + ": " + reason
	switch r.typ() {
	case "aws_networkfirewall_firewall":
		fw := bd.firewall(addr)
		fw.Origin = r.origin()
		fw.Name, fw.ARN = model.Unknown[string]("%s", why), model.Unknown[string]("%s", why)
		fw.Account, fw.Region = mval(m.account(b)), mval(m.region(b))
		if fw.Logging == nil {
			fw.Logging = &model.LoggingConfiguration{Origin: r.origin(), Unknown: why}
		}
	case "aws_networkfirewall_logging_configuration":
		var fw *model.Firewall
		if a := b.Body.Attributes["firewall_arn"]; a != nil {
			if t, ok := m.refOfDepth(stripIndex(a.Expr), inst{}, 0); ok && t.typ == "aws_networkfirewall_firewall" {
				fw = bd.firewalls[t.addr]
			}
		}
		if fw == nil {
			fw = bd.firewall(addr)
			fw.Origin = r.origin()
			fw.Name, fw.ARN = model.Unknown[string]("%s", why), model.Unknown[string]("%s", why)
			fw.Account, fw.Region = mval(m.account(b)), mval(m.region(b))
		}
		fw.Logging = &model.LoggingConfiguration{Origin: r.origin(), Unknown: why}
	case "aws_flow_log":
		bd.m.FlowLogs = append(bd.m.FlowLogs, &model.FlowLog{Origin: r.origin(), Account: mval(m.account(b)), Region: mval(m.region(b)),
			FlowLogID: model.Unknown[string]("%s", why), DestinationType: model.Unknown[string]("%s", why)})
	case "aws_cloudtrail":
		bd.m.Trails = append(bd.m.Trails, unknownTrail(r, why))
	case "aws_iam_role_policy", "aws_iam_role_policy_attachment":
		// Policies that may or may not be added to some role: the roles'
		// permissions are unknown, once the roles are built.
		bd.unsureRoles = append(bd.unsureRoles, why)
	case "aws_route53_resolver_query_log_config":
		bd.m.ResolverQueryLogConfigs = append(bd.m.ResolverQueryLogConfigs, &model.ResolverQueryLogConfig{Origin: r.origin(),
			Name: model.Unknown[string]("%s", why), Account: mval(m.account(b)), Region: mval(m.region(b)), DestinationARN: model.Unknown[string]("%s", why)})
	case "aws_wafv2_web_acl_logging_configuration":
		bd.m.WAFLoggingConfigurations = append(bd.m.WAFLoggingConfigurations, &model.WAFLoggingConfiguration{Origin: r.origin(),
			WebACLARN: model.Unknown[string]("%s", why), Unknown: why})
	}
}

// stripIndex turns x.y[count.index].arn into x.y.arn, to find the resource
// a counted reference names.
func stripIndex(e hcl.Expression) hcl.Expression {
	if rt, ok := e.(*hclsyntax.RelativeTraversalExpr); ok {
		if ix, ok := rt.Source.(*hclsyntax.IndexExpr); ok {
			if c, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr); ok {
				return c
			}
		}
	}
	return e
}

// mval turns a value into a model string.
func mval(v cty.Value) model.Value[string] {
	s, reason := str(v)
	if reason != "" {
		return model.Unknown[string]("%s", reason)
	}
	return model.Known(s)
}

// sv reads a string attribute; def when it is absent or null.
func (r ri) sv(body *hclsyntax.Body, in inst, name string, def model.Value[string]) model.Value[string] {
	a := body.Attributes[name]
	if a == nil {
		return def
	}
	v := r.m.eval(a.Expr, in)
	if v.IsKnown() {
		if u, _ := v.Unmark(); u.IsNull() {
			return def
		}
	}
	return mval(v)
}

// bv reads a bool attribute.
func (r ri) bv(body *hclsyntax.Body, in inst, name string, def bool) model.Value[bool] {
	a := body.Attributes[name]
	if a == nil {
		return model.Known(def)
	}
	v := r.m.eval(a.Expr, in)
	if !v.IsWhollyKnown() {
		return model.Unknown[bool]("%s", reasonOf(v))
	}
	v = unmarkDeep(v)
	if v.IsNull() {
		return model.Known(def)
	}
	bv, err := convert.Convert(v, cty.Bool)
	if err != nil {
		return model.Unknown[bool]("%s: %s is not a bool", posOf(a.SrcRange), name)
	}
	return model.Known(bv.True())
}

// ref is the target of an attribute that is a reference, if any.
func (r ri) ref(body *hclsyntax.Body, in inst, name string) (target, bool) {
	a := body.Attributes[name]
	if a == nil {
		return target{}, false
	}
	return r.m.refOf(a.Expr, in)
}

func (r ri) account() model.Value[string] { return mval(r.m.account(r.b)) }
func (r ri) region() model.Value[string]  { return mval(r.m.region(r.b)) }

// block is the first nested block of a type.
func (r ri) block(body *hclsyntax.Body, typ string, in inst) (*blk, string) {
	bs, reason := r.m.blocksOf(body, typ, in)
	if reason != "" || len(bs) == 0 {
		return nil, reason
	}
	return &bs[0], ""
}

// policy reads a policy attribute: a JSON string, often the json of a
// data "aws_iam_policy_document", whose statements it then points at.
func (r ri) policy(name string) model.Value[*model.PolicyDocument] {
	return r.policyIn(r.b.Body, r.in, name)
}

// policyIn reads a policy attribute of a body: the resource's, or one of
// its blocks'.
func (r ri) policyIn(body *hclsyntax.Body, in inst, name string) model.Value[*model.PolicyDocument] {
	a := body.Attributes[name]
	if a == nil {
		return model.Known[*model.PolicyDocument](nil)
	}
	v := r.m.eval(a.Expr, in)
	if !v.IsWhollyKnown() {
		return model.Unknown[*model.PolicyDocument]("the policy holds a value that is not known: %s", reasonOf(v))
	}
	if unmarkDeep(v).IsNull() {
		return model.Known[*model.PolicyDocument](nil)
	}
	s, reason := str(v)
	if reason != "" {
		return model.Unknown[*model.PolicyDocument]("%s: the policy is not a JSON string: %s", posOf(a.SrcRange), reason)
	}
	doc := &model.PolicyDocument{Origin: model.Origin{File: a.SrcRange.Filename, Line: a.SrcRange.Start.Line, Column: a.SrcRange.Start.Column},
		JSON: model.Known(s), Managed: true}
	if t, ok := r.m.refOf(a.Expr, in); ok && t.data && t.typ == "aws_iam_policy_document" && (t.attr == "json" || t.attr == "minified_json") {
		insts, _ := t.mod.instances(t.block, t.base)
		for _, in := range insts {
			if in.addr == t.addr {
				d := t.mod.policyDocument(t.block, in)
				doc.File, doc.Line, doc.Column, doc.ID = d.file, d.line, d.col, t.addr
				doc.StatementLines = d.lines
			}
		}
	}
	return model.Known(doc)
}

func (bd *builder) firewall(id string) *model.Firewall {
	if fw := bd.firewalls[id]; fw != nil {
		return fw
	}
	fw := &model.Firewall{}
	bd.firewalls[id] = fw
	bd.m.Firewalls = append(bd.m.Firewalls, fw)
	return fw
}

// resource translates one resource instance of a type logpath knows.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs
func (bd *builder) resource(r ri) {
	body, in := r.b.Body, r.in
	switch r.typ() {
	case "aws_networkfirewall_firewall":
		fw := bd.firewall(in.addr)
		fw.Origin = r.origin()
		fw.Name = r.sv(body, in, "name", model.Unknown[string]("%s: name is required", in.addr))
		fw.ARN = mval(r.m.attr(r.b, in, "arn"))
		fw.Account, fw.Region = r.account(), r.region()
	case "aws_networkfirewall_logging_configuration":
		bd.logging(r)
	case "aws_s3_bucket":
		b := &model.Bucket{Origin: r.origin(), Account: r.account(), Region: r.region(), Ownership: model.Known("")}
		b.Name = mval(r.m.attr(r.b, in, "bucket"))
		b.Policy = r.policy("policy")
		b.Encryption = model.Known[*model.BucketEncryption](nil)
		if sse, reason := r.block(body, "server_side_encryption_configuration", in); reason != "" {
			b.Encryption = model.Unknown[*model.BucketEncryption]("%s", reason)
		} else if sse != nil {
			b.Encryption = r.encryption(sse)
		}
		bd.buckets[in.addr] = b
		bd.addBucket(b)
	case "aws_s3_bucket_server_side_encryption_configuration":
		bd.bucketFor(r).Encryption = r.encryption(&blk{body: body, in: in})
	case "aws_s3_bucket_policy":
		bd.bucketFor(r).Policy = r.policy("policy")
	case "aws_s3_bucket_ownership_controls":
		b := bd.bucketFor(r)
		rule, reason := r.block(body, "rule", in)
		switch {
		case reason != "":
			b.Ownership = model.Unknown[string]("%s", reason)
		case rule == nil:
			b.Ownership = model.Unknown[string]("%s: rule is required", in.addr)
		default:
			b.Ownership = r.sv(rule.body, rule.in, "object_ownership", model.Unknown[string]("%s: object_ownership is required", in.addr))
		}
	case "aws_kms_key":
		k := &model.Key{Origin: r.origin(), Account: r.account(), Region: r.region(), Manager: model.Known("CUSTOMER"),
			KeyID: mval(r.m.attr(r.b, in, "key_id")), ARN: mval(r.m.attr(r.b, in, "arn"))}
		k.Spec = r.sv(body, in, "customer_master_key_spec", model.Known("SYMMETRIC_DEFAULT"))
		if body.Attributes["key_spec"] != nil {
			k.Spec = r.sv(body, in, "key_spec", model.Known("SYMMETRIC_DEFAULT"))
		}
		switch e, ok := r.bv(body, in, "is_enabled", true).Get(); {
		case !ok:
			k.State = model.Unknown[string]("%s", r.bv(body, in, "is_enabled", true).Reason())
		case e:
			k.State = model.Known("Enabled")
		default:
			k.State = model.Known("Disabled")
		}
		k.Policy = r.policy("policy")
		bd.keys[in.addr] = k
		bd.addKey(k)
	case "aws_kms_key_policy":
		var k *model.Key
		if t, ok := r.ref(body, in, "key_id"); ok && t.typ == "aws_kms_key" {
			k = bd.keys[t.addr]
		}
		if k == nil {
			if id, ok := r.sv(body, in, "key_id", model.Known("")).Get(); ok && id != "" {
				k = bd.keysByID[id]
			}
		}
		if k == nil {
			// A key outside the configuration, known by its ID or ARN.
			kid := r.sv(body, in, "key_id", model.Unknown[string]("%s: key_id is required", in.addr))
			k = &model.Key{Origin: r.origin(), KeyID: kid, ARN: kid, Account: r.account(), Region: r.region(),
				Manager: model.Unknown[string]("the key is not in the configuration"), Spec: model.Unknown[string]("the key is not in the configuration"),
				State: model.Unknown[string]("the key is not in the configuration")}
			if s, ok := kid.Get(); !ok || !strings.HasPrefix(s, "arn:") {
				k.ARN = model.Unknown[string]("the key is not in the configuration")
			}
			bd.addKey(k)
		}
		k.Policy = r.policy("policy")
	case "aws_kms_alias":
		al := &model.Alias{Origin: r.origin(), Account: r.account(), Region: r.region()}
		al.Name = mval(r.m.attr(r.b, in, "name"))
		al.Target = r.sv(body, in, "target_key_id", model.Unknown[string]("%s: target_key_id is required", in.addr))
		if t, ok := r.ref(body, in, "target_key_id"); ok && t.typ == "aws_kms_key" {
			al.TargetRef = t.addr
		}
		bd.m.Aliases = append(bd.m.Aliases, al)
	case "aws_cloudwatch_log_group":
		g := &model.LogGroup{Origin: r.origin(), Account: r.account(), Region: r.region()}
		g.Name = mval(r.m.attr(r.b, in, "name"))
		g.KMSKeyID = r.sv(body, in, "kms_key_id", model.Known(""))
		if t, ok := r.ref(body, in, "kms_key_id"); ok && isKey(t) {
			g.KeyRef = t.addr
		}
		bd.m.LogGroups = append(bd.m.LogGroups, g)
	case "aws_cloudwatch_log_resource_policy":
		p := &model.LogResourcePolicy{Origin: r.origin(), Account: r.account(), Region: r.region(), LogGroupARN: model.Known("")}
		p.Name = r.sv(body, in, "policy_name", model.Unknown[string]("%s: policy_name is required", in.addr))
		p.Policy = r.policy("policy_document")
		if body.Attributes["policy_document"] == nil {
			p.Policy = model.Unknown[*model.PolicyDocument]("%s: policy_document is required", in.addr)
		}
		bd.m.LogResourcePolicies = append(bd.m.LogResourcePolicies, p)
	case "aws_kinesis_firehose_delivery_stream":
		bd.stream(r)
	case "aws_flow_log":
		bd.flowLog(r)
	case "aws_cloudtrail":
		bd.trail(r)
	case "aws_iam_role":
		bd.role(r)
	case "aws_iam_policy":
		mp := &model.ManagedPolicy{Origin: r.origin(), Name: mval(r.m.attr(r.b, in, "name")), ARN: mval(r.m.attr(r.b, in, "arn")), Policy: r.policy("policy")}
		if body.Attributes["policy"] == nil {
			mp.Policy = model.Unknown[*model.PolicyDocument]("%s: policy is required", in.addr)
		}
		bd.m.ManagedPolicies = append(bd.m.ManagedPolicies, mp)
	case "aws_iam_role_policy", "aws_iam_role_policy_attachment":
		bd.rolePolicy(r)
	case "aws_route53_resolver_query_log_config":
		bd.resolverConfig(r)
	case "aws_route53_resolver_query_log_config_association":
		bd.resolverAssociation(r)
	case "aws_wafv2_web_acl":
		bd.webACL(r)
	case "aws_wafv2_web_acl_logging_configuration":
		bd.wafLogging(r)
	case "aws_organizations_policy":
		op := &model.OrgPolicy{Origin: r.origin(), Targets: model.Known[[]string](nil)}
		op.Name = r.sv(body, in, "name", model.Unknown[string]("%s: name is required", in.addr))
		op.Type = r.sv(body, in, "type", model.Known(model.SCPType))
		op.Policy = r.policy("content")
		if body.Attributes["content"] == nil {
			op.Policy = model.Unknown[*model.PolicyDocument]("%s: content is required", in.addr)
		}
		bd.orgs[in.addr] = op
		bd.m.OrgPolicies = append(bd.m.OrgPolicies, op)
	case "aws_organizations_policy_attachment":
		t, ok := r.ref(body, in, "policy_id")
		if !ok {
			return
		}
		op := bd.orgs[t.addr]
		if op == nil {
			return
		}
		tid := r.sv(body, in, "target_id", model.Unknown[string]("%s: target_id is required", in.addr))
		ids, known := op.Targets.Get()
		if !known {
			return
		}
		if s, ok := tid.Get(); ok {
			op.Targets = model.Known(append(ids, s))
		} else {
			op.Targets = model.Unknown[[]string]("the target of %s is not known: %s", in.addr, tid.Reason())
		}
	}
}

// bucketFor is the bucket a bucket-level resource configures: by
// reference, by name, or a bucket outside the configuration.
func (bd *builder) bucketFor(r ri) *model.Bucket {
	if t, ok := r.ref(r.b.Body, r.in, "bucket"); ok && t.typ == "aws_s3_bucket" {
		if b := bd.buckets[t.addr]; b != nil {
			return b
		}
	}
	name := r.sv(r.b.Body, r.in, "bucket", model.Unknown[string]("%s: bucket is required", r.in.addr))
	if n, ok := name.Get(); ok {
		if b := bd.bucketsByName[n]; b != nil {
			return b
		}
	}
	why := "the bucket is not in the configuration"
	b := &model.Bucket{Origin: r.origin(), Name: name, Account: model.Unknown[string]("%s", why), Region: model.Unknown[string]("%s", why),
		Encryption: model.Unknown[*model.BucketEncryption]("%s", why), Policy: model.Unknown[*model.PolicyDocument]("%s", why),
		Ownership: model.Unknown[string]("%s", why)}
	if n, ok := name.Get(); ok {
		bd.buckets["bucket:"+n] = b
	}
	bd.addBucket(b)
	return b
}

func (bd *builder) addBucket(b *model.Bucket) {
	if n, ok := b.Name.Get(); ok && bd.bucketsByName[n] == nil {
		bd.bucketsByName[n] = b
	}
	bd.m.Buckets = append(bd.m.Buckets, b)
}

func (bd *builder) addKey(k *model.Key) {
	for _, id := range []model.Value[string]{k.KeyID, k.ARN} {
		if s, ok := id.Get(); ok && s != "" {
			bd.keysByID[s] = k
		}
	}
	bd.m.Keys = append(bd.m.Keys, k)
}

// encryption reads a server_side_encryption_configuration: its first rule.
func (r ri) encryption(sse *blk) model.Value[*model.BucketEncryption] {
	rule, reason := r.block(sse.body, "rule", sse.in)
	if reason != "" {
		return model.Unknown[*model.BucketEncryption]("%s", reason)
	}
	if rule == nil {
		return model.Unknown[*model.BucketEncryption]("%s: the encryption configuration has no rule", r.in.addr)
	}
	def, reason := r.block(rule.body, "apply_server_side_encryption_by_default", rule.in)
	if reason != "" {
		return model.Unknown[*model.BucketEncryption]("%s", reason)
	}
	if def == nil {
		return model.Known[*model.BucketEncryption](nil)
	}
	e := &model.BucketEncryption{
		Algorithm:        r.sv(def.body, def.in, "sse_algorithm", model.Unknown[string]("%s: sse_algorithm is required", r.in.addr)),
		KMSKeyID:         r.sv(def.body, def.in, "kms_master_key_id", model.Known("")),
		BucketKeyEnabled: r.bv(rule.body, rule.in, "bucket_key_enabled", false),
	}
	if t, ok := r.ref(def.body, def.in, "kms_master_key_id"); ok && !t.data {
		switch t.typ {
		case "aws_kms_key":
			e.KeyRef = t.addr
			e.KeyRefForm = "key-id"
			if t.attr == "arn" {
				e.KeyRefForm = "arn"
			}
		case "aws_kms_alias":
			e.KeyRef, e.KeyRefForm = t.addr, "alias"
			switch t.attr {
			case "target_key_arn":
				e.KeyRefForm = "arn"
			case "target_key_id":
				e.KeyRefForm = "key-id"
			}
		}
	}
	return model.Known(e)
}

// logging reads aws_networkfirewall_logging_configuration.
func (bd *builder) logging(r ri) {
	body, in := r.b.Body, r.in
	var fw *model.Firewall
	if t, ok := r.ref(body, in, "firewall_arn"); ok && t.typ == "aws_networkfirewall_firewall" {
		fw = bd.firewalls[t.addr]
	}
	if fw == nil {
		arn := r.sv(body, in, "firewall_arn", model.Unknown[string]("%s: firewall_arn is required", in.addr))
		id := in.addr
		if s, ok := arn.Get(); ok {
			id = "arn:" + s
		}
		fw = bd.firewall(id)
		fw.Origin = r.origin()
		fw.ARN = arn
		why := "the firewall is not in the configuration"
		fw.Name, fw.Account, fw.Region = model.Unknown[string]("%s", why), model.Unknown[string]("%s", why), model.Unknown[string]("%s", why)
		if s, ok := arn.Get(); ok {
			if parts := strings.Split(s, ":"); len(parts) == 6 {
				fw.Name = model.Known(strings.TrimPrefix(parts[5], "firewall/"))
				fw.Account, fw.Region = model.Known(parts[4]), model.Known(parts[3])
			}
		} else {
			fw.Name = model.Unknown[string]("the firewall ARN is not known: %s", arn.Reason())
		}
	}
	lc := &model.LoggingConfiguration{Origin: r.origin()}
	fw.Logging = lc
	conf, reason := r.block(body, "logging_configuration", in)
	if reason != "" {
		lc.Unknown = reason
		return
	}
	if conf == nil {
		lc.Unknown = in.addr + ": logging_configuration is required"
		return
	}
	dcs, reason := r.m.blocksOf(conf.body, "log_destination_config", conf.in)
	if reason != "" {
		lc.Unknown = reason
		return
	}
	for _, dc := range dcs {
		d := model.LogDestination{Origin: model.Origin{File: dc.file, Line: dc.line, Column: dc.col, ID: in.addr},
			LogType: r.sv(dc.body, dc.in, "log_type", model.Unknown[string]("log_type is missing")),
			Type:    r.sv(dc.body, dc.in, "log_destination_type", model.Unknown[string]("log_destination_type is missing")),
			Prefix:  model.Known("")}
		fields := map[string]*model.Value[string]{"bucketName": &d.BucketName, "prefix": &d.Prefix, "logGroup": &d.LogGroup, "deliveryStream": &d.DeliveryStream}
		a := dc.body.Attributes["log_destination"]
		switch {
		case a == nil:
			d.BucketName = model.Unknown[string]("log_destination is missing")
			d.LogGroup, d.DeliveryStream = d.BucketName, d.BucketName
		default:
			if oc, ok := a.Expr.(*hclsyntax.ObjectConsExpr); ok {
				for _, item := range oc.Items {
					ks, reason := str(r.m.eval(item.KeyExpr, dc.in))
					to := fields[ks]
					if reason != "" || to == nil {
						continue
					}
					*to = mval(r.m.eval(item.ValueExpr, dc.in))
					if t, ok := r.m.refOf(item.ValueExpr, dc.in); ok && !t.data {
						switch t.typ {
						case "aws_s3_bucket", "aws_cloudwatch_log_group", "aws_kinesis_firehose_delivery_stream":
							d.Ref = t.addr
						}
					}
				}
				break
			}
			v := r.m.eval(a.Expr, dc.in)
			if !v.IsKnown() {
				d.BucketName = model.Unknown[string]("%s", reasonOf(v))
				d.LogGroup, d.DeliveryStream = d.BucketName, d.BucketName
				break
			}
			v, _ = v.Unmark()
			if v.IsNull() || !(v.Type().IsMapType() || v.Type().IsObjectType()) {
				d.BucketName = model.Unknown[string]("%s: log_destination is not a map", posOf(a.SrcRange))
				d.LogGroup, d.DeliveryStream = d.BucketName, d.BucketName
				break
			}
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				if to := fields[k.AsString()]; to != nil {
					*to = mval(e)
				}
			}
		}
		lc.Destinations = append(lc.Destinations, d)
	}
}

// stream reads aws_kinesis_firehose_delivery_stream.
func (bd *builder) stream(r ri) {
	body, in := r.b.Body, r.in
	s := &model.DeliveryStream{Origin: r.origin(), Account: r.account(), Region: r.region(), KeyType: model.Known("")}
	s.Name = mval(r.m.attr(r.b, in, "name"))
	s.Type = model.Known("DirectPut")
	if ks, _ := r.block(body, "kinesis_source_configuration", in); ks != nil {
		s.Type = model.Known("KinesisStreamAsSource")
	}
	tags := map[string]string{}
	s.Tags = model.Known(tags)
	addTags := func(v cty.Value, at string) {
		if !s.Tags.Known() {
			return
		}
		if !v.IsWhollyKnown() {
			s.Tags = model.Unknown[map[string]string]("the tags of %s are not known: %s", in.addr, reasonOf(v))
			return
		}
		v = unmarkDeep(v)
		if v.IsNull() {
			return
		}
		mv, err := convert.Convert(v, cty.Map(cty.String))
		if err != nil {
			s.Tags = model.Unknown[map[string]string]("%s: tags are not a map of strings", at)
			return
		}
		for k, e := range mv.AsValueMap() {
			if !e.IsNull() {
				tags[k] = e.AsString()
			}
		}
	}
	// The provider's default_tags come first; the resource's tags override them.
	if pm, pb := r.m.providerOf(r.b); pb != nil {
		if dt, _ := pm.blocksOf(pb.Body, "default_tags", inst{}); len(dt) > 0 {
			if a := dt[0].body.Attributes["tags"]; a != nil {
				s.TagsManaged = true
				addTags(pm.eval(a.Expr, inst{}), posOf(a.SrcRange))
			}
		}
	}
	if a := body.Attributes["tags"]; a != nil {
		s.TagsManaged = true
		addTags(r.m.eval(a.Expr, in), posOf(a.SrcRange))
	}
	if lc, _ := r.block(body, "lifecycle", in); lc != nil {
		if a := lc.body.Attributes["ignore_changes"]; a != nil {
			if t, d := hcl.AbsTraversalForExpr(a.Expr); !d.HasErrors() && t.RootName() == "all" {
				s.TagsIgnored = true
			}
			if exprs, d := hcl.ExprList(a.Expr); !d.HasErrors() {
				for _, e := range exprs {
					if t, d := hcl.AbsTraversalForExpr(e); !d.HasErrors() && (t.RootName() == "tags" || t.RootName() == "tags_all") {
						s.TagsIgnored = true
					}
				}
			}
		}
	}
	sse, reason := r.block(body, "server_side_encryption", in)
	switch {
	case reason != "":
		s.KeyType = model.Unknown[string]("%s", reason)
	case sse != nil:
		switch on, ok := r.bv(sse.body, sse.in, "enabled", false).Get(); {
		case !ok:
			s.KeyType = model.Unknown[string]("whether %s is encrypted is not known: %s", in.addr, r.bv(sse.body, sse.in, "enabled", false).Reason())
		case on:
			s.KeyType = r.sv(sse.body, sse.in, "key_type", model.Known("AWS_OWNED_CMK"))
			if sse.body.Attributes["key_arn"] != nil {
				s.KeyARN = r.sv(sse.body, sse.in, "key_arn", model.Known(""))
				if t, ok := r.ref(sse.body, sse.in, "key_arn"); ok && isKey(t) {
					s.KeyRef = t.addr
				}
			}
		}
	}
	bd.m.DeliveryStreams = append(bd.m.DeliveryStreams, s)
}

func isKey(t target) bool {
	return !t.data && (t.typ == "aws_kms_key" || t.typ == "aws_kms_alias")
}

// flowLog reads aws_flow_log.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/flow_log
func (bd *builder) flowLog(r ri) {
	body, in := r.b.Body, r.in
	fl := &model.FlowLog{Origin: r.origin(), Account: r.account(), Region: r.region(), FlowLogID: mval(r.m.attr(r.b, in, "id")),
		ResourceID: model.Unknown[string]("%s names no VPC, subnet, network interface or transit gateway", in.addr)}
	for _, a := range []string{"vpc_id", "subnet_id", "eni_id", "transit_gateway_id", "transit_gateway_attachment_id"} {
		if body.Attributes[a] != nil {
			fl.ResourceID = r.sv(body, in, a, fl.ResourceID)
			break
		}
	}
	fl.TrafficType = r.sv(body, in, "traffic_type", model.Value[string]{})
	fl.DestinationType = r.sv(body, in, "log_destination_type", model.Known(model.FlowLogToLogs))
	fl.Destination = r.sv(body, in, "log_destination", model.Known(""))
	fl.LogGroupName = r.sv(body, in, "log_group_name", model.Known(""))
	for _, a := range []string{"log_destination", "log_group_name"} {
		if t, ok := r.ref(body, in, a); ok && !t.data {
			switch t.typ {
			case "aws_s3_bucket", "aws_cloudwatch_log_group", "aws_kinesis_firehose_delivery_stream":
				fl.DestinationRef = t.addr
			}
		}
	}
	fl.DeliverLogsPermissionARN = r.sv(body, in, "iam_role_arn", model.Known(""))
	if t, ok := r.ref(body, in, "iam_role_arn"); ok && !t.data && t.typ == "aws_iam_role" {
		fl.RoleRef = t.addr
	}
	fl.DeliverCrossAccountRole = r.sv(body, in, "deliver_cross_account_role", model.Known(""))
	fl.DestinationOptions = model.Known[*model.FlowLogDestinationOptions](nil)
	switch o, reason := r.block(body, "destination_options", in); {
	case reason != "":
		fl.DestinationOptions = model.Unknown[*model.FlowLogDestinationOptions]("%s", reason)
	case o != nil:
		fl.DestinationOptions = model.Known(&model.FlowLogDestinationOptions{
			FileFormat:               r.sv(o.body, o.in, "file_format", model.Known("plain-text")),
			HiveCompatiblePartitions: r.bv(o.body, o.in, "hive_compatible_partitions", false),
			PerHourPartition:         r.bv(o.body, o.in, "per_hour_partition", false),
		})
	}
	bd.m.FlowLogs = append(bd.m.FlowLogs, fl)
}

// role reads aws_iam_role with its inline_policy blocks and the managed
// policies it names.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role
func (bd *builder) role(r ri) {
	body, in := r.b.Body, r.in
	role := &model.IAMRole{Origin: r.origin(), Account: r.account(), Name: mval(r.m.attr(r.b, in, "name")), ARN: mval(r.m.attr(r.b, in, "arn"))}
	role.TrustPolicy = r.policy("assume_role_policy")
	if body.Attributes["assume_role_policy"] == nil {
		role.TrustPolicy = model.Unknown[*model.PolicyDocument]("%s: assume_role_policy is required", in.addr)
	}
	var inline []model.InlinePolicy
	role.InlinePolicies = model.Known(inline)
	if bs, reason := r.m.blocksOf(body, "inline_policy", in); reason != "" {
		role.InlinePolicies = model.Unknown[[]model.InlinePolicy]("%s", reason)
	} else {
		for _, b := range bs {
			ip := model.InlinePolicy{Name: r.sv(b.body, b.in, "name", model.Unknown[string]("the inline policy has no name")), Policy: r.policyIn(b.body, b.in, "policy")}
			if ip.Policy.Or(nil) == nil && ip.Policy.Known() {
				continue // an empty inline_policy block: the role has none
			}
			inline = append(inline, ip)
		}
		role.InlinePolicies = model.Known(inline)
	}
	var attached []model.PolicyAttachment
	role.ManagedPolicies = model.Known(attached)
	if a := body.Attributes["managed_policy_arns"]; a != nil {
		v := r.m.eval(a.Expr, in)
		list, reason := strList(v)
		if reason != "" {
			role.ManagedPolicies = model.Unknown[[]model.PolicyAttachment]("%s: managed_policy_arns: %s", in.addr, reason)
		} else {
			for _, arn := range list {
				attached = append(attached, model.PolicyAttachment{ARN: arn})
			}
			if tc, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok && len(tc.Exprs) == len(attached) {
				for i, e := range tc.Exprs {
					if t, ok := r.m.refOf(e, in); ok && !t.data && t.typ == "aws_iam_policy" {
						attached[i].Ref = t.addr
					}
				}
			}
			role.ManagedPolicies = model.Known(attached)
		}
	}
	role.PermissionsBoundary = r.sv(body, in, "permissions_boundary", model.Known(""))
	if t, ok := r.ref(body, in, "permissions_boundary"); ok && !t.data && t.typ == "aws_iam_policy" {
		role.PermissionsBoundaryRef = t.addr
	}
	bd.roles[in.addr] = role
	if n, ok := role.Name.Get(); ok {
		bd.roleNames[n] = role
	}
	bd.m.Roles = append(bd.m.Roles, role)
}

// strList reads a list of strings whose elements may be unknown: each
// becomes a model value; the list itself must be known.
func strList(v cty.Value) ([]model.Value[string], string) {
	if !v.IsKnown() {
		return nil, reasonOf(v)
	}
	v, _ = v.Unmark()
	if v.IsNull() {
		return nil, ""
	}
	if !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
		return nil, "expected a list, found " + v.Type().FriendlyName()
	}
	var out []model.Value[string]
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		out = append(out, mval(e))
	}
	return out, ""
}

// rolePolicy reads aws_iam_role_policy (an inline policy) and
// aws_iam_role_policy_attachment (a managed policy) into their role. One
// whose role cannot be told could be any role's: the roles' policies of
// that kind become unknown.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachment
func (bd *builder) rolePolicy(r ri) {
	body, in := r.b.Body, r.in
	var role *model.IAMRole
	if t, ok := r.ref(body, in, "role"); ok && !t.data && t.typ == "aws_iam_role" {
		role = bd.roles[t.addr]
	}
	name := r.sv(body, in, "role", model.Unknown[string]("%s: role is required", in.addr))
	if role == nil {
		n, ok := name.Get()
		if ok {
			role = bd.roleNames[n]
		}
		if !ok {
			for _, cand := range bd.m.Roles {
				if r.typ() == "aws_iam_role_policy" {
					cand.InlinePolicies = model.Unknown[[]model.InlinePolicy]("%s adds an inline policy to a role that is unknown: %s", in.addr, name.Reason())
				} else {
					cand.ManagedPolicies = model.Unknown[[]model.PolicyAttachment]("%s attaches a policy to a role that is unknown: %s", in.addr, name.Reason())
				}
			}
			return
		}
		if role == nil {
			return // a role outside the configuration
		}
	}
	if r.typ() == "aws_iam_role_policy" {
		ip := model.InlinePolicy{Name: mval(r.m.attr(r.b, in, "name")), Policy: r.policy("policy")}
		if inline, ok := role.InlinePolicies.Get(); ok {
			role.InlinePolicies = model.Known(append(inline, ip))
		}
		return
	}
	at := model.PolicyAttachment{ARN: r.sv(body, in, "policy_arn", model.Unknown[string]("%s: policy_arn is required", in.addr))}
	if t, ok := r.ref(body, in, "policy_arn"); ok && !t.data && t.typ == "aws_iam_policy" {
		at.Ref = t.addr
	}
	if attached, ok := role.ManagedPolicies.Get(); ok {
		role.ManagedPolicies = model.Known(append(attached, at))
	}
}
