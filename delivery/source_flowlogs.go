package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/model"
)

// VPC Flow Logs: what AWS documents for its logs.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
//
//   - S3 and Firehose: the log delivery service writes ("V1" vended logs,
//     like Network Firewall): the bucket policy and the bucket key's
//     policy name delivery.logs.amazonaws.com, with aws:SourceAccount and
//     aws:SourceArn arn:aws:logs:<region>:<account>:*; a Firehose stream is
//     written by the service-linked role AWSServiceRoleForLogDelivery, on
//     streams tagged LogDeliveryEnabled=true.
//     https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
//     https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html (VPC Flow Logs: S3 and Firehose, V1)
//     https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
//   - CloudWatch Logs: the IAM role in DeliverLogsPermissionArn writes. Its
//     trust policy must let vpc-flow-logs.amazonaws.com assume it (AWS
//     sends aws:SourceAccount, the flow log's account, and aws:SourceArn,
//     the flow log's ARN); its policies must allow the log actions; it
//     must belong to the flow log's account.
//     https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
var flowLogsSource = &sourceType{
	name:        "vpc-flow-logs",
	label:       "VPC Flow Logs",
	noun:        "flow log",
	configGate:  "flowlogs.config",
	s3:          vendedLogsV1,
	firehose:    vendedLogsV1,
	logs:        flowLogsRole,
	objectKey:   flowLogObjectKey,
	grantedKeys: flowLogGrantedKeys,
	logStream:   flowLogStream,
	docs: map[string]string{
		"s3.bucket":        "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html",
		"s3.bucket-policy": "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html",
		"s3.encryption":    "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html",
		"kms.key-policy":   "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html",
		"logs.log-group":   "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html",
		"firehose.stream":  "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-firehose.html",
		// What the live audit quotes: DeliverLogsStatus and its message.
		"evidence.logs": "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FlowLog.html",
	},
}

// flowLogsRole is the role of DeliverLogsPermissionArn, which
// vpc-flow-logs.amazonaws.com assumes to publish to CloudWatch Logs. The
// VPC page lists five actions the role "must include at least"; logpath
// fails a delivery whose role cannot create a stream or put events, and
// warns about the others, whose absence AWS does not say breaks delivery.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
var flowLogsRole = &writer{
	principal: "vpc-flow-logs.amazonaws.com",
	role:      true,
	sourceArn: flowLogSourceArn,
	// "If you don't know the flow log ID, you can replace that portion of
	// the ARN with a wildcard (*)."
	sourceArnGrant: func(s *source) string { return "arn:aws:ec2:" + s.region + ":" + s.account + ":vpc-flow-log/*" },
	roleActions: []roleAction{
		{action: "logs:CreateLogStream", scope: scopeStream, required: true},
		{action: "logs:PutLogEvents", scope: scopeStream, required: true},
		{action: "logs:DescribeLogStreams", scope: scopeGroup, why: flowLogsRoleWhy},
		{action: "logs:CreateLogGroup", scope: scopeGroup, why: flowLogsRoleWhy},
		{action: "logs:DescribeLogGroups", scope: scopeAccount, why: flowLogsRoleWhy},
	},
}

const flowLogsRoleWhy = "the VPC documentation lists these among the permissions the role must have but does not say what fails without them (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html)"

// flowLogIDPlaceholder stands for a flow log ID that is generated when the
// flow log is created.
const flowLogIDPlaceholder = "fl-0123456789abcdef0"

// Flow log files are written under
// <bucket>/<folder>/AWSLogs/<account>/vpcflowlogs/<Region>/<yyyy>/<mm>/<dd>/[<hh>/],
// or with Hive-compatible prefixes under
// AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<Region>/year=<yyyy>/month=<mm>/day=<dd>/[hour=<hh>/],
// named <account>_vpcflowlogs_<Region>_<flow-log-id>_<yyyymmddThhmmZ>_<hash>.log.gz
// (.log.parquet for Parquet files).
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
func flowLogObjectKey(src *source, prefix string) string {
	id := src.sourceID
	if id == "" {
		id = flowLogIDPlaceholder
	}
	dir := "AWSLogs/" + src.account + "/vpcflowlogs/" + src.region + "/2026/01/01/"
	if src.hivePaths {
		dir = "AWSLogs/aws-account-id=" + src.account + "/aws-service=vpcflowlogs/aws-region=" + src.region + "/year=2026/month=01/day=01/"
	}
	if src.perHour {
		if src.hivePaths {
			dir += "hour=00/"
		} else {
			dir += "00/"
		}
	}
	ext := src.fileExt
	if ext == "" {
		ext = ".log.gz"
	}
	return underPrefix(prefix, dir+src.account+"_vpcflowlogs_"+src.region+"_"+id+"_20260101T0000Z_0123abcd"+ext)
}

// flowLogGrantedKeys is the key pattern a bucket policy must grant: AWS's
// AWSLogs/<account>/* does not cover the Hive-compatible folders, which
// start AWSLogs/aws-account-id=<account>/ [I: the VPC page shows the
// folders, not a statement for them].
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
func flowLogGrantedKeys(src *source, prefix string) string {
	if src.hivePaths {
		return underPrefix(prefix, "AWSLogs/aws-account-id="+src.account+"/*")
	}
	return awsLogsKeys(src, prefix)
}

// flowLogStream: each network interface has its own log stream. AWS does
// not document the stream's name; logpath uses a network interface ID.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
func flowLogStream(src *source) string { return "eni-0123456789abcdef0-all" }

// flowLogSourceArn is the aws:SourceArn vpc-flow-logs.amazonaws.com sends
// when it assumes the role: the flow log's ARN. Before the flow log exists
// its ID is not known, so a condition that names one ID is undecided.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
func flowLogSourceArn(s *source) (string, []variant) {
	prefix := "arn:aws:ec2:" + s.region + ":" + s.account + ":vpc-flow-log/"
	if s.sourceID != "" {
		return prefix + s.sourceID, nil
	}
	return prefix + flowLogIDPlaceholder, []variant{{key: "aws:SourceArn", values: []string{prefix + "fl-0fedcba9876543210"}, severity: UNKNOWN,
		why: "aws:SourceArn is the flow log's ARN, and its ID is generated when the flow log is created"}}
}

// flowLog lists a flow log's delivery: one destination per flow log.
func (a *analyzer) flowLog(fl *model.FlowLog) []Delivery {
	src := source{typ: flowLogsSource, origin: fl.Origin, name: fl.ID, role: fl.DeliverLogsPermissionARN, roleRef: fl.RoleRef}
	var ok bool
	if src.account, ok = fl.Account.Get(); !ok {
		src.missing = append(src.missing, "the flow log's account is unknown: "+fl.Account.Reason())
	}
	if src.region, ok = fl.Region.Get(); !ok {
		src.missing = append(src.missing, "the flow log's Region is unknown: "+fl.Region.Reason())
	}
	if id, ok := fl.FlowLogID.Get(); ok && id != "" {
		src.sourceID, src.name = id, id
		if src.account != "" && src.region != "" {
			src.arn = "arn:aws:ec2:" + src.region + ":" + src.account + ":vpc-flow-log/" + id
		}
	}
	if src.name == "" {
		src.name = fl.ResourceID.Or("(flow log)")
	}
	src.logType = fl.TrafficType.Or("?")
	if fl.TrafficType.IsZero() {
		src.logType = "-"
	}
	d := Delivery{Source: src.report()}
	a.flowLogDestination(&d, &src, fl)
	applyEvidence(&d, fl.Evidence)
	return []Delivery{d}
}

// flowLogDestination reads the flow log's destination and decides its
// delivery.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
func (a *analyzer) flowLogDestination(d *Delivery, src *source, fl *model.FlowLog) {
	loc := fl.Origin
	config := func(v Verdict, dtype, reason string) {
		d.Destination = Destination{Type: dtype, Name: "?"}
		d.add(GateResult{ID: "flowlogs.config", Verdict: v, Reason: reason, Location: loc})
	}
	typ, ok := fl.DestinationType.Get()
	if !ok {
		config(UNKNOWN, "", "the destination type is unknown: "+fl.DestinationType.Reason())
		return
	}
	arn, arnKnown := fl.Destination.Get()
	parts, isARN := splitARN(arn)
	switch typ {
	case model.FlowLogToS3:
		t := &target{typ: model.DestS3, ref: fl.DestinationRef, loc: loc}
		switch {
		case !arnKnown:
			t.bucket = model.Unknown[string]("the flow log's LogDestination is unknown: %s", fl.Destination.Reason())
			t.prefix = t.bucket
		case arn == "":
			config(FAIL, model.DestS3, "a flow log to S3 needs LogDestination, the bucket's ARN")
			return
		case !isARN || parts[2] != "s3":
			config(FAIL, model.DestS3, fmt.Sprintf("LogDestination %q is not an S3 bucket ARN (arn:aws:s3:::bucket/optional-folder/)", arn))
			return
		default:
			bucket, folder, _ := strings.Cut(parts[5], "/")
			t.bucket, t.prefix = model.Known(bucket), model.Known(folder)
		}
		a.flowLogS3Options(src, fl)
		a.deliver(d, src, t)
	case model.FlowLogToLogs:
		t := &target{typ: model.DestLogs, ref: fl.DestinationRef, loc: loc, logGroup: fl.LogGroupName}
		group, groupKnown := fl.LogGroupName.Get()
		switch {
		case arnKnown && arn != "":
			if !isARN || parts[2] != "logs" || !strings.HasPrefix(parts[5], "log-group:") {
				config(FAIL, model.DestLogs, fmt.Sprintf("LogDestination %q is not a CloudWatch Logs log group ARN", arn))
				return
			}
			t.logGroup = model.Known(strings.TrimSuffix(strings.TrimPrefix(parts[5], "log-group:"), ":*"))
			if a.placement(d, src, parts, model.DestLogs, "logs.log-group", "log group", model.Value[string]{}, loc) {
				return
			}
		case groupKnown && group != "":
		case !arnKnown && !fl.Destination.IsZero():
			t.logGroup = model.Unknown[string]("the flow log's LogDestination is unknown: %s", fl.Destination.Reason())
		case !groupKnown && !fl.LogGroupName.IsZero():
		default:
			config(FAIL, model.DestLogs, "a flow log to CloudWatch Logs needs a log group: LogDestination (its ARN) or LogGroupName")
			return
		}
		if r, ok := fl.DeliverLogsPermissionARN.Get(); ok && r == "" && fl.RoleRef == "" {
			config(FAIL, model.DestLogs, "a flow log to CloudWatch Logs needs DeliverLogsPermissionArn, the IAM role that publishes the logs (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html)")
			return
		}
		a.deliver(d, src, t)
	case model.FlowLogToFirehose:
		t := &target{typ: model.DestFirehose, ref: fl.DestinationRef, loc: loc}
		switch {
		case !arnKnown:
			t.stream = model.Unknown[string]("the flow log's LogDestination is unknown: %s", fl.Destination.Reason())
		case !isARN || parts[2] != "firehose" || !strings.HasPrefix(parts[5], "deliverystream/"):
			config(FAIL, model.DestFirehose, fmt.Sprintf("LogDestination %q is not a Firehose delivery stream ARN", arn))
			return
		default:
			t.stream = model.Known(strings.TrimPrefix(parts[5], "deliverystream/"))
			if a.placement(d, src, parts, model.DestFirehose, "firehose.stream", "delivery stream", fl.DeliverCrossAccountRole, loc) {
				return
			}
		}
		a.deliver(d, src, t)
	default:
		config(FAIL, typ, fmt.Sprintf("unknown destination type %q (expected s3, cloud-watch-logs or kinesis-data-firehose)", typ))
	}
}

// flowLogS3Options reads the destination options that shape the S3 keys;
// one that is unknown makes the keys, and so the S3 requests, unknown.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
func (a *analyzer) flowLogS3Options(src *source, fl *model.FlowLog) {
	if fl.DestinationOptions.IsZero() {
		return
	}
	opts, ok := fl.DestinationOptions.Get()
	if !ok {
		src.missing = append(src.missing, "the flow log's destination options are unknown: "+fl.DestinationOptions.Reason())
		return
	}
	if opts == nil {
		return
	}
	if v, ok := opts.HiveCompatiblePartitions.Get(); ok {
		src.hivePaths = v
	} else if !opts.HiveCompatiblePartitions.IsZero() {
		src.missing = append(src.missing, "whether the flow log uses Hive-compatible prefixes is unknown: "+opts.HiveCompatiblePartitions.Reason())
	}
	if v, ok := opts.PerHourPartition.Get(); ok {
		src.perHour = v
	} else if !opts.PerHourPartition.IsZero() {
		src.missing = append(src.missing, "whether the flow log partitions per hour is unknown: "+opts.PerHourPartition.Reason())
	}
	if f, ok := opts.FileFormat.Get(); ok && f == "parquet" {
		src.fileExt = ".log.parquet"
	}
}

// placement checks that a destination named by ARN is in the flow log's
// account and Region, and reports true when it decided the delivery.
// VPC Flow Logs' role must belong to the flow log's account, and a role
// of one account cannot write to another's log group (log group resource
// policies apply to AWS services only); a Firehose stream in another
// account needs the cross-account roles of DeliverCrossAccountRole, which
// logpath does not check.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutResourcePolicy.html
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-firehose.html
func (a *analyzer) placement(d *Delivery, src *source, parts [6]string, dtype, gate, what string, crossAccountRole model.Value[string], loc model.Origin) bool {
	region, account := parts[3], parts[4]
	name := parts[5][strings.IndexAny(parts[5], ":/")+1:]
	name = strings.TrimSuffix(name, ":*")
	decide := func(v Verdict, reason string) bool {
		d.Destination = Destination{Type: dtype, Name: name, ARN: "arn:" + strings.Join(parts[1:], ":")}
		d.add(GateResult{ID: gate, Verdict: v, Location: loc, Reason: reason})
		return true
	}
	switch {
	case src.account != "" && account != "" && account != src.account && dtype == model.DestLogs:
		return decide(FAIL, fmt.Sprintf("%s %s is in account %s; the role that publishes flow logs to CloudWatch Logs belongs to the flow log's account %s, and CloudWatch Logs lets only AWS services write across accounts", what, name, account, src.account))
	case src.account != "" && account != "" && account != src.account && crossAccountRole.Or("?") == "":
		return decide(FAIL, fmt.Sprintf("%s %s is in account %s, not the flow log's account %s, and the flow log has no DeliverCrossAccountRole: VPC Flow Logs delivers to another account only through cross-account roles", what, name, account, src.account))
	case src.account != "" && account != "" && account != src.account:
		return decide(UNKNOWN, fmt.Sprintf("%s %s is in account %s, not the flow log's account %s: VPC Flow Logs delivers there through the cross-account roles of DeliverCrossAccountRole, which logpath does not check", what, name, account, src.account))
	case src.region != "" && region != "" && region != src.region:
		return decide(UNKNOWN, fmt.Sprintf("%s %s is in %s, not the flow log's Region %s; the VPC documentation does not say whether a flow log can publish to another Region", what, name, region, src.region))
	}
	return false
}

// splitARN splits an ARN into its six parts.
func splitARN(s string) ([6]string, bool) {
	var p [6]string
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return p, false
	}
	copy(p[:], parts)
	return p, true
}
