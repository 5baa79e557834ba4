package model

// IAMRole is an IAM role: who may assume it, and the policies that give
// its sessions their permissions.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html
type IAMRole struct {
	Origin
	Name    Value[string] `json:"name"`
	ARN     Value[string] `json:"arn"`
	Account Value[string] `json:"account"`
	// TrustPolicy is the role's trust policy (AssumeRolePolicyDocument).
	TrustPolicy Value[*PolicyDocument] `json:"trustPolicy"`
	// InlinePolicies are the policies embedded in the role, from the role
	// itself and from separate resources that add one to it. Unknown when
	// some cannot be known.
	InlinePolicies Value[[]InlinePolicy] `json:"inlinePolicies"`
	// ManagedPolicies are the managed policies attached to the role.
	// Unknown when some attachment cannot be known.
	ManagedPolicies Value[[]PolicyAttachment] `json:"managedPolicies"`
	// PermissionsBoundary is the ARN of the managed policy that bounds the
	// role's permissions; "" when it has none.
	PermissionsBoundary    Value[string] `json:"permissionsBoundary,omitzero"`
	PermissionsBoundaryRef string        `json:"permissionsBoundaryRef,omitempty"`
}

// InlinePolicy is a policy embedded in a role.
type InlinePolicy struct {
	Name   Value[string]          `json:"name"`
	Policy Value[*PolicyDocument] `json:"policy"`
}

// PolicyAttachment names a managed policy attached to a role: by ARN, or
// by reference to a managed policy of the input whose ARN is not known
// before deployment.
type PolicyAttachment struct {
	ARN Value[string] `json:"arn"`
	// Ref is the Origin.ID of the managed policy, when known.
	Ref string `json:"ref,omitempty"`
}

// ManagedPolicy is an IAM managed policy. AWS managed policies
// (arn:aws:iam::aws:policy/...) are in the input only when a snapshot
// gives their text.
type ManagedPolicy struct {
	Origin
	Name   Value[string]          `json:"name"`
	ARN    Value[string]          `json:"arn"`
	Policy Value[*PolicyDocument] `json:"policy"`
}
