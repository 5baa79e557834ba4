package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/fix"
	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/policy"
)

const deliveryService = "delivery.logs.amazonaws.com"

func (a *analyzer) s3(d *Delivery, src *source, t *target) {
	name, nameKnown := t.bucket.Get()
	var b *model.Bucket
	if t.ref != "" {
		b = a.bucketsByRef[t.ref]
	}
	if b == nil && nameKnown {
		b = a.bucketNamed(name, src)
	}
	if b != nil && !nameKnown {
		name, nameKnown = b.Name.Get()
		if !nameKnown && b.ID != "" {
			name = b.ID
		}
	}
	d.Destination = Destination{Type: model.DestS3, Name: name}
	if nameKnown {
		d.Destination.ARN = "arn:aws:s3:::" + name
	}
	if b == nil {
		reason := fmt.Sprintf("bucket %s is not defined in the input, so its policy, encryption and key cannot be checked", name)
		if !nameKnown {
			reason = "the bucket name is unknown: " + t.bucket.Reason()
		}
		d.add(GateResult{ID: "s3.bucket", Verdict: UNKNOWN, Reason: reason, Location: t.loc})
		return
	}
	d.add(GateResult{ID: "s3.bucket", Verdict: OK, Reason: fmt.Sprintf("bucket %s is defined%s", name, at(b.Origin)), Location: b.Origin})

	prefix, prefixKnown := t.prefix.Get()
	var missing []string
	missing = append(missing, src.missing...)
	if !nameKnown {
		missing = append(missing, "the bucket name is unknown: "+b.Name.Reason())
	}
	if !prefixKnown {
		missing = append(missing, "the S3 prefix is unknown: "+t.prefix.Reason())
	}
	if len(missing) > 0 {
		d.add(GateResult{ID: "s3.bucket-policy", Verdict: UNKNOWN, Reason: "the request AWS makes cannot be built: " + strings.Join(missing, "; "), Location: b.Origin})
	} else {
		d.add(a.bucketPolicy(src, b, name, prefix))
	}

	if enc := src.typ.s3.encryption; enc != nil {
		a.rcp(d, src, b, name, prefix, enc(a, d, src, b, name, prefix, missing))
		return
	}
	key, gate := a.s3Encryption(b, name)
	d.add(gate)
	if key == nil {
		a.rcp(d, src, b, name, prefix, nil)
		return
	}
	d.add(keyState(key, b.Region.Or("")))
	if len(src.missing) > 0 || !nameKnown || !prefixKnown {
		d.add(GateResult{ID: "kms.key-policy", Verdict: UNKNOWN, Reason: "the request AWS makes cannot be built: " + strings.Join(missing, "; "), Location: key.Origin})
	} else {
		d.add(a.s3KeyPolicy(src, b, key, name, prefix))
	}
	a.rcp(d, src, b, name, prefix, key)
}

// at says where a resource is defined: " at file:line", or "".
func at(o model.Origin) string {
	if o.File == "" {
		return ""
	}
	if o.Line == 0 {
		return " in " + o.File
	}
	return fmt.Sprintf(" at %s:%d", o.File, o.Line)
}

// bucketRequests are the two requests the log delivery service makes on a
// bucket, with the context AWS documents for them.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
func bucketRequests(src *source, b *model.Bucket, name, prefix string) []spec {
	w := src.typ.s3
	sourceArn, sourceArnVariants := w.sourceArn(src)
	base := map[string][]string{
		"aws:SourceAccount":   {src.account},
		"aws:SourceArn":       {sourceArn},
		"aws:SecureTransport": {"true"},
	}
	common := append(sourceArnVariants,
		variant{key: "aws:SecureTransport", values: nil, severity: WARN,
			why: "AWS does not document aws:SecureTransport for requests of the log delivery service; logpath assumes TLS"},
	)
	acct := b.Account.Or("")
	put := spec{principal: w.principal, action: "s3:PutObject", resource: "arn:aws:s3:::" + name + "/" + src.typ.objectKey(src, prefix),
		context: with(base, "s3:x-amz-acl", "bucket-owner-full-control"), variants: common, resourceAccount: acct}
	for k, v := range src.putContext {
		put.context[k] = v
	}
	// Objects rely on the bucket's default encryption, so the PUT most
	// likely carries no encryption header; AWS does not say [I].
	if enc, ok := b.Encryption.Get(); ok && enc != nil && src.putContext["s3:x-amz-server-side-encryption"] == nil {
		if alg, ok := enc.Algorithm.Get(); ok && alg != "" {
			put.variants = append(put.variants, variant{key: "s3:x-amz-server-side-encryption", values: []string{alg}, severity: UNKNOWN,
				why: "the decision depends on whether the log delivery service sends an x-amz-server-side-encryption header, which AWS does not document (it relies on the bucket's default encryption)"})
		}
	}
	// A third-party report says that with BucketOwnerEnforced the service
	// sends no ACL header, which would fail an s3:x-amz-acl condition. AWS's
	// own policies keep the condition, and the reference marks the claim
	// unverified (shared/reference/aws-log-delivery.md §2.3), so logpath
	// follows AWS: the header is sent.
	acl := spec{principal: w.principal, action: "s3:GetBucketAcl", resource: "arn:aws:s3:::" + name,
		context: base, variants: common, resourceAccount: acct}
	specs := []spec{put, acl}
	if src.typ.otherWrites != nil {
		for _, o := range src.typ.otherWrites(src, prefix) {
			other := put
			other.resource = "arn:aws:s3:::" + name + "/" + o.key
			other.variants = append(append([]variant(nil), put.variants...), o.variants...)
			other.what = o.what
			specs = append(specs, other)
		}
	}
	return specs
}

func with(m map[string][]string, k, v string) map[string][]string {
	out := make(map[string][]string, len(m)+1)
	for key, vals := range m {
		out[key] = vals
	}
	out[k] = []string{v}
	return out
}

// bucketGrants are the statements AWS adds to a bucket policy for vended
// logs, scoped to the source account.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
func bucketGrants(src *source, name, prefix string) (acl, write fix.Statement) {
	w := src.typ.s3
	sourceArn, _ := w.sourceArn(src)
	cond := func(extra ...[2]string) map[string]map[string]any {
		eq := map[string]any{"aws:SourceAccount": src.account}
		if w.grantBySourceArn {
			eq = map[string]any{"aws:SourceArn": sourceArn}
		}
		for _, e := range extra {
			eq[e[0]] = e[1]
		}
		if w.grantBySourceArn {
			return map[string]map[string]any{"StringEquals": eq}
		}
		return map[string]map[string]any{
			"StringEquals": eq,
			"ArnLike":      {"aws:SourceArn": sourceArn},
		}
	}
	principal := map[string]string{"Service": w.principal}
	sids := w.grantSids
	if sids[0] == "" {
		sids = [2]string{"AWSLogDeliveryAclCheck", "AWSLogDeliveryWrite"}
	}
	if src.orgID != "" && w.orgWriteSid != "" {
		sids[1] = w.orgWriteSid
	}
	acl = fix.Statement{Sid: sids[0], Effect: "Allow", Principal: principal,
		Action: fix.Strings{"s3:GetBucketAcl"}, Resource: fix.Strings{"arn:aws:s3:::" + name}, Condition: cond()}
	write = fix.Statement{Sid: sids[1], Effect: "Allow", Principal: principal,
		Action: fix.Strings{"s3:PutObject"}, Resource: fix.Strings{"arn:aws:s3:::" + name + "/" + src.typ.grantedKeys(src, prefix)},
		Condition: cond([2]string{"s3:x-amz-acl", "bucket-owner-full-control"})}
	return acl, write
}

// bucketPolicy decides s3.bucket-policy.
func (a *analyzer) bucketPolicy(src *source, b *model.Bucket, name, prefix string) GateResult {
	g, missing := a.bucketPolicyOnce(src, b, name, prefix)
	if len(missing) > 0 && !a.proving {
		acl, write := bucketGrants(src, name, prefix)
		var sts []fix.Statement
		added := map[string]bool{}
		for _, action := range missing {
			if added[action] {
				continue // a source's other writes need the same statement
			}
			added[action] = true
			if action == "s3:GetBucketAcl" {
				sts = append(sts, acl)
			} else {
				sts = append(sts, write)
			}
		}
		loc := b.Origin
		if doc, ok := a.policyOf(b, b.Policy).Get(); ok && doc != nil && doc.File != "" {
			loc = doc.Origin
		}
		g.Fix = a.proveStatements(b, loc, "bucket policy of "+name, sts, func() GateResult {
			g, _ := a.bucketPolicyOnce(src, b, name, prefix)
			return g
		})
	}
	return g
}

// bucketPolicyOnce returns the gate and the actions that no statement allows.
func (a *analyzer) bucketPolicyOnce(src *source, b *model.Bucket, name, prefix string) (GateResult, []string) {
	g := GateResult{ID: "s3.bucket-policy", Verdict: OK, Location: b.Origin}
	writerPrincipal := src.typ.s3.principal
	specs := bucketRequests(src, b, name, prefix)
	pv := a.policyOf(b, b.Policy)
	doc, ok := pv.Get()
	if !ok {
		g.Verdict, g.Reason = UNKNOWN, "the bucket policy is unknown: "+pv.Reason()
		return g, nil
	}
	if doc == nil {
		req, _ := specs[0].request(nil)
		g.Request = requestOf(req)
		bucketAcct, known := b.Account.Get()
		switch {
		case !known:
			g.Verdict, g.Reason = UNKNOWN, "the bucket has no policy; AWS adds its statements only when the bucket is in "+src.its("account")+", and the bucket's account is unknown: "+b.Account.Reason()
			return g, nil
		case bucketAcct != src.account:
			g.Verdict = FAIL
			g.Reason = fmt.Sprintf("the bucket is in account %s and has no bucket policy; AWS cannot add its statements from %s %s, so the bucket owner must", bucketAcct, src.its("account"), src.account)
			return g, []string{"s3:GetBucketAcl", "s3:PutObject"}
		case src.typ.s3.manualPolicy != "":
			g.Verdict = FAIL
			g.Reason = fmt.Sprintf("the bucket has no policy, so nothing lets %s write; %s", writerPrincipal, src.typ.s3.manualPolicy)
			return g, []string{"s3:GetBucketAcl", "s3:PutObject"}
		}
		if a.m.Deployed {
			g.Verdict = FAIL
			g.Reason = "logging is set up but the bucket has no policy, so nothing lets the log delivery service write (AWS adds its statements at set-up; something removed them)"
			return g, []string{"s3:GetBucketAcl", "s3:PutObject"}
		}
		g.Reason = "the bucket has no policy; AWS adds AWSLogDeliveryWrite and AWSLogDeliveryAclCheck when logging is set up by a caller allowed s3:GetBucketPolicy and s3:PutBucketPolicy"
		return g, nil
	}
	if doc.File != "" {
		g.Location = doc.Origin
	}
	p, err := a.parse(doc, policy.KindResource, "bucket policy of "+name)
	if err != nil {
		g.Verdict, g.Reason = UNKNOWN, err.Error()
		return g, nil
	}
	var reasons, missing []string
	manualNote := false
	for _, s := range specs {
		action := s.action
		if s.what != "" {
			action += " on " + s.what
		}
		o, err := evaluate(s, []*policy.Policy{p}, nil)
		if err != nil {
			g.Verdict, g.Reason = UNKNOWN, err.Error()
			return g, nil
		}
		if g.Request == nil {
			g.Request = requestOf(o.req)
		}
		switch {
		case len(o.dependsOn) > 0:
			sev, text := o.dependsText()
			g.Verdict = worse(g.Verdict, sev)
			reasons = append(reasons, fmt.Sprintf("%s is %s with the documented request but %s otherwise: %s", action, o.res.Decision, o.decisionWith, text))
			g.Request = requestOf(o.req)
		case o.res.Decision == policy.Allowed:
		case o.res.Decision == policy.ExplicitlyDenied:
			if g.Verdict != FAIL {
				g.Request, g.Deciding = requestOf(o.req), a.deciding(&o.res)
			}
			g.Verdict = FAIL
			reasons = append(reasons, deniedText(writerPrincipal, action, &o.res))
		default:
			missing = append(missing, s.action)
			r := fmt.Sprintf("no statement lets %s call %s", writerPrincipal, action)
			bucketAcct := b.Account.Or("")
			switch {
			case src.typ.s3.manualPolicy != "":
				manualNote = true // said once, after the requests
			case doc.Managed:
				r += "; AWS appends its statement when logging is set up, and the next deploy of this bucket policy removes it again"
			case a.m.Deployed:
				r += "; logging is already set up, so AWS will not add it"
			case bucketAcct != src.account:
				r += fmt.Sprintf("; the bucket is in account %s, so AWS cannot add the statement from %s: the bucket owner must", bucketAcct, src.its("account"))
			case hasNotElements(p):
				if g.Verdict != FAIL {
					g.Request = requestOf(o.req)
				}
				g.Verdict = worse(g.Verdict, WARN)
				reasons = append(reasons, r+"; AWS appends its statement when logging is set up, but not to a policy that uses NotPrincipal or NotAction, so set-up fails until it is added by hand")
				continue
			default:
				// Not managed as code and not yet set up: AWS appends its
				// statement when logging is set up by a caller allowed to
				// (the VPC page says it replaces the policy instead). Until
				// then nothing allows the write: a WARN, not an OK.
				// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
				if g.Verdict != FAIL {
					g.Request = requestOf(o.req)
				}
				g.Verdict = worse(g.Verdict, WARN)
				reasons = append(reasons, r+"; AWS appends its statement when logging is set up by a caller allowed s3:PutBucketPolicy, and nothing allows the write until then")
				continue
			}
			if g.Verdict != FAIL {
				g.Request = requestOf(o.req)
			}
			g.Verdict = FAIL
			reasons = append(reasons, r)
		}
	}
	if len(reasons) == 0 {
		g.Reason = fmt.Sprintf("the bucket policy lets %s call s3:PutObject on %s and s3:GetBucketAcl", writerPrincipal, "arn:aws:s3:::"+name+"/"+src.typ.grantedKeys(src, prefix))
		return g, nil
	}
	if manualNote {
		reasons = append(reasons, src.typ.s3.manualPolicy)
	}
	g.Reason = strings.Join(reasons, "; ")
	if g.Verdict != FAIL {
		// Only the FAILs need a statement; a WARN here is about set-up.
		missing = missing[:0]
	}
	return g, missing
}

// s3Encryption decides s3.encryption and returns the customer key the
// bucket encrypts with, if any.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-troubleshooting.html (key ID instead of ARN)
func (a *analyzer) s3Encryption(b *model.Bucket, name string) (*model.Key, GateResult) {
	g := GateResult{ID: "s3.encryption", Verdict: OK, Location: b.Origin}
	ev := b.Encryption
	enc, ok := ev.Get()
	if !ok {
		g.Verdict, g.Reason = UNKNOWN, "the bucket's default encryption is unknown: "+ev.Reason()
		return nil, g
	}
	if enc == nil {
		g.Reason = "no default encryption is configured, so S3 encrypts with SSE-S3, which vended logs support"
		return nil, g
	}
	alg, ok := enc.Algorithm.Get()
	if !ok {
		g.Verdict, g.Reason = UNKNOWN, "the encryption algorithm is unknown: "+enc.Algorithm.Reason()
		return nil, g
	}
	switch alg {
	case "", model.SSES3:
		g.Reason = "SSE-S3 (AES256), which vended logs support without extra set-up"
		return nil, g
	case model.SSEKMSDSS:
		g.Verdict = UNKNOWN
		g.Reason = "DSSE-KMS is not documented for vended log delivery; AWS documents SSE-S3 and SSE-KMS with a customer managed key"
		return nil, g
	case model.SSEKMS:
	default:
		g.Verdict, g.Reason = FAIL, fmt.Sprintf("unknown SSE algorithm %q", alg)
		return nil, g
	}
	written, wk := enc.KMSKeyID.Get()
	if wk && written == "" && enc.KeyRef == "" {
		g.Verdict = FAIL
		g.Reason = "SSE-KMS without a key ID uses the AWS managed key aws/s3, which vended logs do not support (its policy cannot allow delivery.logs.amazonaws.com; CloudWatch's pages say the logs then arrive unreadable, Network Firewall's that they are not delivered)"
		g.Fix = &Fix{Summary: "encrypt the bucket with a customer managed KMS key named by its full ARN, whose key policy allows delivery.logs.amazonaws.com kms:GenerateDataKey*", Target: "bucket " + name, Location: b.Origin}
		return nil, g
	}
	r := a.resolveKey(enc.KMSKeyID, enc.KeyRef, enc.KeyRefForm, b.Account.Or(""), b.Region.Or(""), b.Scope)
	if r.awsManaged {
		g.Verdict = FAIL
		g.Reason = fmt.Sprintf("the bucket encrypts with the AWS managed key %s, which vended logs do not support: its key policy cannot be changed to allow delivery.logs.amazonaws.com", r.written)
		g.Fix = &Fix{Summary: "create a customer managed KMS key whose key policy allows delivery.logs.amazonaws.com kms:GenerateDataKey* and kms:Decrypt, and name it by its full ARN in the bucket's default encryption", Target: "bucket " + name, Location: b.Origin}
		return nil, g
	}
	if r.key == nil && r.unknown != "" && !wk {
		g.Verdict, g.Reason = UNKNOWN, "the bucket's KMS key is unknown: "+enc.KMSKeyID.Reason()
		return nil, g
	}
	if r.formUnknown {
		g.Verdict, g.Reason = UNKNOWN, "whether the default encryption names the key by its ARN (as vended logs need) is unknown: "+enc.KMSKeyID.Reason()
	}
	if !r.byARN && (wk || enc.KeyRefForm != "") && !r.formUnknown {
		g.Verdict = FAIL
		if !wk {
			written = "its " + enc.KeyRefForm
		}
		g.Reason = fmt.Sprintf("the default encryption names the key as %q, not by its key ARN; S3 resolves a key ID or alias in the requester's account, and the requester is the log delivery service, so the logs are undeliverable", written)
		if r.key != nil {
			if arn, ok := r.key.ARN.Get(); ok {
				g.Fix = &Fix{Summary: "name the key by its ARN " + arn + " in the bucket's default encryption", Target: "bucket " + name, Location: b.Origin}
			}
		}
	}
	if r.key == nil {
		if g.Verdict == OK {
			g.Verdict = UNKNOWN
		}
		reason := r.unknown + ", so its state and policy cannot be checked"
		if g.Reason != "" {
			reason = g.Reason + "; " + reason
		}
		g.Reason = reason
		return nil, g
	}
	if g.Verdict == OK {
		g.Reason = fmt.Sprintf("SSE-KMS with the customer key %s named by ARN", keyLabel(r.key))
		if bk, ok := enc.BucketKeyEnabled.Get(); ok && bk {
			g.Reason += ", with an S3 Bucket Key"
		}
	}
	return r.key, g
}

// s3KeyPolicy decides kms.key-policy for a bucket's key: S3 asks KMS for a
// data key on behalf of the log delivery service.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html (encryption context)
func (a *analyzer) s3KeyPolicy(src *source, b *model.Bucket, k *model.Key, name, prefix string) GateResult {
	w := src.typ.s3
	sourceArn, sourceArnVariants := w.sourceArn(src)
	objectARN := "arn:aws:s3:::" + name + "/" + src.typ.objectKey(src, prefix)
	bucketARN := "arn:aws:s3:::" + name
	ctx := map[string][]string{
		"aws:SourceAccount":         {src.account},
		"aws:SourceArn":             {sourceArn},
		"kms:EncryptionContextKeys": {"aws:s3:arn"},
	}
	var variants []variant
	enc, _ := b.Encryption.Get()
	switch bk, ok := enc.BucketKeyEnabled.Get(); {
	case ok && bk:
		ctx["kms:EncryptionContext:aws:s3:arn"] = []string{bucketARN}
	case ok:
		ctx["kms:EncryptionContext:aws:s3:arn"] = []string{objectARN}
	default:
		ctx["kms:EncryptionContext:aws:s3:arn"] = []string{objectARN}
		variants = append(variants, variant{key: "kms:EncryptionContext:aws:s3:arn", values: []string{bucketARN}, severity: UNKNOWN,
			why: "whether the bucket uses an S3 Bucket Key is unknown (" + enc.BucketKeyEnabled.Reason() + "), and the encryption context is the bucket ARN with one and the object ARN without"})
	}
	region := b.Region.Or(src.region)
	ctx["kms:ViaService"] = []string{"s3." + region + ".amazonaws.com"}
	variants = append(variants, sourceArnVariants...)
	variants = append(variants,
		variant{key: "kms:ViaService", values: nil, severity: WARN,
			why: "AWS does not document kms:ViaService for S3's requests on behalf of a service principal; logpath assumes s3." + region + ".amazonaws.com"},
		variant{key: "aws:ViaAWSService", values: []string{"true"}, severity: UNKNOWN,
			why: "AWS does not document aws:ViaAWSService for S3's requests on behalf of a service principal"},
	)
	variants = append(variants, callerAccountVariants(src.account, k.Account.Or(""), b.Account.Or(""))...)
	grant := fix.Statement{Sid: "AllowLogDeliveryToEncrypt", Effect: "Allow", Principal: map[string]string{"Service": w.principal},
		Action: fix.Strings{"kms:GenerateDataKey*", "kms:Decrypt"}, Resource: fix.Strings{"*"},
		Condition: map[string]map[string]any{
			"StringEquals": {"aws:SourceAccount": src.account},
			"ArnLike":      {"aws:SourceArn": sourceArn},
		}}
	return a.keyPolicy(keyPolicyCheck{
		gate: "kms.key-policy", key: k, principal: w.principal,
		actions: []keyAction{
			{action: "kms:GenerateDataKey", required: true},
			{action: "kms:Decrypt", why: "S3 needs kms:Decrypt for multipart uploads, and AWS does not say whether log delivery uses them (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html)"},
		},
		context: ctx, variants: variants, grant: grant,
	})
}

// hasNotElements reports whether a policy uses NotPrincipal or NotAction,
// which stop AWS from merging its statement into it.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
func hasNotElements(p *policy.Policy) bool {
	for i := range p.Statements {
		if p.Statements[i].NotPrincipal != nil || p.Statements[i].NotAction {
			return true
		}
	}
	return false
}
