package jsontree

import "testing"

func TestPath(t *testing.T) {
	var root Path
	st := root.Member("Statement")
	item := st.Item(2)
	cond := item.Member("Condition")
	for _, tt := range []struct {
		p    *Path
		want string
	}{{&root, "$"}, {&st, "$.Statement"}, {&item, "$.Statement[2]"}, {&cond, "$.Statement[2].Condition"}} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
}
