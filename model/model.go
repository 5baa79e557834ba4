package model

import (
	"path/filepath"
	"reflect"
	"strings"
)

// Origin is where a resource was defined.
type Origin struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	// ID is the name the source knows the resource by: a CloudFormation
	// logical ID, a Terraform address, or an ARN for a live account.
	ID string `json:"id,omitempty"`
	// Scope keeps references inside the input that made them: two
	// templates may both have a LogKey. Set by Isolate; see RefKey.
	Scope string `json:"-"`
}

// RefKey is what a reference to the resource defined at o is matched
// against: the ID within its scope.
func (o Origin) RefKey() string { return o.Scope + o.ID }

// InputScope is the scope Isolate gave the resource: resources of one input
// share it.
func (o Origin) InputScope() string { return o.Scope }

// Model is everything logpath knows about the accounts it checks.
type Model struct {
	Firewalls           []*Firewall          `json:"firewalls,omitempty"`
	FlowLogs            []*FlowLog           `json:"flowLogs,omitempty"`
	Trails              []*Trail             `json:"trails,omitempty"`
	Buckets             []*Bucket            `json:"buckets,omitempty"`
	Keys                []*Key               `json:"keys,omitempty"`
	Aliases             []*Alias             `json:"aliases,omitempty"`
	LogGroups           []*LogGroup          `json:"logGroups,omitempty"`
	LogResourcePolicies []*LogResourcePolicy `json:"logResourcePolicies,omitempty"`
	DeliveryStreams     []*DeliveryStream    `json:"deliveryStreams,omitempty"`
	Roles               []*IAMRole           `json:"iamRoles,omitempty"`
	ManagedPolicies     []*ManagedPolicy     `json:"managedPolicies,omitempty"`
	OrgPolicies         []*OrgPolicy         `json:"organizationPolicies,omitempty"`
	Organization        *Organization        `json:"organization,omitempty"`
	// Route 53 Resolver query logging (resolver.go) and AWS WAF (waf.go).
	ResolverQueryLogConfigs      []*ResolverQueryLogConfig      `json:"resolverQueryLogConfigs,omitempty"`
	ResolverQueryLogAssociations []*ResolverQueryLogAssociation `json:"resolverQueryLogAssociations,omitempty"`
	WebACLs                      []*WebACL                      `json:"webAcls,omitempty"`
	WAFLoggingConfigurations     []*WAFLoggingConfiguration     `json:"wafLoggingConfigurations,omitempty"`
	// Suppressions are the findings the user chose to accept.
	Suppressions []Suppression `json:"suppressions,omitempty"`
	// Gaps are the parts of a live account that could not be read.
	Gaps []*Gap `json:"gaps,omitempty"`
	// Deployed says the model describes resources as they are now, with
	// logging already set up (a live account), rather than as they will be
	// deployed (infrastructure as code). What AWS adds at set-up (bucket
	// policy statements, the Firehose tag) is then already there or missing.
	Deployed bool `json:"deployed,omitempty"`
}

// PolicyDocument is a JSON policy attached to a resource.
type PolicyDocument struct {
	Origin
	// JSON is the document's text.
	JSON Value[string] `json:"json"`
	// Managed is set when infrastructure as code owns the document: a
	// statement AWS adds to it by itself is removed again at the next deploy.
	Managed bool `json:"managed,omitempty"`
	// StatementLines, when set, gives the source line of each statement,
	// for documents rendered from another format (a YAML template).
	StatementLines []int `json:"-"`
}

// Firewall is an AWS Network Firewall firewall and its logging configuration.
type Firewall struct {
	Origin
	Name    Value[string] `json:"name"`
	ARN     Value[string] `json:"arn,omitzero"`
	Account Value[string] `json:"account"`
	Region  Value[string] `json:"region"`
	// Logging is nil when the firewall has no logging configuration.
	Logging *LoggingConfiguration `json:"logging,omitempty"`
}

// LoggingConfiguration is a firewall's AWS::NetworkFirewall::LoggingConfiguration.
type LoggingConfiguration struct {
	Origin
	Destinations []LogDestination `json:"destinations"`
	// Unknown, when set, says why the destinations could not be read at all.
	Unknown string `json:"unknown,omitempty"`
}

// Network Firewall log types and destination types.
// https://docs.aws.amazon.com/network-firewall/latest/APIReference/API_LogDestinationConfig.html
const (
	LogTypeAlert = "ALERT"
	LogTypeFlow  = "FLOW"
	LogTypeTLS   = "TLS"

	DestS3       = "S3"
	DestLogs     = "CloudWatchLogs"
	DestFirehose = "KinesisDataFirehose"
)

// LogDestination is one LogDestinationConfig: where one log type goes.
type LogDestination struct {
	Origin
	LogType Value[string] `json:"logType"`
	Type    Value[string] `json:"destinationType"`
	// The LogDestination map, by destination type.
	BucketName     Value[string] `json:"bucketName,omitzero"`
	Prefix         Value[string] `json:"prefix,omitzero"`
	LogGroup       Value[string] `json:"logGroup,omitzero"`
	DeliveryStream Value[string] `json:"deliveryStream,omitzero"`
	// Ref is the Origin.ID of the destination resource when the source
	// names it by reference (a CloudFormation !Ref, a Terraform attribute
	// reference). It links the two even when the name is not known before
	// deployment.
	Ref string `json:"ref,omitempty"`
	// Evidence is what a live account shows about this delivery.
	Evidence *Evidence `json:"evidence,omitempty"`
}

// FlowLog is a VPC flow log: one source logging the IP traffic of a VPC,
// subnet, network interface, transit gateway or transit gateway attachment
// to one destination.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html
type FlowLog struct {
	Origin
	// FlowLogID is the flow log's ID (fl-...), generated when it is created.
	FlowLogID Value[string] `json:"flowLogId"`
	Account   Value[string] `json:"account"`
	Region    Value[string] `json:"region"`
	// ResourceID is what the flow log watches: a VPC, subnet, network
	// interface, transit gateway or transit gateway attachment ID.
	ResourceID Value[string] `json:"resourceId"`
	// TrafficType is ACCEPT, REJECT or ALL (not set for transit gateways).
	TrafficType Value[string] `json:"trafficType,omitzero"`
	// DestinationType is FlowLogToS3, FlowLogToLogs or FlowLogToFirehose.
	DestinationType Value[string] `json:"logDestinationType"`
	// Destination is the LogDestination ARN as written: a bucket with an
	// optional folder (arn:aws:s3:::bucket/folder/), a log group or a
	// delivery stream; "" when the flow log names a log group by
	// LogGroupName instead.
	Destination Value[string] `json:"logDestination,omitzero"`
	// LogGroupName names the log group when Destination does not.
	LogGroupName Value[string] `json:"logGroupName,omitzero"`
	// DeliverLogsPermissionARN is the IAM role that publishes to CloudWatch
	// Logs; "" when none is given.
	DeliverLogsPermissionARN Value[string] `json:"deliverLogsPermissionArn,omitzero"`
	// DeliverCrossAccountRole is the IAM role for delivery to a Firehose
	// stream in another account; "" when none is given.
	DeliverCrossAccountRole Value[string] `json:"deliverCrossAccountRole,omitzero"`
	// DestinationOptions are the S3 options; Known(nil) means AWS's defaults.
	DestinationOptions Value[*FlowLogDestinationOptions] `json:"destinationOptions,omitzero"`
	// DestinationRef is the Origin.ID of the bucket, log group or stream
	// when the flow log names it by reference; RoleRef that of the role
	// in DeliverLogsPermissionARN.
	DestinationRef string `json:"destinationRef,omitempty"`
	RoleRef        string `json:"roleRef,omitempty"`
	// Evidence is what a live account shows about the flow log's delivery
	// (DeliverLogsStatus, delivered logs).
	Evidence *Evidence `json:"evidence,omitempty"`
}

// FlowLogDestinationOptions are a flow log's S3 options.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DestinationOptionsRequest.html
type FlowLogDestinationOptions struct {
	// FileFormat is plain-text or parquet.
	FileFormat               Value[string] `json:"fileFormat"`
	HiveCompatiblePartitions Value[bool]   `json:"hiveCompatiblePartitions"`
	PerHourPartition         Value[bool]   `json:"perHourPartition"`
}

// Flow log destination types (LogDestinationType).
const (
	FlowLogToS3       = "s3"
	FlowLogToLogs     = "cloud-watch-logs"
	FlowLogToFirehose = "kinesis-data-firehose"
)

// S3 default encryption algorithms.
const (
	SSES3     = "AES256"
	SSEKMS    = "aws:kms"
	SSEKMSDSS = "aws:kms:dsse"
)

// Bucket is an S3 bucket.
type Bucket struct {
	Origin
	Name    Value[string] `json:"name"`
	Account Value[string] `json:"account"`
	Region  Value[string] `json:"region"`
	// Encryption is the default encryption. Known(nil) means none is
	// configured, which S3 treats as SSE-S3 since January 2023.
	Encryption Value[*BucketEncryption] `json:"encryption"`
	// Ownership is the Object Ownership setting; "" when not set (S3's
	// default for new buckets is BucketOwnerEnforced).
	Ownership Value[string] `json:"objectOwnership,omitzero"`
	// Policy is the bucket policy; Known(nil) means the bucket has none.
	Policy Value[*PolicyDocument] `json:"policy"`
}

// BucketEncryption is a bucket's default encryption rule.
type BucketEncryption struct {
	Algorithm Value[string] `json:"algorithm"`
	// KMSKeyID as written: a key ARN, key ID, alias name or alias ARN; "" when none.
	KMSKeyID         Value[string] `json:"kmsKeyId,omitzero"`
	BucketKeyEnabled Value[bool]   `json:"bucketKeyEnabled,omitzero"`
	// KeyRef is the Origin.ID of the key or alias KMSKeyID refers to, when known.
	KeyRef string `json:"keyRef,omitempty"`
	// KeyRefForm says how the reference names the key when KMSKeyID itself
	// is not known yet: "arn", "key-id" or "alias". AWS needs the ARN.
	KeyRefForm string `json:"keyRefForm,omitempty"`
}

// Key is a KMS key.
type Key struct {
	Origin
	KeyID   Value[string] `json:"keyId"`
	ARN     Value[string] `json:"arn"`
	Account Value[string] `json:"account"`
	Region  Value[string] `json:"region"`
	// Manager is "CUSTOMER" or "AWS".
	Manager Value[string] `json:"keyManager"`
	// Spec is the key spec, e.g. SYMMETRIC_DEFAULT.
	Spec Value[string] `json:"keySpec"`
	// State is the key state: Enabled, Disabled, PendingDeletion, ...
	// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
	State  Value[string]          `json:"keyState"`
	Policy Value[*PolicyDocument] `json:"policy"`
}

// Alias is a KMS alias.
type Alias struct {
	Origin
	Name   Value[string] `json:"name"` // alias/...
	Target Value[string] `json:"targetKeyId"`
	// TargetRef is the Origin.ID of the target key, when known.
	TargetRef string        `json:"targetRef,omitempty"`
	Account   Value[string] `json:"account"`
	Region    Value[string] `json:"region"`
}

// LogGroup is a CloudWatch Logs log group.
type LogGroup struct {
	Origin
	Name    Value[string] `json:"name"`
	Account Value[string] `json:"account"`
	Region  Value[string] `json:"region"`
	// KMSKeyID is the key ARN the group is encrypted with; "" when none.
	KMSKeyID Value[string] `json:"kmsKeyId"`
	KeyRef   string        `json:"keyRef,omitempty"`
}

// LogResourcePolicy is a CloudWatch Logs resource policy, account-level or
// attached to one log group.
type LogResourcePolicy struct {
	Origin
	Name    Value[string] `json:"name"`
	Account Value[string] `json:"account"`
	Region  Value[string] `json:"region"`
	// LogGroupARN is set for a log-group-level policy; "" for account-level.
	LogGroupARN Value[string] `json:"logGroupArn,omitzero"`
	// LogGroupRef is the Origin.ID of the log group, when known.
	LogGroupRef string                 `json:"logGroupRef,omitempty"`
	Policy      Value[*PolicyDocument] `json:"policy"`
}

// DeliveryStream is an Amazon Data Firehose delivery stream.
type DeliveryStream struct {
	Origin
	Name    Value[string] `json:"name"`
	Account Value[string] `json:"account"`
	Region  Value[string] `json:"region"`
	// Type is DirectPut or KinesisStreamAsSource.
	Type Value[string]            `json:"deliveryStreamType"`
	Tags Value[map[string]string] `json:"tags"`
	// TagsManaged is set when infrastructure as code owns the stream's tags,
	// so that a tag AWS adds is removed at the next deploy; TagsIgnored when
	// it is told to leave them alone (Terraform ignore_changes).
	TagsManaged bool `json:"tagsManaged,omitempty"`
	TagsIgnored bool `json:"tagsIgnored,omitempty"`
	// TagsIgnoredUnknown says why the input cannot tell whether tag
	// changes are ignored (a plan JSON prints no lifecycle blocks); "" when
	// it can.
	TagsIgnoredUnknown string `json:"tagsIgnoredUnknown,omitempty"`
	// KeyType is AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK, or "" without SSE.
	KeyType Value[string] `json:"keyType,omitzero"`
	KeyARN  Value[string] `json:"keyArn,omitzero"`
	KeyRef  string        `json:"keyRef,omitempty"`
}

// OrgPolicy is an AWS Organizations SCP or RCP and where it is attached.
type OrgPolicy struct {
	Origin
	Name Value[string] `json:"name"`
	// Type is SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY.
	Type Value[string] `json:"type"`
	// Targets are the root, OU and account IDs the policy is attached to.
	Targets Value[[]string]        `json:"targets"`
	Policy  Value[*PolicyDocument] `json:"policy"`
}

// Organization policy types.
const (
	SCPType = "SERVICE_CONTROL_POLICY"
	RCPType = "RESOURCE_CONTROL_POLICY"
)

// Organization is the shape of an AWS organization, as far as it is known.
type Organization struct {
	// Paths maps an account ID to the IDs above it, root first
	// (["r-examplerootid", "ou-ab12-xxxx"]).
	Paths map[string][]string `json:"paths"`
}

// Merge adds another model's resources to m.
func (m *Model) Merge(o *Model) {
	m.Firewalls = append(m.Firewalls, o.Firewalls...)
	m.FlowLogs = append(m.FlowLogs, o.FlowLogs...)
	m.Trails = append(m.Trails, o.Trails...)
	m.Buckets = append(m.Buckets, o.Buckets...)
	m.Keys = append(m.Keys, o.Keys...)
	m.Aliases = append(m.Aliases, o.Aliases...)
	m.LogGroups = append(m.LogGroups, o.LogGroups...)
	m.LogResourcePolicies = append(m.LogResourcePolicies, o.LogResourcePolicies...)
	m.DeliveryStreams = append(m.DeliveryStreams, o.DeliveryStreams...)
	m.Roles = append(m.Roles, o.Roles...)
	m.ManagedPolicies = append(m.ManagedPolicies, o.ManagedPolicies...)
	m.OrgPolicies = append(m.OrgPolicies, o.OrgPolicies...)
	m.Suppressions = append(m.Suppressions, o.Suppressions...)
	m.Gaps = append(m.Gaps, o.Gaps...)
	m.Deployed = m.Deployed || o.Deployed
	m.ResolverQueryLogConfigs = append(m.ResolverQueryLogConfigs, o.ResolverQueryLogConfigs...)
	m.ResolverQueryLogAssociations = append(m.ResolverQueryLogAssociations, o.ResolverQueryLogAssociations...)
	m.WebACLs = append(m.WebACLs, o.WebACLs...)
	m.WAFLoggingConfigurations = append(m.WAFLoggingConfigurations, o.WAFLoggingConfigurations...)
	if o.Organization != nil {
		if m.Organization == nil {
			m.Organization = &Organization{Paths: map[string][]string{}}
		}
		for k, v := range o.Organization.Paths {
			m.Organization.Paths[k] = v
		}
	}
}

// Suppression accepts the findings of some gates on one resource (or on
// every resource), written as a "logpath:ignore" comment, in CloudFormation
// Metadata, or in a .logpath.yaml file. A suppressed finding is still
// reported, marked suppressed, and does not make logpath check fail.
type Suppression struct {
	// Gates are the gate IDs it applies to (kms.key-policy, ...).
	Gates []string `json:"gates"`
	// Reason is why the finding is accepted, as the user wrote it.
	Reason string `json:"reason,omitempty"`
	// Resource, when set, is the ID of the resource it is on (a logical
	// ID, a Terraform address, an ARN).
	Resource string `json:"resource,omitempty"`
	// File, when set, limits it to resources defined in that file, and
	// Start and End, when set, to the one defined on those lines.
	File  string `json:"file,omitempty"`
	Start int    `json:"start,omitempty"`
	End   int    `json:"end,omitempty"`
	// At is where the suppression itself is written.
	At Origin `json:"at"`
}

// Covers reports whether the suppression is on the resource defined at o:
// every condition it sets (resource ID, file, lines) must hold.
func (s *Suppression) Covers(o Origin) bool {
	if s.Resource != "" && o.ID != s.Resource {
		return false
	}
	if s.File != "" && filepath.Clean(o.File) != filepath.Clean(s.File) {
		return false
	}
	return s.End == 0 || (s.Start <= o.Line && o.Line <= s.End)
}

// Isolate puts every resource of m in scope, and every reference m makes
// (a string field named Ref or ending in Ref) into the same scope, so that
// references do not reach into another input merged beside it.
func (m *Model) Isolate(scope string) {
	isolate(reflect.ValueOf(m).Elem(), scope+"\x00")
}

var originType = reflect.TypeOf(Origin{})

func isolate(v reflect.Value, scope string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			isolate(v.Elem(), scope)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			isolate(v.Index(i), scope)
		}
	case reflect.Struct:
		if v.Type() == originType {
			v.FieldByName("Scope").SetString(scope)
			return
		}
		t := v.Type()
		if strings.HasPrefix(t.Name(), "Value[") {
			// A known value holding a pointer (a bucket's encryption) or
			// a slice (a role's policy attachments) is walked through
			// what Get returns, which shares the value's memory.
			if out := v.MethodByName("Get").Call(nil); out[1].Bool() && (out[0].Kind() == reflect.Pointer || out[0].Kind() == reflect.Slice) {
				isolate(out[0], scope)
			}
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if f.Type.Kind() == reflect.String && strings.HasSuffix(f.Name, "Ref") {
				if fv.String() != "" {
					fv.SetString(scope + fv.String())
				}
				continue
			}
			isolate(fv, scope)
		}
	}
}
