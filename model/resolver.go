package model

// ResolverQueryLogConfig is a Route 53 Resolver query logging
// configuration: where the DNS queries of the VPCs associated with it are
// logged.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverQueryLogConfig.html
type ResolverQueryLogConfig struct {
	Origin
	Name    Value[string] `json:"name"`
	ARN     Value[string] `json:"arn,omitzero"`
	Account Value[string] `json:"account"`
	Region  Value[string] `json:"region"`
	// ConfigID is the ID AWS gives the configuration (rslvr-qlc-...),
	// by which associations name it.
	ConfigID Value[string] `json:"configId,omitzero"`
	// DestinationARN is the ARN of the bucket (optionally followed by a
	// prefix), log group or Firehose stream the logs go to.
	DestinationARN Value[string] `json:"destinationArn"`
	// DestinationRef is the Origin.ID of the destination resource when the
	// configuration names it by reference.
	DestinationRef string `json:"destinationRef,omitempty"`
	// Evidence is what a live account shows about the configuration's
	// delivery: its Status and its associations' errors, delivered logs.
	Evidence *Evidence `json:"evidence,omitempty"`
}

// ResolverQueryLogAssociation associates a VPC with a query logging
// configuration: without one, the configuration logs nothing.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_AssociateResolverQueryLogConfig.html
type ResolverQueryLogAssociation struct {
	Origin
	// ConfigID is the ResolverQueryLogConfigId it names; ConfigRef the
	// Origin.ID of the configuration when it names it by reference.
	ConfigID  Value[string] `json:"resolverQueryLogConfigId"`
	ConfigRef string        `json:"configRef,omitempty"`
	// VPCID is the ResourceId: the VPC whose queries are logged.
	VPCID Value[string] `json:"resourceId"`
}
