package delivery

import (
	"strings"
	"testing"

	"github.com/logpath/logpath/model"
)

// A log group's own resource policies are those naming it by reference or
// by ARN (with or without ":*"), each once, in input order; the index finds
// them without a scan of every policy per delivery.
func TestGroupPoliciesByRefAndARN(t *testing.T) {
	g := &model.LogGroup{Origin: model.Origin{ID: "AlertGroup"}, Name: model.Known(groupName)}
	other := groupARN(region, acct, "other-group")
	policy := func(id, ref, arn string) *model.LogResourcePolicy {
		p := &model.LogResourcePolicy{Origin: model.Origin{ID: id}, Account: model.Known(acct), Region: model.Known(region), LogGroupRef: ref}
		if arn != "" {
			p.LogGroupARN = model.Known(arn)
		}
		return p
	}
	m := &model.Model{LogGroups: []*model.LogGroup{g}, LogResourcePolicies: []*model.LogResourcePolicy{
		policy("byARNStar", "", groupARNText+":*"),
		policy("otherGroup", "", other),
		policy("byRef", "AlertGroup", ""),
		policy("accountLevel", "", ""),
		policy("both", "AlertGroup", groupARNText),
		policy("otherRef", "OtherGroup", other+":*"),
		policy("byARN", "", groupARNText),
	}}
	a := newAnalyzer(m)
	account, group := a.groupPolicies(&source{account: acct, region: region}, g, groupName)
	var ids []string
	for _, p := range group {
		ids = append(ids, p.ID)
	}
	if got, want := strings.Join(ids, " "), "byARNStar byRef both byARN"; got != want {
		t.Errorf("group policies %q, want %q", got, want)
	}
	if len(account) != 1 || account[0].ID != "accountLevel" {
		t.Errorf("account policies %v, want accountLevel", account)
	}
}
