package delivery

import (
	"fmt"
	"slices"
	"strings"

	"github.com/logpath/logpath/fix"
	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/policy"
)

// Limits of account-level CloudWatch Logs resource policies.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html
const (
	accountPolicyMaxChars = 5120
	accountPoliciesMax    = 10
)

func groupARN(region, account, name string) string {
	return "arn:aws:logs:" + region + ":" + account + ":log-group:" + name
}

func (a *analyzer) logs(d *Delivery, src *source, t *target) {
	name, nameKnown := t.logGroup.Get()
	g, elsewhere := locate(t.ref, a.groupsByRef, t.logGroup, a.groupsByName, src,
		func(g *model.LogGroup) (model.Value[string], model.Value[string]) { return g.Account, g.Region })
	if g != nil && !nameKnown {
		name, nameKnown = g.Name.Get()
	}
	d.Destination = Destination{Type: model.DestLogs, Name: name}
	if nameKnown && len(src.missing) == 0 {
		d.Destination.ARN = groupARN(src.region, src.account, name)
	}
	switch {
	case g == nil && elsewhere != nil:
		d.add(GateResult{ID: "logs.log-group", Verdict: FAIL, Location: elsewhere.Origin,
			Reason: fmt.Sprintf("log group %s is in account %s, %s; %s writes only to a log group in its own account and Region (%s, %s)", name, elsewhere.Account.Or("?"), elsewhere.Region.Or("?"), src.typ.label, src.account, src.region)})
		return
	case g == nil && !nameKnown:
		d.add(GateResult{ID: "logs.log-group", Verdict: UNKNOWN, Location: t.loc, Reason: "the log group name is unknown: " + t.logGroup.Reason()})
		return
	case g == nil:
		d.add(GateResult{ID: "logs.log-group", Verdict: UNKNOWN, Location: t.loc,
			Reason: fmt.Sprintf("log group %s is not defined in the input, so its resource policy and key cannot be checked", name)})
		return
	}
	if ga, ok := g.Account.Get(); ok && src.account != "" && ga != src.account {
		d.add(GateResult{ID: "logs.log-group", Verdict: FAIL, Location: g.Origin,
			Reason: fmt.Sprintf("log group %s is in account %s; %s writes only to its own account %s", name, ga, src.typ.label, src.account)})
		return
	}
	if gr, ok := g.Region.Get(); ok && src.region != "" && gr != src.region {
		d.add(GateResult{ID: "logs.log-group", Verdict: FAIL, Location: g.Origin,
			Reason: fmt.Sprintf("log group %s is in %s; %s writes only to its own Region %s", name, gr, src.typ.label, src.region)})
		return
	}
	d.add(GateResult{ID: "logs.log-group", Verdict: OK, Location: g.Origin, Reason: fmt.Sprintf("log group %s is defined%s, in %s and Region", name, at(g.Origin), src.its("account"))})
	// The writer's gate: the log group's resource policy for a service
	// principal, the role's trust and permissions for a role.
	writerGate := "logs.resource-policy"
	if src.typ.logs.role {
		writerGate = "iam.role-permissions"
	}
	if len(src.missing) > 0 || !nameKnown {
		missing := append([]string(nil), src.missing...)
		if !nameKnown {
			missing = append(missing, "the log group name is unknown: "+g.Name.Reason())
		}
		d.add(GateResult{ID: writerGate, Verdict: UNKNOWN, Location: g.Origin, Reason: "the request AWS makes cannot be built: " + strings.Join(missing, "; ")})
		return
	}
	if src.typ.logs.role {
		a.roleWriter(d, src, name)
	} else {
		d.add(a.logResourcePolicy(src, g, name))
	}
	a.logGroupKey(d, src, g, name)
}

// groupPolicies returns the resource policies that apply to a log group:
// the account-level ones of its account and Region and its own.
func (a *analyzer) groupPolicies(src *source, g *model.LogGroup, name string) (account, group []*model.LogResourcePolicy) {
	account = a.accountPolicies[scoped(src.account, src.region, "")]
	arn := groupARN(src.region, src.account, name)
	// The policies naming the group by reference or by ARN, in input order.
	idx := append(append([]int(nil), a.groupPolicyIndex["ref:"+g.RefKey()]...), a.groupPolicyIndex["arn:"+arn]...)
	slices.Sort(idx)
	for _, i := range slices.Compact(idx) {
		group = append(group, a.groupLevelPolicies[i])
	}
	return account, group
}

// logResourcePolicy decides logs.resource-policy.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutResourcePolicy.html
func (a *analyzer) logResourcePolicy(src *source, g *model.LogGroup, name string) GateResult {
	res, target := a.logResourcePolicyOnce(src, g, name)
	if (res.Verdict == FAIL || res.Verdict == WARN) && res.Deciding == nil && target != nil && !a.proving {
		w := src.typ.logs
		sourceArn, _ := w.sourceArn(src)
		st := fix.Statement{Sid: "AWSLogDeliveryWrite20150319", Effect: "Allow", Principal: map[string]string{"Service": w.principal},
			Action:   fix.Strings{"logs:CreateLogStream", "logs:PutLogEvents"},
			Resource: fix.Strings{groupARN(src.region, src.account, name) + ":log-stream:*"},
			Condition: map[string]map[string]any{
				"StringEquals": {"aws:SourceAccount": src.account},
				"ArnLike":      {"aws:SourceArn": sourceArn},
			}}
		doc, _ := target.Policy.Get()
		loc := target.Origin
		if doc != nil && doc.File != "" {
			loc = doc.Origin
		}
		res.Fix = a.proveStatements(target, loc, "CloudWatch Logs resource policy "+target.Name.Or(target.ID), []fix.Statement{st}, func() GateResult {
			r, _ := a.logResourcePolicyOnce(src, g, name)
			return r
		})
	}
	return res
}

// logResourcePolicyOnce returns the gate and, when a statement is missing
// from a policy that code manages, that policy.
func (a *analyzer) logResourcePolicyOnce(src *source, g *model.LogGroup, name string) (GateResult, *model.LogResourcePolicy) {
	res := GateResult{ID: "logs.resource-policy", Verdict: OK, Location: g.Origin}
	writerPrincipal := src.typ.logs.principal
	accountLevel, groupLevel := a.groupPolicies(src, g, name)
	var policies []*policy.Policy
	var managedGroup, managedAccount *model.LogResourcePolicy
	var problems []string
	for i, lp := range append(append([]*model.LogResourcePolicy(nil), groupLevel...), accountLevel...) {
		isAccount := i >= len(groupLevel)
		v := a.policyOf(lp, lp.Policy)
		doc, ok := v.Get()
		if !ok {
			res.Verdict, res.Reason = UNKNOWN, "CloudWatch Logs resource policy "+lp.Name.Or(lp.ID)+" is unknown: "+v.Reason()
			return res, nil
		}
		if doc == nil {
			continue
		}
		text := doc.JSON.Or("")
		if isAccount && len(text) > accountPolicyMaxChars {
			problems = append(problems, fmt.Sprintf("account-level resource policy %s has %d characters, over CloudWatch Logs' limit of %d", lp.Name.Or(lp.ID), len(text), accountPolicyMaxChars))
		}
		p, err := a.parse(doc, policy.KindResource, "CloudWatch Logs resource policy "+lp.Name.Or(lp.ID))
		if err != nil {
			res.Verdict, res.Reason = UNKNOWN, err.Error()
			return res, nil
		}
		policies = append(policies, p)
		if doc.Managed {
			if isAccount && managedAccount == nil {
				managedAccount = lp
			} else if !isAccount && managedGroup == nil {
				managedGroup = lp
			}
		}
	}
	if len(accountLevel) > accountPoliciesMax {
		problems = append(problems, fmt.Sprintf("%d account-level resource policies in %s, over CloudWatch Logs' limit of %d per Region", len(accountLevel), src.region, accountPoliciesMax))
	}
	if len(problems) > 0 {
		res.Verdict, res.Reason = FAIL, strings.Join(problems, "; ")
		return res, nil
	}
	stream := groupARN(src.region, src.account, name) + ":log-stream:" + src.typ.logStream(src)
	sourceArn, sourceArnVariants := src.typ.logs.sourceArn(src)
	ctx := map[string][]string{"aws:SourceAccount": {src.account}, "aws:SourceArn": {sourceArn}}
	var reasons []string
	var missing bool
	for _, action := range []string{"logs:CreateLogStream", "logs:PutLogEvents"} {
		o, err := evaluate(spec{principal: writerPrincipal, action: action, resource: stream, context: ctx,
			variants: sourceArnVariants, resourceAccount: src.account}, policies, nil)
		if err != nil {
			res.Verdict, res.Reason = UNKNOWN, err.Error()
			return res, nil
		}
		if res.Request == nil {
			res.Request = requestOf(o.req)
		}
		switch {
		case len(o.dependsOn) > 0:
			sev, text := o.dependsText()
			res.Verdict = worse(res.Verdict, sev)
			reasons = append(reasons, fmt.Sprintf("%s is %s with the documented request but %s otherwise: %s", action, o.res.Decision, o.decisionWith, text))
		case o.res.Decision == policy.Allowed:
		case o.res.Decision == policy.ExplicitlyDenied:
			res.Verdict = FAIL
			res.Request, res.Deciding = requestOf(o.req), a.deciding(&o.res)
			res.Reason = deniedText(writerPrincipal, action, &o.res)
			return res, nil
		default:
			missing = true
			res.Request = requestOf(o.req)
		}
	}
	switch {
	case !missing && len(reasons) > 0:
		res.Reason = strings.Join(reasons, "; ")
		return res, nil
	case !missing:
		res.Reason = fmt.Sprintf("a CloudWatch Logs resource policy lets %s call logs:CreateLogStream and logs:PutLogEvents on %s", writerPrincipal, name)
		return res, nil
	case managedGroup != nil:
		res.Verdict = FAIL
		res.Reason = fmt.Sprintf("no statement lets %s write to %s; the group's resource policy %s is managed as code, so the statement AWS adds when logging is set up is removed at the next deploy", writerPrincipal, name, managedGroup.Name.Or(managedGroup.ID))
		return res, managedGroup
	case managedAccount != nil:
		// Current docs: AWS creates a log-group-level policy, leaving the
		// account-level one alone. Older docs: it appends to the
		// account-level policy, which the next deploy would undo. The
		// pages disagree, so this is a WARN, not an OK.
		res.Verdict = WARN
		res.Reason = fmt.Sprintf("no statement lets %s write to %s; AWS now adds a log-group-level policy when logging is set up (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html), but older documentation says it appends to the account-level policy, which %s manages and would revert", writerPrincipal, name, managedAccount.Name.Or(managedAccount.ID))
		return res, managedAccount
	case len(accountLevel) >= accountPoliciesMax:
		res.Verdict = WARN
		res.Reason = fmt.Sprintf("no statement lets %s write to %s, and the account already has %d account-level resource policies in %s; AWS must add a log-group-level policy when logging is set up", writerPrincipal, name, len(accountLevel), src.region)
		return res, nil
	}
	if a.m.Deployed {
		res.Verdict = FAIL
		res.Reason = fmt.Sprintf("logging is set up but no CloudWatch Logs resource policy lets %s write to %s", writerPrincipal, name)
		return res, nil
	}
	res.Reason = "no resource policy allows the delivery yet; AWS adds one when logging is set up by a caller allowed logs:PutResourcePolicy"
	return res, nil
}

// logGroupKey decides kms.key-state and logs.kms-key-policy for a
// KMS-encrypted log group.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
func (a *analyzer) logGroupKey(d *Delivery, src *source, g *model.LogGroup, name string) {
	written, ok := g.KMSKeyID.Get()
	if ok && written == "" && g.KeyRef == "" {
		return
	}
	r := a.resolveKey(g.KMSKeyID, g.KeyRef, "arn", g.Account.Or(src.account), g.Region.Or(src.region), g.Scope)
	if r.key == nil {
		reason := r.unknown
		if r.awsManaged {
			reason = "the log group names an AWS managed key " + r.written + "; CloudWatch Logs needs a customer managed key whose policy allows it"
			d.add(GateResult{ID: "logs.kms-key-policy", Verdict: FAIL, Location: g.Origin, Reason: reason})
			return
		}
		d.add(GateResult{ID: "logs.kms-key-policy", Verdict: UNKNOWN, Location: g.Origin, Reason: reason + ", so its state and policy cannot be checked"})
		return
	}
	region := g.Region.Or(src.region)
	d.add(keyState(r.key, region))
	arn := groupARN(region, g.Account.Or(src.account), name)
	principal := "logs." + region + ".amazonaws.com"
	grant := fix.Statement{Sid: "AllowCloudWatchLogs", Effect: "Allow", Principal: map[string]string{"Service": principal},
		Action:    fix.Strings{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
		Resource:  fix.Strings{"*"},
		Condition: map[string]map[string]any{"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": arn}}}
	why := "CloudWatch Logs documents it as needed for an encrypted log group"
	ctx := map[string][]string{
		"kms:EncryptionContext:aws:logs:arn": {arn},
		"kms:EncryptionContextKeys":          {"aws:logs:arn"},
	}
	d.add(a.keyPolicy(keyPolicyCheck{
		gate: "logs.kms-key-policy", key: r.key, principal: principal,
		actions: []keyAction{
			{action: "kms:GenerateDataKey", required: true},
			{action: "kms:Encrypt", why: why},
			{action: "kms:Decrypt", why: why},
			{action: "kms:ReEncryptFrom", why: why},
			{action: "kms:DescribeKey", why: why},
		},
		context: ctx,
		variants: append([]variant{{key: "aws:SourceAccount", values: []string{src.account}, severity: UNKNOWN,
			why: "AWS does not document aws:SourceAccount for CloudWatch Logs' own KMS requests"}},
			callerAccountVariants(src.account, r.key.Account.Or(""))...),
		grant: grant,
	}))
	// RCPs apply to KMS requests whoever makes them, CloudWatch Logs
	// included. https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
	if a.hasRCPs() {
		d.add(a.rcpGate(r.key.Origin, []rcpCheck{{r.key.Account, "key", spec{principal: principal, action: "kms:GenerateDataKey",
			resource: r.key.ARN.Or(keyARNGuess(r.key)), resourceAccount: r.key.Account.Or(""), context: ctx}}}))
	}
}
