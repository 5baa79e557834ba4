package fakeaws

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every scenario in testdata parses.
func TestScenariosParse(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yaml")
	if len(files) == 0 {
		t.Fatal("no scenarios")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(f, data); err != nil {
			t.Error(err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"unknown field", "accounts:\n  - id: \"111122223333\"\n    bukets: []\n", "line 3: field bukets not found"},
		{"bad account", "accounts:\n  - id: \"1234\"\n", "12-digit"},
		{"bad age", "accounts:\n  - id: \"111122223333\"\n    buckets:\n      - {name: b, region: r, objects: [{key: k, age: soon}]}\n", `"soon" is not a duration`},
		{"policy string not JSON", "accounts:\n  - id: \"111122223333\"\n    buckets:\n      - {name: b, region: r, policy: nope}\n", "must be JSON"},
		{"twice", "accounts:\n  - id: \"111122223333\"\n  - id: \"111122223333\"\n", "listed twice"},
		{"org management", "organization: {management: \"444455556666\"}\n", "management account"},
		{"CloudFront web ACL outside us-east-1", "accounts:\n  - id: \"111122223333\"\n    regions:\n      - {name: eu-west-1, webAcls: [{name: a, scope: CLOUDFRONT}]}\n", "CLOUDFRONT web ACLs are in us-east-1"},
		{"flow log without id", "accounts:\n  - id: \"111122223333\"\n    regions:\n      - {name: r, flowLogs: [{destination: d}]}\n", "a flow log has no id"},
		{"association without config", "accounts:\n  - id: \"111122223333\"\n    regions:\n      - {name: r, resolverQueryLogConfigAssociations: [{id: a, vpcId: v}]}\n", "configId"},
		{"managed policy without text", "awsManagedPolicies: [{name: P}]\n", "needs a name and a policy"},
		{"trail without name", "accounts:\n  - id: \"111122223333\"\n    regions:\n      - {name: r, trails: [{s3BucketName: b}]}\n", "a trail has no name"},
		{"role twice", "accounts:\n  - id: \"111122223333\"\n    iamRoles: [{name: r}, {name: r}]\n", "used twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "s.yaml: ") {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// FuzzParse: no input makes the scenario parser panic or hang.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("accounts: [{id: '111122223333', regions: [{name: r, keys: [{id: k, policy: '{}'}]}]}]"))
	f.Add([]byte("accounts: [{id: '111122223333', iamRoles: [{name: r, trust: '{}', inline: [{name: i, policy: '{}'}], managed: [arn:aws:iam::aws:policy/P]}], " +
		"regions: [{name: us-east-1, flowLogs: [{id: fl-1, destinationType: cloud-watch-logs}], webAcls: [{name: w, scope: CLOUDFRONT, logging: [arn]}], " +
		"resolverQueryLogConfigs: [{id: c}], resolverQueryLogConfigAssociations: [{id: a, configId: c, vpcId: v}]}]}]\n" +
		"awsManagedPolicies: [{name: P, version: v2, policy: {Statement: []}}]\nfaults: {noService: {us-east-1: [wafv2]}}"))
	f.Add([]byte("accounts: [{id: '111122223333', deny: [cloudtrail:GetTrailStatus], regions: [{name: r, trails: [{name: t, s3BucketName: b, isLogging: false, " +
		"latestDeliveryError: AccessDenied, latestDeliveryTime: 1h, latestCloudWatchLogsDeliveryTime: 2h, cloudWatchLogsLogGroupArn: arn}]}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err == nil && s == nil {
			t.Fatal("no scenario and no error")
		}
	})
}

// An awsJson operation is named by what follows the last dot of
// X-Amz-Target: the SDK's short target and AWS's fully qualified one reach
// the same operation.
func TestTargetForms(t *testing.T) {
	srv := Start(t, filepath.Join("testdata", "cloudtrail.yaml"))
	for _, target := range []string{"CloudTrail_20131101.GetTrailStatus", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrailStatus"} {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(`{"Name":"arn:aws:cloudtrail:ap-northeast-1:111122223333:trail/bucket-denied"}`))
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAFAKE111122223333/20260501/ap-northeast-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"LatestDeliveryError":"AccessDenied"`) {
			t.Errorf("%s: %d %s", target, resp.StatusCode, body)
		}
	}
	if n := srv.Calls("cloudtrail:GetTrailStatus"); n != 2 {
		t.Errorf("GetTrailStatus recorded %d times, want 2", n)
	}
}
