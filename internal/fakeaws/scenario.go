// Package fakeaws is a test-only fake of the AWS APIs logpath audit reads.
// It is an httptest server that speaks the services' real wire protocols
// (awsJson 1.0/1.1 with X-Amz-Target, awsQuery and ec2Query with XML
// answers, restXml for S3 with path-style addressing, Smithy RPC v2 CBOR for
// CloudWatch), so that the real aws-sdk-go-v2 clients talk to it through
// AWS_ENDPOINT_URL.
//
// A scenario file (YAML or JSON; see docs in testdata/README.md) declares
// accounts and their resources. The fake tells the caller's account from
// the access key, refuses the reads AWS refuses across accounts
// (GetBucketPolicy, GetKeyPolicy), injects throttling, access denied,
// small pages and latency, and answers every other operation with an
// error that it records, so that a test can fail on an unexpected call.
// It never checks signatures.
package fakeaws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Scenario is one scenario file.
type Scenario struct {
	// Now is the fake's clock; ages in the file count back from it.
	// Default: the time the scenario is parsed.
	Now          time.Time     `yaml:"now"`
	Accounts     []*Account    `yaml:"accounts"`
	Organization *Organization `yaml:"organization"`
	// AWSManagedPolicies are the AWS managed policies
	// (arn:aws:iam::aws:policy/<path><name>) every account can read.
	AWSManagedPolicies []*ManagedPolicy `yaml:"awsManagedPolicies"`
	Faults             Faults           `yaml:"faults"`
}

// Account is one AWS account.
type Account struct {
	ID string `yaml:"id"`
	// AccessKey is the static access key ID of the account's auditor;
	// default AKIAFAKE<id>.
	AccessKey string `yaml:"accessKey"`
	// Deny lists operations ("kms:GetKeyPolicy", "<service>:<Operation>")
	// that identities of this account may not call: AccessDenied.
	Deny    []string  `yaml:"deny"`
	Roles   []*Role   `yaml:"roles"`
	Regions []*Region `yaml:"regions"`
	Buckets []*Bucket `yaml:"buckets"`
	// IAMRoles and ManagedPolicies are the account's IAM roles and
	// customer managed policies, as IAM reads them (IAM is global).
	IAMRoles        []*IAMRole       `yaml:"iamRoles"`
	ManagedPolicies []*ManagedPolicy `yaml:"managedPolicies"`
}

// IAMRole is an IAM role of the account (not one the auditor assumes:
// those are Roles).
type IAMRole struct {
	Name string `yaml:"name"`
	// Path is the role's path; default "/".
	Path string `yaml:"path"`
	// Trust is the AssumeRolePolicyDocument.
	Trust  Policy          `yaml:"trust"`
	Inline []*InlinePolicy `yaml:"inline"`
	// Managed are the ARNs of the managed policies attached to it.
	Managed []string `yaml:"managed"`
	// Boundary is the ARN of its permissions boundary; "": none.
	Boundary string `yaml:"boundary"`
}

// InlinePolicy is a policy embedded in a role.
type InlinePolicy struct {
	Name   string `yaml:"name"`
	Policy Policy `yaml:"policy"`
}

// ManagedPolicy is a managed policy and the text of its default version.
type ManagedPolicy struct {
	Name string `yaml:"name"`
	// Path is the policy's path; default "/".
	Path string `yaml:"path"`
	// Version is the ID of the default version; default v1.
	Version string `yaml:"version"`
	Policy  Policy `yaml:"policy"`
}

// Role is a role that can be assumed into the account.
type Role struct {
	Name       string `yaml:"name"`
	ExternalID string `yaml:"externalId"`
	// Trusted lists the accounts that may assume it; empty: every
	// account of the scenario.
	Trusted []string `yaml:"trusted"`
}

// Region holds an account's resources in one Region.
type Region struct {
	Name             string            `yaml:"name"`
	Firewalls        []*Firewall       `yaml:"firewalls"`
	Keys             []*Key            `yaml:"keys"`
	LogGroups        []*LogGroup       `yaml:"logGroups"`
	ResourcePolicies []*ResourcePolicy `yaml:"resourcePolicies"`
	DeliveryStreams  []*DeliveryStream `yaml:"deliveryStreams"`
	FlowLogs         []*FlowLog        `yaml:"flowLogs"`
	// Route 53 Resolver query logging configurations and the VPCs this
	// account associated with them.
	ResolverConfigs      []*ResolverConfig      `yaml:"resolverQueryLogConfigs"`
	ResolverAssociations []*ResolverAssociation `yaml:"resolverQueryLogConfigAssociations"`
	WebACLs              []*WebACL              `yaml:"webAcls"`
	// Trails are the CloudTrail trails whose home Region this is.
	Trails []*Trail `yaml:"trails"`
}

// Trail is a CloudTrail trail (DescribeTrails) and its status
// (GetTrailStatus).
type Trail struct {
	Name         string `yaml:"name"`
	S3BucketName string `yaml:"s3BucketName"`
	S3KeyPrefix  string `yaml:"s3KeyPrefix"`
	KMSKeyID     string `yaml:"kmsKeyId"`
	LogGroupARN  string `yaml:"cloudWatchLogsLogGroupArn"`
	RoleARN      string `yaml:"cloudWatchLogsRoleArn"`
	MultiRegion  bool   `yaml:"isMultiRegionTrail"`
	Organization bool   `yaml:"isOrganizationTrail"`
	// Logging is IsLogging; default true.
	Logging *bool `yaml:"isLogging"`
	// The errors GetTrailStatus reports, and the ages of the last
	// deliveries (absent: never).
	DeliveryError       string `yaml:"latestDeliveryError"`
	DigestDeliveryError string `yaml:"latestDigestDeliveryError"`
	LogsDeliveryError   string `yaml:"latestCloudWatchLogsDeliveryError"`
	LatestDelivery      *Age   `yaml:"latestDeliveryTime"`
	LatestLogsDelivery  *Age   `yaml:"latestCloudWatchLogsDeliveryTime"`
}

// FlowLog is a VPC flow log, with the delivery status EC2 reports.
type FlowLog struct {
	ID string `yaml:"id"`
	// ResourceID is what it watches; default vpc-0123456789abcdef0.
	ResourceID string `yaml:"resourceId"`
	// TrafficType is ALL (default), ACCEPT or REJECT.
	TrafficType string `yaml:"trafficType"`
	// DestinationType is s3 (default), cloud-watch-logs or
	// kinesis-data-firehose; Destination the LogDestination ARN.
	DestinationType string `yaml:"destinationType"`
	Destination     string `yaml:"destination"`
	LogGroupName    string `yaml:"logGroupName"`
	// Role is DeliverLogsPermissionArn.
	Role string `yaml:"deliverLogsPermissionArn"`
	// Status is DeliverLogsStatus (default SUCCESS) and ErrorMessage
	// DeliverLogsErrorMessage.
	Status       string `yaml:"deliverLogsStatus"`
	ErrorMessage string `yaml:"deliverLogsErrorMessage"`
	// S3 destination options.
	FileFormat               string `yaml:"fileFormat"`
	HiveCompatiblePartitions bool   `yaml:"hiveCompatiblePartitions"`
	PerHourPartition         bool   `yaml:"perHourPartition"`
}

// ResolverConfig is a Route 53 Resolver query logging configuration.
type ResolverConfig struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Destination string `yaml:"destinationArn"`
	// Status is CREATED (default), CREATING, DELETING or FAILED.
	Status string `yaml:"status"`
	// Owner is OwnerId, default the account; ShareStatus NOT_SHARED by
	// default (SHARED_WITH_ME for a configuration another account shares).
	Owner       string `yaml:"ownerId"`
	ShareStatus string `yaml:"shareStatus"`
}

// ResolverAssociation associates a VPC with a configuration.
type ResolverAssociation struct {
	ID       string `yaml:"id"`
	ConfigID string `yaml:"configId"`
	VPC      string `yaml:"vpcId"`
	// Status is ACTIVE (default), CREATING, ACTION_NEEDED, DELETING or
	// FAILED; Error NONE (default), DESTINATION_NOT_FOUND, ACCESS_DENIED or
	// INTERNAL_SERVICE_ERROR.
	Status       string `yaml:"status"`
	Error        string `yaml:"error"`
	ErrorMessage string `yaml:"errorMessage"`
}

// WebACL is an AWS WAF web ACL and its logging configuration.
type WebACL struct {
	Name string `yaml:"name"`
	// ID defaults to one made from the name.
	ID string `yaml:"id"`
	// Scope is REGIONAL (default) or CLOUDFRONT (in us-east-1 only).
	Scope string `yaml:"scope"`
	// Logging are the LogDestinationConfigs of its logging configuration;
	// absent: it has none.
	Logging []string `yaml:"logging"`
}

// Firewall is a Network Firewall firewall.
type Firewall struct {
	Name string `yaml:"name"`
	// Status is FirewallStatus.Status; default READY.
	Status  string            `yaml:"status"`
	Logging []*LogDestination `yaml:"logging"`
	// Packets is what CloudWatch answers for ReceivedPackets summed over
	// any period: the firewall's traffic.
	Packets float64 `yaml:"packets"`
}

// LogDestination is one LogDestinationConfig.
type LogDestination struct {
	LogType        string `yaml:"logType"`
	Type           string `yaml:"type"`
	BucketName     string `yaml:"bucketName"`
	Prefix         string `yaml:"prefix"`
	LogGroup       string `yaml:"logGroup"`
	DeliveryStream string `yaml:"deliveryStream"`
}

// Key is a KMS key.
type Key struct {
	ID string `yaml:"id"`
	// Manager is CUSTOMER (default) or AWS.
	Manager string `yaml:"manager"`
	// State is the KeyState; default Enabled.
	State string `yaml:"state"`
	// Spec is the KeySpec; default SYMMETRIC_DEFAULT.
	Spec    string   `yaml:"spec"`
	Policy  Policy   `yaml:"policy"`
	Aliases []string `yaml:"aliases"`
	// Readers are the other accounts the key policy lets call
	// DescribeKey (GetKeyPolicy never works across accounts).
	Readers []string `yaml:"readers"`
}

// LogGroup is a CloudWatch Logs log group.
type LogGroup struct {
	Name     string       `yaml:"name"`
	KMSKeyID string       `yaml:"kmsKeyId"`
	Streams  []*LogStream `yaml:"streams"`
	// NFWStreams makes the streams Network Firewall writes: one per hour
	// for each age (TLS: one stream, at the newest age).
	NFWStreams []*NFWLogs `yaml:"nfwStreams"`
}

// LogStream is a log stream and when it last ingested an event.
type LogStream struct {
	Name     string `yaml:"name"`
	Ingested Age    `yaml:"ingested"`
}

// ResourcePolicy is a CloudWatch Logs resource policy; with ResourceARN,
// a log-group-level one.
type ResourcePolicy struct {
	Name        string `yaml:"name"`
	Policy      Policy `yaml:"policy"`
	ResourceARN string `yaml:"resourceArn"`
}

// DeliveryStream is a Firehose stream.
type DeliveryStream struct {
	Name string `yaml:"name"`
	// Type is DirectPut (default) or KinesisStreamAsSource; Status
	// ACTIVE by default.
	Type       string            `yaml:"type"`
	Status     string            `yaml:"status"`
	Failure    *Failure          `yaml:"failure"`
	Encryption *StreamEncryption `yaml:"encryption"`
	Tags       map[string]string `yaml:"tags"`
}

// Failure is a Firehose FailureDescription.
type Failure struct {
	Type    string `yaml:"type"`
	Details string `yaml:"details"`
}

// StreamEncryption is DeliveryStreamEncryptionConfiguration.
type StreamEncryption struct {
	KeyType string   `yaml:"keyType"`
	KeyARN  string   `yaml:"keyArn"`
	Status  string   `yaml:"status"`
	Failure *Failure `yaml:"failure"`
}

// Bucket is an S3 bucket, owned by the account it is listed under.
type Bucket struct {
	Name   string `yaml:"name"`
	Region string `yaml:"region"`
	// Policy is the bucket policy; absent: none (NoSuchBucketPolicy).
	Policy     Policy            `yaml:"policy"`
	Encryption *BucketEncryption `yaml:"encryption"`
	// Ownership is the Object Ownership setting; "": none set
	// (OwnershipControlsNotFoundError).
	Ownership string `yaml:"ownership"`
	// Readers are the other accounts the bucket policy lets read the
	// bucket's settings and list it (never its policy).
	Readers []string  `yaml:"readers"`
	Objects []*Object `yaml:"objects"`
	// NFWLogs makes the objects Network Firewall writes.
	NFWLogs []*NFWLogs `yaml:"nfwLogs"`
}

// BucketEncryption is the default encryption rule.
type BucketEncryption struct {
	Algorithm        string `yaml:"algorithm"`
	KMSKeyID         string `yaml:"kmsKeyId"`
	BucketKeyEnabled bool   `yaml:"bucketKeyEnabled"`
}

// Object is an object key and its age.
type Object struct {
	Key string `yaml:"key"`
	Age Age    `yaml:"age"`
}

// NFWLogs are logs one firewall delivered: one object (or log stream) per
// age, laid out as Network Firewall writes them.
type NFWLogs struct {
	Account  string `yaml:"account"`
	Region   string `yaml:"region"`
	Firewall string `yaml:"firewall"`
	LogType  string `yaml:"logType"`
	Prefix   string `yaml:"prefix"`
	Ages     []Age  `yaml:"ages"`
}

// Organization is the AWS organization the accounts belong to.
type Organization struct {
	// ID is the organization's ID; default o-exampleorgid.
	ID         string `yaml:"id"`
	Management string `yaml:"management"`
	// Root is the root ID; default r-examplerootid.
	Root string `yaml:"root"`
	OUs  []*OU  `yaml:"ous"`
	// Parents maps an account ID to its OU (or the root); an account of
	// the scenario not listed is not in the organization.
	Parents map[string]string `yaml:"parents"`
	RCPs    []*RCP            `yaml:"rcps"`
}

// OU is an organizational unit.
type OU struct {
	ID     string `yaml:"id"`
	Parent string `yaml:"parent"`
}

// RCP is a resource control policy and its targets.
type RCP struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`
	Policy  Policy   `yaml:"policy"`
	Targets []string `yaml:"targets"`
}

// Faults are injected failures.
type Faults struct {
	// PageSize caps every list answer, so that readers must paginate.
	PageSize int `yaml:"pageSize"`
	// Latency delays every answer.
	Latency Age `yaml:"latency"`
	// Throttle maps an operation to how many of its first calls are
	// throttled (ThrottlingException; SlowDown for S3).
	Throttle map[string]int `yaml:"throttle"`
	// NoService maps a Region to the services (by signing name: wafv2,
	// route53resolver, ec2, ...) that have no endpoint there: the fake
	// closes the connection without an answer, as a request to an
	// endpoint that does not exist fails.
	NoService map[string][]string `yaml:"noService"`
}

// Policy is a policy document, written in the file as YAML/JSON or as a
// JSON string; Text is "" when absent.
type Policy struct {
	Text string
}

// UnmarshalYAML reads a policy given as a mapping or a string.
func (p *Policy) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if !json.Valid([]byte(n.Value)) {
			return fmt.Errorf("line %d: a policy given as a string must be JSON", n.Line)
		}
		p.Text = n.Value
		return nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("line %d: policy: %v", n.Line, err)
	}
	p.Text = string(b)
	return nil
}

// Age is a duration before the scenario's Now: "10m", "48h".
type Age time.Duration

// UnmarshalYAML reads a Go duration.
func (a *Age) UnmarshalYAML(n *yaml.Node) error {
	d, err := time.ParseDuration(n.Value)
	if err != nil || d < 0 {
		return fmt.Errorf("line %d: %q is not a duration such as 10m or 48h", n.Line, n.Value)
	}
	*a = Age(d)
	return nil
}

// Parse reads a scenario file and checks it.
func Parse(name string, data []byte) (*Scenario, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	s := &Scenario{}
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("%s: %v", name, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if s.Now.IsZero() {
		s.Now = time.Now().UTC().Truncate(time.Second)
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return s, nil
}

func isAccountID(s string) bool {
	return len(s) == 12 && strings.Trim(s, "0123456789") == ""
}

// check rejects scenarios the fake could not answer consistently.
func (s *Scenario) check() error {
	seen := map[string]bool{}
	keys := map[string]bool{}
	buckets := map[string]bool{}
	for i, a := range s.Accounts {
		if a == nil || !isAccountID(a.ID) {
			return fmt.Errorf("accounts[%d]: id must be a 12-digit account ID", i)
		}
		if seen[a.ID] {
			return fmt.Errorf("account %s is listed twice", a.ID)
		}
		seen[a.ID] = true
		if a.AccessKey == "" {
			a.AccessKey = "AKIAFAKE" + a.ID
		}
		if keys[a.AccessKey] {
			return fmt.Errorf("account %s: access key %s is used twice", a.ID, a.AccessKey)
		}
		keys[a.AccessKey] = true
		for _, r := range a.Roles {
			if r == nil || r.Name == "" {
				return fmt.Errorf("account %s: a role has no name", a.ID)
			}
		}
		regions := map[string]bool{}
		for _, r := range a.Regions {
			if r == nil || r.Name == "" {
				return fmt.Errorf("account %s: a region has no name", a.ID)
			}
			if regions[r.Name] {
				return fmt.Errorf("account %s: region %s is listed twice", a.ID, r.Name)
			}
			regions[r.Name] = true
			if err := r.check(a.ID); err != nil {
				return fmt.Errorf("account %s, %s: %v", a.ID, r.Name, err)
			}
		}
		if err := a.checkIAM(); err != nil {
			return fmt.Errorf("account %s: %v", a.ID, err)
		}
		for _, b := range a.Buckets {
			if b == nil || b.Name == "" {
				return fmt.Errorf("account %s: a bucket has no name", a.ID)
			}
			if buckets[b.Name] {
				return fmt.Errorf("bucket %s is listed twice (bucket names are global)", b.Name)
			}
			buckets[b.Name] = true
			if b.Region == "" {
				return fmt.Errorf("bucket %s has no region", b.Name)
			}
			for _, l := range b.NFWLogs {
				if err := l.check(a.ID); err != nil {
					return fmt.Errorf("bucket %s: %v", b.Name, err)
				}
			}
		}
	}
	for _, p := range s.AWSManagedPolicies {
		if err := p.check(); err != nil {
			return fmt.Errorf("awsManagedPolicies: %v", err)
		}
	}
	if o := s.Organization; o != nil {
		if o.ID == "" {
			o.ID = "o-exampleorgid"
		}
		if o.Root == "" {
			o.Root = "r-examplerootid"
		}
		if !seen[o.Management] {
			return fmt.Errorf("organization: management account %q is not one of the accounts", o.Management)
		}
		if o.Parents == nil {
			o.Parents = map[string]string{}
		}
		if o.Parents[o.Management] == "" {
			o.Parents[o.Management] = o.Root
		}
		for _, r := range o.RCPs {
			if r == nil || r.ID == "" || r.Policy.Text == "" {
				return fmt.Errorf("organization: an RCP needs an id and a policy")
			}
		}
	}
	return nil
}

func (r *Region) check(account string) error {
	names := map[string]bool{}
	for _, fw := range r.Firewalls {
		if fw == nil || fw.Name == "" {
			return fmt.Errorf("a firewall has no name")
		}
		if names[fw.Name] {
			return fmt.Errorf("firewall %s is listed twice", fw.Name)
		}
		names[fw.Name] = true
		if fw.Status == "" {
			fw.Status = "READY"
		}
		for _, d := range fw.Logging {
			if d == nil || d.LogType == "" || d.Type == "" {
				return fmt.Errorf("firewall %s: a logging destination needs logType and type", fw.Name)
			}
		}
	}
	for _, k := range r.Keys {
		if k == nil || k.ID == "" {
			return fmt.Errorf("a key has no id")
		}
		if k.Manager == "" {
			k.Manager = "CUSTOMER"
		}
		if k.State == "" {
			k.State = "Enabled"
		}
		if k.Spec == "" {
			k.Spec = "SYMMETRIC_DEFAULT"
		}
		if k.Policy.Text == "" {
			k.Policy.Text = `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"kms:*","Resource":"*"}]}`
		}
		for _, al := range k.Aliases {
			if !strings.HasPrefix(al, "alias/") {
				return fmt.Errorf("key %s: alias %q does not start with alias/", k.ID, al)
			}
		}
	}
	for _, g := range r.LogGroups {
		if g == nil || g.Name == "" {
			return fmt.Errorf("a log group has no name")
		}
		for _, l := range g.NFWStreams {
			if err := l.check(account); err != nil {
				return fmt.Errorf("log group %s: %v", g.Name, err)
			}
		}
	}
	for _, p := range r.ResourcePolicies {
		if p == nil || p.Name == "" || p.Policy.Text == "" {
			return fmt.Errorf("a resource policy needs a name and a policy")
		}
	}
	for _, s := range r.DeliveryStreams {
		if s == nil || s.Name == "" {
			return fmt.Errorf("a delivery stream has no name")
		}
		if s.Type == "" {
			s.Type = "DirectPut"
		}
		if s.Status == "" {
			s.Status = "ACTIVE"
		}
	}
	return r.checkSources(account)
}

// checkSources checks and completes the flow logs, Resolver
// configurations and web ACLs.
func (r *Region) checkSources(account string) error {
	ids := map[string]bool{}
	for _, fl := range r.FlowLogs {
		if fl == nil || fl.ID == "" || ids[fl.ID] {
			return fmt.Errorf("a flow log has no id, or one used twice")
		}
		ids[fl.ID] = true
		fl.ResourceID = or(fl.ResourceID, "vpc-0123456789abcdef0")
		fl.TrafficType = or(fl.TrafficType, "ALL")
		fl.DestinationType = or(fl.DestinationType, "s3")
		fl.Status = or(fl.Status, "SUCCESS")
		if fl.DestinationType == "s3" {
			fl.FileFormat = or(fl.FileFormat, "plain-text")
		}
	}
	for _, c := range r.ResolverConfigs {
		if c == nil || c.ID == "" || ids[c.ID] {
			return fmt.Errorf("a Resolver query logging configuration has no id, or one used twice")
		}
		ids[c.ID] = true
		c.Name = or(c.Name, c.ID)
		c.Status = or(c.Status, "CREATED")
		c.Owner = or(c.Owner, account)
		c.ShareStatus = or(c.ShareStatus, "NOT_SHARED")
	}
	for _, as := range r.ResolverAssociations {
		if as == nil || as.ID == "" || as.ConfigID == "" || as.VPC == "" || ids[as.ID] {
			return fmt.Errorf("a Resolver association needs an id (used once), configId and vpcId")
		}
		ids[as.ID] = true
		as.Status = or(as.Status, "ACTIVE")
		as.Error = or(as.Error, "NONE")
	}
	for _, w := range r.WebACLs {
		if w == nil || w.Name == "" || ids["acl/"+w.Name] {
			return fmt.Errorf("a web ACL has no name, or one used twice")
		}
		ids["acl/"+w.Name] = true
		w.ID = or(w.ID, fmt.Sprintf("a1b2c3d4-5678-90ab-cdef-%012x", len(ids)))
		w.Scope = or(w.Scope, "REGIONAL")
		if w.Scope == "CLOUDFRONT" && r.Name != "us-east-1" {
			return fmt.Errorf("web ACL %s: CLOUDFRONT web ACLs are in us-east-1", w.Name)
		}
	}
	for _, t := range r.Trails {
		if t == nil || t.Name == "" || ids["trail/"+t.Name] {
			return fmt.Errorf("a trail has no name, or one used twice")
		}
		ids["trail/"+t.Name] = true
		if t.Logging == nil {
			on := true
			t.Logging = &on
		}
	}
	return nil
}

// checkIAM checks and completes the account's IAM roles and policies.
func (a *Account) checkIAM() error {
	names := map[string]bool{}
	for _, r := range a.IAMRoles {
		if r == nil || r.Name == "" || names[r.Name] {
			return fmt.Errorf("an IAM role has no name, or one used twice")
		}
		names[r.Name] = true
		r.Path = or(r.Path, "/")
		for _, p := range r.Inline {
			if p == nil || p.Name == "" || p.Policy.Text == "" {
				return fmt.Errorf("role %s: an inline policy needs a name and a policy", r.Name)
			}
		}
	}
	for _, p := range a.ManagedPolicies {
		if err := p.check(); err != nil {
			return err
		}
	}
	return nil
}

func (p *ManagedPolicy) check() error {
	if p == nil || p.Name == "" || p.Policy.Text == "" {
		return fmt.Errorf("a managed policy needs a name and a policy")
	}
	p.Path = or(p.Path, "/")
	p.Version = or(p.Version, "v1")
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (l *NFWLogs) check(account string) error {
	if l == nil || l.Firewall == "" || l.LogType == "" || l.Region == "" {
		return fmt.Errorf("nfw logs need firewall, logType and region")
	}
	if l.Account == "" {
		l.Account = account
	}
	return nil
}
