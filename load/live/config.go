package live

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/networkfirewall"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
)

// adaptiveRetries selects the SDK's adaptive retryer, which also paces a
// throttled client (from 0.5 requests a second up); tests of many
// throttled reads turn it off to stay fast, the retries being the same.
var adaptiveRetries = true

// loadConfig reads the standard credential chain (environment, shared
// config and credentials files, SSO, instance roles), with --profile,
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (read by every client
// built from it), and a bounded adaptive retryer.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
func loadConfig(ctx context.Context, o *Options) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			standard := func(s *retry.StandardOptions) {
				s.MaxAttempts = o.MaxAttempts
				s.MaxBackoff = o.MaxBackoff
				s.Backoff = retry.NewExponentialJitterBackoff(o.MaxBackoff)
				// The adaptive mode slows the client down on
				// throttling; a retry quota on top would turn a
				// throttled audit into failed reads.
				s.RateLimiter = ratelimit.None
			}
			if !adaptiveRetries {
				return retry.NewStandard(standard)
			}
			return retry.NewAdaptiveMode(func(a *retry.AdaptiveModeOptions) {
				a.StandardOptions = append(a.StandardOptions, standard)
			})
		}),
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	if len(o.Regions) > 0 {
		opts = append(opts, config.WithRegion(o.Regions[0]))
	}
	return config.LoadDefaultConfig(ctx, opts...)
}

// limitedClient bounds the requests in flight with one account's
// credentials: AWS throttles per account and API.
type limitedClient struct {
	slots chan struct{}
	inner *http.Client
}

func (c *limitedClient) Do(r *http.Request) (*http.Response, error) {
	select {
	case c.slots <- struct{}{}:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	defer func() { <-c.slots }()
	return c.inner.Do(r)
}

// newTransport is the one HTTP transport of a run, shared by every
// account's client so that connections are reused across accounts: Go's
// default transport (proxy from the environment, dial and TLS time-outs),
// keeping as many idle connections as requests may run at once.
func newTransport(idle int) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = max(idle, tr.MaxIdleConns)
	tr.MaxIdleConnsPerHost = idle
	return tr
}

func newLimitedClient(tr *http.Transport, n int) *limitedClient {
	return &limitedClient{slots: make(chan struct{}, n), inner: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// clients are one account's service clients in one Region. Every read of
// the audit goes through them; the field names are what
// TestEveryCallIsAReadInThePolicy reads to find the service of a call.
type clients struct {
	sts      *sts.Client
	nfw      *networkfirewall.Client
	s3       *s3.Client
	kms      *kms.Client
	logs     *cloudwatchlogs.Client
	firehose *firehose.Client
	cw       *cloudwatch.Client
	ec2      *ec2.Client
	org      *organizations.Client
	iam      *iam.Client
	resolver *route53resolver.Client
	waf      *wafv2.Client
	trails   *cloudtrail.Client
}

func newClients(cfg aws.Config, region string) *clients {
	cfg = cfg.Copy()
	cfg.Region = region
	return &clients{
		sts: sts.NewFromConfig(cfg),
		nfw: networkfirewall.NewFromConfig(cfg),
		s3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			// With an endpoint override (AWS_ENDPOINT_URL,
			// AWS_ENDPOINT_URL_S3, endpoint_url) the bucket goes in the
			// path: virtual-hosted names do not resolve on such
			// endpoints. Option functions run after the base endpoint
			// is resolved. (shared/reference/aws-live-audit.md §4.1)
			if o.BaseEndpoint != nil {
				o.UsePathStyle = true
			}
		}),
		kms:      kms.NewFromConfig(cfg),
		logs:     cloudwatchlogs.NewFromConfig(cfg),
		firehose: firehose.NewFromConfig(cfg),
		cw:       cloudwatch.NewFromConfig(cfg),
		ec2:      ec2.NewFromConfig(cfg),
		org:      organizations.NewFromConfig(cfg),
		iam:      iam.NewFromConfig(cfg),
		resolver: route53resolver.NewFromConfig(cfg),
		waf:      wafv2.NewFromConfig(cfg),
		trails:   cloudtrail.NewFromConfig(cfg),
	}
}
