package delivery

import (
	"fmt"
	"sort"
	"strings"

	"github.com/logpath/logpath/model"
)

// Route 53 Resolver query logging: what AWS documents for its logs.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs.html
//
// CloudWatch's table lists Resolver query logs as "V1" vended logs, for
// CloudWatch Logs, S3 and Firehose alike: the log delivery service writes,
// as for Network Firewall.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
var resolverSource = &sourceType{
	name:        "route53-resolver",
	label:       "Route 53 Resolver query logging",
	noun:        "query logging configuration",
	configGate:  "resolver.query-log-config",
	s3:          resolverWriter,
	logs:        resolverWriter,
	firehose:    resolverWriter,
	objectKey:   resolverObjectKey("vpc-0123456789abcdef0"),
	grantedKeys: awsLogsKeys,
	logStream:   resolverLogStream,
	// Route 53's one page on query log destinations covers all three and
	// their keys.
	docs: map[string]string{
		"s3.bucket":            resolverTargetsDoc,
		"s3.bucket-policy":     resolverTargetsDoc,
		"s3.encryption":        resolverTargetsDoc,
		"kms.key-policy":       resolverTargetsDoc,
		"logs.log-group":       resolverTargetsDoc,
		"logs.resource-policy": resolverTargetsDoc,
		"firehose.stream":      resolverTargetsDoc,
		// What the live audit quotes: the associations' Status and Error.
		"evidence.logs": "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ResolverQueryLogConfigAssociation.html",
	},
	notes: map[string]string{
		"s3.encryption": "Route 53's own page says every S3 server-side encryption option works for query logs (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-choosing-target-resource.html); CloudWatch's and S3's pages say otherwise, and logpath follows them",
	},
}

const resolverTargetsDoc = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-choosing-target-resource.html"

// resolverWriter is the log delivery service, "V1" as CloudWatch's table
// says; but Route 53's page points at CloudWatch's V2 key policy, whose
// aws:SourceArn is arn:aws:logs:<region>:<account>:delivery-source:*. The
// pages disagree on what aws:SourceArn holds, so a policy that matches
// only one of the two forms is UNKNOWN, never OK.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-choosing-target-resource.html
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-S3.html
var resolverWriter = &writer{principal: deliveryService, sourceArn: func(s *source) (string, []variant) {
	return sourceArnBaseline(s.region, s.account), []variant{sourceArnVariant(s.region, s.account), {
		key:      "aws:SourceArn",
		values:   []string{"arn:aws:logs:" + s.region + ":" + s.account + ":delivery-source:undocumented"},
		severity: UNKNOWN,
		why:      "Route 53's page points at CloudWatch's V2 key policy (aws:SourceArn arn:aws:logs:" + s.region + ":" + s.account + ":delivery-source:*) while CloudWatch's table lists Resolver query logs as V1 (arn:aws:logs:" + s.region + ":" + s.account + ":*); the pages disagree on the value sent (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs-choosing-target-resource.html)",
	}}
}, streamTag: logDeliveryTag, streamKeyGrant: nfwStreamKeyGrant}

// Resolver writes S3 objects under
// <bucket>/<prefix>/AWSLogs/<account>/vpcdnsquerylogs/<vpc-id>/<yyyy>/<MM>/<dd>/
// (the folder as Athena's page gives it; the file name as public log
// parsers show it [3P]). The key names a VPC, so each configuration gets
// its own copy of resolverSource with one bound. AWS does not say which
// account the key names for a VPC that another account associated through
// RAM; logpath uses the configuration's [I].
// https://docs.aws.amazon.com/athena/latest/ug/querying-r53-resolver-logs-creating-the-table.html
func resolverObjectKey(vpc string) func(src *source, prefix string) string {
	return func(src *source, prefix string) string {
		return underPrefix(prefix, "AWSLogs/"+src.account+"/vpcdnsquerylogs/"+vpc+"/2026/01/01/"+
			vpc+"_vpcdnsquerylogs_"+src.account+"_20260101T0000Z_0123abcd.log.gz")
	}
}

// resolverLogStream: AWS does not document the names of Resolver's log
// streams; AWS's own resource policy grants log-stream:* [I].
func resolverLogStream(src *source) string { return "vpcdnsquerylogs" }

// resolverConfigs lists the deliveries of the Route 53 Resolver query
// logging configurations: one per configuration, to its one destination.
func (a *analyzer) resolverConfigs() []Delivery {
	byRef := map[string][]*model.ResolverQueryLogAssociation{}
	byID := map[string][]*model.ResolverQueryLogAssociation{}
	var unlinked []*model.ResolverQueryLogAssociation
	for _, as := range a.m.ResolverQueryLogAssociations {
		id, ok := as.ConfigID.Get()
		switch {
		case as.ConfigRef != "":
			byRef[as.ConfigRef] = append(byRef[as.ConfigRef], as)
		case ok:
			byID[id] = append(byID[id], as)
		default:
			unlinked = append(unlinked, as)
		}
	}
	var out []Delivery
	for _, c := range a.m.ResolverQueryLogConfigs {
		assocs := byRef[c.RefKey()]
		if id, ok := c.ConfigID.Get(); ok && id != "" {
			assocs = append(assocs, byID[id]...)
		}
		out = append(out, a.resolverConfig(c, assocs, unlinked))
	}
	return out
}

// resolverConfig checks one configuration and decides its delivery.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverQueryLogConfig.html
func (a *analyzer) resolverConfig(c *model.ResolverQueryLogConfig, assocs, unlinked []*model.ResolverQueryLogAssociation) Delivery {
	src := source{typ: resolverSource, origin: c.Origin, arn: c.ARN.Or("")}
	src.identify(c.Name, c.Account, c.Region, c.ID)
	// The object key names a VPC: the first associated one whose ID is
	// known, else a placeholder (a bucket policy rarely tells VPCs apart).
	var vpcs []string
	for _, as := range assocs {
		vpcs = append(vpcs, as.VPCID.Or("(a VPC whose ID is unknown: "+as.VPCID.Reason()+")"))
	}
	sort.Strings(vpcs)
	vpc := "vpc-0123456789abcdef0"
	for _, as := range assocs {
		if id, ok := as.VPCID.Get(); ok && id != "" {
			vpc = id
			break
		}
	}
	typ := *resolverSource
	typ.objectKey = resolverObjectKey(vpc)
	src.typ = &typ
	d := Delivery{Source: src.report()}
	g := GateResult{ID: resolverSource.configGate, Verdict: OK, Location: c.Origin}
	t, problem, unknown := a.destinationByARN(c.DestinationARN, c.DestinationRef, c.Origin)
	if t == nil {
		g.Verdict, g.Reason = FAIL, problem+" (Resolver logs to an S3 bucket, a CloudWatch Logs log group or a Firehose stream, named by ARN)"
		if unknown {
			g.Verdict, g.Reason = UNKNOWN, problem
		}
		d.Destination = Destination{Name: "?"}
		d.add(g)
		return d
	}
	dest := noun(t.typ) + " " + a.nameOf(t).Or("(name unknown)")
	switch {
	case len(assocs) > 0:
		g.Reason = fmt.Sprintf("the configuration logs the DNS queries of %s to %s", strings.Join(vpcs, ", "), dest)
	case len(unlinked) > 0:
		var why []string
		for _, as := range unlinked {
			why = append(why, as.ID+": "+as.ConfigID.Reason())
		}
		g.Verdict = UNKNOWN
		g.Reason = "whether a VPC is associated with the configuration cannot be told: an association names a configuration that is unknown (" + strings.Join(why, "; ") + ")"
	default:
		// Not a FAIL: a Route 53 Profile, or another account the
		// configuration is shared with through RAM, may associate VPCs
		// the input does not show.
		// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_AssociateResolverQueryLogConfig.html
		g.Verdict = WARN
		g.Reason = "no VPC is associated with the configuration, so no query is logged (unless a Route 53 Profile or an account it is shared with associates one, which the input does not show)"
	}
	d.add(g)
	a.deliver(&d, &src, t)
	applyEvidence(&d, c.Evidence)
	return d
}
