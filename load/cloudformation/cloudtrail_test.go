package cloudformation

import (
	"path/filepath"
	"testing"

	"github.com/logpath/logpath/delivery"
)

// The CloudTrail example: a trail with its own KMS key, to S3 and to
// CloudWatch Logs, broken (the key policy lacks cloudtrail.amazonaws.com,
// the bucket policy misses the prefix, the role trusts another service)
// and fixed.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
func TestTrailExamples(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "cloudtrail-s3-kms", "cloudformation")
	const OK, FAIL = delivery.OK, delivery.FAIL
	broken := delivery.Analyze(loadFile(t, filepath.Join(dir, "broken.yaml"), seedOpts))
	if len(broken) != 2 || broken[0].Source.Type != "cloudtrail" || broken[0].Source.Name != "management-events" {
		t.Fatalf("broken: %+v", broken)
	}
	want := []map[string]delivery.Verdict{
		{"cloudtrail.trail": OK, "s3.bucket": OK, "s3.bucket-policy": FAIL, "s3.encryption": OK, "kms.key-state": OK, "kms.key-policy": FAIL},
		{"cloudtrail.trail": OK, "logs.log-group": OK, "iam.role-trust": FAIL, "iam.role-permissions": OK},
	}
	for i, d := range broken {
		for _, g := range d.Gates {
			if w, ok := want[i][g.ID]; !ok || w != g.Verdict {
				t.Errorf("broken delivery %d: %s = %v (%s), want %v", i, g.ID, g.Verdict, g.Reason, w)
			}
		}
		if len(d.Gates) != len(want[i]) {
			t.Errorf("broken delivery %d: %d gates, want %d", i, len(d.Gates), len(want[i]))
		}
	}
	if g := gate(broken, "kms.key-policy"); g == nil || g.Fix == nil || g.Location.Line == 0 {
		t.Errorf("kms.key-policy = %+v", g)
	}
	fixed := delivery.Analyze(loadFile(t, filepath.Join(dir, "fixed.yaml"), seedOpts))
	if len(fixed) != 2 {
		t.Fatalf("fixed: %d deliveries", len(fixed))
	}
	for _, d := range fixed {
		if d.Verdict != OK {
			t.Errorf("fixed: %s -> %s is %v: %+v", d.Source.ID, d.Destination.Type, d.Verdict, d.Gates)
		}
	}
	// Without --account and --region nothing can be decided, and nothing is OK.
	for _, d := range delivery.Analyze(loadFile(t, filepath.Join(dir, "fixed.yaml"), Options{})) {
		if d.Verdict != delivery.UNKNOWN {
			t.Errorf("fixed without an account: %s is %v", d.Destination.Type, d.Verdict)
		}
	}
}

const trailTemplate = `Parameters:
  Logging: {Type: String}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  KeyAlias:
    Type: AWS::KMS::Alias
    Properties: {AliasName: alias/trail, TargetKeyId: !Ref Key}
  Key:
    Type: AWS::KMS::Key
  Group:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: trail-events}
  Role:
    Type: AWS::IAM::Role
    Properties: {RoleName: trail-role}
  OrgTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: !Ref Logging
      IsOrganizationTrail: true
      S3BucketName: !Ref Bucket
      S3KeyPrefix: org
      KMSKeyId: !Ref KeyAlias
      CloudWatchLogsLogGroupArn: !GetAtt Group.Arn
      CloudWatchLogsRoleArn: !GetAtt Role.Arn
  Named:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: named
      IsLogging: "false"
      S3BucketName: amzn-s3-demo-elsewhere
  Copy:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${Named}-copy"
      Tags: [{Key: trail, Value: !GetAtt Named.Arn}]
`

// Every property of a trail, and what a template cannot know: a generated
// name, a parameter without a default, the organization's ID.
func TestTrailProperties(t *testing.T) {
	m, err := Load("t.yaml", []byte(trailTemplate), seedOpts)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Trails) != 2 {
		t.Fatalf("%d trails", len(m.Trails))
	}
	org, named := m.Trails[0], m.Trails[1]
	if org.ID != "OrgTrail" || org.Line != 18 || org.Name.Known() || org.ARN.Known() {
		t.Errorf("org trail %+v", org)
	}
	if org.IsLogging.Known() || org.IsLogging.Reason() == "" || !org.IsOrganizationTrail.Or(false) || org.OrganizationID.Known() {
		t.Errorf("org trail flags: logging %+v, organization %+v %+v", org.IsLogging, org.IsOrganizationTrail, org.OrganizationID)
	}
	if org.BucketRef != "Bucket" || org.KeyRef != "KeyAlias" || org.LogGroupRef != "Group" || org.RoleRef != "Role" || org.S3KeyPrefix.Or("") != "org" {
		t.Errorf("org trail refs %q %q %q %q, prefix %+v", org.BucketRef, org.KeyRef, org.LogGroupRef, org.RoleRef, org.S3KeyPrefix)
	}
	if arn := org.CloudWatchLogsLogGroupARN.Or(""); arn != "arn:aws:logs:ap-northeast-1:111122223333:log-group:trail-events:*" {
		t.Errorf("log group ARN %q", arn)
	}
	if named.Name.Or("") != "named" || named.ARN.Or("") != "arn:aws:cloudtrail:ap-northeast-1:111122223333:trail/named" ||
		named.IsLogging.Or(true) || named.IsOrganizationTrail.Or(true) || !named.OrganizationID.IsZero() ||
		named.KMSKeyID.Or("x") != "" || named.CloudWatchLogsRoleARN.Or("x") != "" || named.S3KeyPrefix.Or("x") != "" {
		t.Errorf("named trail %+v", named)
	}
	// Ref gives the trail's name.
	if b := m.Buckets[1]; b.Name.Or("") != "named-copy" {
		t.Errorf("Ref to a trail: %+v", b.Name)
	}
	ds := delivery.Analyze(m)
	verdicts := map[string]delivery.Verdict{}
	for _, d := range ds {
		for _, g := range d.Gates {
			verdicts[d.Source.ID+" "+string(d.Destination.Type)+" "+g.ID] = g.Verdict
		}
	}
	for k, want := range map[string]delivery.Verdict{
		"OrgTrail S3 cloudtrail.trail":                 delivery.UNKNOWN, // IsLogging from a parameter without default
		"OrgTrail S3 s3.bucket-policy":                 delivery.UNKNOWN, // the trail's name and the organization's ID
		"OrgTrail CloudWatchLogs iam.role-permissions": delivery.UNKNOWN,
		"Named S3 cloudtrail.trail":                    delivery.FAIL,
		"Named S3 s3.bucket":                           delivery.UNKNOWN,
		"OrgTrail CloudWatchLogs cloudtrail.trail":     delivery.UNKNOWN,
		"OrgTrail CloudWatchLogs logs.log-group":       delivery.OK,
		"OrgTrail S3 s3.bucket":                        delivery.OK,
		"OrgTrail S3 s3.encryption":                    delivery.OK,
		"OrgTrail S3 kms.key-state":                    delivery.OK,
		"OrgTrail S3 kms.key-policy":                   delivery.UNKNOWN,
	} {
		if got, ok := verdicts[k]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, want)
		}
	}
}
