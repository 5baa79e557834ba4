package simulate

// SetAfterBlock sets a function Batch calls with a block of JSON lines once
// the block's output is written; nil removes it.
func SetAfterBlock(f func(data []byte)) { afterBlock = f }
