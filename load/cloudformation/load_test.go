package cloudformation

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

var seedOpts = Options{Account: "111122223333", Region: "ap-northeast-1"}

func loadFile(t *testing.T, path string, opts Options) *model.Model {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(path, data, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func gate(ds []delivery.Delivery, id string) *delivery.GateResult {
	for i := range ds[0].Gates {
		if ds[0].Gates[i].ID == id {
			return &ds[0].Gates[i]
		}
	}
	return nil
}

// The seed story as CloudFormation: broken, fixed, and with the AWS managed key.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
func TestExamples(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "network-firewall-s3-kms", "cloudformation")
	tests := []struct {
		file     string
		opts     Options
		want     delivery.Verdict
		gate     string
		gateWant delivery.Verdict
	}{
		{"broken.yaml", seedOpts, delivery.FAIL, "kms.key-policy", delivery.FAIL},
		{"fixed.yaml", seedOpts, delivery.OK, "kms.key-policy", delivery.OK},
		{"aws-managed-key.yaml", seedOpts, delivery.FAIL, "s3.encryption", delivery.FAIL},
		// Without --account the bucket name and the request are unknown: never OK.
		{"fixed.yaml", Options{}, delivery.UNKNOWN, "s3.bucket-policy", delivery.UNKNOWN},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ds := delivery.Analyze(loadFile(t, filepath.Join(dir, tt.file), tt.opts))
			if len(ds) != 2 {
				t.Fatalf("%d deliveries, want 2 (FLOW and ALERT)", len(ds))
			}
			if ds[0].Verdict != tt.want {
				t.Errorf("verdict %v, want %v", ds[0].Verdict, tt.want)
			}
			g := gate(ds, tt.gate)
			if g == nil || g.Verdict != tt.gateWant {
				t.Fatalf("gate %s = %+v, want %v", tt.gate, g, tt.gateWant)
			}
			if g.Location.File == "" || g.Location.Line == 0 {
				t.Errorf("gate %s has no location: %+v", tt.gate, g.Location)
			}
		})
	}
}

// The deciding statement of a YAML key policy points at its YAML line.
func TestStatementLinesPointIntoTheTemplate(t *testing.T) {
	src := `Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: Root
            Effect: Allow
            Principal: {AWS: arn:aws:iam::111122223333:root}
            Action: kms:*
            Resource: "*"
          - Sid: DenyDelivery
            Effect: Deny
            Principal: {Service: delivery.logs.amazonaws.com}
            Action: kms:*
            Resource: "*"
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: amzn-s3-demo-logs
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !GetAtt Key.Arn}
  Fw:
    Type: AWS::NetworkFirewall::Firewall
    Properties: {FirewallName: fw}
  Logging:
    Type: AWS::NetworkFirewall::LoggingConfiguration
    Properties:
      FirewallArn: !GetAtt Fw.FirewallArn
      LoggingConfiguration:
        LogDestinationConfigs:
          - {LogType: FLOW, LogDestinationType: S3, LogDestination: {bucketName: !Ref Bucket}}
`
	m, err := Load("t.yaml", []byte(src), seedOpts)
	if err != nil {
		t.Fatal(err)
	}
	g := gate(delivery.Analyze(m), "kms.key-policy")
	if g == nil || g.Verdict != delivery.FAIL || g.Deciding == nil {
		t.Fatalf("gate = %+v", g)
	}
	if g.Deciding.Sid != "DenyDelivery" || g.Deciding.Line != 13 || g.Deciding.File != "t.yaml" {
		t.Errorf("deciding = %+v, want DenyDelivery at t.yaml:13", g.Deciding)
	}
}

const intrinsics = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
  Suffix:
    Type: String
  FromSSM:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /logs/bucket
  Names:
    Type: CommaDelimitedList
    Default: "a, b, c"
Mappings:
  EnvMap:
    prod: {Retention: "365", Name: prod-logs}
    dev: {Retention: "7", Name: dev-logs}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Condition Both]
Resources:
  SubString:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub "logs-${Env}-${AWS::Region}-${!Literal}"}
  SubList:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub ["${Pre}-${AWS::AccountId}", {Pre: !Join ["-", [x, !Ref Env]]}]
  Selected:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Select [1, !Split [",", "p,q,r"]]}
  FromList:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Select [2, !Ref Names]}
  Mapped:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !FindInMap [EnvMap, !Ref Env, Name]}
  Conditional:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !If [Either, chosen-true, chosen-false]}
  Imported:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !ImportValue shared-bucket}
  NoDefault:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Ref Suffix}
  Ssm:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Ref FromSSM}
  Generated:
    Type: AWS::S3::Bucket
  DevOnly:
    Type: AWS::S3::Bucket
    Condition: IsDev
    Properties: {BucketName: dev-only}
  Removed:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: removed-encryption
      BucketEncryption: !If [IsDev, {ServerSideEncryptionConfiguration: []}, !Ref AWS::NoValue]
`

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
func TestIntrinsicFunctions(t *testing.T) {
	m, err := Load("i.yaml", []byte(intrinsics), Options{Account: "111122223333", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]model.Value[string]{}
	for _, b := range m.Buckets {
		names[b.ID] = b.Name
	}
	known := map[string]string{
		"SubString":   "logs-prod-eu-west-1-${Literal}",
		"SubList":     "x-prod-111122223333",
		"Selected":    "q",
		"FromList":    "c",
		"Mapped":      "prod-logs",
		"Conditional": "chosen-true",
		"Removed":     "removed-encryption",
	}
	for id, want := range known {
		if got, ok := names[id].Get(); !ok || got != want {
			t.Errorf("%s: name %q (known %v, %s), want %q", id, got, ok, names[id].Reason(), want)
		}
	}
	unknownReasons := map[string]string{
		"Imported":  "shared-bucket",
		"NoDefault": "--param Suffix=VALUE",
		"Ssm":       "SSM",
		"Generated": "generated",
	}
	for id, want := range unknownReasons {
		if names[id].Known() || !strings.Contains(names[id].Reason(), want) {
			t.Errorf("%s: known %v, reason %q, want unknown mentioning %q", id, names[id].Known(), names[id].Reason(), want)
		}
	}
	if _, ok := names["DevOnly"]; ok {
		t.Error("a resource whose condition is false was loaded")
	}
	for _, b := range m.Buckets {
		if b.ID == "Removed" {
			if enc, ok := b.Encryption.Get(); !ok || enc != nil {
				t.Errorf("AWS::NoValue did not remove BucketEncryption: %+v", b.Encryption)
			}
		}
	}

	// --param overrides the default.
	m, err = Load("i.yaml", []byte(intrinsics), Options{Params: map[string]string{"Env": "dev", "Suffix": "s"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range m.Buckets {
		switch b.ID {
		case "Mapped":
			if n, _ := b.Name.Get(); n != "dev-logs" {
				t.Errorf("Mapped with Env=dev: %q", n)
			}
		case "NoDefault":
			if n, _ := b.Name.Get(); n != "s" {
				t.Errorf("NoDefault with Suffix=s: %q", n)
			}
		case "SubString":
			if b.Name.Known() {
				t.Error("SubString is known without a Region")
			}
		}
	}
}

// JSON templates read the same as YAML ones.
func TestJSONTemplate(t *testing.T) {
	src := `{
  "Resources": {
    "Key": {"Type": "AWS::KMS::Key", "Properties": {"Enabled": false, "KeySpec": "RSA_2048",
      "KeyPolicy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"}},
    "Alias": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/logs", "TargetKeyId": {"Ref": "Key"}}},
    "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Sub": "b-${AWS::AccountId}"},
      "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Ref": "Alias"}}}]}}},
    "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"},
      "PolicyDocument": {"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}},
    "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/nfw/alerts", "KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}},
    "Stream": {"Type": "AWS::KinesisFirehose::DeliveryStream", "Properties": {"DeliveryStreamName": "nfw-flow",
      "Tags": [{"Key": "team", "Value": "net"}],
      "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": {"Fn::GetAtt": ["Key", "Arn"]}}}}
  }
}`
	m, err := Load("t.json", []byte(src), seedOpts)
	if err != nil {
		t.Fatal(err)
	}
	k := m.Keys[0]
	if st, _ := k.State.Get(); st != "Disabled" {
		t.Errorf("key state %q", st)
	}
	if sp, _ := k.Spec.Get(); sp != "RSA_2048" {
		t.Errorf("key spec %q", sp)
	}
	if doc, ok := k.Policy.Get(); !ok || doc == nil || !strings.Contains(doc.JSON.Or(""), "kms:*") {
		t.Errorf("key policy %+v", k.Policy)
	}
	b := m.Buckets[0]
	enc, _ := b.Encryption.Get()
	if enc == nil || enc.KeyRef != "Alias" || enc.KeyRefForm != "alias" {
		t.Errorf("encryption %+v", enc)
	}
	if doc, ok := b.Policy.Get(); !ok || doc == nil || !doc.Managed {
		t.Errorf("bucket policy %+v", b.Policy)
	}
	if al := m.Aliases[0]; al.TargetRef != "Key" {
		t.Errorf("alias target ref %q", al.TargetRef)
	}
	if g := m.LogGroups[0]; g.KeyRef != "Key" || g.Name.Or("") != "/nfw/alerts" {
		t.Errorf("log group %+v", g)
	}
	s := m.DeliveryStreams[0]
	if tags, _ := s.Tags.Get(); tags["team"] != "net" || !s.TagsManaged || s.Type.Or("") != "DirectPut" || s.KeyRef != "Key" {
		t.Errorf("stream %+v", s)
	}
}

func TestBadTemplates(t *testing.T) {
	tests := []struct {
		name, src, want string
		line            int
	}{
		{"invalid YAML", "Resources:\n  A: [1,\n", "invalid YAML", 2},
		{"invalid JSON", "{\"Resources\": {]}", "invalid JSON", 1},
		{"unknown tag", "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Nope x}\n", "unknown tag !Nope", 4},
		{"GetAtt without attribute", "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !GetAtt B}\n", "Resource.Attribute", 4},
		{"no Resources", "Parameters: {}\n", "no Resources", 1},
		{"resource without Type", "Resources:\n  A: {Properties: {}}\n", "has no Type", 2},
		{"logging without FirewallArn", "Resources:\n  L:\n    Type: AWS::NetworkFirewall::LoggingConfiguration\n    Properties: {}\n", "needs FirewallArn", 3},
		{"not a map", "- a\n- b\n", "a template is a map", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("bad.yaml", []byte(tt.src), seedOpts)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if !strings.Contains(e.Msg, tt.want) || e.Line != tt.line || e.File != "bad.yaml" {
				t.Errorf("got %v (line %d), want %q at line %d", err, e.Line, tt.want, tt.line)
			}
		})
	}
}

func TestUnknownResourceTypesAreSkipped(t *testing.T) {
	m, err := Load("t.yaml", []byte("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: q}\n"), seedOpts)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Buckets)+len(m.Keys)+len(m.Firewalls) != 0 {
		t.Errorf("unexpected resources: %+v", m)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(intrinsics))
	for _, name := range []string{"broken.yaml", "fixed.yaml", "aws-managed-key.yaml"} {
		if data, err := os.ReadFile(filepath.Join("..", "..", "examples", "network-firewall-s3-kms", "cloudformation", name)); err == nil {
			f.Add(data)
		}
	}
	for _, name := range []string{"broken.yaml", "fixed.yaml"} {
		if data, err := os.ReadFile(filepath.Join("..", "..", "examples", "vpc-flow-logs-s3-kms", "cloudformation", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(flowLogTemplate))
	for _, name := range []string{"broken.yaml", "fixed.yaml"} {
		if data, err := os.ReadFile(filepath.Join("..", "..", "examples", "cloudtrail-s3-kms", "cloudformation", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(trailTemplate))
	f.Add([]byte("Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties: {IsLogging: !Ref AWS::NoValue, IsOrganizationTrail: [x], KMSKeyId: !GetAtt T.Arn, CloudWatchLogsLogGroupArn: arn:aws:s3:::b, S3BucketName: \"\"}\n"))
	f.Add([]byte("Resources:\n  F:\n    Type: AWS::EC2::FlowLog\n    Properties: {LogDestinationType: s3, LogDestination: !GetAtt R.Arn, DestinationOptions: {PerHourPartition: !Ref AWS::NoValue}}\n  R:\n    Type: AWS::IAM::Role\n    Properties: {Policies: [{PolicyDocument: !Ref R}]}\n"))
	for _, name := range []string{"route53-resolver-query-logs/cloudformation/broken.yaml", "waf-logs/cloudformation/broken.yaml"} {
		if data, err := os.ReadFile(filepath.Join("..", "..", "examples", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("Resources:\n  L:\n    Type: AWS::WAFv2::LoggingConfiguration\n    Properties: {ResourceArn: !GetAtt L.Arn, LogDestinationConfigs: [!Ref L, 7]}\n"))
	f.Add([]byte("Resources:\n  Q:\n    Type: AWS::Route53Resolver::ResolverQueryLoggingConfig\n    Properties: {DestinationArn: [x]}\n  A:\n    Type: AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation\n    Properties: {ResolverQueryLogConfigId: !Ref Q}\n"))
	f.Add([]byte(`{"Resources":{"A":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":{"Fn::Sub":"${A}"}}}}}`))
	f.Add([]byte("Resources: \n 00:\n    Type: AWS::NetworkFirewall::LoggingConfiguration\n    Properties:\n      FirewallArn:\n"))
	f.Add([]byte("Resources:\n  # logpath:ignore kms.key-policy why\n  K:\n    Type: AWS::KMS::Key\n    Metadata: {logpath: {ignore: [{gate: kms.key-state, reason: r}, s3.bucket]}}\n"))
	f.Add([]byte("Conditions:\n  C: !Condition C\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !If [C, a, b]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load("f.yaml", data, seedOpts)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *Error", err)
			}
			return
		}
		delivery.Analyze(m)
	})
}

// A CDK cloud assembly: the stack's environment gives the account and
// Region, and a nested stack's logging configuration names the parent's
// bucket through a parameter.
func TestCloudAssembly(t *testing.T) {
	dir := filepath.Join("testdata", "cdk.out")
	if !IsCloudAssembly(dir) {
		t.Fatal("not recognized as a cloud assembly")
	}
	m, err := LoadCloudAssembly(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Firewalls) != 1 || m.Firewalls[0].ID != "LoggingStack/FirewallNestedStackFirewallNestedStackResource1A2B3C4D/Firewall" {
		t.Fatalf("firewalls %+v", m.Firewalls)
	}
	d := m.Firewalls[0].Logging.Destinations[0]
	if d.Ref != "LoggingStack/LogBucketCC3B17E8" {
		t.Errorf("destination ref %q, want the parent's bucket", d.Ref)
	}
	// CDK lets CloudFormation generate the bucket name, so the request AWS
	// makes cannot be built: UNKNOWN, saying why, never OK.
	ds := delivery.Analyze(m)
	if len(ds) != 1 || ds[0].Verdict != delivery.UNKNOWN {
		t.Fatalf("deliveries %+v", ds)
	}
	if g := gate(ds, "kms.key-policy"); g == nil || g.Verdict != delivery.UNKNOWN || !strings.Contains(g.Reason, "generated") {
		t.Errorf("kms.key-policy = %+v", g)
	}
	if g := gate(ds, "s3.encryption"); g == nil || g.Verdict != delivery.OK {
		t.Errorf("s3.encryption = %+v", g)
	}
	if _, err := LoadCloudAssembly(t.TempDir(), Options{}); err == nil {
		t.Error("a directory without manifest.json loaded")
	}
}
