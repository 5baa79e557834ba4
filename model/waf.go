package model

// WAF web ACL scopes.
// https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
const (
	WAFScopeRegional   = "REGIONAL"
	WAFScopeCloudFront = "CLOUDFRONT"
)

// WebACL is an AWS WAF web ACL.
type WebACL struct {
	Origin
	Name    Value[string] `json:"name"`
	ARN     Value[string] `json:"arn,omitzero"`
	Account Value[string] `json:"account"`
	Region  Value[string] `json:"region"`
	// Scope is REGIONAL or CLOUDFRONT.
	Scope Value[string] `json:"scope"`
}

// WAFLoggingConfiguration is a web ACL's logging configuration.
// https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html
type WAFLoggingConfiguration struct {
	Origin
	// WebACLARN is the ResourceArn; WebACLRef the Origin.ID of the web ACL
	// when the configuration names it by reference.
	WebACLARN Value[string] `json:"resourceArn"`
	WebACLRef string        `json:"webAclRef,omitempty"`
	// Destinations are the LogDestinationConfigs (AWS accepts one).
	Destinations []WAFLogDestination `json:"logDestinationConfigs"`
	// Unknown, when set, says why the destinations could not be read at all.
	Unknown string `json:"unknown,omitempty"`
}

// WAFLogDestination is one LogDestinationConfigs entry: the ARN of a
// bucket, log group or Firehose stream.
type WAFLogDestination struct {
	ARN Value[string] `json:"arn"`
	// Ref is the Origin.ID of the destination resource when the
	// configuration names it by reference.
	Ref string `json:"ref,omitempty"`
	// Evidence is what a live account shows about this delivery.
	Evidence *Evidence `json:"evidence,omitempty"`
}
