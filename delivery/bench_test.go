package delivery

import (
	"fmt"
	"strings"
	"testing"

	"github.com/logpath/logpath/model"
)

// BenchmarkAnalyzeSeed: the seed, a Network Firewall log to an SSE-KMS
// bucket, with its proven fix.
func BenchmarkAnalyzeSeed(b *testing.B) {
	m := seed()
	b.ReportAllocs()
	for b.Loop() {
		Analyze(m)
	}
}

// BenchmarkAnalyzeFlowLogs100: 100 flow logs of one account, half to S3
// and half to CloudWatch Logs through one role, all OK.
func BenchmarkAnalyzeFlowLogs100(b *testing.B) {
	m := flowToLogs()()
	s3 := flowSeed(keyPolicy(goodKeyPolicy))()
	m.Buckets, m.Keys = s3.Buckets, s3.Keys
	m.FlowLogs = nil
	for i := range 50 {
		toS3 := flowLogTo(model.FlowLogToS3, fmt.Sprintf("%s/vpc-%02d/", bucketARN, i))
		toLogs := flowLogTo(model.FlowLogToLogs, flowGroupARN+":*")
		toLogs.DeliverLogsPermissionARN = model.Known(flowRoleARN)
		m.FlowLogs = append(m.FlowLogs, toS3, toLogs)
	}
	for _, d := range Analyze(m) {
		if d.Verdict != OK {
			b.Fatalf("%s: %v", d.Source.Name, d.Verdict)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Analyze(m)
	}
}

// BenchmarkAnalyzeTrails100: 100 trails of one account, each to its own
// folder of one bucket with the trail's KMS key and to one log group
// through one role, all OK: 200 deliveries.
func BenchmarkAnalyzeTrails100(b *testing.B) {
	m := trailToLogs()()
	one := m.Trails[0]
	m.Trails = nil
	var writes []string
	for i := range 100 {
		t := *one
		t.Name = model.Known(fmt.Sprintf("trail-%02d", i))
		t.ARN = model.Known("arn:aws:cloudtrail:" + region + ":" + acct + ":trail/" + t.Name.Or(""))
		t.S3KeyPrefix = model.Known(fmt.Sprintf("trail-%02d", i))
		m.Trails = append(m.Trails, &t)
		writes = append(writes, ctWrite(fmt.Sprintf("%s/trail-%02d/AWSLogs/%s/*", bucketARN, i, acct), t.ARN.Or("")))
	}
	m.Buckets[0].Policy = managedDoc(policyWith(append([]string{strings.NewReplacer(`"StringEquals"`, `"StringLike"`, trailARN, "arn:aws:cloudtrail:*:"+acct+":trail/*").Replace(ctAclCheck)}, writes...)...))
	m.Keys[0].Policy = doc(policyWith(rootStmt(acct), strings.Replace(ctEncrypt, `"StringEquals":{"aws:SourceArn":"`+trailARN+`"},`, "", 1), ctDescribe))
	m.Roles[0].TrustPolicy = doc(policyWith(ctTrust))
	ds := Analyze(m)
	if len(ds) != 200 {
		b.Fatalf("%d deliveries", len(ds))
	}
	for _, d := range ds {
		if d.Verdict != OK {
			b.Fatalf("%s -> %s: %v %+v", d.Source.Name, d.Destination.Type, d.Verdict, d.Gates)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Analyze(m)
	}
}
