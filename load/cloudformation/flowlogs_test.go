package cloudformation

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

// The VPC flow log example: to S3 (the seed's failure) and to CloudWatch
// Logs through a role, broken and fixed.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
func TestFlowLogExamples(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "vpc-flow-logs-s3-kms", "cloudformation")
	const OK = delivery.OK
	verdicts := func(ds []delivery.Delivery) map[string]delivery.Verdict {
		out := map[string]delivery.Verdict{}
		for _, d := range ds {
			for _, g := range d.Gates {
				out[d.Source.ID+" "+g.ID] = g.Verdict
			}
		}
		return out
	}
	broken := delivery.Analyze(loadFile(t, filepath.Join(dir, "broken.yaml"), seedOpts))
	if len(broken) != 2 || broken[0].Source.Type != "vpc-flow-logs" || broken[0].Verdict != delivery.FAIL || broken[1].Verdict != delivery.FAIL {
		t.Fatalf("broken: %+v", broken)
	}
	for gate, want := range map[string]delivery.Verdict{
		"FlowLogToS3 s3.bucket-policy":             OK,
		"FlowLogToS3 kms.key-policy":               delivery.FAIL,
		"FlowLogToCloudWatch iam.role-trust":       delivery.FAIL,
		"FlowLogToCloudWatch iam.role-permissions": OK,
		"FlowLogToCloudWatch logs.kms-key-policy":  delivery.FAIL,
		"FlowLogToCloudWatch logs.log-group":       OK,
		"FlowLogToCloudWatch kms.key-state":        OK,
		"FlowLogToS3 s3.encryption":                OK,
		"FlowLogToS3 s3.bucket":                    OK,
	} {
		got, ok := verdicts(broken)[gate]
		if !ok || got != want {
			t.Errorf("broken: %s = %v (present %v), want %v", gate, got, ok, want)
		}
	}
	if g := gate(broken[1:], "iam.role-trust"); g == nil || g.Fix == nil || g.Location.Line == 0 {
		t.Errorf("iam.role-trust = %+v", g)
	}
	fixed := delivery.Analyze(loadFile(t, filepath.Join(dir, "fixed.yaml"), seedOpts))
	for _, d := range fixed {
		if d.Verdict != delivery.OK {
			t.Errorf("fixed: %s is %v: %+v", d.Source.ID, d.Verdict, d.Gates)
		}
	}
	// Without --account nothing can be decided, and nothing is OK.
	for _, d := range delivery.Analyze(loadFile(t, filepath.Join(dir, "fixed.yaml"), Options{})) {
		if d.Verdict != delivery.UNKNOWN {
			t.Errorf("fixed without an account: %s is %v", d.Source.ID, d.Verdict)
		}
	}
}

const flowLogTemplate = `Parameters:
  OtherRole: {Type: String}
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: amzn-s3-demo-flow-logs}
  ToS3:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: vpc-0123456789abcdef0
      TrafficType: ACCEPT
      LogDestinationType: s3
      LogDestination: !Sub "${Bucket.Arn}/vpc/"
      DestinationOptions: {FileFormat: parquet, HiveCompatiblePartitions: true, PerHourPartition: "false"}
  ToFirehose:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: tgw-0123456789abcdef0
      ResourceType: TransitGateway
      LogDestinationType: kinesis-data-firehose
      LogDestination: arn:aws:firehose:ap-northeast-1:444455556666:deliverystream/flows
      DeliverCrossAccountRole: arn:aws:iam::111122223333:role/cross
  Group:
    Type: AWS::Logs::LogGroup
  Role:
    Type: AWS::IAM::Role
    Properties:
      Path: /logs/
      RoleName: publisher
      AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
      Policies:
        - PolicyName: own
          PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "logs:*", Resource: "*"}]}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/CloudWatchLogsFullAccess
        - !Ref Managed
      PermissionsBoundary: !Ref Managed
  ToLogs:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: subnet-0123456789abcdef0
      ResourceType: Subnet
      TrafficType: ALL
      LogGroupName: !Ref Group
      DeliverLogsPermissionArn: !GetAtt Role.Arn
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: logs-writer
      PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "logs:PutLogEvents", Resource: "*"}]}
      Roles: [!Ref Role]
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "s3:*", Resource: "*"}]}
      Roles: [publisher]
  ByName:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: !Ref Role
      PolicyName: by-name
      PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "logs:CreateLogStream", Resource: "*"}]}
`

// The loader translates AWS::EC2::FlowLog and the IAM resources as they
// are written, linking references; it decides nothing.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-flowlog.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html
func TestFlowLogResources(t *testing.T) {
	m, err := Load("t.yaml", []byte(flowLogTemplate), seedOpts)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.FlowLogs) != 3 || len(m.Roles) != 1 || len(m.ManagedPolicies) != 1 {
		t.Fatalf("%d flow logs, %d roles, %d managed policies", len(m.FlowLogs), len(m.Roles), len(m.ManagedPolicies))
	}
	byID := map[string]*model.FlowLog{}
	for _, fl := range m.FlowLogs {
		byID[fl.ID] = fl
	}
	s3 := byID["ToS3"]
	opts, _ := s3.DestinationOptions.Get()
	if s3.Destination.Or("") != "arn:aws:s3:::amzn-s3-demo-flow-logs/vpc/" || s3.DestinationRef != "Bucket" || s3.TrafficType.Or("") != "ACCEPT" ||
		opts == nil || opts.FileFormat.Or("") != "parquet" || !opts.HiveCompatiblePartitions.Or(false) || opts.PerHourPartition.Or(true) ||
		s3.FlowLogID.Known() || s3.Account.Or("") != "111122223333" || s3.Line != 8 {
		t.Errorf("ToS3: %+v, options %+v", s3, opts)
	}
	fh := byID["ToFirehose"]
	if fh.DeliverCrossAccountRole.Or("") != "arn:aws:iam::111122223333:role/cross" || !fh.TrafficType.IsZero() || fh.DestinationType.Or("") != model.FlowLogToFirehose {
		t.Errorf("ToFirehose: %+v", fh)
	}
	logs := byID["ToLogs"]
	if logs.DestinationType.Or("") != model.FlowLogToLogs || logs.DestinationRef != "Group" || logs.LogGroupName.Known() ||
		logs.RoleRef != "Role" || logs.DeliverLogsPermissionARN.Or("") != "arn:aws:iam::111122223333:role/logs/publisher" {
		t.Errorf("ToLogs: %+v", logs)
	}
	r := m.Roles[0]
	inline, _ := r.InlinePolicies.Get()
	attached, _ := r.ManagedPolicies.Get()
	var names []string
	for _, ip := range inline {
		names = append(names, ip.Name.Or("?"))
	}
	if r.Name.Or("") != "publisher" || r.ID != "Role" || strings.Join(names, ",") != "own,extra,by-name" {
		t.Errorf("role %+v, inline %v", r, names)
	}
	if len(attached) != 3 || attached[0].ARN.Or("") != "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess" ||
		attached[1].Ref != "Managed" || attached[1].ARN.Or("") != "arn:aws:iam::111122223333:policy/logs-writer" || attached[2].Ref != "Managed" {
		t.Errorf("attached %+v", attached)
	}
	if r.PermissionsBoundaryRef != "Managed" || r.PermissionsBoundary.Or("") != "arn:aws:iam::111122223333:policy/logs-writer" {
		t.Errorf("boundary %+v %q", r.PermissionsBoundary, r.PermissionsBoundaryRef)
	}
	if trust, _ := r.TrustPolicy.Get(); trust == nil || !strings.Contains(trust.JSON.Or(""), "vpc-flow-logs") || !trust.Managed {
		t.Errorf("trust %+v", trust)
	}
	if mp := m.ManagedPolicies[0]; mp.ID != "Managed" || mp.Name.Or("") != "logs-writer" {
		t.Errorf("managed policy %+v", mp)
	}
}

// A policy added to a role that cannot be told could be any role's: no
// role's inline policies are known then.
func TestPolicyOnUnknownRole(t *testing.T) {
	src := strings.Replace(flowLogTemplate, "Roles: [publisher]", "Roles: [!Ref OtherRole]", 1)
	m, err := Load("t.yaml", []byte(src), seedOpts)
	if err != nil {
		t.Fatal(err)
	}
	if r := m.Roles[0]; r.InlinePolicies.Known() || !strings.Contains(r.InlinePolicies.Reason(), "OtherRole") {
		t.Errorf("inline policies %+v", r.InlinePolicies)
	}
	ds := delivery.Analyze(m)
	for _, d := range ds {
		if d.Source.ID == "ToLogs" && d.Verdict == delivery.OK {
			t.Errorf("ToLogs is OK with unknown inline policies")
		}
	}
}

func TestFlowLogErrors(t *testing.T) {
	for _, tt := range []struct {
		src, want string
		line      int
	}{
		{"Resources:\n  F:\n    Type: AWS::EC2::FlowLog\n    Properties:\n      DestinationOptions: [a]\n", "DestinationOptions must be a map", 5},
		{"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies: {a: b}\n", "Policies must be a list", 5},
		{"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies: [x]\n", "a policy must be a map", 5},
		{"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      ManagedPolicyArns: x\n", "ManagedPolicyArns must be a list", 5},
	} {
		_, err := Load("bad.yaml", []byte(tt.src), seedOpts)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, tt.want) || e.Line != tt.line {
			t.Errorf("%q: %v, want %q at line %d", tt.src, err, tt.want, tt.line)
		}
	}
}

// A property that !If turns into AWS::NoValue is absent, not a wrong shape
// (examples/audit-role/logpath-audit-role.yaml).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html#cfn-pseudo-param-novalue
func TestNoValuePropertyIsAbsent(t *testing.T) {
	src := "Conditions:\n  No: !Equals [a, b]\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n" +
		"      AssumeRolePolicyDocument: {Statement: []}\n      Policies: !If [No, [{PolicyName: p, PolicyDocument: {}}], !Ref AWS::NoValue]\n" +
		"  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption: !If [No, {}, !Ref AWS::NoValue]\n"
	m, err := Load("t.yaml", []byte(src), seedOpts)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := m.Roles[0].InlinePolicies.Get(); !ok || len(p) != 0 {
		t.Errorf("inline policies = %v (known %v), want none", p, ok)
	}
	if e, ok := m.Buckets[0].Encryption.Get(); !ok || e != nil {
		t.Errorf("encryption = %v (known %v), want none", e, ok)
	}
}
