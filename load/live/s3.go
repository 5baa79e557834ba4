package live

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/logpath/logpath/model"
)

// bucketRead is a bucket as read once per run.
type bucketRead struct {
	b *model.Bucket // nil: the bucket does not exist
	// owner is the audited account that owns it; nil when none does.
	owner *account
	// reader is whose credentials read its settings and list it.
	reader *account
	region string
}

// bucket reads a bucket once per run.
func (a *auditor) bucket(ctx context.Context, via *account, region, name string) *bucketRead {
	return cached(&a.cache, "s3:"+name, func() *bucketRead { return a.readBucket(ctx, via, region, name) })
}

// readBucket reads what the S3 gates need: location, policy, default
// encryption, Object Ownership. Only the owner's identities may read a
// bucket policy (S3 answers 405 to anyone else), so a bucket in another
// account is read with that account's role when it is audited too, and
// otherwise its policy is unknown with the reason.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
func (a *auditor) readBucket(ctx context.Context, via *account, srcRegion, name string) *bucketRead {
	r := &bucketRead{reader: via}
	b := &model.Bucket{Origin: model.Origin{ID: "arn:" + a.partition + ":s3:::" + name}, Name: model.Known(name)}
	// GetBucketLocation answers for any bucket from us-east-1.
	loc, err := via.in("us-east-1").s3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(name)})
	switch {
	case isCode(err, "NoSuchBucket"):
		return r
	case err == nil:
		r.region = bucketRegion(string(loc.LocationConstraint))
	}
	policy, policyErr := a.bucketPolicy(ctx, via, r.regionOr(srcRegion), name)
	switch {
	case policyErr == nil:
		r.owner = via
	case isCode(policyErr, "NoSuchBucket"):
		return &bucketRead{reader: via}
	default:
		// 405 (another account's bucket) or 403 (not allowed, or
		// another account's): look for the owner among the audited
		// accounts.
		if owner := a.bucketOwner(ctx, name); owner != nil {
			r.owner, r.reader = owner, owner
			if owner != via {
				if r.region == "" {
					if loc, err := owner.in("us-east-1").s3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(name)}); err == nil {
						r.region = bucketRegion(string(loc.LocationConstraint))
					}
				}
				policy, policyErr = a.bucketPolicy(ctx, owner, r.regionOr(srcRegion), name)
			}
		}
	}
	switch {
	case r.owner != nil:
		b.Account = model.Known(r.owner.id)
	case isCode(policyErr, "MethodNotAllowed"):
		b.Account = model.Unknown[string]("bucket %s belongs to an account that is not audited (S3 answered 405 to s3:GetBucketPolicy from %s); %s", name, via.id, a.settleWith(""))
	default:
		b.Account = model.Unknown[string]("the owner of bucket %s is unknown: no audited account lists it", name)
	}
	switch {
	case policyErr == nil:
		b.Policy = policy
	case isCode(policyErr, "MethodNotAllowed") && r.owner == nil:
		b.Policy = model.Unknown[*model.PolicyDocument]("s3:GetBucketPolicy is owner-only, and S3 answered 405 to account %s; %s", via.id, a.settleWith(""))
	default:
		b.Policy = model.Unknown[*model.PolicyDocument]("%s", readFailure("s3:GetBucketPolicy", policyErr))
	}
	if r.region != "" {
		b.Region = model.Known(r.region)
	} else {
		b.Region = model.Unknown[string]("%s", readFailure("s3:GetBucketLocation", err))
	}
	cl := r.reader.in(r.regionOr(srcRegion)).s3
	b.Encryption = a.bucketEncryption(ctx, cl, name, r)
	own, err := cl.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String(name)})
	switch {
	case err == nil && own.OwnershipControls != nil && len(own.OwnershipControls.Rules) > 0:
		b.Ownership = model.Known(string(own.OwnershipControls.Rules[0].ObjectOwnership))
	case err == nil || isCode(err, "OwnershipControlsNotFoundError"):
		b.Ownership = model.Known("")
	default:
		b.Ownership = model.Unknown[string]("%s", readFailure("s3:GetBucketOwnershipControls", err))
	}
	r.b = b
	a.add(func(m *model.Model) { m.Buckets = append(m.Buckets, b) })
	return r
}

func (r *bucketRead) regionOr(def string) string {
	if r.region != "" {
		return r.region
	}
	return def
}

// bucketRegion reads a LocationConstraint: empty is us-east-1, and the
// legacy EU is eu-west-1.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
func bucketRegion(c string) string {
	switch c {
	case "":
		return "us-east-1"
	case "EU":
		return "eu-west-1"
	}
	return c
}

func (a *auditor) bucketPolicy(ctx context.Context, ac *account, region, name string) (model.Value[*model.PolicyDocument], error) {
	out, err := ac.in(region).s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(name)})
	switch {
	case isCode(err, "NoSuchBucketPolicy"):
		return model.Known[*model.PolicyDocument](nil), nil
	case err != nil:
		return model.Value[*model.PolicyDocument]{}, err
	}
	return model.Known(&model.PolicyDocument{Origin: model.Origin{ID: "arn:" + a.partition + ":s3:::" + name}, JSON: model.Known(aws.ToString(out.Policy))}), nil
}

// bucketOwner finds the audited account that owns a bucket, by listing
// each account's buckets once per run.
func (a *auditor) bucketOwner(ctx context.Context, name string) *account {
	for _, id := range a.accountIDs() {
		ac := a.accounts[id]
		if ac.unreadable != "" {
			continue
		}
		names := cached(&a.cache, "s3-buckets:"+id, func() []string {
			var out []string
			p := s3.NewListBucketsPaginator(ac.in(a.base.Region).s3, &s3.ListBucketsInput{})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					return out
				}
				for _, b := range page.Buckets {
					out = append(out, aws.ToString(b.Name))
				}
			}
			return out
		})
		if slices.Contains(names, name) {
			return ac
		}
	}
	return nil
}

func (a *auditor) accountIDs() []string {
	var ids []string
	for id := range a.accounts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// bucketEncryption reads the default encryption and the key it names.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketEncryption.html
func (a *auditor) bucketEncryption(ctx context.Context, cl *s3.Client, name string, r *bucketRead) model.Value[*model.BucketEncryption] {
	out, err := cl.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(name)})
	switch {
	case isCode(err, "ServerSideEncryptionConfigurationNotFoundError"):
		return model.Known[*model.BucketEncryption](nil)
	case err != nil:
		reason := readFailure("s3:GetBucketEncryption (IAM action s3:GetEncryptionConfiguration)", err)
		if r.owner == nil {
			reason += fmt.Sprintf("; the bucket is in another account, whose bucket policy must let %s read it, or %s", r.reader.id, a.settleWith(""))
		}
		return model.Unknown[*model.BucketEncryption]("%s", reason)
	}
	if out.ServerSideEncryptionConfiguration == nil || len(out.ServerSideEncryptionConfiguration.Rules) == 0 {
		return model.Known[*model.BucketEncryption](nil)
	}
	rule := out.ServerSideEncryptionConfiguration.Rules[0]
	enc := &model.BucketEncryption{KMSKeyID: model.Known(""), BucketKeyEnabled: model.Known(aws.ToBool(rule.BucketKeyEnabled))}
	if d := rule.ApplyServerSideEncryptionByDefault; d != nil {
		enc.Algorithm = model.Known(string(d.SSEAlgorithm))
		enc.KMSKeyID = model.Known(aws.ToString(d.KMSMasterKeyID))
	} else {
		enc.Algorithm = model.Known("")
	}
	if id := enc.KMSKeyID.Or(""); id != "" {
		owner := ""
		if r.owner != nil {
			owner = r.owner.id
		}
		a.keyRef(ctx, id, owner, r.region, r.reader)
	}
	return model.Known(enc)
}
