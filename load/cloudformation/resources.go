package cloudformation

import (
	"strings"

	"github.com/logpath/logpath/model"
)

// value turns a resolved scalar into a model value.
func value(v *val) model.Value[string] {
	if v == nil {
		return model.Unknown[string]("the value is missing")
	}
	switch v.kind {
	case kString, kNumber, kBool:
		return model.Known(v.s)
	case kUnknown:
		return model.Unknown[string]("%s", v.reason)
	case kNull:
		return model.Known("")
	}
	return model.Unknown[string]("expected a string, found a %s", kindName(v.kind))
}

// prop resolves a scalar property; def is used when it is absent.
func (l *loader) prop(res *resource, name string, def model.Value[string]) (model.Value[string], *val) {
	p := res.props.get(name)
	if p == nil {
		return def, nil
	}
	rv := l.r.resolve(p)
	if rv == noValue {
		return def, nil
	}
	return value(rv), rv
}

// path resolves a nested property: path("A", "B") is Properties.A.B.
func (l *loader) path(res *resource, names ...string) *val {
	v := res.props
	for _, n := range names {
		v = v.get(n)
		if v == nil {
			return nil
		}
	}
	// AWS::NoValue (often from !If) removes the property.
	if rv := l.r.resolve(v); rv != noValue {
		return rv
	}
	return nil
}

// policyDoc reads a policy given as an object or as a JSON string.
func (l *loader) policyDoc(raw *val) model.Value[*model.PolicyDocument] {
	rv := l.r.resolve(raw)
	if u := firstUnknown(rv); u != nil {
		return model.Unknown[*model.PolicyDocument]("the policy holds a value that is not known: %s", u.reason)
	}
	doc := &model.PolicyDocument{Origin: model.Origin{File: l.file, Line: raw.line, Column: raw.col}, Managed: true}
	switch rv.kind {
	case kString:
		doc.JSON = model.Known(rv.s)
	case kMap:
		doc.JSON = model.Known(toJSON(rv))
		if st := raw.get("Statement"); st != nil && st.kind == kList {
			for _, s := range st.list {
				doc.StatementLines = append(doc.StatementLines, s.line)
			}
		} else if st != nil {
			doc.StatementLines = []int{st.line}
		}
	default:
		return model.Unknown[*model.PolicyDocument]("the policy is a %s, not a document", kindName(rv.kind))
	}
	return model.Known(doc)
}

func (l *loader) account() model.Value[string] {
	return value(l.r.pseudo("AWS::AccountId"))
}

func (l *loader) region() model.Value[string] {
	return value(l.r.pseudo("AWS::Region"))
}

// resource translates one resource of a type logpath knows; others are
// skipped.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html
func (l *loader) resource(res *resource) error {
	switch res.typ {
	case "AWS::NetworkFirewall::Firewall":
		fw := l.firewall(l.prefix + res.id)
		fw.Origin = l.origin(res)
		fw.Name, _ = l.prop(res, "FirewallName", model.Unknown[string]("FirewallName is required"))
		fw.ARN = value(l.r.getAtt(res.id, "FirewallArn"))
	case "AWS::NetworkFirewall::LoggingConfiguration":
		return l.loggingConfiguration(res)
	case "AWS::S3::Bucket":
		return l.bucket(res)
	case "AWS::S3::BucketPolicy":
		target := l.path(res, "Bucket")
		doc := res.props.get("PolicyDocument")
		if target == nil || doc == nil {
			return l.errorf(res.v, "%s: an AWS::S3::BucketPolicy needs Bucket and PolicyDocument", res.id)
		}
		if b := l.buckets[target.ref]; target.ref != "" && b != nil {
			b.Policy = l.policyDoc(doc)
			return nil
		}
		// A bucket outside the template: record it by name with what is known.
		b := &model.Bucket{Origin: l.origin(res), Name: value(target), Account: model.Unknown[string]("bucket %s is not in the template", target.s),
			Region:     model.Unknown[string]("bucket %s is not in the template", target.s),
			Encryption: model.Unknown[*model.BucketEncryption]("bucket %s is not in the template", target.s), Policy: l.policyDoc(doc)}
		l.m.Buckets = append(l.m.Buckets, b)
	case "AWS::KMS::Key":
		return l.key(res)
	case "AWS::KMS::Alias":
		al := &model.Alias{Origin: l.origin(res), Account: l.account(), Region: l.region()}
		al.Name, _ = l.prop(res, "AliasName", model.Unknown[string]("AliasName is required"))
		var t *val
		al.Target, t = l.prop(res, "TargetKeyId", model.Unknown[string]("TargetKeyId is required"))
		if t != nil {
			al.TargetRef = l.refID(t.ref)
		}
		l.m.Aliases = append(l.m.Aliases, al)
	case "AWS::Logs::LogGroup":
		g := &model.LogGroup{Origin: l.origin(res), Account: l.account(), Region: l.region()}
		g.Name = value(l.r.resourceRef(res))
		var k *val
		g.KMSKeyID, k = l.prop(res, "KmsKeyId", model.Known(""))
		if k != nil {
			g.KeyRef = l.refID(k.ref)
		}
		l.m.LogGroups = append(l.m.LogGroups, g)
	case "AWS::Logs::ResourcePolicy":
		p := &model.LogResourcePolicy{Origin: l.origin(res), Account: l.account(), Region: l.region()}
		p.Name, _ = l.prop(res, "PolicyName", model.Unknown[string]("PolicyName is required"))
		doc := res.props.get("PolicyDocument")
		if doc == nil {
			return l.errorf(res.v, "%s: an AWS::Logs::ResourcePolicy needs a PolicyDocument", res.id)
		}
		p.Policy = l.policyDoc(doc)
		l.m.LogResourcePolicies = append(l.m.LogResourcePolicies, p)
	case "AWS::KinesisFirehose::DeliveryStream":
		return l.stream(res)
	case "AWS::EC2::FlowLog":
		return l.flowLog(res)
	case "AWS::CloudTrail::Trail":
		return l.trail(res)
	case "AWS::IAM::Role":
		return l.role(res)
	case "AWS::IAM::Policy", "AWS::IAM::RolePolicy":
		return l.rolePolicy(res)
	case "AWS::IAM::ManagedPolicy":
		return l.managedPolicy(res)
	case "AWS::CloudFormation::Stack":
		return l.nestedStack(res)
	case "AWS::Route53Resolver::ResolverQueryLoggingConfig":
		return l.resolverConfig(res)
	case "AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation":
		return l.resolverAssociation(res)
	case "AWS::WAFv2::WebACL":
		return l.webACL(res)
	case "AWS::WAFv2::LoggingConfiguration":
		return l.wafLogging(res)
	case "AWS::Organizations::Policy":
		op := &model.OrgPolicy{Origin: l.origin(res)}
		op.Name, _ = l.prop(res, "Name", model.Unknown[string]("Name is required"))
		op.Type, _ = l.prop(res, "Type", model.Unknown[string]("Type is required"))
		if c := res.props.get("Content"); c != nil {
			op.Policy = l.policyDoc(c)
		} else {
			op.Policy = model.Unknown[*model.PolicyDocument]("the policy has no Content")
		}
		op.Targets = model.Known[[]string](nil)
		if t := l.path(res, "TargetIds"); t != nil {
			if u := firstUnknown(t); u != nil {
				op.Targets = model.Unknown[[]string]("%s", u.reason)
			} else {
				var ids []string
				for _, id := range t.list {
					ids = append(ids, id.s)
				}
				op.Targets = model.Known(ids)
			}
		}
		l.m.OrgPolicies = append(l.m.OrgPolicies, op)
	}
	return nil
}

// firewall returns the model firewall of a logical ID, creating it.
func (l *loader) firewall(id string) *model.Firewall {
	if fw := l.firewalls[id]; fw != nil {
		return fw
	}
	fw := &model.Firewall{Account: l.account(), Region: l.region()}
	l.firewalls[id] = fw
	l.m.Firewalls = append(l.m.Firewalls, fw)
	return fw
}

// loggingConfiguration reads AWS::NetworkFirewall::LoggingConfiguration.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-networkfirewall-loggingconfiguration.html
func (l *loader) loggingConfiguration(res *resource) error {
	arn := l.path(res, "FirewallArn")
	if arn == nil {
		return l.errorf(res.v, "%s: an AWS::NetworkFirewall::LoggingConfiguration needs FirewallArn", res.id)
	}
	var fw *model.Firewall
	if target := l.byRef(arn.ref); target != nil && target.typ == "AWS::NetworkFirewall::Firewall" {
		fw = l.firewall(arn.ref)
	} else {
		// A firewall outside the template, named by its ARN.
		fw = l.firewall("arn:" + arn.s)
		fw.Origin = l.origin(res)
		fw.ARN = value(arn)
		fw.Name = model.Unknown[string]("the firewall is not in the template")
		if parts := strings.Split(arn.s, ":"); arn.kind == kString && len(parts) == 6 {
			fw.Name = model.Known(strings.TrimPrefix(parts[5], "firewall/"))
			fw.Account, fw.Region = model.Known(parts[4]), model.Known(parts[3])
		}
	}
	lc := &model.LoggingConfiguration{Origin: l.origin(res)}
	fw.Logging = lc
	configs := l.path(res, "LoggingConfiguration", "LogDestinationConfigs")
	if configs == nil {
		return l.errorf(res.v, "%s: LoggingConfiguration.LogDestinationConfigs is required", res.id)
	}
	if configs.kind == kUnknown {
		lc.Unknown = configs.reason
		return nil
	}
	if configs.kind != kList {
		return l.errorf(configs, "%s: LogDestinationConfigs must be a list", res.id)
	}
	for _, c := range configs.list {
		if c.kind != kMap {
			return l.errorf(c, "%s: a LogDestinationConfig must be a map", res.id)
		}
		d := model.LogDestination{Origin: model.Origin{File: l.file, Line: c.line, Column: c.col, ID: res.id},
			LogType: field(c, "LogType"), Type: field(c, "LogDestinationType")}
		dest := c.get("LogDestination")
		if dest == nil || dest.kind != kMap {
			if dest != nil && dest.kind == kUnknown {
				d.BucketName = model.Unknown[string]("%s", dest.reason)
				d.LogGroup, d.DeliveryStream = d.BucketName, d.BucketName
			} else {
				return l.errorf(c, "%s: LogDestination must be a map", res.id)
			}
		} else {
			for _, k := range []struct {
				key string
				to  *model.Value[string]
			}{{"bucketName", &d.BucketName}, {"prefix", &d.Prefix}, {"logGroup", &d.LogGroup}, {"deliveryStream", &d.DeliveryStream}} {
				if v := dest.get(k.key); v != nil {
					*k.to = value(v)
					if v.ref != "" {
						d.Ref = l.refID(v.ref)
					}
				}
			}
			if dest.get("prefix") == nil {
				d.Prefix = model.Known("")
			}
		}
		lc.Destinations = append(lc.Destinations, d)
	}
	return nil
}

func field(m *val, key string) model.Value[string] {
	v := m.get(key)
	if v == nil {
		return model.Unknown[string]("%s is missing", key)
	}
	return value(v)
}

// bucket reads AWS::S3::Bucket.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html
func (l *loader) bucket(res *resource) error {
	b := &model.Bucket{Origin: l.origin(res), Account: l.account(), Region: l.region(),
		Policy: model.Known[*model.PolicyDocument](nil), Ownership: model.Known("")}
	b.Name = value(l.r.resourceRef(res))
	l.buckets[l.prefix+res.id] = b
	l.m.Buckets = append(l.m.Buckets, b)
	if o := l.path(res, "OwnershipControls", "Rules"); o != nil {
		if o.kind == kList && len(o.list) > 0 {
			b.Ownership = field(o.list[0], "ObjectOwnership")
		} else if o.kind == kUnknown {
			b.Ownership = model.Unknown[string]("%s", o.reason)
		}
	}
	enc := l.path(res, "BucketEncryption", "ServerSideEncryptionConfiguration")
	switch {
	case enc == nil:
		b.Encryption = model.Known[*model.BucketEncryption](nil)
	case enc.kind == kUnknown:
		b.Encryption = model.Unknown[*model.BucketEncryption]("%s", enc.reason)
	case enc.kind != kList || len(enc.list) == 0:
		return l.errorf(enc, "%s: ServerSideEncryptionConfiguration must be a list of rules", res.id)
	default:
		rule := enc.list[0]
		def := rule.get("ServerSideEncryptionByDefault")
		if def == nil {
			b.Encryption = model.Known[*model.BucketEncryption](nil)
			return nil
		}
		e := &model.BucketEncryption{Algorithm: field(def, "SSEAlgorithm"), KMSKeyID: model.Known(""), BucketKeyEnabled: model.Known(false)}
		if k := def.get("KMSMasterKeyID"); k != nil {
			e.KMSKeyID = value(k)
			if k.ref != "" {
				e.KeyRef = l.refID(k.ref)
				switch {
				case k.attr == "Arn":
					e.KeyRefForm = "arn"
				case l.byRef(k.ref) != nil && l.byRef(k.ref).typ == "AWS::KMS::Alias":
					e.KeyRefForm = "alias"
				default:
					e.KeyRefForm = "key-id"
				}
			}
		}
		if bk := rule.get("BucketKeyEnabled"); bk != nil {
			switch bk.kind {
			case kUnknown:
				e.BucketKeyEnabled = model.Unknown[bool]("%s", bk.reason)
			default:
				e.BucketKeyEnabled = model.Known(bk.s == "true")
			}
		}
		b.Encryption = model.Known(e)
	}
	return nil
}

// key reads AWS::KMS::Key.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html
func (l *loader) key(res *resource) error {
	k := &model.Key{Origin: l.origin(res), Account: l.account(), Region: l.region(), Manager: model.Known("CUSTOMER"),
		KeyID: model.Unknown[string]("the key ID is generated when the stack is created"),
		ARN:   model.Unknown[string]("the key ARN is generated when the stack is created")}
	k.Spec, _ = l.prop(res, "KeySpec", model.Known("SYMMETRIC_DEFAULT"))
	enabled, _ := l.prop(res, "Enabled", model.Known("true"))
	switch e, ok := enabled.Get(); {
	case !ok:
		k.State = model.Unknown[string]("%s", enabled.Reason())
	case e == "false":
		k.State = model.Known("Disabled")
	default:
		k.State = model.Known("Enabled")
	}
	if p := res.props.get("KeyPolicy"); p != nil {
		k.Policy = l.policyDoc(p)
	} else {
		k.Policy = model.Known[*model.PolicyDocument](nil) // the default key policy
	}
	l.keys[l.prefix+res.id] = k
	l.m.Keys = append(l.m.Keys, k)
	return nil
}

// stream reads AWS::KinesisFirehose::DeliveryStream.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kinesisfirehose-deliverystream.html
func (l *loader) stream(res *resource) error {
	s := &model.DeliveryStream{Origin: l.origin(res), Account: l.account(), Region: l.region(), KeyType: model.Known("")}
	s.Name = value(l.r.resourceRef(res))
	s.Type, _ = l.prop(res, "DeliveryStreamType", model.Known("DirectPut"))
	tags := map[string]string{}
	s.Tags = model.Known(tags)
	if t := l.path(res, "Tags"); t != nil {
		s.TagsManaged = true
		switch {
		case t.kind == kUnknown:
			s.Tags = model.Unknown[map[string]string]("%s", t.reason)
		case t.kind == kList:
			for _, tag := range t.list {
				k, v := tag.get("Key"), tag.get("Value")
				if k == nil || v == nil {
					return l.errorf(tag, "%s: a tag needs Key and Value", res.id)
				}
				if k.kind == kUnknown || v.kind == kUnknown {
					s.Tags = model.Unknown[map[string]string]("a tag of %s is not known", res.id)
					break
				}
				tags[k.s] = v.s
			}
		}
	}
	if e := l.path(res, "DeliveryStreamEncryptionConfigurationInput"); e != nil {
		s.KeyType = field(e, "KeyType")
		if ka := e.get("KeyARN"); ka != nil {
			s.KeyARN = value(ka)
			s.KeyRef = l.refID(ka.ref)
		}
	}
	l.streams[l.prefix+res.id] = s
	l.m.DeliveryStreams = append(l.m.DeliveryStreams, s)
	return nil
}

// boolean turns a resolved value into a model bool; def when it is absent.
func boolean(v *val, def bool) model.Value[bool] {
	switch {
	case v == nil:
		return model.Known(def)
	case v.kind == kUnknown:
		return model.Unknown[bool]("%s", v.reason)
	case v.kind == kBool || v.kind == kString:
		switch strings.ToLower(v.s) {
		case "true":
			return model.Known(true)
		case "false":
			return model.Known(false)
		}
	}
	return model.Unknown[bool]("expected true or false, found a %s", kindName(v.kind))
}

// flowLog reads AWS::EC2::FlowLog.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-flowlog.html
func (l *loader) flowLog(res *resource) error {
	fl := &model.FlowLog{Origin: l.origin(res), Account: l.account(), Region: l.region(),
		FlowLogID: model.Unknown[string]("the ID of flow log %s is generated when the stack is created", res.id)}
	fl.ResourceID, _ = l.prop(res, "ResourceId", model.Unknown[string]("ResourceId is required"))
	fl.TrafficType, _ = l.prop(res, "TrafficType", model.Value[string]{})
	fl.DestinationType, _ = l.prop(res, "LogDestinationType", model.Known(model.FlowLogToLogs))
	fl.DeliverCrossAccountRole, _ = l.prop(res, "DeliverCrossAccountRole", model.Known(""))
	var v *val
	if fl.Destination, v = l.prop(res, "LogDestination", model.Known("")); v != nil && v.ref != "" {
		fl.DestinationRef = l.refID(v.ref)
	}
	if fl.LogGroupName, v = l.prop(res, "LogGroupName", model.Known("")); v != nil && v.ref != "" {
		fl.DestinationRef = l.refID(v.ref)
	}
	if fl.DeliverLogsPermissionARN, v = l.prop(res, "DeliverLogsPermissionArn", model.Known("")); v != nil && v.ref != "" {
		fl.RoleRef = l.refID(v.ref)
	}
	fl.DestinationOptions = model.Known[*model.FlowLogDestinationOptions](nil)
	switch o := l.path(res, "DestinationOptions"); {
	case o == nil:
	case o.kind == kUnknown:
		fl.DestinationOptions = model.Unknown[*model.FlowLogDestinationOptions]("%s", o.reason)
	case o.kind != kMap:
		return l.errorf(o, "%s: DestinationOptions must be a map", res.id)
	default:
		// Absent options take the API's defaults.
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DestinationOptionsRequest.html
		opts := &model.FlowLogDestinationOptions{FileFormat: model.Known("plain-text"),
			HiveCompatiblePartitions: boolean(o.get("HiveCompatiblePartitions"), false), PerHourPartition: boolean(o.get("PerHourPartition"), false)}
		if f := o.get("FileFormat"); f != nil {
			opts.FileFormat = value(f)
		}
		fl.DestinationOptions = model.Known(opts)
	}
	l.m.FlowLogs = append(l.m.FlowLogs, fl)
	return nil
}

// role reads AWS::IAM::Role with its inline policies and the managed
// policies it names.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html
func (l *loader) role(res *resource) error {
	r := &model.IAMRole{Origin: l.origin(res), Account: l.account()}
	r.Name = value(l.r.resourceRef(res))
	r.ARN = value(l.r.getAtt(res.id, "Arn"))
	if d := res.props.get("AssumeRolePolicyDocument"); d != nil {
		r.TrustPolicy = l.policyDoc(d)
	} else {
		r.TrustPolicy = model.Unknown[*model.PolicyDocument]("AssumeRolePolicyDocument is required")
	}
	var inline []model.InlinePolicy
	r.InlinePolicies = model.Known(inline)
	switch ps := l.path(res, "Policies"); {
	case ps == nil:
	case ps.kind == kUnknown:
		r.InlinePolicies = model.Unknown[[]model.InlinePolicy]("the Policies of %s are unknown: %s", res.id, ps.reason)
	case ps.kind != kList:
		return l.errorf(ps, "%s: Policies must be a list", res.id)
	default:
		for _, p := range ps.list {
			if p.kind != kMap {
				return l.errorf(p, "%s: a policy must be a map with PolicyName and PolicyDocument", res.id)
			}
			ip := model.InlinePolicy{Name: field(p, "PolicyName"), Policy: model.Unknown[*model.PolicyDocument]("PolicyDocument is required")}
			if d := p.get("PolicyDocument"); d != nil {
				ip.Policy = l.policyDoc(d)
			}
			inline = append(inline, ip)
		}
		r.InlinePolicies = model.Known(inline)
	}
	var attached []model.PolicyAttachment
	r.ManagedPolicies = model.Known(attached)
	switch arns := l.path(res, "ManagedPolicyArns"); {
	case arns == nil:
	case arns.kind == kUnknown:
		r.ManagedPolicies = model.Unknown[[]model.PolicyAttachment]("the ManagedPolicyArns of %s are unknown: %s", res.id, arns.reason)
	case arns.kind != kList:
		return l.errorf(arns, "%s: ManagedPolicyArns must be a list", res.id)
	default:
		for _, a := range arns.list {
			attached = append(attached, model.PolicyAttachment{ARN: value(a), Ref: l.refID(a.ref)})
		}
		r.ManagedPolicies = model.Known(attached)
	}
	var b *val
	if r.PermissionsBoundary, b = l.prop(res, "PermissionsBoundary", model.Known("")); b != nil {
		r.PermissionsBoundaryRef = l.refID(b.ref)
	}
	l.roles[l.prefix+res.id] = r
	if name, ok := r.Name.Get(); ok {
		l.roleNames[name] = append(l.roleNames[name], r)
	}
	l.m.Roles = append(l.m.Roles, r)
	return nil
}

// rolesOf returns the roles of the template a Roles (or RoleName) value
// names; unknown is set when one of them cannot be told.
func (l *loader) rolesOf(v *val) (roles []*model.IAMRole, unknown string) {
	var names []*val
	switch {
	case v == nil:
		return nil, ""
	case v.kind == kList:
		names = v.list
	default:
		names = []*val{v}
	}
	for _, n := range names {
		if r := l.roles[n.ref]; n.ref != "" && r != nil {
			roles = append(roles, r)
			continue
		}
		if n.kind == kUnknown {
			return roles, n.reason
		}
		roles = append(roles, l.roleNames[n.s]...)
	}
	return roles, ""
}

// rolePolicy reads AWS::IAM::Policy and AWS::IAM::RolePolicy: an inline
// policy added to roles. One added to a role that cannot be told could be
// any role's: their inline policies become unknown.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-policy.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-rolepolicy.html
func (l *loader) rolePolicy(res *resource) error {
	ip := model.InlinePolicy{Policy: model.Unknown[*model.PolicyDocument]("PolicyDocument is required")}
	ip.Name, _ = l.prop(res, "PolicyName", model.Unknown[string]("PolicyName is required"))
	if d := res.props.get("PolicyDocument"); d != nil {
		ip.Policy = l.policyDoc(d)
	}
	target := l.path(res, "Roles")
	if res.typ == "AWS::IAM::RolePolicy" {
		target = l.path(res, "RoleName")
	}
	roles, unknown := l.rolesOf(target)
	if unknown != "" {
		for _, r := range l.m.Roles {
			r.InlinePolicies = model.Unknown[[]model.InlinePolicy]("%s adds an inline policy to a role that is unknown: %s", res.id, unknown)
		}
		return nil
	}
	for _, r := range roles {
		if inline, ok := r.InlinePolicies.Get(); ok {
			r.InlinePolicies = model.Known(append(inline, ip))
		}
	}
	return nil
}

// managedPolicy reads AWS::IAM::ManagedPolicy and attaches it to the roles
// it names.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-managedpolicy.html
func (l *loader) managedPolicy(res *resource) error {
	mp := &model.ManagedPolicy{Origin: l.origin(res), Policy: model.Unknown[*model.PolicyDocument]("PolicyDocument is required")}
	mp.Name = value(l.r.nameProp(res, "ManagedPolicyName"))
	mp.ARN = value(l.r.resourceRef(res))
	if d := res.props.get("PolicyDocument"); d != nil {
		mp.Policy = l.policyDoc(d)
	}
	l.m.ManagedPolicies = append(l.m.ManagedPolicies, mp)
	roles, unknown := l.rolesOf(l.path(res, "Roles"))
	if unknown != "" {
		for _, r := range l.m.Roles {
			r.ManagedPolicies = model.Unknown[[]model.PolicyAttachment]("%s is attached to a role that is unknown: %s", res.id, unknown)
		}
		return nil
	}
	for _, r := range roles {
		if attached, ok := r.ManagedPolicies.Get(); ok {
			r.ManagedPolicies = model.Known(append(attached, model.PolicyAttachment{ARN: mp.ARN, Ref: mp.ID}))
		}
	}
	return nil
}
