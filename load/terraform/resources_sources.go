package terraform

import (
	"github.com/logpath/logpath/model"
)

// Route 53 Resolver query logging and AWS WAF: what the plan says, linked
// by the configuration's references; package delivery decides what AWS
// does with it.

// destinationARNKinds are the resources a source may name as its
// destination by ARN.
var destinationARNKinds = kinds{
	"aws_s3_bucket": {"arn"}, "aws_cloudwatch_log_group": {"arn"}, "aws_kinesis_firehose_delivery_stream": {"arn"},
}

// resolverConfig reads aws_route53_resolver_query_log_config.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_resolver_query_log_config
func (l *loader) resolverConfig(r *resource) error {
	c := &model.ResolverQueryLogConfig{Origin: r.origin}
	var err error
	if c.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	if c.ARN, err = l.str(r.v.get("arn"), model.Unknown[string]("%s has no arn", r.addr)); err != nil {
		return err
	}
	if c.ConfigID, err = l.str(r.v.get("id"), model.Unknown[string]("%s has no id", r.addr)); err != nil {
		return err
	}
	if c.DestinationARN, err = l.str(r.v.get("destination_arn"), model.Unknown[string]("%s has no destination_arn", r.addr)); err != nil {
		return err
	}
	c.Account, c.Region = l.account(r, c.ARN), l.region(r, c.ARN)
	if t, _ := l.follow(r, r.cfgExprs(), "destination_arn", c.DestinationARN, destinationARNKinds); t != nil {
		c.DestinationRef = t.addr
	}
	l.m.ResolverQueryLogConfigs = append(l.m.ResolverQueryLogConfigs, c)
	return nil
}

// resolverAssociation reads aws_route53_resolver_query_log_config_association.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_resolver_query_log_config_association
func (l *loader) resolverAssociation(r *resource) error {
	as := &model.ResolverQueryLogAssociation{Origin: r.origin}
	var err error
	if as.ConfigID, err = l.str(r.v.get("resolver_query_log_config_id"), model.Unknown[string]("%s has no resolver_query_log_config_id", r.addr)); err != nil {
		return err
	}
	if as.VPCID, err = l.str(r.v.get("resource_id"), model.Unknown[string]("%s has no resource_id", r.addr)); err != nil {
		return err
	}
	if t, _ := l.follow(r, r.cfgExprs(), "resolver_query_log_config_id", as.ConfigID, kinds{"aws_route53_resolver_query_log_config": {"id"}}); t != nil {
		as.ConfigRef = t.addr
	}
	l.m.ResolverQueryLogAssociations = append(l.m.ResolverQueryLogAssociations, as)
	return nil
}

// webACL reads aws_wafv2_web_acl.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl
func (l *loader) webACL(r *resource) error {
	w := &model.WebACL{Origin: r.origin}
	var err error
	if w.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	if w.ARN, err = l.str(r.v.get("arn"), model.Unknown[string]("%s has no arn", r.addr)); err != nil {
		return err
	}
	if w.Scope, err = l.str(r.v.get("scope"), model.Unknown[string]("%s has no scope", r.addr)); err != nil {
		return err
	}
	w.Account, w.Region = l.account(r, w.ARN), l.region(r, w.ARN)
	l.m.WebACLs = append(l.m.WebACLs, w)
	return nil
}

// wafLogging reads aws_wafv2_web_acl_logging_configuration.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl_logging_configuration
func (l *loader) wafLogging(r *resource) error {
	lc := &model.WAFLoggingConfiguration{Origin: r.origin}
	var err error
	if lc.WebACLARN, err = l.str(r.v.get("resource_arn"), model.Unknown[string]("%s has no resource_arn", r.addr)); err != nil {
		return err
	}
	if t, _ := l.follow(r, r.cfgExprs(), "resource_arn", lc.WebACLARN, kinds{"aws_wafv2_web_acl": {"arn"}}); t != nil {
		lc.WebACLRef = t.addr
	}
	items, why, err := l.list(r.v.get("log_destination_configs"))
	if err != nil {
		return err
	}
	lc.Unknown = why
	for _, item := range items {
		d := model.WAFLogDestination{}
		if d.ARN, err = l.str(item, model.Unknown[string]("%s: a log destination is null", r.addr)); err != nil {
			return err
		}
		// The configuration's references are those of the whole set: they
		// name this element only when it is the one.
		if len(items) == 1 {
			if t, _ := l.follow(r, r.cfgExprs(), "log_destination_configs", d.ARN, destinationARNKinds); t != nil {
				d.Ref = t.addr
			}
		}
		lc.Destinations = append(lc.Destinations, d)
	}
	l.m.WAFLoggingConfigurations = append(l.m.WAFLoggingConfigurations, lc)
	return nil
}
