package tfhcl

import (
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/logpath/logpath/model"
)

// trail reads aws_cloudtrail.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail
func (bd *builder) trail(r ri) {
	body, in := r.b.Body, r.in
	t := &model.Trail{Origin: r.origin(), Account: r.account(), Region: r.region()}
	t.Name = r.sv(body, in, "name", model.Unknown[string]("%s: name is required", in.addr))
	t.ARN = mval(r.m.attr(r.b, in, "arn"))
	t.IsLogging = r.bv(body, in, "enable_logging", true)
	t.IsOrganizationTrail = r.bv(body, in, "is_organization_trail", false)
	if org, ok := t.IsOrganizationTrail.Get(); org || !ok {
		t.OrganizationID = model.Unknown[string]("the ID of the organization is not in the configuration (give it with --organization-id)")
	}
	t.S3BucketName = r.sv(body, in, "s3_bucket_name", model.Unknown[string]("%s: s3_bucket_name is required", in.addr))
	t.S3KeyPrefix = r.sv(body, in, "s3_key_prefix", model.Known(""))
	t.KMSKeyID = r.sv(body, in, "kms_key_id", model.Known(""))
	t.CloudWatchLogsLogGroupARN = r.sv(body, in, "cloud_watch_logs_group_arn", model.Known(""))
	t.CloudWatchLogsRoleARN = r.sv(body, in, "cloud_watch_logs_role_arn", model.Known(""))
	if tg, ok := r.refTo(body, in, "s3_bucket_name", func(tg target) bool { return !tg.data && tg.typ == "aws_s3_bucket" }); ok {
		t.BucketRef = tg.addr
	}
	if tg, ok := r.refTo(body, in, "kms_key_id", isKey); ok {
		t.KeyRef = tg.addr
	}
	// "${aws_cloudwatch_log_group.trail.arn}:*": CloudTrail wants the
	// log-stream wildcard, so the reference is inside a template.
	if tg, ok := r.refTo(body, in, "cloud_watch_logs_group_arn", func(tg target) bool { return !tg.data && tg.typ == "aws_cloudwatch_log_group" }); ok {
		t.LogGroupRef = tg.addr
	}
	if tg, ok := r.refTo(body, in, "cloud_watch_logs_role_arn", func(tg target) bool { return !tg.data && tg.typ == "aws_iam_role" }); ok {
		t.RoleRef = tg.addr
	}
	bd.m.Trails = append(bd.m.Trails, t)
}

// unknownTrail is a trail whose count or for_each is not known: whether
// it exists, and all it says, is unknown.
func unknownTrail(r ri, why string) *model.Trail {
	u := model.Unknown[string]("%s", why)
	return &model.Trail{Origin: r.origin(), Account: r.account(), Region: r.region(), Name: u, ARN: u,
		IsLogging: model.Unknown[bool]("%s", why), IsOrganizationTrail: model.Unknown[bool]("%s", why),
		S3BucketName: u, S3KeyPrefix: u, KMSKeyID: u, CloudWatchLogsLogGroupARN: u, CloudWatchLogsRoleARN: u}
}

// refTo is the one resource of a kind that an attribute refers to, as the
// whole value or inside a template or function call.
func (r ri) refTo(body *hclsyntax.Body, in inst, name string, want func(target) bool) (target, bool) {
	a := body.Attributes[name]
	if a == nil {
		return target{}, false
	}
	if tg, ok := r.m.refOf(a.Expr, in); ok {
		return tg, want(tg)
	}
	var hit target
	n := 0
	for _, tr := range a.Expr.Variables() {
		if tg, ok := r.m.refOf(&hclsyntax.ScopeTraversalExpr{Traversal: tr, SrcRange: tr.SourceRange()}, in); ok && want(tg) && tg.addr != hit.addr {
			hit, n = tg, n+1
		}
	}
	return hit, n == 1
}
