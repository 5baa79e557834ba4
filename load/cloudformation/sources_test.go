package cloudformation

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
)

// The Route 53 Resolver and WAF examples: broken fails at the seed's gate
// (and WAF's second web ACL at its log group's name), fixed is OK.
// https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-query-logs.html
// https://docs.aws.amazon.com/waf/latest/developerguide/logging.html
func TestSourceExamples(t *testing.T) {
	tests := []struct {
		file  string
		want  []delivery.Verdict
		gates []string // the FAIL gate of each delivery, "" for none
	}{
		{"route53-resolver-query-logs/cloudformation/broken.yaml", []delivery.Verdict{delivery.FAIL}, []string{"kms.key-policy"}},
		{"route53-resolver-query-logs/cloudformation/fixed.yaml", []delivery.Verdict{delivery.OK}, []string{""}},
		{"waf-logs/cloudformation/broken.yaml", []delivery.Verdict{delivery.FAIL, delivery.FAIL}, []string{"kms.key-policy", "waf.destination"}},
		{"waf-logs/cloudformation/fixed.yaml", []delivery.Verdict{delivery.OK, delivery.OK}, []string{"", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ds := delivery.Analyze(loadFile(t, filepath.Join("..", "..", "examples", tt.file), seedOpts))
			if len(ds) != len(tt.want) {
				t.Fatalf("%d deliveries, want %d", len(ds), len(tt.want))
			}
			for i, d := range ds {
				if d.Verdict != tt.want[i] {
					t.Errorf("%s: verdict %v, want %v", d.Source.Name, d.Verdict, tt.want[i])
				}
				for _, g := range d.Gates {
					if g.Verdict == delivery.FAIL && g.ID != tt.gates[i] {
						t.Errorf("%s: %s FAIL: %s", d.Source.Name, g.ID, g.Reason)
					}
					if g.Verdict == delivery.FAIL && (g.Location.File == "" || g.Location.Line == 0) {
						t.Errorf("%s: %s has no location", d.Source.Name, g.ID)
					}
				}
			}
		})
	}
}

// What the resources say, linked by reference; what a template cannot
// know is unknown with the reason.
func TestResolverAndWAFResources(t *testing.T) {
	src := `Parameters:
  Destination:
    Type: String
  Destinations:
    Type: CommaDelimitedList
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: aws-waf-logs-edge}
  QueryLogs:
    Type: AWS::Route53Resolver::ResolverQueryLoggingConfig
    Properties: {Name: dns, DestinationArn: !GetAtt Logs.Arn}
  ToParam:
    Type: AWS::Route53Resolver::ResolverQueryLoggingConfig
    Properties: {Name: dns-param, DestinationArn: !Ref Destination}
  Assoc:
    Type: AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation
    Properties: {ResolverQueryLogConfigId: !GetAtt QueryLogs.Id, ResourceId: vpc-0123}
  ACL:
    Type: AWS::WAFv2::WebACL
    Properties: {Name: edge, Scope: CLOUDFRONT}
  ACLLogging:
    Type: AWS::WAFv2::LoggingConfiguration
    Properties:
      ResourceArn: !GetAtt ACL.Arn
      LogDestinationConfigs: [!GetAtt Logs.Arn]
  OtherLogging:
    Type: AWS::WAFv2::LoggingConfiguration
    Properties:
      ResourceArn: arn:aws:wafv2:eu-west-1:444455556666:regional/webacl/other/0123
      LogDestinationConfigs: !Ref Destinations
`
	m, err := Load("t.yaml", []byte(src), Options{Account: "111122223333", Region: "us-east-1", Params: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.ResolverQueryLogConfigs) != 2 || len(m.ResolverQueryLogAssociations) != 1 || len(m.WebACLs) != 1 || len(m.WAFLoggingConfigurations) != 2 {
		t.Fatalf("model: %d configs, %d associations, %d web ACLs, %d logging configurations", len(m.ResolverQueryLogConfigs),
			len(m.ResolverQueryLogAssociations), len(m.WebACLs), len(m.WAFLoggingConfigurations))
	}
	c := m.ResolverQueryLogConfigs[0]
	if c.DestinationARN.Or("") != "arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-edge:*" || c.DestinationRef != "Logs" || c.Line != 11 {
		t.Errorf("config: %+v", c)
	}
	if p := m.ResolverQueryLogConfigs[1].DestinationARN; p.Known() || !strings.Contains(p.Reason(), "parameter Destination has no default") {
		t.Errorf("destination from a parameter: %+v", p)
	}
	if a := m.ResolverQueryLogAssociations[0]; a.ConfigRef != "QueryLogs" || a.ConfigID.Known() || a.VPCID.Or("") != "vpc-0123" {
		t.Errorf("association: %+v", a)
	}
	if w := m.WebACLs[0]; w.Scope.Or("") != "CLOUDFRONT" || w.Name.Or("") != "edge" || w.ARN.Known() {
		t.Errorf("web ACL: %+v", w)
	}
	lc := m.WAFLoggingConfigurations[0]
	if lc.WebACLRef != "ACL" || len(lc.Destinations) != 1 || lc.Destinations[0].Ref != "Logs" {
		t.Errorf("logging configuration: %+v", lc)
	}
	if other := m.WAFLoggingConfigurations[1]; other.Unknown == "" || other.WebACLARN.Or("") == "" {
		t.Errorf("logging configuration to a parameter: %+v", other)
	}
	ds := delivery.Analyze(m)
	if len(ds) != 4 {
		t.Fatalf("%d deliveries, want 4", len(ds))
	}
	// The CloudFront web ACL logs from us-east-1, where its log group is.
	for _, d := range ds {
		if d.Source.Name == "edge" && d.Verdict != delivery.OK {
			t.Errorf("edge: %v %+v", d.Verdict, d.Gates)
		}
		if d.Source.Name == "other" && d.Verdict != delivery.UNKNOWN {
			t.Errorf("other: %v, want UNKNOWN", d.Verdict)
		}
	}
}

func TestWAFLoggingBadShape(t *testing.T) {
	src := "Resources:\n  L:\n    Type: AWS::WAFv2::LoggingConfiguration\n    Properties:\n      ResourceArn: x\n      LogDestinationConfigs: {a: b}\n"
	_, err := Load("bad.yaml", []byte(src), seedOpts)
	var e *Error
	if !errors.As(err, &e) || e.Line != 6 || !strings.Contains(e.Msg, "LogDestinationConfigs") {
		t.Fatalf("got %v, want an error at line 6 about LogDestinationConfigs", err)
	}
}
