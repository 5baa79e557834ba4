package delivery

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/logpath/logpath/model"
)

// Scenario catalogue: Network Firewall to S3, CloudWatch Logs and Firehose,
// gate by gate. Each scenario names the section of
// shared/reference/aws-log-delivery.md it rests on; the comment above it
// gives the AWS page the reference cites for that fact.

// runCatalogue runs a list of scenarios.
func runCatalogue(t *testing.T, scs []scenario) {
	t.Helper()
	runScenarios(t, scs)
}

// ---------------------------------------------------------------------------
// Builders

const (
	otherRegion  = "us-east-1"
	fwARN        = "arn:aws:network-firewall:" + region + ":" + acct + ":firewall/inspection-fw"
	bucketARN    = "arn:aws:s3:::" + bucket
	srcArnLike   = "arn:aws:logs:" + region + ":" + acct + ":*"
	missingKeyID = "0987dcba-09fe-87dc-65ba-ab0987654321"
	groupName    = "nfw-alerts"
	groupARNText = "arn:aws:logs:" + region + ":" + acct + ":log-group:" + groupName
	streamName   = "nfw-alerts-stream"
	orgID        = "o-a1b2c3d4e5"
	orgRoot      = "r-ab12"
	orgOU        = "ou-ab12-11111111"
)

// rootStmt is the default key policy's statement for an account.
func rootStmt(account string) string {
	return `{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"kms:*","Resource":"*"}`
}

// cwlKeyGrant is CloudWatch's V1 key-policy statement for delivery.logs
// (five actions, aws:SourceAccount and aws:SourceArn conditions).
const cwlKeyGrant = `{"Sid":"AllowLogDeliveryUseOfTheKey","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},` +
	`"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*",` +
	`"Condition":{"StringEquals":{"aws:SourceAccount":["` + acct + `"]},"ArnLike":{"aws:SourceArn":["` + srcArnLike + `"]}}}`

// keyGrantCond is a delivery.logs statement for GenerateDataKey* and
// Decrypt with the given Condition block.
func keyGrantCond(cond string) string {
	return `{"Sid":"AllowLogDelivery","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},` +
		`"Action":["kms:GenerateDataKey*","kms:Decrypt"],"Resource":"*","Condition":` + cond + `}`
}

var goodKeyPolicy = policyWith(rootStmt(acct), cwlKeyGrant)

// fromGood is the seed with a key policy that allows delivery, plus changes.
func fromGood(changes ...func(m *model.Model)) func() *model.Model {
	return mutate(append([]func(m *model.Model){keyPolicy(goodKeyPolicy)}, changes...)...)
}

func bucketPolicy(v model.Value[*model.PolicyDocument]) func(m *model.Model) {
	return func(m *model.Model) { m.Buckets[0].Policy = v }
}

func bucketEncryption(v model.Value[*model.BucketEncryption]) func(m *model.Model) {
	return func(m *model.Model) { m.Buckets[0].Encryption = v }
}

func sseKMS(keyRef string, bucketKey model.Value[bool]) func(m *model.Model) {
	return bucketEncryption(model.Known(&model.BucketEncryption{Algorithm: model.Known(model.SSEKMS),
		KMSKeyID: model.Known(keyRef), BucketKeyEnabled: bucketKey}))
}

func sseS3() func(m *model.Model) {
	return bucketEncryption(model.Known(&model.BucketEncryption{Algorithm: model.Known(model.SSES3)}))
}

func ownership(o string) func(m *model.Model) {
	return func(m *model.Model) { m.Buckets[0].Ownership = model.Known(o) }
}

func bucketAccount(a string) func(m *model.Model) {
	return func(m *model.Model) { m.Buckets[0].Account = model.Known(a) }
}

func s3Prefix(v model.Value[string]) func(m *model.Model) {
	return func(m *model.Model) { m.Firewalls[0].Logging.Destinations[0].Prefix = v }
}

func onKey(f func(k *model.Key)) func(m *model.Model) {
	return func(m *model.Model) { f(m.Keys[0]) }
}

// keyElsewhere moves the seed's key to another account or Region and
// points the bucket's default encryption at its ARN.
func keyElsewhere(account, rgn, policyJSON string) func(m *model.Model) {
	return func(m *model.Model) {
		arn := "arn:aws:kms:" + rgn + ":" + account + ":key/" + keyID
		k := m.Keys[0]
		k.ARN, k.Account, k.Region, k.Policy = model.Known(arn), model.Known(account), model.Known(rgn), doc(policyJSON)
		enc, _ := m.Buckets[0].Encryption.Get()
		enc.KMSKeyID = model.Known(arn)
	}
}

// Bucket policy statements, as AWS shows them.

// cwlAclCheck is CloudWatch's AWSLogDeliveryAclCheck for one source account.
func cwlAclCheck(src string) string {
	return `{"Sid":"AWSLogDeliveryAclCheck","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"` + bucketARN + `",` +
		`"Condition":{"StringEquals":{"aws:SourceAccount":["` + src + `"]},"ArnLike":{"aws:SourceArn":["arn:aws:logs:` + region + `:` + src + `:*"]}}}`
}

// cwlWrite is CloudWatch's AWSLogDeliveryWrite for one source account.
func cwlWrite(resource, src string) string {
	return `{"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"` + resource + `",` +
		`"Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceAccount":["` + src + `"]},"ArnLike":{"aws:SourceArn":["arn:aws:logs:` + region + `:` + src + `:*"]}}}`
}

// nfwAclCheck and nfwWrite are Network Firewall's auto-created statements:
// no aws:SourceAccount / aws:SourceArn.
const nfwAclCheck = `{"Sid":"AWSLogDeliveryAclCheck","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"` + bucketARN + `"}`

func nfwWrite(resource string) string {
	return `{"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"` + resource + `",` +
		`"Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}`
}

// logsPath is the object ARN pattern AWS grants for a prefix.
func logsPath(prefix string) string {
	return bucketARN + "/" + prefix + "AWSLogs/" + acct + "/*"
}

// documentedBucketPolicy is the CloudWatch form for the seed's prefix "nfw".
var documentedBucketPolicy = policyWith(cwlAclCheck(acct), cwlWrite(logsPath("nfw/"), acct))

const denyInsecureTransport = `{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["` + bucketARN + `","` + bucketARN + `/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`

// CloudWatch Logs builders.

func logsDest(name model.Value[string]) model.LogDestination {
	return model.LogDestination{LogType: model.Known(model.LogTypeAlert), Type: model.Known(model.DestLogs), LogGroup: name}
}

// logsModel is a firewall sending ALERT logs to an unencrypted log group in
// its own account and Region, with no resource policy, plus changes.
func logsModel(changes ...func(m *model.Model)) func() *model.Model {
	return func() *model.Model {
		m := &model.Model{
			Firewalls: []*model.Firewall{firewall(logsDest(model.Known(groupName)))},
			LogGroups: []*model.LogGroup{{
				Origin: model.Origin{ID: "AlertLogGroup"},
				Name:   model.Known(groupName), Account: model.Known(acct), Region: model.Known(region),
				KMSKeyID: model.Known(""),
			}},
		}
		for _, c := range changes {
			c(m)
		}
		return m
	}
}

// accountLevelPolicy adds an account-level CloudWatch Logs resource policy.
func accountLevelPolicy(name string, v model.Value[*model.PolicyDocument]) func(m *model.Model) {
	return func(m *model.Model) {
		m.LogResourcePolicies = append(m.LogResourcePolicies, &model.LogResourcePolicy{
			Origin: model.Origin{ID: name}, Name: model.Known(name), Account: model.Known(acct), Region: model.Known(region), Policy: v})
	}
}

// groupLevelPolicy adds a log-group-level resource policy on the group.
func groupLevelPolicy(name string, v model.Value[*model.PolicyDocument]) func(m *model.Model) {
	return func(m *model.Model) {
		m.LogResourcePolicies = append(m.LogResourcePolicies, &model.LogResourcePolicy{
			Origin: model.Origin{ID: name}, Name: model.Known(name), Account: model.Known(acct), Region: model.Known(region),
			LogGroupARN: model.Known(groupARNText + ":*"), Policy: v})
	}
}

// cwlLogsWrite is AWSLogDeliveryWrite20150319 for a log-stream resource.
func cwlLogsWrite(resource string) string {
	return `{"Sid":"AWSLogDeliveryWrite20150319","Effect":"Allow","Principal":{"Service":["delivery.logs.amazonaws.com"]},"Action":["logs:CreateLogStream","logs:PutLogEvents"],` +
		`"Resource":["` + resource + `"],"Condition":{"StringEquals":{"aws:SourceAccount":["` + acct + `"]},"ArnLike":{"aws:SourceArn":["` + srcArnLike + `"]}}}`
}

// unrelatedLogsStmt lets Route 53 write somewhere else: a policy that
// exists but does not cover the delivery.
const unrelatedLogsStmt = `{"Sid":"Route53QueryLogs","Effect":"Allow","Principal":{"Service":"route53.amazonaws.com"},"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:` + region + `:` + acct + `:log-group:/aws/route53/*"}`

// encryptGroup encrypts the log group with the seed's key, whose policy is given.
func encryptGroup(policyJSON string) func(m *model.Model) {
	return func(m *model.Model) {
		m.LogGroups[0].KMSKeyID = model.Known(keyARN)
		m.Keys = append(m.Keys, cmk(policyJSON))
	}
}

// cwlGroupKeyGrant is the key-policy statement of encrypt-log-data-kms.html
// with an ArnEquals on the group's encryption context.
const cwlGroupKeyGrant = `{"Sid":"AllowCloudWatchLogs","Effect":"Allow","Principal":{"Service":"logs.` + region + `.amazonaws.com"},` +
	`"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],"Resource":"*",` +
	`"Condition":{"ArnEquals":{"kms:EncryptionContext:aws:logs:arn":"` + groupARNText + `"}}}`

// Firehose builders.

// firehoseModel is a firewall sending ALERT logs to a Direct PUT stream
// tagged LogDeliveryEnabled=true, plus changes to the stream or model.
func firehoseModel(changes ...func(m *model.Model)) func() *model.Model {
	return func() *model.Model {
		m := &model.Model{
			Firewalls: []*model.Firewall{firewall(model.LogDestination{LogType: model.Known(model.LogTypeAlert),
				Type: model.Known(model.DestFirehose), DeliveryStream: model.Known(streamName)})},
			DeliveryStreams: []*model.DeliveryStream{{
				Origin: model.Origin{ID: "AlertStream"},
				Name:   model.Known(streamName), Account: model.Known(acct), Region: model.Known(region),
				Type: model.Known("DirectPut"), Tags: model.Known(map[string]string{"LogDeliveryEnabled": "true"}),
			}},
		}
		for _, c := range changes {
			c(m)
		}
		return m
	}
}

func onStream(f func(s *model.DeliveryStream)) func(m *model.Model) {
	return func(m *model.Model) { f(m.DeliveryStreams[0]) }
}

// streamCMK encrypts the stream with the seed's key, whose policy is given.
func streamCMK(policyJSON string) func(m *model.Model) {
	return func(m *model.Model) {
		s := m.DeliveryStreams[0]
		s.KeyType, s.KeyARN = model.Known("CUSTOMER_MANAGED_CMK"), model.Known(keyARN)
		m.Keys = append(m.Keys, cmk(policyJSON))
	}
}

// RCP builders.

func addRCP(name string, targets []string, policyJSON string) func(m *model.Model) {
	return func(m *model.Model) {
		m.OrgPolicies = append(m.OrgPolicies, &model.OrgPolicy{Origin: model.Origin{ID: name}, Name: model.Known(name),
			Type: model.Known(model.RCPType), Targets: model.Known(targets), Policy: doc(policyJSON)})
	}
}

func orgPaths(paths map[string][]string) func(m *model.Model) {
	return func(m *model.Model) { m.Organization = &model.Organization{Paths: paths} }
}

// rcpDenyOutsideOrg is the data-perimeter RCP "deny principals outside my
// organization" for the given actions, with an optional extra condition.
func rcpDenyOutsideOrg(action, extra string) string {
	cond := `"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"` + orgID + `"}`
	if extra != "" {
		cond += "," + extra
	}
	return policyWith(`{"Sid":"EnforceOrgIdentities","Effect":"Deny","Principal":"*","Action":"` + action + `","Resource":"*","Condition":{` + cond + `}}`)
}

const awsServiceExemption = `"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}`

// ---------------------------------------------------------------------------
// S3: the bucket policy

func s3PolicyScenarios() []scenario {
	return []scenario{
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: same-account bucket without a policy is OK (AWS adds its statements at set-up)", ref: "§2.2",
			build: fromGood(), want: OK,
			gates:      map[string]Verdict{"s3.bucket": OK, "s3.bucket-policy": OK, "s3.encryption": OK, "kms.key-state": OK, "kms.key-policy": OK},
			reasonGate: "s3.bucket-policy", reason: "AWS adds"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: cross-account bucket without a policy fails: the bucket owner must add it", ref: "§1.6, §2.2, §2.7",
			build: fromGood(sseS3(), bucketAccount(other)), want: FAIL,
			gates:      map[string]Verdict{"s3.bucket-policy": FAIL, "s3.encryption": OK},
			reasonGate: "s3.bucket-policy", reason: "has no bucket policy", fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: cross-account ACL-enabled bucket without a policy fails with a proven fix", ref: "§1.6, §2.2, §2.7",
			build: fromGood(sseS3(), bucketAccount(other), ownership("BucketOwnerPreferred")), want: FAIL,
			gates:      map[string]Verdict{"s3.bucket-policy": FAIL},
			reasonGate: "s3.bucket-policy", reason: "has no bucket policy", fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: cross-account bucket with the documented statements for the source account is OK", ref: "§2.1, §2.7",
			build: fromGood(sseS3(), bucketAccount(other), ownership("BucketOwnerPreferred"), bucketPolicy(doc(documentedBucketPolicy))), want: OK,
			gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: cross-account bucket whose statements name the bucket owner's account, not the source's, fails", ref: "§1.3, §2.7",
			build: fromGood(sseS3(), bucketAccount(other), ownership("BucketOwnerPreferred"),
				bucketPolicy(doc(policyWith(cwlAclCheck(other), cwlWrite(bucketARN+"/nfw/AWSLogs/"+other+"/*", other))))),
			want: FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: bucket policy managed as code without the delivery statements fails (drift at the next deploy)", ref: "§2.2",
			build: fromGood(sseS3(), bucketPolicy(managedDoc(policyWith(denyInsecureTransport)))), want: FAIL,
			gates:      map[string]Verdict{"s3.bucket-policy": FAIL},
			reasonGate: "s3.bucket-policy", reason: "next deploy", fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: managed policy of an ACL-enabled bucket without the delivery statements fails with a proven fix", ref: "§2.2",
			build: fromGood(sseS3(), ownership("BucketOwnerPreferred"), bucketPolicy(managedDoc(policyWith(denyInsecureTransport)))), want: FAIL,
			gates:      map[string]Verdict{"s3.bucket-policy": FAIL},
			reasonGate: "s3.bucket-policy", reason: "next deploy", fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		// Not managed as code and not yet set up: AWS appends its statements
		// at set-up, but nothing allows the write before that, and the VPC
		// page says set-up replaces the policy instead: a WARN, never OK.
		{name: "s3: unmanaged same-account bucket policy without the statements is a WARN (AWS appends them at set-up)", ref: "§2.2",
			build: fromGood(sseS3(), ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(denyInsecureTransport)))), want: WARN,
			gates: map[string]Verdict{"s3.bucket-policy": WARN}, reasonGate: "s3.bucket-policy", reason: "appends"},
		{name: "s3: deployed account whose bucket policy lacks the statements fails", ref: "§2.2",
			build: fromGood(sseS3(), ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(denyInsecureTransport))), func(m *model.Model) { m.Deployed = true }),
			want:  FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		{name: "s3: deployed account whose bucket has no policy fails", ref: "§2.2",
			build: fromGood(sseS3(), bucketPolicy(model.Known[*model.PolicyDocument](nil)), func(m *model.Model) { m.Deployed = true }),
			want:  FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: existing policy with NotPrincipal and without the statements is a WARN (AWS cannot merge into it, set-up fails)", ref: "§2.2, §8.3",
			build: fromGood(sseS3(), ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(
				`{"Sid":"OnlyAdminsDelete","Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::`+acct+`:role/Admin","arn:aws:iam::`+acct+`:root"]},"Action":"s3:DeleteBucket","Resource":"`+bucketARN+`"}`)))),
			want: WARN, gates: map[string]Verdict{"s3.bucket-policy": WARN}, reasonGate: "s3.bucket-policy", reason: "NotPrincipal"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: managed bucket policy with the documented statements is OK", ref: "§2.1, §2.2",
			build: fromGood(sseS3(), ownership("BucketOwnerPreferred"), bucketPolicy(managedDoc(policyWith(denyInsecureTransport, cwlAclCheck(acct), cwlWrite(logsPath("nfw/"), acct))))),
			want:  OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html
		{name: "s3: AWS's documented statements on an ACL-enabled bucket are OK", ref: "§2.1, §2.3",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(doc(documentedBucketPolicy))), want: OK,
			gates: map[string]Verdict{"s3.bucket-policy": OK, "kms.key-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		// https://github.com/cloudposse/terraform-aws-vpc-flow-logs-s3-bucket/pull/101 (the disputed third-party claim)
		{name: "s3: AWS's documented statements on a BucketOwnerEnforced bucket are OK (the no-ACL-header claim is unverified)", ref: "§2.1, §2.3",
			build: fromGood(ownership("BucketOwnerEnforced"), bucketPolicy(doc(documentedBucketPolicy))), want: OK,
			gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: Network Firewall's statements without aws:SourceAccount/aws:SourceArn are OK", ref: "§2.1",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(nfwAclCheck, nfwWrite(logsPath("nfw/")))))), want: OK,
			gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
		{name: "s3: Deny StringNotEqualsIfExists aws:SourceVpce without a service exemption fails", ref: "§8.2, §8.5",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath("nfw/"), acct),
				`{"Sid":"DenyOutsideVpce","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["`+bucketARN+`","`+bucketARN+`/*"],"Condition":{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}`)))),
			want: FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL},
			reasonGate: "s3.bucket-policy", reason: "DenyOutsideVpce"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
		{name: "s3: the same aws:SourceVpce Deny with BoolIfExists aws:PrincipalIsAWSService false is OK", ref: "§8.5",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath("nfw/"), acct),
				`{"Sid":"DenyOutsideVpce","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["`+bucketARN+`","`+bucketARN+`/*"],"Condition":{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-1a2b3c4d"},`+awsServiceExemption+`}}`)))),
			want: OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
		{name: "s3: Deny unless s3:x-amz-server-side-encryption is aws:kms is UNKNOWN (AWS does not say whether the header is sent)", ref: "§8.5",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath("nfw/"), acct),
				`{"Sid":"RequireSSEKMS","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"`+bucketARN+`/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}`)))),
			want: UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN},
			reasonGate: "s3.bucket-policy", reason: "x-amz-server-side-encryption"},
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
		{name: "s3: AWS's Null-check form of the SSE-KMS requirement does not block delivery", ref: "§8.5",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath("nfw/"), acct),
				`{"Sid":"RequireKMSKeyIfGiven","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"`+bucketARN+`/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"`+keyARN+`"},"Null":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"false"}}}`)))),
			want: OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: aws:SourceArn pinned to the firewall ARN never matches and fails", ref: "§2.1, §10.4",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(managedDoc(policyWith(
				`{"Sid":"AWSLogDeliveryAclCheck","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"`+bucketARN+`","Condition":{"ArnEquals":{"aws:SourceArn":"`+fwARN+`"}}}`,
				`{"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"`+logsPath("nfw/")+`","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"},"ArnEquals":{"aws:SourceArn":"`+fwARN+`"}}}`)))),
			want: FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL},
			reasonGate: "s3.bucket-policy", reason: "s3:PutObject", fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: StringEquals aws:SourceArn with the literal arn:aws:logs:R:A:* is UNKNOWN (exact value undocumented)", ref: "§2.1, §3.2, §10.4",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(
				`{"Sid":"AWSLogDeliveryAclCheck","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"`+bucketARN+`","Condition":{"StringEquals":{"aws:SourceArn":"`+srcArnLike+`"}}}`,
				`{"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"`+logsPath("nfw/")+`","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"`+srcArnLike+`"}}}`)))),
			want: UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN},
			reasonGate: "s3.bucket-policy", reason: "aws:SourceArn"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: empty prefix with Resource <bucket>/AWSLogs/<acct>/* is OK", ref: "§1.3",
			build: fromGood(ownership("BucketOwnerPreferred"), s3Prefix(model.Known("")),
				bucketPolicy(doc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath(""), acct))))),
			want: OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: empty prefix with a policy that covers only <bucket>/nfw/AWSLogs/... fails", ref: "§1.3",
			build: fromGood(ownership("BucketOwnerPreferred"), s3Prefix(model.Known("")), bucketPolicy(managedDoc(documentedBucketPolicy))),
			want:  FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL},
			reasonGate: "s3.bucket-policy", reason: "s3:PutObject", fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: prefix with a trailing slash (nfw/) is covered by <bucket>/nfw/AWSLogs/<acct>/*", ref: "§1.3",
			build: fromGood(ownership("BucketOwnerPreferred"), s3Prefix(model.Known("nfw/")), bucketPolicy(doc(documentedBucketPolicy))),
			want:  OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: prefix nfw with a policy for another prefix (alerts/) fails", ref: "§1.3, §2.1",
			build: fromGood(ownership("BucketOwnerPreferred"),
				bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath("alerts/"), acct))))),
			want: FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: prefix starting with / writes <bucket>//AWSLogs/..., which <bucket>/AWSLogs/<acct>/* does not cover", ref: "§1.3",
			build: fromGood(ownership("BucketOwnerPreferred"), s3Prefix(model.Known("/")),
				bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath(""), acct))))),
			want: FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: prefix with a policy on <bucket>/* covers every prefix", ref: "§1.3, §2.1",
			build: fromGood(ownership("BucketOwnerPreferred"), s3Prefix(model.Known("firewalls/prod")),
				bucketPolicy(doc(policyWith(cwlAclCheck(acct), cwlWrite(bucketARN+"/*", acct))))),
			want: OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: write statement without the ACL check fails at s3:GetBucketAcl", ref: "§0, §2.1",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(managedDoc(policyWith(cwlWrite(logsPath("nfw/"), acct))))),
			want:  FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL},
			reasonGate: "s3.bucket-policy", reason: "s3:GetBucketAcl", fixGate: "s3.bucket-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: a Deny on requests without TLS does not block delivery", ref: "§8.2",
			build: fromGood(ownership("BucketOwnerPreferred"), bucketPolicy(doc(policyWith(denyInsecureTransport, cwlAclCheck(acct), cwlWrite(logsPath("nfw/"), acct))))),
			want:  OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "s3: bucket policy unknown is UNKNOWN", ref: "§0.1",
			build: fromGood(bucketPolicy(model.Unknown[*model.PolicyDocument]("the policy comes from parameter BucketPolicyJson"))),
			want:  UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN}, reasonGate: "s3.bucket-policy", reason: "BucketPolicyJson"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "s3: bucket without a policy whose account is unknown is UNKNOWN", ref: "§2.2",
			build: fromGood(func(m *model.Model) { m.Buckets[0].Account = model.Unknown[string]("from the stack's account") }),
			want:  UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN}},
	}
}

// ---------------------------------------------------------------------------
// S3: default encryption

func s3EncryptionScenarios() []scenario {
	return []scenario{
		// Public Terraform samples write the AWS managed key as "aws/s3".
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "encryption: kms_master_key_id \"aws/s3\" is the AWS managed key and fails", ref: "§2.4",
			build: mutate(func(m *model.Model) {
				enc, _ := m.Buckets[0].Encryption.Get()
				enc.KMSKeyID = model.Known("aws/s3")
			}),
			want: FAIL, gates: map[string]Verdict{"s3.encryption": FAIL}, reasonGate: "s3.encryption", reason: "AWS managed key"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "enc: SSE-S3 is OK and has no key gates", ref: "§2.4",
			build: mutate(sseS3()), want: OK, gates: map[string]Verdict{"s3.encryption": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "enc: no default encryption (S3 applies SSE-S3) is OK", ref: "§2.4",
			build: mutate(bucketEncryption(model.Known[*model.BucketEncryption](nil))), want: OK,
			gates: map[string]Verdict{"s3.encryption": OK}, reasonGate: "s3.encryption", reason: "SSE-S3"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "enc: SSE-KMS without a key ID (aws/s3) fails", ref: "§2.4",
			build: mutate(sseKMS("", model.Known(true))), want: FAIL,
			gates: map[string]Verdict{"s3.encryption": FAIL}, reasonGate: "s3.encryption", reason: "aws/s3", fixGate: "s3.encryption"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "enc: SSE-KMS with alias/aws/s3 fails", ref: "§2.4, §3.3.7",
			build: mutate(sseKMS("alias/aws/s3", model.Known(true))), want: FAIL,
			gates: map[string]Verdict{"s3.encryption": FAIL}, reasonGate: "s3.encryption", reason: "AWS managed key", fixGate: "s3.encryption"},
		// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-troubleshooting.html
		{name: "enc: customer key named by key ID instead of ARN fails", ref: "§2.4",
			build: fromGood(sseKMS(keyID, model.Known(true))), want: FAIL,
			gates: map[string]Verdict{"s3.encryption": FAIL}, reasonGate: "s3.encryption", reason: "not by its key ARN", fixGate: "s3.encryption"},
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
		{name: "enc: customer key named by alias, resolved through model.Alias, fails at s3.encryption", ref: "§2.4",
			build: fromGood(sseKMS("alias/nfw-logs", model.Known(true)), func(m *model.Model) {
				m.Aliases = append(m.Aliases, &model.Alias{Origin: model.Origin{ID: "LogKeyAlias"}, Name: model.Known("alias/nfw-logs"),
					Target: model.Known(keyID), Account: model.Known(acct), Region: model.Known(region)})
			}), want: FAIL,
			gates: map[string]Verdict{"s3.encryption": FAIL, "kms.key-state": OK}, reasonGate: "s3.encryption", reason: "alias/nfw-logs", fixGate: "s3.encryption"},
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
		{name: "enc: customer key named by alias ARN fails (not a key ARN)", ref: "§2.4, §2.7",
			build: fromGood(sseKMS("arn:aws:kms:"+region+":"+acct+":alias/nfw-logs", model.Known(true)), func(m *model.Model) {
				m.Aliases = append(m.Aliases, &model.Alias{Name: model.Known("alias/nfw-logs"),
					Target: model.Known(keyID), Account: model.Known(acct), Region: model.Known(region)})
			}), want: FAIL, gates: map[string]Verdict{"s3.encryption": FAIL}},
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
		{name: "enc: DSSE-KMS is UNKNOWN (not documented for vended logs)", ref: "§2.4",
			build: fromGood(bucketEncryption(model.Known(&model.BucketEncryption{Algorithm: model.Known(model.SSEKMSDSS), KMSKeyID: model.Known(keyARN)}))),
			want:  UNKNOWN, gates: map[string]Verdict{"s3.encryption": UNKNOWN}, reasonGate: "s3.encryption", reason: "DSSE"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "enc: default encryption unknown is UNKNOWN", ref: "§0.1, §2.4",
			build: fromGood(bucketEncryption(model.Unknown[*model.BucketEncryption]("GetBucketEncryption was denied"))),
			want:  UNKNOWN, gates: map[string]Verdict{"s3.encryption": UNKNOWN}, reasonGate: "s3.encryption", reason: "GetBucketEncryption"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
		{name: "enc: key ARN not in the input is UNKNOWN", ref: "§0.1",
			build: fromGood(sseKMS("arn:aws:kms:"+region+":"+acct+":key/"+missingKeyID, model.Known(true))),
			want:  UNKNOWN, gates: map[string]Verdict{"s3.encryption": UNKNOWN}, reasonGate: "s3.encryption", reason: missingKeyID},
	}
}

// ---------------------------------------------------------------------------
// KMS: the bucket's key

func keyScenarios() []scenario {
	objectCtx := func(bucketKey model.Value[bool]) func() *model.Model {
		return fromGood(sseKMS(keyARN, bucketKey), keyPolicy(policyWith(rootStmt(acct),
			keyGrantCond(`{"StringLike":{"kms:EncryptionContext:aws:s3:arn":"`+bucketARN+`/*"}}`))))
	}
	return []scenario{
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
		{name: "key: disabled key fails at kms.key-state", ref: "§3.4",
			build: fromGood(onKey(func(k *model.Key) { k.State = model.Known("Disabled") })), want: FAIL,
			gates: map[string]Verdict{"kms.key-state": FAIL, "kms.key-policy": OK}, reasonGate: "kms.key-state", reason: "Disabled", fixGate: "kms.key-state"},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
		{name: "key: key pending deletion fails", ref: "§3.4",
			build: fromGood(onKey(func(k *model.Key) { k.State = model.Known("PendingDeletion") })), want: FAIL,
			gates: map[string]Verdict{"kms.key-state": FAIL}, reasonGate: "kms.key-state", reason: "pending deletion", fixGate: "kms.key-state"},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
		{name: "key: key in state Updating still works", ref: "§3.4",
			build: fromGood(onKey(func(k *model.Key) { k.State = model.Known("Updating") })), want: OK,
			gates: map[string]Verdict{"kms.key-state": OK}},
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
		{name: "key: asymmetric RSA_2048 key fails", ref: "§3.4",
			build: fromGood(onKey(func(k *model.Key) { k.Spec = model.Known("RSA_2048") })), want: FAIL,
			gates: map[string]Verdict{"kms.key-state": FAIL}, reasonGate: "kms.key-state", reason: "RSA_2048"},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html (key policies are Regional)
		{name: "key: key in another Region than the bucket fails", ref: "§3.3.1, §0.1",
			build: fromGood(keyElsewhere(acct, otherRegion, goodKeyPolicy)), want: FAIL,
			gates: map[string]Verdict{"kms.key-state": FAIL}, reasonGate: "kms.key-state", reason: otherRegion},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "key: AWS managed key (KeyManager AWS) named by ARN fails", ref: "§2.4, §3.3.7",
			build: fromGood(onKey(func(k *model.Key) { k.Manager = model.Known("AWS") })), want: FAIL,
			gates: map[string]Verdict{"kms.key-state": FAIL}, reasonGate: "kms.key-state", reason: "AWS managed"},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
		{name: "key: key state unknown is UNKNOWN", ref: "§0.1, §3.4",
			build: fromGood(onKey(func(k *model.Key) { k.State = model.Unknown[string]("DescribeKey was denied") })), want: UNKNOWN,
			gates: map[string]Verdict{"kms.key-state": UNKNOWN, "kms.key-policy": OK}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
		{name: "key: key policy unknown is UNKNOWN", ref: "§0.1, §2.7",
			build: fromGood(onKey(func(k *model.Key) { k.Policy = model.Unknown[*model.PolicyDocument]("GetKeyPolicy was denied") })), want: UNKNOWN,
			gates: map[string]Verdict{"kms.key-state": OK, "kms.key-policy": UNKNOWN}, reasonGate: "kms.key-policy", reason: "GetKeyPolicy"},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
		{name: "key: key without a policy in the model has the default policy and fails", ref: "§3.3.3",
			build: fromGood(onKey(func(k *model.Key) { k.Policy = model.Known[*model.PolicyDocument](nil) })), want: FAIL,
			gates: map[string]Verdict{"kms.key-policy": FAIL}, reasonGate: "kms.key-policy", reason: "kms:GenerateDataKey", fixGate: "kms.key-policy"},
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html (cross-account keys need the full ARN)
		{name: "key: key in another account whose policy allows delivery.logs is OK", ref: "§2.7",
			build: fromGood(keyElsewhere(other, region, policyWith(rootStmt(other), cwlKeyGrant))), want: OK,
			gates: map[string]Verdict{"s3.encryption": OK, "kms.key-state": OK, "kms.key-policy": OK}},
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
		{name: "key: key in another account with only its own root statement fails", ref: "§2.7, §3.3.4",
			build: fromGood(keyElsewhere(other, region, policyWith(rootStmt(other)))), want: FAIL,
			gates: map[string]Verdict{"kms.key-policy": FAIL}, fixGate: "kms.key-policy"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
		{name: "key: explicit Deny StringNotEquals aws:SourceAccount 444455556666 denies source 111122223333", ref: "§2.5, §3.3.5, §8.2",
			build: fromGood(keyPolicy(policyWith(rootStmt(acct), cwlKeyGrant,
				`{"Sid":"OnlyOtherSources","Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"`+other+`"}}}`))),
			want: FAIL, gates: map[string]Verdict{"kms.key-policy": FAIL}, reasonGate: "kms.key-policy", reason: "OnlyOtherSources"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
		{name: "key: explicit Deny StringNotEquals aws:SourceAccount 111122223333 lets the source through", ref: "§3.2, §8.2",
			build: fromGood(keyPolicy(policyWith(rootStmt(acct), cwlKeyGrant,
				`{"Sid":"OnlyOurSources","Effect":"Deny","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"`+acct+`"}}}`))),
			want: OK, gates: map[string]Verdict{"kms.key-policy": OK}},
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
		{name: "key: kms:EncryptionContext:aws:s3:arn limited to object ARNs fails with a Bucket Key", ref: "§2.6, §3.2",
			build: objectCtx(model.Known(true)), want: FAIL,
			gates: map[string]Verdict{"kms.key-policy": FAIL}, fixGate: "kms.key-policy"},
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
		{name: "key: kms:EncryptionContext:aws:s3:arn limited to object ARNs is OK without a Bucket Key", ref: "§2.6, §3.2",
			build: objectCtx(model.Known(false)), want: OK, gates: map[string]Verdict{"kms.key-policy": OK}},
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
		{name: "key: kms:EncryptionContext:aws:s3:arn limited to object ARNs is UNKNOWN when Bucket Key is unknown", ref: "§2.6, §3.2",
			build: objectCtx(model.Unknown[bool]("BucketKeyEnabled comes from a parameter")), want: UNKNOWN,
			gates: map[string]Verdict{"kms.key-policy": UNKNOWN}, reasonGate: "kms.key-policy", reason: "Bucket Key"},
		// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
		{name: "key: a kms:CallerAccount condition is UNKNOWN (undocumented for a service principal)", ref: "§3.2, §10.12",
			build: fromGood(keyPolicy(policyWith(rootStmt(acct), keyGrantCond(`{"StringEquals":{"kms:CallerAccount":"`+acct+`"}}`)))),
			want:  UNKNOWN, gates: map[string]Verdict{"kms.key-policy": UNKNOWN}, reasonGate: "kms.key-policy", reason: "kms:CallerAccount"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
		{name: "key: Principal * with aws:PrincipalOrgID fails (a service principal carries no org ID)", ref: "§8.5, §3.3",
			build: fromGood(keyPolicy(policyWith(rootStmt(acct),
				`{"Sid":"OrgUse","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:GenerateDataKey*","kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"`+orgID+`"}}}`))),
			want: FAIL, gates: map[string]Verdict{"kms.key-policy": FAIL}, fixGate: "kms.key-policy"},
		// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
		{name: "key: ForAnyValue:StringEquals kms:EncryptionContextKeys aws:s3:arn is OK", ref: "§3.2",
			build: fromGood(keyPolicy(policyWith(rootStmt(acct), keyGrantCond(`{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"aws:s3:arn"}}`)))),
			want:  OK, gates: map[string]Verdict{"kms.key-policy": OK}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
		{name: "key: kms:ViaService s3.<region> condition is a WARN (assumed, not documented)", ref: "§3.2",
			build: fromGood(keyPolicy(policyWith(rootStmt(acct), keyGrantCond(`{"StringEquals":{"kms:ViaService":"s3.`+region+`.amazonaws.com"}}`)))),
			want:  WARN, gates: map[string]Verdict{"kms.key-policy": WARN}, reasonGate: "kms.key-policy", reason: "kms:ViaService"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
		{name: "key: CloudWatch V1 five-action statement with SourceAccount/SourceArn is OK", ref: "§2.5",
			build: fromGood(), want: OK, gates: map[string]Verdict{"kms.key-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-V2-S3.html
		{name: "key: V2 delivery-source aws:SourceArn pattern does not match a V1 source and fails", ref: "§1.9, §2.5",
			build: fromGood(keyPolicy(policyWith(rootStmt(acct), keyGrantCond(`{"ArnLike":{"aws:SourceArn":"arn:aws:logs:`+region+`:`+acct+`:delivery-source:*"}}`)))),
			want:  FAIL, gates: map[string]Verdict{"kms.key-policy": FAIL}, fixGate: "kms.key-policy"},
	}
}

// ---------------------------------------------------------------------------
// Unknown inputs: never OK

func unknownScenarios() []scenario {
	return []scenario{
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html (the path holds the source account)
		{name: "unknown: firewall account unknown", ref: "§1.3",
			build: fromGood(func(m *model.Model) {
				m.Firewalls[0].Account = model.Unknown[string]("AWS::AccountId of an undeployed stack")
			}),
			want: UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN, "kms.key-policy": UNKNOWN},
			reasonGate: "s3.bucket-policy", reason: "account is unknown"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "unknown: firewall Region unknown", ref: "§1.3",
			build: fromGood(func(m *model.Model) { m.Firewalls[0].Region = model.Unknown[string]("AWS::Region") }),
			want:  UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN}},
		// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_LogDestinationConfig.html
		{name: "unknown: bucket name unknown", ref: "§1.2",
			build: fromGood(func(m *model.Model) {
				m.Firewalls[0].Logging.Destinations[0].BucketName = model.Unknown[string]("parameter LogBucketName has no default")
			}),
			want: UNKNOWN, gates: map[string]Verdict{"s3.bucket": UNKNOWN}, reasonGate: "s3.bucket", reason: "LogBucketName"},
		// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_LogDestinationConfig.html
		{name: "unknown: bucket name unknown but the bucket is linked by reference, name unknown too", ref: "§1.2",
			build: fromGood(func(m *model.Model) {
				m.Firewalls[0].Logging.Destinations[0].BucketName = model.Unknown[string]("!Ref LogBucket")
				m.Firewalls[0].Logging.Destinations[0].Ref = "LogBucket"
				m.Buckets[0].Name = model.Unknown[string]("generated by CloudFormation")
			}),
			want: UNKNOWN, gates: map[string]Verdict{"s3.bucket": OK, "s3.bucket-policy": UNKNOWN}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html (same account and Region)
		{name: "unknown: firewall account unknown, CloudWatch Logs destination", ref: "§1.6",
			build: logsModel(func(m *model.Model) {
				m.Firewalls[0].Account = model.Unknown[string]("AWS::AccountId of an undeployed stack")
			}),
			want: UNKNOWN},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html
		{name: "unknown: firewall Region unknown, CloudWatch Logs destination", ref: "§1.6",
			build: logsModel(func(m *model.Model) { m.Firewalls[0].Region = model.Unknown[string]("AWS::Region") }),
			want:  UNKNOWN},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-kinesis.html (same account and Region)
		{name: "unknown: firewall account unknown, Firehose destination", ref: "§1.6",
			build: firehoseModel(func(m *model.Model) {
				m.Firewalls[0].Account = model.Unknown[string]("AWS::AccountId of an undeployed stack")
			}),
			want: UNKNOWN},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-kinesis.html
		{name: "unknown: firewall Region unknown, Firehose destination", ref: "§1.6",
			build: firehoseModel(func(m *model.Model) { m.Firewalls[0].Region = model.Unknown[string]("AWS::Region") }),
			want:  UNKNOWN},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "unknown: S3 prefix unknown", ref: "§1.3",
			build: fromGood(s3Prefix(model.Unknown[string]("parameter LogPrefix"))),
			want:  UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN, "kms.key-policy": UNKNOWN}, reasonGate: "s3.bucket-policy", reason: "LogPrefix"},
		// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_DescribeLoggingConfiguration.html
		{name: "unknown: logging configuration unreadable", ref: "§0.1, §1.7",
			build: fromGood(func(m *model.Model) {
				m.Firewalls[0].Logging = &model.LoggingConfiguration{Unknown: "DescribeLoggingConfiguration was denied"}
			}),
			want: UNKNOWN, gates: map[string]Verdict{"nfw.logging-config": UNKNOWN}, reasonGate: "nfw.logging-config", reason: "DescribeLoggingConfiguration"},
		// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_LogDestinationConfig.html
		{name: "unknown: destination type unknown", ref: "§1.2",
			build: fromGood(func(m *model.Model) {
				m.Firewalls[0].Logging.Destinations[0].Type = model.Unknown[string]("!If condition UseS3")
			}),
			want: UNKNOWN, gates: map[string]Verdict{"nfw.logging-config": UNKNOWN}, reasonGate: "nfw.logging-config", reason: "UseS3"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
		{name: "unknown: bucket not in the input", ref: "§0.1",
			build: fromGood(func(m *model.Model) { m.Buckets = nil }),
			want:  UNKNOWN, gates: map[string]Verdict{"s3.bucket": UNKNOWN}, reasonGate: "s3.bucket", reason: "not defined"},
	}
}

// ---------------------------------------------------------------------------
// CloudWatch Logs

func logsScenarios() []scenario {
	// A policy over 5,120 characters that still allows the delivery.
	var resources []string
	for i := range 80 {
		resources = append(resources, fmt.Sprintf(`"arn:aws:logs:%s:%s:log-group:/aws/vendedlogs/app-%03d:log-stream:*"`, region, acct, i))
	}
	resources = append(resources, `"`+groupARNText+`:log-stream:*"`)
	bigPolicy := policyWith(`{"Sid":"AWSLogDeliveryWrite20150319","Effect":"Allow","Principal":{"Service":["delivery.logs.amazonaws.com"]},"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":[` + strings.Join(resources, ",") + `]}`)
	return []scenario{
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
		{name: "logs: log group without any resource policy is OK (AWS adds one at set-up)", ref: "§4.1",
			build: logsModel(), want: OK, gates: map[string]Verdict{"logs.log-group": OK, "logs.resource-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
		{name: "logs: account-level policy allowing delivery.logs on log-group:* is OK", ref: "§4.1",
			build: logsModel(accountLevelPolicy("AWSLogDeliveryWrite20150319", doc(policyWith(cwlLogsWrite("arn:aws:logs:"+region+":"+acct+":log-group:*"))))),
			want:  OK, gates: map[string]Verdict{"logs.resource-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
		{name: "logs: managed log-group-level policy without the statement fails", ref: "§4.1",
			build: logsModel(groupLevelPolicy("AlertGroupPolicy", managedDoc(policyWith(unrelatedLogsStmt)))),
			want:  FAIL, gates: map[string]Verdict{"logs.resource-policy": FAIL},
			reasonGate: "logs.resource-policy", reason: "next deploy", fixGate: "logs.resource-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
		{name: "logs: managed account-level policy without the statement is a WARN", ref: "§4.1, §10.6",
			build: logsModel(accountLevelPolicy("SharedLogsPolicy", managedDoc(policyWith(unrelatedLogsStmt)))),
			want:  WARN, gates: map[string]Verdict{"logs.resource-policy": WARN}, reasonGate: "logs.resource-policy", reason: "account-level", fixGate: "logs.resource-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html
		{name: "logs: account-level policy over 5,120 characters fails", ref: "§4.1",
			build: logsModel(accountLevelPolicy("BigPolicy", doc(bigPolicy))),
			want:  FAIL, gates: map[string]Verdict{"logs.resource-policy": FAIL}, reasonGate: "logs.resource-policy", reason: "5120"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
		{name: "logs: log-group-level policy over 5,120 characters is fine (limit 51,200 bytes)", ref: "§4.1",
			build: logsModel(groupLevelPolicy("AlertGroupPolicy", doc(bigPolicy))),
			want:  OK, gates: map[string]Verdict{"logs.resource-policy": OK}},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
		{name: "logs: an explicit Deny on principals without an account fails", ref: "§8.2, §8.4",
			build: logsModel(accountLevelPolicy("AWSLogDeliveryWrite20150319", doc(policyWith(cwlLogsWrite("arn:aws:logs:"+region+":"+acct+":log-group:*"),
				`{"Sid":"DenyOutsideAccount","Effect":"Deny","Principal":"*","Action":"logs:PutLogEvents","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"`+acct+`"}}}`)))),
			want: FAIL, gates: map[string]Verdict{"logs.resource-policy": FAIL}, reasonGate: "logs.resource-policy", reason: "DenyOutsideAccount"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html
		{name: "logs: log group in another Region fails", ref: "§1.6",
			build: logsModel(func(m *model.Model) { m.LogGroups[0].Region = model.Known(otherRegion) }),
			want:  FAIL, gates: map[string]Verdict{"logs.log-group": FAIL}, reasonGate: "logs.log-group", reason: otherRegion},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html
		{name: "logs: log group in another account fails", ref: "§1.6",
			build: logsModel(func(m *model.Model) { m.LogGroups[0].Account = model.Known(other) }),
			want:  FAIL, gates: map[string]Verdict{"logs.log-group": FAIL}, reasonGate: "logs.log-group", reason: other},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html
		{name: "logs: log group not in the input is UNKNOWN", ref: "§0.1",
			build: logsModel(func(m *model.Model) { m.LogGroups = nil }),
			want:  UNKNOWN, gates: map[string]Verdict{"logs.log-group": UNKNOWN}},
		// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_LogDestinationConfig.html
		{name: "logs: log group name unknown is UNKNOWN", ref: "§1.2",
			build: logsModel(func(m *model.Model) {
				m.Firewalls[0].Logging.Destinations[0].LogGroup = model.Unknown[string]("parameter AlertLogGroup")
			}),
			want: UNKNOWN, gates: map[string]Verdict{"logs.log-group": UNKNOWN}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
		{name: "logs: resource policy unknown is UNKNOWN", ref: "§4.1",
			build: logsModel(accountLevelPolicy("Unreadable", model.Unknown[*model.PolicyDocument]("DescribeResourcePolicies was denied"))),
			want:  UNKNOWN, gates: map[string]Verdict{"logs.resource-policy": UNKNOWN}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
		{name: "logs: KMS-encrypted group whose key lacks logs.<region>.amazonaws.com fails", ref: "§4.2",
			build: logsModel(encryptGroup(rootOnly)),
			want:  FAIL, gates: map[string]Verdict{"kms.key-state": OK, "logs.kms-key-policy": FAIL},
			reasonGate: "logs.kms-key-policy", reason: "logs." + region + ".amazonaws.com", fixGate: "logs.kms-key-policy"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
		{name: "logs: KMS-encrypted group with the documented statement (ArnEquals on aws:logs:arn) is OK", ref: "§4.2",
			build: logsModel(encryptGroup(policyWith(rootStmt(acct), cwlGroupKeyGrant))),
			want:  OK, gates: map[string]Verdict{"kms.key-state": OK, "logs.kms-key-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
		{name: "logs: key statement for the logs principal of another Region fails", ref: "§4.2",
			build: logsModel(encryptGroup(policyWith(rootStmt(acct), strings.Replace(cwlGroupKeyGrant, "logs."+region, "logs."+otherRegion, 1)))),
			want:  FAIL, gates: map[string]Verdict{"logs.kms-key-policy": FAIL}, fixGate: "logs.kms-key-policy"},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
		{name: "logs: KMS-encrypted group whose key is disabled fails at kms.key-state", ref: "§3.4, §4.2",
			build: logsModel(encryptGroup(policyWith(rootStmt(acct), cwlGroupKeyGrant)), func(m *model.Model) { m.Keys[0].State = model.Known("Disabled") }),
			want:  FAIL, gates: map[string]Verdict{"kms.key-state": FAIL, "logs.kms-key-policy": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
		{name: "logs: KMS-encrypted group whose key is not in the input is UNKNOWN", ref: "§4.2, §0.1",
			build: logsModel(func(m *model.Model) {
				m.LogGroups[0].KMSKeyID = model.Known("arn:aws:kms:" + region + ":" + acct + ":key/" + missingKeyID)
			}),
			want: UNKNOWN, gates: map[string]Verdict{"logs.kms-key-policy": UNKNOWN}},
	}
}

// ---------------------------------------------------------------------------
// Firehose

func firehoseScenarios() []scenario {
	noTag := func(s *model.DeliveryStream) { s.Tags = model.Known(map[string]string{"team": "network"}) }
	return []scenario{
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
		{name: "firehose: Direct PUT stream tagged LogDeliveryEnabled=true is OK", ref: "§1.6, §5",
			build: firehoseModel(), want: OK, gates: map[string]Verdict{"firehose.stream": OK, "firehose.tag": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
		{name: "firehose: tags managed as code without LogDeliveryEnabled fail", ref: "§5",
			build: firehoseModel(onStream(noTag), onStream(func(s *model.DeliveryStream) { s.TagsManaged = true })),
			want:  FAIL, gates: map[string]Verdict{"firehose.tag": FAIL}, reasonGate: "firehose.tag", reason: "next deploy", fixGate: "firehose.tag"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
		// https://developer.hashicorp.com/terraform/internals/json-format (no lifecycle in the configuration)
		{name: "firehose: tags managed, whether ignored unknown (plan JSON), without the tag are UNKNOWN with a proven fix", ref: "§0.1, §5",
			build: firehoseModel(onStream(noTag), onStream(func(s *model.DeliveryStream) {
				s.TagsManaged, s.TagsIgnoredUnknown = true, "terraform show -json prints no lifecycle blocks"
			})),
			want: UNKNOWN, gates: map[string]Verdict{"firehose.tag": UNKNOWN}, reasonGate: "firehose.tag", reason: "no lifecycle blocks", fixGate: "firehose.tag"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
		{name: "firehose: tags managed but ignored (ignore_changes) without the tag are OK", ref: "§5",
			build: firehoseModel(onStream(noTag), onStream(func(s *model.DeliveryStream) { s.TagsManaged, s.TagsIgnored = true, true })),
			want:  OK, gates: map[string]Verdict{"firehose.tag": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
		{name: "firehose: tag not declared and tags not managed is OK (AWS adds it)", ref: "§5",
			build: firehoseModel(onStream(noTag)), want: OK, gates: map[string]Verdict{"firehose.tag": OK}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
		{name: "firehose: LogDeliveryEnabled=false fails", ref: "§5",
			build: firehoseModel(onStream(func(s *model.DeliveryStream) { s.Tags = model.Known(map[string]string{"LogDeliveryEnabled": "false"}) })),
			want:  FAIL, gates: map[string]Verdict{"firehose.tag": FAIL}, fixGate: "firehose.tag"},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
		{name: "firehose: tags unknown is UNKNOWN", ref: "§0.1, §5",
			build: firehoseModel(onStream(func(s *model.DeliveryStream) {
				s.Tags = model.Unknown[map[string]string]("ListTagsForDeliveryStream was denied")
			})),
			want: UNKNOWN, gates: map[string]Verdict{"firehose.tag": UNKNOWN}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-kinesis.html
		{name: "firehose: KinesisStreamAsSource fails", ref: "§1.6",
			build: firehoseModel(onStream(func(s *model.DeliveryStream) { s.Type = model.Known("KinesisStreamAsSource") })),
			want:  FAIL, gates: map[string]Verdict{"firehose.stream": FAIL}, reasonGate: "firehose.stream", reason: "Direct PUT", fixGate: "firehose.stream"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-kinesis.html
		{name: "firehose: stream in another account fails", ref: "§1.6",
			build: firehoseModel(onStream(func(s *model.DeliveryStream) { s.Account = model.Known(other) })),
			want:  FAIL, gates: map[string]Verdict{"firehose.stream": FAIL}, reasonGate: "firehose.stream", reason: other},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-kinesis.html
		{name: "firehose: stream in another Region fails", ref: "§1.6",
			build: firehoseModel(onStream(func(s *model.DeliveryStream) { s.Region = model.Known(otherRegion) })),
			want:  FAIL, gates: map[string]Verdict{"firehose.stream": FAIL}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-kinesis.html
		{name: "firehose: stream not in the input is UNKNOWN", ref: "§0.1",
			build: firehoseModel(func(m *model.Model) { m.DeliveryStreams = nil }),
			want:  UNKNOWN, gates: map[string]Verdict{"firehose.stream": UNKNOWN}},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
		{name: "firehose: CUSTOMER_MANAGED_CMK whose key lacks a delivery.logs statement is a WARN", ref: "§5, §10.10",
			build: firehoseModel(streamCMK(rootOnly)),
			want:  WARN, gates: map[string]Verdict{"kms.key-state": OK, "firehose.encryption": WARN}, fixGate: "firehose.encryption"},
		// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
		{name: "firehose: CUSTOMER_MANAGED_CMK with Network Firewall's statement is OK", ref: "§5",
			build: firehoseModel(streamCMK(policyWith(rootStmt(acct), seedGrant))),
			want:  OK, gates: map[string]Verdict{"firehose.encryption": OK}},
		// https://docs.aws.amazon.com/firehose/latest/APIReference/API_FailureDescription.html
		{name: "firehose: CUSTOMER_MANAGED_CMK whose key is disabled fails", ref: "§3.4, §5",
			build: firehoseModel(streamCMK(policyWith(rootStmt(acct), seedGrant)), func(m *model.Model) { m.Keys[0].State = model.Known("Disabled") }),
			want:  FAIL, gates: map[string]Verdict{"kms.key-state": FAIL}},
		// https://docs.aws.amazon.com/firehose/latest/APIReference/API_DeliveryStreamEncryptionConfigurationInput.html
		{name: "firehose: AWS owned key needs nothing", ref: "§5",
			build: firehoseModel(onStream(func(s *model.DeliveryStream) { s.KeyType = model.Known("AWS_OWNED_CMK") })),
			want:  OK, gates: map[string]Verdict{"firehose.stream": OK, "firehose.tag": OK}},
	}
}

// ---------------------------------------------------------------------------
// Organizations: RCPs

func rcpScenarios() []scenario {
	return []scenario{
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
		{name: "rcp: deny-outside-org on the bucket account without the service exemption fails", ref: "§3.3.5, §8.5",
			build: fromGood(addRCP("DataPerimeter", []string{acct}, rcpDenyOutsideOrg("s3:*", ""))),
			want:  FAIL, gates: map[string]Verdict{"s3.bucket-policy": OK, "kms.key-policy": OK, "org.rcp": FAIL},
			reasonGate: "org.rcp", reason: "PrincipalIsAWSService"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
		{name: "rcp: deny-outside-org with BoolIfExists aws:PrincipalIsAWSService false is OK", ref: "§3.3.5, §8.5",
			build: fromGood(addRCP("DataPerimeter", []string{acct}, rcpDenyOutsideOrg("s3:*", awsServiceExemption))),
			want:  OK, gates: map[string]Verdict{"org.rcp": OK}},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
		{name: "rcp: RCP attached to an OU while the account's path is unknown is UNKNOWN", ref: "§3.3.5, §0.1",
			build: fromGood(addRCP("DataPerimeter", []string{orgOU}, rcpDenyOutsideOrg("s3:*", awsServiceExemption))),
			want:  UNKNOWN, gates: map[string]Verdict{"org.rcp": UNKNOWN}, reasonGate: "org.rcp", reason: orgOU},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
		{name: "rcp: RCP on the root with the account's path known fails", ref: "§3.3.5",
			build: fromGood(addRCP("DataPerimeter", []string{orgRoot}, rcpDenyOutsideOrg("s3:*", "")),
				orgPaths(map[string][]string{acct: {orgRoot}})),
			want: FAIL, gates: map[string]Verdict{"org.rcp": FAIL}},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
		{name: "rcp: RCP on an OU the bucket account is not under does not apply", ref: "§3.3.5",
			build: fromGood(addRCP("DataPerimeter", []string{orgOU}, rcpDenyOutsideOrg("s3:*", "")),
				orgPaths(map[string][]string{acct: {orgRoot}})),
			want: OK, gates: map[string]Verdict{"org.rcp": OK}},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
		{name: "rcp: RCP on the key's account denying kms:* outside the org fails", ref: "§2.7, §3.3.5",
			build: fromGood(keyElsewhere(other, region, policyWith(rootStmt(other), cwlKeyGrant)),
				addRCP("KeyPerimeter", []string{orgOU}, rcpDenyOutsideOrg("kms:*", "")),
				orgPaths(map[string][]string{acct: {orgRoot}, other: {orgRoot, orgOU}})),
			want: FAIL, gates: map[string]Verdict{"kms.key-policy": OK, "org.rcp": FAIL},
			reasonGate: "org.rcp", reason: other},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
		{name: "rcp: RCP denying kms:* outside the org blocks CloudWatch Logs' use of the group's key", ref: "§3.3.5, §4.2",
			build: logsModel(encryptGroup(policyWith(rootStmt(acct), cwlGroupKeyGrant)), addRCP("KeyPerimeter", []string{acct}, rcpDenyOutsideOrg("kms:*", ""))),
			want:  FAIL, gates: map[string]Verdict{"logs.kms-key-policy": OK, "org.rcp": FAIL}, reasonGate: "org.rcp", reason: "logs." + region + ".amazonaws.com"},
		{name: "rcp: the same RCP with the PrincipalIsAWSService exemption lets CloudWatch Logs through", ref: "§3.3.5, §8.5",
			build: logsModel(encryptGroup(policyWith(rootStmt(acct), cwlGroupKeyGrant)), addRCP("KeyPerimeter", []string{acct}, rcpDenyOutsideOrg("kms:*", awsServiceExemption))),
			want:  OK, gates: map[string]Verdict{"org.rcp": OK}},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
		{name: "rcp: an SCP does not constrain the service principal", ref: "§3.3.5",
			build: fromGood(func(m *model.Model) {
				m.OrgPolicies = append(m.OrgPolicies, &model.OrgPolicy{Name: model.Known("DenyAll"), Type: model.Known(model.SCPType),
					Targets: model.Known([]string{acct}), Policy: doc(policyWith(`{"Effect":"Deny","Action":"*","Resource":"*"}`))})
			}),
			want: OK, gates: map[string]Verdict{"kms.key-policy": OK}},
	}
}

func allScenarios() []scenario {
	var all []scenario
	for _, group := range [][]scenario{s3PolicyScenarios(), s3EncryptionScenarios(), keyScenarios(), unknownScenarios(),
		logsScenarios(), firehoseScenarios(), rcpScenarios(), flowLogScenarios(),
		resolverScenarios(), wafScenarios(), trailScenarios()} {
		all = append(all, group...)
	}
	return all
}

func TestS3PolicyScenarios(t *testing.T)     { runCatalogue(t, s3PolicyScenarios()) }
func TestS3EncryptionScenarios(t *testing.T) { runCatalogue(t, s3EncryptionScenarios()) }
func TestKeyScenarios(t *testing.T)          { runCatalogue(t, keyScenarios()) }
func TestUnknownInputScenarios(t *testing.T) { runCatalogue(t, unknownScenarios()) }
func TestLogsScenarios(t *testing.T)         { runCatalogue(t, logsScenarios()) }
func TestFirehoseScenarios(t *testing.T)     { runCatalogue(t, firehoseScenarios()) }
func TestRCPScenarios(t *testing.T)          { runCatalogue(t, rcpScenarios()) }

// The catalogue itself: enough scenarios, each named once and citing the
// reference, and no scenario with an unknown input decided OK.
func TestScenarioCatalogue(t *testing.T) {
	all := allScenarios()
	if len(all) < 45 {
		t.Errorf("%d scenarios, want at least 45", len(all))
	}
	seen := map[string]bool{}
	for _, sc := range all {
		if seen[sc.name] {
			t.Errorf("scenario %q twice", sc.name)
		}
		seen[sc.name] = true
		if !strings.HasPrefix(sc.ref, "§") {
			t.Errorf("scenario %q: ref %q does not cite a section", sc.name, sc.ref)
		}
		if strings.HasPrefix(sc.name, "unknown:") && sc.want == OK {
			t.Errorf("scenario %q: an unknown input must never be OK", sc.name)
		}
	}
}

// Without SSE-KMS there is no key to check: no key gate appears.
func TestNoKeyGatesWithoutKMS(t *testing.T) {
	for _, build := range []func() *model.Model{
		mutate(sseS3()),
		mutate(bucketEncryption(model.Known[*model.BucketEncryption](nil))),
		mutate(sseKMS("alias/aws/s3", model.Known(true))),
		logsModel(),
		firehoseModel(),
	} {
		for _, g := range Analyze(build())[0].Gates {
			if strings.HasPrefix(g.ID, "kms.") || g.ID == "logs.kms-key-policy" || g.ID == "firehose.encryption" {
				t.Errorf("%s: unexpected key gate %s %v: %s", Analyze(build())[0].Destination.Name, g.ID, g.Verdict, g.Reason)
			}
		}
	}
}

// applyFix replaces the policy a fix targets with the fix's whole policy.
func applyFix(m *model.Model, f *Fix) error {
	replacement := model.Known(&model.PolicyDocument{JSON: model.Known(f.Policy)})
	switch {
	case strings.HasPrefix(f.Target, "bucket policy of "):
		name := strings.TrimPrefix(f.Target, "bucket policy of ")
		for _, b := range m.Buckets {
			if b.Name.Or("") == name {
				b.Policy = replacement
				return nil
			}
		}
	case strings.HasPrefix(f.Target, "key policy of "):
		label := strings.TrimPrefix(f.Target, "key policy of ")
		for _, k := range m.Keys {
			if k.ARN.Or("") == label || k.ID == label || k.KeyID.Or("") == label {
				k.Policy = replacement
				return nil
			}
		}
	case strings.HasPrefix(f.Target, "trust policy of role "):
		for _, r := range m.Roles {
			if roleLabel(r) == strings.TrimPrefix(f.Target, "trust policy of role ") {
				r.TrustPolicy = replacement
				return nil
			}
		}
	case strings.HasPrefix(f.Target, "inline policy of role "):
		for _, r := range m.Roles {
			if inline, ok := r.InlinePolicies.Get(); ok && roleLabel(r) == strings.TrimPrefix(f.Target, "inline policy of role ") {
				r.InlinePolicies = model.Known(append(inline, model.InlinePolicy{Name: model.Known("fix"), Policy: replacement}))
				return nil
			}
		}
	case strings.HasPrefix(f.Target, "CloudWatch Logs resource policy "):
		name := strings.TrimPrefix(f.Target, "CloudWatch Logs resource policy ")
		for _, p := range m.LogResourcePolicies {
			if p.Name.Or(p.ID) == name {
				p.Policy = replacement
				return nil
			}
		}
	}
	return fmt.Errorf("fix target %q names no resource of the model", f.Target)
}

// Every FAIL or WARN scenario whose failing gate offers statements: the
// fix's whole policy, put in place of the resource's, makes that gate OK.
func TestScenarioFixesAreProven(t *testing.T) {
	proven := map[string]int{}
	for _, sc := range allScenarios() {
		d := Analyze(sc.build())[sc.index]
		if d.Verdict != FAIL && d.Verdict != WARN {
			continue
		}
		for _, g := range d.Gates {
			if (g.Verdict != FAIL && g.Verdict != WARN) || g.Fix == nil || len(g.Fix.Statements) == 0 {
				continue
			}
			proven[g.ID]++
			t.Run(sc.name+"/"+g.ID, func(t *testing.T) {
				if !json.Valid([]byte(g.Fix.Policy)) {
					t.Fatalf("the fix's policy is not JSON: %s", g.Fix.Policy)
				}
				for _, st := range g.Fix.Statements {
					if st.Sid != "" && !strings.Contains(g.Fix.Policy, `"`+st.Sid+`"`) {
						t.Errorf("the fix's policy lacks statement %s", st.Sid)
					}
				}
				m := sc.build()
				if err := applyFix(m, g.Fix); err != nil {
					t.Fatal(err)
				}
				after := Analyze(m)[sc.index]
				for _, ag := range after.Gates {
					if ag.ID == g.ID {
						if ag.Verdict != OK {
							t.Errorf("after the fix %s is %v: %s\nfix policy: %s", g.ID, ag.Verdict, ag.Reason, g.Fix.Policy)
						}
						return
					}
				}
				t.Errorf("after the fix the gate %s is gone", g.ID)
			})
		}
	}
	// The catalogue has statement fixes for each kind of resource policy.
	for _, id := range []string{"s3.bucket-policy", "kms.key-policy", "logs.resource-policy", "logs.kms-key-policy", "firehose.encryption",
		"iam.role-trust", "iam.role-permissions"} {
		if proven[id] == 0 {
			t.Errorf("no scenario proves a fix of %s", id)
		}
	}
}

// When only a recommended action is denied (kms:Decrypt), the WARN shows
// that request, not the allowed kms:GenerateDataKey evaluated first.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
func TestKeyPolicyWarnShowsTheDeniedRequest(t *testing.T) {
	grant := `{"Sid":"GenerateOnly","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*"}`
	ds := Analyze(mutate(keyPolicy(policyWith(rootStmt(acct), grant)))())
	for _, g := range ds[0].Gates {
		if g.ID != "kms.key-policy" {
			continue
		}
		if g.Verdict != WARN || g.Request == nil || g.Request.Action != "kms:Decrypt" {
			t.Fatalf("kms.key-policy: %s with request %+v, want WARN on kms:Decrypt", g.Verdict, g.Request)
		}
		return
	}
	t.Fatal("no kms.key-policy gate")
}
