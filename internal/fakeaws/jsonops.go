package fakeaws

import (
	"sort"
	"strings"
)

// jsonOps are the awsJson operations the fake answers.
var jsonOps = map[string]func(s *Server, c *caller, in jsonIn) (any, *apiErr){
	"network-firewall:ListFirewalls":                         (*Server).listFirewalls,
	"network-firewall:DescribeFirewall":                      (*Server).describeFirewall,
	"network-firewall:DescribeLoggingConfiguration":          (*Server).describeLogging,
	"kms:DescribeKey":                                        (*Server).describeKey,
	"kms:GetKeyPolicy":                                       (*Server).getKeyPolicy,
	"kms:ListAliases":                                        (*Server).listAliases,
	"logs:DescribeLogGroups":                                 (*Server).describeLogGroups,
	"logs:DescribeResourcePolicies":                          (*Server).describeResourcePolicies,
	"logs:DescribeLogStreams":                                (*Server).describeLogStreams,
	"firehose:DescribeDeliveryStream":                        (*Server).describeDeliveryStream,
	"firehose:ListTagsForDeliveryStream":                     (*Server).listStreamTags,
	"organizations:DescribeOrganization":                     (*Server).describeOrganization,
	"organizations:ListPolicies":                             (*Server).listPolicies,
	"organizations:DescribePolicy":                           (*Server).describePolicy,
	"organizations:ListTargetsForPolicy":                     (*Server).listTargets,
	"organizations:ListParents":                              (*Server).listParents,
	"organizations:ListAccounts":                             (*Server).listAccounts,
	"organizations:ListAccountsForParent":                    (*Server).listAccounts,
	"organizations:ListOrganizationalUnitsForParent":         (*Server).listOUs,
	"route53resolver:ListResolverQueryLogConfigs":            (*Server).listResolverConfigs,
	"route53resolver:ListResolverQueryLogConfigAssociations": (*Server).listResolverAssociations,
	"wafv2:ListWebACLs":                                      (*Server).listWebACLs,
	"wafv2:ListLoggingConfigurations":                        (*Server).listLoggingConfigurations,
	"cloudtrail:DescribeTrails":                              (*Server).describeTrails,
	"cloudtrail:GetTrailStatus":                              (*Server).getTrailStatus,
}

func (a *Account) region(name string) *Region {
	for _, r := range a.Regions {
		if r.Name == name {
			return r
		}
	}
	return &Region{Name: name}
}

// --- Network Firewall (awsJson1_0, NetworkFirewall_20201112) ---

func fwARN(c *caller, name string) string {
	return "arn:aws:network-firewall:" + c.region + ":" + c.account.ID + ":firewall/" + name
}

func (s *Server) listFirewalls(c *caller, in jsonIn) (any, *apiErr) {
	fws := c.account.region(c.region).Firewalls
	from, to, next := s.page(len(fws), in.str("NextToken"), in.num("MaxResults"))
	var out []map[string]string
	for _, fw := range fws[from:to] {
		out = append(out, map[string]string{"FirewallName": fw.Name, "FirewallArn": fwARN(c, fw.Name)})
	}
	return map[string]any{"Firewalls": out, "NextToken": nilIfEmpty(next)}, nil
}

func (s *Server) firewall(c *caller, in jsonIn) (*Firewall, *apiErr) {
	name := in.str("FirewallName")
	if arn := in.str("FirewallArn"); arn != "" {
		prefix := fwARN(c, "")
		if !strings.HasPrefix(arn, prefix) {
			return nil, errf(400, "ResourceNotFoundException", "Firewall %s not found in this account and Region", arn)
		}
		name = strings.TrimPrefix(arn, prefix)
	}
	for _, fw := range c.account.region(c.region).Firewalls {
		if fw.Name == name {
			return fw, nil
		}
	}
	return nil, errf(400, "ResourceNotFoundException", "Firewall %s not found", name)
}

func (s *Server) describeFirewall(c *caller, in jsonIn) (any, *apiErr) {
	fw, e := s.firewall(c, in)
	if e != nil {
		return nil, e
	}
	return map[string]any{
		"Firewall": map[string]any{"FirewallName": fw.Name, "FirewallArn": fwARN(c, fw.Name), "FirewallId": "fw-" + fw.Name,
			"FirewallPolicyArn": "arn:aws:network-firewall:" + c.region + ":" + c.account.ID + ":firewall-policy/policy",
			"VpcId":             "vpc-0123456789abcdef0", "SubnetMappings": []map[string]string{{"SubnetId": "subnet-0123456789abcdef0"}}},
		"FirewallStatus": map[string]any{"Status": fw.Status, "ConfigurationSyncStateSummary": "IN_SYNC"},
		"UpdateToken":    "token",
	}, nil
}

func (s *Server) describeLogging(c *caller, in jsonIn) (any, *apiErr) {
	fw, e := s.firewall(c, in)
	if e != nil {
		return nil, e
	}
	configs := []map[string]any{}
	for _, d := range fw.Logging {
		dest := map[string]string{}
		for k, v := range map[string]string{"bucketName": d.BucketName, "prefix": d.Prefix, "logGroup": d.LogGroup, "deliveryStream": d.DeliveryStream} {
			if v != "" {
				dest[k] = v
			}
		}
		configs = append(configs, map[string]any{"LogType": d.LogType, "LogDestinationType": d.Type, "LogDestination": dest})
	}
	return map[string]any{"FirewallArn": fwARN(c, fw.Name), "LoggingConfiguration": map[string]any{"LogDestinationConfigs": configs}}, nil
}

// --- KMS (awsJson1_1, TrentService) ---

func keyARN(account, region, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

// findKey resolves a KeyId (key ID, key ARN, alias name, alias ARN) as KMS
// does: names resolve in the caller's account and Region, ARNs where they
// point. Another account's key is readable only by ARN, and only when its
// key policy lets the caller's account (Readers).
func (s *Server) findKey(c *caller, id string, sameAccountOnly bool) (*Account, string, *Key, *apiErr) {
	account, region, name := c.account, c.region, id
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 6)
		if len(parts) != 6 {
			return nil, "", nil, errf(400, "NotFoundException", "Invalid keyId %s", id)
		}
		account, region, name = s.accounts[parts[4]], parts[3], parts[5]
		if account == nil {
			return nil, "", nil, errf(400, "NotFoundException", "Key '%s' does not exist", id)
		}
	}
	var found *Key
	r := account.region(region)
	if alias, ok := strings.CutPrefix(name, "alias/"); ok {
		for _, k := range r.Keys {
			if slicesContains(k.Aliases, "alias/"+alias) {
				found = k
			}
		}
	} else {
		name = strings.TrimPrefix(name, "key/")
		for _, k := range r.Keys {
			if k.ID == name {
				found = k
			}
		}
	}
	if found == nil {
		return nil, "", nil, errf(400, "NotFoundException", "Key '%s' does not exist", id)
	}
	if account != c.account {
		if sameAccountOnly {
			return nil, "", nil, errf(400, "AccessDeniedException", "User: %s is not authorized to perform this operation on a KMS key in a different account (%s)", c.arn, keyARN(account.ID, region, found.ID))
		}
		if !slicesContains(found.Readers, c.account.ID) {
			return nil, "", nil, errf(400, "AccessDeniedException", "User: %s is not authorized to perform: kms:DescribeKey on resource: %s because no resource-based policy allows the kms:DescribeKey action", c.arn, keyARN(account.ID, region, found.ID))
		}
	}
	return account, region, found, nil
}

func (s *Server) describeKey(c *caller, in jsonIn) (any, *apiErr) {
	id := in.str("KeyId")
	// DescribeKey on a predefined alias can create the AWS managed key:
	// a read-only tool must never call it.
	// https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
	if strings.HasPrefix(id, "alias/aws/") || strings.Contains(id, ":alias/aws/") {
		return nil, s.refuse("kms:DescribeKey", "called on the predefined AWS alias "+id+", which can create the AWS managed key")
	}
	account, region, k, e := s.findKey(c, id, false)
	if e != nil {
		return nil, e
	}
	return map[string]any{"KeyMetadata": map[string]any{
		"KeyId": k.ID, "Arn": keyARN(account.ID, region, k.ID), "AWSAccountId": account.ID,
		"KeyManager": k.Manager, "KeyState": k.State, "KeySpec": k.Spec, "Enabled": k.State == "Enabled",
		"KeyUsage": "ENCRYPT_DECRYPT", "Origin": "AWS_KMS", "CreationDate": 1.7e9, "MultiRegion": false,
	}}, nil
}

func (s *Server) getKeyPolicy(c *caller, in jsonIn) (any, *apiErr) {
	if n := in.str("PolicyName"); n != "" && n != "default" {
		return nil, errf(400, "NotFoundException", "No such policy %s", n)
	}
	_, _, k, e := s.findKey(c, in.str("KeyId"), true)
	if e != nil {
		return nil, e
	}
	return map[string]any{"Policy": k.Policy.Text, "PolicyName": "default"}, nil
}

func (s *Server) listAliases(c *caller, in jsonIn) (any, *apiErr) {
	type alias struct{ name, target string }
	var all []alias
	for _, k := range c.account.region(c.region).Keys {
		for _, a := range k.Aliases {
			all = append(all, alias{a, k.ID})
		}
	}
	from, to, next := s.page(len(all), in.str("Marker"), in.num("Limit"))
	out := []map[string]any{}
	for _, a := range all[from:to] {
		out = append(out, map[string]any{"AliasName": a.name, "AliasArn": "arn:aws:kms:" + c.region + ":" + c.account.ID + ":" + a.name, "TargetKeyId": a.target})
	}
	return map[string]any{"Aliases": out, "Truncated": next != "", "NextMarker": nilIfEmpty(next)}, nil
}

// --- CloudWatch Logs (awsJson1_1, Logs_20140328) ---

func groupARN(c *caller, name string) string {
	return "arn:aws:logs:" + c.region + ":" + c.account.ID + ":log-group:" + name
}

func (s *Server) describeLogGroups(c *caller, in jsonIn) (any, *apiErr) {
	prefix := in.str("logGroupNamePrefix")
	var groups []*LogGroup
	for _, g := range c.account.region(c.region).LogGroups {
		if strings.HasPrefix(g.Name, prefix) {
			groups = append(groups, g)
		}
	}
	from, to, next := s.page(len(groups), in.str("nextToken"), in.num("limit"))
	out := []map[string]any{}
	for _, g := range groups[from:to] {
		lg := map[string]any{"logGroupName": g.Name, "arn": groupARN(c, g.Name) + ":*", "logGroupArn": groupARN(c, g.Name), "creationTime": 1.7e12, "logGroupClass": "STANDARD"}
		if g.KMSKeyID != "" {
			lg["kmsKeyId"] = g.KMSKeyID
		}
		out = append(out, lg)
	}
	return map[string]any{"logGroups": out, "nextToken": nilIfEmpty(next)}, nil
}

func (s *Server) describeResourcePolicies(c *caller, in jsonIn) (any, *apiErr) {
	scope, arn := in.str("policyScope"), in.str("resourceArn")
	var ps []*ResourcePolicy
	for _, p := range c.account.region(c.region).ResourcePolicies {
		switch {
		case scope == "RESOURCE" && strings.TrimSuffix(p.ResourceARN, ":*") == strings.TrimSuffix(arn, ":*") && arn != "":
		case scope != "RESOURCE" && p.ResourceARN == "":
		default:
			continue
		}
		ps = append(ps, p)
	}
	from, to, next := s.page(len(ps), in.str("nextToken"), in.num("limit"))
	out := []map[string]any{}
	for _, p := range ps[from:to] {
		rp := map[string]any{"policyName": p.Name, "policyDocument": p.Policy.Text, "lastUpdatedTime": 1.7e12}
		if p.ResourceARN != "" {
			rp["policyScope"], rp["resourceArn"] = "RESOURCE", p.ResourceARN
		} else {
			rp["policyScope"] = "ACCOUNT"
		}
		out = append(out, rp)
	}
	return map[string]any{"resourcePolicies": out, "nextToken": nilIfEmpty(next)}, nil
}

func (s *Server) describeLogStreams(c *caller, in jsonIn) (any, *apiErr) {
	name := in.str("logGroupName")
	var g *LogGroup
	for _, lg := range c.account.region(c.region).LogGroups {
		if lg.Name == name {
			g = lg
		}
	}
	if g == nil {
		return nil, errf(400, "ResourceNotFoundException", "The specified log group does not exist.")
	}
	if in.str("orderBy") == "LastEventTime" && in.str("logStreamNamePrefix") != "" {
		return nil, errf(400, "InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	streams := s.sc.streams(g, in.str("logStreamNamePrefix"))
	if in.str("orderBy") == "LastEventTime" {
		sort.SliceStable(streams, func(i, j int) bool { return streams[i].ingested.Before(streams[j].ingested) })
	}
	if in.boolean("descending") {
		for i, j := 0, len(streams)-1; i < j; i, j = i+1, j-1 {
			streams[i], streams[j] = streams[j], streams[i]
		}
	}
	from, to, next := s.page(len(streams), in.str("nextToken"), in.num("limit"))
	out := []map[string]any{}
	for _, st := range streams[from:to] {
		ms := float64(st.ingested.UnixMilli())
		out = append(out, map[string]any{"logStreamName": st.name, "creationTime": ms, "lastIngestionTime": ms, "lastEventTimestamp": ms,
			"arn": groupARN(c, g.Name) + ":log-stream:" + st.name})
	}
	return map[string]any{"logStreams": out, "nextToken": nilIfEmpty(next)}, nil
}

// --- Firehose (awsJson1_1, Firehose_20150804) ---

func (s *Server) stream(c *caller, name string) (*DeliveryStream, *apiErr) {
	for _, ds := range c.account.region(c.region).DeliveryStreams {
		if ds.Name == name {
			return ds, nil
		}
	}
	return nil, errf(400, "ResourceNotFoundException", "Firehose %s under account %s not found.", name, c.account.ID)
}

func (s *Server) describeDeliveryStream(c *caller, in jsonIn) (any, *apiErr) {
	ds, e := s.stream(c, in.str("DeliveryStreamName"))
	if e != nil {
		return nil, e
	}
	desc := map[string]any{"DeliveryStreamName": ds.Name,
		"DeliveryStreamARN":    "arn:aws:firehose:" + c.region + ":" + c.account.ID + ":deliverystream/" + ds.Name,
		"DeliveryStreamStatus": ds.Status, "DeliveryStreamType": ds.Type, "VersionId": "1", "Destinations": []any{}, "HasMoreDestinations": false}
	if ds.Failure != nil {
		desc["FailureDescription"] = map[string]string{"Type": ds.Failure.Type, "Details": ds.Failure.Details}
	}
	if enc := ds.Encryption; enc != nil {
		e := map[string]any{"KeyType": enc.KeyType, "Status": enc.Status}
		if enc.KeyARN != "" {
			e["KeyARN"] = enc.KeyARN
		}
		if enc.Failure != nil {
			e["FailureDescription"] = map[string]string{"Type": enc.Failure.Type, "Details": enc.Failure.Details}
		}
		desc["DeliveryStreamEncryptionConfiguration"] = e
	}
	return map[string]any{"DeliveryStreamDescription": desc}, nil
}

func (s *Server) listStreamTags(c *caller, in jsonIn) (any, *apiErr) {
	ds, e := s.stream(c, in.str("DeliveryStreamName"))
	if e != nil {
		return nil, e
	}
	var keys []string
	for k := range ds.Tags {
		keys = append(keys, k)
	}
	sortStrings(keys)
	start := 0
	if after := in.str("ExclusiveStartTagKey"); after != "" {
		for start < len(keys) && keys[start] <= after {
			start++
		}
	}
	from, to, next := s.page(len(keys), itoa(start), in.num("Limit"))
	tags := []map[string]string{}
	for _, k := range keys[from:to] {
		tags = append(tags, map[string]string{"Key": k, "Value": ds.Tags[k]})
	}
	return map[string]any{"Tags": tags, "HasMoreTags": next != ""}, nil
}

// --- Organizations (awsJson1_1, AWSOrganizationsV20161128) ---

// org answers organization reads as AWS does: not in an organization,
// or a member account (only the management account may read policies).
func (s *Server) org(c *caller) (*Organization, *apiErr) {
	o := s.sc.Organization
	if o == nil || o.Parents[c.account.ID] == "" {
		return nil, errf(400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	}
	if o.Management != c.account.ID {
		return nil, errf(400, "AccessDeniedException", "You don't have permissions to access this resource.")
	}
	return o, nil
}

// describeOrganization answers every account of the organization, not
// only the management account.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html
func (s *Server) describeOrganization(c *caller, in jsonIn) (any, *apiErr) {
	o := s.sc.Organization
	if o == nil || o.Parents[c.account.ID] == "" {
		return nil, errf(400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	}
	return map[string]any{"Organization": map[string]any{
		"Id": o.ID, "Arn": "arn:aws:organizations::" + o.Management + ":organization/" + o.ID,
		"FeatureSet": "ALL", "MasterAccountId": o.Management,
		"MasterAccountArn":   "arn:aws:organizations::" + o.Management + ":account/" + o.ID + "/" + o.Management,
		"MasterAccountEmail": "aws+" + o.Management + "@example.com",
	}}, nil
}

func (s *Server) listPolicies(c *caller, in jsonIn) (any, *apiErr) {
	o, e := s.org(c)
	if e != nil {
		return nil, e
	}
	if in.str("Filter") != "RESOURCE_CONTROL_POLICY" {
		return nil, s.refuse("organizations:ListPolicies", "filter "+in.str("Filter")+" is not one logpath reads")
	}
	from, to, next := s.page(len(o.RCPs), in.str("NextToken"), in.num("MaxResults"))
	out := []map[string]any{}
	for _, p := range o.RCPs[from:to] {
		out = append(out, map[string]any{"Id": p.ID, "Name": p.Name, "Type": "RESOURCE_CONTROL_POLICY", "AwsManaged": false,
			"Arn": "arn:aws:organizations::" + o.Management + ":policy/" + o.ID + "/resource_control_policy/" + p.ID})
	}
	return map[string]any{"Policies": out, "NextToken": nilIfEmpty(next)}, nil
}

func (s *Server) rcp(o *Organization, id string) (*RCP, *apiErr) {
	for _, p := range o.RCPs {
		if p.ID == id {
			return p, nil
		}
	}
	return nil, errf(400, "PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.")
}

func (s *Server) describePolicy(c *caller, in jsonIn) (any, *apiErr) {
	o, e := s.org(c)
	if e != nil {
		return nil, e
	}
	p, e := s.rcp(o, in.str("PolicyId"))
	if e != nil {
		return nil, e
	}
	return map[string]any{"Policy": map[string]any{"Content": p.Policy.Text,
		"PolicySummary": map[string]any{"Id": p.ID, "Name": p.Name, "Type": "RESOURCE_CONTROL_POLICY", "AwsManaged": false}}}, nil
}

func (s *Server) listTargets(c *caller, in jsonIn) (any, *apiErr) {
	o, e := s.org(c)
	if e != nil {
		return nil, e
	}
	p, e := s.rcp(o, in.str("PolicyId"))
	if e != nil {
		return nil, e
	}
	from, to, next := s.page(len(p.Targets), in.str("NextToken"), in.num("MaxResults"))
	out := []map[string]any{}
	for _, t := range p.Targets[from:to] {
		typ := "ORGANIZATIONAL_UNIT"
		switch {
		case isAccountID(t):
			typ = "ACCOUNT"
		case strings.HasPrefix(t, "r-"):
			typ = "ROOT"
		}
		out = append(out, map[string]any{"TargetId": t, "Type": typ, "Name": t, "Arn": "arn:aws:organizations::" + o.Management + ":" + t})
	}
	return map[string]any{"Targets": out, "NextToken": nilIfEmpty(next)}, nil
}

func (o *Organization) parentOf(id string) string {
	if p := o.Parents[id]; p != "" {
		return p
	}
	for _, ou := range o.OUs {
		if ou.ID == id {
			return ou.Parent
		}
	}
	return ""
}

func (s *Server) listParents(c *caller, in jsonIn) (any, *apiErr) {
	o, e := s.org(c)
	if e != nil {
		return nil, e
	}
	p := o.parentOf(in.str("ChildId"))
	if p == "" {
		return nil, errf(400, "ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.")
	}
	typ := "ORGANIZATIONAL_UNIT"
	if p == o.Root {
		typ = "ROOT"
	}
	return map[string]any{"Parents": []map[string]string{{"Id": p, "Type": typ}}}, nil
}

func (s *Server) listAccounts(c *caller, in jsonIn) (any, *apiErr) {
	o, e := s.org(c)
	if e != nil {
		return nil, e
	}
	parent := in.str("ParentId")
	var ids []string
	for _, a := range s.sc.Accounts {
		if p := o.Parents[a.ID]; p != "" && (parent == "" || p == parent) {
			ids = append(ids, a.ID)
		}
	}
	from, to, next := s.page(len(ids), in.str("NextToken"), in.num("MaxResults"))
	out := []map[string]any{}
	for _, id := range ids[from:to] {
		out = append(out, map[string]any{"Id": id, "Arn": "arn:aws:organizations::" + o.Management + ":account/" + o.ID + "/" + id,
			"Name": "account-" + id, "Email": "aws+" + id + "@example.com", "Status": "ACTIVE", "State": "ACTIVE"})
	}
	return map[string]any{"Accounts": out, "NextToken": nilIfEmpty(next)}, nil
}

func (s *Server) listOUs(c *caller, in jsonIn) (any, *apiErr) {
	o, e := s.org(c)
	if e != nil {
		return nil, e
	}
	var ous []*OU
	for _, ou := range o.OUs {
		if ou.Parent == in.str("ParentId") {
			ous = append(ous, ou)
		}
	}
	from, to, next := s.page(len(ous), in.str("NextToken"), in.num("MaxResults"))
	out := []map[string]any{}
	for _, ou := range ous[from:to] {
		out = append(out, map[string]any{"Id": ou.ID, "Name": ou.ID, "Arn": "arn:aws:organizations::" + o.Management + ":ou/" + o.ID + "/" + ou.ID})
	}
	return map[string]any{"OrganizationalUnits": out, "NextToken": nilIfEmpty(next)}, nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
