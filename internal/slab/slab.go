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
	// blocks is set by the first Rewind: a Slab that is never rewound
	// keeps no list of its blocks, which would keep them alive, and costs
	// one word for it.
	blocks *blocks[T]
}

// blocks are the blocks of a Slab that is rewound: used holds those handed
// out since the last Rewind (the current one included), spare those Rewind
// made free again.
type blocks[T any] struct {
	used, spare [][]T
}

// Take returns n zero elements (nil for none). The slice has no room to
// grow: appending to it reallocates it.
func (s *Slab[T]) Take(n int) []T {
	if n == 0 {
		return nil
	}
	if n > len(s.free) {
		if b := s.blocks; b != nil && len(b.spare) > 0 && len(b.spare[len(b.spare)-1]) >= n {
			k := len(b.spare) - 1
			s.free = b.spare[k]
			b.spare[k] = nil
			b.spare = b.spare[:k]
		} else {
			size := max(s.next, 8)
			s.next = min(size*2, maxBlock)
			if n > size/2 {
				return make([]T, n) // a large request gets a block of its own
			}
			s.free = make([]T, size)
		}
		if s.blocks != nil {
			s.blocks.used = append(s.blocks.used, s.free)
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
	if b := s.blocks; b != nil {
		clear(b.used)
		b.used = b.used[:0]
	}
}

// Rewind makes every block taken since the last Reset or Rewind free
// again, zeroed, for the next Takes: a program that is done with a batch
// of slices reuses their memory instead of allocating more. The slices
// taken before must not be used after: they share memory with those taken
// after. Blocks of their own (large requests) are left to the garbage
// collector, and so are the blocks taken before the first Rewind.
func (s *Slab[T]) Rewind() {
	if s.blocks == nil {
		s.blocks = new(blocks[T])
	}
	b := s.blocks
	s.free = nil
	// Take uses the last spare block first: the largest.
	for _, block := range b.used {
		clear(block)
		b.spare = append(b.spare, block)
	}
	clear(b.used)
	b.used = b.used[:0]
}
