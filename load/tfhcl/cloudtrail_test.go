package tfhcl

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

var trailOpts = Options{Account: "111122223333", Region: "ap-northeast-1"}

// The CloudTrail example: a trail with its own KMS key, to S3 and to
// CloudWatch Logs, broken (the key policy lacks cloudtrail.amazonaws.com,
// the bucket has no policy, the log group ARN lacks ":*") and fixed.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
func TestTrailExamples(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "cloudtrail-s3-kms", "terraform")
	broken := delivery.Analyze(load(t, filepath.Join(dir, "broken"), trailOpts))
	if len(broken) != 2 {
		t.Fatalf("%d deliveries", len(broken))
	}
	for _, tt := range []struct {
		delivery int
		gate     string
		want     delivery.Verdict
	}{
		{0, "cloudtrail.trail", delivery.OK},
		{0, "s3.bucket-policy", delivery.FAIL},
		{0, "s3.encryption", delivery.OK},
		{0, "kms.key-policy", delivery.FAIL},
		{1, "cloudtrail.trail", delivery.WARN},
		{1, "logs.log-group", delivery.OK},
		{1, "iam.role-trust", delivery.OK},
		{1, "iam.role-permissions", delivery.OK},
	} {
		if g := gate(broken[tt.delivery], tt.gate); g == nil || g.Verdict != tt.want {
			t.Errorf("broken %s: %s = %+v, want %v", broken[tt.delivery].Destination.Type, tt.gate, g, tt.want)
		}
	}
	if g := gate(broken[0], "s3.bucket-policy"); g == nil || g.Fix == nil || len(g.Fix.Statements) != 2 {
		t.Errorf("s3.bucket-policy fix %+v", g)
	}
	fixed := delivery.Analyze(load(t, filepath.Join(dir, "fixed"), trailOpts))
	if len(fixed) != 2 {
		t.Fatalf("fixed: %d deliveries", len(fixed))
	}
	for _, d := range fixed {
		if d.Verdict != delivery.OK {
			t.Errorf("fixed: %s is %v: %+v", d.Destination.Type, d.Verdict, d.Gates)
		}
	}
}

const trailMain = `
variable "logging" {
  type = bool
}

resource "aws_s3_bucket" "trail" {
  bucket = "amzn-s3-demo-trail"
}

resource "aws_kms_key" "trail" {}

resource "aws_cloudwatch_log_group" "trail" {
  name = "trail-events"
}

resource "aws_iam_role" "trail" {
  name               = "trail-role"
  assume_role_policy = "{}"
}

resource "aws_cloudtrail" "org" {
  name                       = "org"
  s3_bucket_name             = aws_s3_bucket.trail.id
  kms_key_id                 = aws_kms_key.trail.arn
  is_organization_trail      = true
  enable_logging             = var.logging
  cloud_watch_logs_group_arn = format("%s:*", aws_cloudwatch_log_group.trail.arn)
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
}

resource "aws_cloudtrail" "plain" {
  name           = "plain"
  s3_bucket_name = "amzn-s3-demo-elsewhere"
  enable_logging = false
}

resource "aws_s3_bucket" "named" {
  bucket = replace(aws_cloudtrail.plain.arn, ":", "-")
}

resource "aws_cloudtrail" "counted" {
  count          = length(aws_kms_key.trail.arn) > 0 ? 1 : 0
  name           = "counted"
  s3_bucket_name = aws_s3_bucket.trail.id
}
`

// Every argument of aws_cloudtrail, the references inside templates and
// function calls, and what the configuration cannot know.
func TestTrailArguments(t *testing.T) {
	m := load(t, writeDir(t, map[string]string{"main.tf": trailMain}), trailOpts)
	if len(m.Trails) != 3 {
		t.Fatalf("%d trails: %s", len(m.Trails), dump(t, m))
	}
	byID := map[string]*model.Trail{}
	for _, tr := range m.Trails {
		byID[tr.ID] = tr
	}
	org, plain, counted := byID["aws_cloudtrail.org"], byID["aws_cloudtrail.plain"], byID["aws_cloudtrail.counted"]
	if org == nil || plain == nil || counted == nil {
		t.Fatalf("trails %s", dump(t, m))
	}
	if org.Name.Or("") != "org" || org.ARN.Or("") != "arn:aws:cloudtrail:ap-northeast-1:111122223333:trail/org" {
		t.Errorf("org trail %+v", org)
	}
	if org.IsLogging.Known() || !org.IsOrganizationTrail.Or(false) || org.OrganizationID.Known() || org.S3KeyPrefix.Or("x") != "" {
		t.Errorf("org trail flags %+v %+v %+v", org.IsLogging, org.IsOrganizationTrail, org.OrganizationID)
	}
	if org.BucketRef != "aws_s3_bucket.trail" || org.KeyRef != "aws_kms_key.trail" || org.LogGroupRef != "aws_cloudwatch_log_group.trail" || org.RoleRef != "aws_iam_role.trail" {
		t.Errorf("org trail refs %q %q %q %q", org.BucketRef, org.KeyRef, org.LogGroupRef, org.RoleRef)
	}
	if arn := org.CloudWatchLogsLogGroupARN.Or(""); arn != "arn:aws:logs:ap-northeast-1:111122223333:log-group:trail-events:*" {
		t.Errorf("log group ARN %q", arn)
	}
	if plain.IsLogging.Or(true) || plain.IsOrganizationTrail.Or(true) || !plain.OrganizationID.IsZero() || plain.KMSKeyID.Or("x") != "" ||
		plain.CloudWatchLogsLogGroupARN.Or("x") != "" || plain.BucketRef != "" {
		t.Errorf("plain trail %+v", plain)
	}
	if b := m.Buckets[1]; b.Name.Or("") != "arn-aws-cloudtrail-ap-northeast-1-111122223333-trail/plain" {
		t.Errorf("aws_cloudtrail.plain.arn: %+v", b.Name)
	}
	if counted.Name.Known() || counted.IsLogging.Known() || counted.S3BucketName.Known() {
		t.Errorf("a trail whose count is unknown %+v", counted)
	}
	for _, d := range delivery.Analyze(m) {
		if d.Source.ID == "aws_cloudtrail.plain" {
			if g := gate(d, "cloudtrail.trail"); g == nil || g.Verdict != delivery.FAIL {
				t.Errorf("plain: cloudtrail.trail %+v", g)
			}
			continue
		}
		if d.Verdict != delivery.UNKNOWN {
			t.Errorf("%s -> %s is %v, want UNKNOWN", d.Source.ID, d.Destination.Type, d.Verdict)
		}
	}
}

// data.aws_organizations_organization's id is --organization-id, or unknown
// with the flag to give.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/organizations_organization
func TestOrganizationDataSource(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.tf": `
data "aws_organizations_organization" "current" {}

resource "aws_s3_bucket" "trail" {
  bucket = "amzn-s3-demo-org-trail"
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.trail.arn}/AWSLogs/${data.aws_organizations_organization.current.id}/*"
    }]
  })
}
`})
	for _, tt := range []struct {
		orgID, want string
	}{
		{"o-exampleorgid", `"Resource":"arn:aws:s3:::amzn-s3-demo-org-trail/AWSLogs/o-exampleorgid/*"`},
		{"", "data.aws_organizations_organization.current.id) is known when Terraform runs; give it with --organization-id"},
	} {
		m := load(t, dir, Options{Account: "111122223333", Region: "ap-northeast-1", OrganizationID: tt.orgID})
		doc, known := m.Buckets[0].Policy.Get()
		var got string
		switch {
		case !known:
			got = m.Buckets[0].Policy.Reason()
		case doc != nil:
			got = doc.JSON.Or(doc.JSON.Reason())
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("--organization-id %q: bucket policy %q, want %q in it", tt.orgID, got, tt.want)
		}
	}
}
