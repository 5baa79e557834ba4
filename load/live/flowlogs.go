package live

import (
	"context"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/logpath/logpath/internal/crash"
	"github.com/logpath/logpath/model"
)

// readFlowLogs reads the VPC flow logs of one account in one Region
// (ec2:DescribeFlowLogs), each destination, the role of a flow log to
// CloudWatch Logs, and the evidence: the delivery status EC2 reports
// (DeliverLogsStatus, DeliverLogsErrorMessage) and the newest delivered
// log.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFlowLogs.html
func (a *auditor) readFlowLogs(ctx context.Context, ac *account, region string) {
	var found []ec2types.FlowLog
	p := ec2.NewDescribeFlowLogsPaginator(ac.in(region).ec2, &ec2.DescribeFlowLogsInput{MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			a.gap(&model.Gap{Account: ac.id, Region: region, Source: "vpc-flow-logs", Reason: "the flow logs cannot be listed: " + listFailure("ec2:DescribeFlowLogs", region, err)})
			return
		}
		found = append(found, page.FlowLogs...)
	}
	fls := make([]*model.FlowLog, len(found))
	var wg sync.WaitGroup
	for i := range found {
		wg.Add(1)
		go func() {
			defer crash.Guard()
			defer wg.Done()
			fls[i] = a.flowLog(ctx, ac, region, &found[i])
		}()
	}
	wg.Wait()
	a.add(func(m *model.Model) { m.FlowLogs = append(m.FlowLogs, fls...) })
}

func (a *auditor) flowLog(ctx context.Context, ac *account, region string, f *ec2types.FlowLog) *model.FlowLog {
	id := aws.ToString(f.FlowLogId)
	fl := &model.FlowLog{Origin: model.Origin{ID: "arn:" + a.partition + ":ec2:" + region + ":" + ac.id + ":vpc-flow-log/" + id},
		FlowLogID: model.Known(id), Account: model.Known(ac.id), Region: model.Known(region),
		ResourceID: model.Known(aws.ToString(f.ResourceId)), DestinationType: model.Known(string(f.LogDestinationType)),
		Destination: model.Known(aws.ToString(f.LogDestination)), LogGroupName: model.Known(aws.ToString(f.LogGroupName)),
		DeliverLogsPermissionARN: model.Known(aws.ToString(f.DeliverLogsPermissionArn)),
		DeliverCrossAccountRole:  model.Known(aws.ToString(f.DeliverCrossAccountRole)),
		DestinationOptions:       model.Known[*model.FlowLogDestinationOptions](nil)}
	if f.TrafficType != "" { // none for a transit gateway
		fl.TrafficType = model.Known(string(f.TrafficType))
	}
	hive := false
	if o := f.DestinationOptions; o != nil {
		hive = aws.ToBool(o.HiveCompatiblePartitions)
		fl.DestinationOptions = model.Known(&model.FlowLogDestinationOptions{FileFormat: model.Known(string(o.FileFormat)),
			HiveCompatiblePartitions: model.Known(hive), PerHourPartition: model.Known(aws.ToBool(o.PerHourPartition))})
	}
	arn := aws.ToString(f.LogDestination)
	if arn == "" && f.LogDestinationType == ec2types.LogDestinationTypeCloudWatchLogs && aws.ToString(f.LogGroupName) != "" {
		arn = "arn:" + a.partition + ":logs:" + region + ":" + ac.id + ":log-group:" + aws.ToString(f.LogGroupName)
	}
	dest := a.readDestination(ctx, ac, region, arn)
	if dest.typ == model.DestLogs {
		// The role publishes to CloudWatch Logs only.
		if role := aws.ToString(f.DeliverLogsPermissionArn); role != "" {
			a.role(ctx, ac, role)
		}
	}
	folder, dateFolder := flowLogFolder(ac.id, region, hive)
	fl.Evidence = a.destinationEvidence(ctx, dest, region, flowLogFailure(f), layout{
		s3Folders: []string{folder}, dateFolder: dateFolder,
		// Flow logs sharing a folder are told apart by the file name,
		// <account>_vpcflowlogs_<Region>_<flow-log-id>_<time>_<hash>.
		match: func(key string) bool { return strings.Contains(path.Base(key), "_vpcflowlogs_"+region+"_"+id+"_") },
	})
	return fl
}

// flowLogFolder is the folder VPC Flow Logs writes a flow log's files
// under, after the folder the bucket ARN may name
// (arn:aws:s3:::bucket/folder/), and the layout of the date folders below
// it: AWSLogs/<account>/vpcflowlogs/<Region>/<yyyy>/<mm>/<dd>/[<hh>/], or
// with Hive-compatible prefixes
// AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<Region>/year=<yyyy>/month=<mm>/day=<dd>/[hour=<hh>/].
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
func flowLogFolder(account, region string, hive bool) (folder, dateFolder string) {
	if hive {
		return "AWSLogs/aws-account-id=" + account + "/aws-service=vpcflowlogs/aws-region=" + region + "/", "year=2006/month=01/day=02"
	}
	return "AWSLogs/" + account + "/vpcflowlogs/" + region + "/", "2006/01/02"
}

// flowLogFailure quotes the delivery status EC2 reports for a flow log:
// DeliverLogsStatus FAILED, with DeliverLogsErrorMessage ("Access error",
// "Rate limited", "Unknown error").
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FlowLog.html
func flowLogFailure(f *ec2types.FlowLog) string {
	status, msg := aws.ToString(f.DeliverLogsStatus), aws.ToString(f.DeliverLogsErrorMessage)
	if status != "FAILED" && msg == "" {
		return ""
	}
	out := "EC2 reports DeliverLogsStatus " + status
	if msg != "" {
		out += fmt.Sprintf(", DeliverLogsErrorMessage %q", msg)
	}
	return out
}
