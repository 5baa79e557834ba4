package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/logpath/logpath/internal/jsontree"
)

// SnapshotVersion is the version of the snapshot format (docs/snapshot.md).
const SnapshotVersion = 1

// Snapshot is the file form of a Model.
type Snapshot struct {
	Version int `json:"version"`
	Model
}

// UnmarshalJSON reads a policy document given either as the policy itself
// (an object with a Statement) or as {"json": "...", "managed": true}.
func (d *PolicyDocument) UnmarshalJSON(b []byte) error {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	if _, ok := probe["Statement"]; ok {
		*d = PolicyDocument{JSON: Known(string(b))}
		return nil
	}
	type plain PolicyDocument
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*d = PolicyDocument(p)
	return nil
}

// InputError is a snapshot that cannot be read, located in its file.
type InputError struct {
	File         string
	Line, Column int
	Path         string
	Msg          string
}

func (e *InputError) Error() string {
	loc := fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column)
	if e.Path != "" {
		loc += " (" + e.Path + ")"
	}
	return loc + ": " + e.Msg
}

// ReadSnapshot reads a snapshot. Resources without an origin get the file
// and line where the snapshot defines them, and policy documents written
// inline keep their exact text, so that statement lines point into the file.
func ReadSnapshot(file string, data []byte) (*Model, error) {
	root, err := jsontree.Parse(data)
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			l, c := jsontree.LineCol(data, se.Offset)
			return nil, &InputError{File: file, Line: l, Column: c, Msg: "invalid JSON: " + se.Msg}
		}
		return nil, err
	}
	if root.Kind != jsontree.Object {
		return nil, &InputError{File: file, Line: 1, Column: 1, Path: "$", Msg: "a snapshot is a JSON object"}
	}
	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, snapshotError(file, data, err)
	}
	if s.Version != SnapshotVersion {
		n := root.Get("version")
		off := root.Start
		if n != nil {
			off = n.Start
		}
		l, c := jsontree.LineCol(data, off)
		return nil, &InputError{File: file, Line: l, Column: c, Path: "$.version", Msg: fmt.Sprintf("snapshot version %d is not supported (this logpath reads version %d)", s.Version, SnapshotVersion)}
	}
	m := &s.Model
	locate(file, data, &root, m)
	return m, nil
}

func snapshotError(file string, data []byte, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	off := int64(0)
	path, msg := "", err.Error()
	switch {
	case errors.As(err, &te):
		off, path = te.Offset, "$."+te.Field
		msg = fmt.Sprintf("expected %s, not %s", te.Type, te.Value)
	case errors.As(err, &se):
		off = se.Offset
	default:
		// encoding/json reports unknown fields without an offset; find the
		// first occurrence of the field name to point at it.
		if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
			if i := bytes.Index(data, []byte(name)); i >= 0 {
				off = int64(i)
			}
			msg = "unknown field " + name + " (see docs/snapshot.md)"
		}
	}
	l, c := jsontree.LineCol(data, int(off))
	return &InputError{File: file, Line: l, Column: c, Path: path, Msg: msg}
}

// locate fills origins from the JSON tree.
func locate(file string, data []byte, root *jsontree.Node, m *Model) {
	origin := func(o *Origin, n *jsontree.Node) {
		if o.File == "" {
			o.File = file
			o.Line, o.Column = jsontree.LineCol(data, n.Start)
		}
	}
	policyAt := func(v *Value[*PolicyDocument], n *jsontree.Node) {
		doc, ok := v.Get()
		if !ok || doc == nil || n == nil {
			return
		}
		if n.Kind == jsontree.Object && n.Get("Statement") != nil {
			// Inline policy: its exact text, positioned in the file.
			doc.JSON = Known(string(data[n.Start:n.End]))
			doc.File = file
			doc.Line, doc.Column = jsontree.LineCol(data, n.Start)
			return
		}
		origin(&doc.Origin, n)
	}
	each := func(key string, fn func(i int, n *jsontree.Node)) {
		list := root.Get(key)
		if list == nil || list.Kind != jsontree.Array {
			return
		}
		for i := range list.Items {
			fn(i, &list.Items[i])
		}
	}
	each("firewalls", func(i int, n *jsontree.Node) {
		fw := m.Firewalls[i]
		origin(&fw.Origin, n)
		if fw.Logging == nil {
			return
		}
		ln := n.Get("logging")
		origin(&fw.Logging.Origin, ln)
		if dl := ln.Get("destinations"); dl != nil && dl.Kind == jsontree.Array {
			for j := range dl.Items {
				if j < len(fw.Logging.Destinations) {
					origin(&fw.Logging.Destinations[j].Origin, &dl.Items[j])
				}
			}
		}
	})
	each("buckets", func(i int, n *jsontree.Node) {
		origin(&m.Buckets[i].Origin, n)
		policyAt(&m.Buckets[i].Policy, n.Get("policy"))
	})
	each("keys", func(i int, n *jsontree.Node) {
		origin(&m.Keys[i].Origin, n)
		policyAt(&m.Keys[i].Policy, n.Get("policy"))
	})
	each("aliases", func(i int, n *jsontree.Node) { origin(&m.Aliases[i].Origin, n) })
	each("logGroups", func(i int, n *jsontree.Node) { origin(&m.LogGroups[i].Origin, n) })
	each("logResourcePolicies", func(i int, n *jsontree.Node) {
		origin(&m.LogResourcePolicies[i].Origin, n)
		policyAt(&m.LogResourcePolicies[i].Policy, n.Get("policy"))
	})
	each("deliveryStreams", func(i int, n *jsontree.Node) { origin(&m.DeliveryStreams[i].Origin, n) })
	each("organizationPolicies", func(i int, n *jsontree.Node) {
		origin(&m.OrgPolicies[i].Origin, n)
		policyAt(&m.OrgPolicies[i].Policy, n.Get("policy"))
	})
}

// WriteSnapshot writes a model as a snapshot.
func WriteSnapshot(m *Model) ([]byte, error) {
	return json.MarshalIndent(Snapshot{Version: SnapshotVersion, Model: *m}, "", "  ")
}
