package live

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/logpath/logpath/model"
)

// destination is a destination a source names by ARN (VPC Flow Logs,
// Route 53 Resolver, WAF), read once per run like every destination.
type destination struct {
	// typ is model.DestS3, model.DestLogs or model.DestFirehose; "" when
	// the ARN names none of them (the delivery gates say why).
	typ string
	// S3: the bucket and the folder after it in the ARN.
	bucket, prefix string
	b              *bucketRead
	// CloudWatch Logs and Firehose: the name, and the account and Region
	// the ARN names; reader reads it (nil: no audited account can).
	name            string
	account, region string
	reader          *account
	stream          *streamRead
}

// readDestination reads the bucket (arn:aws:s3:::bucket[/folder]), log
// group (arn:aws:logs:region:account:log-group:name[:*]) or Firehose
// stream (arn:aws:firehose:region:account:deliverystream/name) an ARN
// names. A log group or stream in another account is read with that
// account's role when it is audited; otherwise it stays out of the model
// and the delivery gates say it is not known.
func (a *auditor) readDestination(ctx context.Context, ac *account, region, arn string) destination {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return destination{}
	}
	d := destination{account: parts[4], region: parts[3]}
	if d.account == "" {
		d.account = ac.id
	}
	if d.region == "" {
		d.region = region
	}
	d.reader = ac
	if d.account != ac.id {
		d.reader = a.readable(d.account)
	}
	switch {
	case parts[2] == "s3":
		d.typ = model.DestS3
		d.bucket, d.prefix, _ = strings.Cut(parts[5], "/")
		d.b = a.bucket(ctx, ac, region, d.bucket)
	case parts[2] == "logs" && strings.HasPrefix(parts[5], "log-group:"):
		d.typ = model.DestLogs
		d.name = strings.TrimSuffix(strings.TrimPrefix(parts[5], "log-group:"), ":*")
		if d.reader != nil {
			a.logGroup(ctx, d.reader, d.region, d.name)
		}
	case parts[2] == "firehose" && strings.HasPrefix(parts[5], "deliverystream/"):
		d.typ = model.DestFirehose
		d.name = strings.TrimPrefix(parts[5], "deliverystream/")
		if d.reader != nil {
			d.stream = a.deliveryStream(ctx, d.reader, d.region, d.name)
		}
	}
	return d
}

// logsNewest finds the newest ingestion into a log group's streams whose
// names start with prefix; with no prefix (sources whose stream names AWS
// does not tie to the source), into any stream of the group, the streams
// with the latest events first. Read once per run for a group and prefix.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
func (a *auditor) logsNewest(ctx context.Context, d destination, prefix string) model.Value[*time.Time] {
	if d.reader == nil {
		return model.Unknown[*time.Time]("log group %s is in account %s, which is not audited; %s", d.name, d.account, a.settleWith(d.account))
	}
	return cached(&a.cache, "logs-newest:"+d.account+"/"+d.region+"/"+d.name+"\x00"+prefix, func() model.Value[*time.Time] {
		in := &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(d.name), Descending: aws.Bool(true), Limit: aws.Int32(50)}
		if prefix != "" {
			in.LogStreamNamePrefix = aws.String(prefix)
		} else {
			in.OrderBy = logstypes.OrderByLastEventTime
		}
		out, err := d.reader.in(d.region).logs.DescribeLogStreams(ctx, in)
		switch {
		case isCode(err, "ResourceNotFoundException"):
			return model.Unknown[*time.Time]("log group %s does not exist", d.name)
		case err != nil:
			return model.Unknown[*time.Time]("%s", readFailure("logs:DescribeLogStreams", err))
		}
		var newest *time.Time
		for _, st := range out.LogStreams {
			if ms := aws.ToInt64(st.LastIngestionTime); ms > 0 {
				if t := time.UnixMilli(ms).UTC(); newest == nil || t.After(*newest) {
					newest = &t
				}
			}
		}
		return model.Known(newest)
	})
}

// layout is where a source's logs land in each type of destination.
type layout struct {
	// s3Folders are the folders (after the bucket's own folder) the
	// source's files are written under; dateFolder is the layout of the
	// time folders below them (a Go time layout: 2006/01/02), and match,
	// when set, picks the source's files among others in those folders.
	s3Folders  []string
	dateFolder string
	match      func(key string) bool
	// noFolder says why s3Folders is empty.
	noFolder string
	// streamPrefix starts the names of the source's log streams; "" when
	// AWS does not tie stream names to the source.
	streamPrefix string
}

// destinationEvidence is the evidence of a delivery to a destination named
// by ARN, with failure the status the source's service reports: the
// newest object under the source's S3 folders, the newest ingestion into
// its log streams, or what Firehose reports.
func (a *auditor) destinationEvidence(ctx context.Context, d destination, srcRegion, failure string, l layout) *model.Evidence {
	ev := a.evidence()
	if ev == nil {
		return nil
	}
	var parts []string
	if failure != "" {
		parts = append(parts, failure)
	}
	switch d.typ {
	case model.DestS3:
		ev.Newest = a.s3NewestOf(ctx, d, srcRegion, l)
		var where []string
		for _, f := range l.s3Folders {
			where = append(where, "s3://"+d.bucket+"/"+underPrefix(d.prefix, f))
		}
		ev.Where = strings.Join(where, ", ")
	case model.DestLogs:
		ev.Where = "log group " + d.name
		if l.streamPrefix != "" {
			ev.Where += ", streams " + l.streamPrefix + "*"
		} else {
			ev.Where += ", every stream"
		}
		ev.Newest = a.logsNewest(ctx, d, l.streamPrefix)
	case model.DestFirehose:
		ev.Newest = model.Unknown[*time.Time]("Firehose shows no delivery per source; only the stream's own status is read")
		if d.stream != nil && d.stream.s != nil {
			ev.Where = "delivery stream " + d.name
			if d.stream.failure != "" {
				parts = append(parts, d.stream.failure)
			}
		}
	default:
		ev.Newest = model.Unknown[*time.Time]("the destination ARN names no bucket, log group or delivery stream")
	}
	ev.Failure = strings.Join(parts, "; ")
	return ev
}

// s3NewestOf is the newest of the source's files in all its folders;
// unknown when one folder cannot be read.
func (a *auditor) s3NewestOf(ctx context.Context, d destination, srcRegion string, l layout) model.Value[*time.Time] {
	if len(l.s3Folders) == 0 {
		return model.Unknown[*time.Time]("%s", l.noFolder)
	}
	var newest *time.Time
	for _, f := range l.s3Folders {
		v := a.s3Newest(ctx, d.b, srcRegion, d.bucket, underPrefix(d.prefix, f), l.dateFolder, l.match)
		t, ok := v.Get()
		if !ok {
			return v
		}
		if t != nil && (newest == nil || t.After(*newest)) {
			newest = t
		}
	}
	return model.Known(newest)
}

// underPrefix puts a key under an optional folder; a folder that starts
// with "/" gives a double slash, as AWS writes it.
func underPrefix(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return strings.TrimSuffix(prefix, "/") + "/" + key
}
