package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const (
	seedKey  = "../../examples/seed/key-policy.json"
	seedKeyF = "../../examples/seed/key-policy-fixed.json"
	keyARN   = "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
)

// flowLogArgs check the VPC flow log example in the seed's account and Region.
var flowLogArgs = []string{"check", "--account", "111122223333", "--region", "ap-northeast-1"}

func seedArgs(policyFile string, extra ...string) []string {
	return append([]string{"simulate", "--resource-policy", policyFile,
		"--principal", "delivery.logs.amazonaws.com", "--action", "kms:GenerateDataKey",
		"--resource", keyARN}, extra...)
}

// TestGolden runs the CLI and compares its output with testdata/golden.
// go test ./cmd/logpath -update rewrites them.
func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
	}{
		{"seed-denied.txt", seedArgs(seedKey, "--explain", "--context", "aws:SourceAccount=111122223333"), "", 0},
		{"seed-denied.json", seedArgs(seedKey, "--format", "json"), "", 0},
		{"seed-fixed.txt", seedArgs(seedKeyF), "", 0},
		{"deny-other-account.txt", seedArgs("testdata/deny-other-accounts.json", "--explain", "--context", "aws:SourceAccount=444455556666"), "", 0},
		{"cases.jsonl.out", []string{"simulate", "--cases", "testdata/cases.jsonl"}, "", 0},
		{"cases-stdin.out", []string{"simulate", "--cases", "-"}, `[{"id":"a","request":{"principal":"anonymous","action":"s3:GetObject","resource":"arn:aws:s3:::amzn-s3-demo-bucket/x"},"resourcePolicy":{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}},{"id":"b","request":{}}]`, 0},
		{"invalid-policy.err", []string{"simulate", "--resource-policy", "testdata/invalid-policy.json", "--principal", "111122223333", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"}, "", 2},
		{"not-cases.err", []string{"simulate", "--cases", "-"}, "[{", 2},
		{"missing-action.err", []string{"simulate", "--principal", "111122223333"}, "", 2},
		{"bad-flag.err", []string{"simulate", "--nope"}, "", 2},
		{"bad-context.err", []string{"simulate", "--principal", "111122223333", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k", "--context", "novalue"}, "", 2},
		{"bad-principal.err", []string{"simulate", "--principal", "alice", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k"}, "", 2},
		{"missing-file.err", []string{"simulate", "--cases", "testdata/nope.json"}, "", 2},
		{"unknown-command.err", []string{"check2"}, "", 2},
		{"check-seed.txt", []string{"check", "../../examples/seed/snapshot.json"}, "", 1},
		{"check-seed.json", []string{"check", "--format", "json", "../../examples/seed/snapshot.json"}, "", 1},
		{"check-fixed.txt", []string{"check", "--explain", "../../examples/seed/snapshot-fixed.json"}, "", 0},
		{"check-fixed-fail-on-warn.txt", []string{"check", "--fail-on", "warn", "../../examples/seed/snapshot-fixed.json"}, "", 0},
		{"check-cfn-broken.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/network-firewall-s3-kms/cloudformation/broken.yaml"}, "", 1},
		{"check-cfn-no-account.txt", []string{"check", "--fail-on", "unknown", "../../examples/network-firewall-s3-kms/cloudformation/fixed.yaml"}, "", 1},
		{"check-cfn-bad.err", []string{"check", "-"}, "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Nope x}\n", 2},
		{"check-cdk.txt", []string{"check", "../../load/cloudformation/testdata/cdk.out"}, "", 0},
		{"check-org-trail.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "--organization-id", "o-exampleorgid", "../../examples/cloudtrail-organization"}, "", 1},
		{"check-org-trail-no-id.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/cloudtrail-organization"}, "", 0},
		{"check-bad-org-id.err", []string{"check", "--organization-id", "111122223333", "../../examples/cloudtrail-organization"}, "", 2},
		{"check-dir-not-cdk.err", []string{"check", "testdata"}, "", 2},
		{"check-tf-seed.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "--var", "vpc_id=vpc-0123", "../../load/tfhcl/testdata/seed"}, "", 1},
		{"check-tf-fixed.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "--var", "vpc_id=vpc-0123", "../../load/tfhcl/testdata/fixed"}, "", 0},
		{"check-plan-seed.txt", []string{"check", "--account", "111122223333", "../../load/terraform/testdata/seed-broken.json"}, "", 1},
		{"check-plan-fixed.txt", []string{"check", "--account", "111122223333", "../../load/terraform/testdata/seed-fixed.json"}, "", 0},
		{"check-seed.md", []string{"check", "--format", "markdown", "../../examples/seed/snapshot.json"}, "", 1},
		{"check-seed.sarif", []string{"check", "--format", "sarif", "../../examples/seed/snapshot.json"}, "", 1},
		{"check-cfn-broken.sarif", []string{"check", "--format", "sarif", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/network-firewall-s3-kms/cloudformation/broken.yaml"}, "", 1},
		{"check-bad-format.err", []string{"check", "--format", "xml", "x.json"}, "", 2},
		{"check-flowlogs-cfn-broken.txt", append(flowLogArgs, "../../examples/vpc-flow-logs-s3-kms/cloudformation/broken.yaml"), "", 1},
		{"check-flowlogs-cfn-broken.json", append(flowLogArgs, "--format", "json", "../../examples/vpc-flow-logs-s3-kms/cloudformation/broken.yaml"), "", 1},
		{"check-flowlogs-cfn-broken.md", append(flowLogArgs, "--format", "markdown", "../../examples/vpc-flow-logs-s3-kms/cloudformation/broken.yaml"), "", 1},
		{"check-flowlogs-cfn-fixed.txt", append(flowLogArgs, "--explain", "../../examples/vpc-flow-logs-s3-kms/cloudformation/fixed.yaml"), "", 0},
		{"check-flowlogs-tf-broken.txt", append(flowLogArgs, "--var", "vpc_id=vpc-0123456789abcdef0", "../../examples/vpc-flow-logs-s3-kms/terraform/broken"), "", 1},
		{"check-flowlogs-tf-fixed.txt", append(flowLogArgs, "--var", "vpc_id=vpc-0123456789abcdef0", "../../examples/vpc-flow-logs-s3-kms/terraform/fixed"), "", 0},
		{"check-flowlogs-plan.txt", []string{"check", "--account", "111122223333", "../../load/terraform/testdata/flowlogs-plan.json"}, "", 1},
		{"check-cloudtrail-cfn-broken.txt", append(flowLogArgs, "../../examples/cloudtrail-s3-kms/cloudformation/broken.yaml"), "", 1},
		{"check-cloudtrail-cfn-broken.json", append(flowLogArgs, "--format", "json", "../../examples/cloudtrail-s3-kms/cloudformation/broken.yaml"), "", 1},
		{"check-cloudtrail-cfn-broken.md", append(flowLogArgs, "--format", "markdown", "../../examples/cloudtrail-s3-kms/cloudformation/broken.yaml"), "", 1},
		{"check-cloudtrail-cfn-broken.sarif", append(flowLogArgs, "--format", "sarif", "../../examples/cloudtrail-s3-kms/cloudformation/broken.yaml"), "", 1},
		{"check-cloudtrail-cfn-fixed.txt", append(flowLogArgs, "--explain", "../../examples/cloudtrail-s3-kms/cloudformation/fixed.yaml"), "", 0},
		{"check-cloudtrail-tf-broken.txt", append(flowLogArgs, "../../examples/cloudtrail-s3-kms/terraform/broken"), "", 1},
		{"check-cloudtrail-tf-fixed.txt", append(flowLogArgs, "../../examples/cloudtrail-s3-kms/terraform/fixed"), "", 0},
		{"check-cloudtrail-plan.txt", []string{"check", "--account", "111122223333", "../../load/terraform/testdata/cloudtrail-plan.json"}, "", 1},
		{"check-cloudtrail-search-dir.txt", append(flowLogArgs, "../../examples/cloudtrail-s3-kms"), "", 1},
		{"check-fixed-quiet.txt", []string{"check", "--quiet", "../../examples/seed/snapshot-fixed.json"}, "", 0},
		{"check-bad-param.err", []string{"check", "--param", "novalue", "x.yaml"}, "", 2},
		{"check-bad-snapshot.err", []string{"check", "-"}, "{\"version\": 1,\n \"buckets\": [{\"name\": \"b\", \"policy\": {\"json\": 5}}]}", 2},
		{"check-no-files.err", []string{"check"}, "", 2},
		{"check-bad-fail-on.err", []string{"check", "--fail-on", "never", "x.json"}, "", 2},
		// Suppressions: a comment above the resource, CloudFormation
		// Metadata, .logpath.yaml, a Terraform comment; each keeps the
		// finding in the report and leaves it out of --fail-on.
		{"check-suppress-comment.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "testdata/suppress/comment.yaml"}, "", 0},
		{"check-suppress-comment.json", []string{"check", "--format", "json", "--account", "111122223333", "--region", "ap-northeast-1", "testdata/suppress/comment.yaml"}, "", 0},
		{"check-suppress-metadata.md", []string{"check", "--format", "markdown", "--account", "111122223333", "--region", "ap-northeast-1", "testdata/suppress/metadata.yaml"}, "", 0},
		{"check-suppress-config.txt", []string{"check", "--config", "testdata/suppress/logpath.yaml", "../../examples/network-firewall-s3-kms/cloudformation/broken.yaml"}, "", 0},
		{"check-suppress-comment.sarif", []string{"check", "--format", "sarif", "--account", "111122223333", "--region", "ap-northeast-1", "testdata/suppress/comment.yaml"}, "", 0},
		{"check-suppress-config.sarif", []string{"check", "--format", "sarif", "--config", "testdata/suppress/logpath.yaml", "../../examples/network-firewall-s3-kms/cloudformation/broken.yaml"}, "", 0},
		{"check-suppress-tf.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "--var", "vpc_id=vpc-0123", "testdata/suppress/tf"}, "", 0},
		{"check-suppress-unknown-gate.err", []string{"check", "testdata/suppress/unknown-gate.yaml"}, "", 2},
		{"check-suppress-stray.err", []string{"check", "testdata/suppress/stray.yaml"}, "", 2},
		{"check-bad-config.err", []string{"check", "--config", "testdata/suppress/bad-config.yaml", "x.yaml"}, "", 2},
		{"check-missing-config.err", []string{"check", "--config", "testdata/nope.yaml", "x.yaml"}, "", 2},
		// Two snapshots of one account (same bucket name, same key ARN):
		// each firewall is checked against its own snapshot's key.
		{"check-two-snapshots.txt", []string{"check", "../../examples/seed/snapshot.json", "../../examples/seed/snapshot-fixed.json"}, "", 1},
		// A directory that is neither Terraform nor cdk.out is searched.
		{"check-search-dir.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/network-firewall-s3-kms"}, "", 1},
		// Route 53 Resolver query logs and AWS WAF: each source's seed failure
		// (and WAF's destination name), in every format.
		{"check-resolver-cfn-broken.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/route53-resolver-query-logs/cloudformation/broken.yaml"}, "", 1},
		{"check-resolver-cfn-fixed.txt", []string{"check", "--explain", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/route53-resolver-query-logs/cloudformation/fixed.yaml"}, "", 0},
		{"check-resolver-tf-broken.md", []string{"check", "--format", "markdown", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/route53-resolver-query-logs/terraform/broken"}, "", 1},
		{"check-resolver-tf-fixed.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/route53-resolver-query-logs/terraform/fixed"}, "", 0},
		{"check-waf-cfn-broken.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/waf-logs/cloudformation/broken.yaml"}, "", 1},
		{"check-waf-cfn-broken.sarif", []string{"check", "--format", "sarif", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/waf-logs/cloudformation/broken.yaml"}, "", 1},
		{"check-waf-cfn-fixed.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/waf-logs/cloudformation/fixed.yaml"}, "", 0},
		{"check-waf-tf-broken.json", []string{"check", "--format", "json", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/waf-logs/terraform/broken"}, "", 1},
		{"check-waf-tf-fixed.txt", []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", "../../examples/waf-logs/terraform/fixed"}, "", 0},
		{"help.txt", []string{"help"}, "", 0},
		{"help-check.txt", []string{"help", "check"}, "", 0},
		{"help-simulate.txt", []string{"help", "simulate"}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr: %s)", code, tt.code, stderr.String())
			}
			got := stdout.String() + stderr.String()
			golden := filepath.Join("testdata", "golden", tt.name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/logpath -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run with -update after checking):\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}

// The seed's fix, as simulate prints it, turns the denial into an allow
// when added to the key policy.
func TestSeedFixIsProven(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(seedArgs(seedKey, "--format", "json"), nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var out struct {
		Decision string
		Fix      struct {
			Target string
			Policy json.RawMessage
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Decision != "ImplicitlyDenied" || out.Fix.Target != "key policy" {
		t.Fatalf("got %+v", out)
	}
	fixed := filepath.Join(t.TempDir(), "fixed.json")
	if err := os.WriteFile(fixed, out.Fix.Policy, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := run(seedArgs(fixed, "--format", "json"), nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"decision": "Allowed"`) {
		t.Errorf("fixed policy does not allow:\n%s", stdout.String())
	}
}

func TestVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"version"}, nil, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "logpath ") {
		t.Errorf("code %d, output %q", code, stdout.String())
	}
}
