package fakeaws

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// queryOps are the awsQuery (STS, IAM) and ec2Query operations the fake
// answers, with XML answers.
var queryOps = map[string]func(s *Server, c *caller, in url.Values) (string, *apiErr){
	"sts:GetCallerIdentity": (*Server).getCallerIdentity,
	"sts:AssumeRole":        (*Server).assumeRole,
	"ec2:DescribeRegions":   (*Server).describeRegions,
	"ec2:DescribeFlowLogs":  (*Server).describeFlowLogs,

	"iam:GetRole":                  (*Server).getRole,
	"iam:ListRolePolicies":         (*Server).listRolePolicies,
	"iam:GetRolePolicy":            (*Server).getRolePolicy,
	"iam:ListAttachedRolePolicies": (*Server).listAttachedRolePolicies,
	"iam:GetPolicy":                (*Server).getPolicy,
	"iam:GetPolicyVersion":         (*Server).getPolicyVersion,
}

func (s *Server) getCallerIdentity(c *caller, _ url.Values) (string, *apiErr) {
	return fmt.Sprintf(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>%s</Arn><UserId>AIDAFAKE%s</UserId><Account>%s</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
		xmlText(c.arn), c.account.ID, c.account.ID), nil
}

// assumeRole hands out session credentials whose access key the fake
// knows as the role's account, when the role exists, trusts the caller's
// account and the external ID matches.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func (s *Server) assumeRole(c *caller, in url.Values) (string, *apiErr) {
	arn := in.Get("RoleArn")
	denied := errf(403, "AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.arn, arn)
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || !strings.HasPrefix(parts[5], "role/") {
		return "", errf(400, "ValidationError", "%s is not a role ARN", arn)
	}
	target := s.accounts[parts[4]]
	if target == nil {
		return "", denied
	}
	var role *Role
	for _, r := range target.Roles {
		if "role/"+r.Name == parts[5] {
			role = r
		}
	}
	if role == nil || (len(role.Trusted) > 0 && !slicesContains(role.Trusted, c.account.ID)) || role.ExternalID != in.Get("ExternalId") {
		return "", denied
	}
	session := in.Get("RoleSessionName")
	s.mu.Lock()
	key := fmt.Sprintf("ASIA%s%04d", target.ID, len(s.sessions)%10000)
	callerARN := "arn:aws:sts::" + target.ID + ":assumed-role/" + role.Name + "/" + session
	s.sessions[key] = &caller{account: target, arn: callerARN}
	s.mu.Unlock()
	// The SDK's credential cache compares the expiry with the real clock.
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	return fmt.Sprintf(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>fake-secret</SecretAccessKey><SessionToken>fake-session-%s</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>%s</Arn><AssumedRoleId>AROAFAKE:%s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></AssumeRoleResponse>`,
		key, key, exp, xmlText(callerARN), xmlText(session)), nil
}

// describeRegions lists the Regions the scenario gives the account: its
// enabled Regions.
func (s *Server) describeRegions(c *caller, _ url.Values) (string, *apiErr) {
	var b strings.Builder
	b.WriteString(`<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake-request</requestId><regionInfo>`)
	for _, r := range c.account.Regions {
		fmt.Fprintf(&b, `<item><regionName>%s</regionName><regionEndpoint>ec2.%s.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`, xmlText(r.Name), xmlText(r.Name))
	}
	b.WriteString(`</regionInfo></DescribeRegionsResponse>`)
	return b.String(), nil
}
