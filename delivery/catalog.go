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
		ID:      "flowlogs.config",
		Title:   "Flow log configuration is readable",
		Checks:  "The flow log names a destination type (s3, cloud-watch-logs or kinesis-data-firehose) and a destination of that type: an S3 bucket ARN with an optional folder, a log group (ARN or LogGroupName) with the IAM role of DeliverLogsPermissionArn, or a delivery stream ARN.",
		Doc:     "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html",
		Applies: "all",
	},
	{
		ID:      "cloudtrail.trail",
		Title:   "The trail is logging and names its destinations",
		Checks:  "The trail is logging (IsLogging false: it delivers nothing, FAIL), names an S3 bucket, and names CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn together (a log group ARN without \":*\" is a WARN). The other gates then apply CloudTrail's rules, not the vended-log ones: cloudtrail.amazonaws.com writes to <prefix>/AWSLogs/<account>/* (an organization trail: AWSLogs/<organization ID>/*) with aws:SourceArn the trail's ARN, and AWS adds no bucket policy outside the CloudTrail console, so a missing statement fails. The trail's KMSKeyId replaces the bucket's default encryption; its key policy must allow kms:GenerateDataKey with the aws:cloudtrail:arn encryption context, and kms:DescribeKey. A bucket default SSE-KMS key without KMSKeyId is at most a WARN. To CloudWatch Logs, CloudTrail assumes the role, which must allow logs:CreateLogStream and logs:PutLogEvents on the <account>_CloudTrail_<Region> stream.",
		Doc:     "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html",
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
		Checks:  "The log group is in the input, in the source's account and Region. VPC Flow Logs writes with a role of its own account, which cannot write to another account's log group; whether it can publish to another Region is not documented (UNKNOWN).",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html",
		Applies: "CloudWatchLogs",
	},
	{
		ID:      "iam.role-trust",
		Title:   "The writing role's trust policy lets the service assume it",
		Checks:  "For a destination an IAM role of the source writes to (VPC Flow Logs to CloudWatch Logs: DeliverLogsPermissionArn): the role is in the input and in the source's account, and its trust policy lets the service (vpc-flow-logs.amazonaws.com) call sts:AssumeRole with the aws:SourceAccount and aws:SourceArn it sends, the flow log's account and ARN. A condition that names a flow log ID not known before the flow log exists makes the verdict UNKNOWN.",
		Doc:     "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html",
		Applies: "CloudWatchLogs (written by a role)",
	},
	{
		ID:      "iam.role-permissions",
		Title:   "The writing role's policies allow the writes",
		Checks:  "The role's inline and attached managed policies, within its permissions boundary and the SCPs of its account in the input, allow logs:CreateLogStream and logs:PutLogEvents on the log group (FAIL without them), and logs:CreateLogGroup, logs:DescribeLogGroups and logs:DescribeLogStreams, which the VPC page also lists (WARN without them). A managed policy that is not in the input, an AWS managed one included, makes the verdict UNKNOWN: logpath does not assume its text. FullAWSAccess is assumed attached wherever the input's SCPs only deny; where they allow things themselves, a decision that depends on it is UNKNOWN.",
		Doc:     "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html",
		Applies: "CloudWatchLogs (written by a role)",
	},
	{
		ID:      "logs.resource-policy",
		Title:   "Log resource policy lets the log delivery service write",
		Checks:  "The account-level or log-group-level CloudWatch Logs resource policies let delivery.logs.amazonaws.com call logs:CreateLogStream and logs:PutLogEvents on the group; an account-level policy stays within 5,120 characters and an account within 10 such policies per Region. Not checked when a role writes (the policies apply to AWS services only).",
		Doc:     "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html",
		Applies: "CloudWatchLogs (written by the log delivery service)",
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
		Checks:  "The stream is in the input, in the source's account and Region, with source type Direct PUT. A VPC flow log may deliver to a stream in another account through the cross-account roles of DeliverCrossAccountRole, which logpath does not check (UNKNOWN; FAIL without the role).",
		Doc:     "https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-kinesis.html",
		Applies: "KinesisDataFirehose",
	},
	{
		ID:      "firehose.tag",
		Title:   "The stream carries LogDeliveryEnabled=true",
		Checks:  "The service-linked role AWSServiceRoleForLogDelivery may write only to streams tagged LogDeliveryEnabled=true. AWS adds the tag when logging is set up; code that manages the stream's tags without it removes it at the next deploy, unless it declares the tag or ignores tag changes; when the input cannot show whether tag changes are ignored (a Terraform plan JSON prints no lifecycle blocks), the gate is UNKNOWN, and declaring the tag is the fix either way. In a deployed account a missing tag fails. Not checked for AWS WAF, whose own role (AWSServiceRoleForWAFV2Logging) writes to streams named aws-waf-logs-* without a tag condition (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/WAFLoggingServiceRolePolicy.html).",
		Doc:     "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html",
		Applies: "KinesisDataFirehose",
	},
	{
		ID:      "firehose.encryption",
		Title:   "The stream's KMS key can be used",
		Checks:  "A stream encrypted with a customer managed key needs the key usable (see kms.key-state); Network Firewall's page also asks for a delivery.logs.amazonaws.com kms:GenerateDataKey* statement, which Firehose's own documentation does not explain, so its absence is a WARN. For AWS WAF, whose own role writes, only the key's state is checked.",
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
	// The configuration gates of Route 53 Resolver query logs and AWS
	// WAF (source_resolver.go, source_waf.go), which come first in their
	// deliveries.
	{
		ID:      "resolver.query-log-config",
		Title:   "Route 53 Resolver query logging configuration logs something",
		Checks:  "The DestinationArn is the ARN of an S3 bucket (optionally followed by a prefix), a CloudWatch Logs log group or a Firehose stream; the ARN's service decides the destination type. A configuration logs the queries of the VPCs associated with it: with no association in the input it is a WARN (no query is logged, unless a Route 53 Profile or an account it is shared with through RAM associates a VPC), UNKNOWN when an association names a configuration that cannot be told.",
		Doc:     "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverQueryLogConfig.html",
		Applies: "all",
	},
	{
		ID:      "waf.logging-config",
		Title:   "AWS WAF logging configuration is readable",
		Checks:  "The logging configuration names its web ACL (in the input, or by an ARN that gives its name, account, Region and scope) and exactly one destination by ARN: an S3 bucket, a CloudWatch Logs log group or a Firehose stream. A CLOUDFRONT web ACL is in us-east-1 and logs from there, so its log group and stream must be there too.",
		Doc:     "https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html",
		Applies: "all",
	},
	{
		ID:      "waf.destination",
		Title:   "The destination is one AWS WAF logs to",
		Checks:  "The bucket, log group or stream name starts with aws-waf-logs-. A bucket in another account than the web ACL's is a WARN: one version of WAF's S3 page asks for a bucket in the web ACL's account, while its bucket policy examples and CloudWatch's pages allow another account's.",
		Doc:     "https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html",
		Applies: "all",
	},
	{
		ID:      "evidence.logs",
		Title:   "Logs arrive (live audit)",
		Checks:  "logpath audit only: what AWS shows next to the policy verdict. The newest object under the exact S3 prefix AWS writes, or the newest ingestion into the source's log streams, within --lookback; AWS's own delivery status where the service has one (Firehose FailureDescription, a flow log's DeliverLogsStatus, a Resolver association's Status, CloudTrail's LatestDeliveryError); with --evidence metrics, a firewall's ReceivedPackets. An AWS-reported failure is a WARN at least. Logs arriving although the policies FAIL is shown as a contradiction, and the FAIL stands. No FLOW log while the firewall received packets, or logs that stopped arriving, is a WARN although the policies allow delivery. Network Firewall's ALERT and TLS logs may rightly be empty. The doc link is the source's own page on what it reports.",
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

// gateDoc is the AWS page of a gate: the source type's own page for it,
// else the catalog's.
func gateDoc(source, id string) string {
	if t := sourceTypes[source]; t != nil && t.docs[id] != "" {
		return t.docs[id]
	}
	for _, g := range Catalog {
		if g.ID == id {
			return g.Doc
		}
	}
	return ""
}
