package model

// Trail is an AWS CloudTrail trail: the events of an account, or of every
// account of an organization, written as log files to an S3 bucket and,
// optionally, to a CloudWatch Logs log group through an IAM role.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
type Trail struct {
	Origin
	// Name is the trail's name; its ARN is
	// arn:<partition>:cloudtrail:<Region>:<account>:trail/<name>.
	Name    Value[string] `json:"name"`
	ARN     Value[string] `json:"arn,omitzero"`
	Account Value[string] `json:"account"`
	// Region is the trail's home Region.
	Region Value[string] `json:"region"`
	// IsLogging says whether the trail is logging (StartLogging); a trail
	// that is not delivers nothing.
	IsLogging Value[bool] `json:"isLogging"`
	// IsOrganizationTrail: the trail logs every account of the
	// organization, under AWSLogs/<organization ID>/<account>/.
	IsOrganizationTrail Value[bool] `json:"isOrganizationTrail"`
	// IsMultiRegionTrail: the trail also logs every other Region, writing
	// under AWSLogs/<account>/CloudTrail/<each Region>/; no gate decides on
	// it (the bucket and key grants cover the account's whole folder).
	IsMultiRegionTrail Value[bool] `json:"isMultiRegionTrail,omitzero"`
	// OrganizationID is the ID (o-...) of the organization of an
	// organization trail; a template does not know it.
	OrganizationID Value[string] `json:"organizationId,omitzero"`
	// S3BucketName and S3KeyPrefix say where the log files go; "" for no
	// prefix.
	S3BucketName Value[string] `json:"s3BucketName"`
	S3KeyPrefix  Value[string] `json:"s3KeyPrefix"`
	// KMSKeyID is the KMS key the trail encrypts its log files with (a key
	// ARN, key ID, alias name or alias ARN, as written); "" for none.
	KMSKeyID Value[string] `json:"kmsKeyId"`
	// CloudWatchLogsLogGroupARN and CloudWatchLogsRoleARN send the events
	// to a log group as well; "" for none.
	CloudWatchLogsLogGroupARN Value[string] `json:"cloudWatchLogsLogGroupArn"`
	CloudWatchLogsRoleARN     Value[string] `json:"cloudWatchLogsRoleArn"`
	// The Origin.ID of the bucket, key (or alias), log group and role when
	// the trail names them by reference.
	BucketRef   string `json:"bucketRef,omitempty"`
	KeyRef      string `json:"keyRef,omitempty"`
	LogGroupRef string `json:"logGroupRef,omitempty"`
	RoleRef     string `json:"roleRef,omitempty"`
	// Evidence is what a live account shows about the delivery of the log
	// files to S3 (GetTrailStatus LatestDeliveryError, LatestDeliveryTime),
	// and LogsEvidence about the delivery to the log group
	// (LatestCloudWatchLogsDeliveryError, LatestCloudWatchLogsDeliveryTime).
	Evidence     *Evidence `json:"evidence,omitempty"`
	LogsEvidence *Evidence `json:"logsEvidence,omitempty"`
}

// AssumeOrganizationID gives every organization trail of m whose
// organization's ID is unknown the ID id: what logpath check
// --organization-id says, for inputs (a template, a plan) that cannot.
// A trail whose input gives the ID keeps it.
func (m *Model) AssumeOrganizationID(id string) {
	for _, t := range m.Trails {
		if org, ok := t.IsOrganizationTrail.Get(); ok && !org {
			continue
		}
		if _, known := t.OrganizationID.Get(); !known {
			t.OrganizationID = Known(id)
		}
	}
}
