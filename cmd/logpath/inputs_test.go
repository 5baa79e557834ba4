package main

import "testing"

// A directory search reads a snapshot by its keys: every top-level field
// of the snapshot format (docs/snapshot.md), and nothing else.
func TestLooksReadableSnapshots(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{`{"version": 1, "firewalls": []}`, true},
		{`{"version": 1, "flowLogs": [], "iamRoles": [], "managedPolicies": []}`, true},
		{`{"version": 1, "trails": [{"name": "t"}]}`, true},
		{`{"version": 1}`, false},
		{`{"version": 1, "trails": [], "name": "package.json"}`, false},
		{`{"trails": []}`, false},
	} {
		if got := looksReadable([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.in, got, tt.want)
		}
	}
}
