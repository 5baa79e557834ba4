package slab

import "testing"

// Take hands out zero, disjoint slices that cannot grow into one another,
// and Reset starts a new block.
func TestTake(t *testing.T) {
	var s Slab[int]
	if got := s.Take(0); got != nil {
		t.Fatalf("Take(0) = %v, want nil", got)
	}
	takeAndFill(t, &s, make([][]int, 0, 43), 300, 7)
	a := s.One()
	s.Reset()
	b := s.One()
	*b = 7
	if *a != 0 {
		t.Fatalf("after Reset, One shares memory with before")
	}
}

// takeAndFill takes slices of 1, 1+step, ... up to most elements from s,
// checks that each is zero and can hold what is written into it, and
// returns them, appended to all.
func takeAndFill(t *testing.T, s *Slab[int], all [][]int, most, step int) [][]int {
	t.Helper()
	for n := 1; n <= most; n += step {
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
	return all
}

// Rewind hands the blocks taken since the last Rewind out again, zeroed,
// and allocates nothing while they suffice.
func TestRewind(t *testing.T) {
	var s Slab[int]
	s.Rewind()
	fill := func() [][]int { return takeAndFill(t, &s, make([][]int, 0, 40), 100, 3) }
	first := fill()
	s.Rewind()
	allocs := testing.AllocsPerRun(10, func() {
		fill()
		s.Rewind()
	})
	// fill's own list of slices is the only allocation left.
	if allocs > 1 {
		t.Errorf("Take after Rewind allocates %.0f times per round, want only fill's own", allocs)
	}
	// The memory is shared with what was taken before the Rewind.
	shared := false
	second := fill()
	for _, a := range first {
		for _, b := range second {
			if &a[0] == &b[0] {
				shared = true
			}
		}
	}
	if !shared {
		t.Errorf("no slice after Rewind reuses a block from before it")
	}
}

// A Slab that is never rewound keeps no list of its blocks.
func TestNoRewindKeepsNoBlocks(t *testing.T) {
	var s Slab[int]
	for range 100 {
		s.Take(50)
	}
	if s.blocks != nil {
		t.Fatalf("a Slab never rewound lists %d blocks", len(s.blocks.used))
	}
}
