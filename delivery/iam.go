package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/fix"
	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/policy"
)

// Gates of a destination that an IAM role writes to. The source names the
// role (VPC Flow Logs' DeliverLogsPermissionArn); the source's service
// assumes it (iam.role-trust) and writes with the role's own permissions
// (iam.role-permissions). A log group's resource policy plays no part:
// CloudWatch Logs enforces it for AWS service principals only.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutResourcePolicy.html

// roleWriter decides the role gates of a log group that the source's role
// writes to.
func (a *analyzer) roleWriter(d *Delivery, src *source, name string) {
	role, g := a.sourceRole(src)
	if role == nil {
		d.add(g)
		return
	}
	d.add(a.roleTrust(src, role))
	d.add(a.rolePermissions(src, role, name))
}

// roleLabel names a role for a person.
func roleLabel(r *model.IAMRole) string {
	if n, ok := r.Name.Get(); ok {
		return n
	}
	if arn, ok := r.ARN.Get(); ok {
		return arn
	}
	if r.ID != "" {
		return r.ID
	}
	return "(name unknown)"
}

// roleARN is the role's ARN; a role of the source's account when its own
// account is unknown (the source's role must be in its account).
func roleARN(r *model.IAMRole, account string) string {
	if arn, ok := r.ARN.Get(); ok {
		return arn
	}
	return "arn:aws:iam::" + r.Account.Or(account) + ":role/" + r.Name.Or("role-name-unknown")
}

// sourceRole finds the role the source names, or returns the gate that
// says why it cannot be checked.
func (a *analyzer) sourceRole(src *source) (*model.IAMRole, GateResult) {
	g := GateResult{ID: "iam.role-trust", Verdict: UNKNOWN, Location: src.origin}
	arn, known := src.role.Get()
	var role *model.IAMRole
	if src.roleRef != "" {
		role = a.rolesByRef[src.roleRef]
	}
	parts, isARN := splitARN(arn)
	if role == nil && known {
		role = a.rolesByARN[arn]
		if role == nil && isARN && parts[2] == "iam" && strings.HasPrefix(parts[5], "role/") {
			name := parts[5][strings.LastIndexByte(parts[5], '/')+1:]
			if role = a.rolesByName[parts[4]+"/"+name]; role == nil {
				role = a.rolesByName["/"+name]
			}
		}
	}
	if role == nil {
		if !known {
			g.Reason = "the role that writes the logs is unknown: " + src.role.Reason()
		} else {
			g.Reason = fmt.Sprintf("role %s is not defined in the input, so its trust policy and permissions cannot be checked", arn)
		}
		return nil, g
	}
	g.Location = role.Origin
	account := role.Account.Or("")
	if known && isARN && parts[4] != "" {
		account = parts[4]
	}
	if account != "" && src.account != "" && account != src.account {
		g.Verdict = FAIL
		g.Reason = fmt.Sprintf("role %s is in account %s; %s writes with a role of %s %s", roleLabel(role), account, src.typ.label, src.its("account"), src.account)
		return nil, g
	}
	return role, g
}

// roleTrust decides iam.role-trust: the role's trust policy must let the
// source's service call sts:AssumeRole, with the aws:SourceAccount and
// aws:SourceArn it sends (the confused-deputy conditions AWS recommends).
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
func (a *analyzer) roleTrust(src *source, role *model.IAMRole) GateResult {
	g := a.roleTrustOnce(src, role)
	if g.Verdict == FAIL && g.Deciding == nil && !a.proving {
		w := src.typ.logs
		st := fix.Statement{Sid: "AllowServiceToAssumeRole", Effect: "Allow", Principal: map[string]string{"Service": w.principal},
			Action: fix.Strings{"sts:AssumeRole"},
			Condition: map[string]map[string]any{
				"StringEquals": {"aws:SourceAccount": src.account},
				"ArnLike":      {"aws:SourceArn": w.grantedSourceArn(src)},
			}}
		loc := role.Origin
		if doc, ok := a.policyOf(role, role.TrustPolicy).Get(); ok && doc != nil && doc.File != "" {
			loc = doc.Origin
		}
		g.Fix = a.proveStatements(role, loc, "trust policy of role "+roleLabel(role), []fix.Statement{st}, func() GateResult { return a.roleTrustOnce(src, role) })
	}
	return g
}

func (a *analyzer) roleTrustOnce(src *source, role *model.IAMRole) GateResult {
	w := src.typ.logs
	g := GateResult{ID: "iam.role-trust", Verdict: OK, Location: role.Origin}
	label := roleLabel(role)
	if len(src.missing) > 0 {
		g.Verdict, g.Reason = UNKNOWN, "the request AWS makes cannot be built: "+strings.Join(src.missing, "; ")
		return g
	}
	v := a.policyOf(role, role.TrustPolicy)
	doc, ok := v.Get()
	if !ok {
		g.Verdict, g.Reason = UNKNOWN, "the trust policy of role "+label+" is unknown: "+v.Reason()
		return g
	}
	if doc == nil {
		g.Verdict, g.Reason = FAIL, fmt.Sprintf("role %s has no trust policy, so %s cannot assume it", label, w.principal)
		return g
	}
	if doc.File != "" {
		g.Location = doc.Origin
	}
	p, err := a.parse(doc, policy.KindResource, "trust policy of role "+label)
	if err != nil {
		g.Verdict, g.Reason = UNKNOWN, err.Error()
		return g
	}
	sourceArn, variants := w.sourceArn(src)
	if len(variants) > 0 {
		// The exact value is not known: the values the policy itself names
		// are the ones that may decide.
		variants = append(variants, namedValues(p, "aws:SourceArn", variants[0])...)
	}
	o, err := evaluate(spec{principal: w.principal, action: "sts:AssumeRole", resource: roleARN(role, src.account),
		context:  map[string][]string{"aws:SourceAccount": {src.account}, "aws:SourceArn": {sourceArn}},
		variants: variants, resourceAccount: src.account}, []*policy.Policy{p}, nil)
	if err != nil {
		g.Verdict, g.Reason = UNKNOWN, err.Error()
		return g
	}
	g.Request = requestOf(o.req)
	switch {
	case len(o.dependsOn) > 0:
		sev, text := o.dependsText()
		g.Verdict = sev
		g.Reason = fmt.Sprintf("sts:AssumeRole is %s with the documented request but %s otherwise: %s", o.res.Decision, o.decisionWith, text)
	case o.res.Decision == policy.Allowed:
		g.Reason = fmt.Sprintf("the trust policy of role %s lets %s assume it", label, w.principal)
	case o.res.Decision == policy.ExplicitlyDenied:
		g.Verdict, g.Deciding = FAIL, a.deciding(&o.res)
		g.Reason = deniedText(w.principal, "sts:AssumeRole", &o.res)
	default:
		g.Verdict = FAIL
		g.Reason = fmt.Sprintf("%s may not assume role %s: no statement of its trust policy allows sts:AssumeRole with aws:SourceAccount %s and aws:SourceArn %s", w.principal, label, src.account, sourceArn)
	}
	return g
}

// namedValues are variants for the literal values a policy's conditions
// give a key, with the severity and reason of like.
func namedValues(p *policy.Policy, key string, like variant) []variant {
	var out []variant
	seen := map[string]bool{}
	for i := range p.Statements {
		for _, c := range p.Statements[i].Conditions {
			if !strings.EqualFold(c.Key, key) {
				continue
			}
			for _, v := range c.Values {
				if seen[v] || strings.ContainsAny(v, "*?$") {
					continue
				}
				seen[v] = true
				out = append(out, variant{key: key, values: []string{v}, severity: like.severity, why: like.why})
			}
		}
	}
	return out
}

// roleIdentity returns a role's identity policies and permissions
// boundary, and says what of them is not in the input.
func (a *analyzer) roleIdentity(role *model.IAMRole) (identity, boundary []*policy.Policy, unknown []string) {
	label := roleLabel(role)
	if inline, ok := role.InlinePolicies.Get(); !ok {
		unknown = append(unknown, "the inline policies of role "+label+" are unknown: "+role.InlinePolicies.Reason())
	} else {
		for i, ip := range inline {
			name := ip.Name.Or(fmt.Sprintf("#%d", i))
			doc, ok := ip.Policy.Get()
			switch {
			case !ok:
				unknown = append(unknown, "inline policy "+name+" of role "+label+" is unknown: "+ip.Policy.Reason())
			case doc != nil:
				p, err := a.parse(doc, policy.KindIdentity, "inline policy "+name+" of role "+label)
				if err != nil {
					unknown = append(unknown, err.Error())
					continue
				}
				identity = append(identity, p)
			}
		}
	}
	if doc := a.patchedInline[role]; doc != nil {
		if p, err := a.parse(doc, policy.KindIdentity, "proposed inline policy of role "+label); err == nil {
			identity = append(identity, p)
		}
	}
	if attached, ok := role.ManagedPolicies.Get(); !ok {
		unknown = append(unknown, "the managed policies attached to role "+label+" are unknown: "+role.ManagedPolicies.Reason())
	} else {
		for _, at := range attached {
			p, why := a.managedPolicy(at.ARN, at.Ref)
			if why != "" {
				unknown = append(unknown, why)
				continue
			}
			identity = append(identity, p)
		}
	}
	switch pb, ok := role.PermissionsBoundary.Get(); {
	case !ok && !role.PermissionsBoundary.IsZero():
		unknown = append(unknown, "the permissions boundary of role "+label+" is unknown: "+role.PermissionsBoundary.Reason())
	case pb != "" || role.PermissionsBoundaryRef != "":
		p, why := a.managedPolicy(role.PermissionsBoundary, role.PermissionsBoundaryRef)
		if why != "" {
			unknown = append(unknown, "the permissions boundary: "+why)
		} else {
			boundary = append(boundary, p)
		}
	}
	return identity, boundary, unknown
}

// managedPolicy finds a managed policy of the input by reference or ARN.
// One that is not there is unknown: logpath does not assume the text of
// an AWS managed policy.
func (a *analyzer) managedPolicy(arn model.Value[string], ref string) (*policy.Policy, string) {
	var mp *model.ManagedPolicy
	if ref != "" {
		mp = a.managedByRef[ref]
	}
	s, known := arn.Get()
	if mp == nil && known {
		mp = a.managedByARN[s]
	}
	if mp == nil {
		switch {
		case !known:
			return nil, "a managed policy is unknown: " + arn.Reason()
		case strings.Contains(s, ":iam::aws:policy/"):
			return nil, "the AWS managed policy " + s + " is not in the input, so what it allows and denies is unknown"
		}
		return nil, "the managed policy " + s + " is not in the input, so what it allows and denies is unknown"
	}
	name := "managed policy " + mp.Name.Or(s)
	doc, ok := mp.Policy.Get()
	if !ok || doc == nil {
		return nil, "the " + name + " is unknown: " + mp.Policy.Reason()
	}
	p, err := a.parse(doc, policy.KindIdentity, name)
	if err != nil {
		return nil, err.Error()
	}
	return p, ""
}

// roleResource is the resource a role's log action is evaluated on. Group
// actions are authorized on the group's ARN as CloudWatch Logs writes it,
// with ":*" [I: from the ARNs DescribeLogGroups returns].
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
func roleResource(src *source, name, scope string) string {
	group := groupARN(src.region, src.account, name)
	switch scope {
	case scopeStream:
		return group + ":log-stream:" + src.typ.logStream(src)
	case scopeGroup:
		return group + ":*"
	}
	return "arn:aws:logs:" + src.region + ":" + src.account + ":log-group:*"
}

// rolePermissions decides iam.role-permissions: the role's identity
// policies (inline and attached managed ones), within its permissions
// boundary and the SCPs of its account, must allow the writes.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
func (a *analyzer) rolePermissions(src *source, role *model.IAMRole, name string) GateResult {
	g, fixable := a.rolePermissionsOnce(src, role, name)
	if fixable && !a.proving {
		g.Fix = a.proveInlinePolicy(src, role, name)
	}
	return g
}

// rolePermissionsOnce returns the gate and whether an inline policy could
// fix it (nothing denies, and no boundary or SCP lacks the allow).
func (a *analyzer) rolePermissionsOnce(src *source, role *model.IAMRole, name string) (GateResult, bool) {
	w := src.typ.logs
	label := roleLabel(role)
	g := GateResult{ID: "iam.role-permissions", Verdict: OK, Location: role.Origin}
	identity, boundary, unknown := a.roleIdentity(role)
	var scps, scpsAsGiven []policy.OrgLevel
	if a.hasSCPs() {
		var why string
		if scps, why = a.scpLevels(src.account, true); why != "" {
			g.Verdict, g.Reason = UNKNOWN, why
			return g, false
		}
		// FullAWSAccess can be detached: where the input's SCPs allow
		// something themselves, they may be an allow list without it.
		if asGiven, _ := a.scpLevels(src.account, false); hasAllow(asGiven) {
			scpsAsGiven = asGiven
		}
	}
	roleArn := roleARN(role, src.account)
	// The actions denied, by outcome, and why (the gap of the first).
	var failed, warned, undecided, names []string
	var failGap, warnGap policy.Gap
	whys := map[string]bool{}
	var whyList []string
	fixable := true
	for _, act := range w.roleActions {
		names = append(names, act.action)
		req, err := policy.NewRequest(roleArn, act.action, roleResource(src, name, act.scope), nil)
		if err != nil {
			g.Verdict, g.Reason = UNKNOWN, err.Error()
			return g, false
		}
		req.ResourceAccount = src.account
		res := policy.Evaluate(req, &policy.Set{Identity: identity, Boundary: boundary, SCPs: scps})
		if g.Request == nil {
			g.Request = requestOf(req)
		}
		switch {
		case res.Decision == policy.ExplicitlyDenied:
			g.Verdict, g.Request, g.Deciding = FAIL, requestOf(req), a.deciding(&res)
			g.Reason = deniedText("role "+label, act.action, &res)
			return g, false
		case res.Decision == policy.Allowed && scpsAsGiven != nil &&
			policy.Evaluate(req, &policy.Set{Identity: identity, Boundary: boundary, SCPs: scpsAsGiven}).Decision != policy.Allowed:
			undecided = append(undecided, act.action)
		case res.Decision == policy.Allowed, len(unknown) > 0:
		case act.required:
			if len(failed) == 0 {
				g.Request, failGap = requestOf(req), res.Gap
			}
			g.Verdict = FAIL
			failed = append(failed, act.action)
			fixable = fixable && (res.Gap == policy.GapIdentity || res.Gap == policy.GapNoAllow)
		default:
			if g.Verdict == OK {
				g.Verdict, g.Request = WARN, requestOf(req)
			}
			if len(warned) == 0 {
				warnGap = res.Gap
			}
			warned = append(warned, act.action)
			if !whys[act.why] {
				whys[act.why] = true
				whyList = append(whyList, act.why)
			}
			fixable = fixable && (res.Gap == policy.GapIdentity || res.Gap == policy.GapNoAllow)
		}
	}
	var warning string
	if len(warned) > 0 {
		warning = fmt.Sprintf("role %s may not call %s (%s): %s", label, strings.Join(warned, ", "), warnGap, strings.Join(whyList, "; "))
	}
	switch {
	case len(failed) > 0:
		g.Reason = fmt.Sprintf("role %s may not call %s: %s", label, strings.Join(failed, ", "), failGap)
		if warning != "" {
			g.Reason += "; " + warning
		}
		return g, fixable
	case len(unknown) > 0:
		g.Verdict, g.Reason = UNKNOWN, "whether the policies of role "+label+" allow "+strings.Join(names, ", ")+" cannot be told: "+strings.Join(unknown, "; ")
		return g, false
	case len(undecided) > 0:
		g.Verdict = UNKNOWN
		g.Reason = fmt.Sprintf("the input's SCPs allow things themselves, so FullAWSAccess may be detached; without it, role %s may not call %s", label, strings.Join(undecided, ", "))
		return g, false
	case len(warned) > 0:
		g.Reason = warning
		return g, fixable
	}
	g.Reason = fmt.Sprintf("the policies of role %s allow %s on log group %s", label, strings.Join(names, ", "), name)
	return g, false
}

func hasAllow(levels []policy.OrgLevel) bool {
	for _, l := range levels {
		for _, p := range l.Policies {
			for i := range p.Statements {
				if p.Statements[i].Effect == policy.Allow {
					return true
				}
			}
		}
	}
	return false
}

// proveInlinePolicy proposes an inline policy with the writer's actions on
// the log group, re-runs the gate with it added to the role and returns
// the fix only if the gate is then OK.
func (a *analyzer) proveInlinePolicy(src *source, role *model.IAMRole, name string) *Fix {
	byScope := map[string][]string{}
	for _, act := range src.typ.logs.roleActions {
		s := act.scope
		if s == scopeStream {
			s = scopeGroup // group:* covers its streams
		}
		byScope[s] = append(byScope[s], act.action)
	}
	var sts []fix.Statement
	if acts := byScope[scopeGroup]; len(acts) > 0 {
		sts = append(sts, fix.Statement{Sid: "WriteLogs", Effect: "Allow", Action: acts, Resource: fix.Strings{roleResource(src, name, scopeGroup)}})
	}
	if acts := byScope[scopeAccount]; len(acts) > 0 {
		sts = append(sts, fix.Statement{Sid: "ListLogGroups", Effect: "Allow", Action: acts, Resource: fix.Strings{roleResource(src, name, scopeAccount)}})
	}
	var text []byte
	for _, st := range sts {
		out, err := fix.AddStatement(text, st)
		if err != nil {
			return nil
		}
		text = out
	}
	a.patchedInline[role] = &model.PolicyDocument{Origin: role.Origin, JSON: model.Known(string(text))}
	a.proving = true
	g, _ := a.rolePermissionsOnce(src, role, name)
	a.proving = false
	delete(a.patchedInline, role)
	if g.Verdict != OK {
		return nil
	}
	var actions []string
	for _, st := range sts {
		actions = append(actions, st.Action...)
	}
	target := "inline policy of role " + roleLabel(role)
	return &Fix{Summary: "add an inline policy allowing " + strings.Join(actions, ", ") + " to role " + roleLabel(role),
		Target: target, Statements: sts, Policy: string(text), Location: role.Origin}
}
