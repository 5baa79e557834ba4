package terraform

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
)

// The CloudTrail example as a plan: the trail's bucket, key, log group and
// role are known only after apply and linked by references; the key policy
// lacks cloudtrail.amazonaws.com and the bucket has no policy.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
func TestTrailPlan(t *testing.T) {
	m := load(t, "cloudtrail-plan.json", Options{Account: acct})
	if len(m.Trails) != 1 {
		t.Fatalf("%d trails", len(m.Trails))
	}
	tr := m.Trails[0]
	unknown(t, "arn", tr.ARN, "after apply")
	unknown(t, "s3_bucket_name", tr.S3BucketName, "after apply")
	unknown(t, "kms_key_id", tr.KMSKeyID, "after apply")
	if known(t, "name", tr.Name) != "management-events" || known(t, "region", tr.Region) != "ap-northeast-1" || !known(t, "enable_logging", tr.IsLogging) ||
		known(t, "is_organization_trail", tr.IsOrganizationTrail) || known(t, "s3_key_prefix", tr.S3KeyPrefix) != "trail" || !tr.OrganizationID.IsZero() {
		t.Errorf("trail %+v", tr)
	}
	if tr.BucketRef != "aws_s3_bucket.trail" || tr.KeyRef != "aws_kms_key.trail" || tr.LogGroupRef != "aws_cloudwatch_log_group.trail" || tr.RoleRef != "aws_iam_role.trail" {
		t.Errorf("refs %q %q %q %q", tr.BucketRef, tr.KeyRef, tr.LogGroupRef, tr.RoleRef)
	}
	ds := delivery.Analyze(m)
	if len(ds) != 2 {
		t.Fatalf("%d deliveries", len(ds))
	}
	for i, want := range []map[string]delivery.Verdict{
		{"cloudtrail.trail": delivery.OK, "s3.bucket": delivery.OK, "s3.bucket-policy": delivery.FAIL, "s3.encryption": delivery.OK, "kms.key-policy": delivery.FAIL},
		{"cloudtrail.trail": delivery.OK, "logs.log-group": delivery.OK, "iam.role-trust": delivery.OK, "iam.role-permissions": delivery.OK},
	} {
		for id, w := range want {
			if g := gate(t, &ds[i], id); g.Verdict != w {
				t.Errorf("delivery %d: %s = %v, want %v: %s", i, id, g.Verdict, w, g.Reason)
			}
		}
	}
	// The request names the trail's ARN, built from its name, account and
	// Region while the arn attribute is unknown.
	if g := gate(t, &ds[0], "kms.key-policy"); g.Request.Context["kms:EncryptionContext:aws:cloudtrail:arn"][0] != "arn:aws:cloudtrail:ap-northeast-1:"+acct+":trail/management-events" {
		t.Errorf("kms.key-policy request %+v", g.Request)
	}
}

// An organization trail in a plan: the organization's ID is not in it, so
// the S3 requests cannot be built, unless the plan read it with an
// aws_organizations_organization data source; a wrong type is an error at
// its path.
func TestTrailPlanVariants(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "cloudtrail-plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(values map[string]any)) []byte {
		var plan map[string]any
		if err := json.Unmarshal(data, &plan); err != nil {
			t.Fatal(err)
		}
		for _, r := range plan["planned_values"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any) {
			if r := r.(map[string]any); r["type"] == "aws_cloudtrail" {
				f(r["values"].(map[string]any))
			}
		}
		out, _ := json.Marshal(plan)
		return out
	}
	m, err := Load("plan.json", edit(func(v map[string]any) { v["is_organization_trail"] = true }), Options{Account: acct})
	if err != nil {
		t.Fatal(err)
	}
	unknown(t, "organization ID", m.Trails[0].OrganizationID, "not in the plan")
	if d := delivery.Analyze(m)[0]; gate(t, &d, "s3.bucket-policy").Verdict != delivery.UNKNOWN {
		t.Errorf("organization trail: s3.bucket-policy %+v", gate(t, &d, "s3.bucket-policy"))
	}
	// With the organization read by a data source, the plan says it.
	var plan map[string]any
	if err := json.Unmarshal(edit(func(v map[string]any) { v["is_organization_trail"] = true }), &plan); err != nil {
		t.Fatal(err)
	}
	root := plan["planned_values"].(map[string]any)["root_module"].(map[string]any)
	root["resources"] = append(root["resources"].([]any), map[string]any{"address": "data.aws_organizations_organization.current", "mode": "data",
		"type": "aws_organizations_organization", "name": "current", "provider_name": "registry.terraform.io/hashicorp/aws",
		"schema_version": 0, "values": map[string]any{"id": "o-exampleorgid", "master_account_id": acct}})
	withData, _ := json.Marshal(plan)
	if m, err = Load("plan.json", withData, Options{Account: acct}); err != nil {
		t.Fatal(err)
	}
	if id, _ := m.Trails[0].OrganizationID.Get(); id != "o-exampleorgid" {
		t.Errorf("organization ID with the data source: %+v", m.Trails[0].OrganizationID)
	}
	_, err = Load("plan.json", edit(func(v map[string]any) { v["enable_logging"] = "yes" }), Options{Account: acct})
	var e *Error
	if err == nil || !strings.Contains(err.Error(), "enable_logging") {
		t.Errorf("enable_logging as a string: %v", err)
	} else if !errors.As(err, &e) || e.Line == 0 {
		t.Errorf("the error has no line: %v", err)
	}
}
