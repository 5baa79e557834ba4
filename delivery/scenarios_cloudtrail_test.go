package delivery

import (
	"strings"
	"testing"

	"github.com/logpath/logpath/model"
)

// Scenario catalogue: AWS CloudTrail trails to S3 (with the trail's own KMS
// key or the bucket's default encryption) and to CloudWatch Logs through a
// role. Each scenario names the section of shared/reference/aws-log-delivery.md
// it rests on (§6, CloudTrail's row, for what is particular to trails); the
// comment above it gives the CloudTrail page.

const (
	trailName     = "management-events"
	trailARN      = "arn:aws:cloudtrail:" + region + ":" + acct + ":trail/" + trailName
	trailPrefix   = "trail"
	trailGroup    = "/aws/cloudtrail/management-events"
	trailGroupARN = "arn:aws:logs:" + region + ":" + acct + ":log-group:" + trailGroup
	trailRoleName = "cloudtrail-to-logs"
	trailRoleARN  = "arn:aws:iam::" + acct + ":role/" + trailRoleName
	trailOrgID    = "o-a1b2c3d4e5"
)

// The statements AWS documents for a trail: the bucket policy
// (create-s3-bucket-policy-for-cloudtrail.html) and the key policy
// (create-kms-key-policy-for-cloudtrail.html).
const (
	ctAclCheck = `{"Sid":"AWSCloudTrailAclCheck20150319","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"` + bucketARN + `",` +
		`"Condition":{"StringEquals":{"aws:SourceArn":"` + trailARN + `"}}}`
	ctEncrypt = `{"Sid":"Allow CloudTrail to encrypt logs","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*",` +
		`"Condition":{"StringEquals":{"aws:SourceArn":"` + trailARN + `"},"StringLike":{"kms:EncryptionContext:aws:cloudtrail:arn":"arn:aws:cloudtrail:*:` + acct + `:trail/*"}}}`
	ctDescribe = `{"Sid":"Allow CloudTrail access","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:DescribeKey","Resource":"*"}`
	ctTrust    = `{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}`
)

// ctWrite is AWSCloudTrailWrite20150319 for a resource and a trail ARN.
func ctWrite(resource, sourceArn string) string {
	return `{"Sid":"AWSCloudTrailWrite20150319","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"` + resource + `",` +
		`"Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"` + sourceArn + `"}}}`
}

var (
	ctBucketPolicy = policyWith(ctAclCheck, ctWrite(bucketARN+"/"+trailPrefix+"/AWSLogs/"+acct+"/*", trailARN))
	ctKeyPolicy    = policyWith(rootStmt(acct), ctEncrypt, ctDescribe)
	// The role policy of cloudtrail-required-policy-for-cloudwatch-logs.html.
	ctRolePolicy = policyWith(`{"Sid":"AWSCloudTrailCreateLogStream2014110","Effect":"Allow","Action":["logs:CreateLogStream"],"Resource":["`+trailGroupARN+`:log-stream:`+acct+`_CloudTrail_`+region+`*"]}`,
		`{"Sid":"AWSCloudTrailPutLogEvents20141101","Effect":"Allow","Action":["logs:PutLogEvents"],"Resource":["`+trailGroupARN+`:log-stream:`+acct+`_CloudTrail_`+region+`*"]}`)
)

// trailTo is a trail of the seed's account to the seed's bucket, folder
// "trail", encrypted with the seed's key, as a loader gives it.
func trailTo() *model.Trail {
	return &model.Trail{
		Origin: model.Origin{ID: "Trail"},
		Name:   model.Known(trailName), ARN: model.Known(trailARN), Account: model.Known(acct), Region: model.Known(region),
		IsLogging: model.Known(true), IsOrganizationTrail: model.Known(false),
		S3BucketName: model.Known(bucket), S3KeyPrefix: model.Known(trailPrefix), KMSKeyID: model.Known(keyARN),
		CloudWatchLogsLogGroupARN: model.Known(""), CloudWatchLogsRoleARN: model.Known(""),
	}
}

// trailSeed is the seed's failure for CloudTrail: the trail's KMS key has
// only the default key policy. The bucket carries the documented bucket
// policy and SSE-S3 default encryption, so only the key is at fault.
func trailSeed(changes ...func(m *model.Model)) func() *model.Model {
	return func() *model.Model {
		m := seed()
		m.Firewalls = nil
		m.Buckets[0].Encryption = model.Known(&model.BucketEncryption{Algorithm: model.Known(model.SSES3), BucketKeyEnabled: model.Known(false)})
		m.Buckets[0].Policy = managedDoc(ctBucketPolicy)
		m.Trails = []*model.Trail{trailTo()}
		for _, c := range changes {
			c(m)
		}
		return m
	}
}

// trailGood is the trail with AWS's documented key policy, plus changes.
func trailGood(changes ...func(m *model.Model)) func() *model.Model {
	return trailSeed(append([]func(m *model.Model){keyPolicy(ctKeyPolicy)}, changes...)...)
}

func onTrail(f func(t *model.Trail)) func(m *model.Model) {
	return func(m *model.Model) { f(m.Trails[0]) }
}

func organizationTrail(id model.Value[string]) func(m *model.Model) {
	return onTrail(func(t *model.Trail) { t.IsOrganizationTrail, t.OrganizationID = model.Known(true), id })
}

// trailToLogs is the good trail also sending its events to an unencrypted
// log group through the documented role, plus changes; its log group
// delivery is the second.
func trailToLogs(changes ...func(m *model.Model)) func() *model.Model {
	return trailGood(append([]func(m *model.Model){func(m *model.Model) {
		t := m.Trails[0]
		t.CloudWatchLogsLogGroupARN, t.CloudWatchLogsRoleARN = model.Known(trailGroupARN+":*"), model.Known(trailRoleARN)
		m.LogGroups = []*model.LogGroup{{Origin: model.Origin{ID: "TrailLogGroup"}, Name: model.Known(trailGroup),
			Account: model.Known(acct), Region: model.Known(region), KMSKeyID: model.Known("")}}
		r := flowRole(policyWith(ctTrust), ctRolePolicy)
		r.Origin.ID, r.Name, r.ARN = "TrailRole", model.Known(trailRoleName), model.Known(trailRoleARN)
		m.Roles = []*model.IAMRole{r}
	}}, changes...)...)
}

// trailRolePolicies replaces the inline policies of the trail's role.
func trailRolePolicies(jsons ...string) func(m *model.Model) {
	return onRole(func(r *model.IAMRole) {
		var ips []model.InlinePolicy
		for i, p := range jsons {
			ips = append(ips, model.InlinePolicy{Name: model.Known("write-" + string(rune('a'+i))), Policy: doc(p)})
		}
		r.InlinePolicies = model.Known(ips)
	})
}

func trailS3Scenarios() []scenario {
	folder := bucketARN + "/" + trailPrefix + "/AWSLogs/"
	return []scenario{
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
		{name: "cloudtrail s3: the seed's failure, a trail key whose policy lacks cloudtrail.amazonaws.com, fails at kms.key-policy", ref: "§0, §3.3, §6",
			build: trailSeed(), want: FAIL,
			gates:      map[string]Verdict{"cloudtrail.trail": OK, "s3.bucket": OK, "s3.bucket-policy": OK, "s3.encryption": OK, "kms.key-state": OK, "kms.key-policy": FAIL},
			reasonGate: "kms.key-policy", reason: "cloudtrail.amazonaws.com may not call kms:GenerateDataKey", fixGate: "kms.key-policy"},
		{name: "cloudtrail s3: the documented bucket and key policies are OK", ref: "§6",
			build: trailGood(), want: OK, gates: map[string]Verdict{"s3.bucket-policy": OK, "kms.key-policy": OK}},
		{name: "cloudtrail s3: a key statement for delivery.logs.amazonaws.com (the vended-log one) does not let CloudTrail encrypt", ref: "§2.5, §6",
			build: trailSeed(keyPolicy(goodKeyPolicy)), want: FAIL, gates: map[string]Verdict{"kms.key-policy": FAIL}, fixGate: "kms.key-policy"},
		// "Enable CloudTrail to describe KMS key properties" is one of the statements the page requires.
		{name: "cloudtrail s3: a key policy without kms:DescribeKey for CloudTrail fails", ref: "§6",
			build: trailSeed(keyPolicy(policyWith(rootStmt(acct), ctEncrypt))), want: FAIL,
			gates: map[string]Verdict{"kms.key-policy": FAIL}, reasonGate: "kms.key-policy", reason: "kms:DescribeKey", fixGate: "kms.key-policy"},
		{name: "cloudtrail s3: an encryption context condition for another account's trails fails", ref: "§3.2, §6",
			build: trailSeed(keyPolicy(policyWith(rootStmt(acct), strings.Replace(ctEncrypt, "cloudtrail:*:"+acct, "cloudtrail:*:"+other, 1), ctDescribe))),
			want:  FAIL, gates: map[string]Verdict{"kms.key-policy": FAIL}, fixGate: "kms.key-policy"},
		{name: "cloudtrail s3: an aws:SourceArn condition naming another trail fails", ref: "§6",
			build: trailSeed(keyPolicy(policyWith(rootStmt(acct), strings.Replace(ctEncrypt, "trail/"+trailName+`"`, `trail/other-trail"`, 1), ctDescribe))),
			want:  FAIL, gates: map[string]Verdict{"kms.key-policy": FAIL}},
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html
		{name: "cloudtrail s3: a key statement that requires kms:ViaService S3 is UNKNOWN (CloudTrail checks the key itself)", ref: "§3.2, §6",
			build: trailSeed(keyPolicy(policyWith(rootStmt(acct), ctDescribe, `{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.`+region+`.amazonaws.com"}}}`))),
			want:  UNKNOWN, gates: map[string]Verdict{"kms.key-policy": UNKNOWN}, reasonGate: "kms.key-policy", reason: "when the trail is created or updated"},
		{name: "cloudtrail s3: with an S3 Bucket Key, kms:Decrypt missing for CloudTrail is a WARN", ref: "§2.6, §6",
			build: trailGood(sseKMS(keyARN, model.Known(true))), want: WARN,
			gates: map[string]Verdict{"s3.encryption": OK, "kms.key-policy": WARN}, reasonGate: "kms.key-policy", reason: "S3 Bucket Key", fixGate: "kms.key-policy"},
		{name: "cloudtrail s3: with an unknown S3 Bucket Key setting, kms:Decrypt missing is a WARN", ref: "§2.6, §6",
			build: trailGood(sseKMS(keyARN, model.Unknown[bool]("parameter UseBucketKey"))), want: WARN,
			gates: map[string]Verdict{"kms.key-policy": WARN}},
		{name: "cloudtrail s3: the trail's key named by alias resolves in the trail's account", ref: "§6",
			build: trailGood(onTrail(func(t *model.Trail) { t.KMSKeyID = model.Known("alias/cloudtrail") }), func(m *model.Model) {
				m.Aliases = []*model.Alias{{Name: model.Known("alias/cloudtrail"), Target: model.Known(keyID), Account: model.Known(acct), Region: model.Known(region)}}
			}),
			want: OK, gates: map[string]Verdict{"s3.encryption": OK, "kms.key-policy": OK}},
		{name: "cloudtrail s3: a trail key that is disabled fails at kms.key-state", ref: "§3.4, §6",
			build: trailGood(onKey(func(k *model.Key) { k.State = model.Known("Disabled") })), want: FAIL, gates: map[string]Verdict{"kms.key-state": FAIL}},
		{name: "cloudtrail s3: the AWS managed key aws/s3 as KMSKeyId fails", ref: "§2.4, §6",
			build: trailGood(onTrail(func(t *model.Trail) { t.KMSKeyID = model.Known("alias/aws/s3") })), want: FAIL,
			gates: map[string]Verdict{"s3.encryption": FAIL}},
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
		{name: "cloudtrail s3: a bucket without a policy fails: AWS adds none outside the CloudTrail console", ref: "§2.2, §6",
			build: trailGood(bucketPolicy(model.Known[*model.PolicyDocument](nil))), want: FAIL,
			gates: map[string]Verdict{"s3.bucket-policy": FAIL}, reasonGate: "s3.bucket-policy", reason: "InsufficientS3BucketPolicyException", fixGate: "s3.bucket-policy"},
		{name: "cloudtrail s3: a policy that is not managed as code and lacks the statements fails too", ref: "§2.2, §6",
			build: trailGood(bucketPolicy(doc(policyWith(denyInsecureTransport)))), want: FAIL,
			gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		{name: "cloudtrail s3: the vended-log statements for delivery.logs.amazonaws.com do not let CloudTrail write", ref: "§2.1, §6",
			build: trailGood(bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(folder+acct+"/*", acct))))), want: FAIL,
			gates: map[string]Verdict{"s3.bucket-policy": FAIL}, reasonGate: "s3.bucket-policy", reason: "cloudtrail.amazonaws.com", fixGate: "s3.bucket-policy"},
		{name: "cloudtrail s3: aws:SourceArn naming another trail fails", ref: "§6",
			build: trailGood(bucketPolicy(managedDoc(policyWith(ctAclCheck, ctWrite(folder+acct+"/*", strings.Replace(trailARN, trailName, "other-trail", 1)))))),
			want:  FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		{name: "cloudtrail s3: aws:SourceArn with a wildcard for the account's trails is OK", ref: "§6",
			build: trailGood(bucketPolicy(managedDoc(policyWith(ctAclCheck, strings.Replace(strings.Replace(ctWrite(folder+acct+"/*", "arn:aws:cloudtrail:*:"+acct+":trail/*"), "StringEquals", "StringLike", 1), "s3:x-amz-acl", "s3:x-amz-acl", 1))))),
			want:  OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		{name: "cloudtrail s3: a write statement without the trail's prefix fails", ref: "§6",
			build: trailGood(bucketPolicy(managedDoc(policyWith(ctAclCheck, ctWrite(bucketARN+"/AWSLogs/"+acct+"/*", trailARN))))),
			want:  FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		{name: "cloudtrail s3: a bucket policy requiring SSE-KMS headers lets a trail with a key write", ref: "§8.5, §6",
			build: trailGood(bucketPolicy(managedDoc(policyWith(ctAclCheck, ctWrite(folder+acct+"/*", trailARN),
				`{"Sid":"DenyUnencrypted","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"`+bucketARN+`/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}`)))),
			want: OK, gates: map[string]Verdict{"s3.bucket-policy": OK}},
		{name: "cloudtrail s3: a bucket of another account without a policy fails", ref: "§2.7, §6",
			build: trailGood(bucketAccount(other), bucketPolicy(model.Known[*model.PolicyDocument](nil))), want: FAIL,
			gates: map[string]Verdict{"s3.bucket-policy": FAIL}},
		{name: "cloudtrail s3: in a deployed account a missing statement fails", ref: "§2.2, §6",
			build: trailGood(bucketPolicy(doc(policyWith(ctAclCheck))), func(m *model.Model) { m.Deployed = true }), want: FAIL,
			gates: map[string]Verdict{"s3.bucket-policy": FAIL}, reasonGate: "s3.bucket-policy", reason: "s3:PutObject"},
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
		{name: "cloudtrail s3: an organization trail with AWSLogs/<organization ID>/* is OK", ref: "§6",
			build: trailGood(organizationTrail(model.Known(trailOrgID)), bucketPolicy(managedDoc(policyWith(ctAclCheck, ctWrite(folder+trailOrgID+"/*", trailARN))))),
			want:  OK, gates: map[string]Verdict{"s3.bucket-policy": OK, "kms.key-policy": OK}},
		{name: "cloudtrail s3: an organization trail with a statement for AWSLogs/<account>/* only fails", ref: "§6",
			build: trailGood(organizationTrail(model.Known(trailOrgID))), want: FAIL,
			gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		{name: "cloudtrail s3: an organization trail whose policy covers its own account's folder only fails for member accounts", ref: "§6",
			build: trailGood(organizationTrail(model.Known(trailOrgID)), bucketPolicy(managedDoc(policyWith(ctAclCheck, ctWrite(folder+trailOrgID+"/"+acct+"/*", trailARN))))),
			want:  FAIL, gates: map[string]Verdict{"s3.bucket-policy": FAIL}, reasonGate: "s3.bucket-policy", reason: "a member account's log files", fixGate: "s3.bucket-policy"},
		{name: "unknown: an organization trail whose organization ID is not known", ref: "§0.1, §6",
			build: trailGood(organizationTrail(model.Unknown[string]("the organization ID is not in the template"))), want: UNKNOWN,
			gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN, "kms.key-policy": UNKNOWN}, reasonGate: "s3.bucket-policy", reason: "organization ID"},
		{name: "unknown: whether the trail is an organization trail", ref: "§0.1, §6",
			build: trailGood(onTrail(func(t *model.Trail) { t.IsOrganizationTrail = model.Unknown[bool]("parameter OrgTrail") })), want: UNKNOWN,
			gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN}},
		// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartLogging.html
		{name: "cloudtrail trail: a trail that is not logging fails", ref: "§6",
			build: trailGood(onTrail(func(t *model.Trail) { t.IsLogging = model.Known(false) })), want: FAIL,
			gates: map[string]Verdict{"cloudtrail.trail": FAIL, "kms.key-policy": OK}, reasonGate: "cloudtrail.trail", reason: "StartLogging"},
		{name: "unknown: whether the trail is logging", ref: "§0.1, §6",
			build: trailGood(onTrail(func(t *model.Trail) { t.IsLogging = model.Unknown[bool]("parameter Logging has no default") })), want: UNKNOWN,
			gates: map[string]Verdict{"cloudtrail.trail": UNKNOWN}},
		{name: "unknown: the trail's KMS key is unknown", ref: "§0.1, §6",
			build: trailGood(onTrail(func(t *model.Trail) { t.KMSKeyID = model.Unknown[string]("known only after apply") })), want: UNKNOWN,
			gates: map[string]Verdict{"s3.encryption": UNKNOWN}},
		{name: "unknown: the trail's name, and so its ARN, is unknown", ref: "§0.1, §6",
			build: trailGood(onTrail(func(t *model.Trail) {
				t.Name, t.ARN = model.Unknown[string]("TrailName is generated"), model.Unknown[string]("TrailName is generated")
			})),
			want: UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN, "kms.key-policy": UNKNOWN}, reasonGate: "s3.bucket-policy", reason: "aws:SourceArn"},
		{name: "unknown: the bucket policy is unknown", ref: "§0.1, §6",
			build: trailGood(bucketPolicy(model.Unknown[*model.PolicyDocument]("GetBucketPolicy was denied"))), want: UNKNOWN,
			gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN}},
		{name: "unknown: the trail's bucket is not in the input", ref: "§0.1, §6",
			build: trailGood(onTrail(func(t *model.Trail) { t.S3BucketName = model.Known("amzn-s3-demo-elsewhere") })), want: UNKNOWN,
			gates: map[string]Verdict{"s3.bucket": UNKNOWN}},
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
		{name: "cloudtrail s3: no trail key and SSE-S3 on the bucket is OK", ref: "§2.4, §6",
			build: trailSeed(onTrail(func(t *model.Trail) { t.KMSKeyID = model.Known("") })), want: OK,
			gates: map[string]Verdict{"s3.encryption": OK}},
		{name: "cloudtrail s3: no trail key and a bucket default SSE-KMS key with CloudTrail's documented statement fails (no aws:cloudtrail:arn context)", ref: "§3.2, §6",
			build: trailGood(onTrail(func(t *model.Trail) { t.KMSKeyID = model.Known("") }), sseKMS(keyARN, model.Known(false))), want: FAIL,
			gates: map[string]Verdict{"s3.encryption": WARN, "kms.key-policy": FAIL}},
		{name: "cloudtrail s3: no trail key and a bucket default key that allows CloudTrail is at best a WARN", ref: "§3.1, §6",
			build: trailSeed(onTrail(func(t *model.Trail) { t.KMSKeyID = model.Known("") }), sseKMS(keyARN, model.Known(false)),
				keyPolicy(policyWith(rootStmt(acct), `{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":["kms:GenerateDataKey*","kms:Decrypt"],"Resource":"*"}`))),
			want: WARN, gates: map[string]Verdict{"s3.encryption": WARN, "kms.key-policy": OK}, reasonGate: "s3.encryption", reason: "KMSKeyId"},
		{name: "unknown: no trail key and the AWS managed key aws/s3 as the bucket default", ref: "§2.4, §6",
			build: trailSeed(onTrail(func(t *model.Trail) { t.KMSKeyID = model.Known("") }), sseKMS("", model.Known(false))), want: UNKNOWN,
			gates: map[string]Verdict{"s3.encryption": UNKNOWN}},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
		{name: "cloudtrail s3: an RCP that denies service principals outside the organization fails", ref: "§3.3.5, §6",
			build: trailGood(func(m *model.Model) {
				m.OrgPolicies = []*model.OrgPolicy{{Name: model.Known("DataPerimeter"), Type: model.Known(model.RCPType), Targets: model.Known([]string{acct}),
					Policy: doc(policyWith(`{"Sid":"EnforceOrgIdentities","Effect":"Deny","Principal":"*","Action":["s3:*","kms:*"],"Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"` + trailOrgID + `"}}}`))}}
			}),
			want: FAIL, gates: map[string]Verdict{"org.rcp": FAIL}},
	}
}

func trailLogsScenarios() []scenario {
	return []scenario{
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
		{name: "cloudtrail logs: the documented role to an unencrypted log group is OK", ref: "§6", index: 1,
			build: trailToLogs(), want: OK,
			gates: map[string]Verdict{"cloudtrail.trail": OK, "logs.log-group": OK, "iam.role-trust": OK, "iam.role-permissions": OK}},
		{name: "cloudtrail logs: a trust policy for another service fails at iam.role-trust with a proven fix", ref: "§6", index: 1,
			build: trailToLogs(trustPolicy(policyWith(flowTrustStmt))), want: FAIL,
			gates: map[string]Verdict{"iam.role-trust": FAIL, "iam.role-permissions": OK}, reasonGate: "iam.role-trust", reason: "cloudtrail.amazonaws.com may not assume", fixGate: "iam.role-trust"},
		{name: "cloudtrail logs: a trust condition naming the trail's ARN is OK", ref: "§6", index: 1,
			build: trailToLogs(trustPolicy(policyWith(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceArn":"` + trailARN + `"}}}`))),
			want:  OK, gates: map[string]Verdict{"iam.role-trust": OK}},
		{name: "cloudtrail logs: a trust condition naming another trail fails", ref: "§6", index: 1,
			build: trailToLogs(trustPolicy(policyWith(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceArn":"` + strings.Replace(trailARN, trailName, "other-trail", 1) + `"}}}`))),
			want:  FAIL, gates: map[string]Verdict{"iam.role-trust": FAIL}, fixGate: "iam.role-trust"},
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
		{name: "cloudtrail logs: permissions on another stream prefix fail at iam.role-permissions with a proven fix", ref: "§6", index: 1,
			build: trailToLogs(trailRolePolicies(strings.ReplaceAll(ctRolePolicy, acct+"_CloudTrail_", "other_"))), want: FAIL,
			gates: map[string]Verdict{"iam.role-permissions": FAIL}, reasonGate: "iam.role-permissions", reason: "logs:CreateLogStream", fixGate: "iam.role-permissions"},
		{name: "cloudtrail logs: PutLogEvents alone fails", ref: "§6", index: 1,
			build: trailToLogs(trailRolePolicies(policyWith(`{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}`))), want: FAIL,
			gates: map[string]Verdict{"iam.role-permissions": FAIL}, fixGate: "iam.role-permissions"},
		{name: "cloudtrail trail: a log group without CloudWatchLogsRoleArn fails", ref: "§6", index: 1,
			build: trailToLogs(onTrail(func(t *model.Trail) { t.CloudWatchLogsRoleARN = model.Known("") })), want: FAIL,
			gates: map[string]Verdict{"cloudtrail.trail": FAIL}, reasonGate: "cloudtrail.trail", reason: "CloudWatchLogsRoleArn"},
		// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail
		{name: "cloudtrail trail: a log group ARN without the :* wildcard is a WARN", ref: "§6", index: 1,
			build: trailToLogs(onTrail(func(t *model.Trail) { t.CloudWatchLogsLogGroupARN = model.Known(trailGroupARN) })), want: WARN,
			gates: map[string]Verdict{"cloudtrail.trail": WARN, "iam.role-permissions": OK}},
		// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html ("a log group that exists in your account")
		{name: "cloudtrail logs: a log group of another account fails", ref: "§6", index: 1,
			build: trailToLogs(onTrail(func(t *model.Trail) {
				t.CloudWatchLogsLogGroupARN = model.Known(strings.Replace(trailGroupARN, acct, other, 1) + ":*")
			})),
			want: FAIL, gates: map[string]Verdict{"logs.log-group": FAIL}},
		{name: "unknown: a trail's log group in another Region", ref: "§6", index: 1,
			build: trailToLogs(onTrail(func(t *model.Trail) {
				t.CloudWatchLogsLogGroupARN = model.Known(strings.Replace(trailGroupARN, region, otherRegion, 1) + ":*")
			})),
			want: UNKNOWN, gates: map[string]Verdict{"logs.log-group": UNKNOWN}},
		{name: "cloudtrail logs: a role of another account fails", ref: "§6", index: 1,
			build: trailToLogs(onTrail(func(t *model.Trail) {
				t.CloudWatchLogsRoleARN = model.Known(strings.Replace(trailRoleARN, acct, other, 1))
			}),
				onRole(func(r *model.IAMRole) {
					r.ARN, r.Account = model.Known(strings.Replace(trailRoleARN, acct, other, 1)), model.Known(other)
				})),
			want: FAIL, gates: map[string]Verdict{"iam.role-trust": FAIL}},
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
		{name: "cloudtrail logs: a KMS-encrypted group whose key lacks logs.<region>.amazonaws.com fails", ref: "§4.2, §6", index: 1,
			build: trailToLogs(func(m *model.Model) {
				m.LogGroups[0].KMSKeyID = model.Known(keyARN)
			}),
			want: FAIL, gates: map[string]Verdict{"iam.role-permissions": OK, "logs.kms-key-policy": FAIL}, fixGate: "logs.kms-key-policy"},
		{name: "unknown: the role of CloudWatchLogsRoleArn is unknown", ref: "§0.1, §6", index: 1,
			build: trailToLogs(onTrail(func(t *model.Trail) { t.CloudWatchLogsRoleARN = model.Unknown[string]("known only after apply") }), func(m *model.Model) { m.Roles = nil }),
			want:  UNKNOWN, gates: map[string]Verdict{"iam.role-trust": UNKNOWN}},
		{name: "cloudtrail logs: a log group ARN known only after apply, the group linked by reference, is OK", ref: "§0.1, §6", index: 1,
			build: trailToLogs(onTrail(func(t *model.Trail) {
				t.CloudWatchLogsLogGroupARN, t.LogGroupRef = model.Unknown[string]("known only after apply"), "TrailLogGroup"
			})),
			want: OK, gates: map[string]Verdict{"logs.log-group": OK, "iam.role-permissions": OK}},
		{name: "unknown: an organization trail's member log streams are not documented", ref: "§6", index: 1,
			build: trailToLogs(organizationTrail(model.Known(trailOrgID))), want: UNKNOWN,
			gates: map[string]Verdict{"iam.role-permissions": UNKNOWN}, reasonGate: "iam.role-permissions", reason: "<organization ID>_*"},
	}
}

func trailScenarios() []scenario {
	return append(trailS3Scenarios(), trailLogsScenarios()...)
}

func TestTrailS3Scenarios(t *testing.T)   { runCatalogue(t, trailS3Scenarios()) }
func TestTrailLogsScenarios(t *testing.T) { runCatalogue(t, trailLogsScenarios()) }

// A trail shows as a cloudtrail source with its two deliveries, and its
// S3 files are where get-and-view-cloudtrail-log-files.html says.
func TestTrailSource(t *testing.T) {
	ds := Analyze(trailToLogs()())
	if len(ds) != 2 {
		t.Fatalf("%d deliveries", len(ds))
	}
	for _, d := range ds {
		if d.Source.Type != "cloudtrail" || d.Source.Name != trailName || d.Source.ARN != trailARN || d.Source.ID != "Trail" {
			t.Errorf("source %+v", d.Source)
		}
	}
	if ds[0].Destination.Type != model.DestS3 || ds[1].Destination.Type != model.DestLogs || ds[1].Destination.Name != trailGroup {
		t.Errorf("destinations %+v, %+v", ds[0].Destination, ds[1].Destination)
	}
	for _, g := range ds[1].Gates {
		if g.ID == "logs.resource-policy" {
			t.Errorf("a role writer got %s", g.ID)
		}
	}
	src := &source{typ: trailSource, account: acct, region: region}
	for _, tt := range []struct{ org, prefix, want string }{
		{prefix: "trail", want: "trail/AWSLogs/" + acct + "/CloudTrail/" + region + "/2026/01/01/" + acct + "_CloudTrail_" + region + "_20260101T0000Z_0123abcdEXAMPLE.json.gz"},
		{org: trailOrgID, want: "AWSLogs/" + trailOrgID + "/" + acct + "/CloudTrail/" + region + "/2026/01/01/" + acct + "_CloudTrail_" + region + "_20260101T0000Z_0123abcdEXAMPLE.json.gz"},
	} {
		src.orgID = tt.org
		if got := trailObjectKey(src, tt.prefix); got != tt.want {
			t.Errorf("org %q: %s, want %s", tt.org, got, tt.want)
		}
	}
}

// The fix of the seed's failure for CloudTrail, applied, makes the
// delivery OK: both statements (encrypt with the encryption context, and
// describe) are needed.
func TestTrailSeedFixApplied(t *testing.T) {
	var f *Fix
	for _, g := range Analyze(trailSeed()())[0].Gates {
		if g.ID == "kms.key-policy" {
			f = g.Fix
		}
	}
	if f == nil || len(f.Statements) != 2 {
		t.Fatalf("fix %+v", f)
	}
	m := trailSeed()()
	m.Keys[0].Policy = doc(f.Policy)
	if after := Analyze(m)[0]; after.Verdict != OK {
		for _, g := range after.Gates {
			t.Logf("%s %v: %s", g.ID, g.Verdict, g.Reason)
		}
		t.Fatalf("after the fix: %v", after.Verdict)
	}
	if !strings.Contains(f.Policy, "kms:EncryptionContext:aws:cloudtrail:arn") || !strings.Contains(f.Policy, trailARN) {
		t.Errorf("the fix does not scope the key to the trail: %s", f.Policy)
	}
}
