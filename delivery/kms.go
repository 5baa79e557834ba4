package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/fix"
	"github.com/logpath/logpath/model"
	"github.com/logpath/logpath/policy"
)

// resolvedKey is a KMS key reference followed to a key of the model.
type resolvedKey struct {
	key     *model.Key
	written string // the reference as written
	// awsManaged is set for alias/aws/... references: AWS managed keys,
	// whose policies cannot be changed.
	awsManaged bool
	// byARN is set when the reference is a full key ARN, the only form
	// that names the same key whoever resolves it.
	byARN bool
	// unknown says why the key could not be found.
	unknown string
	// formUnknown: neither the reference's value nor its form is known.
	formUnknown bool
}

// resolveKey follows a key reference (key ARN, key ID, alias name or alias
// ARN, or a model reference) in the given account and Region.
//
// form says how a model reference names the key ("arn", "key-id",
// "alias"), for references whose value is not known before deployment.
//
// scope is the input of the resource naming the key: a key of that input
// is preferred to one of another input that has the same ARN or alias (two
// snapshots of one account).
func (a *analyzer) resolveKey(written model.Value[string], ref, form, account, region, scope string) resolvedKey {
	r := resolvedKey{written: written.Or("")}
	if ref != "" {
		r.byARN = form == "arn" || strings.Contains(r.written, ":key/")
		r.formUnknown = form == "" && !written.Known()
		if k := a.keysByRef[ref]; k != nil {
			r.key = k
			return r
		}
		if al := a.aliasesByRef[ref]; al != nil {
			r.key, r.unknown = a.aliasTarget(al)
			return r
		}
	}
	w, ok := written.Get()
	if !ok {
		r.unknown = "the key is unknown: " + written.Reason()
		return r
	}
	name := w
	if parts := strings.SplitN(w, ":", 6); len(parts) == 6 && parts[0] == "arn" {
		account, region, name = parts[4], parts[3], parts[5]
	}
	switch {
	case strings.HasPrefix(name, "alias/aws/"), strings.HasPrefix(name, "aws/"):
		// "aws/s3" without "alias/" is how some code names the AWS managed
		// key (seen in aws-samples/aws-network-firewall-terraform).
		r.awsManaged = true
		return r
	case strings.HasPrefix(name, "alias/"):
		if al := inScope(a.aliasesByName, scope, scoped(account, region, name)); al != nil {
			r.key, r.unknown = a.aliasTarget(al)
			return r
		}
		r.unknown = fmt.Sprintf("the alias %s (account %s, %s) is not in the input", name, account, region)
		return r
	case strings.HasPrefix(name, "key/"):
		r.byARN = true
		if k := inScope(a.keysByARN, scope, w); k != nil {
			r.key = k
			return r
		}
		name = strings.TrimPrefix(name, "key/")
	}
	if k := inScope(a.keysByID, scope, scoped(account, region, name)); k != nil {
		r.key = k
		return r
	}
	r.unknown = fmt.Sprintf("the key %s is not in the input", w)
	return r
}

// inScope looks name up among the resources of one input first, then
// among all.
func inScope[T any](m map[string]*T, scope, name string) *T {
	if v := m[scope+"\x00"+name]; v != nil {
		return v
	}
	return m[name]
}

func (a *analyzer) aliasTarget(al *model.Alias) (*model.Key, string) {
	if al.TargetRef != "" {
		if k := a.keysByRef[al.TargetRef]; k != nil {
			return k, ""
		}
	}
	t, ok := al.Target.Get()
	if !ok {
		return nil, "the alias's target key is unknown: " + al.Target.Reason()
	}
	if k := inScope(a.keysByARN, al.Scope, t); k != nil {
		return k, ""
	}
	if k := inScope(a.keysByID, al.Scope, scoped(al.Account.Or(""), al.Region.Or(""), t)); k != nil {
		return k, ""
	}
	return nil, fmt.Sprintf("the alias's target key %s is not in the input", t)
}

// keyLabel names a key for a person.
func keyLabel(k *model.Key) string {
	if arn, ok := k.ARN.Get(); ok {
		return arn
	}
	if k.ID != "" {
		return k.ID
	}
	return k.KeyID.Or("the key")
}

// keyState decides kms.key-state: the key must be customer managed,
// symmetric, Enabled, and in the Region of the resource it encrypts.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html (symmetric keys only)
func keyState(k *model.Key, region string) GateResult {
	g := GateResult{ID: "kms.key-state", Verdict: OK, Location: k.Origin}
	var reasons, fixes []string
	fail := func(v Verdict, reason, fix string) {
		g.Verdict = worse(g.Verdict, v)
		reasons = append(reasons, reason)
		if fix != "" {
			fixes = append(fixes, fix)
		}
	}
	switch m, ok := k.Manager.Get(); {
	case !ok:
		fail(UNKNOWN, "whether the key is customer managed is unknown: "+k.Manager.Reason(), "")
	case m == "AWS":
		fail(FAIL, "it is an AWS managed key, whose key policy cannot be changed to allow the log delivery service", "use a customer managed key")
	}
	switch s, ok := k.State.Get(); {
	case !ok:
		fail(UNKNOWN, "the key state is unknown: "+k.State.Reason(), "")
	case s == "Enabled" || s == "Updating":
	case s == "PendingDeletion" || s == "PendingReplicaDeletion":
		fail(FAIL, "the key is pending deletion (KMS answers KMSInvalidStateException)", "cancel the key deletion and enable the key")
	default:
		fail(FAIL, fmt.Sprintf("the key state is %s, so KMS refuses GenerateDataKey", s), "enable the key")
	}
	switch s, ok := k.Spec.Get(); {
	case !ok:
		fail(UNKNOWN, "the key spec is unknown: "+k.Spec.Reason(), "")
	case s != "SYMMETRIC_DEFAULT":
		fail(FAIL, fmt.Sprintf("the key spec is %s; only symmetric encryption keys (SYMMETRIC_DEFAULT) work", s), "use a symmetric encryption key")
	}
	if region != "" {
		switch r, ok := k.Region.Get(); {
		case !ok:
			fail(UNKNOWN, "the key's Region is unknown: "+k.Region.Reason(), "")
		case r != region:
			fail(FAIL, fmt.Sprintf("the key is in %s but the destination is in %s; KMS keys are Regional", r, region), "use a key in "+region)
		}
	}
	if len(reasons) == 0 {
		g.Reason = fmt.Sprintf("%s is a customer managed symmetric key, Enabled, in %s", keyLabel(k), k.Region.Or("its Region"))
		return g
	}
	g.Reason = keyLabel(k) + ": " + strings.Join(reasons, "; ")
	if g.Verdict == FAIL && len(fixes) > 0 {
		g.Fix = &Fix{Summary: strings.Join(fixes, "; "), Target: keyLabel(k), Location: k.Origin}
	}
	return g
}

// defaultKeyPolicy is the policy KMS gives a key created without one: full
// access for the account, delegated to IAM.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
func defaultKeyPolicy(account string) string {
	return `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"kms:*","Resource":"*"}]}`
}

// keyPolicyDoc returns the key's policy document, the default one when the
// key has none.
func (a *analyzer) keyPolicyDoc(k *model.Key) (*model.PolicyDocument, string) {
	v := a.policyOf(k, k.Policy)
	doc, ok := v.Get()
	if !ok {
		return nil, "the key policy of " + keyLabel(k) + " is unknown: " + v.Reason()
	}
	if doc == nil {
		acct, ok := k.Account.Get()
		if !ok {
			return nil, "the key has no policy in the input, so it has the default key policy of its account, which is unknown: " + k.Account.Reason()
		}
		if doc = a.defaults[k]; doc == nil {
			doc = &model.PolicyDocument{Origin: k.Origin, JSON: model.Known(defaultKeyPolicy(acct))}
			a.defaults[k] = doc
		}
	}
	return doc, ""
}

// keyAction is an action a key policy must allow for a delivery.
type keyAction struct {
	action string
	// required: denial is a FAIL; otherwise a WARN.
	required bool
	why      string
	// context and variants, when context is set, replace the check's for
	// this action: a request that carries no encryption context
	// (kms:DescribeKey).
	context  map[string][]string
	variants []variant
}

// keyPolicyCheck decides a key-policy gate: every action evaluated with
// the request context, FAIL when a required action is denied, WARN when an
// optional one is.
type keyPolicyCheck struct {
	gate      string
	key       *model.Key
	principal string
	actions   []keyAction
	context   map[string][]string
	variants  []variant
	// grant is the statement a fix adds; moreGrants are added with it
	// (a statement for an action whose request has another context).
	grant      fix.Statement
	moreGrants []fix.Statement
}

func (a *analyzer) keyPolicy(c keyPolicyCheck) GateResult {
	g := a.keyPolicyOnce(c)
	if (g.Verdict == FAIL || g.Verdict == WARN) && g.Deciding == nil && g.Fix == nil && !a.proving {
		g.Fix = a.proveStatements(c.key, c.key.Origin, "key policy of "+keyLabel(c.key), append([]fix.Statement{c.grant}, c.moreGrants...), func() GateResult { return a.keyPolicyOnce(c) })
	}
	return g
}

func (a *analyzer) keyPolicyOnce(c keyPolicyCheck) GateResult {
	g := GateResult{ID: c.gate, Verdict: OK, Location: c.key.Origin}
	doc, why := a.keyPolicyDoc(c.key)
	if doc == nil {
		g.Verdict, g.Reason = UNKNOWN, why
		return g
	}
	g.Location = doc.Origin
	if g.Location.File == "" {
		g.Location = c.key.Origin
	}
	p, err := a.parse(doc, policy.KindResource, "key policy of "+keyLabel(c.key))
	if err != nil {
		g.Verdict, g.Reason = UNKNOWN, err.Error()
		return g
	}
	var warnings []string
	for _, act := range c.actions {
		ctx, variants := c.context, c.variants
		if act.context != nil {
			ctx, variants = act.context, act.variants
		}
		o, err := evaluate(spec{principal: c.principal, action: act.action, resource: c.key.ARN.Or(keyARNGuess(c.key)),
			context: ctx, variants: variants, resourceAccount: c.key.Account.Or("")}, []*policy.Policy{p}, nil)
		if err != nil {
			g.Verdict, g.Reason = UNKNOWN, err.Error()
			return g
		}
		if g.Request == nil {
			g.Request = requestOf(o.req)
		}
		if o.res.Decision == policy.Allowed && len(o.dependsOn) == 0 {
			continue
		}
		if len(o.dependsOn) > 0 {
			sev, text := o.dependsText()
			if !act.required {
				sev = WARN
			}
			g.Verdict = worse(g.Verdict, sev)
			warnings = append(warnings, fmt.Sprintf("%s is %s with the documented request but %s otherwise: %s", act.action, o.res.Decision, o.decisionWith, text))
			g.Request = requestOf(o.req)
			continue
		}
		denied := deniedText(c.principal, act.action, &o.res)
		if act.required {
			g.Verdict = FAIL
			g.Request = requestOf(o.req)
			g.Deciding = a.deciding(&o.res)
			g.Reason = denied
			return g
		}
		// The finding shows the request that is denied, not the first
		// one evaluated (which may be allowed).
		g.Verdict = worse(g.Verdict, WARN)
		g.Request = requestOf(o.req)
		if g.Deciding == nil {
			g.Deciding = a.deciding(&o.res)
		}
		warnings = append(warnings, denied+": "+act.why)
	}
	if len(warnings) > 0 {
		g.Reason = strings.Join(warnings, "; ")
		return g
	}
	var names []string
	for _, act := range c.actions {
		names = append(names, act.action)
	}
	g.Reason = fmt.Sprintf("the key policy of %s lets %s call %s", keyLabel(c.key), c.principal, strings.Join(names, ", "))
	return g
}

func keyARNGuess(k *model.Key) string {
	return "arn:aws:kms:" + k.Region.Or("unknown-region") + ":" + k.Account.Or("unknown-account") + ":key/" + k.KeyID.Or("unknown-key-id")
}

// deniedText says why a request was denied.
func deniedText(principal, action string, r *policy.Result) string {
	if r.Decision == policy.ExplicitlyDenied {
		d := r.Deciding()[0].Statement
		return fmt.Sprintf("%s may not call %s: statement %s of the %s denies it", principal, action, d.Label(), d.Policy().Name)
	}
	return fmt.Sprintf("%s may not call %s: %s", principal, action, r.Gap)
}

// proveStatements adds statements to a resource's policy, re-runs the gate
// and returns the fix only if the gate is then OK.
func (a *analyzer) proveStatements(owner any, loc model.Origin, target string, sts []fix.Statement, rerun func() GateResult) *Fix {
	var current string
	switch o := owner.(type) {
	case *model.Key:
		if doc, _ := a.keyPolicyDoc(o); doc != nil {
			current = doc.JSON.Or("")
		}
	case *model.Bucket:
		if doc, ok := a.policyOf(o, o.Policy).Get(); ok && doc != nil {
			current = doc.JSON.Or("")
		}
	case *model.LogResourcePolicy:
		if doc, ok := a.policyOf(o, o.Policy).Get(); ok && doc != nil {
			current = doc.JSON.Or("")
		}
	case *model.IAMRole: // its trust policy
		if doc, ok := a.policyOf(o, o.TrustPolicy).Get(); ok && doc != nil {
			current = doc.JSON.Or("")
		}
	}
	src := []byte(current)
	for _, st := range sts {
		out, err := fix.AddStatement(src, st)
		if err != nil {
			return nil
		}
		src = out
	}
	prev, hadPrev := a.patched[owner]
	a.patched[owner] = &model.PolicyDocument{Origin: loc, JSON: model.Known(string(src))}
	a.proving = true
	g := rerun()
	a.proving = false
	if hadPrev {
		a.patched[owner] = prev
	} else {
		delete(a.patched, owner)
	}
	if g.Verdict != OK {
		return nil
	}
	summary := fmt.Sprintf("add %d statement(s) to the %s", len(sts), target)
	if len(sts) == 1 {
		summary = fmt.Sprintf("add a statement allowing %s to the %s", strings.Join(sts[0].Action, ", "), target)
	}
	return &Fix{Summary: summary, Target: target, Statements: sts, Policy: string(src), Location: loc}
}
