variable "env" {
  default = "prod"
}

module "logs" {
  source = "./modules/logbucket"
  name   = "amzn-s3-demo-logs-${var.env}"
}

module "remote" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
  bucket  = "amzn-s3-demo-other"
}

resource "aws_networkfirewall_firewall" "main" {
  name = "fw-${var.env}"
}

resource "aws_networkfirewall_logging_configuration" "main" {
  firewall_arn = aws_networkfirewall_firewall.main.arn
  logging_configuration {
    log_destination_config {
      log_destination = {
        bucketName = module.logs.bucket_name
      }
      log_destination_type = "S3"
      log_type             = "FLOW"
    }
    log_destination_config {
      log_destination = {
        bucketName = module.remote.s3_bucket_id
      }
      log_destination_type = "S3"
      log_type             = "ALERT"
    }
  }
}
