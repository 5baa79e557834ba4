package slab

import "testing"

// Take hands out zero, disjoint slices that cannot grow into one another,
// and Reset starts a new block.
func TestTake(t *testing.T) {
	var s Slab[int]
	if got := s.Take(0); got != nil {
		t.Fatalf("Take(0) = %v, want nil", got)
	}
	var all [][]int
	for n := 1; n <= 300; n += 7 {
		got := s.Take(n)
		if len(got) != n || cap(got) != n {
			t.Fatalf("Take(%d): len %d cap %d", n, len(got), cap(got))
		}
		for i := range got {
			if got[i] != 0 {
				t.Fatalf("Take(%d)[%d] = %d, want 0", n, i, got[i])
			}
			got[i] = n
		}
		all = append(all, got)
	}
	for _, got := range all {
		for i := range got {
			if got[i] != len(got) {
				t.Fatalf("a slice of %d was overwritten: %v", len(got), got)
			}
		}
	}
	a := s.One()
	s.Reset()
	b := s.One()
	*b = 7
	if *a != 0 {
		t.Fatalf("after Reset, One shares memory with before")
	}
}
