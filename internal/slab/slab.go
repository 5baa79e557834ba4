// Package slab hands out slices carved from larger blocks, so that many
// small slices cost few allocations. A block is freed by the garbage
// collector once none of the slices carved from it is reachable, or reused
// by Rewind when the program says it is done with them.
package slab

// maxBlock is the most elements a Slab allocates at once.
const maxBlock = 256

// A Slab hands out slices of blocks it allocates, each block twice the size
// of the one before, up to 256 elements. The zero Slab is ready to use; a
// Slab is not safe for concurrent use.
type Slab[T any] struct {
	free []T
	next int
	// used holds the blocks handed out since the last Rewind (the current
	// one included), once Rewind has been called: a Slab that is never
	// rewound keeps no list of its blocks, which would keep them alive.
	// spare holds the blocks Rewind made free again.
	used, spare [][]T
	rewound     bool
}

// Take returns n zero elements (nil for none). The slice has no room to
// grow: appending to it reallocates it.
func (s *Slab[T]) Take(n int) []T {
	if n == 0 {
		return nil
	}
	if n > len(s.free) {
		if k := len(s.spare) - 1; k >= 0 && len(s.spare[k]) >= n {
			s.free = s.spare[k]
			s.spare[k] = nil
			s.spare = s.spare[:k]
		} else {
			size := max(s.next, 8)
			s.next = min(size*2, maxBlock)
			if n > size/2 {
				return make([]T, n) // a large request gets a block of its own
			}
			s.free = make([]T, size)
		}
		if s.rewound {
			s.used = append(s.used, s.free)
		}
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

// One returns a pointer to one zero element.
func (s *Slab[T]) One() *T { return &s.Take(1)[0] }

// Reset drops the current block: the next Take starts a new one, so that
// the slices taken after share no block with those taken before. The
// blocks taken so far are left to the garbage collector.
func (s *Slab[T]) Reset() {
	s.free = nil
	clear(s.used)
	s.used = s.used[:0]
}

// Rewind makes every block taken since the last Reset or Rewind free
// again, zeroed, for the next Takes: a program that is done with a batch
// of slices reuses their memory instead of allocating more. The slices
// taken before must not be used after: they share memory with those taken
// after. Blocks of their own (large requests) are left to the garbage
// collector, and so are the blocks taken before the first Rewind.
func (s *Slab[T]) Rewind() {
	s.rewound = true
	s.free = nil
	// Take uses the last spare block first: the largest.
	for _, b := range s.used {
		clear(b)
		s.spare = append(s.spare, b)
	}
	clear(s.used)
	s.used = s.used[:0]
}
