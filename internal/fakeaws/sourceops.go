package fakeaws

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
