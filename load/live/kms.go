package live

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/logpath/logpath/model"
)

// keyRef reads the key a reference names (key ARN, key ID, alias name or
// alias ARN), resolving names in the given account and Region as the
// resource that holds the reference would. via reads when the key's own
// account is not audited.
//
// An alias/aws/... name is never sent to KMS: DescribeKey on a predefined
// AWS alias can create the AWS managed key, and delivery classifies it
// without a call.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
func (a *auditor) keyRef(ctx context.Context, ref, account, region string, via *account) {
	name := ref
	if parts := strings.SplitN(ref, ":", 6); len(parts) == 6 && parts[0] == "arn" {
		account, region, name = parts[4], parts[3], parts[5]
	}
	if account == "" || region == "" {
		return
	}
	switch {
	case strings.HasPrefix(name, "alias/aws/"), strings.HasPrefix(name, "aws/"):
		return
	case strings.HasPrefix(name, "alias/"):
		target := a.alias(ctx, account, region, name, via)
		if target != "" {
			a.key(ctx, keyARN(a.partition, region, account, target), via)
		}
	default:
		a.key(ctx, keyARN(a.partition, region, account, strings.TrimPrefix(name, "key/")), via)
	}
}

func keyARN(partition, region, account, id string) string {
	return "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + id
}

// readable returns the audited account with this ID, if it can be read.
func (a *auditor) readable(id string) *account {
	if ac := a.accounts[id]; ac != nil && ac.unreadable == "" {
		return ac
	}
	return nil
}

// alias resolves an alias in its account and Region with ListAliases,
// read once per account and Region (ListAliases never answers for
// another account), adds it to the model and returns its target key ID.
func (a *auditor) alias(ctx context.Context, account, region, name string, via *account) string {
	owner := a.readable(account)
	if owner == nil {
		// Not audited: DescribeKey by alias ARN works across accounts
		// when the key policy allows it.
		aliasARN := "arn:" + a.partition + ":kms:" + region + ":" + account + ":" + name
		out, err := via.in(region).kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(aliasARN)})
		if err != nil || out.KeyMetadata == nil {
			return ""
		}
		target := aws.ToString(out.KeyMetadata.KeyId)
		a.addAlias(aliasARN, name, target, account, region)
		return target
	}
	aliases := cached(&a.cache, "kms-aliases:"+account+"/"+region, func() map[string]string {
		out := map[string]string{}
		p := kms.NewListAliasesPaginator(owner.in(region).kms, &kms.ListAliasesInput{})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return out
			}
			for _, al := range page.Aliases {
				if t := aws.ToString(al.TargetKeyId); t != "" {
					out[aws.ToString(al.AliasName)] = t
				}
			}
		}
		return out
	})
	target := aliases[name]
	if target != "" {
		cached(&a.cache, "kms-alias:"+account+"/"+region+"/"+name, func() bool {
			a.addAlias("arn:"+a.partition+":kms:"+region+":"+account+":"+name, name, target, account, region)
			return true
		})
	}
	return target
}

func (a *auditor) addAlias(arn, name, target, account, region string) {
	al := &model.Alias{Origin: model.Origin{ID: arn}, Name: model.Known(name), Target: model.Known(target),
		Account: model.Known(account), Region: model.Known(region)}
	a.add(func(m *model.Model) { m.Aliases = append(m.Aliases, al) })
}

// key reads a key by ARN once per run: DescribeKey for its manager, state
// and spec, and GetKeyPolicy, which KMS answers only to the key's own
// account.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
func (a *auditor) key(ctx context.Context, arn string, via *account) *model.Key {
	return cached(&a.cache, "kms:"+arn, func() *model.Key {
		parts := strings.SplitN(arn, ":", 6)
		region, account, id := parts[3], parts[4], strings.TrimPrefix(parts[5], "key/")
		k := &model.Key{Origin: model.Origin{ID: arn}, KeyID: model.Known(id), ARN: model.Known(arn), Account: model.Known(account), Region: model.Known(region)}
		owner := a.readable(account)
		reader := via
		if owner != nil {
			reader = owner
		}
		out, err := reader.in(region).kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arn)})
		switch {
		case isCode(err, "NotFoundException"):
			// KMS itself says the key does not exist: it refuses every
			// request, so the delivery fails on kms.key-state.
			k.State = model.Known("NotFound")
			k.Manager = model.Unknown[string]("KMS answers that key %s does not exist", arn)
			k.Spec = k.Manager
		case err != nil:
			reason := readFailure("kms:DescribeKey", err)
			if owner == nil && account != reader.id {
				reason += "; the key is in account " + account + ", whose key policy must let " + reader.id + " describe it, or " + a.settleWith(account)
			}
			k.Manager = model.Unknown[string]("%s", reason)
			k.State, k.Spec = k.Manager, k.Manager
		default:
			md := out.KeyMetadata
			k.Manager, k.State, k.Spec = model.Known(string(md.KeyManager)), model.Known(string(md.KeyState)), model.Known(string(md.KeySpec))
		}
		switch {
		case owner == nil:
			k.Policy = model.Unknown[*model.PolicyDocument]("kms:GetKeyPolicy never works across accounts, and the key is in account %s; %s", account, a.settleWith(account))
		case k.State.Or("") == "NotFound":
			k.Policy = model.Unknown[*model.PolicyDocument]("KMS answers that key %s does not exist", arn)
		default:
			pol, err := owner.in(region).kms.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(arn), PolicyName: aws.String("default")})
			if err != nil {
				k.Policy = model.Unknown[*model.PolicyDocument]("%s", readFailure("kms:GetKeyPolicy", err))
			} else {
				k.Policy = model.Known(&model.PolicyDocument{Origin: model.Origin{ID: arn}, JSON: model.Known(aws.ToString(pol.Policy))})
			}
		}
		a.add(func(m *model.Model) { m.Keys = append(m.Keys, k) })
		return k
	})
}
