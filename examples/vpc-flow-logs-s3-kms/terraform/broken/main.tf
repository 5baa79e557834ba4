# VPC flow logs to an S3 bucket encrypted with a customer managed KMS key
# whose key policy has only the root statement, and to a KMS-encrypted log
# group through an IAM role. The flow logs are created and no log file ever
# arrives: the log delivery service may not use the bucket's key, the
# role's trust policy names the wrong service, and CloudWatch Logs may not
# use the log group's key.
variable "vpc_id" {
  type = string
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "Enable IAM User Permissions"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${local.account}:root"]
    }
  }
}

resource "aws_kms_key" "logs" {
  description         = "Key for VPC flow logs"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}

resource "aws_s3_bucket" "logs" {
  bucket = "amzn-s3-demo-flow-logs-${local.account}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.logs.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_flow_log" "to_s3" {
  vpc_id               = var.vpc_id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${aws_s3_bucket.logs.arn}/flow-logs/"
  destination_options {
    file_format        = "plain-text"
    per_hour_partition = true
  }
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name       = "/vpc/flow-logs"
  kms_key_id = aws_kms_key.logs.arn
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  name               = "flow-logs-publisher"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "publish" {
  statement {
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogGroups",
      "logs:DescribeLogStreams",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "publish" {
  name   = "publish-flow-logs"
  policy = data.aws_iam_policy_document.publish.json
}

resource "aws_iam_role_policy_attachment" "publish" {
  role       = aws_iam_role.flow_logs.name
  policy_arn = aws_iam_policy.publish.arn
}

resource "aws_flow_log" "to_cloudwatch" {
  vpc_id          = var.vpc_id
  traffic_type    = "REJECT"
  log_destination = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn    = aws_iam_role.flow_logs.arn
}
