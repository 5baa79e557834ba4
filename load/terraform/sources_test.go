package terraform

import (
	"errors"
	"testing"

	"github.com/logpath/logpath/delivery"
)

// Route 53 Resolver query logs and WAF in a plan: the seed's failure for
// Resolver (an SSE-KMS bucket whose new key has only the root statement),
// a configuration no VPC is associated with (WARN), a WAF web ACL logging
// to an existing aws-waf-logs- log group (OK) and one logging to a stream
// named otherwise (FAIL). The configuration's references link what is
// known only after apply.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs.html
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html
func TestResolverAndWAFPlan(t *testing.T) {
	m := load(t, "resolver-waf.json", Options{Account: acct})
	if len(m.ResolverQueryLogConfigs) != 2 || len(m.ResolverQueryLogAssociations) != 1 || len(m.WebACLs) != 1 || len(m.WAFLoggingConfigurations) != 2 {
		t.Fatalf("%d configs, %d associations, %d web ACLs, %d logging configurations", len(m.ResolverQueryLogConfigs),
			len(m.ResolverQueryLogAssociations), len(m.WebACLs), len(m.WAFLoggingConfigurations))
	}
	as := m.ResolverQueryLogAssociations[0]
	unknown(t, "the association's configuration ID", as.ConfigID, "known only after apply")
	if as.ConfigRef != "aws_route53_resolver_query_log_config.vpc" || known(t, "VPC", as.VPCID) != "vpc-0a1b2c3d4e5f60789" {
		t.Errorf("association: %+v", as)
	}
	for _, c := range m.ResolverQueryLogConfigs {
		if c.ID == "aws_route53_resolver_query_log_config.unassociated" {
			unknown(t, "destination_arn", c.DestinationARN, "known only after apply")
			if c.DestinationRef != "aws_cloudwatch_log_group.waf" {
				t.Errorf("destination ref %q", c.DestinationRef)
			}
		}
	}
	want := map[string]struct {
		verdict delivery.Verdict
		gate    string
	}{
		"vpc-dns-queries": {delivery.FAIL, "kms.key-policy"},
		"lab-dns-queries": {delivery.WARN, "resolver.query-log-config"},
		"edge-acl":        {delivery.OK, ""},
		"api-acl":         {delivery.FAIL, "waf.destination"},
	}
	ds := delivery.Analyze(m)
	if len(ds) != len(want) {
		t.Fatalf("%d deliveries, want %d", len(ds), len(want))
	}
	for i := range ds {
		d := &ds[i]
		w, ok := want[d.Source.Name]
		if !ok {
			t.Errorf("unexpected delivery of %s", d.Source.Name)
			continue
		}
		if d.Verdict != w.verdict {
			t.Errorf("%s: %v, want %v: %+v", d.Source.Name, d.Verdict, w.verdict, d.Gates)
		}
		if w.gate != "" {
			if g := gate(t, d, w.gate); g.Verdict != w.verdict {
				t.Errorf("%s: %s is %v: %s", d.Source.Name, w.gate, g.Verdict, g.Reason)
			}
		}
	}
}

// A log destination that is not a string is an error at its JSON path.
func TestWAFLoggingBadShape(t *testing.T) {
	src := `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_wafv2_web_acl_logging_configuration.l","mode":"managed","type":"aws_wafv2_web_acl_logging_configuration","name":"l","values":{"resource_arn":"x","log_destination_configs":[7]}}]}}}`
	_, err := Load("bad.json", []byte(src), Options{})
	var e *Error
	if !errors.As(err, &e) || e.Path != "$.planned_values.root_module.resources[0].values.log_destination_configs[0]" {
		t.Fatalf("got %v, want an error at log_destination_configs[0]", err)
	}
}
