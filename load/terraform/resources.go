package terraform

import (
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/logpath/logpath/internal/jsontree"
	"github.com/logpath/logpath/model"
)

// attachOrder puts the resources that attach to others after them.
func attachOrder(typ string) int {
	switch typ {
	case "aws_networkfirewall_logging_configuration",
		"aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_policy", "aws_s3_bucket_ownership_controls",
		"aws_kms_key_policy", "aws_organizations_policy_attachment",
		"aws_iam_role_policy", "aws_iam_role_policy_attachment":
		return 1
	}
	return 0
}

// resource translates one resource of a type logpath knows; others are
// skipped.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs
func (l *loader) resource(r *resource) error {
	if _, known := handlers[r.typ]; !known {
		return nil
	}
	if err := l.object(r.v); err != nil {
		return err
	}
	return handlers[r.typ](l, r)
}

var handlers map[string]func(*loader, *resource) error

func init() {
	handlers = map[string]func(*loader, *resource) error{
		"aws_networkfirewall_firewall":                       (*loader).firewall,
		"aws_networkfirewall_logging_configuration":          (*loader).loggingConfiguration,
		"aws_s3_bucket":                                      (*loader).bucket,
		"aws_s3_bucket_server_side_encryption_configuration": (*loader).bucketEncryption,
		"aws_s3_bucket_policy":                               (*loader).bucketPolicy,
		"aws_s3_bucket_ownership_controls":                   (*loader).bucketOwnership,
		"aws_kms_key":                                        (*loader).key,
		"aws_kms_key_policy":                                 (*loader).keyPolicy,
		"aws_kms_alias":                                      (*loader).alias,
		"aws_cloudwatch_log_group":                           (*loader).logGroup,
		"aws_cloudwatch_log_resource_policy":                 (*loader).logResourcePolicy,
		"aws_kinesis_firehose_delivery_stream":               (*loader).stream,
		"aws_organizations_policy":                           (*loader).orgPolicy,
		"aws_organizations_policy_attachment":                (*loader).orgPolicyAttachment,
		"aws_flow_log":                                       (*loader).flowLog,
		"aws_iam_role":                                       (*loader).role,
		"aws_iam_role_policy":                                (*loader).rolePolicy,
		"aws_iam_role_policy_attachment":                     (*loader).rolePolicy,
		"aws_iam_policy":                                     (*loader).managedPolicy,
		"aws_route53_resolver_query_log_config":              (*loader).resolverConfig,
		"aws_route53_resolver_query_log_config_association":  (*loader).resolverAssociation,
		"aws_wafv2_web_acl":                                  (*loader).webACL,
		"aws_wafv2_web_acl_logging_configuration":            (*loader).wafLogging,
		"aws_cloudtrail":                                     (*loader).trail,
	}
}

func (l *loader) source() string {
	if l.plan {
		return "plan"
	}
	return "state"
}

// arnParts splits an ARN into its Region, account and resource.
func arnParts(s string) (region, account, res string, ok bool) {
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 || p[0] != "arn" {
		return "", "", "", false
	}
	return p[3], p[4], p[5], true
}

// account is the account of a resource: from its ARN, else the options.
func (l *loader) account(r *resource, arn model.Value[string]) model.Value[string] {
	if a, ok := arn.Get(); ok {
		if _, acct, _, ok := arnParts(a); ok && acct != "" {
			return model.Known(acct)
		}
	}
	if l.opts.Account != "" {
		return model.Known(l.opts.Account)
	}
	if !arn.Known() && !arn.IsZero() {
		return model.Unknown[string]("the account of %s is unknown: %s, and no account was given (--account)", r.addr, arn.Reason())
	}
	return model.Unknown[string]("the %s does not say which account %s is in (use --account)", l.source(), r.addr)
}

// region is the Region of a resource: its region argument (AWS provider
// 6) or attribute (S3 buckets), its ARN, the provider configuration, else
// the options.
func (l *loader) region(r *resource, arn model.Value[string]) model.Value[string] {
	if rv := r.v.get("region"); rv.unknown() == "" {
		if s, ok := rv.v.(string); ok && s != "" {
			return model.Known(s)
		}
	}
	if a, ok := arn.Get(); ok {
		if reg, _, _, ok := arnParts(a); ok && reg != "" {
			return model.Known(reg)
		}
	}
	if reg, ok := l.providerRegion(r); ok {
		return model.Known(reg)
	}
	if l.opts.Region != "" {
		return model.Known(l.opts.Region)
	}
	return model.Unknown[string]("the %s does not say which Region %s is in (use --region)", l.source(), r.addr)
}

// providerRegion reads the region argument of the resource's provider
// configuration: a constant, or a root module variable.
func (l *loader) providerRegion(r *resource) (string, bool) {
	if r.cfg == nil || l.cfg == nil {
		return "", false
	}
	pc := l.cfg.ProviderConfigs[r.cfg.ProviderConfigKey]
	if pc == nil {
		return "", false
	}
	e := expr(pc.Expressions, "region")
	if e == nil {
		return "", false
	}
	if s, ok := e.ConstantValue.(string); ok && s != "" {
		return s, true
	}
	if len(e.References) > 0 && pc.ModuleAddress == "" {
		if parts, err := parseTraversal(e.References[0]); err == nil && len(parts) == 2 && parts[0].name == "var" {
			if v := l.variables[parts[1].name]; v != nil {
				if s, ok := v.Value.(string); ok && s != "" {
					return s, true
				}
			}
		}
	}
	return "", false
}

// consistent reports whether a reference to t's attribute agrees with the
// value: always when the value is not known yet; otherwise t's attribute
// must be known and equal.
func (l *loader) consistent(t *resource, attr string, v model.Value[string]) bool {
	s, ok := v.Get()
	if !ok {
		return true
	}
	tv := t.v.get(attr)
	ts, isStr := tv.v.(string)
	return tv.unknown() == "" && isStr && ts == s
}

// follow returns the resource an attribute's reference names, when it is
// the only one and agrees with the value.
func (l *loader) follow(r *resource, exprs map[string]*tfjson.Expression, attr string, v model.Value[string], allowed kinds) (*resource, string) {
	t, tattr := l.refTo(r, exprs, attr, allowed)
	if t == nil || !l.consistent(t, tattr, v) {
		return nil, ""
	}
	return t, tattr
}

// policyDoc makes a policy document from a JSON string value; nil for "".
func (l *loader) policyDoc(r *resource, v val, managed bool) (model.Value[*model.PolicyDocument], error) {
	s, err := l.str(v, model.Known(""))
	if err != nil {
		return model.Value[*model.PolicyDocument]{}, err
	}
	text, ok := s.Get()
	if !ok {
		return model.Unknown[*model.PolicyDocument]("%s", s.Reason()), nil
	}
	if strings.TrimSpace(text) == "" {
		return model.Known[*model.PolicyDocument](nil), nil
	}
	line, col := l.locate(v.json)
	doc := &model.PolicyDocument{Origin: model.Origin{File: l.file, Line: line, Column: col, ID: r.addr},
		JSON: model.Known(text), Managed: managed}
	// The document is a string in the plan: every statement is on the
	// string's line.
	if root, err := jsontree.Parse([]byte(text)); err == nil {
		if st := member(&root, "Statement"); st != nil && st.Kind == jsontree.Array {
			for range st.Items {
				doc.StatementLines = append(doc.StatementLines, line)
			}
		} else if st != nil {
			doc.StatementLines = []int{line}
		}
	}
	return model.Known(doc), nil
}

// optionalPolicy reads a policy attribute that the AWS provider also
// computes (aws_s3_bucket's policy, aws_kms_key's policy). Unknown in a
// plan whose configuration does not set it, it is the one AWS has: none
// for a new resource. The document is managed as code only when the
// configuration sets it.
func (l *loader) optionalPolicy(r *resource, attr string) (model.Value[*model.PolicyDocument], error) {
	v := r.v.get(attr)
	if why := v.unknown(); why != "" {
		if r.hasConfig() && !r.declares(attr) {
			return model.Known[*model.PolicyDocument](nil), nil
		}
		return model.Unknown[*model.PolicyDocument]("%s", why), nil
	}
	return l.policyDoc(r, v, r.declares(attr))
}

// firewall reads aws_networkfirewall_firewall.
func (l *loader) firewall(r *resource) error {
	fw := &model.Firewall{Origin: r.origin}
	var err error
	if fw.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	if fw.ARN, err = l.str(r.v.get("arn"), model.Unknown[string]("%s has no arn", r.addr)); err != nil {
		return err
	}
	fw.Account, fw.Region = l.account(r, fw.ARN), l.region(r, fw.ARN)
	l.firewalls[r] = fw
	if a, ok := fw.ARN.Get(); ok {
		l.fwByARN[a] = fw
	}
	l.m.Firewalls = append(l.m.Firewalls, fw)
	return nil
}

// loggingConfiguration reads aws_networkfirewall_logging_configuration
// and attaches it to its firewall.
func (l *loader) loggingConfiguration(r *resource) error {
	arn, err := l.str(r.v.get("firewall_arn"), model.Unknown[string]("%s has no firewall_arn", r.addr))
	if err != nil {
		return err
	}
	var fw *model.Firewall
	if t, _ := l.follow(r, r.cfgExprs(), "firewall_arn", arn, kinds{"aws_networkfirewall_firewall": {"arn", "id"}}); t != nil {
		fw = l.firewalls[t]
	}
	if a, ok := arn.Get(); ok && fw == nil {
		fw = l.fwByARN[a]
	}
	if fw == nil {
		fw = l.externalFirewall(r, arn)
	}
	lc := &model.LoggingConfiguration{Origin: r.origin}
	items, why, err := l.list(r.v.get("logging_configuration"))
	if err != nil {
		return err
	}
	lc.Unknown = why
	var cfgDests []map[string]*tfjson.Expression
	for _, b := range blocks(r.cfgExprs(), "logging_configuration") {
		cfgDests = append(cfgDests, blocks(b, "log_destination_config")...)
	}
	for _, item := range items {
		if err := l.object(item); err != nil {
			return err
		}
		dests, why, err := l.list(item.get("log_destination_config"))
		if err != nil {
			return err
		}
		if why != "" {
			lc.Unknown = why
			break
		}
		for _, d := range dests {
			dst, err := l.destination(r, d, cfgDests)
			if err != nil {
				return err
			}
			lc.Destinations = append(lc.Destinations, dst)
		}
	}
	if lc.Unknown != "" {
		lc.Destinations = nil
	}
	if fw.Logging != nil {
		// Two logging configurations for one firewall: keep both.
		fw.Logging.Destinations = append(fw.Logging.Destinations, lc.Destinations...)
		if fw.Logging.Unknown == "" {
			fw.Logging.Unknown = lc.Unknown
		}
		return nil
	}
	fw.Logging = lc
	return nil
}

// externalFirewall records a firewall that is not in the plan, named by
// the logging configuration's firewall_arn.
func (l *loader) externalFirewall(r *resource, arn model.Value[string]) *model.Firewall {
	k := r.addr
	if a, ok := arn.Get(); ok {
		k = "arn:" + a
	}
	if fw := l.extFirewall[k]; fw != nil {
		return fw
	}
	fw := &model.Firewall{Origin: r.origin, ARN: arn}
	a, ok := arn.Get()
	reg, acct, res, isARN := arnParts(a)
	switch {
	case ok && isARN:
		fw.Name = model.Known(strings.TrimPrefix(res, "firewall/"))
		fw.Account, fw.Region = model.Known(acct), model.Known(reg)
	case ok:
		fw.Name = model.Unknown[string]("the firewall_arn of %s, %q, is not an ARN", r.addr, a)
		fw.Account, fw.Region = l.account(r, model.Value[string]{}), l.region(r, model.Value[string]{})
	default:
		fw.Name = model.Unknown[string]("the firewall of %s is unknown: %s", r.addr, arn.Reason())
		fw.Account, fw.Region = l.account(r, arn), l.region(r, arn)
	}
	l.extFirewall[k] = fw
	l.m.Firewalls = append(l.m.Firewalls, fw)
	return fw
}

// destination reads one log_destination_config block.
func (l *loader) destination(r *resource, d val, cfg []map[string]*tfjson.Expression) (model.LogDestination, error) {
	line, col := l.locate(d.json)
	dst := model.LogDestination{Origin: model.Origin{File: l.file, Line: line, Column: col, ID: r.addr}}
	if err := l.object(d); err != nil {
		return dst, err
	}
	var err error
	if dst.LogType, err = l.str(d.get("log_type"), model.Unknown[string]("%s: log_type is not set", r.addr)); err != nil {
		return dst, err
	}
	if dst.Type, err = l.str(d.get("log_destination_type"), model.Unknown[string]("%s: log_destination_type is not set", r.addr)); err != nil {
		return dst, err
	}
	ld := d.get("log_destination")
	if why := ld.unknown(); why != "" {
		u := model.Unknown[string]("%s", why)
		dst.BucketName, dst.Prefix, dst.LogGroup, dst.DeliveryStream = u, u, u, u
	} else {
		if err := l.object(ld); err != nil {
			return dst, err
		}
		for _, f := range []struct {
			key string
			to  *model.Value[string]
		}{{"bucketName", &dst.BucketName}, {"prefix", &dst.Prefix}, {"logGroup", &dst.LogGroup}, {"deliveryStream", &dst.DeliveryStream}} {
			e := ld.elem(f.key)
			if !e.present && e.unknown() == "" {
				continue
			}
			if *f.to, err = l.str(e, model.Value[string]{}); err != nil {
				return dst, err
			}
		}
		if dst.Prefix.IsZero() {
			dst.Prefix = model.Known("")
		}
	}
	dst.Ref = l.destinationRef(r, &dst, cfg)
	return dst, nil
}

// destinationKinds are the references a log destination map may hold.
var destinationKinds = map[string]kinds{
	model.DestS3:       {"aws_s3_bucket": {"bucket", "id"}},
	model.DestLogs:     {"aws_cloudwatch_log_group": {"name", "id"}},
	model.DestFirehose: {"aws_kinesis_firehose_delivery_stream": {"name"}},
}

// destinationRef finds the resource a destination's log_destination map
// refers to. The blocks of a set are not in the configuration's order, so
// the configuration blocks that may be this one (same constant log type
// and destination type) must all refer to the same resource.
func (l *loader) destinationRef(r *resource, dst *model.LogDestination, cfg []map[string]*tfjson.Expression) string {
	if len(cfg) == 0 {
		return ""
	}
	typ, typKnown := dst.Type.Get()
	allowed, ok := destinationKinds[typ]
	if !typKnown || !ok {
		allowed = kinds{}
		for _, k := range destinationKinds {
			for t, attrs := range k {
				allowed[t] = attrs
			}
		}
	}
	var found *resource
	var attr string
	for _, b := range cfg {
		if !mayBe(b["log_type"], dst.LogType) || !mayBe(b["log_destination_type"], dst.Type) {
			continue
		}
		t, a := l.refTo(r, b, "log_destination", allowed)
		if t == nil || (found != nil && (t != found || a != attr)) {
			return ""
		}
		found, attr = t, a
	}
	if found == nil {
		return ""
	}
	var written model.Value[string]
	switch found.typ {
	case "aws_s3_bucket":
		written = dst.BucketName
	case "aws_cloudwatch_log_group":
		written = dst.LogGroup
	default:
		written = dst.DeliveryStream
	}
	if !l.consistent(found, attr, written) {
		return ""
	}
	return found.addr
}

// mayBe reports whether an expression may have produced a value: it is
// not a constant, or the value is unknown, or they are equal.
func mayBe(e *tfjson.Expression, v model.Value[string]) bool {
	if e == nil || e.ExpressionData == nil || len(e.References) > 0 {
		return true
	}
	c, isStr := e.ConstantValue.(string)
	s, known := v.Get()
	return !isStr || !known || c == s
}

// bucket reads aws_s3_bucket, with the encryption and policy it sets
// inline (AWS provider 3 and earlier, deprecated since).
func (l *loader) bucket(r *resource) error {
	b := &model.Bucket{Origin: r.origin, Ownership: model.Known("")}
	var err error
	if b.Name, err = l.str(r.v.get("bucket"), model.Unknown[string]("%s has no bucket name", r.addr)); err != nil {
		return err
	}
	b.Account, b.Region = l.account(r, model.Value[string]{}), l.region(r, model.Value[string]{})
	if b.Encryption, err = l.inlineEncryption(r); err != nil {
		return err
	}
	if b.Policy, err = l.optionalPolicy(r, "policy"); err != nil {
		return err
	}
	l.buckets[r] = b
	if n, ok := b.Name.Get(); ok {
		l.bucketNames[n] = b
	}
	l.m.Buckets = append(l.m.Buckets, b)
	return nil
}

// inlineEncryption reads aws_s3_bucket's server_side_encryption_configuration.
// The provider computes it: unknown in a plan whose configuration does not
// set it, it is the one AWS gives a new bucket, none configured.
func (l *loader) inlineEncryption(r *resource) (model.Value[*model.BucketEncryption], error) {
	const attr = "server_side_encryption_configuration"
	v := r.v.get(attr)
	if why := v.unknown(); why != "" {
		if r.hasConfig() && !r.declares(attr) {
			return model.Known[*model.BucketEncryption](nil), nil
		}
		return model.Unknown[*model.BucketEncryption]("%s", why), nil
	}
	sse, ok, _, err := l.block(v)
	if err != nil || !ok {
		return model.Known[*model.BucketEncryption](nil), err
	}
	var cfgRules []map[string]*tfjson.Expression
	if bs := blocks(r.cfgExprs(), attr); len(bs) == 1 {
		cfgRules = blocks(bs[0], "rule")
	}
	return l.encryptionRules(r, sse.get("rule"), cfgRules)
}

// encryptionRules reads the rule blocks of a bucket's encryption
// configuration: the one with a default encryption.
func (l *loader) encryptionRules(r *resource, v val, cfg []map[string]*tfjson.Expression) (model.Value[*model.BucketEncryption], error) {
	rules, why, err := l.list(v)
	if err != nil {
		return model.Value[*model.BucketEncryption]{}, err
	}
	if why != "" {
		return model.Unknown[*model.BucketEncryption]("%s", why), nil
	}
	// The configuration block of the rule with a default, if only one has one.
	var cfgDef map[string]*tfjson.Expression
	for _, c := range cfg {
		if d := blocks(c, "apply_server_side_encryption_by_default"); len(d) == 1 {
			if cfgDef != nil {
				cfgDef = nil
				break
			}
			cfgDef = d[0]
		}
	}
	for _, rule := range rules {
		if err := l.object(rule); err != nil {
			return model.Value[*model.BucketEncryption]{}, err
		}
		def, ok, why, err := l.block(rule.get("apply_server_side_encryption_by_default"))
		if err != nil {
			return model.Value[*model.BucketEncryption]{}, err
		}
		if why != "" {
			return model.Unknown[*model.BucketEncryption]("%s", why), nil
		}
		if !ok {
			continue
		}
		e := &model.BucketEncryption{}
		if e.Algorithm, err = l.str(def.get("sse_algorithm"), model.Unknown[string]("%s: sse_algorithm is not set", r.addr)); err != nil {
			return model.Value[*model.BucketEncryption]{}, err
		}
		if e.KMSKeyID, err = l.str(def.get("kms_master_key_id"), model.Known("")); err != nil {
			return model.Value[*model.BucketEncryption]{}, err
		}
		if e.BucketKeyEnabled, err = l.boolean(rule.get("bucket_key_enabled"), model.Known(false)); err != nil {
			return model.Value[*model.BucketEncryption]{}, err
		}
		if cfgDef != nil {
			if t, attr := l.follow(r, cfgDef, "kms_master_key_id", e.KMSKeyID, keyKinds); t != nil {
				e.KeyRef, e.KeyRefForm = t.addr, keyForm(t.typ, attr)
			}
		}
		return model.Known(e), nil
	}
	return model.Known[*model.BucketEncryption](nil), nil
}

// keyKinds are the references that name a KMS key or alias.
var keyKinds = kinds{
	"aws_kms_key":   {"arn", "key_id", "id"},
	"aws_kms_alias": {"arn", "name", "id", "target_key_arn", "target_key_id"},
}

// keyARNKinds are the references that name a KMS key by its ARN, for the
// fields of the model that have no KeyRefForm.
var keyARNKinds = kinds{
	"aws_kms_key":   {"arn"},
	"aws_kms_alias": {"target_key_arn"},
}

// keyForm says how a reference names a key: "arn", "key-id" or "alias".
func keyForm(typ, attr string) string {
	switch {
	case attr == "arn" && typ == "aws_kms_key", attr == "target_key_arn":
		return "arn"
	case typ == "aws_kms_key", attr == "target_key_id":
		return "key-id"
	}
	return "alias"
}

// The bucket fields that attachments set.
const (
	fieldEncryption = "default encryption"
	fieldPolicy     = "bucket policy"
	fieldOwnership  = "object ownership"
)

// bucketFor finds the bucket an attachment (encryption, policy, ownership
// controls) names: by reference, by name, or a bucket outside the plan.
// It returns nil when the bucket is unknown.
func (l *loader) bucketFor(r *resource, field string) (*model.Bucket, error) {
	name, err := l.str(r.v.get("bucket"), model.Unknown[string]("%s has no bucket", r.addr))
	if err != nil {
		return nil, err
	}
	if t, _ := l.follow(r, r.cfgExprs(), "bucket", name, kinds{"aws_s3_bucket": {"id", "bucket"}}); t != nil && l.buckets[t] != nil {
		l.attach(l.buckets[t], field)
		return l.buckets[t], nil
	}
	n, ok := name.Get()
	if !ok {
		l.unresolved = append(l.unresolved, unresolved{field: field, why: fmt.Sprintf("%s sets the %s of a bucket that is unknown: %s", r.addr, field, name.Reason())})
		return nil, nil
	}
	b := l.bucketNames[n]
	if b == nil {
		why := fmt.Sprintf("bucket %s is not in the %s", n, l.source())
		b = &model.Bucket{Origin: r.origin, Name: name, Account: model.Unknown[string]("%s", why), Region: model.Unknown[string]("%s", why),
			Encryption: model.Unknown[*model.BucketEncryption]("%s", why), Policy: model.Unknown[*model.PolicyDocument]("%s", why),
			Ownership: model.Unknown[string]("%s", why)}
		if owner, err := l.str(r.v.get("expected_bucket_owner"), model.Known("")); err == nil {
			if o, ok := owner.Get(); ok && o != "" {
				b.Account = owner
			}
		}
		l.bucketNames[n] = b
		l.m.Buckets = append(l.m.Buckets, b)
	}
	l.attach(b, field)
	return b, nil
}

// unresolved is an attachment whose bucket, key or policy is unknown: it
// may set the field of any of them.
type unresolved struct {
	field string
	why   string
}

func (l *loader) attach(target any, field string) {
	if l.attached == nil {
		l.attached = map[any]map[string]bool{}
	}
	if l.attached[target] == nil {
		l.attached[target] = map[string]bool{}
	}
	l.attached[target][field] = true
}

// settle makes unknown the fields that an attachment with an unknown
// target may set, on every resource that no known attachment sets.
func (l *loader) settle() {
	for _, u := range l.unresolved {
		switch u.field {
		case fieldEncryption, fieldPolicy, fieldOwnership:
			for _, b := range l.m.Buckets {
				if l.attached[b][u.field] {
					continue
				}
				switch u.field {
				case fieldEncryption:
					b.Encryption = model.Unknown[*model.BucketEncryption]("%s", u.why)
				case fieldPolicy:
					b.Policy = model.Unknown[*model.PolicyDocument]("%s", u.why)
				default:
					b.Ownership = model.Unknown[string]("%s", u.why)
				}
			}
		case fieldKeyPolicy:
			for _, k := range l.m.Keys {
				if !l.attached[k][u.field] {
					k.Policy = model.Unknown[*model.PolicyDocument]("%s", u.why)
				}
			}
		case fieldTargets:
			for _, op := range l.m.OrgPolicies {
				op.Targets = model.Unknown[[]string]("%s", u.why)
			}
		case fieldInline:
			for _, r := range l.m.Roles {
				r.InlinePolicies = model.Unknown[[]model.InlinePolicy]("%s", u.why)
			}
		case fieldManaged:
			for _, r := range l.m.Roles {
				r.ManagedPolicies = model.Unknown[[]model.PolicyAttachment]("%s", u.why)
			}
		}
	}
}

// bucketEncryption reads aws_s3_bucket_server_side_encryption_configuration.
func (l *loader) bucketEncryption(r *resource) error {
	b, err := l.bucketFor(r, fieldEncryption)
	if err != nil || b == nil {
		return err
	}
	b.Encryption, err = l.encryptionRules(r, r.v.get("rule"), blocks(r.cfgExprs(), "rule"))
	return err
}

// bucketPolicy reads aws_s3_bucket_policy.
func (l *loader) bucketPolicy(r *resource) error {
	b, err := l.bucketFor(r, fieldPolicy)
	if err != nil || b == nil {
		return err
	}
	b.Policy, err = l.policyDoc(r, r.v.get("policy"), true)
	return err
}

// bucketOwnership reads aws_s3_bucket_ownership_controls.
func (l *loader) bucketOwnership(r *resource) error {
	b, err := l.bucketFor(r, fieldOwnership)
	if err != nil || b == nil {
		return err
	}
	rule, ok, why, err := l.block(r.v.get("rule"))
	switch {
	case err != nil:
		return err
	case why != "":
		b.Ownership = model.Unknown[string]("%s", why)
	case !ok:
		b.Ownership = model.Unknown[string]("%s has no rule", r.addr)
	default:
		b.Ownership, err = l.str(rule.get("object_ownership"), model.Unknown[string]("%s has no object_ownership", r.addr))
	}
	return err
}

// key reads aws_kms_key. A key that is pending deletion is not in a plan.
func (l *loader) key(r *resource) error {
	k := &model.Key{Origin: r.origin, Manager: model.Known("CUSTOMER")}
	var err error
	if k.KeyID, err = l.str(r.v.get("key_id"), model.Unknown[string]("%s has no key_id", r.addr)); err != nil {
		return err
	}
	if k.ARN, err = l.str(r.v.get("arn"), model.Unknown[string]("%s has no arn", r.addr)); err != nil {
		return err
	}
	k.Account, k.Region = l.account(r, k.ARN), l.region(r, k.ARN)
	k.Spec = model.Known("SYMMETRIC_DEFAULT") // the provider's default
	for _, attr := range []string{"customer_master_key_spec", "key_spec"} {
		s, err := l.str(r.v.get(attr), model.Known(""))
		if err != nil {
			return err
		}
		if v, ok := s.Get(); !ok || v != "" {
			k.Spec = s
			break
		}
	}
	enabled, err := l.boolean(r.v.get("is_enabled"), model.Known(true))
	if err != nil {
		return err
	}
	switch e, ok := enabled.Get(); {
	case !ok:
		k.State = model.Unknown[string]("%s", enabled.Reason())
	case e:
		k.State = model.Known("Enabled")
	default:
		k.State = model.Known("Disabled")
	}
	if k.Policy, err = l.optionalPolicy(r, "policy"); err != nil {
		return err
	}
	l.keys[r] = k
	for _, v := range []model.Value[string]{k.KeyID, k.ARN} {
		if s, ok := v.Get(); ok && s != "" {
			l.keyNames[s] = k
		}
	}
	l.m.Keys = append(l.m.Keys, k)
	return nil
}

const fieldKeyPolicy = "key policy"

// keyPolicy reads aws_kms_key_policy, which replaces its key's policy.
func (l *loader) keyPolicy(r *resource) error {
	id, err := l.str(r.v.get("key_id"), model.Unknown[string]("%s has no key_id", r.addr))
	if err != nil {
		return err
	}
	var k *model.Key
	if t, _ := l.follow(r, r.cfgExprs(), "key_id", id, kinds{"aws_kms_key": {"id", "key_id", "arn"}}); t != nil {
		k = l.keys[t]
	}
	s, known := id.Get()
	if k == nil && known {
		k = l.keyNames[s]
	}
	if k == nil && !known {
		l.unresolved = append(l.unresolved, unresolved{field: fieldKeyPolicy, why: fmt.Sprintf("%s sets the policy of a key that is unknown: %s", r.addr, id.Reason())})
		return nil
	}
	if k == nil {
		// A key outside the plan.
		why := fmt.Sprintf("key %s is not in the %s", s, l.source())
		k = &model.Key{Origin: r.origin, KeyID: id, ARN: model.Unknown[string]("%s", why),
			Manager: model.Unknown[string]("%s", why), Spec: model.Unknown[string]("%s", why), State: model.Unknown[string]("%s", why)}
		if _, _, res, ok := arnParts(s); ok {
			k.ARN, k.KeyID = id, model.Known(strings.TrimPrefix(res, "key/"))
		}
		k.Account, k.Region = l.account(r, k.ARN), l.region(r, k.ARN)
		l.keyNames[s] = k
		l.m.Keys = append(l.m.Keys, k)
	}
	l.attach(k, fieldKeyPolicy)
	k.Policy, err = l.policyDoc(r, r.v.get("policy"), true)
	return err
}

// alias reads aws_kms_alias.
func (l *loader) alias(r *resource) error {
	al := &model.Alias{Origin: r.origin}
	var err error
	if al.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	if al.Target, err = l.str(r.v.get("target_key_id"), model.Unknown[string]("%s has no target_key_id", r.addr)); err != nil {
		return err
	}
	if t, _ := l.follow(r, r.cfgExprs(), "target_key_id", al.Target, kinds{"aws_kms_key": {"key_id", "id", "arn"}}); t != nil {
		al.TargetRef = t.addr
	}
	arn, err := l.str(r.v.get("arn"), model.Unknown[string]("%s has no arn", r.addr))
	if err != nil {
		return err
	}
	al.Account, al.Region = l.account(r, arn), l.region(r, arn)
	l.m.Aliases = append(l.m.Aliases, al)
	return nil
}

// logGroup reads aws_cloudwatch_log_group.
func (l *loader) logGroup(r *resource) error {
	g := &model.LogGroup{Origin: r.origin}
	var err error
	if g.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	if g.KMSKeyID, err = l.str(r.v.get("kms_key_id"), model.Known("")); err != nil {
		return err
	}
	if t, _ := l.follow(r, r.cfgExprs(), "kms_key_id", g.KMSKeyID, keyARNKinds); t != nil {
		g.KeyRef = t.addr
	}
	arn, err := l.str(r.v.get("arn"), model.Unknown[string]("%s has no arn", r.addr))
	if err != nil {
		return err
	}
	g.Account, g.Region = l.account(r, arn), l.region(r, arn)
	l.m.LogGroups = append(l.m.LogGroups, g)
	return nil
}

// logResourcePolicy reads aws_cloudwatch_log_resource_policy: account
// level, or attached to a log group by resource_arn (AWS provider 6).
func (l *loader) logResourcePolicy(r *resource) error {
	p := &model.LogResourcePolicy{Origin: r.origin, LogGroupARN: model.Known("")}
	var err error
	if p.Name, err = l.str(r.v.get("policy_name"), model.Unknown[string]("%s has no policy_name", r.addr)); err != nil {
		return err
	}
	p.Account, p.Region = l.account(r, model.Value[string]{}), l.region(r, model.Value[string]{})
	if ra := r.v.get("resource_arn"); ra.present || ra.unknown() != "" {
		if p.LogGroupARN, err = l.str(ra, model.Known("")); err != nil {
			return err
		}
		if t, _ := l.follow(r, r.cfgExprs(), "resource_arn", p.LogGroupARN, kinds{"aws_cloudwatch_log_group": {"arn"}}); t != nil {
			p.LogGroupRef = t.addr
		}
	}
	if p.Policy, err = l.policyDoc(r, r.v.get("policy_document"), true); err != nil {
		return err
	}
	l.m.LogResourcePolicies = append(l.m.LogResourcePolicies, p)
	return nil
}

// stream reads aws_kinesis_firehose_delivery_stream. Terraform manages a
// resource's tags: a tag the configuration does not declare is removed at
// the next apply, unless the configuration ignores changes to them.
func (l *loader) stream(r *resource) error {
	s := &model.DeliveryStream{Origin: r.origin, TagsManaged: true}
	var err error
	if s.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	arn, err := l.str(r.v.get("arn"), model.Unknown[string]("%s has no arn", r.addr))
	if err != nil {
		return err
	}
	s.Account, s.Region = l.account(r, arn), l.region(r, arn)
	s.Type = model.Known("DirectPut")
	for _, src := range []struct{ attr, typ string }{
		{"kinesis_source_configuration", "KinesisStreamAsSource"},
		{"msk_source_configuration", "MSKAsSource"},
	} {
		items, why, err := l.list(r.v.get(src.attr))
		if err != nil {
			return err
		}
		if why != "" {
			s.Type = model.Unknown[string]("%s", why)
			break
		}
		if len(items) > 0 {
			s.Type = model.Known(src.typ)
			break
		}
	}
	// tags_all holds the provider's default tags too.
	tags := r.v.get("tags_all")
	if !tags.present && tags.unknown() == "" {
		tags = r.v.get("tags")
	}
	if s.Tags, err = l.strMap(tags); err != nil {
		return err
	}
	s.TagsIgnored, s.TagsIgnoredUnknown = l.ignoresTags(r)
	sse, ok, why, err := l.block(r.v.get("server_side_encryption"))
	switch {
	case err != nil:
		return err
	case why != "":
		s.KeyType = model.Unknown[string]("%s", why)
	case !ok:
		s.KeyType = model.Known("")
	default:
		enabled, err := l.boolean(sse.get("enabled"), model.Known(false))
		if err != nil {
			return err
		}
		if e, known := enabled.Get(); !known {
			s.KeyType = model.Unknown[string]("%s", enabled.Reason())
		} else if !e {
			s.KeyType = model.Known("")
		} else {
			if s.KeyType, err = l.str(sse.get("key_type"), model.Unknown[string]("%s: server_side_encryption.key_type is not set", r.addr)); err != nil {
				return err
			}
			if s.KeyARN, err = l.str(sse.get("key_arn"), model.Known("")); err != nil {
				return err
			}
			if bs := blocks(r.cfgExprs(), "server_side_encryption"); len(bs) == 1 {
				if t, _ := l.follow(r, bs[0], "key_arn", s.KeyARN, keyARNKinds); t != nil {
					s.KeyRef = t.addr
				}
			}
		}
	}
	l.m.DeliveryStreams = append(l.m.DeliveryStreams, s)
	return nil
}

// ignoresTags reports whether the configuration ignores changes to the
// resource's tags: lifecycle { ignore_changes = [tags] } or all; unknown
// says why that cannot be told.
//
// terraform show -json does not print lifecycle blocks (Terraform 1.x):
// this reads one when the configuration has it, as a tool that adds it
// to the JSON writes it:
// "lifecycle": {"ignore_changes": ["tags"]} or {"ignore_changes": "all"}.
// Without one, whether tag changes are ignored is not known.
func (l *loader) ignoresTags(r *resource) (ignored bool, unknown string) {
	const notPrinted = "terraform show -json prints no lifecycle blocks; logpath check on the configuration directory reads them"
	if r.cfgPos == nil {
		return false, notPrinted
	}
	n := l.node(r.cfgPos)
	if n == nil {
		return false, notPrinted
	}
	lc := member(n, "lifecycle")
	if lc == nil {
		return false, notPrinted
	}
	ic := member(lc, "ignore_changes")
	if ic == nil {
		return false, ""
	}
	if ic.Kind == jsontree.String {
		return ic.Text == "all", ""
	}
	if ic.Kind != jsontree.Array {
		return false, ""
	}
	for _, it := range ic.Items {
		if it.Kind == jsontree.String && (it.Text == "tags" || it.Text == "tags_all" || it.Text == "all") {
			return true, ""
		}
	}
	return false, ""
}

const fieldTargets = "targets"

// orgPolicy reads aws_organizations_policy.
func (l *loader) orgPolicy(r *resource) error {
	op := &model.OrgPolicy{Origin: r.origin, Targets: model.Known[[]string](nil)}
	var err error
	if op.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	if op.Type, err = l.str(r.v.get("type"), model.Unknown[string]("%s has no type", r.addr)); err != nil {
		return err
	}
	if op.Policy, err = l.policyDoc(r, r.v.get("content"), true); err != nil {
		return err
	}
	id, err := l.str(r.v.get("id"), model.Known(""))
	if err != nil {
		return err
	}
	if s, ok := id.Get(); ok && s != "" {
		l.orgIDs[s] = op
	}
	l.orgPolicies[r] = op
	l.m.OrgPolicies = append(l.m.OrgPolicies, op)
	return nil
}

// orgPolicyAttachment reads aws_organizations_policy_attachment into its
// policy's targets. A policy outside the plan is not in the input.
func (l *loader) orgPolicyAttachment(r *resource) error {
	pid, err := l.str(r.v.get("policy_id"), model.Unknown[string]("%s has no policy_id", r.addr))
	if err != nil {
		return err
	}
	tid, err := l.str(r.v.get("target_id"), model.Unknown[string]("%s has no target_id", r.addr))
	if err != nil {
		return err
	}
	var op *model.OrgPolicy
	if t, _ := l.follow(r, r.cfgExprs(), "policy_id", pid, kinds{"aws_organizations_policy": {"id"}}); t != nil {
		op = l.orgPolicies[t]
	}
	s, known := pid.Get()
	if op == nil && known {
		op = l.orgIDs[s]
	}
	if op == nil {
		if !known {
			l.unresolved = append(l.unresolved, unresolved{field: fieldTargets, why: fmt.Sprintf("%s attaches a policy that is unknown: %s", r.addr, pid.Reason())})
		}
		return nil
	}
	targets, ok := op.Targets.Get()
	if !ok {
		return nil
	}
	if t, ok := tid.Get(); ok {
		op.Targets = model.Known(append(targets, t))
	} else {
		op.Targets = model.Unknown[[]string]("%s", tid.Reason())
	}
	return nil
}
