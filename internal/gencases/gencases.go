// Package gencases generates synthetic case files for `logpath simulate
// --cases` (docs/simulate-cases.md): JSON lines, one case per line, each with
// its own KMS key policy of four to six statements with conditions, and, as
// the case calls for, identity policies, a permissions boundary, a session
// policy, SCPs and RCPs. The requests mix AWS service principals (log
// delivery, CloudWatch Logs, CloudTrail), role sessions, IAM users, root
// users and anonymous callers, in the key's account and in others, so that
// every decision (Allowed, ImplicitlyDenied, ExplicitlyDenied) occurs.
//
// Output is deterministic: the same Options give the same bytes. It is the
// input of the simulate batch benchmark (cmd/logpath) and of the
// internal/tools/gencases command.
package gencases

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
)

// Options says what to generate.
type Options struct {
	// N is the number of cases.
	N int
	// Seed seeds math/rand; the same seed gives the same cases.
	Seed int64
	// Distinct makes every statement's Sid end with the case's number, so
	// that no statement is written alike in two cases: the input for
	// measuring a batch without the statements it can share.
	Distinct bool
}

// Write writes opts.N cases to w as JSON lines.
func Write(w io.Writer, opts Options) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	g := newGenerator(opts.Seed)
	g.distinct = opts.Distinct
	for i := range opts.N {
		if err := enc.Encode(g.next(i)); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// The JSON shapes of the case format, with fields in the order people write
// them.

type caseJSON struct {
	ID                   string      `json:"id"`
	Request              requestJSON `json:"request"`
	ResourcePolicy       *policyJSON `json:"resourcePolicy,omitempty"`
	IdentityPolicies     []any       `json:"identityPolicies,omitempty"`
	PermissionBoundaries []any       `json:"permissionBoundaries,omitempty"`
	SessionPolicy        *policyJSON `json:"sessionPolicy,omitempty"`
	SCPs                 []orgLevel  `json:"scps,omitempty"`
	RCPs                 []orgLevel  `json:"rcps,omitempty"`
	ResourceAccount      string      `json:"resourceAccount,omitempty"`
}

type requestJSON struct {
	Principal string         `json:"principal"`
	Action    string         `json:"action"`
	Resource  string         `json:"resource"`
	Context   map[string]any `json:"context,omitempty"`
}

type policyJSON struct {
	Version   string      `json:"Version"`
	ID        string      `json:"Id,omitempty"`
	Statement []statement `json:"Statement"`
}

type namedPolicy struct {
	Name   string      `json:"name"`
	Policy *policyJSON `json:"policy"`
}

type statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal any                       `json:"Principal,omitempty"`
	Action    any                       `json:"Action"`
	Resource  any                       `json:"Resource"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

type orgLevel struct {
	OrgIdentifier string        `json:"orgIdentifier"`
	Policies      []*policyJSON `json:"policies"`
}

type cond = map[string]map[string]any

var (
	regions = []string{"ap-northeast-1", "us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-2"}
	// What log sources deliver into S3 through delivery.logs.amazonaws.com.
	logSources   = []string{"network-firewall/flow", "network-firewall/alert", "vpcflowlogs", "route53resolver", "elasticloadbalancing", "cloudfront"}
	serviceUses  = []string{"kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext"}
	userActions  = []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants"}
	adminActions = []string{"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:EnableKeyRotation", "kms:TagResource", "kms:DescribeKey", "kms:UpdateAlias"}
	userRoles    = []string{"LogProcessor", "AthenaQuery", "FirehoseDelivery", "App"}
	viaServices  = []string{"s3", "logs", "athena", "firehose", "secretsmanager"}
)

type generator struct {
	r        *rand.Rand
	accounts []string
	orgs     []string
	distinct bool
	sid      string // what Sids end with in the case being made
}

// suffixSids ends the Sids of p with g.sid.
func (g *generator) suffixSids(p *policyJSON) {
	if p == nil {
		return
	}
	for i := range p.Statement {
		p.Statement[i].Sid += g.sid
	}
}

func newGenerator(seed int64) *generator {
	g := &generator{r: rand.New(rand.NewSource(seed))}
	for range 40 {
		g.accounts = append(g.accounts, fmt.Sprintf("%012d", 100000000000+g.r.Int63n(900000000000)))
	}
	for range 3 {
		g.orgs = append(g.orgs, "o-"+g.alnum(10))
	}
	return g
}

func (g *generator) pick(list []string) string { return list[g.r.Intn(len(list))] }

// chance is true with probability p.
func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) alnum(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.r.Intn(len(chars))]
	}
	return string(b)
}

func (g *generator) hex(n int) string {
	const chars = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.r.Intn(len(chars))]
	}
	return string(b)
}

func (g *generator) keyID() string {
	return g.hex(8) + "-" + g.hex(4) + "-" + g.hex(4) + "-" + g.hex(4) + "-" + g.hex(12)
}

// otherAccount is an account of the pool other than acct.
func (g *generator) otherAccount(acct string) string {
	for {
		if a := g.pick(g.accounts); a != acct {
			return a
		}
	}
}

// world is what one case is about: a key in an account and region.
type world struct {
	acct, region, key, keyARN, bucket, org, other string
	otherRole                                     string
}

func (g *generator) next(i int) caseJSON {
	w := world{acct: g.pick(g.accounts), region: g.pick(regions), key: g.keyID()}
	w.keyARN = fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", w.region, w.acct, w.key)
	w.bucket = "logs-" + w.acct + "-" + w.region
	w.org = g.orgs[g.r.Intn(len(g.orgs))]
	w.other = g.otherAccount(w.acct)
	w.otherRole = g.pick([]string{"LogArchiveReader", "SecurityAudit", "Analytics"})

	c := caseJSON{ID: fmt.Sprintf("gen-%06d", i)}
	g.sid = ""
	if g.distinct {
		g.sid = fmt.Sprintf(" %06d", i)
	}
	switch n := g.r.Intn(100); {
	case n < 30:
		g.deliveryCase(&c, &w)
	case n < 40:
		g.logsCase(&c, &w)
	case n < 45:
		g.cloudTrailCase(&c, &w)
	case n < 70:
		g.roleCase(&c, &w)
	case n < 80:
		g.userCase(&c, &w)
	case n < 90:
		g.crossAccountCase(&c, &w)
	case n < 95:
		g.rootCase(&c, &w)
	default:
		g.anonymousCase(&c, &w)
	}
	c.ResourcePolicy = g.keyPolicy(&w)
	c.ID += "-" + c.Request.Action[len("kms:"):]
	if g.distinct {
		// Policies given as JSON strings got theirs in addIdentity.
		g.suffixSids(c.ResourcePolicy)
		g.suffixSids(c.SessionPolicy)
		for _, list := range [][]any{c.IdentityPolicies, c.PermissionBoundaries} {
			for _, p := range list {
				switch p := p.(type) {
				case *policyJSON:
					g.suffixSids(p)
				case namedPolicy:
					g.suffixSids(p.Policy)
				}
			}
		}
		for _, lvl := range append(c.SCPs, c.RCPs...) {
			for _, p := range lvl.Policies {
				g.suffixSids(p)
			}
		}
	}
	return c
}

// The statements a key policy draws from.

func rootStatement(w *world) statement {
	return statement{Sid: "Enable IAM User Permissions", Effect: "Allow",
		Principal: map[string]any{"AWS": "arn:aws:iam::" + w.acct + ":root"}, Action: "kms:*", Resource: "*"}
}

func adminStatement(w *world) statement {
	return statement{Sid: "Allow access for Key Administrators", Effect: "Allow",
		Principal: map[string]any{"AWS": []string{"arn:aws:iam::" + w.acct + ":role/KeyAdmin"}},
		Action: []string{"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
			"kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
			"kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"},
		Resource: "*"}
}

func (g *generator) userStatement(w *world) statement {
	roles := []string{"arn:aws:iam::" + w.acct + ":role/" + userRoles[0], "arn:aws:iam::" + w.acct + ":role/" + userRoles[1]}
	if g.chance(0.5) {
		roles = append(roles, "arn:aws:iam::"+w.acct+":role/"+userRoles[2+g.r.Intn(2)])
	}
	via := []string{"s3." + w.region + ".amazonaws.com"}
	if g.chance(0.6) {
		via = append(via, "logs."+w.region+".amazonaws.com", "athena."+w.region+".amazonaws.com")
	}
	return statement{Sid: "Allow use of the key", Effect: "Allow",
		Principal: map[string]any{"AWS": roles},
		Action:    []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
		Resource:  "*",
		Condition: cond{"StringEquals": {"kms:ViaService": via, "kms:CallerAccount": w.acct}}}
}

func grantStatement(w *world) statement {
	return statement{Sid: "Allow attachment of persistent resources", Effect: "Allow",
		Principal: map[string]any{"AWS": "arn:aws:iam::" + w.acct + ":role/" + userRoles[0]},
		Action:    []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"},
		Resource:  "*",
		Condition: cond{"Bool": {"kms:GrantIsForAWSResource": "true"}}}
}

func (g *generator) deliveryStatement(w *world) statement {
	c := cond{"StringEquals": {"aws:SourceAccount": w.acct}}
	if g.chance(0.5) {
		c["StringLike"] = map[string]any{"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::" + w.bucket + "/AWSLogs/" + w.acct + "/*"}
	} else {
		c["ArnLike"] = map[string]any{"aws:SourceArn": "arn:aws:logs:" + w.region + ":" + w.acct + ":*"}
	}
	return statement{Sid: "Allow Vended Logs delivery", Effect: "Allow",
		Principal: map[string]any{"Service": "delivery.logs.amazonaws.com"},
		Action:    []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
		Resource:  "*", Condition: c}
}

func logsStatement(w *world) statement {
	return statement{Sid: "Allow CloudWatch Logs", Effect: "Allow",
		Principal: map[string]any{"Service": "logs." + w.region + ".amazonaws.com"},
		Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
		Resource:  "*",
		Condition: cond{"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:" + w.region + ":" + w.acct + ":log-group:*"}}}
}

func cloudTrailStatement(w *world) statement {
	return statement{Sid: "Allow CloudTrail to encrypt logs", Effect: "Allow",
		Principal: map[string]any{"Service": "cloudtrail.amazonaws.com"},
		Action:    "kms:GenerateDataKey*",
		Resource:  "*",
		Condition: cond{
			"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:" + w.region + ":" + w.acct + ":trail/org-trail"},
			"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:" + w.acct + ":trail/*"}}}
}

func crossAccountStatement(w *world) statement {
	return statement{Sid: "Allow the log archive account to read", Effect: "Allow",
		Principal: map[string]any{"AWS": "arn:aws:iam::" + w.other + ":role/" + w.otherRole},
		Action:    []string{"kms:Decrypt", "kms:DescribeKey"},
		Resource:  "*",
		Condition: cond{"StringEquals": {"kms:CallerAccount": w.other}, "StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}}
}

func denySourceAccountStatement(w *world) statement {
	return statement{Sid: "Deny delivery for other source accounts", Effect: "Deny",
		Principal: map[string]any{"Service": "delivery.logs.amazonaws.com"},
		Action:    "kms:*", Resource: "*",
		Condition: cond{"StringNotEquals": {"aws:SourceAccount": w.acct}}}
}

func denyInsecureStatement() statement {
	return statement{Sid: "Deny insecure transport", Effect: "Deny", Principal: "*",
		Action: "kms:*", Resource: "*",
		Condition: cond{"Bool": {"aws:SecureTransport": "false"}}}
}

// keyPolicy is four to six statements: root delegation (most keys), then a
// shuffled choice of the others.
func (g *generator) keyPolicy(w *world) *policyJSON {
	optional := []statement{
		adminStatement(w), g.userStatement(w), grantStatement(w), g.deliveryStatement(w),
		logsStatement(w), cloudTrailStatement(w), crossAccountStatement(w),
		denySourceAccountStatement(w), denyInsecureStatement(),
	}
	g.r.Shuffle(len(optional), func(i, j int) { optional[i], optional[j] = optional[j], optional[i] })
	n := 4 + g.r.Intn(3)
	var stmts []statement
	if g.chance(0.85) {
		stmts = append(stmts, rootStatement(w))
	}
	stmts = append(stmts, optional[:n-len(stmts)]...)
	return &policyJSON{Version: "2012-10-17", ID: "key-policy-" + w.key[:8], Statement: stmts}
}

// Requests.

func (g *generator) serviceContext(w *world) map[string]any {
	ctx := map[string]any{}
	srcAcct := w.acct
	if g.chance(0.1) {
		srcAcct = w.other // a confused deputy
	}
	ctx["aws:SourceAccount"] = srcAcct
	ctx["aws:SecureTransport"] = "true"
	if g.chance(0.05) {
		ctx["aws:SecureTransport"] = "false"
	}
	return ctx
}

func (g *generator) deliveryCase(c *caseJSON, w *world) {
	ctx := g.serviceContext(w)
	src := g.pick(logSources)
	if g.chance(0.5) {
		ctx["kms:EncryptionContext:aws:s3:arn"] = fmt.Sprintf("arn:aws:s3:::%s/AWSLogs/%s/%s/%s/2024/%02d/%02d/%s.log.gz",
			w.bucket, ctx["aws:SourceAccount"], src, w.region, 1+g.r.Intn(12), 1+g.r.Intn(28), g.hex(16))
		ctx["kms:ViaService"] = "s3." + w.region + ".amazonaws.com"
		ctx["kms:EncryptionContextKeys"] = []string{"aws:s3:arn"}
	} else {
		ctx["aws:SourceArn"] = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/aws/%s:*", w.region, ctx["aws:SourceAccount"], src)
	}
	c.Request = requestJSON{Principal: "delivery.logs.amazonaws.com", Action: g.pick(serviceUses), Resource: w.keyARN, Context: ctx}
	g.maybeRCPs(c, w)
}

func (g *generator) logsCase(c *caseJSON, w *world) {
	ctx := g.serviceContext(w)
	ctx["kms:EncryptionContext:aws:logs:arn"] = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/app/%s", w.region, w.acct, g.alnum(8))
	c.Request = requestJSON{Principal: "logs." + w.region + ".amazonaws.com", Action: g.pick(serviceUses), Resource: w.keyARN, Context: ctx}
	g.maybeRCPs(c, w)
}

func (g *generator) cloudTrailCase(c *caseJSON, w *world) {
	ctx := g.serviceContext(w)
	trail := "org-trail"
	if g.chance(0.2) {
		trail = "other-trail"
	}
	ctx["aws:SourceArn"] = "arn:aws:cloudtrail:" + w.region + ":" + w.acct + ":trail/" + trail
	ctx["kms:EncryptionContext:aws:cloudtrail:arn"] = "arn:aws:cloudtrail:" + w.region + ":" + w.acct + ":trail/" + trail
	c.Request = requestJSON{Principal: "cloudtrail.amazonaws.com", Action: "kms:GenerateDataKey", Resource: w.keyARN, Context: ctx}
}

// principalContext is what a signed request by an IAM principal carries.
func (g *generator) principalContext(w *world, callerAcct string) map[string]any {
	ctx := map[string]any{
		"aws:SecureTransport": "true",
		"aws:PrincipalOrgID":  w.org,
		"kms:CallerAccount":   callerAcct,
		"aws:SourceIp":        fmt.Sprintf("10.%d.%d.%d", g.r.Intn(256), g.r.Intn(256), 1+g.r.Intn(254)),
	}
	if g.chance(0.05) {
		ctx["aws:SecureTransport"] = "false"
	}
	if g.chance(0.7) {
		ctx["kms:ViaService"] = g.pick(viaServices) + "." + w.region + ".amazonaws.com"
	}
	if g.chance(0.3) {
		ctx["aws:PrincipalTag/team"] = g.pick([]string{"platform", "security", "data"})
	}
	return ctx
}

// identityPolicy allows some KMS actions on the key, or on every key of the
// account, sometimes with a condition, sometimes with a Deny.
func (g *generator) identityPolicy(w *world, keyAcct string) *policyJSON {
	resource := any(w.keyARN)
	if g.chance(0.4) {
		resource = "arn:aws:kms:*:" + keyAcct + ":key/*"
	}
	actions := []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"}
	if g.chance(0.3) {
		actions = []string{"kms:*"}
	}
	allow := statement{Sid: "UseLogKeys", Effect: "Allow", Action: actions, Resource: resource}
	if g.chance(0.4) {
		allow.Condition = cond{"StringLike": {"kms:ViaService": "*." + w.region + ".amazonaws.com"}}
	}
	p := &policyJSON{Version: "2012-10-17", Statement: []statement{allow}}
	if g.chance(0.3) {
		p.Statement = append(p.Statement, statement{Sid: "NoKeyDeletion", Effect: "Deny",
			Action: []string{"kms:ScheduleKeyDeletion", "kms:DisableKey"}, Resource: "*"})
	}
	return p
}

func (g *generator) addIdentity(c *caseJSON, w *world, keyAcct string) {
	p := g.identityPolicy(w, keyAcct)
	switch g.r.Intn(3) {
	case 0:
		c.IdentityPolicies = append(c.IdentityPolicies, p)
	case 1:
		c.IdentityPolicies = append(c.IdentityPolicies, namedPolicy{Name: "KmsLogAccess", Policy: p})
	default:
		// A policy given as a JSON string, as some tools export them.
		g.suffixSids(p)
		b, _ := json.Marshal(p)
		c.IdentityPolicies = append(c.IdentityPolicies, string(b))
	}
}

func (g *generator) maybeSCPs(c *caseJSON, w *world) {
	if !g.chance(0.4) {
		return
	}
	full := &policyJSON{Version: "2012-10-17", Statement: []statement{{Sid: "FullAWSAccess", Effect: "Allow", Action: "*", Resource: "*"}}}
	guard := &policyJSON{Version: "2012-10-17", Statement: []statement{
		{Sid: "FullAWSAccess", Effect: "Allow", Action: "*", Resource: "*"},
		{Sid: "ProtectKeys", Effect: "Deny", Action: []string{"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"}, Resource: "*",
			Condition: cond{"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/KeyAdmin"}}},
	}}
	c.SCPs = []orgLevel{{OrgIdentifier: "r-" + w.org[2:6], Policies: []*policyJSON{full}}, {OrgIdentifier: "ou-" + w.org[2:6] + "-security", Policies: []*policyJSON{guard}}}
	if g.chance(0.1) {
		// A level that allows only some services: KMS is not among them.
		c.SCPs = append(c.SCPs, orgLevel{OrgIdentifier: w.acct, Policies: []*policyJSON{{Version: "2012-10-17", Statement: []statement{
			{Sid: "AllowListed", Effect: "Allow", Action: []string{"s3:*", "logs:*", "cloudwatch:*"}, Resource: "*"}}}}})
	}
}

func (g *generator) maybeRCPs(c *caseJSON, w *world) {
	if !g.chance(0.3) {
		return
	}
	c.RCPs = []orgLevel{{OrgIdentifier: "r-" + w.org[2:6], Policies: []*policyJSON{
		{Version: "2012-10-17", Statement: []statement{{Sid: "RCPFullAWSAccess", Effect: "Allow", Principal: "*", Action: "*", Resource: "*"}}},
		{Version: "2012-10-17", Statement: []statement{{Sid: "EnforceOrgIdentities", Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*",
			Condition: cond{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": w.org}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}}},
	}}}
}

func (g *generator) roleCase(c *caseJSON, w *world) {
	role := g.pick(userRoles)
	action := g.pick(userActions)
	if g.chance(0.3) {
		role, action = "KeyAdmin", g.pick(adminActions)
	}
	ctx := g.principalContext(w, w.acct)
	if action == "kms:CreateGrant" {
		ctx["kms:GrantIsForAWSResource"] = g.pick([]string{"true", "false"})
	}
	c.Request = requestJSON{Principal: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", w.acct, role, g.alnum(8)), Action: action, Resource: w.keyARN, Context: ctx}
	if g.chance(0.6) {
		g.addIdentity(c, w, w.acct)
	}
	if g.chance(0.15) {
		c.PermissionBoundaries = []any{&policyJSON{Version: "2012-10-17", Statement: []statement{
			{Sid: "Boundary", Effect: "Allow", Action: []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:Describe*", "s3:*", "logs:*"}, Resource: "*"}}}}
	}
	if g.chance(0.1) {
		c.SessionPolicy = &policyJSON{Version: "2012-10-17", Statement: []statement{
			{Sid: "Session", Effect: "Allow", Action: "kms:Decrypt", Resource: w.keyARN}}}
	}
	g.maybeSCPs(c, w)
	g.maybeRCPs(c, w)
}

func (g *generator) userCase(c *caseJSON, w *world) {
	c.Request = requestJSON{Principal: "arn:aws:iam::" + w.acct + ":user/" + g.pick([]string{"alice", "bob", "ci-deployer"}),
		Action: g.pick(userActions), Resource: w.keyARN, Context: g.principalContext(w, w.acct)}
	if g.chance(0.7) {
		g.addIdentity(c, w, w.acct)
	}
	g.maybeSCPs(c, w)
}

func (g *generator) crossAccountCase(c *caseJSON, w *world) {
	role := w.otherRole
	if g.chance(0.3) {
		role = "Unlisted"
	}
	ctx := g.principalContext(w, w.other)
	ctx["kms:ViaService"] = "s3." + w.region + ".amazonaws.com"
	c.Request = requestJSON{Principal: fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", w.other, role, g.alnum(8)),
		Action: g.pick([]string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt"}), Resource: w.keyARN, Context: ctx}
	if g.chance(0.8) {
		g.addIdentity(c, w, w.acct)
	}
	g.maybeSCPs(c, w)
	g.maybeRCPs(c, w)
}

func (g *generator) rootCase(c *caseJSON, w *world) {
	c.Request = requestJSON{Principal: w.acct, Action: g.pick(adminActions), Resource: w.keyARN,
		Context: map[string]any{"aws:SecureTransport": "true"}}
	c.ResourceAccount = w.acct
}

func (g *generator) anonymousCase(c *caseJSON, w *world) {
	c.Request = requestJSON{Principal: "anonymous", Action: g.pick(userActions), Resource: w.keyARN,
		Context: map[string]any{"aws:SecureTransport": "true", "aws:SourceIp": "198.51.100.7"}}
	g.maybeRCPs(c, w)
}
