package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/policy"
)

// rcpFullAccess is RCPFullAWSAccess, which AWS attaches to every root, OU
// and account once RCPs are enabled and which cannot be detached; so with
// RCPs only their denies can block a request.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html
const rcpFullAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`

// rcpLevels returns the RCP levels that apply to resources of an account,
// or why they cannot be known.
func (a *analyzer) rcpLevels(account string) ([]policy.OrgLevel, string) {
	full, err := policy.Parse([]byte(rcpFullAccess), policy.Options{Name: "RCPFullAWSAccess", Kind: policy.KindRCP})
	if err != nil {
		return nil, err.Error()
	}
	byTarget := map[string][]*policy.Policy{}
	var offPath []string
	for _, op := range a.m.OrgPolicies {
		if t, ok := op.Type.Get(); !ok || t != model.RCPType {
			if !ok {
				return nil, "the type of organization policy " + op.Name.Or(op.ID) + " is unknown: " + op.Type.Reason()
			}
			continue
		}
		targets, ok := op.Targets.Get()
		if !ok {
			return nil, "where RCP " + op.Name.Or(op.ID) + " is attached is unknown: " + op.Targets.Reason()
		}
		doc, ok := op.Policy.Get()
		if !ok || doc == nil {
			return nil, "RCP " + op.Name.Or(op.ID) + " is unknown: " + op.Policy.Reason()
		}
		p, err := a.parse(doc, policy.KindRCP, "RCP "+op.Name.Or(op.ID))
		if err != nil {
			return nil, err.Error()
		}
		for _, t := range targets {
			byTarget[t] = append(byTarget[t], p)
			if !isAccountID(t) {
				offPath = append(offPath, t)
			}
		}
	}
	var path []string
	if a.m.Organization != nil {
		path = a.m.Organization.Paths[account]
	}
	if path == nil && len(offPath) > 0 {
		return nil, fmt.Sprintf("RCPs are attached to %s, and whether account %s is under it is unknown (the organization's structure is not in the input)", strings.Join(offPath, ", "), account)
	}
	var levels []policy.OrgLevel
	for _, id := range append(append([]string(nil), path...), account) {
		levels = append(levels, policy.OrgLevel{ID: id, Policies: append([]*policy.Policy{full}, byTarget[id]...)})
	}
	return levels, ""
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}

// rcp decides org.rcp for an S3 delivery: RCPs of the bucket's account
// apply to the S3 requests and those of the key's account to the KMS one.
// Checked only when the input describes RCPs or the organization: RCPs
// outside the input are not seen.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
func (a *analyzer) rcp(d *Delivery, src *nfw, b *model.Bucket, name, prefix string, k *model.Key) {
	hasRCP := false
	for _, op := range a.m.OrgPolicies {
		if t, _ := op.Type.Get(); t == model.RCPType || !op.Type.Known() {
			hasRCP = true
		}
	}
	if !hasRCP {
		return
	}
	g := GateResult{ID: "org.rcp", Verdict: OK, Location: b.Origin}
	if len(src.missing) > 0 {
		g.Verdict, g.Reason = UNKNOWN, "the request AWS makes cannot be built: "+strings.Join(src.missing, "; ")
		d.add(g)
		return
	}
	type check struct {
		account string
		what    string
		spec    spec
	}
	var checks []check
	bucketAcct, ok := b.Account.Get()
	if !ok {
		g.Verdict, g.Reason = UNKNOWN, "the bucket's account is unknown, so which RCPs apply is unknown: "+b.Account.Reason()
		d.add(g)
		return
	}
	for _, s := range bucketRequests(src, b, name, prefix) {
		checks = append(checks, check{bucketAcct, "bucket", s})
	}
	if k != nil {
		keyAcct, ok := k.Account.Get()
		if !ok {
			g.Verdict, g.Reason = UNKNOWN, "the key's account is unknown, so which RCPs apply is unknown: "+k.Account.Reason()
			d.add(g)
			return
		}
		checks = append(checks, check{keyAcct, "key", spec{principal: deliveryService, action: "kms:GenerateDataKey",
			resource: k.ARN.Or(keyARNGuess(k)), resourceAccount: keyAcct,
			context:  map[string][]string{"aws:SourceAccount": {src.account}, "aws:SourceArn": {sourceArnBaseline(src.region, src.account)}},
			variants: []variant{sourceArnVariant(src.region, src.account)}}})
	}
	var reasons []string
	for _, c := range checks {
		levels, why := a.rcpLevels(c.account)
		if why != "" {
			g.Verdict, g.Reason = UNKNOWN, why
			d.add(g)
			return
		}
		o, err := evaluate(c.spec, nil, levels)
		if err != nil {
			g.Verdict, g.Reason = UNKNOWN, err.Error()
			d.add(g)
			return
		}
		switch {
		case o.res.Decision == policy.ExplicitlyDenied:
			g.Verdict = FAIL
			g.Request, g.Deciding = requestOf(o.req), a.deciding(&o.res)
			g.Reason = fmt.Sprintf("an RCP on the %s's account %s denies %s: %s; exempt AWS services with a BoolIfExists aws:PrincipalIsAWSService \"false\" condition", c.what, c.account, c.spec.action, g.Deciding.describe())
			d.add(g)
			return
		case len(o.dependsOn) > 0:
			sev, text := o.dependsText()
			g.Verdict = worse(g.Verdict, sev)
			g.Request = requestOf(o.req)
			reasons = append(reasons, fmt.Sprintf("the RCPs on account %s decide %s differently depending on values AWS does not document: %s", c.account, c.spec.action, text))
		}
	}
	if len(reasons) > 0 {
		g.Reason = strings.Join(reasons, "; ")
	} else {
		g.Reason = "no RCP in the input denies the delivery service's requests"
	}
	d.add(g)
}
