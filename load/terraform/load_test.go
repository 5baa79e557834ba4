package terraform

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

const acct = "111122223333"

func load(t *testing.T, name string, opts Options) *model.Model {
	t.Helper()
	path := filepath.Join("testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(path, data, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// delivery returns the delivery of a firewall's log type.
func find(t *testing.T, ds []delivery.Delivery, firewall, logType string) *delivery.Delivery {
	t.Helper()
	for i := range ds {
		if ds[i].Source.Name == firewall && ds[i].Source.LogType == logType {
			return &ds[i]
		}
	}
	t.Fatalf("no delivery for %s %s in %d deliveries", firewall, logType, len(ds))
	return nil
}

func gate(t *testing.T, d *delivery.Delivery, id string) *delivery.GateResult {
	t.Helper()
	for i := range d.Gates {
		if d.Gates[i].ID == id {
			return &d.Gates[i]
		}
	}
	t.Fatalf("no gate %s in %s %s: %+v", id, d.Source.Name, d.Source.LogType, d.Gates)
	return nil
}

func known[T any](t *testing.T, what string, v model.Value[T]) T {
	t.Helper()
	x, ok := v.Get()
	if !ok {
		t.Fatalf("%s is unknown: %s", what, v.Reason())
	}
	return x
}

func unknown[T any](t *testing.T, what string, v model.Value[T], reason string) {
	t.Helper()
	if v.Known() {
		t.Fatalf("%s is known (%v), want unknown: %s", what, v.Or(*new(T)), reason)
	}
	if !strings.Contains(v.Reason(), reason) {
		t.Errorf("%s: reason %q, want it to say %q", what, v.Reason(), reason)
	}
}

// The seed story as a Terraform plan: a firewall logging to a bucket
// encrypted by aws_s3_bucket_server_side_encryption_configuration with a
// key whose policy has only the root statement. Names and ARNs are known
// only after apply; references link them.
// https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html
func TestSeedStory(t *testing.T) {
	m := load(t, "seed-broken.json", Options{Account: acct})
	if len(m.Firewalls) != 1 || len(m.Buckets) != 1 || len(m.Keys) != 1 {
		t.Fatalf("model: %d firewalls, %d buckets, %d keys; want 1 each (the firewall policy is skipped)", len(m.Firewalls), len(m.Buckets), len(m.Keys))
	}
	fw := m.Firewalls[0]
	if fw.ID != "aws_networkfirewall_firewall.main" || fw.File != "testdata/seed-broken.json" || fw.Line == 0 || fw.Column == 0 {
		t.Errorf("firewall origin %+v", fw.Origin)
	}
	unknown(t, "firewall ARN", fw.ARN, "aws_networkfirewall_firewall.main.arn is known only after apply")
	if r := known(t, "firewall Region", fw.Region); r != "ap-northeast-1" {
		t.Errorf("Region %s, want the provider's ap-northeast-1", r)
	}
	if fw.Logging == nil || len(fw.Logging.Destinations) != 2 {
		t.Fatalf("logging %+v", fw.Logging)
	}
	for _, d := range fw.Logging.Destinations {
		if d.Ref != "aws_s3_bucket.logs" {
			t.Errorf("destination %s: ref %q, want aws_s3_bucket.logs", d.LogType.Or("?"), d.Ref)
		}
		unknown(t, "bucketName", d.BucketName, `log_destination["bucketName"] is known only after apply`)
		if p := known(t, "prefix", d.Prefix); p != "nfw" {
			t.Errorf("prefix %q", p)
		}
	}
	enc := known(t, "encryption", m.Buckets[0].Encryption)
	if enc == nil || enc.KeyRef != "aws_kms_key.logs" || enc.KeyRefForm != "arn" {
		t.Fatalf("encryption %+v", enc)
	}
	unknown(t, "kmsKeyId", enc.KMSKeyID, "aws_s3_bucket_server_side_encryption_configuration.logs.rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id is known only after apply")
	if !known(t, "bucket key", enc.BucketKeyEnabled) {
		t.Error("bucket_key_enabled = true was lost")
	}
	if p := known(t, "bucket policy", m.Buckets[0].Policy); p != nil {
		t.Errorf("the bucket has no policy in the configuration, got %+v", p)
	}
	if doc := known(t, "key policy", m.Keys[0].Policy); doc == nil || !doc.Managed || !strings.Contains(doc.JSON.Or(""), "Enable IAM User Permissions") {
		t.Fatalf("key policy %+v", doc)
	}

	ds := delivery.Analyze(m)
	if len(ds) != 2 {
		t.Fatalf("%d deliveries, want FLOW and ALERT", len(ds))
	}
	for _, lt := range []string{"FLOW", "ALERT"} {
		d := find(t, ds, "inspection-fw", lt)
		if d.Verdict != delivery.FAIL {
			t.Errorf("%s: verdict %v, want FAIL", lt, d.Verdict)
		}
		g := gate(t, d, "kms.key-policy")
		if g.Verdict != delivery.FAIL || g.Fix == nil {
			t.Errorf("%s: kms.key-policy %v (%s), fix %v; want FAIL with a fix", lt, g.Verdict, g.Reason, g.Fix)
		}
		if g.Location.ID != "aws_kms_key.logs" || g.Location.File == "" || g.Location.Line == 0 {
			t.Errorf("%s: kms.key-policy location %+v", lt, g.Location)
		}
		for _, id := range []string{"s3.bucket", "s3.bucket-policy", "s3.encryption", "kms.key-state"} {
			if g := gate(t, d, id); g.Verdict != delivery.OK {
				t.Errorf("%s: %s %v: %s", lt, id, g.Verdict, g.Reason)
			}
		}
	}

	// The same plan with the statement for the log delivery service.
	ds = delivery.Analyze(load(t, "seed-fixed.json", Options{Account: acct}))
	for _, d := range ds {
		if d.Verdict != delivery.OK {
			t.Errorf("fixed: %s %s: %v %+v", d.Source.Name, d.Source.LogType, d.Verdict, d.Gates)
		}
	}
}

// Values known only after apply, or sensitive, are UNKNOWN with the
// reason, never OK.
func TestUnknownIsNeverOK(t *testing.T) {
	for _, opts := range []Options{{}, {Account: acct}, {Account: acct, Region: "us-east-1"}} {
		ds := delivery.Analyze(load(t, "unknown.json", opts))
		if len(ds) != 3 {
			t.Fatalf("%d deliveries, want 3", len(ds))
		}
		for _, d := range ds {
			if d.Verdict != delivery.UNKNOWN {
				t.Errorf("%+v: %s %s is %v, want UNKNOWN", opts, d.Source.Name, d.Source.LogType, d.Verdict)
			}
		}
	}
	// Without --account, even the fixed seed story is not OK.
	for _, d := range delivery.Analyze(load(t, "seed-fixed.json", Options{})) {
		if d.Verdict != delivery.UNKNOWN || !strings.Contains(gate(t, &d, "kms.key-policy").Reason, "--account") {
			t.Errorf("no account: %s: %v %+v", d.Source.LogType, d.Verdict, d.Gates)
		}
	}

	m := load(t, "unknown.json", Options{Account: acct})
	var main, other *model.Firewall
	for _, fw := range m.Firewalls {
		switch fw.ID {
		case "aws_networkfirewall_firewall.main":
			main = fw
		case "aws_networkfirewall_firewall.other":
			other = fw
		}
	}
	unknown(t, "firewall name", main.Name, "aws_networkfirewall_firewall.main.name is sensitive")
	unknown(t, "bucket name", m.Buckets[0].Name, "aws_s3_bucket.logs.bucket is known only after apply")
	unknown(t, "key policy", m.Keys[0].Policy, "aws_kms_key.logs.policy is known only after apply")
	unknown(t, "log resource policy", m.LogResourcePolicies[0].Policy, "policy_document is known only after apply")
	if main.Logging.Destinations[0].Ref != "aws_s3_bucket.logs" {
		t.Errorf("main: ref %q", main.Logging.Destinations[0].Ref)
	}
	for _, d := range other.Logging.Destinations {
		// A reference through a local is not in the JSON configuration.
		if d.LogType.Or("") == "FLOW" && d.Ref != "" {
			t.Errorf("a local's reference was followed to %s", d.Ref)
		}
		if d.LogType.Or("") == "ALERT" && d.Ref != "aws_cloudwatch_log_group.alerts" {
			t.Errorf("log group ref %q", d.Ref)
		}
	}
	if known(t, "log group key", m.LogGroups[0].KMSKeyID) != "" {
		t.Error("the log group has no key")
	}
}

// Child modules: addresses, references through module variables and
// outputs, two levels deep, and the Region from a root variable.
func TestChildModules(t *testing.T) {
	m := load(t, "modules.json", Options{Account: "444455556666"})
	if len(m.Buckets) != 1 || m.Buckets[0].ID != "module.logging.module.storage.aws_s3_bucket.this" {
		t.Fatalf("buckets %+v", m.Buckets)
	}
	b := m.Buckets[0]
	if known(t, "ownership", b.Ownership) != "BucketOwnerEnforced" {
		t.Error("ownership controls in the module were not attached")
	}
	enc := known(t, "encryption", b.Encryption)
	if enc == nil || enc.KeyRef != "aws_kms_key.logs" || enc.KeyRefForm != "arn" {
		t.Fatalf("the key reference through var.kms_key_arn was not followed: %+v", enc)
	}
	if r := known(t, "Region", b.Region); r != "eu-west-1" {
		t.Errorf("Region %s, want eu-west-1 from var.region", r)
	}
	d := m.Firewalls[0].Logging.Destinations[0]
	if d.Ref != b.ID {
		t.Errorf("the bucket reference through module outputs was not followed: ref %q", d.Ref)
	}
	ds := delivery.Analyze(m)
	dl := find(t, ds, "edge-fw", "ALERT")
	if dl.Destination.Name != "amzn-s3-demo-logs-edge" {
		t.Errorf("destination %+v", dl.Destination)
	}
	// The key policy allows GenerateDataKey but not Decrypt: a WARN.
	if dl.Verdict != delivery.WARN || gate(t, dl, "kms.key-policy").Verdict != delivery.WARN {
		t.Errorf("verdict %v, gates %+v", dl.Verdict, dl.Gates)
	}
}

// AWS provider 3: encryption and policy inline in aws_s3_bucket; keys
// named by ARN, key ID and alias; a provider alias's Region.
func TestLegacyInlineBucket(t *testing.T) {
	m := load(t, "legacy-inline.json", Options{Account: acct})
	buckets := map[string]*model.Bucket{}
	for _, b := range m.Buckets {
		buckets[b.ID] = b
	}
	forms := map[string][2]string{
		"aws_s3_bucket.logs":    {"aws_kms_key.logs", "arn"},
		"aws_s3_bucket.audit":   {"aws_kms_key.logs", "key-id"},
		"aws_s3_bucket.archive": {"aws_kms_alias.logs", "alias"},
	}
	for id, want := range forms {
		enc := known(t, id+" encryption", buckets[id].Encryption)
		if enc == nil || enc.KeyRef != want[0] || enc.KeyRefForm != want[1] {
			t.Errorf("%s: encryption %+v, want %v", id, enc, want)
		}
		if r := known(t, "Region", buckets[id].Region); r != "ap-northeast-1" {
			t.Errorf("%s: Region %s, want ap-northeast-1 from provider aws.tokyo", id, r)
		}
	}
	if bk, ok := known(t, "audit encryption", buckets["aws_s3_bucket.audit"].Encryption).BucketKeyEnabled.Get(); !ok || bk {
		t.Error("bucket_key_enabled null is false")
	}
	if doc := known(t, "bucket policy", buckets["aws_s3_bucket.logs"].Policy); doc == nil || !doc.Managed {
		t.Errorf("an inline policy the configuration sets is managed: %+v", doc)
	}
	if doc := known(t, "archive policy", buckets["aws_s3_bucket.archive"].Policy); doc != nil {
		t.Errorf("policy null is no policy: %+v", doc)
	}
	if m.Aliases[0].TargetRef != "aws_kms_key.logs" {
		t.Errorf("alias target ref %q", m.Aliases[0].TargetRef)
	}
	if p := known(t, "key policy", m.Keys[0].Policy); p != nil {
		t.Errorf("a key without policy in the configuration has the default policy, got %+v", p)
	}
	d := find(t, delivery.Analyze(m), "legacy-fw", "FLOW")
	if d.Verdict != delivery.FAIL || gate(t, d, "kms.key-policy").Verdict != delivery.FAIL {
		t.Errorf("verdict %v %+v", d.Verdict, d.Gates)
	}
	// The bucket policy is managed as code: the statements AWS adds are
	// removed at the next apply.
	if g := gate(t, d, "s3.bucket-policy"); g.Verdict != delivery.FAIL {
		t.Errorf("s3.bucket-policy %v: %s", g.Verdict, g.Reason)
	}
}

// Firehose streams: tags (with the provider's default tags), source type,
// encryption key; CloudWatch Logs groups with their key and resource policy.
func TestFirehoseAndLogs(t *testing.T) {
	m := load(t, "firehose.json", Options{Account: acct})
	streams := map[string]*model.DeliveryStream{}
	for _, s := range m.DeliveryStreams {
		streams[s.ID] = s
	}
	flow := streams["aws_kinesis_firehose_delivery_stream.flow"]
	if !flow.TagsManaged || flow.TagsIgnored {
		t.Errorf("flow: managed %v ignored %v", flow.TagsManaged, flow.TagsIgnored)
	}
	if tags := known(t, "tags", flow.Tags); tags["Environment"] != "prod" || tags["Team"] != "network" {
		t.Errorf("tags %v, want tags_all with the default tags", tags)
	}
	if known(t, "key type", flow.KeyType) != "CUSTOMER_MANAGED_CMK" || flow.KeyRef != "aws_kms_key.streams" {
		t.Errorf("encryption %v %q", flow.KeyType, flow.KeyRef)
	}
	unknown(t, "key ARN", flow.KeyARN, "server_side_encryption[0].key_arn is known only after apply")
	if known(t, "type", streams["aws_kinesis_firehose_delivery_stream.from_kinesis"].Type) != "KinesisStreamAsSource" {
		t.Error("kinesis_source_configuration is KinesisStreamAsSource")
	}
	if known(t, "key type", streams["aws_kinesis_firehose_delivery_stream.from_kinesis"].KeyType) != "" {
		t.Error("server_side_encryption disabled is no key")
	}
	if g := m.LogGroups[0]; g.KeyRef != "aws_kms_key.streams" {
		t.Errorf("log group key ref %q", g.KeyRef)
	}
	if p := m.LogResourcePolicies[0]; known(t, "name", p.Name) != "AWSLogDeliveryWrite-nfw" || known(t, "log group ARN", p.LogGroupARN) != "" {
		t.Errorf("resource policy %+v", p)
	}

	ds := delivery.Analyze(m)
	d := find(t, ds, "fw-a", "FLOW")
	// A plan JSON prints no lifecycle blocks: whether the stream's tag
	// changes are ignored is not known, and declaring the tag is the fix.
	if g := gate(t, d, "firehose.tag"); g.Verdict != delivery.UNKNOWN || !strings.Contains(g.Reason, "lifecycle") || g.Fix == nil {
		t.Errorf("firehose.tag %v (fix %v): %s", g.Verdict, g.Fix, g.Reason)
	}
	d = find(t, ds, "fw-a", "ALERT")
	if g := gate(t, d, "logs.resource-policy"); g.Verdict != delivery.OK {
		t.Errorf("logs.resource-policy %v: %s", g.Verdict, g.Reason)
	}
	if g := gate(t, d, "logs.kms-key-policy"); g.Verdict != delivery.FAIL || g.Location.ID != "aws_kms_key.streams" {
		t.Errorf("logs.kms-key-policy %v at %+v: %s", g.Verdict, g.Location, g.Reason)
	}
	d = find(t, ds, "fw-b", "FLOW")
	if g := gate(t, d, "firehose.stream"); g.Verdict != delivery.FAIL {
		t.Errorf("firehose.stream %v: %s", g.Verdict, g.Reason)
	}
}

// ignore_changes on tags. terraform show -json does not print lifecycle
// blocks, but a plan for an existing stream shows their effect: after
// keeps the tag AWS added. A lifecycle block in the JSON configuration
// (written by a tool, not by Terraform) is read too.
func TestFirehoseTagsIgnored(t *testing.T) {
	for _, name := range []string{"firehose-existing.json", "firehose-ignore-changes.json"} {
		// The existing stream and firewall have ARNs; the new ones need --account.
		opts := Options{}
		if name == "firehose-ignore-changes.json" {
			opts.Account = acct
		}
		m := load(t, name, opts)
		d := find(t, delivery.Analyze(m), "fw-a", "FLOW")
		if d.Verdict != delivery.OK {
			t.Errorf("%s: %v %+v", name, d.Verdict, d.Gates)
		}
		if name == "firehose-ignore-changes.json" && !m.DeliveryStreams[0].TagsIgnored {
			t.Errorf("%s: TagsIgnored not set", name)
		}
		if name == "firehose-existing.json" {
			// The account and Region come from the ARNs.
			fw := m.Firewalls[0]
			if known(t, "account", fw.Account) != acct || known(t, "Region", fw.Region) != "eu-central-1" {
				t.Errorf("firewall %v %v", fw.Account, fw.Region)
			}
		}
	}
}

// A state: values only, linked by names and ARNs; an RCP and where it is
// attached.
func TestState(t *testing.T) {
	m := load(t, "state.json", Options{Account: acct})
	if m.Deployed {
		t.Error("a state is not read as a live account")
	}
	fw := m.Firewalls[0]
	if fw.Line != 1 || fw.Column < 100 {
		t.Errorf("origin in a one-line file: %+v", fw.Origin)
	}
	b := m.Buckets[0]
	if doc := known(t, "bucket policy", b.Policy); doc == nil || !doc.Managed || doc.ID != "aws_s3_bucket_policy.logs" {
		t.Errorf("bucket policy %+v, want aws_s3_bucket_policy's", doc)
	}
	if known(t, "ownership", b.Ownership) != "BucketOwnerEnforced" {
		t.Error("ownership")
	}
	op := m.OrgPolicies[0]
	if known(t, "type", op.Type) != model.RCPType || strings.Join(known(t, "targets", op.Targets), ",") != acct {
		t.Errorf("org policy %+v", op)
	}
	ds := delivery.Analyze(m)
	d := find(t, ds, "inspection-fw", "FLOW")
	g := gate(t, d, "kms.key-policy")
	if g.Verdict != delivery.FAIL || g.Location.ID != "aws_kms_key.logs" {
		t.Errorf("kms.key-policy %v at %+v", g.Verdict, g.Location)
	}
	g = gate(t, d, "org.rcp")
	if g.Verdict != delivery.FAIL || g.Deciding == nil || g.Deciding.Sid != "DenyOutsideOrg" || g.Deciding.File != "testdata/state.json" {
		t.Errorf("org.rcp %v %+v: %s", g.Verdict, g.Deciding, g.Reason)
	}
	// Without --account nothing says which account the bucket is in.
	d = find(t, delivery.Analyze(load(t, "state.json", Options{})), "inspection-fw", "FLOW")
	if g := gate(t, d, "org.rcp"); g.Verdict != delivery.UNKNOWN || !strings.Contains(g.Reason, "--account") {
		t.Errorf("org.rcp without account %v: %s", g.Verdict, g.Reason)
	}
}

// tfRes is a resource of a plan written by planJSON.
type tfRes struct {
	addr    string // without module
	values  map[string]any
	unknown map[string]any
	exprs   map[string]any
}

// planJSON writes a root-module plan, for small cases.
func planJSON(t *testing.T, rs ...tfRes) []byte {
	t.Helper()
	var planned, changes, cfg []any
	for _, r := range rs {
		typ, rest, _ := strings.Cut(r.addr, ".")
		name, _, _ := strings.Cut(rest, "[")
		planned = append(planned, map[string]any{"address": r.addr, "mode": "managed", "type": typ, "name": name,
			"provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": r.values, "sensitive_values": map[string]any{}})
		changes = append(changes, map[string]any{"address": r.addr, "mode": "managed", "type": typ, "name": name,
			"change": map[string]any{"actions": []string{"create"}, "before": nil, "after": r.values, "after_unknown": r.unknown}})
		if r.exprs != nil {
			cfg = append(cfg, map[string]any{"address": typ + "." + name, "mode": "managed", "type": typ, "name": name,
				"provider_config_key": "aws", "expressions": r.exprs})
		}
	}
	b, err := json.Marshal(map[string]any{
		"format_version": "1.2", "terraform_version": "1.9.8",
		"planned_values":   map[string]any{"root_module": map[string]any{"resources": planned}},
		"resource_changes": changes,
		"configuration": map[string]any{
			"provider_config": map[string]any{"aws": map[string]any{"name": "aws", "expressions": map[string]any{"region": map[string]any{"constant_value": "eu-west-1"}}}},
			"root_module":     map[string]any{"resources": cfg},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func refs(rs ...string) map[string]any { return map[string]any{"references": rs} }

func TestReferences(t *testing.T) {
	key := func(addr string) tfRes {
		return tfRes{addr: addr, values: map[string]any{"is_enabled": true}, unknown: map[string]any{"arn": true, "key_id": true, "policy": true}, exprs: map[string]any{}}
	}
	sse := func(bucketRefs, keyRefs []string) tfRes {
		return tfRes{addr: "aws_s3_bucket_server_side_encryption_configuration.logs",
			values:  map[string]any{"rule": []any{map[string]any{"apply_server_side_encryption_by_default": []any{map[string]any{"sse_algorithm": "aws:kms"}}}}},
			unknown: map[string]any{"bucket": true, "rule": []any{map[string]any{"apply_server_side_encryption_by_default": []any{map[string]any{"kms_master_key_id": true}}}}},
			exprs: map[string]any{"bucket": refs(bucketRefs...), "rule": []any{map[string]any{"apply_server_side_encryption_by_default": []any{
				map[string]any{"kms_master_key_id": refs(keyRefs...), "sse_algorithm": map[string]any{"constant_value": "aws:kms"}}}}}}}
	}
	bucket := func(addr, name string) tfRes {
		return tfRes{addr: addr, values: map[string]any{"bucket": name}, unknown: map[string]any{"id": true, "policy": true, "server_side_encryption_configuration": true},
			exprs: map[string]any{"bucket": map[string]any{"constant_value": name}}}
	}
	tests := []struct {
		name    string
		rs      []tfRes
		keyRef  string
		enc     string // the Origin.ID of the bucket that gets the encryption, "" for none
		unknown string // when the buckets' encryption must be unknown
	}{
		{"count instance named without key", []tfRes{bucket("aws_s3_bucket.logs[0]", "b0"), key("aws_kms_key.logs"),
			sse([]string{"aws_s3_bucket.logs[0].id", "aws_s3_bucket.logs[0]", "aws_s3_bucket.logs"}, []string{"aws_kms_key.logs.arn", "aws_kms_key.logs"})},
			"aws_kms_key.logs", "aws_s3_bucket.logs[0]", ""},
		{"one of two keys", []tfRes{bucket("aws_s3_bucket.logs", "b"), key("aws_kms_key.a"), key("aws_kms_key.b"),
			sse([]string{"aws_s3_bucket.logs.id", "aws_s3_bucket.logs"}, []string{"var.use_a", "aws_kms_key.a.arn", "aws_kms_key.a", "aws_kms_key.b.arn", "aws_kms_key.b"})},
			"", "aws_s3_bucket.logs", ""},
		{"key from a data source or a resource", []tfRes{bucket("aws_s3_bucket.logs", "b"), key("aws_kms_key.a"),
			sse([]string{"aws_s3_bucket.logs.id", "aws_s3_bucket.logs"}, []string{"data.aws_kms_key.shared.arn", "data.aws_kms_key.shared", "aws_kms_key.a.arn", "aws_kms_key.a"})},
			"", "aws_s3_bucket.logs", ""},
		{"key of a resource not in the plan", []tfRes{bucket("aws_s3_bucket.logs", "b"),
			sse([]string{"aws_s3_bucket.logs.id", "aws_s3_bucket.logs"}, []string{"aws_kms_key.gone.arn", "aws_kms_key.gone"})},
			"", "aws_s3_bucket.logs", ""},
		{"bucket through a local", []tfRes{bucket("aws_s3_bucket.a", "a"), bucket("aws_s3_bucket.b", "b"), key("aws_kms_key.logs"),
			sse([]string{"local.bucket"}, []string{"aws_kms_key.logs.arn", "aws_kms_key.logs"})},
			"", "", "sets the default encryption of a bucket that is unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Load("plan.json", planJSON(t, tt.rs...), Options{Account: acct})
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range m.Buckets {
				if tt.unknown != "" {
					unknown(t, b.ID+" encryption", b.Encryption, tt.unknown)
					continue
				}
				enc := known(t, b.ID+" encryption", b.Encryption)
				if b.ID != tt.enc {
					if enc != nil {
						t.Errorf("%s got the encryption", b.ID)
					}
					continue
				}
				if enc == nil || enc.KeyRef != tt.keyRef {
					t.Errorf("%s: encryption %+v, want key ref %q", b.ID, enc, tt.keyRef)
				}
			}
		})
	}
}

// A value that is known and a reference that disagrees with it: the
// reference is not followed.
func TestReferenceMustAgreeWithValue(t *testing.T) {
	data := planJSON(t,
		tfRes{addr: "aws_networkfirewall_firewall.a", values: map[string]any{"name": "fw-a", "arn": "arn:aws:network-firewall:eu-west-1:111122223333:firewall/fw-a"}, exprs: map[string]any{}},
		tfRes{addr: "aws_networkfirewall_firewall.b", values: map[string]any{"name": "fw-b", "arn": "arn:aws:network-firewall:eu-west-1:111122223333:firewall/fw-b"}, exprs: map[string]any{}},
		tfRes{addr: "aws_networkfirewall_logging_configuration.x",
			values: map[string]any{"firewall_arn": "arn:aws:network-firewall:eu-west-1:111122223333:firewall/fw-b",
				"logging_configuration": []any{map[string]any{"log_destination_config": []any{}}}},
			exprs: map[string]any{"firewall_arn": refs("var.pick_a", "aws_networkfirewall_firewall.a.arn", "aws_networkfirewall_firewall.a")}},
	)
	m, err := Load("plan.json", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fw := range m.Firewalls {
		if (fw.Logging != nil) != (fw.Name.Or("") == "fw-b") {
			t.Errorf("%s: logging %+v", fw.Name.Or("?"), fw.Logging)
		}
	}
}

// Resources named by a known ARN or name that are not in the plan.
func TestOutsideThePlan(t *testing.T) {
	data := planJSON(t,
		tfRes{addr: "aws_networkfirewall_logging_configuration.x",
			values: map[string]any{"firewall_arn": "arn:aws:network-firewall:eu-west-1:444455556666:firewall/shared-fw",
				"logging_configuration": []any{map[string]any{"log_destination_config": []any{
					map[string]any{"log_type": "FLOW", "log_destination_type": "S3", "log_destination": map[string]any{"bucketName": "amzn-s3-demo-central"}}}}}}},
		tfRes{addr: "aws_s3_bucket_policy.central", values: map[string]any{"bucket": "amzn-s3-demo-central", "policy": `{"Version":"2012-10-17","Statement":[]}`}},
		tfRes{addr: "aws_kms_key_policy.shared", values: map[string]any{"key_id": "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab", "policy": `{"Version":"2012-10-17","Statement":[]}`}},
		tfRes{addr: "aws_dynamodb_table.unrelated", values: map[string]any{"name": "t", "hash_key": 7}},
	)
	m, err := Load("plan.json", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fw := m.Firewalls[0]
	if known(t, "name", fw.Name) != "shared-fw" || known(t, "account", fw.Account) != "444455556666" || known(t, "Region", fw.Region) != "eu-west-1" {
		t.Errorf("firewall %+v", fw)
	}
	b := m.Buckets[0]
	if known(t, "name", b.Name) != "amzn-s3-demo-central" || known(t, "policy", b.Policy) == nil {
		t.Errorf("bucket %+v", b)
	}
	unknown(t, "encryption", b.Encryption, "bucket amzn-s3-demo-central is not in the plan")
	k := m.Keys[0]
	if known(t, "key ID", k.KeyID) != "1234abcd-12ab-34cd-56ef-1234567890ab" || known(t, "account", k.Account) != "444455556666" {
		t.Errorf("key %+v", k)
	}
	unknown(t, "key state", k.State, "is not in the plan")
}

func TestEmptyAndUnknownTypes(t *testing.T) {
	for _, in := range []string{
		`{"format_version":"1.0"}`, // terraform show -json of an empty state
		`{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{"root_module":{}},"configuration":{"root_module":{}}}`,
		`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_vpc.main","mode":"managed","type":"aws_vpc","name":"main","values":{"cidr_block":["not","a","string"]}},` +
			`{"address":"data.aws_s3_bucket.x","mode":"data","type":"aws_s3_bucket","name":"x","values":{"bucket":5}}]}}}`,
	} {
		m, err := Load("in.json", []byte(in), Options{})
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if len(m.Firewalls)+len(m.Buckets) != 0 {
			t.Errorf("%s: %+v", in, m)
		}
	}
}

func TestBadInput(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seed-broken.json"))
	if err != nil {
		t.Fatal(err)
	}
	replace := func(old, new string) string {
		if !strings.Contains(string(seed), old) {
			t.Fatalf("%q is not in the seed plan", old)
		}
		return strings.Replace(string(seed), old, new, 1)
	}
	tests := []struct {
		name, in string
		line     int
		path     string
		msg      string
	}{
		{"not JSON", "format_version: 1.0\n", 1, "", "invalid JSON"},
		{"truncated", string(seed[:200]), 10, "", "invalid JSON"},
		{"an array", `[{"format_version":"1.0"}]`, 1, "$", "expected a JSON object"},
		{"a snapshot", `{"version": 1, "firewalls": []}`, 1, "$", "there is no format_version"},
		{"format version 2", `{"format_version":"2.0","values":{}}`, 1, "$.format_version", "unsupported state format version"},
		{"planned_values a list", `{"format_version":"1.2",` + "\n" + `"planned_values":[]}`, 2, "$.planned_values", "planned_values must be an object"},
		{"resource not an object", `{"format_version":"1.2","planned_values":{"root_module":{"resources":[1]}}}`, 1, "$.planned_values.root_module.resources[0]", "must be an object"},
		{"bucket name a number", replace(`"bucket": "amzn-s3-demo-logs",`, `"bucket": 42,`), 96,
			"$.planned_values.root_module.resources[4].values.bucket", "aws_s3_bucket.logs: bucket: expected a string, found a number"},
		{"logging configuration a string", replace(`"logging_configuration": [`, `"logging_configuration": "S3", "x": [`), 77,
			"$.planned_values.root_module.resources[3].values.logging_configuration", "aws_networkfirewall_logging_configuration.main: logging_configuration: expected a list"},
		{"tags a list", replace(`"values": {
            "bucket": "amzn-s3-demo-logs",`, `"values": {"tags_all": ["a"],
            "bucket": "amzn-s3-demo-logs",`), 0, "", ""}, // not a stream: tags are not read
		{"provider_config a list", replace(`"provider_config": {`, `"provider_config": [], "x": {`), 0, "$.configuration.provider_config", "is a JSON array where an object is expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("plan.json", []byte(tt.in), Options{})
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *Error", err, err)
			}
			if e.File != "plan.json" || e.Path != tt.path || !strings.Contains(e.Msg, tt.msg) || (tt.line != 0 && e.Line != tt.line) {
				t.Errorf("error %+v\nwant line %d, path %q, message with %q", e, tt.line, tt.path, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "plan.json") {
				t.Errorf("error %q does not start with the file", err)
			}
		})
	}
}

func TestIsShowJSON(t *testing.T) {
	for _, name := range []string{"seed-broken.json", "state.json"} {
		data, _ := os.ReadFile(filepath.Join("testdata", name))
		if !IsShowJSON(data) {
			t.Errorf("%s is not recognized", name)
		}
	}
	for _, in := range []string{`{"version":1,"firewalls":[]}`, `{"Resources":{}}`, `[]`, ``} {
		if IsShowJSON([]byte(in)) {
			t.Errorf("%s is recognized", in)
		}
	}
}

// A resource whose after_unknown is true as a whole: every value is
// unknown, named after the resource.
func TestWholeResourceUnknown(t *testing.T) {
	data := planJSON(t, tfRes{addr: "aws_networkfirewall_firewall.a", values: map[string]any{"name": "fw-a"}})
	data = []byte(strings.Replace(string(data), `"after_unknown":null`, `"after_unknown":true`, 1))
	m, err := Load("plan.json", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	unknown(t, "name", m.Firewalls[0].Name, "aws_networkfirewall_firewall.a.name is known only after apply")
}

// Module outputs that each refer to two outputs of the module below, 40
// levels deep: following them is bounded, not exponential.
func TestReferenceFanOutIsBounded(t *testing.T) {
	mod := `{"outputs":{"o":{"expression":{"references":["aws_s3_bucket.b.id"]}}},"resources":[]}`
	for i := 0; i < 40; i++ {
		mod = `{"outputs":{"o":{"expression":{"references":["module.m.o","module.m","module.m.o"]}}},"module_calls":{"m":{"source":"./m","module":` + mod + `}}}`
	}
	in := `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
	  {"address":"aws_networkfirewall_logging_configuration.x","mode":"managed","type":"aws_networkfirewall_logging_configuration","name":"x",
	   "values":{"logging_configuration":[{"log_destination_config":[{"log_type":"FLOW","log_destination_type":"S3","log_destination":{}}]}]}}]}},
	 "configuration":{"root_module":{"resources":[{"address":"aws_networkfirewall_logging_configuration.x","mode":"managed","type":"aws_networkfirewall_logging_configuration","name":"x",
	   "expressions":{"logging_configuration":[{"log_destination_config":[{"log_destination":{"references":["module.m.o","module.m.o"]}}]}]}}],
	   "module_calls":{"m":{"source":"./m","module":` + mod + `}}}}}`
	m, err := Load("plan.json", []byte(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ref := m.Firewalls[0].Logging.Destinations[0].Ref; ref != "" {
		t.Errorf("ref %q", ref)
	}
}
