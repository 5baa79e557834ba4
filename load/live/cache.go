package live

import "sync"

// cache reads each resource once per run, however many deliveries use it,
// and lets concurrent readers of the same resource wait for one read.
type cache struct {
	mu sync.Mutex
	m  map[string]any
}

type onceValue[T any] struct {
	once sync.Once
	v    T
}

// cached returns the value under key, calling read the first time only.
func cached[T any](c *cache, key string, read func() T) T {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]any{}
	}
	e, ok := c.m[key].(*onceValue[T])
	if !ok {
		e = &onceValue[T]{}
		c.m[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.v = read() })
	return e.v
}

// claim reports whether this is the first claim of key in the run: of
// the readers that find the same resource, one adds it to the model.
func (a *auditor) claim(key string) bool {
	first := false
	cached(&a.cache, key, func() bool { first = true; return true })
	return first
}
