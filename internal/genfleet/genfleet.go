// Package genfleet generates a fleet of AWS Network Firewalls as
// infrastructure as code, for measuring `logpath check` at scale: a
// CloudFormation template, or a Terraform directory, in which each firewall
// sends its FLOW and ALERT logs to its own S3 bucket, encrypted with SSE-KMS
// under its own customer managed key, with the bucket policy AWS documents
// for the log delivery service. Per firewall: a firewall, a logging
// configuration, a bucket, a bucket policy and a key (five resources; in
// Terraform also the bucket's encryption and ownership resources).
//
// Most firewalls are set up correctly; a deterministic few carry one of the
// flaws of Flaw (see FlawOf), so that the verdicts are varied. Output is
// deterministic: the same n gives the same bytes.
//
// It is the input of the check benchmarks (cmd/logpath, BenchmarkCheckFleet)
// and of the internal/tools/genfleet command.
package genfleet

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/template"
)

// Flaw is what is wrong with one firewall's set-up, if anything.
type Flaw int

const (
	// NoFlaw: every gate is OK.
	NoFlaw Flaw = iota
	// KeyPolicyWithoutDelivery: the key policy has no statement for
	// delivery.logs.amazonaws.com (the seed story), so kms.key-policy FAILs.
	KeyPolicyWithoutDelivery
	// KeyByID: the bucket's default encryption names the key by its key ID
	// instead of its ARN, so s3.encryption FAILs.
	KeyByID
	// KeyViaService: the key policy's log delivery statement also requires
	// kms:ViaService s3.<Region>.amazonaws.com, which AWS does not document
	// for S3's requests on behalf of a service principal, so kms.key-policy
	// WARNs.
	KeyViaService
)

func (f Flaw) String() string {
	switch f {
	case NoFlaw:
		return "none"
	case KeyPolicyWithoutDelivery:
		return "key policy without delivery.logs"
	case KeyByID:
		return "key named by ID"
	case KeyViaService:
		return "key policy requires kms:ViaService"
	}
	return fmt.Sprintf("Flaw(%d)", int(f))
}

// FlawOf is the flaw of firewall i (0-based): firewalls 1, 2 and 3 of
// every ten have one flaw each, the other seven none.
func FlawOf(i int) Flaw {
	switch i % 10 {
	case 1:
		return KeyPolicyWithoutDelivery
	case 2:
		return KeyByID
	case 3:
		return KeyViaService
	}
	return NoFlaw
}

// FirewallName is the name of firewall i in a fleet of n.
func FirewallName(i, n int) string { return "fw-" + suffix(i, n) }

// suffix numbers firewall i with as many digits as the largest index needs,
// at least four, so that names sort in order.
func suffix(i, n int) string {
	width := max(4, len(fmt.Sprint(max(n-1, 0))))
	return fmt.Sprintf("%0*d", width, i)
}

// firewall is what the templates need to write one firewall.
type firewall struct {
	ID   string // 0001
	Name string // fw-0001
	Flaw Flaw
	// HCLPolicyDocument: the Terraform key policy is a data
	// "aws_iam_policy_document" rather than jsonencode (firewalls 2 and 3 of
	// every four, so that each flaw comes in both forms).
	HCLPolicyDocument bool
}

func (f firewall) WithoutDelivery() bool { return f.Flaw == KeyPolicyWithoutDelivery }
func (f firewall) KeyByID() bool         { return f.Flaw == KeyByID }
func (f firewall) KeyViaService() bool   { return f.Flaw == KeyViaService }

func fleet(from, to, n int) []firewall {
	out := make([]firewall, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, firewall{ID: suffix(i, n), Name: FirewallName(i, n), Flaw: FlawOf(i), HCLPolicyDocument: i%4 >= 2})
	}
	return out
}

// WriteCloudFormation writes a YAML template with n firewalls to w.
func WriteCloudFormation(w io.Writer, n int) error {
	if n < 0 {
		return fmt.Errorf("genfleet: n must not be negative, not %d", n)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := cfnTemplate.Execute(bw, struct {
		N         int
		Firewalls []firewall
	}{n, fleet(0, n, n)}); err != nil {
		return err
	}
	return bw.Flush()
}

// TerraformChunk is the number of firewalls in one generated .tf file.
const TerraformChunk = 100

// WriteTerraform writes a Terraform root module with n firewalls into dir,
// which it creates: main.tf with the shared parts, and the firewalls in
// files of TerraformChunk each. It refuses a directory that already holds
// .tf files, which would be read together with the new ones.
func WriteTerraform(dir string, n int) error {
	if n < 0 {
		return fmt.Errorf("genfleet: n must not be negative, not %d", n)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if old, _ := filepath.Glob(filepath.Join(dir, "*.tf")); len(old) > 0 {
		return fmt.Errorf("genfleet: %s already holds .tf files (%s); remove them first", dir, filepath.Base(old[0]))
	}
	if err := writeFile(filepath.Join(dir, "main.tf"), func(w io.Writer) error {
		return tfMainTemplate.Execute(w, n)
	}); err != nil {
		return err
	}
	for from := 0; from < n; from += TerraformChunk {
		to := min(from+TerraformChunk, n)
		name := fmt.Sprintf("firewalls-%s-%s.tf", suffix(from, n), suffix(to-1, n))
		if err := writeFile(filepath.Join(dir, name), func(w io.Writer) error {
			return tfFirewallsTemplate.Execute(w, fleet(from, to, n))
		}); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// The templates follow examples/network-firewall-s3-kms/cloudformation and
// load/tfhcl/testdata/fixed. The bucket policy is AWS's for vended logs:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
// and the key policy statement the one of
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html

var cfnTemplate = template.Must(template.New("cfn").Parse(`AWSTemplateFormatVersion: "2010-09-09"
Description: >
  {{.N}} Network Firewalls, each sending FLOW and ALERT logs to its own S3 bucket
  encrypted with its own customer managed KMS key. Generated by internal/tools/genfleet.
Parameters:
  LogPrefix:
    Type: String
    Default: nfw
  VpcId:
    Type: AWS::EC2::VPC::Id
    Default: vpc-0123456789abcdef0
  SubnetId:
    Type: AWS::EC2::Subnet::Id
    Default: subnet-0123456789abcdef0
Resources:
  FirewallPolicy:
    Type: AWS::NetworkFirewall::FirewallPolicy
    Properties:
      FirewallPolicyName: fleet-policy
      FirewallPolicy:
        StatelessDefaultActions: ["aws:forward_to_sfe"]
        StatelessFragmentDefaultActions: ["aws:forward_to_sfe"]
{{- range .Firewalls}}
  Key{{.ID}}:
    Type: AWS::KMS::Key
    Properties:
      Description: Key for the logs of {{.Name}}
      EnableKeyRotation: true
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: Enable IAM User Permissions
            Effect: Allow
            Principal:
              AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root
            Action: kms:*
            Resource: "*"
          - Sid: Allow key administrators
            Effect: Allow
            Principal:
              AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/KeyAdmin
            Action:
              - kms:Create*
              - kms:Describe*
              - kms:Enable*
              - kms:List*
              - kms:Put*
              - kms:Update*
              - kms:Revoke*
              - kms:Disable*
              - kms:Get*
              - kms:Delete*
              - kms:ScheduleKeyDeletion
              - kms:CancelKeyDeletion
            Resource: "*"
{{- if not .WithoutDelivery}}
          - Sid: Allow log delivery to encrypt
            Effect: Allow
            Principal:
              Service: delivery.logs.amazonaws.com
            Action:
              - kms:GenerateDataKey*
              - kms:Decrypt
            Resource: "*"
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
{{- if .KeyViaService}}
                kms:ViaService: !Sub s3.${AWS::Region}.amazonaws.com
{{- end}}
              ArnLike:
                aws:SourceArn: !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*
{{- end}}
  Bucket{{.ID}}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub amzn-s3-demo-logs-{{.ID}}-${AWS::AccountId}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: {{if .KeyByID}}!Ref Key{{.ID}}{{else}}!GetAtt Key{{.ID}}.Arn{{end}}
            BucketKeyEnabled: true
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  BucketPolicy{{.ID}}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket{{.ID}}
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: AWSLogDeliveryAclCheck
            Effect: Allow
            Principal:
              Service: delivery.logs.amazonaws.com
            Action: s3:GetBucketAcl
            Resource: !GetAtt Bucket{{.ID}}.Arn
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
              ArnLike:
                aws:SourceArn: !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*
          - Sid: AWSLogDeliveryWrite
            Effect: Allow
            Principal:
              Service: delivery.logs.amazonaws.com
            Action: s3:PutObject
            Resource: !Sub ${Bucket{{.ID}}.Arn}/${LogPrefix}/AWSLogs/${AWS::AccountId}/*
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
                s3:x-amz-acl: bucket-owner-full-control
              ArnLike:
                aws:SourceArn: !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*
          - Sid: DenyInsecureTransport
            Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource:
              - !GetAtt Bucket{{.ID}}.Arn
              - !Sub ${Bucket{{.ID}}.Arn}/*
            Condition:
              Bool:
                aws:SecureTransport: "false"
  Firewall{{.ID}}:
    Type: AWS::NetworkFirewall::Firewall
    Properties:
      FirewallName: {{.Name}}
      FirewallPolicyArn: !Ref FirewallPolicy
      VpcId: !Ref VpcId
      SubnetMappings:
        - SubnetId: !Ref SubnetId
  FirewallLogging{{.ID}}:
    Type: AWS::NetworkFirewall::LoggingConfiguration
    Properties:
      FirewallArn: !Ref Firewall{{.ID}}
      LoggingConfiguration:
        LogDestinationConfigs:
          - LogType: FLOW
            LogDestinationType: S3
            LogDestination:
              bucketName: !Ref Bucket{{.ID}}
              prefix: !Ref LogPrefix
          - LogType: ALERT
            LogDestinationType: S3
            LogDestination:
              bucketName: !Ref Bucket{{.ID}}
              prefix: !Ref LogPrefix
{{- end}}
`))

var tfMainTemplate = template.Must(template.New("main.tf").Parse(`# {{.}} Network Firewalls, each sending FLOW and ALERT logs to its own S3
# bucket encrypted with its own customer managed KMS key. Generated by
# internal/tools/genfleet; the firewalls are in firewalls-*.tf.
variable "log_prefix" {
  type    = string
  default = "nfw"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  # The aws:SourceArn of the log delivery service's requests.
  log_source_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:*"
}

resource "aws_networkfirewall_firewall_policy" "fleet" {
  name = "fleet-policy"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
  }
}
`))

var tfFirewallsTemplate = template.Must(template.New("firewalls.tf").Parse(`# Generated by internal/tools/genfleet.
{{- range .}}

# {{.Name}}
{{- if .HCLPolicyDocument}}
data "aws_iam_policy_document" "key_{{.ID}}" {
  statement {
    sid       = "Enable IAM User Permissions"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
  statement {
    sid = "Allow key administrators"
    actions = [
      "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
      "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
    ]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:role/KeyAdmin"]
    }
  }
{{- if not .WithoutDelivery}}
  statement {
    sid       = "Allow log delivery to encrypt"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
{{- if .KeyViaService}}
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
{{- end}}
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.log_source_arn]
    }
  }
{{- end}}
}

resource "aws_kms_key" "logs_{{.ID}}" {
  description         = "Key for the logs of {{.Name}}"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key_{{.ID}}.json
}
{{- else}}
resource "aws_kms_key" "logs_{{.ID}}" {
  description         = "Key for the logs of {{.Name}}"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Enable IAM User Permissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Allow key administrators"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:role/KeyAdmin" }
        Action = [
          "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
          "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
        ]
        Resource = "*"
      },
{{- if not .WithoutDelivery}}
      {
        Sid       = "Allow log delivery to encrypt"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
        Condition = {
{{- if .KeyViaService}}
          StringEquals = {
            "aws:SourceAccount" = local.account_id
            "kms:ViaService"    = "s3.${local.region}.amazonaws.com"
          }
{{- else}}
          StringEquals = { "aws:SourceAccount" = local.account_id }
{{- end}}
          ArnLike = { "aws:SourceArn" = local.log_source_arn }
        }
      },
{{- end}}
    ]
  })
}
{{- end}}

resource "aws_s3_bucket" "logs_{{.ID}}" {
  bucket = "amzn-s3-demo-logs-{{.ID}}-${local.account_id}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs_{{.ID}}" {
  bucket = aws_s3_bucket.logs_{{.ID}}.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.logs_{{.ID}}.{{if .KeyByID}}key_id{{else}}arn{{end}}
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_ownership_controls" "logs_{{.ID}}" {
  bucket = aws_s3_bucket.logs_{{.ID}}.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "logs_{{.ID}}" {
  bucket = aws_s3_bucket.logs_{{.ID}}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSLogDeliveryAclCheck"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs_{{.ID}}.arn
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          ArnLike      = { "aws:SourceArn" = local.log_source_arn }
        }
      },
      {
        Sid       = "AWSLogDeliveryWrite"
        Effect    = "Allow"
        Principal = { Service = "delivery.logs.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs_{{.ID}}.arn}/${var.log_prefix}/AWSLogs/${local.account_id}/*"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = local.account_id
            "s3:x-amz-acl"      = "bucket-owner-full-control"
          }
          ArnLike = { "aws:SourceArn" = local.log_source_arn }
        }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.logs_{{.ID}}.arn, "${aws_s3_bucket.logs_{{.ID}}.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}

resource "aws_networkfirewall_firewall" "fw_{{.ID}}" {
  name                = "{{.Name}}"
  firewall_policy_arn = aws_networkfirewall_firewall_policy.fleet.arn
  vpc_id              = var.vpc_id
  subnet_mapping {
    subnet_id = "subnet-0123456789abcdef0"
  }
}

resource "aws_networkfirewall_logging_configuration" "fw_{{.ID}}" {
  firewall_arn = aws_networkfirewall_firewall.fw_{{.ID}}.arn
  logging_configuration {
    log_destination_config {
      log_destination = {
        bucketName = aws_s3_bucket.logs_{{.ID}}.bucket
        prefix     = var.log_prefix
      }
      log_destination_type = "S3"
      log_type             = "FLOW"
    }
    log_destination_config {
      log_destination = {
        bucketName = aws_s3_bucket.logs_{{.ID}}.bucket
        prefix     = var.log_prefix
      }
      log_destination_type = "S3"
      log_type             = "ALERT"
    }
  }
}
{{- end}}
`))
