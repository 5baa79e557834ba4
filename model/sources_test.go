package model

import (
	"errors"
	"strings"
	"testing"
)

// The Route 53 Resolver and WAF resources keep their references within
// their input (every reference field ends in Ref).
func TestIsolateResolverAndWAF(t *testing.T) {
	part := func(file string) *Model {
		return &Model{
			Buckets:                      []*Bucket{{Origin: Origin{File: file, ID: "LogBucket"}}},
			ResolverQueryLogConfigs:      []*ResolverQueryLogConfig{{Origin: Origin{File: file, ID: "QueryLogs"}, DestinationRef: "LogBucket"}},
			ResolverQueryLogAssociations: []*ResolverQueryLogAssociation{{ConfigRef: "QueryLogs"}},
			WebACLs:                      []*WebACL{{Origin: Origin{File: file, ID: "WebACL"}}},
			WAFLoggingConfigurations: []*WAFLoggingConfiguration{{WebACLRef: "WebACL",
				Destinations: []WAFLogDestination{{Ref: "LogBucket"}}}},
		}
	}
	m := &Model{}
	for _, file := range []string{"a.yaml", "b.yaml"} {
		p := part(file)
		p.Isolate(file)
		m.Merge(p)
	}
	for i, file := range []string{"a.yaml", "b.yaml"} {
		bucket := m.Buckets[i].RefKey()
		if got := m.ResolverQueryLogConfigs[i].DestinationRef; got != bucket {
			t.Errorf("%s: resolver destination ref %q, want %q", file, got, bucket)
		}
		if got, want := m.ResolverQueryLogAssociations[i].ConfigRef, m.ResolverQueryLogConfigs[i].RefKey(); got != want {
			t.Errorf("%s: association ref %q, want %q", file, got, want)
		}
		if got, want := m.WAFLoggingConfigurations[i].WebACLRef, m.WebACLs[i].RefKey(); got != want {
			t.Errorf("%s: web ACL ref %q, want %q", file, got, want)
		}
		if got := m.WAFLoggingConfigurations[i].Destinations[0].Ref; got != bucket {
			t.Errorf("%s: WAF destination ref %q, want %q", file, got, bucket)
		}
	}
	if m.Buckets[0].RefKey() == m.Buckets[1].RefKey() {
		t.Error("both buckets have one reference key")
	}
}

// A snapshot describes the new sources, with unknown values and origins.
// docs/snapshot.md
func TestSnapshotResolverAndWAF(t *testing.T) {
	src := `{
  "version": 1,
  "resolverQueryLogConfigs": [
    {"id": "QueryLogs", "name": "dns", "account": "111122223333", "region": "eu-west-1",
     "destinationArn": {"unknown": "from a parameter"}, "destinationRef": "LogBucket"}
  ],
  "resolverQueryLogAssociations": [{"configRef": "QueryLogs", "resolverQueryLogConfigId": {"unknown": "generated"}, "resourceId": "vpc-0123"}],
  "webAcls": [{"id": "WebACL", "name": "edge", "account": "111122223333", "region": "us-east-1", "scope": "CLOUDFRONT"}],
  "wafLoggingConfigurations": [
    {"webAclRef": "WebACL", "resourceArn": {"unknown": "generated"},
     "logDestinationConfigs": [{"arn": "arn:aws:s3:::aws-waf-logs-edge"}]}
  ]
}`
	m, err := ReadSnapshot("s.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := m.ResolverQueryLogConfigs[0]
	if c.DestinationARN.Known() || c.DestinationARN.Reason() != "from a parameter" || c.DestinationRef != "LogBucket" {
		t.Errorf("config %+v", c)
	}
	if c.File != "s.json" || c.Line != 4 {
		t.Errorf("config origin %s:%d, want s.json:4", c.File, c.Line)
	}
	if got := m.ResolverQueryLogAssociations[0].VPCID.Or(""); got != "vpc-0123" {
		t.Errorf("association VPC %q", got)
	}
	if m.WebACLs[0].Scope.Or("") != WAFScopeCloudFront || m.WebACLs[0].Line != 8 {
		t.Errorf("web ACL %+v", m.WebACLs[0])
	}
	lc := m.WAFLoggingConfigurations[0]
	if len(lc.Destinations) != 1 || lc.Destinations[0].ARN.Or("") != "arn:aws:s3:::aws-waf-logs-edge" || lc.Line != 10 {
		t.Errorf("logging configuration %+v", lc)
	}
	// A misspelt field is an error with its line.
	_, err = ReadSnapshot("s.json", []byte(`{"version": 1, "webAcls": [{"scop": "REGIONAL"}]}`))
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Msg, `"scop"`) || ie.Path != "$.webAcls[0]" {
		t.Errorf("got %v, want an unknown-field error at $.webAcls[0]", err)
	}
}
