package tfhcl

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

var flowLogOpts = Options{Account: "111122223333", Region: "ap-northeast-1", Vars: map[string]string{"vpc_id": "vpc-0123456789abcdef0"}}

// The VPC flow log example: to S3 (the seed's failure) and to CloudWatch
// Logs through a role with an attached managed policy, broken and fixed.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
func TestFlowLogExamples(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "vpc-flow-logs-s3-kms", "terraform")
	broken := delivery.Analyze(load(t, filepath.Join(dir, "broken"), flowLogOpts))
	if len(broken) != 2 {
		t.Fatalf("%d deliveries", len(broken))
	}
	for _, tt := range []struct {
		delivery int
		gate     string
		want     delivery.Verdict
	}{
		{0, "kms.key-policy", delivery.FAIL},
		{0, "s3.bucket-policy", delivery.OK},
		{1, "iam.role-trust", delivery.FAIL},
		{1, "iam.role-permissions", delivery.OK},
		{1, "logs.kms-key-policy", delivery.FAIL},
	} {
		if g := gate(broken[tt.delivery], tt.gate); g == nil || g.Verdict != tt.want {
			t.Errorf("broken %s: %s = %+v, want %v", broken[tt.delivery].Source.ID, tt.gate, g, tt.want)
		}
	}
	for _, d := range delivery.Analyze(load(t, filepath.Join(dir, "fixed"), flowLogOpts)) {
		if d.Verdict != delivery.OK {
			t.Errorf("fixed: %s is %v: %+v", d.Source.ID, d.Verdict, d.Gates)
		}
	}
}

const flowLogMain = `
variable "vpc_id" {
  type = string
}

variable "role_name" {
  type    = string
  default = "publisher"
}

resource "aws_s3_bucket" "logs" {
  bucket = "amzn-s3-demo-flow-logs"
}

resource "aws_flow_log" "s3" {
  subnet_id            = "subnet-0123456789abcdef0"
  traffic_type         = "ACCEPT"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.logs.arn
  destination_options {
    file_format                = "parquet"
    hive_compatible_partitions = true
  }
}

resource "aws_cloudwatch_log_group" "g" {
  name = "/vpc/flows"
}

resource "aws_iam_policy" "writer" {
  name   = "logs-writer"
  path   = "/logs/"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }] })
}

resource "aws_iam_role" "r" {
  name               = var.role_name
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "vpc-flow-logs.amazonaws.com" }, Action = "sts:AssumeRole" }] })
  inline_policy {
    name   = "own"
    policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "logs:CreateLogStream", Resource = "*" }] })
  }
  managed_policy_arns  = ["arn:aws:iam::aws:policy/CloudWatchLogsFullAccess", aws_iam_policy.writer.arn]
  permissions_boundary = aws_iam_policy.writer.arn
}

resource "aws_iam_role_policy" "extra" {
  name   = "extra"
  role   = "publisher"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "logs:DescribeLogStreams", Resource = "*" }] })
}

resource "aws_flow_log" "logs" {
  vpc_id         = var.vpc_id
  traffic_type   = "ALL"
  log_group_name = aws_cloudwatch_log_group.g.name
  iam_role_arn   = aws_iam_role.r.arn
}

resource "aws_flow_log" "tgw" {
  transit_gateway_id   = "tgw-0123456789abcdef0"
  log_destination_type = "kinesis-data-firehose"
  log_destination      = "arn:aws:firehose:ap-northeast-1:111122223333:deliverystream/flows"
}
`

// The loader translates aws_flow_log and the IAM resources as written,
// linking references; it decides nothing.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/flow_log
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role
func TestFlowLogResources(t *testing.T) {
	m := load(t, writeDir(t, map[string]string{"main.tf": flowLogMain}), flowLogOpts)
	if len(m.FlowLogs) != 3 || len(m.Roles) != 1 || len(m.ManagedPolicies) != 1 {
		t.Fatalf("model: %s", dump(t, m))
	}
	byID := map[string]*model.FlowLog{}
	for _, fl := range m.FlowLogs {
		byID[fl.ID] = fl
	}
	s3 := byID["aws_flow_log.s3"]
	opts, _ := s3.DestinationOptions.Get()
	if s3.Destination.Or("") != "arn:aws:s3:::amzn-s3-demo-flow-logs" || s3.DestinationRef != "aws_s3_bucket.logs" || s3.ResourceID.Or("") != "subnet-0123456789abcdef0" ||
		opts == nil || opts.FileFormat.Or("") != "parquet" || !opts.HiveCompatiblePartitions.Or(false) || opts.PerHourPartition.Or(true) || s3.FlowLogID.Known() {
		t.Errorf("aws_flow_log.s3: %+v %+v", s3, opts)
	}
	logs := byID["aws_flow_log.logs"]
	if logs.DestinationType.Or("") != model.FlowLogToLogs || logs.LogGroupName.Or("") != "/vpc/flows" || logs.DestinationRef != "aws_cloudwatch_log_group.g" ||
		logs.RoleRef != "aws_iam_role.r" || logs.DeliverLogsPermissionARN.Or("") != "arn:aws:iam::111122223333:role/publisher" || logs.ResourceID.Or("") != "vpc-0123456789abcdef0" {
		t.Errorf("aws_flow_log.logs: %+v", logs)
	}
	if tgw := byID["aws_flow_log.tgw"]; !tgw.TrafficType.IsZero() || tgw.DestinationType.Or("") != model.FlowLogToFirehose {
		t.Errorf("aws_flow_log.tgw: %+v", tgw)
	}
	r := m.Roles[0]
	inline, _ := r.InlinePolicies.Get()
	attached, _ := r.ManagedPolicies.Get()
	if r.Name.Or("") != "publisher" || len(inline) != 2 || inline[0].Name.Or("") != "own" || inline[1].Name.Or("") != "extra" {
		t.Errorf("role %+v, inline %+v", r, inline)
	}
	if len(attached) != 2 || attached[0].ARN.Or("") != "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess" || attached[0].Ref != "" ||
		attached[1].Ref != "aws_iam_policy.writer" || attached[1].ARN.Or("") != "arn:aws:iam::111122223333:policy/logs/logs-writer" {
		t.Errorf("attached %+v", attached)
	}
	if r.PermissionsBoundaryRef != "aws_iam_policy.writer" {
		t.Errorf("boundary %+v", r.PermissionsBoundary)
	}
	if mp := m.ManagedPolicies[0]; mp.ID != "aws_iam_policy.writer" || mp.ARN.Or("") != "arn:aws:iam::111122223333:policy/logs/logs-writer" {
		t.Errorf("managed policy %+v", mp)
	}
	// The AWS managed policy is not in the input: the role's permissions
	// are unknown, never assumed.
	for _, d := range delivery.Analyze(m) {
		if d.Source.ID == "aws_flow_log.logs" {
			if g := gate(d, "iam.role-permissions"); g == nil || g.Verdict != delivery.UNKNOWN || !strings.Contains(g.Reason, "CloudWatchLogsFullAccess") {
				t.Errorf("iam.role-permissions = %+v", g)
			}
		}
	}
}

// A policy attachment whose count is not known may attach to any role:
// the roles' policies are unknown.
func TestFlowLogRoleAttachmentUnknownCount(t *testing.T) {
	src := flowLogMain + `
variable "attach" { type = bool }
resource "aws_iam_role_policy_attachment" "maybe" {
  count      = var.attach ? 1 : 0
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.writer.arn
}
`
	m := load(t, writeDir(t, map[string]string{"main.tf": src}), flowLogOpts)
	if r := m.Roles[0]; r.ManagedPolicies.Known() || r.InlinePolicies.Known() || !strings.Contains(r.ManagedPolicies.Reason(), "aws_iam_role_policy_attachment.maybe") {
		t.Errorf("role %+v", r)
	}
}

// A flow log whose count is not known may exist: its delivery is UNKNOWN.
func TestFlowLogUnknownCount(t *testing.T) {
	src := `variable "on" { type = bool }
resource "aws_flow_log" "maybe" {
  count                = var.on ? 1 : 0
  vpc_id               = "vpc-0123456789abcdef0"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::amzn-s3-demo-flow-logs"
}`
	ds := delivery.Analyze(load(t, writeDir(t, map[string]string{"main.tf": src}), flowLogOpts))
	if len(ds) != 1 || ds[0].Verdict != delivery.UNKNOWN || gate(ds[0], "flowlogs.config") == nil {
		t.Fatalf("deliveries %+v", ds)
	}
}
