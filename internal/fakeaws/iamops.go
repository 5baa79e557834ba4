package fakeaws

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// IAM (awsQuery, Version 2010-05-08, XML answers). IAM is global: the
// caller's account is the only one whose roles and customer managed
// policies it reads; AWS managed policies are readable by every account.
// Policy documents are URL-encoded, as IAM returns them.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html

const iamNS = "https://iam.amazonaws.com/doc/2010-05-08/"

func iamResponse(op, result string) string {
	return `<` + op + `Response xmlns="` + iamNS + `"><` + op + `Result>` + result + `</` + op + `Result><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></` + op + `Response>`
}

// urlEncode encodes as RFC 3986 does: every byte but the unreserved
// characters.
func urlEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func noSuchEntity(format string, args ...any) *apiErr {
	return errf(404, "NoSuchEntity", format, args...)
}

func (s *Server) iamRole(c *caller, name string) (*IAMRole, *apiErr) {
	for _, r := range c.account.IAMRoles {
		if r.Name == name {
			return r, nil
		}
	}
	return nil, noSuchEntity("The role with name %s cannot be found.", name)
}

func roleARN(account string, r *IAMRole) string {
	return "arn:aws:iam::" + account + ":role" + r.Path + r.Name
}

func (s *Server) getRole(c *caller, in url.Values) (string, *apiErr) {
	r, e := s.iamRole(c, in.Get("RoleName"))
	if e != nil {
		return "", e
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<Role><Path>%s</Path><RoleName>%s</RoleName><RoleId>AROAFAKE%s</RoleId><Arn>%s</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>`,
		xmlText(r.Path), xmlText(r.Name), strings.ToUpper(strconv.Itoa(len(r.Name))), xmlText(roleARN(c.account.ID, r)))
	if r.Trust.Text != "" {
		fmt.Fprintf(&b, `<AssumeRolePolicyDocument>%s</AssumeRolePolicyDocument>`, urlEncode(r.Trust.Text))
	}
	if r.Boundary != "" {
		fmt.Fprintf(&b, `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>%s</PermissionsBoundaryArn></PermissionsBoundary>`, xmlText(r.Boundary))
	}
	b.WriteString(`<MaxSessionDuration>3600</MaxSessionDuration></Role>`)
	return iamResponse("GetRole", b.String()), nil
}

// iamPage is one page of an IAM list (Marker, MaxItems, IsTruncated).
func (s *Server) iamPage(n int, in url.Values) (from, to int, tail string) {
	max, _ := strconv.Atoi(in.Get("MaxItems"))
	from, to, next := s.page(n, in.Get("Marker"), max)
	tail = `<IsTruncated>false</IsTruncated>`
	if next != "" {
		tail = `<IsTruncated>true</IsTruncated><Marker>` + next + `</Marker>`
	}
	return from, to, tail
}

func (s *Server) listRolePolicies(c *caller, in url.Values) (string, *apiErr) {
	r, e := s.iamRole(c, in.Get("RoleName"))
	if e != nil {
		return "", e
	}
	from, to, tail := s.iamPage(len(r.Inline), in)
	var b strings.Builder
	b.WriteString(`<PolicyNames>`)
	for _, p := range r.Inline[from:to] {
		fmt.Fprintf(&b, `<member>%s</member>`, xmlText(p.Name))
	}
	b.WriteString(`</PolicyNames>` + tail)
	return iamResponse("ListRolePolicies", b.String()), nil
}

func (s *Server) getRolePolicy(c *caller, in url.Values) (string, *apiErr) {
	r, e := s.iamRole(c, in.Get("RoleName"))
	if e != nil {
		return "", e
	}
	for _, p := range r.Inline {
		if p.Name == in.Get("PolicyName") {
			return iamResponse("GetRolePolicy", fmt.Sprintf(`<RoleName>%s</RoleName><PolicyName>%s</PolicyName><PolicyDocument>%s</PolicyDocument>`,
				xmlText(r.Name), xmlText(p.Name), urlEncode(p.Policy.Text))), nil
		}
	}
	return "", noSuchEntity("The role policy with name %s cannot be found.", in.Get("PolicyName"))
}

func (s *Server) listAttachedRolePolicies(c *caller, in url.Values) (string, *apiErr) {
	r, e := s.iamRole(c, in.Get("RoleName"))
	if e != nil {
		return "", e
	}
	from, to, tail := s.iamPage(len(r.Managed), in)
	var b strings.Builder
	b.WriteString(`<AttachedPolicies>`)
	for _, arn := range r.Managed[from:to] {
		fmt.Fprintf(&b, `<member><PolicyName>%s</PolicyName><PolicyArn>%s</PolicyArn></member>`, xmlText(arn[strings.LastIndexByte(arn, '/')+1:]), xmlText(arn))
	}
	b.WriteString(`</AttachedPolicies>` + tail)
	return iamResponse("ListAttachedRolePolicies", b.String()), nil
}

// managedPolicy finds a policy by ARN: an AWS managed one, or one of the
// caller's own account (IAM does not show another account's).
func (s *Server) managedPolicy(c *caller, arn string) (*ManagedPolicy, *apiErr) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], "policy/") {
		return nil, errf(400, "InvalidInput", "ARN %s is not valid.", arn)
	}
	var list []*ManagedPolicy
	switch parts[4] {
	case "aws":
		list = s.sc.AWSManagedPolicies
	case c.account.ID:
		list = c.account.ManagedPolicies
	default:
		return nil, errf(403, "AccessDenied", "User: %s is not authorized to perform: iam:GetPolicy on resource: policy %s", c.arn, arn)
	}
	for _, p := range list {
		if "policy"+p.Path+p.Name == parts[5] {
			return p, nil
		}
	}
	return nil, noSuchEntity("Policy %s does not exist or is not attachable.", arn)
}

func (s *Server) getPolicy(c *caller, in url.Values) (string, *apiErr) {
	arn := in.Get("PolicyArn")
	p, e := s.managedPolicy(c, arn)
	if e != nil {
		return "", e
	}
	return iamResponse("GetPolicy", fmt.Sprintf(`<Policy><PolicyName>%s</PolicyName><PolicyId>ANPAFAKE%d</PolicyId><Arn>%s</Arn><Path>%s</Path><DefaultVersionId>%s</DefaultVersionId><AttachmentCount>1</AttachmentCount><PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable><CreateDate>2026-01-01T00:00:00Z</CreateDate><UpdateDate>2026-01-01T00:00:00Z</UpdateDate></Policy>`,
		xmlText(p.Name), len(p.Name), xmlText(arn), xmlText(p.Path), xmlText(p.Version))), nil
}

func (s *Server) getPolicyVersion(c *caller, in url.Values) (string, *apiErr) {
	p, e := s.managedPolicy(c, in.Get("PolicyArn"))
	if e != nil {
		return "", e
	}
	if in.Get("VersionId") != p.Version {
		return "", noSuchEntity("Policy %s version %s does not exist or is not attachable.", in.Get("PolicyArn"), in.Get("VersionId"))
	}
	return iamResponse("GetPolicyVersion", fmt.Sprintf(`<PolicyVersion><Document>%s</Document><VersionId>%s</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2026-01-01T00:00:00Z</CreateDate></PolicyVersion>`,
		urlEncode(p.Policy.Text), xmlText(p.Version))), nil
}

// describeFlowLogs lists the flow logs of the caller's account and Region
// (ec2Query; filters are not read: logpath sends none).
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFlowLogs.html
func (s *Server) describeFlowLogs(c *caller, in url.Values) (string, *apiErr) {
	for k := range in {
		if strings.HasPrefix(k, "Filter.") || strings.HasPrefix(k, "FlowLogId.") {
			return "", s.refuse("ec2:DescribeFlowLogs", "filters are not answered by the fake")
		}
	}
	fls := c.account.region(c.region).FlowLogs
	max, _ := strconv.Atoi(in.Get("MaxResults"))
	from, to, next := s.page(len(fls), in.Get("NextToken"), max)
	var b strings.Builder
	b.WriteString(`<DescribeFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake-request</requestId><flowLogSet>`)
	for _, fl := range fls[from:to] {
		fmt.Fprintf(&b, `<item><creationTime>2026-01-01T00:00:00.000Z</creationTime><flowLogId>%s</flowLogId><flowLogStatus>ACTIVE</flowLogStatus><resourceId>%s</resourceId><trafficType>%s</trafficType><logDestinationType>%s</logDestinationType><deliverLogsStatus>%s</deliverLogsStatus><maxAggregationInterval>600</maxAggregationInterval><logFormat>${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}</logFormat>`,
			xmlText(fl.ID), xmlText(fl.ResourceID), xmlText(fl.TrafficType), xmlText(fl.DestinationType), xmlText(fl.Status))
		for tag, v := range map[string]string{"logDestination": fl.Destination, "logGroupName": fl.LogGroupName, "deliverLogsPermissionArn": fl.Role, "deliverLogsErrorMessage": fl.ErrorMessage} {
			if v != "" {
				fmt.Fprintf(&b, `<%s>%s</%s>`, tag, xmlText(v), tag)
			}
		}
		if fl.DestinationType == "s3" {
			fmt.Fprintf(&b, `<destinationOptions><fileFormat>%s</fileFormat><hiveCompatiblePartitions>%t</hiveCompatiblePartitions><perHourPartition>%t</perHourPartition></destinationOptions>`,
				xmlText(fl.FileFormat), fl.HiveCompatiblePartitions, fl.PerHourPartition)
		}
		b.WriteString(`</item>`)
	}
	b.WriteString(`</flowLogSet>`)
	if next != "" {
		fmt.Fprintf(&b, `<nextToken>%s</nextToken>`, next)
	}
	b.WriteString(`</DescribeFlowLogsResponse>`)
	return b.String(), nil
}
