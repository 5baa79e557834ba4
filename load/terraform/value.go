package terraform

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/logpath/logpath/model"
)

// val is a value of a resource, with its after_unknown and sensitivity
// masks, and where it is.
type val struct {
	r       *resource
	v       any // as encoding/json decodes it; nil for null or absent
	present bool
	unk     any // after_unknown: true, or a structure like v's
	sens    any // sensitive_values / after_sensitive
	attr    string
	json    []step
	// unkAt and sensAt name the attribute that is unknown or sensitive
	// as a whole, for values below it.
	unkAt, sensAt string
}

// get returns an object attribute or map element.
func (v val) get(k string) val {
	name := v.attr + "." + k
	if v.attr == "" {
		name = k
	}
	return v.child(k, name, key(k), func(m any) any {
		if mm, ok := m.(map[string]any); ok {
			return mm[k]
		}
		return nil
	})
}

// elem returns a map element, named attr["key"] in messages.
func (v val) elem(k string) val {
	return v.child(k, v.attr+"["+strconv.Quote(k)+"]", key(k), func(m any) any {
		if mm, ok := m.(map[string]any); ok {
			return mm[k]
		}
		return nil
	})
}

// at returns a list element.
func (v val) at(i int) val {
	return v.child("", fmt.Sprintf("%s[%d]", v.attr, i), index(i), func(m any) any {
		if l, ok := m.([]any); ok && i < len(l) {
			return l[i]
		}
		return nil
	})
}

func (v val) child(k, name string, s step, pick func(any) any) val {
	c := val{r: v.r, attr: name, json: with(v.json, s), unkAt: v.unkAt, sensAt: v.sensAt}
	if mm, ok := v.v.(map[string]any); ok && k != "" {
		c.v, c.present = mm[k]
	} else if l, ok := v.v.([]any); ok && s.isIdx && s.idx < len(l) {
		c.v, c.present = l[s.idx], true
	}
	c.unk, c.unkAt = childMask(v.unk, v.unkAt, v.attr, name, pick)
	c.sens, c.sensAt = childMask(v.sens, v.sensAt, v.attr, name, pick)
	return c
}

// childMask returns a child's part of a mask, and the attribute that is
// unknown (or sensitive) as a whole, if any.
func childMask(mask any, at, parent, name string, pick func(any) any) (any, string) {
	if at != "" {
		return true, at
	}
	if b, ok := mask.(bool); ok && b {
		// The parent is unknown as a whole (only the resource itself
		// has no name of its own).
		if parent == "" {
			parent = name
		}
		return true, parent
	}
	m := pick(mask)
	if b, ok := m.(bool); ok && b {
		return true, name
	}
	return m, ""
}

// unknown says why the value is not known: it is known only after apply,
// or it is sensitive. "" when it is known.
func (v val) unknown() string {
	what := func(at string) string {
		if at == "" {
			return v.r.addr
		}
		return v.r.addr + "." + at
	}
	switch {
	case v.unkAt != "" || isTrue(v.unk):
		return what(v.unkAt) + " is known only after apply"
	case v.sensAt != "" || isTrue(v.sens):
		return what(v.sensAt) + " is sensitive, and logpath does not read sensitive values"
	}
	return ""
}

func isTrue(x any) bool {
	b, ok := x.(bool)
	return ok && b
}

func (v val) errorf(l *loader, format string, args ...any) error {
	return l.errAt(v.json, "%s: %s: %s", v.r.addr, v.attr, fmt.Sprintf(format, args...))
}

func kindOf(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	}
	return "value"
}

// str reads a string. A null value is def.
func (l *loader) str(v val, def model.Value[string]) (model.Value[string], error) {
	if why := v.unknown(); why != "" {
		return model.Unknown[string]("%s", why), nil
	}
	switch x := v.v.(type) {
	case nil:
		return def, nil
	case string:
		return model.Known(x), nil
	}
	return model.Value[string]{}, v.errorf(l, "expected a string, found a %s", kindOf(v.v))
}

// boolean reads a bool. A null value is def.
func (l *loader) boolean(v val, def model.Value[bool]) (model.Value[bool], error) {
	if why := v.unknown(); why != "" {
		return model.Unknown[bool]("%s", why), nil
	}
	switch x := v.v.(type) {
	case nil:
		return def, nil
	case bool:
		return model.Known(x), nil
	}
	return model.Value[bool]{}, v.errorf(l, "expected a boolean, found a %s", kindOf(v.v))
}

// list reads a list (or set) of values; null is an empty list. why is set
// when the list itself is unknown.
func (l *loader) list(v val) (items []val, why string, err error) {
	if why := v.unknown(); why != "" {
		return nil, why, nil
	}
	switch x := v.v.(type) {
	case nil:
		return nil, "", nil
	case []any:
		items = make([]val, len(x))
		for i := range x {
			items[i] = v.at(i)
		}
		return items, "", nil
	}
	return nil, "", v.errorf(l, "expected a list, found a %s", kindOf(v.v))
}

// object checks that a value is an object (or null).
func (l *loader) object(v val) error {
	if v.unknown() != "" {
		return nil
	}
	switch v.v.(type) {
	case nil, map[string]any:
		return nil
	}
	return v.errorf(l, "expected an object, found a %s", kindOf(v.v))
}

// block reads a nested block given as a list of at most one element
// (Terraform's MaxItems 1 blocks): the element, whether there is one, and
// why it is unknown.
func (l *loader) block(v val) (val, bool, string, error) {
	items, why, err := l.list(v)
	if err != nil || why != "" || len(items) == 0 {
		return val{}, false, why, err
	}
	if err := l.object(items[0]); err != nil {
		return val{}, false, "", err
	}
	return items[0], true, "", nil
}

// strMap reads a map of strings; null is an empty map. An element that is
// unknown makes the whole map unknown.
func (l *loader) strMap(v val) (model.Value[map[string]string], error) {
	if why := v.unknown(); why != "" {
		return model.Unknown[map[string]string]("%s", why), nil
	}
	out := map[string]string{}
	switch x := v.v.(type) {
	case nil:
		return model.Known(out), nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		// Elements that are unknown may be absent from the value: the
		// mask lists them.
		if m, ok := v.unk.(map[string]any); ok {
			for k := range m {
				if _, in := x[k]; !in {
					keys = append(keys, k)
				}
			}
		}
		for _, k := range keys {
			e := v.elem(k)
			s, err := l.str(e, model.Known(""))
			if err != nil {
				return model.Value[map[string]string]{}, err
			}
			str, ok := s.Get()
			if !ok {
				return model.Unknown[map[string]string]("%s", s.Reason()), nil
			}
			out[k] = str
		}
		return model.Known(out), nil
	}
	return model.Value[map[string]string]{}, v.errorf(l, "expected a map, found a %s", kindOf(v.v))
}
