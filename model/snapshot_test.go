package model_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

// flowLogSnapshot is a flow log to CloudWatch Logs through a role with an
// inline policy, an attached managed policy and a managed policy's text.
const flowLogSnapshot = `{
  "version": 1,
  "flowLogs": [{
    "id": "VpcFlowLog",
    "flowLogId": {"unknown": "generated when the flow log is created"},
    "account": "111122223333", "region": "ap-northeast-1",
    "resourceId": "vpc-0123456789abcdef0", "trafficType": "ALL",
    "logDestinationType": "cloud-watch-logs",
    "logDestination": "arn:aws:logs:ap-northeast-1:111122223333:log-group:/vpc/flow-logs:*",
    "deliverLogsPermissionArn": "arn:aws:iam::111122223333:role/flow-logs-publisher",
    "destinationOptions": {"fileFormat": "plain-text", "hiveCompatiblePartitions": {"unknown": "parameter Hive"}, "perHourPartition": true}
  }],
  "iamRoles": [{
    "name": "flow-logs-publisher", "arn": "arn:aws:iam::111122223333:role/flow-logs-publisher", "account": "111122223333",
    "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
    "inlinePolicies": [{"name": "publish",
      "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}}],
    "managedPolicies": [{"arn": "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"}],
    "permissionsBoundary": ""
  }],
  "managedPolicies": [{"name": "CloudWatchLogsFullAccess", "arn": "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
    "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}}]
}`

func TestReadFlowLogSnapshot(t *testing.T) {
	m, err := model.ReadSnapshot("s.json", []byte(flowLogSnapshot))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.FlowLogs) != 1 || len(m.Roles) != 1 || len(m.ManagedPolicies) != 1 {
		t.Fatalf("got %d flow logs, %d roles, %d managed policies", len(m.FlowLogs), len(m.Roles), len(m.ManagedPolicies))
	}
	fl := m.FlowLogs[0]
	if fl.ID != "VpcFlowLog" || fl.Line != 3 || fl.DestinationType.Or("") != model.FlowLogToLogs || fl.FlowLogID.Known() {
		t.Errorf("flow log %+v", fl)
	}
	opts, _ := fl.DestinationOptions.Get()
	if opts == nil || opts.HiveCompatiblePartitions.Reason() != "parameter Hive" || !opts.PerHourPartition.Or(false) {
		t.Errorf("destination options %+v", opts)
	}
	r := m.Roles[0]
	inline, _ := r.InlinePolicies.Get()
	trust, _ := r.TrustPolicy.Get()
	if len(inline) != 1 || trust == nil || trust.Line != 15 {
		t.Fatalf("role %+v, trust %+v", r, trust)
	}
	// Inline documents keep their place in the file, for deciding statements.
	if doc, _ := inline[0].Policy.Get(); doc == nil || doc.File != "s.json" || doc.Line != 17 {
		t.Errorf("inline policy %+v", doc)
	}
	if at, _ := r.ManagedPolicies.Get(); len(at) != 1 || at[0].ARN.Or("") != "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess" {
		t.Errorf("attachments %+v", at)
	}
	if p, _ := m.ManagedPolicies[0].Policy.Get(); p == nil || p.Line != 22 {
		t.Errorf("managed policy %+v", p)
	}
	// Written and read again, the model is the same.
	out, err := model.WriteSnapshot(m)
	if err != nil {
		t.Fatal(err)
	}
	again, err := model.ReadSnapshot("again.json", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if again.FlowLogs[0].Destination.Or("") != fl.Destination.Or("x") || again.Roles[0].Name.Or("") != "flow-logs-publisher" {
		t.Errorf("round trip: %s", out)
	}
}

func TestReadSnapshotErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{"version": 1, "flowLogs": [{"trafficType": 7}]}`, `s.json:1:45 ($.flowLogs[0].trafficType): expected string`},
		{`{"version": 1, "iamRoles": [{"inlinePolicies": [{"nme": "x"}]}]}`, `unknown field "nme"`},
		{`{"version": 1, "flowLogs": {}}`, `($.flowLogs): expected a list`},
	} {
		_, err := model.ReadSnapshot("s.json", []byte(tt.in))
		var ie *model.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.in, err, tt.want)
		}
	}
}

// FuzzReadSnapshot: any input is a model or an InputError, never a panic,
// and a model that reads is analyzed without a panic.
func FuzzReadSnapshot(f *testing.F) {
	f.Add([]byte(flowLogSnapshot))
	f.Add([]byte(trailSnapshot))
	for _, g := range []string{"../examples/seed/*.json", "../examples/*/*.json"} {
		files, _ := filepath.Glob(g)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"version": 1, "flowLogs": [null, {"logDestinationType": "s3", "logDestination": "arn:aws:s3:::b/"}], "iamRoles": [{"inlinePolicies": [null]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := model.ReadSnapshot("f.json", data)
		if err != nil {
			var ie *model.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("not an InputError: %T %v", err, err)
			}
			return
		}
		delivery.Analyze(m)
	})
}

// trailSnapshot is an organization trail to an S3 bucket with its own KMS
// key, and to a log group through a role.
const trailSnapshot = `{
  "version": 1,
  "trails": [{
    "id": "OrgTrail",
    "name": "org-trail", "account": "111122223333", "region": "ap-northeast-1",
    "isLogging": true, "isOrganizationTrail": true, "organizationId": "o-a1b2c3d4e5",
    "s3BucketName": "amzn-s3-demo-trail", "s3KeyPrefix": "",
    "kmsKeyId": "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "cloudWatchLogsLogGroupArn": {"unknown": "known only after apply"},
    "cloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/trail-to-logs",
    "logGroupRef": "TrailGroup"
  }]
}`

func TestReadTrailSnapshot(t *testing.T) {
	m, err := model.ReadSnapshot("s.json", []byte(trailSnapshot))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Trails) != 1 {
		t.Fatalf("got %d trails", len(m.Trails))
	}
	tr := m.Trails[0]
	if tr.ID != "OrgTrail" || tr.Line != 3 || tr.Name.Or("") != "org-trail" || !tr.IsLogging.Or(false) || !tr.IsOrganizationTrail.Or(false) ||
		tr.OrganizationID.Or("") != "o-a1b2c3d4e5" || tr.LogGroupRef != "TrailGroup" {
		t.Errorf("trail %+v", tr)
	}
	if tr.CloudWatchLogsLogGroupARN.Known() || tr.CloudWatchLogsLogGroupARN.Reason() != "known only after apply" {
		t.Errorf("log group ARN %+v", tr.CloudWatchLogsLogGroupARN)
	}
	if tr.ARN.Known() || tr.ARN.Reason() != "not given" {
		t.Errorf("an absent ARN is unknown, not given: %+v", tr.ARN)
	}
	out, err := model.WriteSnapshot(m)
	if err != nil {
		t.Fatal(err)
	}
	again, err := model.ReadSnapshot("again.json", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if a := again.Trails[0]; a.KMSKeyID.Or("") != tr.KMSKeyID.Or("x") || a.CloudWatchLogsLogGroupARN.Reason() != "known only after apply" {
		t.Errorf("round trip: %s", out)
	}
	_, err = model.ReadSnapshot("s.json", []byte(`{"version": 1, "trails": [{"isLogging": "yes"}]}`))
	var ie *model.InputError
	if !errors.As(err, &ie) || ie.Path != "$.trails[0].isLogging" {
		t.Errorf("a string for isLogging: %v", err)
	}
}
