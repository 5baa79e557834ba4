package live

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53resolver/types"

	"github.com/logpath/logpath/model"
)

// readResolver reads the Route 53 Resolver query logging configurations of
// one account in one Region, the VPCs the account associated with them,
// each destination, and the evidence: the configuration's Status, its
// associations' Status, Error and ErrorMessage, and the newest delivered
// log. A configuration another account shares (through RAM) is read once
// per run, whichever account lists it first.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ListResolverQueryLogConfigs.html
func (a *auditor) readResolver(ctx context.Context, ac *account, region string) {
	cl := ac.in(region).resolver
	var configs []r53types.ResolverQueryLogConfig
	p := route53resolver.NewListResolverQueryLogConfigsPaginator(cl, &route53resolver.ListResolverQueryLogConfigsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			a.gap(&model.Gap{Account: ac.id, Region: region, Source: "route53-resolver",
				Reason: "the query logging configurations cannot be listed: " + listFailure("route53resolver:ListResolverQueryLogConfigs", region, err)})
			return
		}
		configs = append(configs, page.ResolverQueryLogConfigs...)
	}
	if len(configs) == 0 {
		return
	}
	var assocs []r53types.ResolverQueryLogConfigAssociation
	var assocErr string
	pa := route53resolver.NewListResolverQueryLogConfigAssociationsPaginator(cl, &route53resolver.ListResolverQueryLogConfigAssociationsInput{})
	for pa.HasMorePages() {
		page, err := pa.NextPage(ctx)
		if err != nil {
			assocErr = readFailure("route53resolver:ListResolverQueryLogConfigAssociations", err)
			break
		}
		assocs = append(assocs, page.ResolverQueryLogConfigAssociations...)
	}
	var out []*model.ResolverQueryLogConfig
	var links []*model.ResolverQueryLogAssociation
	if assocErr != "" {
		// Which VPCs are associated is unknown: one association whose
		// configuration is unknown makes every configuration without a
		// known one UNKNOWN, naming the action.
		links = append(links, &model.ResolverQueryLogAssociation{Origin: model.Origin{ID: "resolver-query-log-config-associations:" + ac.id + "/" + region},
			ConfigID: model.Unknown[string]("%s", assocErr), VPCID: model.Unknown[string]("%s", assocErr)})
		assocs = nil
	}
	for _, as := range assocs {
		links = append(links, &model.ResolverQueryLogAssociation{Origin: model.Origin{ID: aws.ToString(as.Id)},
			ConfigID: model.Known(aws.ToString(as.ResolverQueryLogConfigId)), VPCID: model.Known(aws.ToString(as.ResourceId))})
	}
	for i := range configs {
		c := &configs[i]
		if !a.claim("resolver-config:" + aws.ToString(c.Arn)) {
			continue
		}
		out = append(out, a.resolverConfig(ctx, ac, region, c, assocs))
	}
	a.add(func(m *model.Model) {
		m.ResolverQueryLogConfigs = append(m.ResolverQueryLogConfigs, out...)
		m.ResolverQueryLogAssociations = append(m.ResolverQueryLogAssociations, links...)
	})
}

func (a *auditor) resolverConfig(ctx context.Context, ac *account, region string, c *r53types.ResolverQueryLogConfig, assocs []r53types.ResolverQueryLogConfigAssociation) *model.ResolverQueryLogConfig {
	owner := aws.ToString(c.OwnerId)
	if owner == "" {
		owner = ac.id
	}
	id, dest := aws.ToString(c.Id), aws.ToString(c.DestinationArn)
	rc := &model.ResolverQueryLogConfig{Origin: model.Origin{ID: aws.ToString(c.Arn)}, Name: model.Known(aws.ToString(c.Name)),
		ARN: model.Known(aws.ToString(c.Arn)), Account: model.Known(owner), Region: model.Known(region),
		ConfigID: model.Known(id), DestinationARN: model.Known(dest)}
	var vpcs []string
	var mine []r53types.ResolverQueryLogConfigAssociation
	for _, as := range assocs {
		if aws.ToString(as.ResolverQueryLogConfigId) == id {
			mine = append(mine, as)
			vpcs = append(vpcs, aws.ToString(as.ResourceId))
		}
	}
	sort.Strings(vpcs)
	l := layout{dateFolder: "2006/01/02", noFolder: "no VPC is associated with the configuration, so there is no folder its logs would be in"}
	for _, vpc := range vpcs {
		l.s3Folders = append(l.s3Folders, resolverFolder(owner, vpc))
	}
	d := a.readDestination(ctx, ac, region, dest)
	rc.Evidence = a.destinationEvidence(ctx, d, region, resolverFailure(c, mine), l)
	return rc
}

// resolverFolder is the folder Route 53 Resolver writes one VPC's query
// logs under, after the bucket's own folder:
// AWSLogs/<account>/vpcdnsquerylogs/<vpc-id>/, then <yyyy>/<mm>/<dd>/.
// https://docs.aws.amazon.com/athena/latest/ug/querying-r53-resolver-logs-creating-the-table.html
func resolverFolder(account, vpc string) string {
	return "AWSLogs/" + account + "/vpcdnsquerylogs/" + vpc + "/"
}

// resolverFailure quotes what Route 53 Resolver reports: a configuration
// whose Status is FAILED ("Resolver can't deliver logs to the location"),
// and associations that failed, need action (its meaning is not
// documented: a WARN at least), or carry an Error.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ResolverQueryLogConfig.html
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ResolverQueryLogConfigAssociation.html
func resolverFailure(c *r53types.ResolverQueryLogConfig, assocs []r53types.ResolverQueryLogConfigAssociation) string {
	var parts []string
	if c.Status == r53types.ResolverQueryLogConfigStatusFailed {
		parts = append(parts, "Status FAILED")
	}
	for _, as := range assocs {
		failed := as.Status == r53types.ResolverQueryLogConfigAssociationStatusFailed || as.Status == r53types.ResolverQueryLogConfigAssociationStatusActionNeeded
		hasErr := as.Error != "" && as.Error != r53types.ResolverQueryLogConfigAssociationErrorNone
		if !failed && !hasErr {
			continue
		}
		s := fmt.Sprintf("association %s (%s): Status %s", aws.ToString(as.Id), aws.ToString(as.ResourceId), as.Status)
		if hasErr {
			s += ", Error " + string(as.Error)
		}
		if m := aws.ToString(as.ErrorMessage); m != "" {
			s += fmt.Sprintf(", ErrorMessage %q", m)
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return ""
	}
	return "Route 53 Resolver reports " + strings.Join(parts, "; ")
}
