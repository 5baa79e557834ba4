package terraform

import (
	"fmt"

	"github.com/logpath/logpath/model"
)

// present reports whether a value is set or unknown (not absent).
func present(v val) bool { return v.present || v.unknown() != "" }

// flowLog reads aws_flow_log.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/flow_log
func (l *loader) flowLog(r *resource) error {
	fl := &model.FlowLog{Origin: r.origin}
	var err error
	if fl.FlowLogID, err = l.str(r.v.get("id"), model.Unknown[string]("%s has no id", r.addr)); err != nil {
		return err
	}
	arn, err := l.str(r.v.get("arn"), model.Value[string]{})
	if err != nil {
		return err
	}
	fl.Account, fl.Region = l.account(r, arn), l.region(r, arn)
	fl.ResourceID = model.Unknown[string]("%s names no VPC, subnet, network interface or transit gateway", r.addr)
	for _, a := range []string{"vpc_id", "subnet_id", "eni_id", "transit_gateway_id", "transit_gateway_attachment_id"} {
		if v := r.v.get(a); present(v) {
			if fl.ResourceID, err = l.str(v, fl.ResourceID); err != nil {
				return err
			}
			break
		}
	}
	if v := r.v.get("traffic_type"); present(v) {
		if fl.TrafficType, err = l.str(v, model.Value[string]{}); err != nil {
			return err
		}
	}
	if fl.DestinationType, err = l.str(r.v.get("log_destination_type"), model.Known(model.FlowLogToLogs)); err != nil {
		return err
	}
	if fl.Destination, err = l.str(r.v.get("log_destination"), model.Known("")); err != nil {
		return err
	}
	// log_group_name is computed: unknown in a plan whose configuration
	// does not set it, it is none.
	if v := r.v.get("log_group_name"); v.unknown() == "" || !r.hasConfig() || r.declares("log_group_name") {
		if fl.LogGroupName, err = l.str(v, model.Known("")); err != nil {
			return err
		}
	} else {
		fl.LogGroupName = model.Known("")
	}
	destinations := kinds{"aws_s3_bucket": {"arn"}, "aws_cloudwatch_log_group": {"arn"}, "aws_kinesis_firehose_delivery_stream": {"arn"}}
	if t, _ := l.follow(r, r.cfgExprs(), "log_destination", fl.Destination, destinations); t != nil {
		fl.DestinationRef = t.addr
	}
	if t, _ := l.follow(r, r.cfgExprs(), "log_group_name", fl.LogGroupName, kinds{"aws_cloudwatch_log_group": {"name", "id"}}); t != nil {
		fl.DestinationRef = t.addr
	}
	if fl.DeliverLogsPermissionARN, err = l.str(r.v.get("iam_role_arn"), model.Known("")); err != nil {
		return err
	}
	if t, _ := l.follow(r, r.cfgExprs(), "iam_role_arn", fl.DeliverLogsPermissionARN, kinds{"aws_iam_role": {"arn"}}); t != nil {
		fl.RoleRef = t.addr
	}
	if fl.DeliverCrossAccountRole, err = l.str(r.v.get("deliver_cross_account_role"), model.Known("")); err != nil {
		return err
	}
	opts, ok, why, err := l.block(r.v.get("destination_options"))
	switch {
	case err != nil:
		return err
	case why != "":
		fl.DestinationOptions = model.Unknown[*model.FlowLogDestinationOptions]("%s", why)
	case !ok:
		fl.DestinationOptions = model.Known[*model.FlowLogDestinationOptions](nil)
	default:
		o := &model.FlowLogDestinationOptions{}
		if o.FileFormat, err = l.str(opts.get("file_format"), model.Known("plain-text")); err != nil {
			return err
		}
		if o.HiveCompatiblePartitions, err = l.boolean(opts.get("hive_compatible_partitions"), model.Known(false)); err != nil {
			return err
		}
		if o.PerHourPartition, err = l.boolean(opts.get("per_hour_partition"), model.Known(false)); err != nil {
			return err
		}
		fl.DestinationOptions = model.Known(o)
	}
	l.m.FlowLogs = append(l.m.FlowLogs, fl)
	return nil
}

// role reads aws_iam_role with its inline_policy blocks and the managed
// policies it names. Both are computed: unknown in a plan whose
// configuration does not set them, they hold what other resources add,
// which this loader reads from those resources.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role
func (l *loader) role(r *resource) error {
	role := &model.IAMRole{Origin: r.origin}
	var err error
	if role.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	if role.ARN, err = l.str(r.v.get("arn"), model.Unknown[string]("%s has no arn", r.addr)); err != nil {
		return err
	}
	role.Account = l.account(r, role.ARN)
	if role.TrustPolicy, err = l.policyDoc(r, r.v.get("assume_role_policy"), true); err != nil {
		return err
	}
	computed := func(attr string) bool {
		return r.v.get(attr).unknown() != "" && r.hasConfig() && !r.declares(attr)
	}
	var inline []model.InlinePolicy
	role.InlinePolicies = model.Known(inline)
	if !computed("inline_policy") {
		items, why, err := l.list(r.v.get("inline_policy"))
		if err != nil {
			return err
		}
		if why != "" {
			role.InlinePolicies = model.Unknown[[]model.InlinePolicy]("%s", why)
		} else {
			for _, it := range items {
				if err := l.object(it); err != nil {
					return err
				}
				ip := model.InlinePolicy{}
				if ip.Name, err = l.str(it.get("name"), model.Unknown[string]("the inline policy has no name")); err != nil {
					return err
				}
				if ip.Policy, err = l.policyDoc(r, it.get("policy"), true); err != nil {
					return err
				}
				if doc, ok := ip.Policy.Get(); ok && doc == nil {
					continue // an empty inline_policy block: the role has none
				}
				inline = append(inline, ip)
			}
			role.InlinePolicies = model.Known(inline)
		}
	}
	var attached []model.PolicyAttachment
	role.ManagedPolicies = model.Known(attached)
	if !computed("managed_policy_arns") {
		items, why, err := l.list(r.v.get("managed_policy_arns"))
		if err != nil {
			return err
		}
		if why != "" {
			role.ManagedPolicies = model.Unknown[[]model.PolicyAttachment]("%s", why)
		} else {
			var unknownARNs []int
			for i, it := range items {
				arn, err := l.str(it, model.Unknown[string]("a managed policy ARN is null"))
				if err != nil {
					return err
				}
				if !arn.Known() {
					unknownARNs = append(unknownARNs, i)
				}
				attached = append(attached, model.PolicyAttachment{ARN: arn})
			}
			// One ARN known only after apply and one policy of the plan
			// referenced: that policy's.
			if len(unknownARNs) == 1 {
				if t, _ := l.refTo(r, r.cfgExprs(), "managed_policy_arns", kinds{"aws_iam_policy": {"arn"}}); t != nil {
					attached[unknownARNs[0]].Ref = t.addr
				}
			}
			role.ManagedPolicies = model.Known(attached)
		}
	}
	if role.PermissionsBoundary, err = l.str(r.v.get("permissions_boundary"), model.Known("")); err != nil {
		return err
	}
	if t, _ := l.follow(r, r.cfgExprs(), "permissions_boundary", role.PermissionsBoundary, kinds{"aws_iam_policy": {"arn", "id"}}); t != nil {
		role.PermissionsBoundaryRef = t.addr
	}
	l.roles[r] = role
	if n, ok := role.Name.Get(); ok {
		l.roleNames[n] = role
	}
	l.m.Roles = append(l.m.Roles, role)
	return nil
}

// The role fields that attachments set.
const (
	fieldInline  = "inline policies"
	fieldManaged = "managed policies"
)

// rolePolicy reads aws_iam_role_policy (an inline policy) and
// aws_iam_role_policy_attachment (a managed policy) into their role. One
// whose role is unknown may be any role's.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachment
func (l *loader) rolePolicy(r *resource) error {
	name, err := l.str(r.v.get("role"), model.Unknown[string]("%s has no role", r.addr))
	if err != nil {
		return err
	}
	var role *model.IAMRole
	if t, _ := l.follow(r, r.cfgExprs(), "role", name, kinds{"aws_iam_role": {"name", "id"}}); t != nil {
		role = l.roles[t]
	}
	n, known := name.Get()
	if role == nil && known {
		role = l.roleNames[n]
	}
	field := fieldInline
	if r.typ == "aws_iam_role_policy_attachment" {
		field = fieldManaged
	}
	if role == nil {
		if !known {
			l.unresolved = append(l.unresolved, unresolved{field: field, why: fmt.Sprintf("%s adds a policy to a role that is unknown: %s", r.addr, name.Reason())})
		}
		return nil // a role outside the plan
	}
	if field == fieldInline {
		ip := model.InlinePolicy{}
		if ip.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
			return err
		}
		if ip.Policy, err = l.policyDoc(r, r.v.get("policy"), true); err != nil {
			return err
		}
		if inline, ok := role.InlinePolicies.Get(); ok {
			role.InlinePolicies = model.Known(append(inline, ip))
		}
		return nil
	}
	at := model.PolicyAttachment{}
	if at.ARN, err = l.str(r.v.get("policy_arn"), model.Unknown[string]("%s has no policy_arn", r.addr)); err != nil {
		return err
	}
	if t, _ := l.follow(r, r.cfgExprs(), "policy_arn", at.ARN, kinds{"aws_iam_policy": {"arn", "id"}}); t != nil {
		at.Ref = t.addr
	}
	if attached, ok := role.ManagedPolicies.Get(); ok {
		role.ManagedPolicies = model.Known(append(attached, at))
	}
	return nil
}

// managedPolicy reads aws_iam_policy.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy
func (l *loader) managedPolicy(r *resource) error {
	mp := &model.ManagedPolicy{Origin: r.origin}
	var err error
	if mp.Name, err = l.str(r.v.get("name"), model.Unknown[string]("%s has no name", r.addr)); err != nil {
		return err
	}
	if mp.ARN, err = l.str(r.v.get("arn"), model.Unknown[string]("%s has no arn", r.addr)); err != nil {
		return err
	}
	if mp.Policy, err = l.policyDoc(r, r.v.get("policy"), true); err != nil {
		return err
	}
	l.m.ManagedPolicies = append(l.m.ManagedPolicies, mp)
	return nil
}
