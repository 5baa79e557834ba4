// Package slab hands out slices carved from larger blocks, so that many
// small slices cost few allocations. A block is freed by the garbage
// collector once none of the slices carved from it is reachable.
package slab

// maxBlock is the most elements a Slab allocates at once.
const maxBlock = 256

// A Slab hands out slices of blocks it allocates, each block twice the size
// of the one before, up to 256 elements. The zero Slab is ready to use; a
// Slab is not safe for concurrent use.
type Slab[T any] struct {
	free []T
	next int
}

// Take returns n zero elements (nil for none). The slice has no room to
// grow: appending to it reallocates it.
func (s *Slab[T]) Take(n int) []T {
	if n == 0 {
		return nil
	}
	if n > len(s.free) {
		size := max(s.next, 8)
		s.next = min(size*2, maxBlock)
		if n > size/2 {
			return make([]T, n) // a large request gets a block of its own
		}
		s.free = make([]T, size)
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

// One returns a pointer to one zero element.
func (s *Slab[T]) One() *T { return &s.Take(1)[0] }

// Reset drops the current block: the next Take starts a new one, so that
// the slices taken after share no block with those taken before.
func (s *Slab[T]) Reset() { s.free = nil }
