package delivery

import (
	"bytes"
	"strings"
	"testing"

	"github.com/logpath/logpath/internal/genfleet"
	"github.com/logpath/logpath/load/cloudformation"
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

// The suppression index applies what trying every suppression on every
// delivery applies: each kind (on a resource ID, in a file, on lines of a
// file, anywhere, on nothing here), in input order, first one wins.
func TestSuppressionIndexMatchesEveryPair(t *testing.T) {
	m := &model.Model{}
	for _, scs := range [][]scenario{s3PolicyScenarios(), keyScenarios(), logsScenarios(), firehoseScenarios()} {
		for _, sc := range scs {
			m.Merge(sc.build())
		}
	}
	// And resources defined in a file, on lines.
	var tmpl bytes.Buffer
	if err := genfleet.WriteCloudFormation(&tmpl, 30); err != nil {
		t.Fatal(err)
	}
	fleet, err := cloudformation.Load("fleet.yaml", tmpl.Bytes(), cloudformation.Options{Account: acct, Region: region})
	if err != nil {
		t.Fatal(err)
	}
	m.Merge(fleet)
	ds := analyze(m, 1)
	var sups []model.Suppression
	for i, d := range ds {
		if i%7 != 0 {
			continue
		}
		for _, g := range d.Gates {
			if g.Verdict == OK {
				continue
			}
			loc := g.Location
			kinds := []model.Suppression{
				{Gates: []string{g.ID}, Resource: loc.ID, Reason: "by resource"},
				{Gates: []string{g.ID}, File: "./" + loc.File, Start: loc.Line, End: loc.Line, Reason: "by lines"},
				{Gates: []string{g.ID}, File: loc.File, Reason: "by file"},
			}
			sups = append(sups, kinds[(i/7)%len(kinds)], model.Suppression{Gates: []string{g.ID}, Resource: "NotHere", Reason: "elsewhere"})
			break
		}
	}
	sups = append(sups, model.Suppression{Gates: []string{"s3.encryption"}, Reason: "anywhere"})
	if len(sups) < 20 {
		t.Fatalf("only %d suppressions", len(sups))
	}
	got := analyze(m, 1)
	applySuppressions(got, sups)
	want := analyze(m, 1)
	// What applySuppressions did before the index: every pair.
	for i := range want {
		d := &want[i]
		for k := range sups {
			suppress(d, &sups[k])
		}
		d.Effective = effective(d)
	}
	suppressed, kinds := 0, map[string]bool{}
	for i := range want {
		for j := range want[i].Gates {
			w, g := want[i].Gates[j].Suppressed, got[i].Gates[j].Suppressed
			if (w == nil) != (g == nil) || (w != nil && w.Reason != g.Reason) {
				t.Fatalf("delivery %d gate %s: suppressed %+v, want %+v", i, want[i].Gates[j].ID, g, w)
			}
			if w != nil {
				suppressed++
				kinds[w.Reason] = true
			}
		}
		if got[i].Effective != want[i].Effective {
			t.Errorf("delivery %d: effective %v, want %v", i, got[i].Effective, want[i].Effective)
		}
	}
	for _, k := range []string{"by resource", "by lines", "by file", "anywhere"} {
		if !kinds[k] {
			t.Errorf("no gate was suppressed %s; the test needs each kind (%d suppressed)", k, suppressed)
		}
	}
}
