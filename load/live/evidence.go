package live

import (
	"context"
	"errors"
	"fmt"
	"sort"
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
	ev.Newest = a.s3Newest(ctx, b, src.region, bucket, base, "2006/01/02/15", nil)
	return ev
}

// s3SearchBudget bounds the listings that look for the newest log before
// the lookback.
const s3SearchBudget = 24

// s3Newest finds the newest object under base whose key match accepts
// (nil: any), listing from the time folder of the lookback's start
// (dateFolder, a Go time layout such as 2006/01/02/15) on; when none is
// there, the newest before it. The listing from the lookback on is read
// once per run and shared by every source that writes under base.
func (a *auditor) s3Newest(ctx context.Context, b *bucketRead, srcRegion, bucket, base, dateFolder string, match func(key string) bool) model.Value[*time.Time] {
	if b.b == nil {
		return model.Unknown[*time.Time]("bucket %s does not exist", bucket)
	}
	cl := b.reader.in(b.regionOr(srcRegion)).s3
	since := a.now.Add(-a.o.Lookback - deliveryMargin)
	startAfter := base + since.UTC().Format(dateFolder)
	type listing struct {
		objects []s3Object
		err     error
	}
	recent := cached(&a.cache, "s3-recent:"+bucket+"/"+startAfter, func() listing {
		var l listing
		p := s3.NewListObjectsV2Paginator(cl, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(base), StartAfter: aws.String(startAfter)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return listing{err: err}
			}
			for _, o := range page.Contents {
				l.objects = append(l.objects, s3Object{aws.ToString(o.Key), aws.ToTime(o.LastModified)})
			}
		}
		return l
	})
	if recent.err != nil {
		return model.Unknown[*time.Time]("%s", readFailure("s3:ListBucket", recent.err))
	}
	var newest *time.Time
	for _, o := range recent.objects {
		if match != nil && !match(o.key) {
			continue
		}
		if t := o.modified; newest == nil || t.After(*newest) {
			newest = &t
		}
	}
	if newest != nil {
		return model.Known(newest)
	}
	budget := s3SearchBudget
	newest, err := newestBelow(ctx, cl, bucket, base, match, &budget)
	switch {
	case err == errSearchBudget:
		return model.Unknown[*time.Time]("no log within the lookback; the search for an older one stopped after %d listings of s3://%s/%s", s3SearchBudget, bucket, base)
	case err != nil:
		return model.Unknown[*time.Time]("%s", readFailure("s3:ListBucket", err))
	}
	return model.Known(newest)
}

type s3Object struct {
	key      string
	modified time.Time
}

var errSearchBudget = errors.New("search budget spent")

// newestBelow descends the time folders under prefix (year, month, day,
// hour, ...), newest first, to the newest object that match accepts.
func newestBelow(ctx context.Context, cl *s3.Client, bucket, prefix string, match func(string) bool, budget *int) (*time.Time, error) {
	if *budget <= 0 {
		return nil, errSearchBudget
	}
	*budget--
	var folders []string
	var newest *time.Time
	p := s3.NewListObjectsV2Paginator(cl, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix), Delimiter: aws.String("/")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, cp := range page.CommonPrefixes {
			folders = append(folders, aws.ToString(cp.Prefix))
		}
		for _, o := range page.Contents {
			if match != nil && !match(aws.ToString(o.Key)) {
				continue
			}
			if t := aws.ToTime(o.LastModified); newest == nil || t.After(*newest) {
				newest = &t
			}
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(folders)))
	for _, f := range folders {
		t, err := newestBelow(ctx, cl, bucket, f, match, budget)
		if err != nil {
			return nil, err
		}
		if t != nil {
			if newest == nil || t.After(*newest) {
				newest = t
			}
			return newest, nil
		}
	}
	return newest, nil
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
