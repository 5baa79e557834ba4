package fakeaws

import (
	"fmt"
	"time"
)

// FleetAccount is the account ID of the i-th account of a fleet. The first
// two are the example accounts of the AWS documentation; the others, which
// a fleet of ten or twenty needs, are made up in 1111222200NN.
func FleetAccount(i int) string {
	switch i {
	case 0:
		return "111122223333"
	case 1:
		return "444455556666"
	}
	return fmt.Sprintf("1111222200%02d", i)
}

// Fleet is an organization of accounts, each with firewalls that log FLOW
// to their own bucket encrypted with their own key, all working and
// delivering, and a role LogpathAudit in every account but those listed
// in noRole. The first account is the management account; an RCP with
// the AWS-service exemption is attached to the root.
func Fleet(accounts, firewalls int, latency time.Duration, noRole ...int) *Scenario {
	sc := &Scenario{Now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), Faults: Faults{Latency: Age(latency)}}
	org := &Organization{Management: FleetAccount(0), Root: "r-examplerootid", Parents: map[string]string{},
		OUs:  []*OU{{ID: "ou-exam-11111111", Parent: "r-examplerootid"}},
		RCPs: []*RCP{{ID: "p-examplercp1", Name: "DataPerimeter", Targets: []string{"r-examplerootid"}, Policy: Policy{Text: `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyOurOrg","Effect":"Deny","Principal":"*","Action":["s3:*","kms:*"],"Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-exampleorgid"},"BoolIfExists":{"aws:PrincipalIsAWSService":"false"}}}]}`}}}}
	sc.Organization = org
	for i := range accounts {
		id := FleetAccount(i)
		a := &Account{ID: id, AccessKey: "AKIAFAKE" + id}
		if !contains(noRole, i) {
			a.Roles = []*Role{{Name: "LogpathAudit"}}
		}
		org.Parents[id] = "ou-exam-11111111"
		if i == 0 {
			org.Parents[id] = org.Root
		}
		r := &Region{Name: "ap-northeast-1"}
		for j := range firewalls {
			fw := fmt.Sprintf("fw-%02d", j)
			bucket := fmt.Sprintf("amzn-s3-demo-logs-%s-%02d", id, j)
			key := fmt.Sprintf("%08x-0000-4000-8000-%012d", j, i)
			r.Firewalls = append(r.Firewalls, &Firewall{Name: fw, Status: "READY", Packets: 1000,
				Logging: []*LogDestination{{LogType: "FLOW", Type: "S3", BucketName: bucket}}})
			r.Keys = append(r.Keys, &Key{ID: key, Manager: "CUSTOMER", State: "Enabled", Spec: "SYMMETRIC_DEFAULT",
				Policy: Policy{Text: `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + id + `:root"},"Action":"kms:*","Resource":"*"},` +
					`{"Sid":"AllowLogDeliveryToEncrypt","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":["kms:GenerateDataKey*","kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"` + id + `"}}}]}`}})
			a.Buckets = append(a.Buckets, &Bucket{Name: bucket, Region: r.Name, Ownership: "BucketOwnerEnforced",
				Encryption: &BucketEncryption{Algorithm: "aws:kms", KMSKeyID: "arn:aws:kms:ap-northeast-1:" + id + ":key/" + key, BucketKeyEnabled: true},
				Policy: Policy{Text: `{"Version":"2012-10-17","Statement":[` +
					`{"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::` + bucket + `/AWSLogs/` + id + `/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceAccount":"` + id + `"}}},` +
					`{"Sid":"AWSLogDeliveryAclCheck","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::` + bucket + `","Condition":{"StringEquals":{"aws:SourceAccount":"` + id + `"}}}]}`},
				NFWLogs: []*NFWLogs{{Account: id, Region: r.Name, Firewall: fw, LogType: "FLOW", Ages: []Age{Age(3 * time.Hour), Age(15 * time.Minute)}}}})
		}
		a.Regions = []*Region{r}
		sc.Accounts = append(sc.Accounts, a)
	}
	if err := sc.check(); err != nil {
		panic(err) // a fleet is built by code: a bug, not input
	}
	return sc
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
