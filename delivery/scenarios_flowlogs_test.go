package delivery

import (
	"strings"
	"testing"

	"github.com/logpath/logpath/model"
)

// Scenario catalogue: VPC Flow Logs to S3, CloudWatch Logs and Firehose.
// Each scenario names the section of shared/reference/aws-log-delivery.md
// it rests on (§6 for what is particular to flow logs); the comment above
// it gives the AWS page.

const (
	vpcID        = "vpc-0123456789abcdef0"
	flowRoleName = "flow-logs-publisher"
	flowRoleARN  = "arn:aws:iam::" + acct + ":role/" + flowRoleName
	flowGroup    = "/vpc/flow-logs"
	flowGroupARN = "arn:aws:logs:" + region + ":" + acct + ":log-group:" + flowGroup
	flowLogsARNs = "arn:aws:ec2:" + region + ":" + acct + ":vpc-flow-log/*"
)

// flowLogTo is a flow log of the seed's VPC to one destination, as a loader
// gives it before deployment: its ID not known yet, nothing else unknown.
func flowLogTo(typ, destination string) *model.FlowLog {
	return &model.FlowLog{
		Origin:    model.Origin{ID: "VpcFlowLog"},
		FlowLogID: model.Unknown[string]("the flow log ID is generated when the flow log is created"),
		Account:   model.Known(acct), Region: model.Known(region),
		ResourceID: model.Known(vpcID), TrafficType: model.Known("ALL"),
		DestinationType: model.Known(typ), Destination: model.Known(destination),
		LogGroupName: model.Known(""), DeliverLogsPermissionARN: model.Known(""), DeliverCrossAccountRole: model.Known(""),
		DestinationOptions: model.Known[*model.FlowLogDestinationOptions](nil),
	}
}

// flowSeed is the seed's failure for flow logs: a VPC flow log to the
// seed's SSE-KMS bucket (folder flow-logs/), whose key has only the default
// key policy.
func flowSeed(changes ...func(m *model.Model)) func() *model.Model {
	return func() *model.Model {
		m := seed()
		m.Firewalls = nil
		m.FlowLogs = []*model.FlowLog{flowLogTo(model.FlowLogToS3, bucketARN+"/flow-logs/")}
		for _, c := range changes {
			c(m)
		}
		return m
	}
}

func onFlowLog(f func(fl *model.FlowLog)) func(m *model.Model) {
	return func(m *model.Model) { f(m.FlowLogs[0]) }
}

func flowOptions(hive, perHour model.Value[bool], format string) func(m *model.Model) {
	return onFlowLog(func(fl *model.FlowLog) {
		fl.DestinationOptions = model.Known(&model.FlowLogDestinationOptions{FileFormat: model.Known(format),
			HiveCompatiblePartitions: hive, PerHourPartition: perHour})
	})
}

// The role documented on flow-logs-iam-role.html.
var (
	flowTrustStmt = `{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole",` +
		`"Condition":{"StringEquals":{"aws:SourceAccount":"` + acct + `"},"ArnLike":{"aws:SourceArn":"` + flowLogsARNs + `"}}}`
	flowPermissions = policyWith(`{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogGroups","logs:DescribeLogStreams"],"Resource":"*"}`)
)

func flowRole(trust string, inline ...string) *model.IAMRole {
	r := &model.IAMRole{Origin: model.Origin{ID: "FlowLogsRole"}, Name: model.Known(flowRoleName), ARN: model.Known(flowRoleARN),
		Account: model.Known(acct), TrustPolicy: doc(trust), ManagedPolicies: model.Known[[]model.PolicyAttachment](nil),
		PermissionsBoundary: model.Known("")}
	var ips []model.InlinePolicy
	for i, p := range inline {
		ips = append(ips, model.InlinePolicy{Name: model.Known("publish-" + string(rune('a'+i))), Policy: doc(p)})
	}
	r.InlinePolicies = model.Known(ips)
	return r
}

// flowToLogs is a flow log to an unencrypted log group (named by ARN, as
// !GetAtt Group.Arn gives it) through the documented role, plus changes.
func flowToLogs(changes ...func(m *model.Model)) func() *model.Model {
	return func() *model.Model {
		fl := flowLogTo(model.FlowLogToLogs, flowGroupARN+":*")
		fl.DeliverLogsPermissionARN = model.Known(flowRoleARN)
		m := &model.Model{
			FlowLogs: []*model.FlowLog{fl},
			LogGroups: []*model.LogGroup{{Origin: model.Origin{ID: "FlowLogGroup"}, Name: model.Known(flowGroup),
				Account: model.Known(acct), Region: model.Known(region), KMSKeyID: model.Known("")}},
			Roles: []*model.IAMRole{flowRole(policyWith(flowTrustStmt), flowPermissions)},
		}
		for _, c := range changes {
			c(m)
		}
		return m
	}
}

func onRole(f func(r *model.IAMRole)) func(m *model.Model) {
	return func(m *model.Model) { f(m.Roles[0]) }
}

func trustPolicy(json string) func(m *model.Model) {
	return onRole(func(r *model.IAMRole) { r.TrustPolicy = doc(json) })
}

func inlinePolicies(jsons ...string) func(m *model.Model) {
	return onRole(func(r *model.IAMRole) { *r = *flowRole(r.TrustPolicy.Or(nil).JSON.Or(""), jsons...) })
}

func attach(arn string) func(m *model.Model) {
	return onRole(func(r *model.IAMRole) {
		r.ManagedPolicies = model.Known([]model.PolicyAttachment{{ARN: model.Known(arn)}})
	})
}

// flowToFirehose is a flow log to a Direct PUT stream tagged
// LogDeliveryEnabled=true, plus changes.
func flowToFirehose(changes ...func(m *model.Model)) func() *model.Model {
	return func() *model.Model {
		m := firehoseModel()()
		m.Firewalls = nil
		m.FlowLogs = []*model.FlowLog{flowLogTo(model.FlowLogToFirehose, "arn:aws:firehose:"+region+":"+acct+":deliverystream/"+streamName)}
		for _, c := range changes {
			c(m)
		}
		return m
	}
}

func flowLogS3Scenarios() []scenario {
	folder := func(f string) string { return bucketARN + "/" + f + "AWSLogs/" + acct + "/*" }
	hive := func(f string) string { return bucketARN + "/" + f + "AWSLogs/aws-account-id=" + acct + "/*" }
	return []scenario{
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-cmk-policy.html
		{name: "flowlogs s3: the seed's failure, a CMK whose policy lacks delivery.logs, fails at kms.key-policy", ref: "§0, §2.5, §6",
			build: flowSeed(), want: FAIL,
			gates:      map[string]Verdict{"s3.bucket": OK, "s3.bucket-policy": OK, "s3.encryption": OK, "kms.key-state": OK, "kms.key-policy": FAIL},
			reasonGate: "kms.key-policy", reason: "may not call kms:GenerateDataKey", fixGate: "kms.key-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "flowlogs s3: the CloudWatch V1 key statement (the VPC page links it) is OK", ref: "§2.5, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy)), want: OK, gates: map[string]Verdict{"kms.key-policy": OK}},
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
		{name: "flowlogs s3: managed bucket policy with AWSLogDeliveryWrite on <folder>/AWSLogs/<acct>/* is OK", ref: "§2.1, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy), bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(folder("flow-logs/"), acct))))),
			want:  OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
		{name: "flowlogs s3: per-hour partitions stay under AWSLogs/<acct>/ and are OK", ref: "§2.1, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy), flowOptions(model.Known(false), model.Known(true), "plain-text"),
				bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(folder("flow-logs/"), acct))))),
			want: OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
		{name: "flowlogs s3: Hive-compatible prefixes (AWSLogs/aws-account-id=<acct>/) are not covered by AWSLogs/<acct>/* and fail", ref: "§2.1, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy), flowOptions(model.Known(true), model.Known(true), "parquet"),
				bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(folder("flow-logs/"), acct))))),
			want: FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, reasonGate: "s3.bucket-policy", reason: "s3:PutObject", fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
		{name: "flowlogs s3: Hive-compatible prefixes with a statement on AWSLogs/aws-account-id=<acct>/* are OK", ref: "§2.1, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy), flowOptions(model.Known(true), model.Known(false), "plain-text"),
				bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(hive("flow-logs/"), acct))))),
			want: OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html (LogDestination: the bucket ARN with an optional folder)
		{name: "flowlogs s3: a bucket ARN without a folder writes under <bucket>/AWSLogs/", ref: "§1.3, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy), onFlowLog(func(fl *model.FlowLog) { fl.Destination = model.Known(bucketARN) }),
				bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(folder(""), acct))))),
			want: OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		{name: "flowlogs s3: a policy for another folder fails", ref: "§2.1, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy), bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(folder("nfw/"), acct))))),
			want:  FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		{name: "unknown: flow log destination options unknown", ref: "§0.1, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy), onFlowLog(func(fl *model.FlowLog) {
				fl.DestinationOptions = model.Known(&model.FlowLogDestinationOptions{FileFormat: model.Known("plain-text"),
					HiveCompatiblePartitions: model.Unknown[bool]("parameter HivePartitions has no default"), PerHourPartition: model.Known(false)})
			})),
			want: UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN, "kms.key-policy": UNKNOWN}, reasonGate: "s3.bucket-policy", reason: "HivePartitions"},
		{name: "unknown: flow log account unknown", ref: "§0.1, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy), onFlowLog(func(fl *model.FlowLog) {
				fl.Account = model.Unknown[string]("the account is not given (use --account)")
			})),
			want: UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN}},
		{name: "unknown: flow log LogDestination unknown, the bucket linked by reference", ref: "§0.1, §6",
			build: flowSeed(keyPolicy(goodKeyPolicy), onFlowLog(func(fl *model.FlowLog) {
				fl.Destination, fl.DestinationRef = model.Unknown[string]("known only after apply"), "LogBucket"
			})),
			want: UNKNOWN, gates: map[string]Verdict{"s3.bucket": OK, "s3.bucket-policy": UNKNOWN}, reasonGate: "s3.bucket-policy", reason: "after apply"},
		{name: "unknown: flow log destination type unknown", ref: "§0.1, §6",
			build: flowSeed(onFlowLog(func(fl *model.FlowLog) { fl.DestinationType = model.Unknown[string]("!If UseS3") })),
			want:  UNKNOWN, gates: map[string]Verdict{"flowlogs.config": UNKNOWN}},
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
		{name: "flowlogs config: LogDestination that is not an S3 ARN fails", ref: "§6",
			build: flowSeed(onFlowLog(func(fl *model.FlowLog) { fl.Destination = model.Known(bucket) })),
			want:  FAIL, gates: map[string]Verdict{"flowlogs.config": FAIL}, reasonGate: "flowlogs.config", reason: "not an S3 bucket ARN"},
	}
}

func flowLogLogsScenarios() []scenario {
	const denyPut = `{"Sid":"NoLogWrites","Effect":"Deny","Action":"logs:PutLogEvents","Resource":"*"}`
	return []scenario{
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
		{name: "flowlogs logs: the documented role (trust with confused-deputy conditions, five actions) is OK", ref: "§6",
			build: flowToLogs(), want: OK,
			gates: map[string]Verdict{"logs.log-group": OK, "iam.role-trust": OK, "iam.role-permissions": OK}},
		{name: "flowlogs logs: the log group named by LogGroupName is OK", ref: "§6",
			build: flowToLogs(onFlowLog(func(fl *model.FlowLog) { fl.Destination, fl.LogGroupName = model.Known(""), model.Known(flowGroup) })),
			want:  OK, gates: map[string]Verdict{"logs.log-group": OK, "iam.role-trust": OK}},
		{name: "flowlogs logs: a log group ARN known only after apply, the group linked by reference, is OK", ref: "§6",
			build: flowToLogs(onFlowLog(func(fl *model.FlowLog) {
				fl.Destination, fl.DestinationRef = model.Unknown[string]("known only after apply"), "FlowLogGroup"
			})),
			want: OK, gates: map[string]Verdict{"logs.log-group": OK, "iam.role-permissions": OK}},
		{name: "unknown: a log group ARN known only after apply, not linked", ref: "§0.1, §6",
			build: flowToLogs(onFlowLog(func(fl *model.FlowLog) { fl.Destination = model.Unknown[string]("known only after apply") })),
			want:  UNKNOWN, gates: map[string]Verdict{"logs.log-group": UNKNOWN}},
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
		{name: "flowlogs logs: a trust policy for ec2.amazonaws.com only fails at iam.role-trust with a proven fix", ref: "§6",
			build: flowToLogs(trustPolicy(policyWith(`{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`))),
			want:  FAIL, gates: map[string]Verdict{"iam.role-trust": FAIL, "iam.role-permissions": OK},
			reasonGate: "iam.role-trust", reason: "vpc-flow-logs.amazonaws.com may not assume role", fixGate: "iam.role-trust"},
		{name: "flowlogs logs: the trust policy without conditions is OK", ref: "§6",
			build: flowToLogs(trustPolicy(policyWith(`{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole"}`))),
			want:  OK, gates: map[string]Verdict{"iam.role-trust": OK}},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
		{name: "flowlogs logs: a trust condition on another source account fails", ref: "§6, §8.2",
			build: flowToLogs(trustPolicy(policyWith(strings.Replace(flowTrustStmt, `"aws:SourceAccount":"`+acct, `"aws:SourceAccount":"`+other, 1)))),
			want:  FAIL, gates: map[string]Verdict{"iam.role-trust": FAIL}, fixGate: "iam.role-trust"},
		{name: "flowlogs logs: a trust condition naming one flow log ID, before the ID is known, is UNKNOWN", ref: "§6",
			build: flowToLogs(trustPolicy(policyWith(strings.Replace(flowTrustStmt, "vpc-flow-log/*", "vpc-flow-log/fl-1a2b3c4d5e6f7a8b9", 1)))),
			want:  UNKNOWN, gates: map[string]Verdict{"iam.role-trust": UNKNOWN}, reasonGate: "iam.role-trust", reason: "generated"},
		{name: "flowlogs logs: the same condition is OK once the flow log's ID is that one", ref: "§6",
			build: flowToLogs(trustPolicy(policyWith(strings.Replace(flowTrustStmt, "vpc-flow-log/*", "vpc-flow-log/fl-1a2b3c4d5e6f7a8b9", 1))),
				onFlowLog(func(fl *model.FlowLog) { fl.FlowLogID = model.Known("fl-1a2b3c4d5e6f7a8b9") })),
			want: OK, gates: map[string]Verdict{"iam.role-trust": OK}},
		{name: "flowlogs logs: a trust policy that is unknown is UNKNOWN", ref: "§0.1, §6",
			build: flowToLogs(onRole(func(r *model.IAMRole) { r.TrustPolicy = model.Unknown[*model.PolicyDocument]("GetRole was denied") })),
			want:  UNKNOWN, gates: map[string]Verdict{"iam.role-trust": UNKNOWN}},
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
		{name: "flowlogs logs: a role allowed only logs:DescribeLogGroups fails at iam.role-permissions with a proven fix", ref: "§6",
			build: flowToLogs(inlinePolicies(policyWith(`{"Effect":"Allow","Action":"logs:DescribeLogGroups","Resource":"*"}`))),
			want:  FAIL, gates: map[string]Verdict{"iam.role-trust": OK, "iam.role-permissions": FAIL},
			reasonGate: "iam.role-permissions", reason: "logs:PutLogEvents", fixGate: "iam.role-permissions"},
		{name: "flowlogs logs: a role without any policy fails", ref: "§6",
			build: flowToLogs(inlinePolicies()), want: FAIL, gates: map[string]Verdict{"iam.role-permissions": FAIL}, fixGate: "iam.role-permissions"},
		{name: "flowlogs logs: CreateLogStream and PutLogEvents on the group only is a WARN (the page lists three more)", ref: "§6",
			build: flowToLogs(inlinePolicies(policyWith(`{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"` + flowGroupARN + `:*"}`))),
			want:  WARN, gates: map[string]Verdict{"iam.role-permissions": WARN}, reasonGate: "iam.role-permissions", reason: "logs:DescribeLogStreams", fixGate: "iam.role-permissions"},
		{name: "flowlogs logs: permissions on another log group fail", ref: "§6",
			build: flowToLogs(inlinePolicies(strings.Replace(flowPermissions, `"Resource":"*"`, `"Resource":"arn:aws:logs:`+region+`:`+acct+`:log-group:other:*"`, 1))),
			want:  FAIL, gates: map[string]Verdict{"iam.role-permissions": FAIL}, fixGate: "iam.role-permissions"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
		{name: "flowlogs logs: an explicit Deny of logs:PutLogEvents in the role's policies fails", ref: "§6, §8.4",
			build: flowToLogs(inlinePolicies(flowPermissions, policyWith(denyPut))),
			want:  FAIL, gates: map[string]Verdict{"iam.role-permissions": FAIL}, reasonGate: "iam.role-permissions", reason: "NoLogWrites"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html
		{name: "unknown: role permissions from an AWS managed policy that is not in the input", ref: "§0.1, §6",
			build: flowToLogs(inlinePolicies(), attach("arn:aws:iam::aws:policy/CloudWatchLogsFullAccess")),
			want:  UNKNOWN, gates: map[string]Verdict{"iam.role-permissions": UNKNOWN}, reasonGate: "iam.role-permissions", reason: "AWS managed policy"},
		{name: "flowlogs logs: the same managed policy, given in the input, allows the writes", ref: "§6",
			build: flowToLogs(inlinePolicies(), attach("arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"), func(m *model.Model) {
				m.ManagedPolicies = append(m.ManagedPolicies, &model.ManagedPolicy{Name: model.Known("CloudWatchLogsFullAccess"),
					ARN:    model.Known("arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"),
					Policy: doc(policyWith(`{"Effect":"Allow","Action":"logs:*","Resource":"*"}`))})
			}),
			want: OK, gates: map[string]Verdict{"iam.role-permissions": OK}},
		{name: "flowlogs logs: a managed policy that is not in the input cannot hide an explicit Deny", ref: "§6, §8.4",
			build: flowToLogs(inlinePolicies(flowPermissions, policyWith(denyPut)), attach("arn:aws:iam::"+acct+":policy/extra")),
			want:  FAIL, gates: map[string]Verdict{"iam.role-permissions": FAIL}},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
		{name: "flowlogs logs: a permissions boundary without the log actions fails", ref: "§6, §8.4",
			build: flowToLogs(onRole(func(r *model.IAMRole) {
				r.PermissionsBoundary = model.Known("arn:aws:iam::" + acct + ":policy/boundary")
			}), func(m *model.Model) {
				m.ManagedPolicies = append(m.ManagedPolicies, &model.ManagedPolicy{Name: model.Known("boundary"), ARN: model.Known("arn:aws:iam::" + acct + ":policy/boundary"),
					Policy: doc(policyWith(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`))})
			}),
			want: FAIL, gates: map[string]Verdict{"iam.role-permissions": FAIL}, reasonGate: "iam.role-permissions", reason: "boundary"},
		{name: "unknown: a permissions boundary that is not in the input", ref: "§0.1, §6",
			build: flowToLogs(onRole(func(r *model.IAMRole) {
				r.PermissionsBoundary = model.Known("arn:aws:iam::" + acct + ":policy/boundary")
			})),
			want: UNKNOWN, gates: map[string]Verdict{"iam.role-permissions": UNKNOWN}},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
		{name: "flowlogs logs: an SCP on the account denying logs:PutLogEvents fails", ref: "§3.3.5, §6",
			build: flowToLogs(func(m *model.Model) {
				m.OrgPolicies = append(m.OrgPolicies, &model.OrgPolicy{Name: model.Known("NoLogs"), Type: model.Known(model.SCPType),
					Targets: model.Known([]string{acct}), Policy: doc(policyWith(denyPut))})
			}),
			want: FAIL, gates: map[string]Verdict{"iam.role-permissions": FAIL}, reasonGate: "iam.role-permissions", reason: "NoLogWrites"},
		{name: "unknown: an allow-list SCP without logs, FullAWSAccess not in the input", ref: "§3.3.5, §6",
			build: flowToLogs(func(m *model.Model) {
				m.OrgPolicies = append(m.OrgPolicies, &model.OrgPolicy{Name: model.Known("AllowListed"), Type: model.Known(model.SCPType),
					Targets: model.Known([]string{acct}), Policy: doc(policyWith(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`))})
			}),
			want: UNKNOWN, gates: map[string]Verdict{"iam.role-permissions": UNKNOWN}, reasonGate: "iam.role-permissions", reason: "FullAWSAccess"},
		{name: "unknown: the flow log's role is not in the input", ref: "§0.1, §6",
			build: flowToLogs(func(m *model.Model) { m.Roles = nil }),
			want:  UNKNOWN, gates: map[string]Verdict{"iam.role-trust": UNKNOWN}, reasonGate: "iam.role-trust", reason: "not defined"},
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html ("The IAM role must belong to your AWS account.")
		{name: "flowlogs logs: a role of another account fails", ref: "§6",
			build: flowToLogs(onFlowLog(func(fl *model.FlowLog) {
				fl.DeliverLogsPermissionARN = model.Known("arn:aws:iam::" + other + ":role/" + flowRoleName)
			}),
				onRole(func(r *model.IAMRole) {
					r.Account, r.ARN = model.Known(other), model.Known("arn:aws:iam::"+other+":role/"+flowRoleName)
				})),
			want: FAIL, gates: map[string]Verdict{"iam.role-trust": FAIL}, reasonGate: "iam.role-trust", reason: other},
		{name: "flowlogs config: a flow log to CloudWatch Logs without DeliverLogsPermissionArn fails", ref: "§6",
			build: flowToLogs(onFlowLog(func(fl *model.FlowLog) { fl.DeliverLogsPermissionARN = model.Known("") })),
			want:  FAIL, gates: map[string]Verdict{"flowlogs.config": FAIL}, reasonGate: "flowlogs.config", reason: "DeliverLogsPermissionArn"},
		// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutResourcePolicy.html
		{name: "flowlogs logs: a log group of another account fails", ref: "§4.1, §6",
			build: flowToLogs(onFlowLog(func(fl *model.FlowLog) {
				fl.Destination = model.Known("arn:aws:logs:" + region + ":" + other + ":log-group:" + flowGroup + ":*")
			})),
			want: FAIL, gates: map[string]Verdict{"logs.log-group": FAIL}, reasonGate: "logs.log-group", reason: other},
		{name: "unknown: a log group of another Region", ref: "§6",
			build: flowToLogs(onFlowLog(func(fl *model.FlowLog) {
				fl.Destination = model.Known("arn:aws:logs:" + otherRegion + ":" + acct + ":log-group:" + flowGroup + ":*")
			})),
			want: UNKNOWN, gates: map[string]Verdict{"logs.log-group": UNKNOWN}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
		{name: "flowlogs logs: a KMS-encrypted group whose key lacks logs.<region>.amazonaws.com fails", ref: "§4.2, §6",
			build: flowToLogs(func(m *model.Model) {
				m.LogGroups[0].KMSKeyID = model.Known(keyARN)
				m.Keys = append(m.Keys, cmk(rootOnly))
			}),
			want: FAIL, gates: map[string]Verdict{"iam.role-permissions": OK, "kms.key-state": OK, "logs.kms-key-policy": FAIL},
			reasonGate: "logs.kms-key-policy", reason: "logs." + region + ".amazonaws.com", fixGate: "logs.kms-key-policy"},
		{name: "flowlogs logs: a KMS-encrypted group whose key allows logs.<region>.amazonaws.com is OK", ref: "§4.2, §6",
			build: flowToLogs(func(m *model.Model) {
				m.LogGroups[0].KMSKeyID = model.Known(keyARN)
				m.Keys = append(m.Keys, cmk(policyWith(rootStmt(acct), strings.ReplaceAll(cwlGroupKeyGrant, groupARNText, flowGroupARN))))
			}),
			want: OK, gates: map[string]Verdict{"logs.kms-key-policy": OK}},
	}
}

func flowLogFirehoseScenarios() []scenario {
	return []scenario{
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
		{name: "flowlogs firehose: a Direct PUT stream tagged LogDeliveryEnabled=true is OK", ref: "§5, §6",
			build: flowToFirehose(), want: OK, gates: map[string]Verdict{"firehose.stream": OK, "firehose.tag": OK}},
		{name: "flowlogs firehose: tags managed as code without LogDeliveryEnabled fail", ref: "§5, §6",
			build: flowToFirehose(onStream(func(s *model.DeliveryStream) { s.Tags, s.TagsManaged = model.Known(map[string]string{}), true })),
			want:  FAIL, gates: map[string]Verdict{"firehose.tag": FAIL}, fixGate: "firehose.tag"},
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-firehose.html
		{name: "flowlogs firehose: a stream of another account without DeliverCrossAccountRole fails", ref: "§6",
			build: flowToFirehose(onFlowLog(func(fl *model.FlowLog) {
				fl.Destination = model.Known("arn:aws:firehose:" + region + ":" + other + ":deliverystream/" + streamName)
			})),
			want: FAIL, gates: map[string]Verdict{"firehose.stream": FAIL}, reasonGate: "firehose.stream", reason: "DeliverCrossAccountRole"},
		{name: "unknown: a stream of another account through DeliverCrossAccountRole", ref: "§6",
			build: flowToFirehose(onFlowLog(func(fl *model.FlowLog) {
				fl.Destination = model.Known("arn:aws:firehose:" + region + ":" + other + ":deliverystream/" + streamName)
				fl.DeliverCrossAccountRole = model.Known("arn:aws:iam::" + acct + ":role/cross-account-delivery")
			})),
			want: UNKNOWN, gates: map[string]Verdict{"firehose.stream": UNKNOWN}},
	}
}

func flowLogScenarios() []scenario {
	var all []scenario
	for _, group := range [][]scenario{flowLogS3Scenarios(), flowLogLogsScenarios(), flowLogFirehoseScenarios()} {
		all = append(all, group...)
	}
	return all
}

func TestFlowLogS3Scenarios(t *testing.T)       { runCatalogue(t, flowLogS3Scenarios()) }
func TestFlowLogLogsScenarios(t *testing.T)     { runCatalogue(t, flowLogLogsScenarios()) }
func TestFlowLogFirehoseScenarios(t *testing.T) { runCatalogue(t, flowLogFirehoseScenarios()) }

// A flow log to CloudWatch Logs is written by its role, never through a
// log group resource policy, and shows as a vpc-flow-logs source.
func TestFlowLogSource(t *testing.T) {
	d := Analyze(flowToLogs()())[0]
	if d.Source.Type != "vpc-flow-logs" || d.Source.LogType != "ALL" || d.Source.ID != "VpcFlowLog" {
		t.Errorf("source %+v", d.Source)
	}
	if d.Destination.Type != model.DestLogs || d.Destination.Name != flowGroup {
		t.Errorf("destination %+v", d.Destination)
	}
	for _, g := range d.Gates {
		if g.ID == "logs.resource-policy" {
			t.Errorf("a role writer got %s: %s", g.ID, g.Reason)
		}
	}
}

// The S3 keys follow flow-logs-s3-path.html for each destination option.
func TestFlowLogObjectKey(t *testing.T) {
	src := &source{typ: flowLogsSource, account: acct, region: region, sourceID: "fl-1a2b3c4d"}
	for _, tt := range []struct {
		hive, perHour bool
		ext, prefix   string
		want          string
	}{
		{want: "AWSLogs/" + acct + "/vpcflowlogs/" + region + "/2026/01/01/" + acct + "_vpcflowlogs_" + region + "_fl-1a2b3c4d_20260101T0000Z_0123abcd.log.gz"},
		{prefix: "flow-logs/", perHour: true, want: "flow-logs/AWSLogs/" + acct + "/vpcflowlogs/" + region + "/2026/01/01/00/" + acct + "_vpcflowlogs_" + region + "_fl-1a2b3c4d_20260101T0000Z_0123abcd.log.gz"},
		{hive: true, perHour: true, ext: ".log.parquet", want: "AWSLogs/aws-account-id=" + acct + "/aws-service=vpcflowlogs/aws-region=" + region +
			"/year=2026/month=01/day=01/hour=00/" + acct + "_vpcflowlogs_" + region + "_fl-1a2b3c4d_20260101T0000Z_0123abcd.log.parquet"},
	} {
		src.hivePaths, src.perHour, src.fileExt = tt.hive, tt.perHour, tt.ext
		if got := flowLogObjectKey(src, tt.prefix); got != tt.want {
			t.Errorf("hive=%v perHour=%v: %s, want %s", tt.hive, tt.perHour, got, tt.want)
		}
	}
}
