package live

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/logpath/logpath/internal/crash"
	"github.com/logpath/logpath/model"
)

// readCloudTrail reads the trails whose home Region is this one
// (DescribeTrails without shadow trails, so that a multi-Region trail is
// read once, in its home Region), each one's status (GetTrailStatus), its
// bucket, KMS key, log group and CloudWatch Logs role, and the evidence:
// the delivery errors CloudTrail reports and when it last delivered.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
func (a *auditor) readCloudTrail(ctx context.Context, ac *account, region string) {
	// DescribeTrails has no paginator: it answers every trail at once.
	out, err := ac.in(region).trails.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(false)})
	if err != nil {
		a.gap(&model.Gap{Account: ac.id, Region: region, Source: "cloudtrail", Reason: "the trails cannot be listed: " + listFailure("cloudtrail:DescribeTrails", region, err)})
		return
	}
	trails := make([]*model.Trail, len(out.TrailList))
	var wg sync.WaitGroup
	for i := range out.TrailList {
		wg.Add(1)
		go func() {
			defer crash.Guard()
			defer wg.Done()
			trails[i] = a.trail(ctx, ac, region, &out.TrailList[i])
		}()
	}
	wg.Wait()
	a.add(func(m *model.Model) { m.Trails = append(m.Trails, trails...) })
}

func (a *auditor) trail(ctx context.Context, ac *account, region string, tr *cttypes.Trail) *model.Trail {
	name, arn := aws.ToString(tr.Name), aws.ToString(tr.TrailARN)
	home := aws.ToString(tr.HomeRegion)
	if home == "" {
		home = region
	}
	bucket, prefix := aws.ToString(tr.S3BucketName), aws.ToString(tr.S3KeyPrefix)
	group, role := aws.ToString(tr.CloudWatchLogsLogGroupArn), aws.ToString(tr.CloudWatchLogsRoleArn)
	t := &model.Trail{Origin: model.Origin{ID: arn}, Name: model.Known(name), ARN: model.Known(arn), Account: model.Known(ac.id),
		Region: model.Known(home), IsOrganizationTrail: model.Known(aws.ToBool(tr.IsOrganizationTrail)),
		IsMultiRegionTrail: model.Known(aws.ToBool(tr.IsMultiRegionTrail)),
		S3BucketName:       model.Known(bucket), S3KeyPrefix: model.Known(prefix), KMSKeyID: model.Known(aws.ToString(tr.KmsKeyId)),
		CloudWatchLogsLogGroupARN: model.Known(group), CloudWatchLogsRoleARN: model.Known(role)}
	if aws.ToBool(tr.IsOrganizationTrail) {
		// The organization trail writes under AWSLogs/<organization ID>/.
		t.OrganizationID = a.organizationID(ctx, ac, region)
	}
	if bucket != "" {
		a.bucket(ctx, ac, home, bucket)
	}
	if k := aws.ToString(tr.KmsKeyId); k != "" {
		a.keyRef(ctx, k, ac.id, home, ac)
	}
	groupName := group
	if group != "" {
		if d := a.readDestination(ctx, ac, home, group); d.name != "" {
			groupName = d.name
		}
		if role != "" {
			a.role(ctx, ac, role)
		}
	}
	// The ARN names the trail whatever Region or account it is in.
	var s3Newest, logsNewest model.Value[*time.Time]
	var s3Failure, logsFailure string
	st, err := ac.in(region).trails.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(arn)})
	if err != nil {
		why := readFailure("cloudtrail:GetTrailStatus", err)
		t.IsLogging = model.Unknown[bool]("%s", why)
		s3Newest, logsNewest = model.Unknown[*time.Time]("%s", why), model.Unknown[*time.Time]("%s", why)
	} else {
		t.IsLogging = model.Known(aws.ToBool(st.IsLogging))
		s3Newest, logsNewest = model.Known(utc(st.LatestDeliveryTime)), model.Known(utc(st.LatestCloudWatchLogsDeliveryTime))
		s3Failure = trailFailure(fieldError{"LatestDeliveryError", st.LatestDeliveryError}, fieldError{"LatestDigestDeliveryError", st.LatestDigestDeliveryError})
		logsFailure = trailFailure(fieldError{"LatestCloudWatchLogsDeliveryError", st.LatestCloudWatchLogsDeliveryError})
	}
	if ev := a.evidence(); ev != nil {
		org := ""
		if aws.ToBool(tr.IsOrganizationTrail) {
			org = t.OrganizationID.Or("<organization ID>")
		}
		ev.Where, ev.Newest, ev.Failure = trailFolder(bucket, prefix, org, ac.id, home)+" (CloudTrail's LatestDeliveryTime)", s3Newest, s3Failure
		t.Evidence = ev
	}
	if ev := a.evidence(); ev != nil && group != "" {
		ev.Where, ev.Newest, ev.Failure = "log group "+groupName+" (CloudTrail's LatestCloudWatchLogsDeliveryTime)", logsNewest, logsFailure
		t.LogsEvidence = ev
	}
	return t
}

// trailFolder is where the trail writes its home Region's log files:
// s3://<bucket>/[<prefix>/]AWSLogs/[<organization ID>/]<account>/CloudTrail/<Region>/,
// with the organization's ID (or a placeholder) for an organization trail.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
func trailFolder(bucket, prefix, orgID, account, region string) string {
	if orgID != "" {
		account = orgID + "/" + account // an organization trail
	}
	return "s3://" + bucket + "/" + underPrefix(prefix, "AWSLogs/"+account+"/CloudTrail/"+region+"/")
}

type fieldError struct {
	field string
	value *string
}

// trailFailure quotes the delivery errors GetTrailStatus reports, which
// occur "only when there is a problem with the destination S3 bucket, and
// [do] not occur for requests that time out".
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
func trailFailure(errs ...fieldError) string {
	var parts []string
	for _, e := range errs {
		if v := aws.ToString(e.value); v != "" {
			parts = append(parts, fmt.Sprintf("%s %q", e.field, v))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "CloudTrail reports " + strings.Join(parts, ", ")
}

func utc(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// organizationID is the ID of the organization of the account, read once
// per account. Every account of an organization may read it, not only the
// management account.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html
func (a *auditor) organizationID(ctx context.Context, ac *account, region string) model.Value[string] {
	ac.orgOnce.Do(func() {
		out, err := ac.in(region).org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		switch {
		case isCode(err, "AWSOrganizationsNotInUseException"):
			ac.orgID = model.Unknown[string]("CloudTrail calls the trail an organization trail, but organizations:DescribeOrganization says account %s is in no organization", ac.id)
		case err != nil:
			ac.orgID = model.Unknown[string]("%s", readFailure("organizations:DescribeOrganization", err))
		case out.Organization == nil || aws.ToString(out.Organization.Id) == "":
			ac.orgID = model.Unknown[string]("organizations:DescribeOrganization gave no organization ID")
		default:
			ac.orgID = model.Known(aws.ToString(out.Organization.Id))
		}
	})
	return ac.orgID
}
