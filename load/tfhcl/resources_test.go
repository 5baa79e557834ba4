package tfhcl

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

func TestCountAndForEach(t *testing.T) {
	m := load(t, writeDir(t, map[string]string{"main.tf": `
locals {
  envs = toset(["dev", "prod"])
}
resource "aws_kms_key" "k" {
  count = 2
}
resource "aws_s3_bucket" "b" {
  for_each = local.envs
  bucket   = "amzn-s3-demo-${each.key}"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  for_each = aws_s3_bucket.b
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.k[1].key_id
    }
  }
}
resource "aws_networkfirewall_firewall" "fw" {
  count = 2
  name  = "fw-${count.index}"
}
resource "aws_networkfirewall_logging_configuration" "l" {
  count        = 2
  firewall_arn = aws_networkfirewall_firewall.fw[count.index].arn
  logging_configuration {
    log_destination_config {
      log_destination      = { bucketName = aws_s3_bucket.b["prod"].bucket }
      log_destination_type = "S3"
      log_type             = "FLOW"
    }
  }
}
`}), seedOpts)
	var ids []string
	for _, b := range m.Buckets {
		ids = append(ids, b.ID+"="+b.Name.Or("?"))
	}
	if want := []string{`aws_s3_bucket.b["dev"]=amzn-s3-demo-dev`, `aws_s3_bucket.b["prod"]=amzn-s3-demo-prod`}; !reflect.DeepEqual(ids, want) {
		t.Errorf("buckets = %v, want %v", ids, want)
	}
	for _, b := range m.Buckets {
		// each.value.id is not a direct reference: the bucket is found by name.
		enc, _ := b.Encryption.Get()
		if enc == nil || enc.KeyRef != "aws_kms_key.k[1]" || enc.KeyRefForm != "key-id" {
			t.Errorf("%s encryption = %+v", b.ID, enc)
		}
	}
	if len(m.Keys) != 2 || m.Keys[1].ID != "aws_kms_key.k[1]" {
		t.Errorf("keys:\n%s", dump(t, m))
	}
	if len(m.Firewalls) != 2 {
		t.Fatalf("firewalls:\n%s", dump(t, m))
	}
	for i, fw := range m.Firewalls {
		if fw.Logging == nil || fw.Name.Or("") != []string{"fw-0", "fw-1"}[i] || fw.Logging.ID != []string{"aws_networkfirewall_logging_configuration.l[0]", "aws_networkfirewall_logging_configuration.l[1]"}[i] {
			t.Errorf("firewall %d = %+v logging %+v", i, fw.Origin, fw.Logging)
		}
		if d := fw.Logging.Destinations[0]; d.Ref != `aws_s3_bucket.b["prod"]` {
			t.Errorf("ref = %q", d.Ref)
		}
	}
	// The key is named by its ID, which S3 log delivery does not accept.
	for _, d := range delivery.Analyze(m) {
		if d.Verdict == delivery.OK {
			t.Errorf("verdict OK with a key named by ID: %+v", d.Gates)
		}
	}
}

func policyStatements(t *testing.T, v model.Value[*model.PolicyDocument]) []map[string]any {
	t.Helper()
	doc, ok := v.Get()
	if !ok || doc == nil {
		t.Fatalf("policy = %+v (%s)", v, v.Reason())
	}
	var d struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(doc.JSON.Or("")), &d); err != nil {
		t.Fatal(err)
	}
	if d.Version != "2012-10-17" {
		t.Errorf("version %q", d.Version)
	}
	return d.Statement
}

// source_policy_documents, statement blocks and override_policy_documents
// merge by Sid, as the AWS provider documents.
func TestPolicyDocumentMerge(t *testing.T) {
	m := load(t, writeDir(t, map[string]string{"main.tf": `
data "aws_iam_policy_document" "source" {
  statement {
    sid     = "A"
    actions = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    sid     = "B"
    actions = ["s3:PutObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.source.json]
  override_policy_documents = [jsonencode({ Statement = [{ Sid = "C", Effect = "Deny", Action = "s3:*", Resource = "*" }] })]
  statement {
    sid     = "B"
    effect  = "Deny"
    actions = ["s3:PutObject"]
    resources = ["arn:aws:s3:::amzn-s3-demo-logs/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["111122223333"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["444455556666"]
    }
  }
  statement {
    sid       = "C"
    not_actions = ["kms:*"]
    resources = ["*"]
    not_principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com", "logs.amazonaws.com"]
    }
  }
  dynamic "statement" {
    for_each = ["x", "y"]
    content {
      sid       = "D${statement.key}"
      actions   = ["s3:${statement.value}"]
      resources = ["*"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "amzn-s3-demo-logs"
  policy = data.aws_iam_policy_document.merged.json
}
`}), seedOpts)
	st := policyStatements(t, m.Buckets[0].Policy)
	got, _ := json.Marshal(st)
	want := `[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*","Sid":"A"},` +
		`{"Action":"s3:PutObject","Condition":{"StringEquals":{"aws:SourceAccount":["111122223333","444455556666"]}},"Effect":"Deny","Principal":"*","Resource":"arn:aws:s3:::amzn-s3-demo-logs/*","Sid":"B"},` +
		`{"Action":"s3:*","Effect":"Deny","Resource":"*","Sid":"C"},` +
		`{"Action":"s3:x","Effect":"Allow","Resource":"*","Sid":"D0"},{"Action":"s3:y","Effect":"Allow","Resource":"*","Sid":"D1"}]`
	if string(got) != want {
		t.Errorf("statements\n got %s\nwant %s", got, want)
	}
	doc, _ := m.Buckets[0].Policy.Get()
	if len(doc.StatementLines) != 5 {
		t.Errorf("statement lines = %v", doc.StatementLines)
	}
	// The bucket is not in the configuration: what is not configured here is unknown.
	if m.Buckets[0].Encryption.Known() || m.Buckets[0].Name.Or("") != "amzn-s3-demo-logs" {
		t.Errorf("external bucket = %+v", m.Buckets[0])
	}
}

func TestDuplicateSourceSid(t *testing.T) {
	m := load(t, writeDir(t, map[string]string{"main.tf": `
data "aws_iam_policy_document" "d" {
  source_policy_documents = [
    jsonencode({ Statement = [{ Sid = "A", Effect = "Allow", Action = "s3:*", Resource = "*" }] }),
    jsonencode({ Statement = { Sid = "A", Effect = "Allow", Action = "s3:*", Resource = "*" } }),
  ]
}
resource "aws_kms_key" "k" {
  policy = data.aws_iam_policy_document.d.json
}
`}), seedOpts)
	if p := m.Keys[0].Policy; p.Known() {
		t.Errorf("policy with duplicate source Sids is known: %+v", p)
	}
}

func TestOtherResources(t *testing.T) {
	m := load(t, writeDir(t, map[string]string{"main.tf": `
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { team = "net" }
  }
}
provider "aws" {
  alias  = "other"
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/deploy"
  }
}
resource "aws_kms_key" "k" {
  provider                 = aws.other
  customer_master_key_spec = "RSA_2048"
}
resource "aws_cloudwatch_log_group" "g" {
  name       = "/nfw/alert"
  kms_key_id = aws_kms_key.k.arn
}
resource "aws_cloudwatch_log_resource_policy" "p" {
  policy_name     = "delivery"
  policy_document = jsonencode({ Version = "2012-10-17", Statement = [] })
}
resource "aws_kinesis_firehose_delivery_stream" "s" {
  name        = "nfw"
  destination = "extended_s3"
  tags        = { app = "nfw" }
  kinesis_source_configuration {
    kinesis_stream_arn = "arn:aws:kinesis:eu-west-1:111122223333:stream/x"
    role_arn           = "arn:aws:iam::111122223333:role/x"
  }
  server_side_encryption {
    enabled  = true
    key_type = "CUSTOMER_MANAGED_CMK"
    key_arn  = aws_kms_key.k.arn
  }
  lifecycle {
    ignore_changes = [tags]
  }
}
resource "aws_kinesis_firehose_delivery_stream" "plain" {
  name        = "plain"
  destination = "extended_s3"
  lifecycle {
    ignore_changes = all
  }
}
resource "aws_organizations_policy" "scp" {
  name    = "deny"
  content = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Deny", Action = "kms:*", Resource = "*" }] })
}
resource "aws_organizations_policy_attachment" "a" {
  policy_id = aws_organizations_policy.scp.id
  target_id = "ou-ab12-11111111"
}
`}), Options{Account: "111122223333"})
	k := m.Keys[0]
	if k.Account.Or("") != "444455556666" || k.Region.Or("") != "us-east-1" || k.Spec.Or("") != "RSA_2048" || k.Policy.Known() == false {
		t.Errorf("key = %+v", k)
	}
	if p, _ := k.Policy.Get(); p != nil {
		t.Errorf("key policy %+v, want the default (nil)", p)
	}
	g := m.LogGroups[0]
	if g.Name.Or("") != "/nfw/alert" || g.Region.Or("") != "eu-west-1" || g.KeyRef != "aws_kms_key.k" || g.KMSKeyID.Known() {
		t.Errorf("log group = %+v", g)
	}
	if p := m.LogResourcePolicies[0]; p.Name.Or("") != "delivery" || !p.Policy.Known() || p.LogGroupARN.Or("x") != "" {
		t.Errorf("log resource policy = %+v", p)
	}
	s := m.DeliveryStreams[0]
	tags, _ := s.Tags.Get()
	if s.Type.Or("") != "KinesisStreamAsSource" || !s.TagsManaged || !s.TagsIgnored || !reflect.DeepEqual(tags, map[string]string{"team": "net", "app": "nfw"}) ||
		s.KeyType.Or("") != "CUSTOMER_MANAGED_CMK" || s.KeyRef != "aws_kms_key.k" {
		t.Errorf("stream = %s", dump(t, &model.Model{DeliveryStreams: m.DeliveryStreams}))
	}
	if p := m.DeliveryStreams[1]; p.Type.Or("") != "DirectPut" || !p.TagsIgnored || p.KeyType.Or("x") != "" {
		t.Errorf("plain stream = %+v", p)
	}
	op := m.OrgPolicies[0]
	targets, _ := op.Targets.Get()
	if op.Type.Or("") != model.SCPType || !reflect.DeepEqual(targets, []string{"ou-ab12-11111111"}) || !op.Policy.Known() {
		t.Errorf("org policy = %+v", op)
	}
}
