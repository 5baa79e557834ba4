package delivery

import (
	"fmt"
	"strings"

	"github.com/logpath/logpath/model"
)

// AWS Network Firewall: what AWS documents for its logs.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging.html
//
// The log delivery service writes every destination ("V1" vended logs):
// the bucket policy and key policy name delivery.logs.amazonaws.com, the
// log group's resource policy too, and Firehose streams are written by its
// service-linked role.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
var nfwSource = &sourceType{
	name:        "network-firewall",
	label:       "Network Firewall",
	noun:        "firewall",
	configGate:  "nfw.logging-config",
	s3:          vendedLogsV1,
	logs:        vendedLogsV1,
	firehose:    vendedLogsV1,
	objectKey:   nfwObjectKey,
	grantedKeys: awsLogsKeys,
	logStream:   nfwLogStream,
}

// Network Firewall writes S3 objects under
// <bucket>/<prefix>/AWSLogs/<account>/network-firewall/<log-type>/<Region>/<firewall>/<timestamp>/.
// The prefix is optional; one that starts with "/" gives a double slash.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-s3.html
func nfwObjectKey(src *source, prefix string) string {
	lt := strings.ToLower(src.logType)
	path := "AWSLogs/" + src.account + "/network-firewall/" + lt + "/" + src.region + "/" + src.name + "/2026/01/01/00/" +
		src.account + "_network-firewall_" + lt + "_" + src.region + "_" + src.name + "_202601010000_0123abcd.log.gz"
	return underPrefix(prefix, path)
}

// nfwLogStream is the stream Network Firewall writes to for an hour.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/logging-cw-logs.html
func nfwLogStream(src *source) string {
	lt := strings.ToLower(src.logType)
	if lt == "tls" {
		return "/aws/network-firewall/tls/" + src.name
	}
	return "/aws/network-firewall/" + lt + "/" + src.name + "_2026-01-01-00"
}

// firewall lists a firewall's deliveries: one per LogDestinationConfig.
func (a *analyzer) firewall(fw *model.Firewall) []Delivery {
	if fw.Logging == nil {
		return nil
	}
	base := source{typ: nfwSource, origin: fw.Origin, arn: fw.ARN.Or("")}
	var ok bool
	if base.name, ok = fw.Name.Get(); !ok {
		base.name = fw.ID
		base.missing = append(base.missing, "the firewall name is unknown: "+fw.Name.Reason())
	}
	if base.account, ok = fw.Account.Get(); !ok {
		base.missing = append(base.missing, "the firewall's account is unknown: "+fw.Account.Reason())
	}
	if base.region, ok = fw.Region.Get(); !ok {
		base.missing = append(base.missing, "the firewall's Region is unknown: "+fw.Region.Reason())
	}
	if fw.Logging.Unknown != "" {
		d := Delivery{Source: base.report()}
		d.Source.LogType = "?"
		d.add(GateResult{ID: "nfw.logging-config", Verdict: UNKNOWN, Reason: "the logging configuration cannot be read: " + fw.Logging.Unknown, Location: fw.Logging.Origin})
		return []Delivery{d}
	}
	var out []Delivery
	for i := range fw.Logging.Destinations {
		dest := &fw.Logging.Destinations[i]
		src := base
		src.logType = dest.LogType.Or("?")
		d := Delivery{Source: src.report()}
		a.nfwDestination(&d, &src, fw, dest)
		applyEvidence(&d, dest.Evidence)
		out = append(out, d)
	}
	return out
}

// nfwDestination checks one LogDestinationConfig and decides its delivery.
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_LogDestinationConfig.html
func (a *analyzer) nfwDestination(d *Delivery, src *source, fw *model.Firewall, dest *model.LogDestination) {
	loc := dest.Origin
	if loc.File == "" {
		loc = fw.Logging.Origin
	}
	var problems []string
	if _, ok := dest.LogType.Get(); !ok {
		problems = append(problems, "the log type is unknown: "+dest.LogType.Reason())
	}
	typ, ok := dest.Type.Get()
	if !ok {
		problems = append(problems, "the destination type is unknown: "+dest.Type.Reason())
	}
	if len(problems) > 0 {
		d.Destination = Destination{Type: typ, Name: "?"}
		d.add(GateResult{ID: "nfw.logging-config", Verdict: UNKNOWN, Reason: strings.Join(problems, "; "), Location: loc})
		return
	}
	switch typ {
	case model.DestS3, model.DestLogs, model.DestFirehose:
		a.deliver(d, src, &target{typ: typ, bucket: dest.BucketName, prefix: dest.Prefix, logGroup: dest.LogGroup,
			stream: dest.DeliveryStream, ref: dest.Ref, loc: loc})
	default:
		d.Destination = Destination{Type: typ, Name: "?"}
		d.add(GateResult{ID: "nfw.logging-config", Verdict: FAIL, Location: loc,
			Reason: fmt.Sprintf("unknown destination type %q (expected S3, CloudWatchLogs or KinesisDataFirehose)", typ)})
	}
}
