package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/model"
)

// AWS WAF: what AWS documents for web ACL logs.
// https://docs.aws.amazon.com/waf/latest/developerguide/logging.html
//
// CloudWatch's table lists WAF logs as "V1" vended logs for CloudWatch
// Logs and S3: the log delivery service writes them. Firehose streams are
// written by WAF's own service-linked role, AWSServiceRoleForWAFV2Logging,
// whose policy allows firehose:PutRecord and PutRecordBatch on
// deliverystream/aws-waf-logs-* with no tag condition: no
// LogDeliveryEnabled tag, and no key statement for the log delivery
// service (Firehose encrypts with its own grant).
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
// https://docs.aws.amazon.com/aws-managed-policy/latest/reference/WAFLoggingServiceRolePolicy.html
var (
	wafRegional   = wafType("")
	wafCloudFront = wafType("cloudfront")
)

// wafFirehoseRole is WAF's service-linked role, assumed by WAF.
var wafFirehoseRole = &writer{principal: "wafv2.amazonaws.com"}

// wafPrefix starts the name of every destination WAF logs to.
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html
const wafPrefix = "aws-waf-logs-"

// cloudFrontRegion is where a CloudFront web ACL lives and logs from:
// its log group and Firehose stream must be there too.
// https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-kinesis.html
const cloudFrontRegion = "us-east-1"

// wafType describes WAF logs of one scope. The S3 key and the log stream
// name the web ACL's Region, or "cloudfront" for a CloudFront web ACL
// (pathRegion); the page shows the Region form, public log parsers the
// "cloudfront" one [3P].
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
func wafType(pathRegion string) *sourceType {
	where := func(src *source) string {
		if pathRegion != "" {
			return pathRegion
		}
		return src.region
	}
	return &sourceType{
		name:       "waf",
		label:      "AWS WAF",
		noun:       "web ACL",
		configGate: "waf.logging-config",
		s3:         vendedLogsV1,
		logs:       vendedLogsV1,
		firehose:   wafFirehoseRole,
		// <bucket>/<prefix>/AWSLogs/<account>/WAFLogs/<Region>/<web-acl-name>/<yyyy>/<MM>/<dd>/<HH>/<mm>/
		// <account>_waflogs_<Region>_<web-acl-name>_<timestamp>_<hash>.log.gz
		objectKey: func(src *source, prefix string) string {
			r := where(src)
			return underPrefix(prefix, "AWSLogs/"+src.account+"/WAFLogs/"+r+"/"+src.name+"/2026/01/01/00/00/"+
				src.account+"_waflogs_"+r+"_"+src.name+"_20260101T0000Z_0123abcd.log.gz")
		},
		grantedKeys: awsLogsKeys,
		// <Region>_<web-acl-name>_<log-stream-number>
		logStream: func(src *source) string { return where(src) + "_" + src.name + "_0" },
		docs: map[string]string{
			"s3.bucket":            "https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html",
			"s3.bucket-policy":     "https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html",
			"s3.encryption":        "https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html",
			"kms.key-policy":       "https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html",
			"logs.log-group":       "https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html",
			"logs.resource-policy": "https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html",
			"firehose.stream":      "https://docs.aws.amazon.com/waf/latest/developerguide/logging-kinesis.html",
			"evidence.logs":        "https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html",
		},
	}
}

// wafLogging lists the deliveries of the web ACLs' logging configurations:
// one per destination (AWS accepts exactly one).
func (a *analyzer) wafLogging() []Delivery {
	byRef := map[string]*model.WebACL{}
	byARN := map[string]*model.WebACL{}
	for _, w := range a.m.WebACLs {
		if w.ID != "" {
			byRef[w.RefKey()] = w
		}
		if arn, ok := w.ARN.Get(); ok {
			byARN[arn] = w
		}
	}
	var out []Delivery
	for _, lc := range a.m.WAFLoggingConfigurations {
		acl := byRef[lc.WebACLRef]
		if acl == nil {
			if arn, ok := lc.WebACLARN.Get(); ok {
				acl = byARN[arn]
			}
		}
		out = append(out, a.wafConfig(lc, acl)...)
	}
	return out
}

// wafSource describes the web ACL a logging configuration is for: the one
// in the input, else what its ARN says
// (arn:aws:wafv2:<region>:<account>:<regional|global>/webacl/<name>/<id>).
func wafSource(lc *model.WAFLoggingConfiguration, acl *model.WebACL) (source, []string) {
	src := source{origin: lc.Origin, logType: "WAF_LOGS"}
	var problems []string
	name, account, region, scope := lc.WebACLARN, lc.WebACLARN, lc.WebACLARN, lc.WebACLARN
	if acl != nil {
		src.origin = acl.Origin
		src.arn = acl.ARN.Or(lc.WebACLARN.Or(""))
		name, account, region, scope = acl.Name, acl.Account, acl.Region, acl.Scope
	} else if arn, ok := lc.WebACLARN.Get(); ok {
		src.arn = arn
		p := strings.Split(arn, ":")
		res := strings.Split(p[len(p)-1], "/")
		if len(p) != 6 || p[0] != "arn" || p[2] != "wafv2" || len(res) != 4 || res[1] != "webacl" {
			why := model.Unknown[string]("the ResourceArn %q is not the ARN of a WAF web ACL", arn)
			name, account, region, scope = why, why, why, why
			problems = append(problems, why.Reason())
		} else {
			name, account, region = model.Known(res[2]), model.Known(p[4]), model.Known(p[3])
			scope = model.Known(model.WAFScopeRegional)
			if res[0] == "global" {
				scope = model.Known(model.WAFScopeCloudFront)
			}
		}
	} else {
		why := model.Unknown[string]("the web ACL is not in the input and its ARN is unknown: %s", lc.WebACLARN.Reason())
		name, account, region, scope = why, why, why, why
	}
	// The Region a web ACL logs from depends on its scope.
	src.typ = wafRegional
	logsFrom := region
	switch s, ok := scope.Get(); {
	case !ok:
		logsFrom = model.Unknown[string]("its scope (REGIONAL or CLOUDFRONT), which decides it, is unknown: %s", scope.Reason())
	case s == model.WAFScopeCloudFront:
		src.typ, logsFrom = wafCloudFront, model.Known(cloudFrontRegion)
		if r, ok := region.Get(); ok && r != cloudFrontRegion {
			problems = append(problems, fmt.Sprintf("the web ACL has scope CLOUDFRONT but is in %s; CloudFront web ACLs are created in %s", r, cloudFrontRegion))
		}
	case s == model.WAFScopeRegional:
	default:
		problems = append(problems, fmt.Sprintf("unknown web ACL scope %q (expected REGIONAL or CLOUDFRONT)", s))
	}
	src.identify(name, account, logsFrom, lc.ID)
	return src, problems
}

// wafConfig checks one logging configuration and decides its deliveries.
// https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html
func (a *analyzer) wafConfig(lc *model.WAFLoggingConfiguration, acl *model.WebACL) []Delivery {
	src, problems := wafSource(lc, acl)
	gate := src.typ.configGate
	if lc.Unknown != "" {
		d := Delivery{Source: src.report(), Destination: Destination{Name: "?"}}
		d.add(GateResult{ID: gate, Verdict: UNKNOWN, Location: lc.Origin, Reason: "the logging configuration's destinations cannot be read: " + lc.Unknown})
		return []Delivery{d}
	}
	if len(lc.Destinations) == 0 {
		d := Delivery{Source: src.report(), Destination: Destination{Name: "?"}}
		d.add(GateResult{ID: gate, Verdict: FAIL, Location: lc.Origin, Reason: "the logging configuration names no destination; LogDestinationConfigs takes exactly one"})
		return []Delivery{d}
	}
	if n := len(lc.Destinations); n > 1 {
		problems = append(problems, fmt.Sprintf("the logging configuration names %d destinations; AWS accepts exactly one per web ACL", n))
	}
	var out []Delivery
	for i := range lc.Destinations {
		dest := &lc.Destinations[i]
		d := Delivery{Source: src.report()}
		g := GateResult{ID: gate, Verdict: OK, Location: lc.Origin}
		t, problem, unknown := a.destinationByARN(dest.ARN, dest.Ref, lc.Origin)
		switch {
		case t == nil && unknown:
			g.Verdict, g.Reason = UNKNOWN, problem
		case t == nil:
			g.Verdict, g.Reason = FAIL, problem+" (WAF logs to an S3 bucket, a CloudWatch Logs log group or a Firehose stream, named by ARN)"
		case len(problems) > 0:
			g.Verdict, g.Reason = FAIL, strings.Join(problems, "; ")
		default:
			g.Reason = fmt.Sprintf("web ACL %s logs to %s %s", src.name, noun(t.typ), a.nameOf(t).Or("(name unknown)"))
		}
		d.add(g)
		if t == nil {
			d.Destination = Destination{Name: "?"}
			out = append(out, d)
			continue
		}
		d.add(a.wafDestination(&src, t))
		a.deliver(&d, &src, t)
		applyEvidence(&d, dest.Evidence)
		out = append(out, d)
	}
	return out
}

// wafDestination decides waf.destination: WAF logs only to a destination
// whose name starts with aws-waf-logs-, and its pages disagree on whether
// the bucket may be in another account.
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html
func (a *analyzer) wafDestination(src *source, t *target) GateResult {
	g := GateResult{ID: "waf.destination", Verdict: OK, Location: a.originOf(t, src)}
	name := a.nameOf(t)
	n, ok := name.Get()
	if !ok {
		g.Verdict, g.Reason = UNKNOWN, "whether the destination's name starts with "+wafPrefix+" cannot be told: "+name.Reason()
		return g
	}
	if !strings.HasPrefix(n, wafPrefix) {
		g.Verdict = FAIL
		g.Reason = fmt.Sprintf("%s %q does not start with %s; WAF logs only to a bucket, log group or stream whose name does (PutLoggingConfiguration refuses the others)", noun(t.typ), n, wafPrefix)
		g.Fix = &Fix{Summary: fmt.Sprintf("use a %s named %s%s (a name cannot be changed in place)", noun(t.typ), wafPrefix, n), Target: noun(t.typ) + " " + n, Location: g.Location}
		return g
	}
	g.Reason = fmt.Sprintf("%q starts with %s", n, wafPrefix)
	if t.typ != model.DestS3 {
		return g
	}
	b := a.bucketsByRef[t.ref]
	if b == nil {
		b = a.bucketNamed(n, src)
	}
	if b == nil {
		return g
	}
	// One version of WAF's S3 page asks for a bucket in the web ACL's
	// account; another, and the bucket policy examples with one Resource
	// per source account, allow another account's bucket. The conservative
	// verdict is a WARN.
	if ba, ok := b.Account.Get(); ok && src.account != "" && ba != src.account {
		g.Verdict = WARN
		g.Reason += fmt.Sprintf("; but the bucket is in account %s, not the web ACL's %s: WAF's S3 page asks for a bucket \"from the same account as you use to manage the web ACL\" (https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html), while its bucket policy examples and CloudWatch's pages allow another account's bucket whose policy names the source account", ba, src.account)
	}
	return g
}
