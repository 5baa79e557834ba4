package terraform

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

// flowLogDelivery returns the delivery of the flow log at addr.
func flowLogDelivery(t *testing.T, ds []delivery.Delivery, addr string) *delivery.Delivery {
	t.Helper()
	for i := range ds {
		if ds[i].Source.ID == addr {
			return &ds[i]
		}
	}
	t.Fatalf("no delivery for %s in %+v", addr, ds)
	return nil
}

// The VPC flow log example as a plan: flow logs to S3 and, through a role
// with a managed policy attached by aws_iam_role_policy_attachment, to a
// KMS-encrypted log group. ARNs are known only after apply; references
// link the resources.
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
func TestFlowLogPlan(t *testing.T) {
	m := load(t, "flowlogs-plan.json", Options{Account: acct})
	if len(m.FlowLogs) != 2 || len(m.Roles) != 1 || len(m.ManagedPolicies) != 1 {
		t.Fatalf("%d flow logs, %d roles, %d managed policies", len(m.FlowLogs), len(m.Roles), len(m.ManagedPolicies))
	}
	s3, logs := m.FlowLogs[0], m.FlowLogs[1]
	unknown(t, "log_destination", s3.Destination, "known only after apply")
	opts := known(t, "destination_options", s3.DestinationOptions)
	if s3.DestinationRef != "aws_s3_bucket.logs" || s3.ID != "aws_flow_log.to_s3" || known(t, "region", s3.Region) != "ap-northeast-1" ||
		opts == nil || !known(t, "per_hour_partition", opts.PerHourPartition) || known(t, "traffic_type", s3.TrafficType) != "ALL" {
		t.Errorf("to_s3 %+v %+v", s3, opts)
	}
	unknown(t, "flow log id", s3.FlowLogID, "after apply")
	if logs.DestinationRef != "aws_cloudwatch_log_group.flow_logs" || logs.RoleRef != "aws_iam_role.flow_logs" ||
		known(t, "log_group_name", logs.LogGroupName) != "" || known(t, "destination_options", logs.DestinationOptions) != nil {
		t.Errorf("to_cloudwatch %+v", logs)
	}
	r := m.Roles[0]
	if known(t, "role name", r.Name) != "flow-logs-publisher" || len(known(t, "inline policies", r.InlinePolicies)) != 0 {
		t.Errorf("role %+v", r)
	}
	attached := known(t, "managed policies", r.ManagedPolicies)
	if len(attached) != 1 || attached[0].Ref != "aws_iam_policy.publish" {
		t.Errorf("attached %+v", attached)
	}
	ds := delivery.Analyze(m)
	// The folder in log_destination is known only after apply: the S3
	// requests cannot be built.
	if d := flowLogDelivery(t, ds, "aws_flow_log.to_s3"); d.Verdict != delivery.UNKNOWN || gate(t, d, "kms.key-policy").Verdict != delivery.UNKNOWN {
		t.Errorf("to_s3 is %v", d.Verdict)
	}
	d := flowLogDelivery(t, ds, "aws_flow_log.to_cloudwatch")
	for id, want := range map[string]delivery.Verdict{"logs.log-group": delivery.OK, "iam.role-trust": delivery.FAIL,
		"iam.role-permissions": delivery.OK, "logs.kms-key-policy": delivery.FAIL} {
		if g := gate(t, d, id); g.Verdict != want {
			t.Errorf("to_cloudwatch %s = %v, want %v: %s", id, g.Verdict, want, g.Reason)
		}
	}
}

// The same deployed, as terraform show -json prints the state: every
// value known, the seed's failure at kms.key-policy.
func TestFlowLogState(t *testing.T) {
	m := load(t, "flowlogs-state.json", Options{Account: acct})
	ds := delivery.Analyze(m)
	d := flowLogDelivery(t, ds, "aws_flow_log.to_s3")
	if d.Source.Name != "fl-0a1b2c3d4e5f6a7b8" || gate(t, d, "kms.key-policy").Verdict != delivery.FAIL || gate(t, d, "s3.bucket-policy").Verdict != delivery.OK {
		t.Errorf("to_s3 %+v", d)
	}
	d = flowLogDelivery(t, ds, "aws_flow_log.to_cloudwatch")
	if g := gate(t, d, "iam.role-trust"); g.Verdict != delivery.FAIL || g.Request.Context["aws:SourceArn"][0] != "arn:aws:ec2:ap-northeast-1:111122223333:vpc-flow-log/fl-0b1c2d3e4f5a6b7c8" {
		t.Errorf("iam.role-trust %+v", g)
	}
}

// A policy attachment whose role is unknown may attach to any role.
func TestFlowLogAttachmentToUnknownRole(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "flowlogs-plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var plan map[string]any
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	for _, rc := range plan["resource_changes"].([]any) {
		rc := rc.(map[string]any)
		if rc["type"] == "aws_iam_role_policy_attachment" {
			change := rc["change"].(map[string]any)
			delete(change["after"].(map[string]any), "role")
			change["after_unknown"].(map[string]any)["role"] = true
		}
	}
	for _, r := range plan["configuration"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any) {
		r := r.(map[string]any)
		if r["type"] == "aws_iam_role_policy_attachment" {
			r["expressions"].(map[string]any)["role"] = map[string]any{"references": []any{"var.role_name"}}
		}
	}
	out, _ := json.Marshal(plan)
	m, err := Load("plan.json", out, Options{Account: acct})
	if err != nil {
		t.Fatal(err)
	}
	unknown[[]model.PolicyAttachment](t, "managed policies", m.Roles[0].ManagedPolicies, "aws_iam_role_policy_attachment.publish")
	if d := flowLogDelivery(t, delivery.Analyze(m), "aws_flow_log.to_cloudwatch"); gate(t, d, "iam.role-permissions").Verdict != delivery.UNKNOWN {
		t.Errorf("iam.role-permissions is %v", gate(t, d, "iam.role-permissions").Verdict)
	}
}
