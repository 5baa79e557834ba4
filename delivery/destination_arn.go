package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/model"
)

// destinationByARN reads a destination a source names by ARN (Route 53
// Resolver's DestinationArn, WAF's LogDestinationConfigs): the ARN's
// service decides the destination type, and an S3 ARN may carry a prefix
// after the bucket name (arn:aws:s3:::amzn-s3-demo-bucket/development/).
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverQueryLogConfig.html
// https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html
//
// It returns the target, or why none can be read and whether that is
// because something is unknown (UNKNOWN) rather than wrong (FAIL).
func (a *analyzer) destinationByARN(arn model.Value[string], ref string, loc model.Origin) (t *target, problem string, unknown bool) {
	t = &target{ref: ref, loc: loc, prefix: model.Known("")}
	s, ok := arn.Get()
	if !ok {
		// Not known before deployment; a reference to a resource of the
		// input still tells the kind of destination. The part after a
		// bucket name is then unknown too.
		why := model.Unknown[string]("the destination ARN is unknown: %s", arn.Reason())
		switch {
		case ref != "" && a.bucketsByRef[ref] != nil:
			t.typ, t.bucket = model.DestS3, why
			t.prefix = model.Unknown[string]("the destination ARN, which may add a prefix after the bucket name, is unknown: %s", arn.Reason())
		case ref != "" && a.groupsByRef[ref] != nil:
			t.typ, t.logGroup = model.DestLogs, why
		case ref != "" && a.streamsByRef[ref] != nil:
			t.typ, t.stream = model.DestFirehose, why
		default:
			return nil, why.Reason(), true
		}
		return t, "", false
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return nil, fmt.Sprintf("the destination %q is not an ARN", s), false
	}
	switch res := parts[5]; parts[2] {
	case "s3":
		bucket, prefix, _ := strings.Cut(res, "/")
		t.typ, t.bucket, t.prefix = model.DestS3, model.Known(bucket), model.Known(prefix)
	case "logs":
		name, ok := strings.CutPrefix(res, "log-group:")
		if !ok || name == "" {
			return nil, fmt.Sprintf("the destination %s is not the ARN of a log group", s), false
		}
		// CloudFormation's Fn::GetAtt LogGroup.Arn ends with ":*".
		t.typ, t.logGroup = model.DestLogs, model.Known(strings.TrimSuffix(name, ":*"))
	case "firehose":
		name, ok := strings.CutPrefix(res, "deliverystream/")
		if !ok || name == "" {
			return nil, fmt.Sprintf("the destination %s is not the ARN of a Firehose stream", s), false
		}
		t.typ, t.stream = model.DestFirehose, model.Known(name)
	default:
		return nil, fmt.Sprintf("the destination %s is not the ARN of an S3 bucket, a CloudWatch Logs log group or a Firehose stream", s), false
	}
	return t, "", false
}

// noun names a destination type in reasons: "bucket".
func noun(typ string) string {
	switch typ {
	case model.DestS3:
		return "bucket"
	case model.DestLogs:
		return "log group"
	}
	return "delivery stream"
}

// destinationName is the name a target gives its destination, if known.
func destinationName(t *target) model.Value[string] {
	switch t.typ {
	case model.DestS3:
		return t.bucket
	case model.DestLogs:
		return t.logGroup
	}
	return t.stream
}

// nameOf is the destination's name: as the target gives it, else the
// name of the resource it refers to.
func (a *analyzer) nameOf(t *target) model.Value[string] {
	n := destinationName(t)
	if n.Known() || t.ref == "" {
		return n
	}
	switch t.typ {
	case model.DestS3:
		if b := a.bucketsByRef[t.ref]; b != nil {
			return b.Name
		}
	case model.DestLogs:
		if g := a.groupsByRef[t.ref]; g != nil {
			return g.Name
		}
	case model.DestFirehose:
		if s := a.streamsByRef[t.ref]; s != nil {
			return s.Name
		}
	}
	return n
}

// originOf is where the destination resource is defined, when it is in the
// input (by reference or by name); else the target's location.
func (a *analyzer) originOf(t *target, src *source) model.Origin {
	n, known := a.nameOf(t).Get()
	switch t.typ {
	case model.DestS3:
		if b := a.bucketsByRef[t.ref]; b != nil {
			return b.Origin
		}
		if b := a.bucketNamed(n, src); known && b != nil {
			return b.Origin
		}
	case model.DestLogs:
		if g := a.groupsByRef[t.ref]; g != nil {
			return g.Origin
		}
		if gs := a.groupsByName[n]; known && len(gs) == 1 {
			return gs[0].Origin
		}
	case model.DestFirehose:
		if s := a.streamsByRef[t.ref]; s != nil {
			return s.Origin
		}
		if ss := a.streamsByName[n]; known && len(ss) == 1 {
			return ss[0].Origin
		}
	}
	return t.loc
}
