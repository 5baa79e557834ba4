package model

import "testing"

// Two templates that both define LogKey and LogBucket: after Isolate and
// Merge, each bucket's key reference still names its own template's key.
func TestIsolateKeepsReferencesInTheirInput(t *testing.T) {
	part := func(file string) *Model {
		return &Model{
			Keys: []*Key{{Origin: Origin{File: file, ID: "LogKey"}}},
			Buckets: []*Bucket{{Origin: Origin{File: file, ID: "LogBucket"},
				Encryption: Known(&BucketEncryption{KeyRef: "LogKey"})}},
			Firewalls: []*Firewall{{Origin: Origin{File: file, ID: "Firewall"},
				Logging: &LoggingConfiguration{Destinations: []LogDestination{{Ref: "LogBucket"}}}}},
			Aliases: []*Alias{{TargetRef: "LogKey"}},
			Roles: []*IAMRole{{Origin: Origin{File: file, ID: "Role"},
				ManagedPolicies: Known([]PolicyAttachment{{Ref: "Policy"}})}},
			ManagedPolicies: []*ManagedPolicy{{Origin: Origin{File: file, ID: "Policy"}}},
			Trails: []*Trail{{Origin: Origin{File: file, ID: "Trail"}, BucketRef: "LogBucket", KeyRef: "LogKey",
				LogGroupRef: "TrailGroup", RoleRef: "Role"}},
		}
	}
	m := &Model{}
	for _, file := range []string{"a.yaml", "b.yaml"} {
		p := part(file)
		p.Isolate(file)
		m.Merge(p)
	}
	for i, file := range []string{"a.yaml", "b.yaml"} {
		enc, _ := m.Buckets[i].Encryption.Get()
		if want := m.Keys[i].RefKey(); enc.KeyRef != want {
			t.Errorf("%s: bucket key ref %q, want %q", file, enc.KeyRef, want)
		}
		if m.Keys[i].RefKey() == m.Keys[1-i].RefKey() {
			t.Errorf("%s: both keys have the reference key %q", file, m.Keys[i].RefKey())
		}
		if got, want := m.Firewalls[i].Logging.Destinations[0].Ref, m.Buckets[i].RefKey(); got != want {
			t.Errorf("%s: destination ref %q, want %q", file, got, want)
		}
		if got := m.Aliases[i].TargetRef; got != m.Keys[i].RefKey() {
			t.Errorf("%s: alias target ref %q, want %q", file, got, m.Keys[i].RefKey())
		}
		att, _ := m.Roles[i].ManagedPolicies.Get()
		if got, want := att[0].Ref, m.ManagedPolicies[i].RefKey(); got != want {
			t.Errorf("%s: policy attachment ref %q, want %q", file, got, want)
		}
		if tr := m.Trails[i]; tr.BucketRef != m.Buckets[i].RefKey() || tr.KeyRef != m.Keys[i].RefKey() || tr.RoleRef != m.Roles[i].RefKey() ||
			tr.LogGroupRef == "TrailGroup" {
			t.Errorf("%s: trail refs %q %q %q %q not in the input's scope", file, tr.BucketRef, tr.KeyRef, tr.RoleRef, tr.LogGroupRef)
		}
		if m.Keys[i].ID != "LogKey" {
			t.Errorf("%s: the ID shown to users changed to %q", file, m.Keys[i].ID)
		}
	}
}
