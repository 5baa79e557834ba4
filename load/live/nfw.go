package live

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/networkfirewall"
	nfwtypes "github.com/aws/aws-sdk-go-v2/service/networkfirewall/types"

	"github.com/logpath/logpath/internal/crash"
	"github.com/logpath/logpath/model"
)

// readNetworkFirewall reads the Network Firewall firewalls of one account
// in one Region: their logging configurations (the only description of an
// NFW delivery, reference §1.1), each destination, and the evidence.
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_DescribeLoggingConfiguration.html
func (a *auditor) readNetworkFirewall(ctx context.Context, ac *account, region string) {
	cl := ac.in(region)
	var metas []nfwtypes.FirewallMetadata
	p := networkfirewall.NewListFirewallsPaginator(cl.nfw, &networkfirewall.ListFirewallsInput{MaxResults: aws.Int32(100)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			a.gap(&model.Gap{Account: ac.id, Region: region, Source: "network-firewall", Reason: "the firewalls cannot be listed: " + readFailure("network-firewall:ListFirewalls", err)})
			return
		}
		metas = append(metas, out.Firewalls...)
	}
	fws := make([]*model.Firewall, len(metas))
	var wg sync.WaitGroup
	for i, fm := range metas {
		wg.Add(1)
		go func() {
			defer crash.Guard()
			defer wg.Done()
			fws[i] = a.firewall(ctx, ac, region, fm)
		}()
	}
	wg.Wait()
	if a.o.Evidence == EvidenceMetrics {
		a.firewallTraffic(ctx, ac, region, fws)
	}
	a.add(func(m *model.Model) { m.Firewalls = append(m.Firewalls, fws...) })
}

func (a *auditor) firewall(ctx context.Context, ac *account, region string, fm nfwtypes.FirewallMetadata) *model.Firewall {
	name, arn := aws.ToString(fm.FirewallName), aws.ToString(fm.FirewallArn)
	fw := &model.Firewall{Origin: model.Origin{ID: arn}, Name: model.Known(name), ARN: model.Known(arn),
		Account: model.Known(ac.id), Region: model.Known(region)}
	out, err := ac.in(region).nfw.DescribeLoggingConfiguration(ctx, &networkfirewall.DescribeLoggingConfigurationInput{FirewallArn: fm.FirewallArn})
	if err != nil {
		fw.Logging = &model.LoggingConfiguration{Origin: fw.Origin, Destinations: []model.LogDestination{},
			Unknown: readFailure("network-firewall:DescribeLoggingConfiguration", err)}
		return fw
	}
	if out.LoggingConfiguration == nil || len(out.LoggingConfiguration.LogDestinationConfigs) == 0 {
		return fw // no logging: no delivery to check
	}
	fw.Logging = &model.LoggingConfiguration{Origin: fw.Origin}
	for _, c := range out.LoggingConfiguration.LogDestinationConfigs {
		d := model.LogDestination{Origin: fw.Origin, LogType: model.Known(string(c.LogType)), Type: model.Known(string(c.LogDestinationType))}
		src := source{account: ac, region: region, name: name, logType: string(c.LogType)}
		switch c.LogDestinationType {
		case nfwtypes.LogDestinationTypeS3:
			bucket := c.LogDestination["bucketName"]
			d.BucketName, d.Prefix = model.Known(bucket), model.Known(c.LogDestination["prefix"])
			b := a.bucket(ctx, ac, region, bucket)
			d.Evidence = a.s3Evidence(ctx, src, b, bucket, c.LogDestination["prefix"])
		case nfwtypes.LogDestinationTypeCloudwatchLogs:
			group := c.LogDestination["logGroup"]
			d.LogGroup = model.Known(group)
			a.logGroup(ctx, ac, region, group)
			d.Evidence = a.logsEvidence(ctx, src, group)
		case nfwtypes.LogDestinationTypeKinesisDataFirehose:
			stream := c.LogDestination["deliveryStream"]
			d.DeliveryStream = model.Known(stream)
			st := a.deliveryStream(ctx, ac, region, stream)
			d.Evidence = a.firehoseEvidence(src, st)
		}
		fw.Logging.Destinations = append(fw.Logging.Destinations, d)
	}
	return fw
}

// source is one log type of one source, as the evidence readers see it.
type source struct {
	account *account
	region  string
	name    string
	logType string
}
