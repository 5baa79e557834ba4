package live

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

// deliveryMargin widens the S3 listing before the lookback: Network
// Firewall files logs under the hour the traffic happened, and delivers
// them minutes to (sometimes) much later.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-timing.html
const deliveryMargin = time.Hour

func (a *auditor) evidence() *model.Evidence {
	if a.o.Evidence == EvidenceNone {
		return nil
	}
	return &model.Evidence{ObservedAt: a.now, Lookback: a.o.Lookback.String()}
}

// s3Evidence finds the newest object under the exact prefix AWS writes
// the logs to. It lists only, never reads an object: first from the
// lookback on; when nothing is there, the newest folder before it, to tell
// "stopped on <date>" from "never".
func (a *auditor) s3Evidence(ctx context.Context, src source, b *bucketRead, bucket, prefix string) *model.Evidence {
	ev := a.evidence()
	if ev == nil {
		return nil
	}
	base := delivery.NFWObjectPrefix(prefix, src.account.id, src.logType, src.region, src.name)
	ev.Where = "s3://" + bucket + "/" + base
	if b.b == nil {
		ev.Newest = model.Unknown[*time.Time]("bucket %s does not exist", bucket)
		return ev
	}
	cl := b.reader.in(b.regionOr(src.region)).s3
	since := a.now.Add(-a.o.Lookback - deliveryMargin)
	var newest *time.Time
	p := s3.NewListObjectsV2Paginator(cl, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(base),
		StartAfter: aws.String(base + since.UTC().Format("2006/01/02/15"))})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			ev.Newest = model.Unknown[*time.Time]("%s", readFailure("s3:ListBucket", err))
			return ev
		}
		for _, o := range page.Contents {
			if t := aws.ToTime(o.LastModified); newest == nil || t.After(*newest) {
				newest = &t
			}
		}
	}
	if newest == nil {
		var err error
		if newest, err = newestBelow(ctx, cl, bucket, base); err != nil {
			ev.Newest = model.Unknown[*time.Time]("%s", readFailure("s3:ListBucket", err))
			return ev
		}
	}
	ev.Newest = model.Known(newest)
	return ev
}

// newestBelow descends the time folders under base (year, month, day,
// hour: the last common prefix at each level) to the newest object.
func newestBelow(ctx context.Context, cl *s3.Client, bucket, base string) (*time.Time, error) {
	prefix := base
	for range 6 {
		var last string
		var newest *time.Time
		p := s3.NewListObjectsV2Paginator(cl, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/")})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, cp := range page.CommonPrefixes {
				if s := aws.ToString(cp.Prefix); s > last {
					last = s
				}
			}
			for _, o := range page.Contents {
				if t := aws.ToTime(o.LastModified); newest == nil || t.After(*newest) {
					newest = &t
				}
			}
		}
		if last == "" {
			return newest, nil
		}
		prefix = last
	}
	return nil, nil
}

// logsEvidence finds the newest ingestion into the streams Network
// Firewall writes one firewall's logs to. Stream names carry the hour, so
// the newest come first in descending name order.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
func (a *auditor) logsEvidence(ctx context.Context, src source, group string) *model.Evidence {
	ev := a.evidence()
	if ev == nil {
		return nil
	}
	prefix, exact := delivery.NFWLogStreamPrefix(src.logType, src.name)
	ev.Where = "log group " + group + ", streams " + prefix
	if !exact {
		ev.Where += "*"
	}
	out, err := src.account.in(src.region).logs.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group),
		LogStreamNamePrefix: aws.String(prefix), Descending: aws.Bool(true), Limit: aws.Int32(50)})
	if err != nil {
		ev.Newest = model.Unknown[*time.Time]("%s", readFailure("logs:DescribeLogStreams", err))
		return ev
	}
	var newest *time.Time
	for _, st := range out.LogStreams {
		if exact && aws.ToString(st.LogStreamName) != prefix {
			continue
		}
		if ms := aws.ToInt64(st.LastIngestionTime); ms > 0 {
			if t := time.UnixMilli(ms).UTC(); newest == nil || t.After(*newest) {
				newest = &t
			}
		}
	}
	ev.Newest = model.Known(newest)
	return ev
}

// firehoseEvidence is what Firehose reports: its own failures. It keeps no
// record per source of what arrived.
func (a *auditor) firehoseEvidence(src source, st *streamRead) *model.Evidence {
	ev := a.evidence()
	if ev == nil {
		return nil
	}
	ev.Newest = model.Unknown[*time.Time]("Firehose shows no delivery per source; only the stream's own status is read")
	if st != nil && st.s != nil {
		ev.Failure = st.failure
		ev.Where = "delivery stream " + st.s.Name.Or("")
	}
	return ev
}

// metricBatch is how many SEARCH expressions go in one GetMetricData call.
// AWS documents up to 500 queries a call; a lower limit for SEARCH
// expressions is remembered but not confirmed [unsure], so logpath stays
// under it.
const metricBatch = 5

// firewallTraffic reads each firewall's ReceivedPackets over the lookback
// (CloudWatch GetMetricData, billed per metric), so that an empty FLOW
// destination can be told apart from an idle firewall. SEARCH finds the
// metric whatever its other dimensions (AvailabilityZone, Engine).
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html
func (a *auditor) firewallTraffic(ctx context.Context, ac *account, region string, fws []*model.Firewall) {
	period := int(a.o.Lookback / time.Second)
	for start := 0; start < len(fws); start += metricBatch {
		batch := fws[start:min(start+metricBatch, len(fws))]
		var queries []cwtypes.MetricDataQuery
		for i, fw := range batch {
			expr := fmt.Sprintf(`SEARCH('{AWS/NetworkFirewall} MetricName="ReceivedPackets" FirewallName="%s"', 'Sum', %d)`, fw.Name.Or(""), period)
			queries = append(queries, cwtypes.MetricDataQuery{Id: aws.String(fmt.Sprintf("fw%d", i)), Expression: aws.String(expr), ReturnData: aws.Bool(true)})
		}
		sums := map[string]float64{}
		var fail string
		p := cloudwatch.NewGetMetricDataPaginator(ac.in(region).cw, &cloudwatch.GetMetricDataInput{MetricDataQueries: queries,
			StartTime: aws.Time(a.now.Add(-a.o.Lookback)), EndTime: aws.Time(a.now)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				fail = readFailure("cloudwatch:GetMetricData", err)
				break
			}
			for _, r := range page.MetricDataResults {
				for _, v := range r.Values {
					sums[aws.ToString(r.Id)] += v
				}
			}
		}
		for i, fw := range batch {
			traffic := model.Known(sums[fmt.Sprintf("fw%d", i)])
			if fail != "" {
				traffic = model.Unknown[float64]("%s", fail)
			}
			if fw.Logging == nil {
				continue
			}
			for j := range fw.Logging.Destinations {
				if ev := fw.Logging.Destinations[j].Evidence; ev != nil {
					ev.Traffic = traffic
				}
			}
		}
	}
}
