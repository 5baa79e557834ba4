package live

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/wafv2"
	waftypes "github.com/aws/aws-sdk-go-v2/service/wafv2/types"

	"github.com/logpath/logpath/model"
)

// readWAF reads the AWS WAF web ACLs of one account in one Region (and,
// in us-east-1, the CLOUDFRONT ones, which live there), their logging
// configurations, each destination and the newest delivered log. WAF
// reports no delivery status of its own (reference §3.1).
// https://docs.aws.amazon.com/waf/latest/APIReference/API_ListLoggingConfigurations.html
func (a *auditor) readWAF(ctx context.Context, ac *account, region string) {
	scopes := []waftypes.Scope{waftypes.ScopeRegional}
	if region == "us-east-1" {
		scopes = append(scopes, waftypes.ScopeCloudfront)
	}
	for _, scope := range scopes {
		a.readWAFScope(ctx, ac, region, scope)
	}
}

func (a *auditor) readWAFScope(ctx context.Context, ac *account, region string, scope waftypes.Scope) {
	cl := ac.in(region).waf
	var acls []waftypes.WebACLSummary
	// ListWebACLs and ListLoggingConfigurations have no paginator.
	for marker := (*string)(nil); ; {
		out, err := cl.ListWebACLs(ctx, &wafv2.ListWebACLsInput{Scope: scope, NextMarker: marker, Limit: aws.Int32(100)})
		if err != nil {
			a.gap(&model.Gap{Account: ac.id, Region: region, Source: "waf",
				Reason: "the " + string(scope) + " web ACLs cannot be listed: " + listFailure("wafv2:ListWebACLs", region, err)})
			return
		}
		acls = append(acls, out.WebACLs...)
		if marker = out.NextMarker; aws.ToString(marker) == "" || len(out.WebACLs) == 0 {
			break
		}
	}
	if len(acls) == 0 {
		return
	}
	configs := map[string]*waftypes.LoggingConfiguration{}
	var configsErr string
	for marker := (*string)(nil); ; {
		out, err := cl.ListLoggingConfigurations(ctx, &wafv2.ListLoggingConfigurationsInput{Scope: scope, NextMarker: marker, Limit: aws.Int32(100)})
		if err != nil {
			configsErr = readFailure("wafv2:ListLoggingConfigurations", err)
			break
		}
		for i := range out.LoggingConfigurations {
			configs[aws.ToString(out.LoggingConfigurations[i].ResourceArn)] = &out.LoggingConfigurations[i]
		}
		if marker = out.NextMarker; aws.ToString(marker) == "" || len(out.LoggingConfigurations) == 0 {
			break
		}
	}
	var webACLs []*model.WebACL
	var logging []*model.WAFLoggingConfiguration
	for _, s := range acls {
		arn, name := aws.ToString(s.ARN), aws.ToString(s.Name)
		webACLs = append(webACLs, &model.WebACL{Origin: model.Origin{ID: arn}, Name: model.Known(name), ARN: model.Known(arn),
			Account: model.Known(ac.id), Region: model.Known(region), Scope: model.Known(string(scope))})
		lc := &model.WAFLoggingConfiguration{Origin: model.Origin{ID: arn + "/logging-configuration"}, WebACLARN: model.Known(arn), Destinations: []model.WAFLogDestination{}}
		c := configs[arn]
		switch {
		case configsErr != "":
			lc.Unknown = configsErr
		case c == nil:
			continue // no logging: no delivery to check
		}
		if c != nil {
			for _, destARN := range c.LogDestinationConfigs {
				d := a.readDestination(ctx, ac, region, destARN)
				lc.Destinations = append(lc.Destinations, model.WAFLogDestination{ARN: model.Known(destARN),
					Evidence: a.destinationEvidence(ctx, d, region, "", wafLayout(ac.id, region, name, scope))})
			}
		}
		logging = append(logging, lc)
	}
	a.add(func(m *model.Model) {
		m.WebACLs = append(m.WebACLs, webACLs...)
		m.WAFLoggingConfigurations = append(m.WAFLoggingConfigurations, logging...)
	})
}

// wafLayout is where WAF writes a web ACL's logs: S3 objects under
// AWSLogs/<account>/WAFLogs/<Region>/<web-acl-name>/<yyyy>/<MM>/<dd>/<HH>/<mm>/,
// and log streams <Region>_<web-acl-name>_<n>; a CLOUDFRONT web ACL writes
// "cloudfront" in place of the Region, as public log parsers show it [3P,
// as in delivery/source_waf.go].
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
func wafLayout(account, region, name string, scope waftypes.Scope) layout {
	where := region
	if scope == waftypes.ScopeCloudfront {
		where = "cloudfront"
	}
	return layout{s3Folders: []string{"AWSLogs/" + account + "/WAFLogs/" + where + "/" + name + "/"}, dateFolder: "2006/01/02/15",
		streamPrefix: where + "_" + name + "_"}
}
