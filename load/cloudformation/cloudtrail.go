package cloudformation

import "github.com/logpath/logpath/model"

// trail reads AWS::CloudTrail::Trail.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html
func (l *loader) trail(res *resource) error {
	t := &model.Trail{Origin: l.origin(res), Account: l.account(), Region: l.region()}
	t.Name = value(l.r.resourceRef(res))
	t.ARN = value(l.r.getAtt(res.id, "Arn"))
	t.IsLogging = l.boolProp(res, "IsLogging", model.Unknown[bool]("%s: IsLogging is required", res.id))
	t.IsOrganizationTrail = l.boolProp(res, "IsOrganizationTrail", model.Known(false))
	if org, ok := t.IsOrganizationTrail.Get(); org || !ok {
		t.OrganizationID = model.Unknown[string]("the ID of the organization is not in the template (give it with --organization-id)")
	}
	var v *val
	if t.S3BucketName, v = l.prop(res, "S3BucketName", model.Unknown[string]("%s: S3BucketName is required", res.id)); v != nil {
		t.BucketRef = l.refID(v.ref)
	}
	t.S3KeyPrefix, _ = l.prop(res, "S3KeyPrefix", model.Known(""))
	if t.KMSKeyID, v = l.prop(res, "KMSKeyId", model.Known("")); v != nil {
		t.KeyRef = l.refID(v.ref)
	}
	if t.CloudWatchLogsLogGroupARN, v = l.prop(res, "CloudWatchLogsLogGroupArn", model.Known("")); v != nil {
		t.LogGroupRef = l.refID(v.ref)
	}
	if t.CloudWatchLogsRoleARN, v = l.prop(res, "CloudWatchLogsRoleArn", model.Known("")); v != nil {
		t.RoleRef = l.refID(v.ref)
	}
	l.m.Trails = append(l.m.Trails, t)
	return nil
}

// boolProp resolves a boolean property; def when it is absent.
func (l *loader) boolProp(res *resource, name string, def model.Value[bool]) model.Value[bool] {
	v := l.path(res, name)
	if v == nil || v == noValue {
		return def
	}
	return boolean(v, false)
}
