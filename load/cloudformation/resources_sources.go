package cloudformation

import "github.com/logpath/logpath/model"

// Route 53 Resolver query logging and AWS WAF: what the templates say,
// linked by reference; package delivery decides what AWS does with it.

// resolverConfig reads AWS::Route53Resolver::ResolverQueryLoggingConfig.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53resolver-resolverqueryloggingconfig.html
func (l *loader) resolverConfig(res *resource) error {
	c := &model.ResolverQueryLogConfig{Origin: l.origin(res), Account: l.account(), Region: l.region(),
		ARN: value(l.r.getAtt(res.id, "Arn")), ConfigID: value(l.r.getAtt(res.id, "Id"))}
	c.Name, _ = l.prop(res, "Name", model.Unknown[string]("%s has no Name", res.id))
	var d *val
	c.DestinationARN, d = l.prop(res, "DestinationArn", model.Unknown[string]("%s has no DestinationArn", res.id))
	if d != nil && d.ref != "" {
		c.DestinationRef = l.refID(d.ref)
	}
	l.m.ResolverQueryLogConfigs = append(l.m.ResolverQueryLogConfigs, c)
	return nil
}

// resolverAssociation reads AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-route53resolver-resolverqueryloggingconfigassociation.html
func (l *loader) resolverAssociation(res *resource) error {
	as := &model.ResolverQueryLogAssociation{Origin: l.origin(res)}
	var c *val
	as.ConfigID, c = l.prop(res, "ResolverQueryLogConfigId", model.Unknown[string]("%s has no ResolverQueryLogConfigId", res.id))
	if c != nil && c.ref != "" {
		as.ConfigRef = l.refID(c.ref)
	}
	as.VPCID, _ = l.prop(res, "ResourceId", model.Unknown[string]("%s has no ResourceId", res.id))
	l.m.ResolverQueryLogAssociations = append(l.m.ResolverQueryLogAssociations, as)
	return nil
}

// webACL reads AWS::WAFv2::WebACL.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-webacl.html
func (l *loader) webACL(res *resource) error {
	w := &model.WebACL{Origin: l.origin(res), Account: l.account(), Region: l.region(), ARN: value(l.r.getAtt(res.id, "Arn"))}
	w.Name, _ = l.prop(res, "Name", model.Unknown[string]("the Name of %s is generated when the stack is created (no Name given)", res.id))
	w.Scope, _ = l.prop(res, "Scope", model.Unknown[string]("%s has no Scope", res.id))
	l.m.WebACLs = append(l.m.WebACLs, w)
	return nil
}

// wafLogging reads AWS::WAFv2::LoggingConfiguration.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-loggingconfiguration.html
func (l *loader) wafLogging(res *resource) error {
	lc := &model.WAFLoggingConfiguration{Origin: l.origin(res)}
	var a *val
	lc.WebACLARN, a = l.prop(res, "ResourceArn", model.Unknown[string]("%s has no ResourceArn", res.id))
	if a != nil && a.ref != "" {
		lc.WebACLRef = l.refID(a.ref)
	}
	switch ds := l.path(res, "LogDestinationConfigs"); {
	case ds == nil:
		lc.Unknown = res.id + " has no LogDestinationConfigs"
	case ds.kind == kUnknown:
		lc.Unknown = ds.reason
	case ds.kind != kList:
		return l.errorf(ds, "%s: LogDestinationConfigs must be a list of ARNs", res.id)
	default:
		for _, d := range ds.list {
			dest := model.WAFLogDestination{ARN: value(d)}
			if d.ref != "" {
				dest.Ref = l.refID(d.ref)
			}
			lc.Destinations = append(lc.Destinations, dest)
		}
	}
	l.m.WAFLoggingConfigurations = append(l.m.WAFLoggingConfigurations, lc)
	return nil
}
