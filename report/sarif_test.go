package report

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/load/cloudformation"
	"github.com/logpath/logpath/load/tfhcl"
	"github.com/logpath/logpath/model"
)

// githubSARIF is the part of a SARIF log that GitHub code scanning reads.
// https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning
type githubSARIF struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					HelpURI string `json:"helpUri"`
					Help    struct {
						Text string `json:"text"`
					} `json:"help"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful        *bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				AssociatedRule struct {
					ID    string `json:"id"`
					Index int    `json:"index"`
				} `json:"associatedRule"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results *[]sarifResultJSON `json:"results"`
	} `json:"runs"`
}

type sarifResultJSON struct {
	RuleID    string `json:"ruleId"`
	RuleIndex *int   `json:"ruleIndex"`
	Level     string `json:"level"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations []struct {
		PhysicalLocation *struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine int `json:"startLine"`
				EndLine   int `json:"endLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
		LogicalLocations []struct {
			Name string `json:"name"`
		} `json:"logicalLocations"`
		Message *struct {
			Text string `json:"text"`
		} `json:"message"`
	} `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          struct {
		Verdict string `json:"verdict"`
	} `json:"properties"`
}

var sarifLevels = map[string]bool{"note": true, "warning": true, "error": true}

// checkGitHubSARIF checks what GitHub enforces when it ingests a SARIF
// file, written out by hand from its documentation (no network, no schema
// download), plus the upload failures seen in the wild: a result without a
// location, or with a location that has no physicalLocation, makes GitHub
// reject the whole file ("locationFromSarifResult: expected at least one
// location", github/codeql-action#2459; "expected artifact location",
// microsoft/sarif-sdk#2770).
func checkGitHubSARIF(t *testing.T, data []byte) githubSARIF {
	t.Helper()
	var log githubSARIF
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if log.Schema != sarifSchema || log.Version != "2.1.0" {
		t.Errorf("$schema %q, version %q", log.Schema, log.Version)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name == "" {
		t.Error("runs[0].tool.driver.name is empty")
	}
	ruleIDs := map[string]int{}
	names := map[string]bool{}
	for i, r := range run.Tool.Driver.Rules {
		if r.ID == "" {
			t.Errorf("rules[%d].id is empty", i)
		}
		if _, dup := ruleIDs[r.ID]; dup {
			t.Errorf("rule id %q is not unique", r.ID)
		}
		ruleIDs[r.ID] = i
		if r.Name == "" || len(r.Name) > 255 || strings.ContainsAny(r.Name, " .-") || names[r.Name] {
			t.Errorf("rule %s: name %q is not a unique identifier of at most 255 characters", r.ID, r.Name)
		}
		names[r.Name] = true
		for what, text := range map[string]string{"shortDescription": r.ShortDescription.Text, "fullDescription": r.FullDescription.Text} {
			if text == "" || len(text) > 1024 {
				t.Errorf("rule %s: %s.text has %d characters; GitHub wants 1 to 1024", r.ID, what, len(text))
			}
		}
		if r.Help.Text == "" {
			t.Errorf("rule %s: help.text is empty", r.ID)
		}
		if !strings.HasPrefix(r.HelpURI, "https://") {
			t.Errorf("rule %s: helpUri %q", r.ID, r.HelpURI)
		}
		if !sarifLevels[r.DefaultConfiguration.Level] {
			t.Errorf("rule %s: defaultConfiguration.level %q", r.ID, r.DefaultConfiguration.Level)
		}
	}
	if run.Results == nil {
		t.Fatal("runs[0].results is missing or null; GitHub requires the array")
	}
	for i, r := range *run.Results {
		idx, ok := ruleIDs[r.RuleID]
		if !ok {
			t.Errorf("results[%d].ruleId %q is not a rule", i, r.RuleID)
		}
		if r.RuleIndex == nil || *r.RuleIndex != idx {
			t.Errorf("results[%d].ruleIndex does not point at rule %q", i, r.RuleID)
		}
		if !sarifLevels[r.Level] {
			t.Errorf("results[%d].level %q", i, r.Level)
		}
		if r.Message.Text == "" {
			t.Errorf("results[%d].message.text is empty", i)
		}
		if len(r.Locations) < 1 || len(r.Locations) > 10 {
			t.Errorf("results[%d] has %d locations; GitHub wants 1 to 10", i, len(r.Locations))
		}
		for j, loc := range r.Locations {
			p := loc.PhysicalLocation
			if p == nil {
				t.Errorf("results[%d].locations[%d] has no physicalLocation", i, j)
				continue
			}
			checkArtifactURI(t, p.ArtifactLocation.URI, p.ArtifactLocation.URIBaseID)
			if p.Region.StartLine < 1 || p.Region.EndLine < p.Region.StartLine {
				t.Errorf("results[%d].locations[%d].region: startLine %d, endLine %d", i, j, p.Region.StartLine, p.Region.EndLine)
			}
		}
		if r.PartialFingerprints[sarifFingerprint] == "" {
			t.Errorf("results[%d] has no %s fingerprint", i, sarifFingerprint)
		}
	}
	for _, inv := range run.Invocations {
		if inv.ExecutionSuccessful == nil {
			t.Error("invocation without executionSuccessful")
		}
		for _, n := range inv.ToolExecutionNotifications {
			if idx, ok := ruleIDs[n.AssociatedRule.ID]; !ok || idx != n.AssociatedRule.Index || n.Message.Text == "" || !sarifLevels[n.Level] {
				t.Errorf("notification %+v", n)
			}
		}
	}
	return log
}

// checkArtifactURI: a URI reference GitHub can match against the
// repository: relative with forward slashes and %SRCROOT%, or an absolute
// file URI.
func checkArtifactURI(t *testing.T, uri, base string) {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil || uri == "" || strings.Contains(uri, `\`) {
		t.Errorf("artifact uri %q is not a URI reference with forward slashes", uri)
		return
	}
	switch {
	case u.Scheme == "file":
		if base != "" || !strings.HasPrefix(u.Path, "/") {
			t.Errorf("absolute uri %q with uriBaseId %q", uri, base)
		}
	case u.Scheme == "arn":
		// logpath audit: a live resource, named by its ARN (not for
		// GitHub code scanning, which wants files of the repository).
		if base != "" {
			t.Errorf("ARN uri %q with uriBaseId %q", uri, base)
		}
	case u.Scheme == "":
		if base != srcRoot || strings.HasPrefix(u.Path, "/") || u.Path == ".." || strings.HasPrefix(u.Path, "../") {
			t.Errorf("relative uri %q with uriBaseId %q is not inside the source root", uri, base)
		}
	default:
		t.Errorf("artifact uri %q has scheme %q", uri, u.Scheme)
	}
}

func repoRootForTest(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func renderSARIF(t *testing.T, ds []delivery.Delivery, root string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := SARIF(&buf, ds, SARIFOptions{ToolVersion: "test", Root: root}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func snapshotDeliveries(t *testing.T, file string) []delivery.Delivery {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.ReadSnapshot(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return delivery.Analyze(m)
}

// Every input the repository has examples of gives a file GitHub accepts.
func TestSARIFMeetsGitHubRequirements(t *testing.T) {
	cfn := func(file string) func(t *testing.T) []delivery.Delivery {
		return func(t *testing.T) []delivery.Delivery {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m, err := cloudformation.Load(file, data, cloudformation.Options{Account: "111122223333", Region: "ap-northeast-1"})
			if err != nil {
				t.Fatal(err)
			}
			return delivery.Analyze(m)
		}
	}
	snapshot := func(file string) func(t *testing.T) []delivery.Delivery {
		return func(t *testing.T) []delivery.Delivery { return snapshotDeliveries(t, file) }
	}
	tests := []struct {
		name    string
		analyze func(t *testing.T) []delivery.Delivery
		results int
	}{
		{"seed snapshot", snapshot("../examples/seed/snapshot.json"), 1},
		{"seed snapshot fixed", snapshot("../examples/seed/snapshot-fixed.json"), 0},
		{"mixed verdicts", snapshot("testdata/mixed.json"), 4},
		{"cloudformation broken", cfn("../examples/network-firewall-s3-kms/cloudformation/broken.yaml"), 2},
		{"cloudformation fixed", cfn("../examples/network-firewall-s3-kms/cloudformation/fixed.yaml"), 0},
		{"terraform", func(t *testing.T) []delivery.Delivery {
			m, err := tfhcl.LoadDir("../load/tfhcl/testdata/seed", tfhcl.Options{Account: "111122223333", Region: "ap-northeast-1", Vars: map[string]string{"vpc_id": "vpc-0123"}})
			if err != nil {
				t.Fatal(err)
			}
			return delivery.Analyze(m)
		}, 2},
		{"no deliveries", func(*testing.T) []delivery.Delivery { return nil }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := checkGitHubSARIF(t, renderSARIF(t, tt.analyze(t), repoRootForTest(t)))
			if n := len(*log.Runs[0].Results); n != tt.results {
				t.Errorf("%d results, want %d", n, tt.results)
			}
			if rules := log.Runs[0].Tool.Driver.Rules; len(rules) != len(delivery.Catalog) {
				t.Errorf("%d rules, want one per gate of the catalog (%d)", len(rules), len(delivery.Catalog))
			}
		})
	}
}

// One result per gate that is not OK, at the line of what must change,
// with the level of its verdict.
func TestSARIFResults(t *testing.T) {
	log := checkGitHubSARIF(t, renderSARIF(t, snapshotDeliveries(t, "testdata/mixed.json"), repoRootForTest(t)))
	want := []struct {
		rule, level, verdict string
		line                 int
		logical              string
		message              []string
	}{
		// The Deny statement that decided, not the bucket. The policy
		// document has no ID of its own and there is no fix to name one.
		{"s3.bucket-policy", "error", "FAIL", 57, "", []string{
			"FAIL network-firewall edge-fw FLOW -> S3 amzn-s3-demo-vpce-only at s3.bucket-policy: delivery.logs.amazonaws.com may not call s3:PutObject",
			"Request: principal delivery.logs.amazonaws.com, action s3:PutObject, resource arn:aws:s3:::amzn-s3-demo-vpce-only/edge/AWSLogs/111122223333/",
			`Decided by: Deny statement "OnlyThroughTheVpcEndpoint" of the bucket policy of amzn-s3-demo-vpce-only at testdata/mixed.json:57`,
		}},
		// No policy: the stream, and the fix as a sentence.
		{"firehose.tag", "error", "FAIL", 132, "TlsStream", []string{
			"FAIL network-firewall edge-fw TLS -> KinesisDataFirehose edge-tls at firehose.tag:",
			"Fix: declare the tag LogDeliveryEnabled=true on the delivery stream",
		}},
		{"s3.bucket-policy", "note", "UNKNOWN", 68, "UnknownPolicyBucket", []string{
			"UNKNOWN network-firewall lab-fw FLOW -> S3 amzn-s3-demo-unknown-policy at s3.bucket-policy: the bucket policy is unknown: the bucket policy comes from parameter LabPolicy, which has no default.",
		}},
		// The key policy document, and the statement to paste.
		{"kms.key-policy", "warning", "WARN", 101, "LabKey", []string{
			"WARN network-firewall lab-fw ALERT -> S3 amzn-s3-demo-lab-kms at kms.key-policy: delivery.logs.amazonaws.com may not call kms:Decrypt",
			"Fix: add a statement allowing kms:GenerateDataKey*, kms:Decrypt to the key policy of arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\n{\n  \"Sid\": \"AllowLogDeliveryToEncrypt\",\n  \"Effect\": \"Allow\",",
			"AWS documentation: https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging-encrypt-kms.html",
		}},
	}
	results := *log.Runs[0].Results
	if len(results) != len(want) {
		t.Fatalf("%d results, want %d", len(results), len(want))
	}
	for i, w := range want {
		r := results[i]
		loc := r.Locations[0]
		if r.RuleID != w.rule || r.Level != w.level || r.Properties.Verdict != w.verdict {
			t.Errorf("result %d: %s %s %s, want %s %s %s", i, r.RuleID, r.Level, r.Properties.Verdict, w.rule, w.level, w.verdict)
		}
		if got := loc.PhysicalLocation.ArtifactLocation.URI; got != "report/testdata/mixed.json" {
			t.Errorf("result %d: uri %q", i, got)
		}
		if got := loc.PhysicalLocation.Region.StartLine; got != w.line {
			t.Errorf("result %d (%s): line %d, want %d", i, w.rule, got, w.line)
		}
		var logical []string
		for _, l := range loc.LogicalLocations {
			logical = append(logical, l.Name)
		}
		if strings.Join(logical, ",") != w.logical {
			t.Errorf("result %d: logical locations %v, want %q", i, logical, w.logical)
		}
		for _, m := range w.message {
			if !strings.Contains(r.Message.Text, m) {
				t.Errorf("result %d: message lacks %q:\n%s", i, m, r.Message.Text)
			}
		}
	}
}

func TestSARIFLocation(t *testing.T) {
	root := t.TempDir()
	in := func(name string) string { return filepath.Join(root, name) }
	outside := filepath.Join(filepath.Dir(root), "elsewhere", "policy.json")
	deciding := &delivery.Statement{Policy: "key policy of LogKey", Effect: "Deny", File: in("key.json"), Line: 12}
	tests := []struct {
		name     string
		gate     delivery.GateResult
		source   delivery.Source
		uri      string
		base     string
		line     int
		message  string
		notified bool
	}{
		{"the deciding statement first",
			delivery.GateResult{Deciding: deciding, Location: model.Origin{File: in("key.json"), Line: 3, ID: "LogKey"}},
			delivery.Source{File: in("fw.json"), Line: 1}, "key.json", srcRoot, 12, "", false},
		{"a deciding statement without a line does not count",
			delivery.GateResult{Deciding: &delivery.Statement{Effect: "Deny"}, Location: model.Origin{File: in("key.json"), Line: 3}},
			delivery.Source{File: in("fw.json"), Line: 1}, "key.json", srcRoot, 3, "", false},
		{"the resource the gate is about",
			delivery.GateResult{Location: model.Origin{File: in("infra/bucket.yaml"), Line: 7}},
			delivery.Source{File: in("fw.json"), Line: 1}, "infra/bucket.yaml", srcRoot, 7, "", false},
		{"the resource the fix changes",
			delivery.GateResult{Location: model.Origin{ID: "LogKey"}, Fix: &delivery.Fix{Location: model.Origin{File: in("key.tf"), Line: 9}}},
			delivery.Source{File: in("fw.json"), Line: 1}, "key.tf", srcRoot, 9, "", false},
		{"the source when nothing else is in a file",
			delivery.GateResult{Location: model.Origin{ID: "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}},
			delivery.Source{Type: "network-firewall", Name: "inspection-fw", File: in("fw.json"), Line: 4}, "fw.json", srcRoot, 4,
			"the resource to change, arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, is not defined in a file; shown at the log source network-firewall inspection-fw", false},
		{"an unknown line is the first line",
			delivery.GateResult{Location: model.Origin{File: in("key.json")}},
			delivery.Source{}, "key.json", srcRoot, 1, "", false},
		{"a file outside the root is an absolute URI",
			delivery.GateResult{Location: model.Origin{File: outside, Line: 2}},
			delivery.Source{}, (&url.URL{Scheme: "file", Path: filepath.ToSlash(outside)}).String(), "", 2, "", false},
		{"names are escaped",
			delivery.GateResult{Location: model.Origin{File: in("my infra/key policy#1.json"), Line: 2}},
			delivery.Source{}, "my%20infra/key%20policy%231.json", srcRoot, 2, "", false},
		{"a live resource (logpath audit) is located by its ARN",
			delivery.GateResult{Location: model.Origin{ID: "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}},
			delivery.Source{Type: "network-firewall", Name: "inspection-fw", ARN: "arn:aws:network-firewall:ap-northeast-1:111122223333:firewall/inspection-fw"},
			"arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "", 1, "", false},
		{"standard input is no file: a notification",
			delivery.GateResult{Location: model.Origin{File: "<stdin>", Line: 5}},
			delivery.Source{File: "<stdin>", Line: 1}, "", "", 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.gate
			g.ID, g.Verdict, g.Reason, g.Doc = "kms.key-policy", delivery.FAIL, "denied", "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html"
			ds := []delivery.Delivery{{Source: tt.source, Destination: delivery.Destination{Type: "S3", Name: "b"}, Verdict: delivery.FAIL, Gates: []delivery.GateResult{g}}}
			log := checkGitHubSARIF(t, renderSARIF(t, ds, root))
			results := *log.Runs[0].Results
			if tt.notified {
				if len(results) != 0 || len(log.Runs[0].Invocations) != 1 || len(log.Runs[0].Invocations[0].ToolExecutionNotifications) != 1 {
					t.Fatalf("want no result and one notification, got %d results, invocations %+v", len(results), log.Runs[0].Invocations)
				}
				n := log.Runs[0].Invocations[0].ToolExecutionNotifications[0]
				if n.Level != "error" || n.AssociatedRule.ID != "kms.key-policy" || !strings.Contains(n.Message.Text, "denied") {
					t.Errorf("notification %+v", n)
				}
				return
			}
			if len(results) != 1 {
				t.Fatalf("%d results", len(results))
			}
			loc := results[0].Locations[0]
			if got := loc.PhysicalLocation.ArtifactLocation; got.URI != tt.uri || got.URIBaseID != tt.base {
				t.Errorf("artifact %+v, want uri %q base %q", got, tt.uri, tt.base)
			}
			if got := loc.PhysicalLocation.Region.StartLine; got != tt.line {
				t.Errorf("line %d, want %d", got, tt.line)
			}
			got := ""
			if loc.Message != nil {
				got = loc.Message.Text
			}
			if got != tt.message {
				t.Errorf("location message %q, want %q", got, tt.message)
			}
		})
	}
}

func TestSARIFLevels(t *testing.T) {
	var gates []delivery.GateResult
	for _, v := range []delivery.Verdict{delivery.OK, delivery.WARN, delivery.UNKNOWN, delivery.FAIL} {
		gates = append(gates, delivery.GateResult{ID: "s3.bucket-policy", Verdict: v, Reason: v.String(), Location: model.Origin{File: "b.json", Line: 1, ID: v.String()}})
	}
	ds := []delivery.Delivery{{Source: delivery.Source{File: "fw.json"}, Verdict: delivery.FAIL, Gates: gates}}
	log := checkGitHubSARIF(t, renderSARIF(t, ds, "."))
	var got []string
	for _, r := range *log.Runs[0].Results {
		got = append(got, r.Properties.Verdict+"="+r.Level)
	}
	if want := "WARN=warning UNKNOWN=note FAIL=error"; strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s (OK is not a result)", strings.Join(got, " "), want)
	}
}

// The fingerprint follows the finding, not its line, so that GitHub keeps
// one alert when lines move and two for two deliveries.
func TestSARIFFingerprint(t *testing.T) {
	finding := func(logType string, line int) delivery.Delivery {
		return delivery.Delivery{
			Source:      delivery.Source{Type: "network-firewall", Name: "inspection-fw", ID: "Firewall", LogType: logType, File: "fw.json", Line: 1},
			Destination: delivery.Destination{Type: "S3", Name: "amzn-s3-demo-logs"},
			Verdict:     delivery.FAIL,
			Gates:       []delivery.GateResult{{ID: "kms.key-policy", Verdict: delivery.FAIL, Location: model.Origin{File: "key.json", Line: line, ID: "LogKey"}}},
		}
	}
	fingerprints := func(ds ...delivery.Delivery) []string {
		log := checkGitHubSARIF(t, renderSARIF(t, ds, "."))
		var out []string
		for _, r := range *log.Runs[0].Results {
			out = append(out, r.PartialFingerprints[sarifFingerprint])
		}
		return out
	}
	moved := fingerprints(finding("FLOW", 10), finding("FLOW", 40))
	if moved[0] != moved[1][:len(moved[0])] {
		t.Errorf("a moved line changes the fingerprint: %v", moved)
	}
	if moved[1] != moved[0]+":2" {
		t.Errorf("the same finding twice in one run: %v, want the second with :2", moved)
	}
	two := fingerprints(finding("FLOW", 10), finding("ALERT", 10))
	if two[0] == two[1] {
		t.Errorf("two deliveries share a fingerprint: %v", two)
	}
}

func TestSARIFRulesAreTheCatalog(t *testing.T) {
	log := checkGitHubSARIF(t, renderSARIF(t, nil, "."))
	rules := log.Runs[0].Tool.Driver.Rules
	for i, g := range delivery.Catalog {
		r := rules[i]
		if r.ID != g.ID || r.ShortDescription.Text != g.Title || r.FullDescription.Text != g.Checks || r.HelpURI != g.Doc {
			t.Errorf("rule %d is %+v, want gate %s", i, r, g.ID)
		}
	}
	for _, r := range rules {
		if r.ID == "kms.key-policy" && r.Name != "KmsKeyPolicy" {
			t.Errorf("name of %s is %q, want KmsKeyPolicy", r.ID, r.Name)
		}
	}
}

func TestSARIFGateNotInCatalog(t *testing.T) {
	ds := []delivery.Delivery{{Verdict: delivery.FAIL, Gates: []delivery.GateResult{{ID: "s3.no-such-gate", Verdict: delivery.FAIL}}}}
	if err := SARIF(&bytes.Buffer{}, ds, SARIFOptions{}); err == nil || !strings.Contains(err.Error(), "s3.no-such-gate") {
		t.Errorf("got %v, want an error naming the gate", err)
	}
}
