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
	if c, ok := a.rcpCache[account]; ok {
		return c.levels, c.why
	}
	levels, why := a.buildRCPLevels(account)
	a.rcpCache[account] = rcpLevelsResult{levels, why}
	return levels, why
}

type rcpLevelsResult struct {
	levels []policy.OrgLevel
	why    string
}

func (a *analyzer) buildRCPLevels(account string) ([]policy.OrgLevel, string) {
	full, err := policy.Parse([]byte(rcpFullAccess), policy.Options{Name: "RCPFullAWSAccess", Kind: policy.KindRCP})
	if err != nil {
		return nil, err.Error()
	}
	return a.buildOrgLevels(account, model.RCPType, full)
}

// scpFullAccess is FullAWSAccess, which AWS attaches to every root, OU and
// account when SCPs are enabled. Unlike RCPFullAWSAccess it can be
// detached, so the SCP gates evaluate with and without it.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
const scpFullAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// scpLevels returns the SCP levels that apply to principals of an account,
// with FullAWSAccess implied at every level or not, or why they cannot be
// known.
func (a *analyzer) scpLevels(account string, implyFullAccess bool) ([]policy.OrgLevel, string) {
	key := "scp/" + account
	if !implyFullAccess {
		key = "scp-as-given/" + account
	}
	if c, ok := a.rcpCache[key]; ok {
		return c.levels, c.why
	}
	var full *policy.Policy
	if implyFullAccess {
		p, err := policy.Parse([]byte(scpFullAccess), policy.Options{Name: "FullAWSAccess", Kind: policy.KindSCP})
		if err != nil {
			return nil, err.Error()
		}
		full = p
	}
	levels, why := a.buildOrgLevels(account, model.SCPType, full)
	a.rcpCache[key] = rcpLevelsResult{levels, why}
	return levels, why
}

// buildOrgLevels returns the levels of organization policies of one type
// (RCPType or SCPType) above an account, root first, each with full (when
// not nil) and the input's policies attached there.
func (a *analyzer) buildOrgLevels(account, typ string, full *policy.Policy) ([]policy.OrgLevel, string) {
	label, kind := "RCP", policy.KindRCP
	if typ == model.SCPType {
		label, kind = "SCP", policy.KindSCP
	}
	byTarget := map[string][]*policy.Policy{}
	var offPath []string
	for _, op := range a.m.OrgPolicies {
		if t, ok := op.Type.Get(); !ok || t != typ {
			if !ok {
				return nil, "the type of organization policy " + op.Name.Or(op.ID) + " is unknown: " + op.Type.Reason()
			}
			continue
		}
		targets, ok := op.Targets.Get()
		if !ok {
			return nil, "where " + label + " " + op.Name.Or(op.ID) + " is attached is unknown: " + op.Targets.Reason()
		}
		doc, ok := op.Policy.Get()
		if !ok || doc == nil {
			return nil, label + " " + op.Name.Or(op.ID) + " is unknown: " + op.Policy.Reason()
		}
		p, err := a.parse(doc, kind, label+" "+op.Name.Or(op.ID))
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
		return nil, fmt.Sprintf("%ss are attached to %s, and whether account %s is under it is unknown (the organization's structure is not in the input)", label, strings.Join(offPath, ", "), account)
	}
	var levels []policy.OrgLevel
	for _, id := range append(append([]string(nil), path...), account) {
		var ps []*policy.Policy
		if full != nil {
			ps = append(ps, full)
		}
		levels = append(levels, policy.OrgLevel{ID: id, Policies: append(ps, byTarget[id]...)})
	}
	return levels, ""
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}

// rcpCheck is one request an RCP may deny: the account whose RCPs apply
// (the resource's) and what the resource is, for the reason.
type rcpCheck struct {
	account model.Value[string]
	what    string
	spec    spec
}

// hasSCPs reports whether the input holds any SCP (or organization policy
// of unknown type).
func (a *analyzer) hasSCPs() bool { return a.anySCP }

// hasRCPs reports whether the input holds any RCP. RCPs outside the input
// are not seen, so org.rcp is checked only when it does.
func (a *analyzer) hasRCPs() bool { return a.anyRCP }

// rcp decides org.rcp for an S3 delivery: RCPs of the bucket's account
// apply to the S3 requests and those of the key's account to the KMS one.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
func (a *analyzer) rcp(d *Delivery, src *source, b *model.Bucket, name, prefix string, k *model.Key) {
	if !a.hasRCPs() {
		return
	}
	if len(src.missing) > 0 {
		d.add(GateResult{ID: "org.rcp", Verdict: UNKNOWN, Location: b.Origin, Reason: "the request AWS makes cannot be built: " + strings.Join(src.missing, "; ")})
		return
	}
	var checks []rcpCheck
	for _, s := range bucketRequests(src, b, name, prefix) {
		checks = append(checks, rcpCheck{b.Account, "bucket", s})
	}
	if k != nil {
		w := src.typ.s3
		sourceArn, sourceArnVariants := w.sourceArn(src)
		checks = append(checks, rcpCheck{k.Account, "key", spec{principal: w.principal, action: "kms:GenerateDataKey",
			resource: k.ARN.Or(keyARNGuess(k)), resourceAccount: k.Account.Or(""),
			context:  map[string][]string{"aws:SourceAccount": {src.account}, "aws:SourceArn": {sourceArn}},
			variants: sourceArnVariants}})
	}
	d.add(a.rcpGate(b.Origin, checks))
}

// rcpGate evaluates requests against the RCPs of their resources' accounts.
func (a *analyzer) rcpGate(loc model.Origin, checks []rcpCheck) GateResult {
	g := GateResult{ID: "org.rcp", Verdict: OK, Location: loc}
	var reasons []string
	for _, c := range checks {
		account, ok := c.account.Get()
		if !ok {
			g.Verdict, g.Reason = UNKNOWN, "the "+c.what+"'s account is unknown, so which RCPs apply is unknown: "+c.account.Reason()
			return g
		}
		levels, why := a.rcpLevels(account)
		if why != "" {
			g.Verdict, g.Reason = UNKNOWN, why
			return g
		}
		o, err := evaluate(c.spec, nil, levels)
		if err != nil {
			g.Verdict, g.Reason = UNKNOWN, err.Error()
			return g
		}
		switch {
		case o.res.Decision == policy.ExplicitlyDenied:
			g.Verdict = FAIL
			g.Request, g.Deciding = requestOf(o.req), a.deciding(&o.res)
			g.Reason = fmt.Sprintf("an RCP on the %s's account %s denies %s to %s: %s; exempt AWS services with a BoolIfExists aws:PrincipalIsAWSService \"false\" condition", c.what, account, c.spec.action, c.spec.principal, g.Deciding.describe())
			return g
		case len(o.dependsOn) > 0:
			sev, text := o.dependsText()
			g.Verdict = worse(g.Verdict, sev)
			g.Request = requestOf(o.req)
			reasons = append(reasons, fmt.Sprintf("the RCPs on account %s decide %s differently depending on values AWS does not document: %s", account, c.spec.action, text))
		}
	}
	if len(reasons) > 0 {
		g.Reason = strings.Join(reasons, "; ")
	} else {
		g.Reason = "no RCP in the input denies these requests"
	}
	return g
}
