package terraform

import "github.com/logpath/logpath/model"

// trail reads aws_cloudtrail.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail
func (l *loader) trail(r *resource) error {
	t := &model.Trail{Origin: r.origin}
	var err error
	if t.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	if t.ARN, err = l.str(r.v.get("arn"), model.Value[string]{}); err != nil {
		return err
	}
	t.Account, t.Region = l.account(r, t.ARN), l.region(r, t.ARN)
	if t.IsLogging, err = l.boolean(r.v.get("enable_logging"), model.Known(true)); err != nil {
		return err
	}
	if t.IsOrganizationTrail, err = l.boolean(r.v.get("is_organization_trail"), model.Known(false)); err != nil {
		return err
	}
	if org, ok := t.IsOrganizationTrail.Get(); org || !ok {
		t.OrganizationID = model.Unknown[string]("the ID of the organization is not in the %s (give it with --organization-id)", l.source())
		if l.orgID != "" {
			// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/organizations_organization
			t.OrganizationID = model.Known(l.orgID)
		}
	}
	for _, f := range []struct {
		attr string
		to   *model.Value[string]
		def  model.Value[string]
	}{
		{"s3_bucket_name", &t.S3BucketName, model.Unknown[string]("%s has no s3_bucket_name", r.addr)},
		{"s3_key_prefix", &t.S3KeyPrefix, model.Known("")},
		{"kms_key_id", &t.KMSKeyID, model.Known("")},
		{"cloud_watch_logs_group_arn", &t.CloudWatchLogsLogGroupARN, model.Known("")},
		{"cloud_watch_logs_role_arn", &t.CloudWatchLogsRoleARN, model.Known("")},
	} {
		if *f.to, err = l.str(r.v.get(f.attr), f.def); err != nil {
			return err
		}
	}
	exprs := r.cfgExprs()
	if b, _ := l.follow(r, exprs, "s3_bucket_name", t.S3BucketName, kinds{"aws_s3_bucket": {"id", "bucket"}}); b != nil {
		t.BucketRef = b.addr
	}
	if k, _ := l.follow(r, exprs, "kms_key_id", t.KMSKeyID, kinds{"aws_kms_key": {"arn", "key_id", "id"}, "aws_kms_alias": {"arn", "name", "id"}}); k != nil {
		t.KeyRef = k.addr
	}
	// "${aws_cloudwatch_log_group.trail.arn}:*" names the group but is
	// not its arn: the reference is followed while the value is unknown.
	if g, _ := l.follow(r, exprs, "cloud_watch_logs_group_arn", t.CloudWatchLogsLogGroupARN, kinds{"aws_cloudwatch_log_group": {"arn"}}); g != nil {
		t.LogGroupRef = g.addr
	}
	if role, _ := l.follow(r, exprs, "cloud_watch_logs_role_arn", t.CloudWatchLogsRoleARN, kinds{"aws_iam_role": {"arn"}}); role != nil {
		t.RoleRef = role.addr
	}
	l.m.Trails = append(l.m.Trails, t)
	return nil
}
