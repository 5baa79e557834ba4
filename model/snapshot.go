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
	m := &Model{}
	version := -1
	for i := range root.Fields {
		f := &root.Fields[i]
		path := "$." + f.Key
		var err error
		switch f.Key {
		case "version":
			err = decodeAt(data, &f.Value, &version)
		case "firewalls":
			m.Firewalls, err = decodeList[Firewall](data, &f.Value)
		case "flowLogs":
			m.FlowLogs, err = decodeList[FlowLog](data, &f.Value)
		case "trails":
			m.Trails, err = decodeList[Trail](data, &f.Value)
		case "buckets":
			m.Buckets, err = decodeList[Bucket](data, &f.Value)
		case "keys":
			m.Keys, err = decodeList[Key](data, &f.Value)
		case "aliases":
			m.Aliases, err = decodeList[Alias](data, &f.Value)
		case "logGroups":
			m.LogGroups, err = decodeList[LogGroup](data, &f.Value)
		case "logResourcePolicies":
			m.LogResourcePolicies, err = decodeList[LogResourcePolicy](data, &f.Value)
		case "deliveryStreams":
			m.DeliveryStreams, err = decodeList[DeliveryStream](data, &f.Value)
		case "iamRoles":
			m.Roles, err = decodeList[IAMRole](data, &f.Value)
		case "managedPolicies":
			m.ManagedPolicies, err = decodeList[ManagedPolicy](data, &f.Value)
		case "organizationPolicies":
			m.OrgPolicies, err = decodeList[OrgPolicy](data, &f.Value)
		case "suppressions":
			var sups []*Suppression
			sups, err = decodeList[Suppression](data, &f.Value)
			for _, s := range sups {
				m.Suppressions = append(m.Suppressions, *s)
			}
		case "gaps":
			m.Gaps, err = decodeList[Gap](data, &f.Value)
		case "deployed":
			err = decodeAt(data, &f.Value, &m.Deployed)
		case "resolverQueryLogConfigs":
			m.ResolverQueryLogConfigs, err = decodeList[ResolverQueryLogConfig](data, &f.Value)
		case "resolverQueryLogAssociations":
			m.ResolverQueryLogAssociations, err = decodeList[ResolverQueryLogAssociation](data, &f.Value)
		case "webAcls":
			m.WebACLs, err = decodeList[WebACL](data, &f.Value)
		case "wafLoggingConfigurations":
			m.WAFLoggingConfigurations, err = decodeList[WAFLoggingConfiguration](data, &f.Value)
		case "organization":
			m.Organization = &Organization{}
			err = decodeAt(data, &f.Value, m.Organization)
		default:
			l, c := jsontree.LineCol(data, f.KeyOffset)
			return nil, &InputError{File: file, Line: l, Column: c, Path: path, Msg: fmt.Sprintf("unknown field %q (see docs/snapshot.md)", f.Key)}
		}
		if err != nil {
			var de *decodeError
			if errors.As(err, &de) {
				l, c := jsontree.LineCol(data, de.offset)
				p := path
				if de.index >= 0 {
					p = fmt.Sprintf("%s[%d]", path, de.index)
				}
				if de.field != "" {
					p += "." + de.field
				}
				return nil, &InputError{File: file, Line: l, Column: c, Path: p, Msg: de.msg}
			}
			return nil, err
		}
	}
	if version != SnapshotVersion {
		n := root.Get("version")
		off := root.Start
		if n != nil {
			off = n.Start
		}
		l, c := jsontree.LineCol(data, off)
		msg := fmt.Sprintf("snapshot version %d is not supported (this logpath reads version %d)", version, SnapshotVersion)
		if n == nil {
			msg = fmt.Sprintf("the snapshot has no \"version\" (this logpath reads version %d)", SnapshotVersion)
		}
		return nil, &InputError{File: file, Line: l, Column: c, Path: "$.version", Msg: msg}
	}
	locate(file, data, &root, m)
	return m, nil
}

// decodeError is a value that does not decode, at a byte offset.
type decodeError struct {
	offset int
	index  int // list index, or -1
	field  string
	msg    string
}

func (e *decodeError) Error() string { return e.msg }

// decodeAt decodes one JSON value of data, disallowing unknown fields.
func decodeAt(data []byte, n *jsontree.Node, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data[n.Start:n.End]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return explainDecode(data, n, err)
	}
	return nil
}

func explainDecode(data []byte, n *jsontree.Node, err error) error {
	de := &decodeError{offset: n.Start, index: -1, msg: err.Error()}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		de.field = te.Field
		de.msg = fmt.Sprintf("expected %s, not %s", te.Type, te.Value)
		if te.Field != "" {
			de.offset = fieldOffset(n, strings.Split(te.Field, "."))
		}
		return de
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		de.msg = "unknown field " + name + " (see docs/snapshot.md)"
		if i := bytes.Index(data[n.Start:n.End], []byte(name)); i >= 0 {
			de.offset = n.Start + i
		}
	}
	return de
}

// fieldOffset finds a dotted field path under n, as far as it goes.
func fieldOffset(n *jsontree.Node, path []string) int {
	for _, p := range path {
		next := n.Get(p)
		if next == nil {
			break
		}
		n = next
	}
	return n.Start
}

func decodeList[T any](data []byte, n *jsontree.Node) ([]*T, error) {
	if n.Kind != jsontree.Array {
		return nil, &decodeError{offset: n.Start, index: -1, msg: "expected a list, not " + n.Kind.String()}
	}
	out := make([]*T, 0, len(n.Items))
	for i := range n.Items {
		v := new(T)
		if err := decodeAt(data, &n.Items[i], v); err != nil {
			var de *decodeError
			if errors.As(err, &de) {
				de.index = i
			}
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
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
	each("flowLogs", func(i int, n *jsontree.Node) { origin(&m.FlowLogs[i].Origin, n) })
	each("trails", func(i int, n *jsontree.Node) { origin(&m.Trails[i].Origin, n) })
	each("iamRoles", func(i int, n *jsontree.Node) {
		r := m.Roles[i]
		origin(&r.Origin, n)
		policyAt(&r.TrustPolicy, n.Get("trustPolicy"))
		inline, _ := r.InlinePolicies.Get()
		if in := n.Get("inlinePolicies"); in != nil && in.Kind == jsontree.Array {
			for j := range in.Items {
				if j < len(inline) {
					policyAt(&inline[j].Policy, in.Items[j].Get("policy"))
				}
			}
		}
	})
	each("managedPolicies", func(i int, n *jsontree.Node) {
		origin(&m.ManagedPolicies[i].Origin, n)
		policyAt(&m.ManagedPolicies[i].Policy, n.Get("policy"))
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
	each("suppressions", func(i int, n *jsontree.Node) { origin(&m.Suppressions[i].At, n) })
	each("resolverQueryLogConfigs", func(i int, n *jsontree.Node) { origin(&m.ResolverQueryLogConfigs[i].Origin, n) })
	each("resolverQueryLogAssociations", func(i int, n *jsontree.Node) { origin(&m.ResolverQueryLogAssociations[i].Origin, n) })
	each("webAcls", func(i int, n *jsontree.Node) { origin(&m.WebACLs[i].Origin, n) })
	each("wafLoggingConfigurations", func(i int, n *jsontree.Node) { origin(&m.WAFLoggingConfigurations[i].Origin, n) })
}

// WriteSnapshot writes a model as a snapshot.
func WriteSnapshot(m *Model) ([]byte, error) {
	return json.MarshalIndent(Snapshot{Version: SnapshotVersion, Model: *m}, "", "  ")
}
