# An organization trail whose bucket policy is the one of a trail of one
# account: it grants AWSLogs/<account>/* only, while an organization trail
# writes every account's files, its own included, under
# AWSLogs/<organization ID>/<account>/. CreateTrail fails with
# InsufficientS3BucketPolicyException; a trail made an organization trail
# later stops delivering.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  trail_arn = "arn:${data.aws_partition.current.partition}:cloudtrail:${data.aws_region.current.name}:${local.account}:trail/organization-events"
}

resource "aws_s3_bucket" "trail" {
  bucket = "amzn-s3-demo-org-trail-${local.account}"
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "AWSCloudTrailAclCheck20150319"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.trail.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
  statement {
    sid       = "AWSCloudTrailWrite20150319"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.trail.arn}/AWSLogs/${local.account}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = data.aws_iam_policy_document.bucket.json
}

# Created in the organization's management account.
resource "aws_cloudtrail" "trail" {
  name                       = "organization-events"
  s3_bucket_name             = aws_s3_bucket.trail.id
  is_organization_trail      = true
  is_multi_region_trail      = true
  enable_log_file_validation = true

  # CreateTrail checks the bucket policy.
  depends_on = [aws_s3_bucket_policy.trail]
}
