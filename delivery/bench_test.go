package delivery

import (
	"fmt"
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
