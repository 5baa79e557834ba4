package delivery

import (
	"fmt"
	"strings"
	"testing"

	"github.com/logpath/logpath/model"
)

// Scenarios for the sources beyond Network Firewall: Route 53 Resolver
// query logs and AWS WAF. Each names the section of
// shared/reference/aws-log-delivery.md it rests on (§6 lists both
// sources); the comments give the AWS pages.

const (
	resolverVPCID = "vpc-0a1b2c3d4e5f60789"
	resolverARN   = "arn:aws:route53resolver:" + region + ":" + acct + ":resolver-query-log-config/rslvr-qlc-0123456789abcdef"
	wafBucket     = "aws-waf-logs-amzn-s3-demo"
	wafACL        = "edge-acl"
	wafGroup      = "aws-waf-logs-edge"
	wafStream     = "aws-waf-logs-edge-stream"
)

// resolverModel is the seed's bucket and key (SSE-KMS, root-only key
// policy) receiving the query logs of one VPC under the prefix "dns/",
// plus changes.
func resolverModel(changes ...func(m *model.Model)) func() *model.Model {
	return func() *model.Model {
		m := seed()
		m.Firewalls = nil
		m.ResolverQueryLogConfigs = []*model.ResolverQueryLogConfig{{
			Origin: model.Origin{ID: "QueryLogs"},
			Name:   model.Known("dns-queries"), ARN: model.Known(resolverARN),
			Account: model.Known(acct), Region: model.Known(region),
			DestinationARN: model.Known(bucketARN + "/dns/"),
		}}
		m.ResolverQueryLogAssociations = []*model.ResolverQueryLogAssociation{{
			Origin: model.Origin{ID: "QueryLogsVPC"}, ConfigRef: "QueryLogs", VPCID: model.Known(resolverVPCID),
		}}
		for _, c := range changes {
			c(m)
		}
		return m
	}
}

func resolverDest(arn model.Value[string], ref string) func(m *model.Model) {
	return func(m *model.Model) {
		m.ResolverQueryLogConfigs[0].DestinationARN, m.ResolverQueryLogConfigs[0].DestinationRef = arn, ref
	}
}

func noAssociations(m *model.Model) { m.ResolverQueryLogAssociations = nil }

// resolverToLogs sends the query logs to the log group of logsModel.
func resolverToLogs(m *model.Model) {
	lm := logsModel()()
	m.LogGroups = lm.LogGroups
	m.ResolverQueryLogConfigs[0].DestinationARN = model.Known(groupARNText + ":*")
}

// resolverToFirehose sends the query logs to the stream of firehoseModel.
func resolverToFirehose(m *model.Model) {
	m.DeliveryStreams = firehoseModel()().DeliveryStreams
	m.ResolverQueryLogConfigs[0].DestinationARN = model.Known("arn:aws:firehose:" + region + ":" + acct + ":deliverystream/" + streamName)
}

// v2KeyGrant is the statement of CloudWatch's V2 key policy, which Route
// 53's page points to: aws:SourceArn ...:delivery-source:*.
const v2KeyGrant = `{"Sid":"AllowLogDeliveryV2","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},` +
	`"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*",` +
	`"Condition":{"StringEquals":{"aws:SourceAccount":"` + acct + `"},"ArnLike":{"aws:SourceArn":"arn:aws:logs:` + region + `:` + acct + `:delivery-source:*"}}}`

func resolverScenarios() []scenario {
	return []scenario{
		{name: "resolver: the seed's failure, query logs to an SSE-KMS bucket whose key policy lacks delivery.logs", ref: "§6, §2.5, §3.3",
			build: resolverModel(), want: FAIL,
			gates:      map[string]Verdict{"resolver.query-log-config": OK, "s3.bucket": OK, "s3.bucket-policy": OK, "s3.encryption": OK, "kms.key-state": OK, "kms.key-policy": FAIL},
			reasonGate: "kms.key-policy", reason: "may not call kms:GenerateDataKey", fixGate: "kms.key-policy"},
		{name: "resolver: CloudWatch's V1 key statement (aws:SourceArn arn:aws:logs:R:A:*) is OK", ref: "§6, §2.5",
			build: resolverModel(keyPolicy(goodKeyPolicy)), want: OK,
			gates: map[string]Verdict{"kms.key-policy": OK}},
		{name: "resolver: a key statement with only the V2 delivery-source aws:SourceArn is UNKNOWN: Route 53's and CloudWatch's pages disagree", ref: "§6, §10.5",
			build: resolverModel(keyPolicy(policyWith(rootStmt(acct), v2KeyGrant))), want: UNKNOWN,
			gates: map[string]Verdict{"kms.key-policy": UNKNOWN}, reasonGate: "kms.key-policy", reason: "delivery-source"},
		{name: "resolver: no VPC associated is a WARN: no query is logged", ref: "§6",
			build: resolverModel(keyPolicy(goodKeyPolicy), noAssociations), want: WARN,
			gates: map[string]Verdict{"resolver.query-log-config": WARN, "kms.key-policy": OK}, reasonGate: "resolver.query-log-config", reason: "no query is logged"},
		{name: "resolver: an association naming the configuration by its ID counts", ref: "§6",
			build: resolverModel(keyPolicy(goodKeyPolicy), func(m *model.Model) {
				m.ResolverQueryLogConfigs[0].ConfigID = model.Known("rslvr-qlc-0123456789abcdef")
				m.ResolverQueryLogAssociations[0].ConfigRef = ""
				m.ResolverQueryLogAssociations[0].ConfigID = model.Known("rslvr-qlc-0123456789abcdef")
			}), want: OK, gates: map[string]Verdict{"resolver.query-log-config": OK}, reasonGate: "resolver.query-log-config", reason: resolverVPCID},
		{name: "unknown: resolver association whose configuration is unknown", ref: "§0.1, §6",
			build: resolverModel(keyPolicy(goodKeyPolicy), func(m *model.Model) {
				m.ResolverQueryLogAssociations[0].ConfigRef = ""
				m.ResolverQueryLogAssociations[0].ConfigID = model.Unknown[string]("parameter ConfigId has no default")
			}), want: UNKNOWN, gates: map[string]Verdict{"resolver.query-log-config": UNKNOWN}, reasonGate: "resolver.query-log-config", reason: "parameter ConfigId has no default"},
		{name: "unknown: resolver destination ARN unknown and not a reference", ref: "§0.1, §6",
			build: resolverModel(resolverDest(model.Unknown[string]("parameter Destination has no default"), "")), want: UNKNOWN,
			gates: map[string]Verdict{"resolver.query-log-config": UNKNOWN}, reasonGate: "resolver.query-log-config", reason: "parameter Destination has no default"},
		{name: "unknown: resolver destination ARN unknown but a reference to the bucket: the prefix is unknown", ref: "§0.1, §6",
			build: resolverModel(keyPolicy(goodKeyPolicy), resolverDest(model.Unknown[string]("the bucket ARN is known only after apply"), "LogBucket")), want: UNKNOWN,
			gates: map[string]Verdict{"s3.bucket": OK, "s3.bucket-policy": UNKNOWN}, reasonGate: "s3.bucket-policy", reason: "prefix"},
		{name: "unknown: resolver configuration's account unknown", ref: "§0.1",
			build: resolverModel(keyPolicy(goodKeyPolicy), func(m *model.Model) {
				m.ResolverQueryLogConfigs[0].Account = model.Unknown[string]("the account is not given (use --account)")
			}), want: UNKNOWN, gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN, "kms.key-policy": UNKNOWN}},
		{name: "resolver: a destination ARN of another service fails", ref: "§6",
			build: resolverModel(resolverDest(model.Known("arn:aws:sqs:"+region+":"+acct+":dns"), "")), want: FAIL,
			gates: map[string]Verdict{"resolver.query-log-config": FAIL}},
		{name: "resolver: the bucket policy must cover the ARN's prefix (dns/AWSLogs/<acct>/*)", ref: "§2.1, §6",
			build: resolverModel(keyPolicy(goodKeyPolicy), bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath("dns/"), acct))))), want: OK,
			gates: map[string]Verdict{"s3.bucket-policy": OK}},
		{name: "resolver: a bucket policy for another prefix fails", ref: "§2.1, §6",
			build: resolverModel(keyPolicy(goodKeyPolicy), bucketPolicy(managedDoc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath("nfw/"), acct))))), want: FAIL,
			gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		{name: "resolver: cross-account bucket without a policy fails; the owner must add it", ref: "§2.2, §2.7",
			build: resolverModel(keyPolicy(goodKeyPolicy), bucketAccount(other)), want: FAIL,
			gates: map[string]Verdict{"s3.bucket-policy": FAIL}, fixGate: "s3.bucket-policy"},
		{name: "resolver: cross-account bucket whose policy names the source account is OK", ref: "§2.7",
			build: resolverModel(keyPolicy(goodKeyPolicy), bucketAccount(other), bucketPolicy(doc(policyWith(cwlAclCheck(acct), cwlWrite(logsPath("dns/"), acct))))), want: OK,
			gates: map[string]Verdict{"s3.bucket-policy": OK}},
		{name: "resolver: the AWS managed key fails, and the finding names Route 53's page that says otherwise", ref: "§2.4, §10.2",
			build: resolverModel(sseKMS("alias/aws/s3", model.Known(false))), want: FAIL,
			gates: map[string]Verdict{"s3.encryption": FAIL}, reasonGate: "s3.encryption", reason: "Route 53's own page says every S3 server-side encryption option works"},
		{name: "resolver: to a log group by its ARN (with :*) with no resource policy is OK", ref: "§4.1, §6",
			build: resolverModel(resolverToLogs), want: OK,
			gates: map[string]Verdict{"resolver.query-log-config": OK, "logs.log-group": OK, "logs.resource-policy": OK}},
		{name: "resolver: to a log group whose key lacks logs.<region>.amazonaws.com fails", ref: "§4.2, §6",
			build: resolverModel(resolverToLogs, func(m *model.Model) {
				m.Keys = nil
				m.LogGroups[0].KMSKeyID = model.Known(keyARN)
				m.Keys = append(m.Keys, cmk(rootOnly))
			}), want: FAIL, gates: map[string]Verdict{"logs.kms-key-policy": FAIL}, fixGate: "logs.kms-key-policy"},
		{name: "resolver: to a log group in another Region fails", ref: "§6",
			build: resolverModel(resolverToLogs, func(m *model.Model) { m.LogGroups[0].Region = model.Known(otherRegion) }), want: FAIL,
			gates: map[string]Verdict{"logs.log-group": FAIL}},
		{name: "resolver: to a Firehose stream tagged LogDeliveryEnabled=true is OK", ref: "§5, §6",
			build: resolverModel(resolverToFirehose), want: OK,
			gates: map[string]Verdict{"firehose.stream": OK, "firehose.tag": OK}},
		{name: "resolver: to a Firehose stream whose managed tags lack LogDeliveryEnabled fails", ref: "§5, §6",
			build: resolverModel(resolverToFirehose, func(m *model.Model) {
				m.DeliveryStreams[0].Tags, m.DeliveryStreams[0].TagsManaged = model.Known(map[string]string{}), true
			}), want: FAIL, gates: map[string]Verdict{"firehose.tag": FAIL}},
	}
}

// wafModel is a regional web ACL logging to an SSE-KMS bucket named
// aws-waf-logs-... whose key has only the root statement, plus changes.
func wafModel(changes ...func(m *model.Model)) func() *model.Model {
	return func() *model.Model {
		m := seed()
		m.Firewalls = nil
		m.Buckets[0].Name = model.Known(wafBucket)
		m.WebACLs = []*model.WebACL{{
			Origin: model.Origin{ID: "WebACL"},
			Name:   model.Known(wafACL), Account: model.Known(acct), Region: model.Known(region),
			ARN:   model.Known("arn:aws:wafv2:" + region + ":" + acct + ":regional/webacl/" + wafACL + "/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"),
			Scope: model.Known(model.WAFScopeRegional),
		}}
		m.WAFLoggingConfigurations = []*model.WAFLoggingConfiguration{{
			Origin: model.Origin{ID: "WebACLLogging"}, WebACLRef: "WebACL", WebACLARN: model.Unknown[string]("generated"),
			Destinations: []model.WAFLogDestination{{ARN: model.Known("arn:aws:s3:::" + wafBucket), Ref: "LogBucket"}},
		}}
		for _, c := range changes {
			c(m)
		}
		return m
	}
}

func wafDest(arns ...string) func(m *model.Model) {
	return func(m *model.Model) {
		var ds []model.WAFLogDestination
		for _, a := range arns {
			ds = append(ds, model.WAFLogDestination{ARN: model.Known(a)})
		}
		m.WAFLoggingConfigurations[0].Destinations = ds
	}
}

func cloudFrontACL(m *model.Model) {
	acl := m.WebACLs[0]
	acl.Scope, acl.Region = model.Known(model.WAFScopeCloudFront), model.Known(cloudFrontRegion)
	acl.ARN = model.Known("arn:aws:wafv2:us-east-1:" + acct + ":global/webacl/" + wafACL + "/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
}

// wafGroupIn adds a log group named aws-waf-logs-edge in a Region and
// points the logging configuration at it.
func wafGroupIn(rgn string) func(m *model.Model) {
	return func(m *model.Model) {
		m.LogGroups = append(m.LogGroups, &model.LogGroup{Origin: model.Origin{ID: "WafLogGroup"},
			Name: model.Known(wafGroup), Account: model.Known(acct), Region: model.Known(rgn), KMSKeyID: model.Known("")})
		wafDest("arn:aws:logs:" + rgn + ":" + acct + ":log-group:" + wafGroup)(m)
	}
}

// wafStreamTo adds a Direct PUT stream with the given name and tags that
// code manages, and points the logging configuration at it.
func wafStreamTo(name string, tags map[string]string) func(m *model.Model) {
	return func(m *model.Model) {
		m.DeliveryStreams = append(m.DeliveryStreams, &model.DeliveryStream{Origin: model.Origin{ID: "WafStream"},
			Name: model.Known(name), Account: model.Known(acct), Region: model.Known(region),
			Type: model.Known("DirectPut"), Tags: model.Known(tags), TagsManaged: true, KeyType: model.Known("")})
		wafDest("arn:aws:firehose:" + region + ":" + acct + ":deliverystream/" + name)(m)
	}
}

func wafScenarios() []scenario {
	wafLogsPath := "arn:aws:s3:::" + wafBucket + "/AWSLogs/" + acct + "/*"
	return []scenario{
		{name: "waf: the seed's failure, web ACL logs to an SSE-KMS bucket whose key policy lacks delivery.logs", ref: "§6, §2.5, §3.3",
			build: wafModel(), want: FAIL,
			gates:      map[string]Verdict{"waf.logging-config": OK, "waf.destination": OK, "s3.bucket": OK, "s3.bucket-policy": OK, "s3.encryption": OK, "kms.key-policy": FAIL},
			reasonGate: "kms.key-policy", reason: "may not call kms:GenerateDataKey", fixGate: "kms.key-policy"},
		{name: "waf: the key statement for delivery.logs is OK", ref: "§6, §2.5",
			build: wafModel(keyPolicy(goodKeyPolicy)), want: OK},
		{name: "waf: a bucket whose name does not start with aws-waf-logs- fails", ref: "§6",
			build: wafModel(keyPolicy(goodKeyPolicy), func(m *model.Model) { m.Buckets[0].Name = model.Known(bucket) }, wafDest(bucketARN)), want: FAIL,
			gates: map[string]Verdict{"waf.destination": FAIL}, reasonGate: "waf.destination", reason: "does not start with aws-waf-logs-", fixGate: "waf.destination"},
		{name: "waf: a log group whose name does not start with aws-waf-logs- fails", ref: "§6",
			build: wafModel(func(m *model.Model) {
				lm := logsModel()()
				m.LogGroups = lm.LogGroups
			}, wafDest(groupARNText)), want: FAIL, gates: map[string]Verdict{"waf.destination": FAIL}},
		{name: "waf: a Firehose stream named aws-waf-logs-... needs no LogDeliveryEnabled tag (WAF's own role writes)", ref: "§5, §6",
			build: wafModel(wafStreamTo(wafStream, map[string]string{"Team": "edge"})), want: OK,
			gates: map[string]Verdict{"firehose.stream": OK}},
		{name: "waf: a Firehose stream not named aws-waf-logs-... fails", ref: "§5, §6",
			build: wafModel(wafStreamTo(streamName, map[string]string{"LogDeliveryEnabled": "true"})), want: FAIL,
			gates: map[string]Verdict{"waf.destination": FAIL}},
		{name: "waf: a stream's customer managed key needs no delivery.logs statement, only a usable key", ref: "§5, §6",
			build: wafModel(wafStreamTo(wafStream, nil), func(m *model.Model) {
				s := m.DeliveryStreams[0]
				s.KeyType, s.KeyARN = model.Known("CUSTOMER_MANAGED_CMK"), model.Known(keyARN)
			}), want: OK, gates: map[string]Verdict{"kms.key-state": OK}},
		{name: "waf: a regional web ACL's log group in its Region is OK", ref: "§4.1, §6",
			build: wafModel(wafGroupIn(region)), want: OK, gates: map[string]Verdict{"logs.log-group": OK, "logs.resource-policy": OK}},
		{name: "waf: a CloudFront web ACL logs from us-east-1: a log group in another Region fails", ref: "§6",
			build: wafModel(cloudFrontACL, wafGroupIn(region)), want: FAIL, gates: map[string]Verdict{"logs.log-group": FAIL}, reasonGate: "logs.log-group", reason: "us-east-1"},
		{name: "waf: a CloudFront web ACL's log group in us-east-1 is OK", ref: "§6",
			build: wafModel(cloudFrontACL, wafGroupIn(cloudFrontRegion)), want: OK},
		{name: "waf: a CloudFront web ACL in another Region than us-east-1 fails", ref: "§6",
			build: wafModel(keyPolicy(goodKeyPolicy), func(m *model.Model) { m.WebACLs[0].Scope = model.Known(model.WAFScopeCloudFront) }), want: FAIL,
			gates: map[string]Verdict{"waf.logging-config": FAIL}},
		{name: "waf: two destinations fail: AWS accepts one per web ACL", ref: "§6",
			build: wafModel(keyPolicy(goodKeyPolicy), wafDest("arn:aws:s3:::"+wafBucket, "arn:aws:s3:::aws-waf-logs-second")), want: FAIL,
			gates: map[string]Verdict{"waf.logging-config": FAIL}},
		{name: "waf: a cross-account bucket whose policy names the source account is a WARN: WAF's pages disagree", ref: "§2.7, §6",
			build: wafModel(keyPolicy(goodKeyPolicy), bucketAccount(other), func(m *model.Model) {
				m.Buckets[0].Policy = doc(policyWith(
					strings.ReplaceAll(cwlAclCheck(acct), bucketARN, "arn:aws:s3:::"+wafBucket),
					cwlWrite(wafLogsPath, acct)))
			}), want: WARN, gates: map[string]Verdict{"waf.destination": WARN, "s3.bucket-policy": OK}, reasonGate: "waf.destination", reason: "same account"},
		{name: "waf: a web ACL named only by its ARN (global: CloudFront) logs from us-east-1", ref: "§6",
			build: wafModel(keyPolicy(goodKeyPolicy), func(m *model.Model) {
				m.WebACLs = nil
				m.WAFLoggingConfigurations[0].WebACLARN = model.Known("arn:aws:wafv2:us-east-1:" + acct + ":global/webacl/" + wafACL + "/a1b2c3d4")
			}, wafGroupIn(cloudFrontRegion)), want: OK, gates: map[string]Verdict{"logs.log-group": OK}},
		{name: "unknown: waf web ACL scope unknown", ref: "§0.1, §6",
			build: wafModel(keyPolicy(goodKeyPolicy), func(m *model.Model) { m.WebACLs[0].Scope = model.Unknown[string]("parameter Scope has no default") }), want: UNKNOWN,
			gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN}, reasonGate: "s3.bucket-policy", reason: "parameter Scope has no default"},
		{name: "unknown: waf destination ARN unknown and not a reference", ref: "§0.1, §6",
			build: wafModel(func(m *model.Model) {
				m.WAFLoggingConfigurations[0].Destinations = []model.WAFLogDestination{{ARN: model.Unknown[string]("imported from another stack")}}
			}), want: UNKNOWN, gates: map[string]Verdict{"waf.logging-config": UNKNOWN}},
		{name: "unknown: waf logging configuration unreadable", ref: "§0.1, §6",
			build: wafModel(func(m *model.Model) {
				m.WAFLoggingConfigurations[0].Unknown = "LogDestinationConfigs is known only after apply"
			}), want: UNKNOWN,
			gates: map[string]Verdict{"waf.logging-config": UNKNOWN}},
		{name: "unknown: waf web ACL not in the input and its ARN unknown", ref: "§0.1, §6",
			build: wafModel(keyPolicy(goodKeyPolicy), func(m *model.Model) { m.WebACLs = nil }), want: UNKNOWN,
			gates: map[string]Verdict{"s3.bucket-policy": UNKNOWN}},
	}
}

func TestResolverScenarios(t *testing.T) { runCatalogue(t, resolverScenarios()) }
func TestWAFScenarios(t *testing.T)      { runCatalogue(t, wafScenarios()) }

// The requests name the files each source writes: the S3 key layouts AWS
// documents.
// https://docs.aws.amazon.com/athena/latest/ug/querying-r53-resolver-logs-creating-the-table.html
// https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html
func TestSourceObjectKeys(t *testing.T) {
	tests := []struct {
		name  string
		build func() *model.Model
		want  string
	}{
		{"resolver", resolverModel(), "arn:aws:s3:::" + bucket + "/dns/AWSLogs/" + acct + "/vpcdnsquerylogs/" + resolverVPCID + "/"},
		{"waf regional", wafModel(), "arn:aws:s3:::" + wafBucket + "/AWSLogs/" + acct + "/WAFLogs/" + region + "/" + wafACL + "/"},
		{"waf cloudfront", wafModel(cloudFrontACL), "arn:aws:s3:::" + wafBucket + "/AWSLogs/" + acct + "/WAFLogs/cloudfront/" + wafACL + "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Analyze(tt.build())[0]
			for _, g := range d.Gates {
				if g.ID == "s3.bucket-policy" && g.Request != nil && !strings.HasPrefix(g.Request.Resource, tt.want) {
					t.Errorf("s3:PutObject on %s, want under %s", g.Request.Resource, tt.want)
				}
			}
		})
	}
}

// Every gate the new sources emit is in the catalog, and the report
// names the source type.
func TestSourceGatesAreInTheCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range Catalog {
		seen[g.ID] = true
	}
	types := map[string]bool{}
	for _, sc := range append(resolverScenarios(), wafScenarios()...) {
		for _, d := range Analyze(sc.build()) {
			types[d.Source.Type] = true
			for _, g := range d.Gates {
				if !seen[g.ID] {
					t.Errorf("%s: gate %s is emitted but not in the catalog", sc.name, g.ID)
				}
				if g.Doc == "" {
					t.Errorf("%s: gate %s has no doc", sc.name, g.ID)
				}
			}
		}
	}
	if !types["route53-resolver"] || !types["waf"] || len(types) != 2 {
		t.Errorf("source types %v, want route53-resolver and waf", types)
	}
}

// BenchmarkAnalyzeSources: 1,000 Resolver configurations and 1,000 WAF
// logging configurations to one SSE-KMS bucket (the key policy allows
// delivery): lookups are maps, so the run is linear in the resources.
func BenchmarkAnalyzeSources(b *testing.B) {
	m := resolverModel(keyPolicy(goodKeyPolicy))()
	w := wafModel()()
	m.Buckets = append(m.Buckets, w.Buckets...)
	base, lc := m.ResolverQueryLogConfigs[0], w.WAFLoggingConfigurations[0]
	for i := range 1000 {
		c := *base
		c.Origin.ID = fmt.Sprintf("QueryLogs%d", i)
		m.ResolverQueryLogConfigs = append(m.ResolverQueryLogConfigs, &c)
		l := *lc
		m.WAFLoggingConfigurations = append(m.WAFLoggingConfigurations, &l)
	}
	m.WebACLs = w.WebACLs
	b.ResetTimer()
	for range b.N {
		if ds := Analyze(m); len(ds) != 2001 {
			b.Fatalf("%d deliveries", len(ds))
		}
	}
}
