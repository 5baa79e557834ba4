package live

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/logpath/logpath/model"
)

// logGroup reads a log group once per run, with its key and the resource
// policies that apply to it: the account-level ones of its account and
// Region, and its own log-group-level one.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
func (a *auditor) logGroup(ctx context.Context, ac *account, region, name string) *model.LogGroup {
	return cached(&a.cache, "logs:"+ac.id+"/"+region+"/"+name, func() *model.LogGroup {
		cl := ac.in(region).logs
		a.accountLogPolicies(ctx, ac, region)
		var found *logstypes.LogGroup
		p := cloudwatchlogs.NewDescribeLogGroupsPaginator(cl, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name)})
		for found == nil && p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				// The group stays out of the model, so the delivery is
				// UNKNOWN; the reason is on the gap of its source.
				a.gap(&model.Gap{Account: ac.id, Region: region, Source: "cloudwatch-logs",
					Reason: "log group " + name + " cannot be read: " + readFailure("logs:DescribeLogGroups", err)})
				return nil
			}
			for i := range page.LogGroups {
				if aws.ToString(page.LogGroups[i].LogGroupName) == name {
					found = &page.LogGroups[i]
				}
			}
		}
		if found == nil {
			return nil
		}
		arn := "arn:" + a.partition + ":logs:" + region + ":" + ac.id + ":log-group:" + name
		g := &model.LogGroup{Origin: model.Origin{ID: arn}, Name: model.Known(name), Account: model.Known(ac.id), Region: model.Known(region),
			KMSKeyID: model.Known(aws.ToString(found.KmsKeyId))}
		if k := aws.ToString(found.KmsKeyId); k != "" {
			a.keyRef(ctx, k, ac.id, region, ac)
		}
		lp := &model.LogResourcePolicy{Origin: model.Origin{ID: arn + ":resource-policy"}, Name: model.Known(name + " (log-group-level)"),
			Account: model.Known(ac.id), Region: model.Known(region), LogGroupARN: model.Known(arn)}
		out, err := cl.DescribeResourcePolicies(ctx, &cloudwatchlogs.DescribeResourcePoliciesInput{PolicyScope: logstypes.PolicyScopeResource, ResourceArn: aws.String(arn)})
		switch {
		case err != nil:
			lp.Policy = model.Unknown[*model.PolicyDocument]("%s", readFailure("logs:DescribeResourcePolicies", err))
		case len(out.ResourcePolicies) == 0:
			lp = nil
		default:
			lp.Name = model.Known(aws.ToString(out.ResourcePolicies[0].PolicyName))
			lp.Policy = model.Known(&model.PolicyDocument{Origin: lp.Origin, JSON: model.Known(aws.ToString(out.ResourcePolicies[0].PolicyDocument))})
		}
		a.add(func(m *model.Model) {
			m.LogGroups = append(m.LogGroups, g)
			if lp != nil {
				m.LogResourcePolicies = append(m.LogResourcePolicies, lp)
			}
		})
		return g
	})
}

// accountLogPolicies reads the account-level resource policies of an
// account and Region once per run. DescribeResourcePolicies has no
// paginator.
func (a *auditor) accountLogPolicies(ctx context.Context, ac *account, region string) {
	cached(&a.cache, "logs-policies:"+ac.id+"/"+region, func() bool {
		var out []*model.LogResourcePolicy
		var token *string
		for {
			page, err := ac.in(region).logs.DescribeResourcePolicies(ctx, &cloudwatchlogs.DescribeResourcePoliciesInput{NextToken: token})
			if err != nil {
				out = []*model.LogResourcePolicy{{Origin: model.Origin{ID: "logs-resource-policies:" + ac.id + "/" + region},
					Name: model.Known("account-level resource policies"), Account: model.Known(ac.id), Region: model.Known(region),
					Policy: model.Unknown[*model.PolicyDocument]("%s", readFailure("logs:DescribeResourcePolicies", err))}}
				break
			}
			for _, rp := range page.ResourcePolicies {
				if aws.ToString(rp.ResourceArn) != "" {
					continue
				}
				name := aws.ToString(rp.PolicyName)
				o := model.Origin{ID: "logs-resource-policy:" + ac.id + "/" + region + "/" + name}
				out = append(out, &model.LogResourcePolicy{Origin: o, Name: model.Known(name), Account: model.Known(ac.id), Region: model.Known(region),
					Policy: model.Known(&model.PolicyDocument{Origin: o, JSON: model.Known(aws.ToString(rp.PolicyDocument))})})
			}
			if token = page.NextToken; token == nil {
				break
			}
		}
		a.add(func(m *model.Model) { m.LogResourcePolicies = append(m.LogResourcePolicies, out...) })
		return true
	})
}
