package delivery

// Gate describes one gate: what it checks and the AWS page it follows. The
// IDs are part of logpath's interface (reports, suppressions, SARIF rules).
type Gate struct {
	ID      string
	Title   string
	Checks  string
	Doc     string
	Applies string // which destinations
}

// Catalog lists every gate, in the order a log passes them.
var Catalog = []Gate{
	{
		ID:      "nfw.logging-config",
		Title:   "Logging configuration is readable",
		Checks:  "Each LogDestinationConfig names a log type, a destination type and the destination (bucketName, logGroup or deliveryStream).",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_LogDestinationConfig.html",
		Applies: "all",
	},
	{
		ID:      "s3.bucket",
		Title:   "The destination bucket is known",
		Checks:  "The bucket named in the logging configuration is in the input, so that its policy, encryption and key can be checked.",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html",
		Applies: "S3",
	},
	{
		ID:      "s3.bucket-policy",
		Title:   "Bucket policy lets the log delivery service write",
		Checks:  "delivery.logs.amazonaws.com may s3:PutObject on <bucket>/<prefix>/AWSLogs/<account>/* with the bucket-owner-full-control ACL and s3:GetBucketAcl on the bucket; no statement denies it (VPC endpoint, IP or encryption-header conditions). No bucket policy at all is fine in the bucket's own account: AWS adds its statements when logging is set up. A bucket policy managed as code that lacks them fails: AWS appends them and the next deploy removes them. One that is not managed as code is a WARN until set-up appends them (and set-up fails on a policy with NotPrincipal or NotAction). In a deployed account (snapshot \"deployed\": true) a missing statement or policy fails. The s3:x-amz-acl condition is evaluated as sent: a third-party claim that it is not sent under BucketOwnerEnforced is unverified.",
		Doc:     "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html",
		Applies: "S3",
	},
	{
		ID:      "s3.encryption",
		Title:   "Bucket default encryption is one vended logs support",
		Checks:  "SSE-S3 works. SSE-KMS works only with a customer managed key named by its full key ARN; the AWS managed key aws/s3 (or SSE-KMS without a key ID) is not supported, a key ID or alias resolves in the log delivery service's account, and DSSE-KMS is not documented for vended logs.",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html",
		Applies: "S3",
	},
	{
		ID:      "kms.key-state",
		Title:   "The KMS key can be used",
		Checks:  "The key is a customer managed, symmetric encryption key, Enabled (not Disabled or PendingDeletion), in the same Region as the bucket or log group.",
		Doc:     "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
		Applies: "S3, CloudWatchLogs, KinesisDataFirehose",
	},
	{
		ID:      "kms.key-policy",
		Title:   "Key policy lets the log delivery service encrypt",
		Checks:  "The key policy lets delivery.logs.amazonaws.com call kms:GenerateDataKey with the request context S3 sends (encryption context aws:s3:arn, aws:SourceAccount), and nothing denies it. A missing kms:Decrypt (S3 needs it for multipart uploads) is a WARN; a condition on a key whose value AWS does not document for this request (kms:CallerAccount, the exact aws:SourceArn) makes the verdict UNKNOWN or WARN.",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html",
		Applies: "S3",
	},
	{
		ID:      "logs.log-group",
		Title:   "The destination log group is known",
		Checks:  "The log group is in the input, in the firewall's account and Region.",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html",
		Applies: "CloudWatchLogs",
	},
	{
		ID:      "logs.resource-policy",
		Title:   "Log resource policy lets the log delivery service write",
		Checks:  "The account-level or log-group-level CloudWatch Logs resource policies let delivery.logs.amazonaws.com call logs:CreateLogStream and logs:PutLogEvents on the group; an account-level policy stays within 5,120 characters and an account within 10 such policies per Region.",
		Doc:     "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html",
		Applies: "CloudWatchLogs",
	},
	{
		ID:      "logs.kms-key-policy",
		Title:   "Key policy lets CloudWatch Logs use the log group's key",
		Checks:  "A KMS-encrypted log group's key policy lets logs.<region>.amazonaws.com call kms:GenerateDataKey (and Encrypt, Decrypt, ReEncrypt*, Describe*) with kms:EncryptionContext:aws:logs:arn set to the group's ARN.",
		Doc:     "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
		Applies: "CloudWatchLogs",
	},
	{
		ID:      "firehose.stream",
		Title:   "The delivery stream accepts direct writes",
		Checks:  "The stream is in the input, in the firewall's account and Region, with source type Direct PUT.",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-kinesis.html",
		Applies: "KinesisDataFirehose",
	},
	{
		ID:      "firehose.tag",
		Title:   "The stream carries LogDeliveryEnabled=true",
		Checks:  "The service-linked role AWSServiceRoleForLogDelivery may write only to streams tagged LogDeliveryEnabled=true. AWS adds the tag when logging is set up; code that manages the stream's tags without it removes it at the next deploy, unless it declares the tag or ignores tag changes. In a deployed account a missing tag fails.",
		Doc:     "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html",
		Applies: "KinesisDataFirehose",
	},
	{
		ID:      "firehose.encryption",
		Title:   "The stream's KMS key can be used",
		Checks:  "A stream encrypted with a customer managed key needs the key usable (see kms.key-state); Network Firewall's page also asks for a delivery.logs.amazonaws.com kms:GenerateDataKey* statement, which Firehose's own documentation does not explain, so its absence is a WARN.",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html",
		Applies: "KinesisDataFirehose",
	},
	{
		ID:      "org.rcp",
		Title:   "Resource control policies let the service through",
		Checks:  "RCPs on the bucket's and the key's accounts do not deny the service's requests: the log delivery service's to the bucket and its key, CloudWatch Logs' to a log group's key (a data-perimeter deny needs the aws:PrincipalIsAWSService exemption). Checked only when the input holds RCPs. The Firehose writer is a service-linked role, which RCPs exempt.",
		Doc:     "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html",
		Applies: "S3, CloudWatchLogs",
	},
	{
		ID:      "evidence.logs",
		Title:   "Logs arrive (live audit)",
		Checks:  "logpath audit only: what AWS shows next to the policy verdict. The newest object under the exact S3 prefix AWS writes, or the newest ingestion into the firewall's log streams, within --lookback; AWS's own delivery status where the service has one (Firehose FailureDescription); with --evidence metrics, the firewall's ReceivedPackets. An AWS-reported failure is a WARN at least. Logs arriving although the policies FAIL is shown as a contradiction, and the FAIL stands. No FLOW log while the firewall received packets, or FLOW logs that stopped arriving, is a WARN although the policies allow delivery. ALERT and TLS logs may rightly be empty.",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-timing.html",
		Applies: "all (live audit)",
	},
	{
		ID:      "audit.read",
		Title:   "The account could be read (live audit)",
		Checks:  "logpath audit only: an account whose role cannot be assumed, or a source service that cannot be listed in a Region (access denied, the service not offered there), is reported as UNKNOWN instead of showing fewer deliveries.",
		Doc:     "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html",
		Applies: "all (live audit)",
	},
}

func gateDoc(id string) string {
	for _, g := range Catalog {
		if g.ID == id {
			return g.Doc
		}
	}
	return ""
}
