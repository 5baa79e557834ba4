package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/fix"
	"github.com/logpath/logpath/model"
)

// AWS CloudTrail: what AWS documents for a trail's log files. CloudTrail is
// not a vended-log source: it writes with its own service principal.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
//
//   - S3: cloudtrail.amazonaws.com calls s3:GetBucketAcl on the bucket and
//     s3:PutObject on <prefix>/AWSLogs/<account>/* with the
//     bucket-owner-full-control ACL; an organization trail writes every
//     account's files under <prefix>/AWSLogs/<organization ID>/<account>/.
//     aws:SourceArn is always the trail's ARN. CloudTrail adds this bucket
//     policy only when its console creates the bucket; through the API,
//     CloudFormation or Terraform, CreateTrail fails with
//     InsufficientS3BucketPolicyException until the policy allows it.
//     https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
//     https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html (organization path)
//   - SSE-KMS: the trail's KMSKeyId, not the bucket's default encryption,
//     encrypts its files. The key policy must let cloudtrail.amazonaws.com
//     call kms:GenerateDataKey* (AWS's statement conditions it on
//     kms:EncryptionContext:aws:cloudtrail:arn; the encryption context is
//     the trail's ARN and the object's) and kms:DescribeKey; CloudTrail
//     checks the key with a GenerateDataKey of its own when the trail is
//     created or updated, so a bad key policy fails that call.
//     https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
//     https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html
//   - CloudWatch Logs: CloudTrail assumes the role of CloudWatchLogsRoleArn,
//     which must allow logs:CreateLogStream and logs:PutLogEvents on the
//     group's <account>_CloudTrail_<Region> streams (organization trails
//     also write to <organization ID>_* streams).
//     https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
//     https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-log-group-log-stream-naming-for-cloudtrail.html
var trailSource = &sourceType{
	name:        "cloudtrail",
	label:       "CloudTrail",
	noun:        "trail",
	configGate:  "cloudtrail.trail",
	s3:          trailS3,
	logs:        trailLogsRole,
	objectKey:   trailObjectKey,
	grantedKeys: trailGrantedKeys,
	logStream:   trailLogStream,
	otherWrites: trailMemberWrites,
	docs: map[string]string{
		"s3.bucket":            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
		"s3.bucket-policy":     "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
		"s3.encryption":        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
		"kms.key-policy":       "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
		"logs.log-group":       "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
		"iam.role-trust":       "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
		"iam.role-permissions": "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
		// What the live audit quotes: LatestDeliveryTime and the errors.
		"evidence.logs": "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html",
	},
}

const cloudTrailService = "cloudtrail.amazonaws.com"

// trailS3 is CloudTrail writing to S3 with its own service principal.
var trailS3 = &writer{
	principal: cloudTrailService,
	sourceArn: trailSourceArn,
	manualPolicy: "CloudTrail adds its bucket policy statements only when its console creates the bucket: through the API, CloudFormation or Terraform, " +
		"CreateTrail and UpdateTrail fail with InsufficientS3BucketPolicyException, and a trail whose bucket policy loses them stops delivering " +
		"(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html)",
	grantSids: [2]string{"AWSCloudTrailAclCheck20150319", "AWSCloudTrailWrite20150319"},
	// AWS's policy for an organization trail names its statement for
	// AWSLogs/<organization ID>/* so, beside the account's.
	// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
	orgWriteSid:      "AWSCloudTrailOrganizationWrite20150319",
	grantBySourceArn: true,
}

// The S3 encryption gates of a trail: its own KMS key, or the bucket's
// default encryption. Wired here because they add gates, whose docs read
// sourceTypes, which holds trailS3.
func init() { trailS3.encryption = (*analyzer).trailEncryption }

// trailLogsRole is the role of CloudWatchLogsRoleArn, which CloudTrail
// assumes to write to the log group. AWS's role policy allows the two
// actions on the trail's log streams and nothing else.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
var trailLogsRole = &writer{
	principal: cloudTrailService,
	role:      true,
	sourceArn: trailSourceArn,
	roleActions: []roleAction{
		{action: "logs:CreateLogStream", scope: scopeStream, required: true},
		{action: "logs:PutLogEvents", scope: scopeStream, required: true},
	},
}

// trailSourceArn: "The value of aws:SourceArn is always the ARN of the
// trail (or array of trail ARNs) that is using the bucket", and CloudTrail
// recommends it in every resource policy that names it.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cross-service-confused-deputy-prevention.html
func trailSourceArn(s *source) (string, []variant) { return s.arn, nil }

// trailDir is the folder of a trail's log files of one account and day:
// AWSLogs/<account>/CloudTrail/<Region>/<yyyy>/<mm>/<dd>/, with the
// organization ID before the account for an organization trail.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
func trailDir(s *source, account string) string {
	dir := "AWSLogs/" + account + "/"
	if s.orgID != "" {
		dir = "AWSLogs/" + s.orgID + "/" + account + "/"
	}
	return dir + "CloudTrail/" + s.region + "/2026/01/01/"
}

// trailObjectKey is one log file, named
// <account>_CloudTrail_<Region>_<yyyymmddThhmmZ>_<unique string>.json.gz.
func trailObjectKey(s *source, prefix string) string {
	return underPrefix(prefix, trailFile(s, s.account))
}

func trailFile(s *source, account string) string {
	return trailDir(s, account) + account + "_CloudTrail_" + s.region + "_20260101T0000Z_0123abcdEXAMPLE.json.gz"
}

// trailGrantedKeys is the key pattern of AWS's AWSCloudTrailWrite20150319
// statement: <prefix>/AWSLogs/<account>/*, or for an organization trail
// <prefix>/AWSLogs/<organization ID>/*, which covers every member account.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
func trailGrantedKeys(s *source, prefix string) string {
	if s.orgID != "" {
		return underPrefix(prefix, "AWSLogs/"+s.orgID+"/*")
	}
	return awsLogsKeys(s, prefix)
}

// memberAccount stands for an account of the organization other than the
// trail's: an organization trail writes its files too.
const memberAccount = "000000000000"

// trailMemberWrites: an organization trail also writes the files of every
// member account, with the trail's aws:SourceArn; the bucket policy must
// allow them as well as the trail account's own.
func trailMemberWrites(s *source, prefix string) []otherWrite {
	if s.orgID == "" {
		return nil
	}
	return []otherWrite{{key: underPrefix(prefix, trailFile(s, memberAccount)), what: "a member account's log files (AWSLogs/" + s.orgID + "/<member account>/)", variants: []variant{{
		key: "aws:SourceAccount", values: []string{memberAccount}, severity: UNKNOWN,
		why: "AWS documents aws:SourceArn (the organization trail's ARN) for the files of member accounts, not aws:SourceAccount, which may be the member's account"}}}}
}

// trailLogStream is the stream CloudTrail creates in the log group:
// <account>_CloudTrail_<Region>.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-log-group-log-stream-naming-for-cloudtrail.html
func trailLogStream(s *source) string { return s.account + "_CloudTrail_" + s.region }

// trail lists a trail's deliveries: its S3 bucket and, when it names one,
// its log group.
func (a *analyzer) trail(t *model.Trail) []Delivery {
	src := source{typ: trailSource, origin: t.Origin, logType: "events"}
	var ok bool
	parts, isARN := splitARN(t.ARN.Or(""))
	if src.name, ok = t.Name.Get(); !ok || src.name == "" {
		if isARN && strings.HasPrefix(parts[5], "trail/") {
			src.name = strings.TrimPrefix(parts[5], "trail/")
		} else {
			src.name = t.ID
			src.missing = append(src.missing, "the trail's name is unknown, and with it its ARN (aws:SourceArn): "+t.Name.Reason())
		}
	}
	if src.account, ok = t.Account.Get(); !ok {
		if isARN && parts[4] != "" {
			src.account = parts[4]
		} else {
			src.missing = append(src.missing, "the trail's account is unknown: "+t.Account.Reason())
		}
	}
	if src.region, ok = t.Region.Get(); !ok {
		if isARN && parts[3] != "" {
			src.region = parts[3]
		} else {
			src.missing = append(src.missing, "the trail's Region is unknown: "+t.Region.Reason())
		}
	}
	switch {
	case isARN:
		src.arn = t.ARN.Or("")
	case len(src.missing) == 0:
		src.arn = "arn:aws:cloudtrail:" + src.region + ":" + src.account + ":trail/" + src.name
	}
	switch org, ok := t.IsOrganizationTrail.Get(); {
	case !ok:
		src.missing = append(src.missing, "whether the trail is an organization trail (which writes under AWSLogs/<organization ID>/) is unknown: "+t.IsOrganizationTrail.Reason())
	case org:
		if id, ok := t.OrganizationID.Get(); ok && id != "" {
			src.orgID = id
		} else {
			src.missing = append(src.missing, "the trail is an organization trail, which writes under AWSLogs/<organization ID>/<account>/, and the organization's ID is unknown: "+t.OrganizationID.Reason())
		}
	}
	out := []Delivery{a.trailToS3(t, src)}
	evidence := []*model.Evidence{t.Evidence}
	if group := t.CloudWatchLogsLogGroupARN; t.LogGroupRef != "" || group.Or("?") != "" {
		out = append(out, a.trailToLogs(t, src))
		evidence = append(evidence, t.LogsEvidence)
	}
	for i := range out {
		applyEvidence(&out[i], evidence[i])
	}
	return out
}

// trailToS3 decides the delivery of a trail's log files to its bucket.
func (a *analyzer) trailToS3(t *model.Trail, src source) Delivery {
	d := Delivery{Source: src.report()}
	d.add(trailConfig(t, false))
	if name, ok := t.S3BucketName.Get(); ok && name == "" && t.BucketRef == "" {
		d.Destination = Destination{Type: model.DestS3, Name: "?"}
		return d
	}
	src.key, src.keyRef = t.KMSKeyID, t.KeyRef
	if written, ok := t.KMSKeyID.Get(); (ok && written != "") || t.KeyRef != "" {
		// A trail with a key asks S3 for SSE-KMS under it in each PUT,
		// which bucket policies may condition on [I: the CloudTrail pages
		// say S3 asks KMS on CloudTrail's behalf for the trail's key].
		src.putContext = map[string][]string{"s3:x-amz-server-side-encryption": {model.SSEKMS}}
		if r := a.resolveKey(t.KMSKeyID, t.KeyRef, "", src.account, src.region, t.Scope); r.key != nil {
			if arn, ok := r.key.ARN.Get(); ok {
				src.putContext["s3:x-amz-server-side-encryption-aws-kms-key-id"] = []string{arn}
			}
		}
	}
	prefix := t.S3KeyPrefix
	if p, ok := prefix.Get(); ok {
		prefix = model.Known(strings.Trim(p, "/"))
	}
	a.deliver(&d, &src, &target{typ: model.DestS3, bucket: t.S3BucketName, prefix: prefix, ref: t.BucketRef, loc: t.Origin})
	return d
}

// trailToLogs decides the delivery of a trail's events to its log group.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
// ("You must use a log group that exists in your account.")
func (a *analyzer) trailToLogs(t *model.Trail, src source) Delivery {
	if src.orgID != "" {
		src.missing = append(src.missing, "an organization trail also writes the events of member accounts to log streams that AWS documents only by the pattern <organization ID>_* "+
			"(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html), so which streams its role must reach is not known")
	}
	src.role, src.roleRef = t.CloudWatchLogsRoleARN, t.RoleRef
	d := Delivery{Source: src.report()}
	config := trailConfig(t, true)
	d.add(config)
	tg := &target{typ: model.DestLogs, ref: t.LogGroupRef, loc: t.Origin}
	arn, known := t.CloudWatchLogsLogGroupARN.Get()
	parts, isARN := splitARN(arn)
	switch {
	case !known:
		tg.logGroup = model.Unknown[string]("the trail's CloudWatchLogsLogGroupArn is unknown: %s", t.CloudWatchLogsLogGroupARN.Reason())
	case !isARN || parts[2] != "logs" || !strings.HasPrefix(parts[5], "log-group:"):
		d.Destination = Destination{Type: model.DestLogs, Name: "?"}
		return d // trailConfig failed it
	default:
		name := strings.TrimSuffix(strings.TrimPrefix(parts[5], "log-group:"), ":*")
		tg.logGroup = model.Known(name)
		loc := config.Location
		switch {
		case src.account != "" && parts[4] != "" && parts[4] != src.account:
			d.Destination = Destination{Type: model.DestLogs, Name: name, ARN: arn}
			d.add(GateResult{ID: "logs.log-group", Verdict: FAIL, Location: loc,
				Reason: fmt.Sprintf("log group %s is in account %s; CloudTrail delivers only to a log group in the trail's account %s", name, parts[4], src.account)})
			return d
		case src.region != "" && parts[3] != "" && parts[3] != src.region:
			d.Destination = Destination{Type: model.DestLogs, Name: name, ARN: arn}
			d.add(GateResult{ID: "logs.log-group", Verdict: UNKNOWN, Location: loc,
				Reason: fmt.Sprintf("log group %s is in %s, not the trail's home Region %s; the CloudTrail pages do not say whether a trail can deliver to another Region", name, parts[3], src.region)})
			return d
		}
	}
	if r, ok := t.CloudWatchLogsRoleARN.Get(); ok && r == "" && t.RoleRef == "" {
		n, _ := tg.logGroup.Get()
		d.Destination = Destination{Type: model.DestLogs, Name: n}
		if n == "" {
			d.Destination.Name = "?"
		}
		return d // trailConfig failed it
	}
	a.deliver(&d, &src, tg)
	return d
}

// trailConfig decides cloudtrail.trail: the trail is logging and names its
// destinations as CreateTrail requires. forLogs adds the checks of the log
// group delivery.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartLogging.html
func trailConfig(t *model.Trail, forLogs bool) GateResult {
	g := GateResult{ID: "cloudtrail.trail", Verdict: OK, Location: t.Origin}
	var reasons []string
	flag := func(v Verdict, r string) {
		g.Verdict = worse(g.Verdict, v)
		reasons = append(reasons, r)
	}
	switch on, ok := t.IsLogging.Get(); {
	case !ok:
		flag(UNKNOWN, "whether the trail is logging is unknown: "+t.IsLogging.Reason())
	case !on:
		flag(FAIL, "the trail is not logging (IsLogging is false): CloudTrail delivers no log files until logging is started (StartLogging)")
	}
	if name, ok := t.S3BucketName.Get(); ok && name == "" && t.BucketRef == "" {
		flag(FAIL, "the trail names no S3 bucket (S3BucketName is required)")
	}
	set := func(v model.Value[string], ref string) (yes, no bool) {
		s, ok := v.Get()
		return (ok && s != "") || ref != "", ok && s == "" && ref == ""
	}
	groupSet, groupNone := set(t.CloudWatchLogsLogGroupARN, t.LogGroupRef)
	roleSet, roleNone := set(t.CloudWatchLogsRoleARN, t.RoleRef)
	switch {
	case groupSet && roleNone:
		flag(FAIL, "the trail names a log group (CloudWatchLogsLogGroupArn) but no CloudWatchLogsRoleArn: CloudTrail writes to CloudWatch Logs only through that role")
	case roleSet && groupNone && !forLogs:
		flag(FAIL, "the trail names CloudWatchLogsRoleArn but no log group (CloudWatchLogsLogGroupArn); CloudTrail needs both")
	}
	if arn, ok := t.CloudWatchLogsLogGroupARN.Get(); forLogs && ok && arn != "" {
		parts, isARN := splitARN(arn)
		switch {
		case !isARN || parts[2] != "logs" || !strings.HasPrefix(parts[5], "log-group:"):
			flag(FAIL, fmt.Sprintf("CloudWatchLogsLogGroupArn %q is not a CloudWatch Logs log group ARN", arn))
		case !strings.HasSuffix(arn, ":*"):
			// The CloudTrail pages show log group ARNs ending in ":*" and
			// do not say what happens without it; Terraform's page says
			// CloudTrail requires it.
			flag(WARN, fmt.Sprintf("CloudWatchLogsLogGroupArn %q does not end with the log-stream wildcard \":*\"; Terraform's aws_cloudtrail page says CloudTrail requires it "+
				"(https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail), and the CloudTrail pages show ARNs that end with it", arn))
		}
	}
	if len(reasons) == 0 {
		g.Reason = "the trail is logging"
		if v := t.CloudWatchLogsLogGroupARN; forLogs && !v.Known() {
			// A plan shows a reference, not the ":*" after it; the log
			// group itself is found by the reference.
			g.Reason += "; whether CloudWatchLogsLogGroupArn ends with \":*\" cannot be told: " + v.Reason()
		}
		return g
	}
	g.Reason = strings.Join(reasons, "; ")
	return g
}

// trailEncryption decides the S3 encryption gates of a trail: the trail's
// own KMS key when it names one (S3 then ignores the bucket's default
// encryption), else the bucket's default encryption.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
func (a *analyzer) trailEncryption(d *Delivery, src *source, b *model.Bucket, name, prefix string, missing []string) *model.Key {
	written, known := src.key.Get()
	if known && written == "" && src.keyRef == "" {
		return a.trailBucketDefault(d, src, b, name, prefix, missing)
	}
	g := GateResult{ID: "s3.encryption", Verdict: OK, Location: src.origin}
	if !known && src.keyRef == "" {
		g.Verdict, g.Reason = UNKNOWN, "whether and with which KMS key the trail encrypts its log files is unknown: "+src.key.Reason()
		d.add(g)
		return nil
	}
	r := a.resolveKey(src.key, src.keyRef, "", src.account, src.region, src.origin.Scope)
	switch {
	case r.awsManaged:
		g.Verdict = FAIL
		g.Reason = fmt.Sprintf("the trail's KMSKeyId names the AWS managed key %s, whose key policy cannot allow cloudtrail.amazonaws.com", r.written)
		g.Fix = &Fix{Summary: "create a customer managed KMS key whose key policy allows cloudtrail.amazonaws.com kms:GenerateDataKey* and kms:DescribeKey, and name it in the trail's KMSKeyId",
			Target: "trail " + src.name, Location: src.origin}
		d.add(g)
		return nil
	case r.key == nil:
		g.Verdict, g.Reason = UNKNOWN, "the trail encrypts its log files with SSE-KMS, and "+r.unknown+", so its state and policy cannot be checked"
		d.add(g)
		return nil
	}
	g.Reason = fmt.Sprintf("the trail encrypts its log files with SSE-KMS under %s (KMSKeyId), which S3 uses instead of the bucket's default encryption", keyLabel(r.key))
	d.add(g)
	return keyGates(d, r.key, b, missing, func() GateResult { return a.trailKeyPolicy(src, b, r.key, name, prefix) })
}

// keyGates adds kms.key-state for the key of a bucket's objects ("The KMS
// key and the S3 bucket must be in the same Region") and kms.key-policy,
// UNKNOWN when the request cannot be built, and returns the key.
func keyGates(d *Delivery, k *model.Key, b *model.Bucket, missing []string, keyPolicy func() GateResult) *model.Key {
	d.add(keyState(k, b.Region.Or("")))
	if len(missing) > 0 {
		d.add(GateResult{ID: "kms.key-policy", Verdict: UNKNOWN, Reason: "the request AWS makes cannot be built: " + strings.Join(missing, "; "), Location: k.Origin})
	} else {
		d.add(keyPolicy())
	}
	return k
}

// bucketKey says whether S3 encrypts the bucket's SSE-KMS objects under an
// S3 Bucket Key, which makes the encryption context the bucket's ARN.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
func bucketKey(b *model.Bucket) model.Value[bool] {
	enc, ok := b.Encryption.Get()
	switch {
	case !ok:
		return model.Unknown[bool]("the bucket's default encryption is unknown: %s", b.Encryption.Reason())
	case enc == nil:
		return model.Known(false)
	}
	return enc.BucketKeyEnabled
}

// trailKeyPolicy decides kms.key-policy for a trail's own key: S3 asks KMS
// for a data key on CloudTrail's behalf, with the trail's ARN in the
// encryption context, and CloudTrail itself describes the key and asks
// for a data key when the trail is created or updated.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html
func (a *analyzer) trailKeyPolicy(src *source, b *model.Bucket, k *model.Key, name, prefix string) GateResult {
	objectARN := "arn:aws:s3:::" + name + "/" + trailObjectKey(src, prefix)
	bucketARN := "arn:aws:s3:::" + name
	region := b.Region.Or(src.region)
	ctx := map[string][]string{
		"aws:SourceAccount":                        {src.account},
		"aws:SourceArn":                            {src.arn},
		"kms:EncryptionContext:aws:cloudtrail:arn": {src.arn},
		"kms:EncryptionContext:aws:s3:arn":         {objectARN},
		"kms:EncryptionContextKeys":                {"aws:cloudtrail:arn", "aws:s3:arn"},
		"kms:ViaService":                           {"s3." + region + ".amazonaws.com"},
	}
	callers := callerAccountVariants(src.account, k.Account.Or(""), b.Account.Or(""))
	var variants []variant
	bk := bucketKey(b)
	switch on, ok := bk.Get(); {
	case ok && on:
		ctx["kms:EncryptionContext:aws:s3:arn"] = []string{bucketARN}
	case !ok:
		variants = append(variants, variant{key: "kms:EncryptionContext:aws:s3:arn", values: []string{bucketARN}, severity: UNKNOWN,
			why: "whether the bucket uses an S3 Bucket Key is unknown (" + bk.Reason() + "), and the encryption context is the bucket ARN with one and the object ARN without"})
	}
	variants = append(variants,
		variant{key: "kms:ViaService", values: nil, severity: UNKNOWN,
			why: "CloudTrail itself sends a GenerateDataKey request to check the key when the trail is created or updated (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-kms-works-with-cloudtrail.html), which does not come through S3, and AWS does not document kms:ViaService for either request"},
		variant{key: "aws:ViaAWSService", values: []string{"true"}, severity: UNKNOWN,
			why: "AWS does not document aws:ViaAWSService for S3's requests on behalf of CloudTrail"},
	)
	variants = append(variants, callers...)
	// DescribeKey carries no encryption context.
	describeCtx := map[string][]string{"aws:SourceAccount": {src.account}, "aws:SourceArn": {src.arn}}
	actions := []keyAction{
		{action: "kms:GenerateDataKey", required: true},
		{action: "kms:DescribeKey", required: true, context: describeCtx, variants: callers},
	}
	encrypt := fix.Strings{"kms:GenerateDataKey*"}
	if on, ok := bk.Get(); on || !ok {
		// Who needs kms:Decrypt is not said; CloudTrail is the one whose
		// key is checked at set-up.
		actions = append(actions, keyAction{action: "kms:Decrypt",
			why: "the CloudTrail page says kms:Decrypt permissions are required to create or update a trail with SSE-KMS when the bucket uses an S3 Bucket Key, without saying for which principal (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html)"})
		encrypt = append(encrypt, "kms:Decrypt")
	}
	partition := "aws"
	if p, ok := splitARN(src.arn); ok {
		partition = p[1]
	}
	grant := fix.Statement{Sid: "Allow CloudTrail to encrypt logs", Effect: "Allow", Principal: map[string]string{"Service": cloudTrailService},
		Action: encrypt, Resource: fix.Strings{"*"},
		Condition: map[string]map[string]any{
			"StringEquals": {"aws:SourceArn": src.arn},
			"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:" + partition + ":cloudtrail:*:" + src.account + ":trail/*"},
		}}
	describe := fix.Statement{Sid: "Allow CloudTrail to describe key", Effect: "Allow", Principal: map[string]string{"Service": cloudTrailService},
		Action: fix.Strings{"kms:DescribeKey"}, Resource: fix.Strings{"*"},
		Condition: map[string]map[string]any{"StringEquals": {"aws:SourceArn": src.arn}}}
	return a.keyPolicy(keyPolicyCheck{
		gate: "kms.key-policy", key: k, principal: cloudTrailService,
		actions: actions, context: ctx, variants: variants,
		grant: grant, moreGrants: []fix.Statement{describe},
	})
}

// trailBucketDefault decides the S3 encryption gates of a trail that names
// no KMS key: its files take the bucket's default encryption. CloudTrail
// documents SSE-S3 (its default) and SSE-KMS through the trail's own key;
// a bucket default SSE-KMS key is not documented for its files, so the
// best verdict is a WARN. S3 then asks KMS on CloudTrail's behalf without
// the aws:cloudtrail:arn encryption context, which AWS's key policy
// statement for CloudTrail requires [I, from the S3 and CloudTrail pages].
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html (encryption context)
func (a *analyzer) trailBucketDefault(d *Delivery, src *source, b *model.Bucket, name, prefix string, missing []string) *model.Key {
	g := GateResult{ID: "s3.encryption", Verdict: OK, Location: b.Origin}
	const noKey = "the trail names no KMS key (KMSKeyId), so its log files take the bucket's default encryption"
	enc, ok := b.Encryption.Get()
	if !ok {
		g.Verdict, g.Reason = UNKNOWN, noKey+", which is unknown: "+b.Encryption.Reason()
		d.add(g)
		return nil
	}
	alg := ""
	if enc != nil {
		if alg, ok = enc.Algorithm.Get(); !ok {
			g.Verdict, g.Reason = UNKNOWN, noKey+", whose algorithm is unknown: "+enc.Algorithm.Reason()
			d.add(g)
			return nil
		}
	}
	unsupported := func(what string) *model.Key {
		g.Verdict = UNKNOWN
		g.Reason = noKey + ", " + what + "; the CloudTrail pages document only SSE-S3 and SSE-KMS with the trail's own key, and the vended-log pages say AWS managed keys are not supported for log delivery"
		g.Fix = &Fix{Summary: "name a customer managed KMS key in the trail's KMSKeyId, whose key policy allows cloudtrail.amazonaws.com, or use SSE-S3", Target: "trail " + src.name, Location: src.origin}
		d.add(g)
		return nil
	}
	switch alg {
	case "", model.SSES3:
		g.Reason = noKey + ": SSE-S3 (AES256), CloudTrail's default"
		d.add(g)
		return nil
	case model.SSEKMSDSS:
		return unsupported("DSSE-KMS")
	case model.SSEKMS:
	default:
		g.Verdict, g.Reason = FAIL, fmt.Sprintf("unknown SSE algorithm %q", alg)
		d.add(g)
		return nil
	}
	written, wk := enc.KMSKeyID.Get()
	if wk && written == "" && enc.KeyRef == "" {
		return unsupported("SSE-KMS with the AWS managed key aws/s3")
	}
	r := a.resolveKey(enc.KMSKeyID, enc.KeyRef, enc.KeyRefForm, b.Account.Or(""), b.Region.Or(""), b.Scope)
	switch {
	case r.awsManaged:
		return unsupported("SSE-KMS with the AWS managed key " + r.written)
	case r.key == nil:
		g.Verdict, g.Reason = UNKNOWN, noKey+", SSE-KMS with a key that cannot be checked: "+r.unknown
		d.add(g)
		return nil
	}
	g.Verdict = WARN
	g.Reason = fmt.Sprintf("%s, SSE-KMS under %s: S3 then asks KMS for a data key on CloudTrail's behalf without the aws:cloudtrail:arn encryption context, which the CloudTrail pages do not document (they encrypt through the trail's KMSKeyId)", noKey, keyLabel(r.key))
	if !r.byARN && !r.formUnknown {
		g.Reason += "; the default encryption names the key by key ID or alias, which S3 resolves in the requester's account (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html)"
	}
	if arn, ok := r.key.ARN.Get(); ok {
		g.Fix = &Fix{Summary: "name the key " + arn + " in the trail's KMSKeyId, with a key policy statement for cloudtrail.amazonaws.com", Target: "trail " + src.name, Location: src.origin}
	}
	d.add(g)
	return keyGates(d, r.key, b, missing, func() GateResult { return a.s3KeyPolicy(src, b, r.key, name, prefix) })
}
