package model

import "testing"

// --organization-id gives the organization trails whose input does not give
// the ID (a template, a plan) that ID, and nothing else.
func TestAssumeOrganizationID(t *testing.T) {
	given := &Trail{IsOrganizationTrail: Known(true), OrganizationID: Known("o-fromthesnapsh")}
	missing := &Trail{IsOrganizationTrail: Known(true), OrganizationID: Unknown[string]("not in the template")}
	maybe := &Trail{IsOrganizationTrail: Unknown[bool]("a parameter"), OrganizationID: Unknown[string]("not in the template")}
	plain := &Trail{IsOrganizationTrail: Known(false)}
	m := &Model{Trails: []*Trail{given, missing, maybe, plain}}
	m.AssumeOrganizationID("o-exampleorgid")
	for _, tt := range []struct {
		name  string
		trail *Trail
		want  string
		known bool
	}{
		{"the input's own ID stays", given, "o-fromthesnapsh", true},
		{"an unknown ID is the flag's", missing, "o-exampleorgid", true},
		{"perhaps an organization trail: the flag's, used only if it is one", maybe, "o-exampleorgid", true},
		{"not an organization trail: untouched", plain, "", false},
	} {
		if got, known := tt.trail.OrganizationID.Get(); got != tt.want || known != tt.known {
			t.Errorf("%s: %q, known %v; want %q, %v", tt.name, got, known, tt.want, tt.known)
		}
	}
}
