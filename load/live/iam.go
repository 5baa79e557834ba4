package live

import (
	"context"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/logpath/logpath/model"
)

// IAM is global: its reads go to the auditor's home Region's client of the
// role's account. Roles and managed policies are read once per run, however
// many sources name them; AWS managed policies
// (arn:aws:iam::aws:policy/...) too, whatever account reads them: any
// account may read their text with GetPolicyVersion.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html

// role reads the IAM role an ARN names, with its trust policy, inline and
// attached policies and permissions boundary, once per run. A role of an
// account that is not audited is left out: the delivery gates then say
// it is not known. A role IAM says does not exist is left out too.
func (a *auditor) role(ctx context.Context, ac *account, arn string) {
	cached(&a.cache, "iam-role:"+arn, func() bool {
		parts := strings.SplitN(arn, ":", 6)
		if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
			return false
		}
		reader := ac
		if parts[4] != ac.id {
			if reader = a.readable(parts[4]); reader == nil {
				return false
			}
		}
		if r := a.readRole(ctx, reader, arn, parts[5][strings.LastIndexByte(parts[5], '/')+1:]); r != nil {
			a.add(func(m *model.Model) { m.Roles = append(m.Roles, r) })
		}
		return true
	})
}

// readRole reads a role. Each read that is denied leaves what it would
// fill unknown, naming the IAM action.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
func (a *auditor) readRole(ctx context.Context, ac *account, arn, name string) *model.IAMRole {
	cl := ac.in(a.base.Region).iam
	r := &model.IAMRole{Origin: model.Origin{ID: arn}, Name: model.Known(name), ARN: model.Known(arn), Account: model.Known(ac.id)}
	out, err := cl.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	switch {
	case isCode(err, "NoSuchEntity"):
		return nil
	case err != nil:
		why := readFailure("iam:GetRole", err)
		r.TrustPolicy = model.Unknown[*model.PolicyDocument]("%s", why)
		r.PermissionsBoundary = model.Unknown[string]("%s", why)
	default:
		r.TrustPolicy = iamDocument(arn, out.Role.AssumeRolePolicyDocument)
		r.PermissionsBoundary = model.Known("")
		if pb := out.Role.PermissionsBoundary; pb != nil && aws.ToString(pb.PermissionsBoundaryArn) != "" {
			r.PermissionsBoundary = model.Known(aws.ToString(pb.PermissionsBoundaryArn))
			a.managedPolicy(ctx, ac, aws.ToString(pb.PermissionsBoundaryArn))
		}
	}
	r.InlinePolicies = a.inlinePolicies(ctx, cl, arn, name)
	r.ManagedPolicies = a.attachedPolicies(ctx, ac, cl, name)
	return r
}

// iamDocument reads a policy document as IAM returns it: URL-encoded
// (RFC 3986), so that a "+" stays a "+". A document that does not decode
// is kept as it is, and fails to parse in the gates, which say so.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
func iamDocument(id string, doc *string) model.Value[*model.PolicyDocument] {
	if doc == nil || *doc == "" {
		return model.Known[*model.PolicyDocument](nil)
	}
	text, err := url.PathUnescape(*doc)
	if err != nil {
		text = *doc
	}
	return model.Known(&model.PolicyDocument{Origin: model.Origin{ID: id}, JSON: model.Known(text)})
}

func (a *auditor) inlinePolicies(ctx context.Context, cl *iam.Client, arn, role string) model.Value[[]model.InlinePolicy] {
	var names []string
	p := iam.NewListRolePoliciesPaginator(cl, &iam.ListRolePoliciesInput{RoleName: aws.String(role)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return model.Unknown[[]model.InlinePolicy]("%s", readFailure("iam:ListRolePolicies", err))
		}
		names = append(names, page.PolicyNames...)
	}
	out := []model.InlinePolicy{}
	for _, n := range names {
		ip := model.InlinePolicy{Name: model.Known(n)}
		got, err := cl.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(n)})
		if err != nil {
			ip.Policy = model.Unknown[*model.PolicyDocument]("%s", readFailure("iam:GetRolePolicy", err))
		} else {
			ip.Policy = iamDocument(arn+"/inline/"+n, got.PolicyDocument)
		}
		out = append(out, ip)
	}
	return model.Known(out)
}

func (a *auditor) attachedPolicies(ctx context.Context, ac *account, cl *iam.Client, role string) model.Value[[]model.PolicyAttachment] {
	out := []model.PolicyAttachment{}
	p := iam.NewListAttachedRolePoliciesPaginator(cl, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(role)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return model.Unknown[[]model.PolicyAttachment]("%s", readFailure("iam:ListAttachedRolePolicies", err))
		}
		for _, ap := range page.AttachedPolicies {
			arn := aws.ToString(ap.PolicyArn)
			out = append(out, model.PolicyAttachment{ARN: model.Known(arn)})
			a.managedPolicy(ctx, ac, arn)
		}
	}
	return model.Known(out)
}

// managedPolicy reads a managed policy's default version once per run:
// GetPolicy names the default version, GetPolicyVersion gives its text.
// A customer managed policy of another account is read with that
// account's role when it is audited.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html
func (a *auditor) managedPolicy(ctx context.Context, ac *account, arn string) {
	cached(&a.cache, "iam-policy:"+arn, func() bool {
		name := arn[strings.LastIndexByte(arn, '/')+1:]
		mp := &model.ManagedPolicy{Origin: model.Origin{ID: arn}, Name: model.Known(name), ARN: model.Known(arn)}
		reader := ac
		if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 && parts[4] != "aws" && parts[4] != ac.id {
			if owner := a.readable(parts[4]); owner != nil {
				reader = owner
			}
		}
		cl := reader.in(a.base.Region).iam
		out, err := cl.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})
		switch {
		case err != nil:
			mp.Policy = model.Unknown[*model.PolicyDocument]("%s", readFailure("iam:GetPolicy", err))
		case out.Policy == nil || aws.ToString(out.Policy.DefaultVersionId) == "":
			mp.Policy = model.Unknown[*model.PolicyDocument]("iam:GetPolicy names no default version of %s", arn)
		default:
			v, err := cl.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: out.Policy.DefaultVersionId})
			switch {
			case err != nil:
				mp.Policy = model.Unknown[*model.PolicyDocument]("%s", readFailure("iam:GetPolicyVersion", err))
			case v.PolicyVersion == nil:
				mp.Policy = model.Unknown[*model.PolicyDocument]("iam:GetPolicyVersion gave no version of %s", arn)
			default:
				mp.Policy = iamDocument(arn, v.PolicyVersion.Document)
			}
		}
		a.add(func(m *model.Model) { m.ManagedPolicies = append(m.ManagedPolicies, mp) })
		return true
	})
}
