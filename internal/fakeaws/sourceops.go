package fakeaws

import (
	"strings"
	"time"
)

// --- Route 53 Resolver (awsJson1_1, Route53Resolver) ---
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ListResolverQueryLogConfigs.html

func (s *Server) listResolverConfigs(c *caller, in jsonIn) (any, *apiErr) {
	if _, ok := in["Filters"]; ok {
		return nil, s.refuse("route53resolver:ListResolverQueryLogConfigs", "filters are not answered by the fake")
	}
	cs := c.account.region(c.region).ResolverConfigs
	from, to, next := s.page(len(cs), in.str("NextToken"), in.num("MaxResults"))
	out := []map[string]any{}
	for _, qc := range cs[from:to] {
		n := 0
		for _, as := range c.account.region(c.region).ResolverAssociations {
			if as.ConfigID == qc.ID {
				n++
			}
		}
		out = append(out, map[string]any{"Id": qc.ID, "OwnerId": qc.Owner, "Status": qc.Status, "ShareStatus": qc.ShareStatus,
			"AssociationCount": n, "Arn": "arn:aws:route53resolver:" + c.region + ":" + qc.Owner + ":resolver-query-log-config/" + qc.ID,
			"Name": qc.Name, "DestinationArn": qc.Destination, "CreatorRequestId": "fake-" + qc.ID, "CreationTime": "2026-01-01T00:00:00.000Z"})
	}
	return map[string]any{"ResolverQueryLogConfigs": out, "NextToken": nilIfEmpty(next), "TotalCount": len(cs), "TotalFilteredCount": len(cs)}, nil
}

func (s *Server) listResolverAssociations(c *caller, in jsonIn) (any, *apiErr) {
	if _, ok := in["Filters"]; ok {
		return nil, s.refuse("route53resolver:ListResolverQueryLogConfigAssociations", "filters are not answered by the fake")
	}
	as := c.account.region(c.region).ResolverAssociations
	from, to, next := s.page(len(as), in.str("NextToken"), in.num("MaxResults"))
	out := []map[string]any{}
	for _, a := range as[from:to] {
		m := map[string]any{"Id": a.ID, "ResolverQueryLogConfigId": a.ConfigID, "ResourceId": a.VPC, "Status": a.Status,
			"Error": a.Error, "CreationTime": "2026-01-01T00:00:00.000Z"}
		if a.ErrorMessage != "" {
			m["ErrorMessage"] = a.ErrorMessage
		}
		out = append(out, m)
	}
	return map[string]any{"ResolverQueryLogConfigAssociations": out, "NextToken": nilIfEmpty(next), "TotalCount": len(as), "TotalFilteredCount": len(as)}, nil
}

// --- WAFv2 (awsJson1_1, AWSWAF_20190729) ---
// https://docs.aws.amazon.com/waf/latest/APIReference/API_ListLoggingConfigurations.html

func webACLARN(c *caller, w *WebACL) string {
	scope := "regional"
	if w.Scope == "CLOUDFRONT" {
		scope = "global"
	}
	return "arn:aws:wafv2:" + c.region + ":" + c.account.ID + ":" + scope + "/webacl/" + w.Name + "/" + w.ID
}

// webACLs lists the caller's web ACLs of a scope; CLOUDFRONT is answered
// in us-east-1 only.
func (s *Server) webACLs(c *caller, in jsonIn) ([]*WebACL, *apiErr) {
	scope := in.str("Scope")
	switch {
	case scope != "REGIONAL" && scope != "CLOUDFRONT":
		return nil, errf(400, "WAFInvalidParameterException", "Error reason: The scope is not valid., field: SCOPE_VALUE, parameter: %s", scope)
	case scope == "CLOUDFRONT" && c.region != "us-east-1":
		return nil, errf(400, "WAFInvalidParameterException", "Error reason: The scope is not valid., field: SCOPE_VALUE, parameter: CLOUDFRONT")
	}
	var out []*WebACL
	for _, w := range c.account.region(c.region).WebACLs {
		if w.Scope == scope {
			out = append(out, w)
		}
	}
	return out, nil
}

func (s *Server) listWebACLs(c *caller, in jsonIn) (any, *apiErr) {
	acls, e := s.webACLs(c, in)
	if e != nil {
		return nil, e
	}
	from, to, next := s.page(len(acls), in.str("NextMarker"), in.num("Limit"))
	out := []map[string]any{}
	for _, w := range acls[from:to] {
		out = append(out, map[string]any{"Name": w.Name, "Id": w.ID, "ARN": webACLARN(c, w), "LockToken": "fake-lock", "Description": ""})
	}
	return map[string]any{"WebACLs": out, "NextMarker": nilIfEmpty(next)}, nil
}

func (s *Server) listLoggingConfigurations(c *caller, in jsonIn) (any, *apiErr) {
	if ls := in.str("LogScope"); ls != "" && ls != "CUSTOMER" {
		return nil, s.refuse("wafv2:ListLoggingConfigurations", "log scope "+ls+" is not one logpath reads")
	}
	acls, e := s.webACLs(c, in)
	if e != nil {
		return nil, e
	}
	var logged []*WebACL
	for _, w := range acls {
		if w.Logging != nil {
			logged = append(logged, w)
		}
	}
	from, to, next := s.page(len(logged), in.str("NextMarker"), in.num("Limit"))
	out := []map[string]any{}
	for _, w := range logged[from:to] {
		out = append(out, map[string]any{"ResourceArn": webACLARN(c, w), "LogDestinationConfigs": w.Logging,
			"LogType": "WAF_LOGS", "LogScope": "CUSTOMER", "ManagedByFirewallManager": false})
	}
	return map[string]any{"LoggingConfigurations": out, "NextMarker": nilIfEmpty(next)}, nil
}

// --- CloudTrail (awsJson1_1, CloudTrail_20131101) ---
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html

func trailARN(account, region, name string) string {
	return "arn:aws:cloudtrail:" + region + ":" + account + ":trail/" + name
}

// describeTrails answers the trails whose home Region is the caller's.
// Shadow trails (the copies of multi-Region and organization trails in
// other Regions and accounts) and a trail name list are not answered:
// logpath asks for neither.
func (s *Server) describeTrails(c *caller, in jsonIn) (any, *apiErr) {
	if v, ok := in["includeShadowTrails"].(bool); !ok || v {
		return nil, s.refuse("cloudtrail:DescribeTrails", "shadow trails are not answered by the fake: pass includeShadowTrails false")
	}
	if l, ok := in["trailNameList"].([]any); ok && len(l) > 0 {
		return nil, s.refuse("cloudtrail:DescribeTrails", "a trail name list is not answered by the fake")
	}
	out := []map[string]any{}
	for _, t := range c.account.region(c.region).Trails {
		m := map[string]any{"Name": t.Name, "TrailARN": trailARN(c.account.ID, c.region, t.Name), "HomeRegion": c.region,
			"S3BucketName": t.S3BucketName, "IsMultiRegionTrail": t.MultiRegion, "IsOrganizationTrail": t.Organization,
			"IncludeGlobalServiceEvents": true, "LogFileValidationEnabled": false, "HasCustomEventSelectors": false, "HasInsightSelectors": false}
		for k, v := range map[string]string{"S3KeyPrefix": t.S3KeyPrefix, "KmsKeyId": t.KMSKeyID, "CloudWatchLogsLogGroupArn": t.LogGroupARN, "CloudWatchLogsRoleArn": t.RoleARN} {
			if v != "" {
				m[k] = v
			}
		}
		out = append(out, m)
	}
	return map[string]any{"trailList": out}, nil
}

// getTrailStatus answers for a trail named by name (in the caller's
// Region) or by ARN (in the caller's account).
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
func (s *Server) getTrailStatus(c *caller, in jsonIn) (any, *apiErr) {
	name, region := in.str("Name"), c.region
	if strings.HasPrefix(name, "arn:") {
		parts := strings.SplitN(name, ":", 6)
		if len(parts) != 6 || parts[4] != c.account.ID || !strings.HasPrefix(parts[5], "trail/") {
			return nil, errf(400, "TrailNotFoundException", "Unknown trail: %s for the user: %s", name, c.account.ID)
		}
		region, name = parts[3], strings.TrimPrefix(parts[5], "trail/")
	}
	for _, t := range c.account.region(region).Trails {
		if t.Name != name {
			continue
		}
		out := map[string]any{"IsLogging": *t.Logging}
		for k, v := range map[string]string{"LatestDeliveryError": t.DeliveryError, "LatestDigestDeliveryError": t.DigestDeliveryError,
			"LatestCloudWatchLogsDeliveryError": t.LogsDeliveryError} {
			if v != "" {
				out[k] = v
			}
		}
		// awsJson timestamps are epoch seconds.
		for k, age := range map[string]*Age{"LatestDeliveryTime": t.LatestDelivery, "LatestCloudWatchLogsDeliveryTime": t.LatestLogsDelivery} {
			if age != nil {
				out[k] = float64(s.sc.Now.Add(-time.Duration(*age)).UnixMilli()) / 1000
			}
		}
		return out, nil
	}
	return nil, errf(400, "TrailNotFoundException", "Unknown trail: %s for the user: %s", in.str("Name"), c.account.ID)
}
