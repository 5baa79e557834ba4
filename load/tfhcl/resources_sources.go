package tfhcl

import (
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/logpath/logpath/model"
	"github.com/zclconf/go-cty/cty"
)

// Route 53 Resolver query logging and AWS WAF: what the configuration
// says, linked by reference; package delivery decides what AWS does.

// destinationTypes are the resources a source may name as its
// destination by ARN.
var destinationTypes = map[string]bool{
	"aws_s3_bucket": true, "aws_cloudwatch_log_group": true, "aws_kinesis_firehose_delivery_stream": true,
}

// resolverConfig reads aws_route53_resolver_query_log_config.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_resolver_query_log_config
func (bd *builder) resolverConfig(r ri) {
	body, in := r.b.Body, r.in
	c := &model.ResolverQueryLogConfig{Origin: r.origin(), Account: r.account(), Region: r.region(),
		ARN: mval(r.m.attr(r.b, in, "arn")), ConfigID: mval(r.m.attr(r.b, in, "id"))}
	c.Name = r.sv(body, in, "name", model.Unknown[string]("%s: name is required", in.addr))
	c.DestinationARN = r.sv(body, in, "destination_arn", model.Unknown[string]("%s: destination_arn is required", in.addr))
	if t, ok := r.destinationRef(body.Attributes["destination_arn"], in); ok {
		c.DestinationRef = t.addr
	}
	bd.m.ResolverQueryLogConfigs = append(bd.m.ResolverQueryLogConfigs, c)
}

// resolverAssociation reads aws_route53_resolver_query_log_config_association.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_resolver_query_log_config_association
func (bd *builder) resolverAssociation(r ri) {
	body, in := r.b.Body, r.in
	as := &model.ResolverQueryLogAssociation{Origin: r.origin()}
	as.ConfigID = r.sv(body, in, "resolver_query_log_config_id", model.Unknown[string]("%s: resolver_query_log_config_id is required", in.addr))
	if t, ok := r.ref(body, in, "resolver_query_log_config_id"); ok && !t.data && t.typ == "aws_route53_resolver_query_log_config" {
		as.ConfigRef = t.addr
	}
	as.VPCID = r.sv(body, in, "resource_id", model.Unknown[string]("%s: resource_id is required", in.addr))
	bd.m.ResolverQueryLogAssociations = append(bd.m.ResolverQueryLogAssociations, as)
}

// webACL reads aws_wafv2_web_acl.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl
func (bd *builder) webACL(r ri) {
	body, in := r.b.Body, r.in
	w := &model.WebACL{Origin: r.origin(), Account: r.account(), Region: r.region(), ARN: mval(r.m.attr(r.b, in, "arn"))}
	w.Name = mval(r.m.named(r.b, in, "name"))
	w.Scope = r.sv(body, in, "scope", model.Unknown[string]("%s: scope is required", in.addr))
	bd.m.WebACLs = append(bd.m.WebACLs, w)
}

// wafLogging reads aws_wafv2_web_acl_logging_configuration.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/wafv2_web_acl_logging_configuration
func (bd *builder) wafLogging(r ri) {
	body, in := r.b.Body, r.in
	lc := &model.WAFLoggingConfiguration{Origin: r.origin()}
	lc.WebACLARN = r.sv(body, in, "resource_arn", model.Unknown[string]("%s: resource_arn is required", in.addr))
	if t, ok := r.ref(body, in, "resource_arn"); ok && !t.data && t.typ == "aws_wafv2_web_acl" {
		lc.WebACLRef = t.addr
	}
	bd.m.WAFLoggingConfigurations = append(bd.m.WAFLoggingConfigurations, lc)
	a := body.Attributes["log_destination_configs"]
	if a == nil {
		lc.Unknown = in.addr + ": log_destination_configs is required"
		return
	}
	// A list written out: each element, with the resource it refers to.
	if tc, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
		for _, e := range tc.Exprs {
			d := model.WAFLogDestination{ARN: mval(r.m.eval(e, in))}
			if t, ok := r.destinationRefExpr(e, in); ok {
				d.Ref = t.addr
			}
			lc.Destinations = append(lc.Destinations, d)
		}
		return
	}
	v := r.m.eval(a.Expr, in)
	if !v.IsWhollyKnown() {
		lc.Unknown = reasonOf(v)
		return
	}
	v = unmarkDeep(v)
	if v.IsNull() || !(v.Type().IsListType() || v.Type().IsSetType() || v.Type().IsTupleType()) {
		lc.Unknown = posOf(a.SrcRange) + ": log_destination_configs is not a list"
		return
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.Type() != cty.String {
			lc.Unknown = posOf(a.SrcRange) + ": log_destination_configs holds a value that is not a string"
			lc.Destinations = nil
			return
		}
		lc.Destinations = append(lc.Destinations, model.WAFLogDestination{ARN: mval(e)})
	}
}

// destinationRef is the destination resource an ARN attribute refers to:
// the whole value ("aws_s3_bucket.logs.arn") or its start, followed by a
// prefix ("${aws_s3_bucket.logs.arn}/dns").
func (r ri) destinationRef(a *hclsyntax.Attribute, in inst) (target, bool) {
	if a == nil {
		return target{}, false
	}
	return r.destinationRefExpr(a.Expr, in)
}

func (r ri) destinationRefExpr(e hclsyntax.Expression, in inst) (target, bool) {
	if te, ok := e.(*hclsyntax.TemplateExpr); ok && len(te.Parts) > 1 {
		e = te.Parts[0]
	}
	t, ok := r.m.refOf(e, in)
	if !ok || t.data || !destinationTypes[t.typ] {
		return target{}, false
	}
	return t, true
}
