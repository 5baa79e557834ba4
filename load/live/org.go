package live

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/logpath/logpath/model"
)

// orgAccounts lists the active accounts of the organization, or of one OU
// and the OUs below it. Only the management account or a delegated
// administrator may list them.
// https://docs.aws.amazon.com/organizations/latest/APIReference/action-reference.html
func (a *auditor) orgAccounts(ctx context.Context) ([]string, error) {
	cl := organizations.NewFromConfig(a.base)
	var ids []string
	add := func(accts []orgtypes.Account) {
		for _, ac := range accts {
			if ac.State == orgtypes.AccountStateActive || (ac.State == "" && ac.Status == orgtypes.AccountStatusActive) {
				ids = append(ids, aws.ToString(ac.Id))
			}
		}
	}
	fail := func(action string, err error) error {
		return &SetupError{"--org: cannot list the organization's accounts: " + readFailure(action, err) + " (run it from the management account or a delegated administrator)"}
	}
	if a.o.OU == "" {
		p := organizations.NewListAccountsPaginator(cl, &organizations.ListAccountsInput{})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fail("organizations:ListAccounts", err)
			}
			add(page.Accounts)
		}
	} else {
		parents := []string{a.o.OU}
		for len(parents) > 0 {
			parent := parents[0]
			parents = parents[1:]
			p := organizations.NewListAccountsForParentPaginator(cl, &organizations.ListAccountsForParentInput{ParentId: aws.String(parent)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					return nil, fail("organizations:ListAccountsForParent", err)
				}
				add(page.Accounts)
			}
			op := organizations.NewListOrganizationalUnitsForParentPaginator(cl, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(parent)})
			for op.HasMorePages() {
				page, err := op.NextPage(ctx)
				if err != nil {
					return nil, fail("organizations:ListOrganizationalUnitsForParent", err)
				}
				for _, ou := range page.OrganizationalUnits {
					parents = append(parents, aws.ToString(ou.Id))
				}
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// readOrganization reads the resource control policies and where the
// audited accounts sit in the organization. RCPs can be read only from the
// management account or a delegated administrator; from a member account
// they are unknown, and so is the org.rcp gate, with the reason.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
func (a *auditor) readOrganization(ctx context.Context, targets []string) {
	cl := organizations.NewFromConfig(a.base)
	var rcps []*model.OrgPolicy
	p := organizations.NewListPoliciesPaginator(cl, &organizations.ListPoliciesInput{Filter: orgtypes.PolicyTypeResourceControlPolicy})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		switch {
		case isCode(err, "AWSOrganizationsNotInUseException"):
			return
		case err != nil:
			a.add(func(m *model.Model) {
				m.OrgPolicies = append(m.OrgPolicies, &model.OrgPolicy{Origin: model.Origin{ID: "organization:" + a.caller},
					Name: model.Known("resource control policies"),
					Type: model.Unknown[string]("the organization's RCPs cannot be read: %s; RCPs can be read only from the management account or a delegated administrator (run logpath audit --org there)", readFailure("organizations:ListPolicies", err))})
			})
			return
		}
		for _, ps := range page.Policies {
			// RCPFullAWSAccess allows everything and is implied.
			if ps.AwsManaged {
				continue
			}
			rcps = append(rcps, a.rcp(ctx, cl, ps))
		}
	}
	paths := map[string][]string{}
	for _, id := range a.orgAccountIDs(targets) {
		if path := a.orgPath(ctx, cl, id); path != nil {
			paths[id] = path
		}
	}
	a.add(func(m *model.Model) {
		m.OrgPolicies = append(m.OrgPolicies, rcps...)
		m.Organization = &model.Organization{Paths: paths}
	})
}

func (a *auditor) rcp(ctx context.Context, cl *organizations.Client, ps orgtypes.PolicySummary) *model.OrgPolicy {
	op := &model.OrgPolicy{Origin: model.Origin{ID: aws.ToString(ps.Arn)}, Name: model.Known(aws.ToString(ps.Name)), Type: model.Known(model.RCPType)}
	out, err := cl.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: ps.Id})
	if err != nil || out.Policy == nil {
		op.Policy = model.Unknown[*model.PolicyDocument]("%s", readFailure("organizations:DescribePolicy", err))
	} else {
		op.Policy = model.Known(&model.PolicyDocument{Origin: op.Origin, JSON: model.Known(aws.ToString(out.Policy.Content))})
	}
	var targets []string
	p := organizations.NewListTargetsForPolicyPaginator(cl, &organizations.ListTargetsForPolicyInput{PolicyId: ps.Id})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			op.Targets = model.Unknown[[]string]("%s", readFailure("organizations:ListTargetsForPolicy", err))
			return op
		}
		for _, t := range page.Targets {
			targets = append(targets, aws.ToString(t.TargetId))
		}
	}
	op.Targets = model.Known(targets)
	return op
}

// orgAccountIDs are the accounts whose place in the organization matters:
// the audited ones and the owners of their destinations.
func (a *auditor) orgAccountIDs(targets []string) []string {
	ids := slices.Clone(targets)
	for _, b := range a.m.Buckets {
		if id, ok := b.Account.Get(); ok {
			ids = append(ids, id)
		}
	}
	for _, k := range a.m.Keys {
		if id, ok := k.Account.Get(); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// orgPath lists the root and OUs above an account, root first; nil when
// they cannot be read.
func (a *auditor) orgPath(ctx context.Context, cl *organizations.Client, id string) []string {
	var path []string
	child := id
	for range 10 {
		out, err := cl.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(child)})
		if err != nil || len(out.Parents) == 0 {
			return nil
		}
		parent := out.Parents[0]
		path = append([]string{aws.ToString(parent.Id)}, path...)
		if parent.Type == orgtypes.ParentTypeRoot {
			return path
		}
		child = aws.ToString(parent.Id)
	}
	return nil
}
