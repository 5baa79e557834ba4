// Package terraform reads the JSON that `terraform show -json` prints for a
// saved plan (or for a state) into logpath's model. It only translates: what
// AWS does with the resources is decided in package delivery.
//
// From a plan it reads planned_values (the root module and its child
// modules), the after_unknown and sensitive masks of resource_changes, and
// the references of the configuration, which link resources whose names
// and ARNs are known only after apply. A state has values only.
//
// A value that is unknown until apply, or marked sensitive, becomes a
// model.Unknown with the reason; a resource type logpath does not know is
// skipped; a resource it knows with an unexpected shape is an *Error.
package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/logpath/logpath/internal/jsontree"
	"github.com/logpath/logpath/model"
)

// Options are the values a plan may not reveal.
type Options struct {
	// Account and Region are used for resources whose ARN (and, for the
	// Region, provider configuration) does not say.
	Account, Region string
}

// Error is input that cannot be read: not JSON, not the output of
// `terraform show -json`, or a resource logpath knows with an unexpected
// shape.
type Error struct {
	File string
	// Path is the JSON path of the value at fault ("$.planned_values.
	// root_module.resources[2].values.rule"); empty when unknown.
	Path string
	// Line and Column locate the value in the file; 0 when unknown.
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Path != "" {
		b.WriteString(" (at ")
		b.WriteString(e.Path)
		b.WriteString(")")
	}
	return b.String()
}

// IsShowJSON reports whether data looks like the output of `terraform show
// -json`, for a plan or a state.
func IsShowJSON(data []byte) bool {
	head := data[:min(len(data), 4096)]
	t := bytes.TrimLeft(head, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && bytes.Contains(data, []byte(`"format_version"`)) &&
		(bytes.Contains(data, []byte(`"planned_values"`)) || bytes.Contains(data, []byte(`"values"`)) ||
			bytes.Contains(data, []byte(`"resource_changes"`)) || bytes.Contains(data, []byte(`"terraform_version"`)))
}

// Load reads the output of `terraform show -json` for a plan or a state.
// file names the input in origins and errors.
func Load(file string, data []byte, opts Options) (*model.Model, error) {
	l := &loader{file: file, data: data, opts: opts, m: &model.Model{}, pos: newPosIndex(data)}
	root, err := jsontree.Parse(data)
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			line, col := l.pos.at(se.Offset)
			return nil, &Error{File: file, Line: line, Column: col, Msg: "invalid JSON: " + se.Msg}
		}
		return nil, &Error{File: file, Msg: err.Error()}
	}
	l.root = &root
	if root.Kind != jsontree.Object {
		return nil, l.errAt(nil, "expected a JSON object, the output of terraform show -json, found a %s", root.Kind)
	}
	if err := l.decode(); err != nil {
		return nil, err
	}
	if err := l.collect(); err != nil {
		return nil, err
	}
	if err := l.translate(); err != nil {
		return nil, err
	}
	return l.m, nil
}

// loader holds one Load's state.
type loader struct {
	file string
	data []byte
	// orgID is the id of an aws_organizations_organization data source
	// the plan or state read; "" when there is none.
	orgID string
	opts  Options
	m     *model.Model
	root  *jsontree.Node
	pos   *posIndex

	plan      bool
	values    *tfjson.StateValues // planned_values, or a state's values
	changes   map[string]*tfjson.ResourceChange
	cfg       *tfjson.Config
	variables map[string]*tfjson.PlanVariable

	resources []*resource
	cfgIndex  map[*tfjson.ConfigModule]map[string]int
	byAddr    map[string]*resource
	byBase    map[string][]*resource

	firewalls   map[*resource]*model.Firewall
	fwByARN     map[string]*model.Firewall
	extFirewall map[string]*model.Firewall
	buckets     map[*resource]*model.Bucket
	bucketNames map[string]*model.Bucket
	keys        map[*resource]*model.Key
	keyNames    map[string]*model.Key // key ID and ARN
	orgPolicies map[*resource]*model.OrgPolicy
	orgIDs      map[string]*model.OrgPolicy
	roles       map[*resource]*model.IAMRole
	roleNames   map[string]*model.IAMRole
	// attached records the fields that attachments set (bucket
	// encryption, key policy, ...), unresolved the attachments whose
	// target is unknown.
	attached   map[any]map[string]bool
	unresolved []unresolved
}

// resource is one managed resource instance of the plan or state.
type resource struct {
	addr   string // module.logging.aws_s3_bucket.logs[0]
	base   string // the address without the instance key
	typ    string
	module string // the module instance address, "" for the root
	scope  *scope // the module the resource is configured in
	cfg    *tfjson.ConfigResource
	cfgPos []step // the configuration resource's JSON path, nil when none
	v      val
	origin model.Origin
}

// step is one step of a JSON path.
type step struct {
	key   string
	idx   int
	isIdx bool
}

func key(k string) step { return step{key: k} }
func index(i int) step  { return step{idx: i, isIdx: true} }
func with(p []step, s ...step) []step {
	out := make([]step, 0, len(p)+len(s))
	return append(append(out, p...), s...)
}

// jsonPath writes a path as $.a.b[0]["c d"].
func jsonPath(p []step) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range p {
		switch {
		case s.isIdx:
			fmt.Fprintf(&b, "[%d]", s.idx)
		case isIdent(s.key):
			b.WriteString(".")
			b.WriteString(s.key)
		default:
			b.WriteString("[")
			b.WriteString(strconv.Quote(s.key))
			b.WriteString("]")
		}
	}
	return b.String()
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9') {
			continue
		}
		return false
	}
	return true
}

// member returns the last member named k, as encoding/json decodes it.
func member(n *jsontree.Node, k string) *jsontree.Node {
	if n == nil || n.Kind != jsontree.Object {
		return nil
	}
	for i := len(n.Fields) - 1; i >= 0; i-- {
		if n.Fields[i].Key == k {
			return &n.Fields[i].Value
		}
	}
	return nil
}

// node finds the value at a path; nil when it is not there.
func (l *loader) node(p []step) *jsontree.Node {
	n := l.root
	for _, s := range p {
		if s.isIdx {
			if n.Kind != jsontree.Array || s.idx < 0 || s.idx >= len(n.Items) {
				return nil
			}
			n = &n.Items[s.idx]
			continue
		}
		if n = member(n, s.key); n == nil {
			return nil
		}
	}
	return n
}

// locate returns the line and column of the deepest value of a path that
// is in the document.
func (l *loader) locate(p []step) (int, int) {
	n := l.root
	for _, s := range p {
		var next *jsontree.Node
		if s.isIdx {
			if n.Kind == jsontree.Array && s.idx >= 0 && s.idx < len(n.Items) {
				next = &n.Items[s.idx]
			}
		} else {
			next = member(n, s.key)
		}
		if next == nil {
			break
		}
		n = next
	}
	return l.pos.at(n.Start)
}

func (l *loader) errAt(p []step, format string, args ...any) *Error {
	line, col := l.locate(p)
	return &Error{File: l.file, Path: jsonPath(p), Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// decode checks the document's outline and decodes it with terraform-json.
func (l *loader) decode() error {
	root := l.root
	for _, k := range []string{"planned_values", "resource_changes", "configuration", "prior_state", "output_changes", "resource_drift"} {
		if member(root, k) != nil {
			l.plan = true
		}
	}
	fv := member(root, "format_version")
	if fv == nil {
		return l.errAt(nil, "not the output of terraform show -json: there is no format_version")
	}
	if fv.Kind != jsontree.String {
		return l.errAt([]step{key("format_version")}, "format_version must be a string, found a %s", fv.Kind)
	}
	if err := l.outline(); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(l.data))
	dec.UseNumber()
	if l.plan {
		// Decode without Plan.UnmarshalJSON, to tell a shape error from
		// an unsupported version.
		type rawPlan tfjson.Plan
		var raw rawPlan
		if err := dec.Decode(&raw); err != nil {
			return l.decodeError(err)
		}
		p := (*tfjson.Plan)(&raw)
		if err := p.Validate(); err != nil {
			return l.errAt([]step{key("format_version")}, "%v", err)
		}
		if p.PlannedValues == nil {
			return l.errAt(nil, "the plan has no planned_values")
		}
		l.values, l.cfg, l.variables = p.PlannedValues, p.Config, p.Variables
		l.changes = map[string]*tfjson.ResourceChange{}
		for _, rc := range p.ResourceChanges {
			if rc != nil && rc.DeposedKey == "" && rc.Change != nil {
				l.changes[rc.Address] = rc
			}
		}
		return nil
	}
	type rawState tfjson.State
	var raw rawState
	if err := dec.Decode(&raw); err != nil {
		return l.decodeError(err)
	}
	s := (*tfjson.State)(&raw)
	if err := s.Validate(); err != nil {
		return l.errAt([]step{key("format_version")}, "%v", err)
	}
	l.values = s.Values
	return nil
}

// decodeError turns a terraform-json decoding error into an *Error.
func (l *loader) decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		var p []step
		if te.Field != "" {
			for _, k := range strings.Split(te.Field, ".") {
				p = append(p, key(k))
			}
		}
		e := l.errAt(p, "%s is a JSON %s where %s is expected", fieldName(te.Field), te.Value, jsonKind(te.Type))
		return e
	}
	return &Error{File: l.file, Msg: "not the output of terraform show -json: " + err.Error()}
}

func fieldName(f string) string {
	if f == "" {
		return "the document"
	}
	return f
}

func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another value"
}

// outline checks the parts of the document the loader walks, so that a
// wrong shape is reported where it is.
func (l *loader) outline() error {
	want := func(p []step, n *jsontree.Node, kinds ...jsontree.Kind) error {
		if n == nil {
			return nil
		}
		for _, k := range kinds {
			if n.Kind == k {
				return nil
			}
		}
		names := make([]string, len(kinds))
		for i, k := range kinds {
			names[i] = "a " + k.String()
			if k == jsontree.Object || k == jsontree.Array {
				names[i] = "an " + k.String()
			}
		}
		return l.errAt(p, "%s must be %s, found a %s", jsonPath(p)[2:], strings.Join(names, " or "), n.Kind)
	}
	var module func(p []step, n *jsontree.Node, depth int) error
	module = func(p []step, n *jsontree.Node, depth int) error {
		if err := want(p, n, jsontree.Object, jsontree.Null); err != nil || n == nil {
			return err
		}
		rs := member(n, "resources")
		if err := want(with(p, key("resources")), rs, jsontree.Array, jsontree.Null); err != nil {
			return err
		}
		if rs != nil {
			for i := range rs.Items {
				rp := with(p, key("resources"), index(i))
				r := &rs.Items[i]
				if err := want(rp, r, jsontree.Object); err != nil {
					return err
				}
				for _, f := range []string{"address", "type", "name", "mode"} {
					if err := want(with(rp, key(f)), member(r, f), jsontree.String); err != nil {
						return err
					}
				}
				if err := want(with(rp, key("values")), member(r, "values"), jsontree.Object, jsontree.Null); err != nil {
					return err
				}
			}
		}
		cm := member(n, "child_modules")
		if err := want(with(p, key("child_modules")), cm, jsontree.Array, jsontree.Null); err != nil {
			return err
		}
		if cm != nil {
			if depth > 100 {
				return l.errAt(p, "modules are nested too deeply")
			}
			for i := range cm.Items {
				cp := with(p, key("child_modules"), index(i))
				if err := want(cp, &cm.Items[i], jsontree.Object); err != nil {
					return err
				}
				if err := want(with(cp, key("address")), member(&cm.Items[i], "address"), jsontree.String); err != nil {
					return err
				}
				if err := module(cp, &cm.Items[i], depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	values := func(name string) error {
		p := []step{key(name)}
		v := member(l.root, name)
		if err := want(p, v, jsontree.Object, jsontree.Null); err != nil || v == nil {
			return err
		}
		return module(with(p, key("root_module")), member(v, "root_module"), 0)
	}
	if !l.plan {
		return values("values")
	}
	if err := values("planned_values"); err != nil {
		return err
	}
	rc := member(l.root, "resource_changes")
	if err := want([]step{key("resource_changes")}, rc, jsontree.Array, jsontree.Null); err != nil {
		return err
	}
	if rc != nil {
		for i := range rc.Items {
			p := []step{key("resource_changes"), index(i)}
			if err := want(p, &rc.Items[i], jsontree.Object); err != nil {
				return err
			}
			if err := want(with(p, key("address")), member(&rc.Items[i], "address"), jsontree.String); err != nil {
				return err
			}
			if err := want(with(p, key("change")), member(&rc.Items[i], "change"), jsontree.Object); err != nil {
				return err
			}
		}
	}
	cfg := member(l.root, "configuration")
	if err := want([]step{key("configuration")}, cfg, jsontree.Object, jsontree.Null); err != nil || cfg == nil {
		return err
	}
	var cfgModule func(p []step, n *jsontree.Node, depth int) error
	cfgModule = func(p []step, n *jsontree.Node, depth int) error {
		if err := want(p, n, jsontree.Object, jsontree.Null); err != nil || n == nil {
			return err
		}
		if depth > 100 {
			return l.errAt(p, "modules are nested too deeply")
		}
		rs := member(n, "resources")
		if err := want(with(p, key("resources")), rs, jsontree.Array, jsontree.Null); err != nil {
			return err
		}
		if rs != nil {
			for i := range rs.Items {
				rp := with(p, key("resources"), index(i))
				if err := want(rp, &rs.Items[i], jsontree.Object); err != nil {
					return err
				}
				if err := want(with(rp, key("expressions")), member(&rs.Items[i], "expressions"), jsontree.Object, jsontree.Null); err != nil {
					return err
				}
			}
		}
		calls := member(n, "module_calls")
		if err := want(with(p, key("module_calls")), calls, jsontree.Object, jsontree.Null); err != nil {
			return err
		}
		if calls != nil {
			for i := range calls.Fields {
				f := &calls.Fields[i]
				cp := with(p, key("module_calls"), key(f.Key))
				if err := want(cp, &f.Value, jsontree.Object); err != nil {
					return err
				}
				if err := cfgModule(with(cp, key("module")), member(&f.Value, "module"), depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return cfgModule([]step{key("configuration"), key("root_module")}, member(cfg, "root_module"), 0)
}

// collect lists the managed resources of the plan or state, with their
// changes and configuration.
func (l *loader) collect() error {
	l.byAddr = map[string]*resource{}
	l.byBase = map[string][]*resource{}
	if l.values == nil || l.values.RootModule == nil {
		return nil
	}
	base := []step{key("values"), key("root_module")}
	if l.plan {
		base = []step{key("planned_values"), key("root_module")}
	}
	var cfgRoot *cfgModule
	if l.cfg != nil && l.cfg.RootModule != nil {
		cfgRoot = &cfgModule{m: l.cfg.RootModule, path: []step{key("configuration"), key("root_module")}}
	}
	var walk func(m *tfjson.StateModule, p []step, depth int) error
	walk = func(m *tfjson.StateModule, p []step, depth int) error {
		if depth > 100 {
			return l.errAt(p, "modules are nested too deeply")
		}
		sc, err := newScope(m.Address, cfgRoot)
		if err != nil {
			return l.errAt(with(p, key("address")), "module address %q: %v", m.Address, err)
		}
		for i, r := range m.Resources {
			if r != nil && r.Mode == tfjson.DataResourceMode && r.Type == "aws_organizations_organization" {
				// The organization of the credentials Terraform ran
				// with: where its organization trails write.
				if id, ok := r.AttributeValues["id"].(string); ok && id != "" && l.orgID == "" {
					l.orgID = id
				}
			}
			if r == nil || r.Mode != tfjson.ManagedResourceMode {
				continue
			}
			rp := with(p, key("resources"), index(i))
			res := &resource{addr: r.Address, typ: r.Type, module: m.Address, scope: sc}
			res.base = sc.prefix + r.Type + "." + r.Name
			line, col := l.locate(rp)
			res.origin = model.Origin{File: l.file, Line: line, Column: col, ID: r.Address}
			var sensitive any
			if len(r.SensitiveValues) > 0 {
				if err := json.Unmarshal(r.SensitiveValues, &sensitive); err != nil {
					return l.errAt(with(rp, key("sensitive_values")), "%s: sensitive_values: %v", r.Address, err)
				}
			}
			var values any
			if r.AttributeValues != nil {
				values = r.AttributeValues
			}
			res.v = val{r: res, v: values, present: true, sens: sensitive, json: with(rp, key("values"))}
			if rc := l.changes[r.Address]; rc != nil {
				res.v.unk = rc.Change.AfterUnknown
				res.v.sens = mergeMasks(res.v.sens, rc.Change.AfterSensitive)
			}
			if sc.mod != nil {
				if j, ok := l.cfgResources(sc.mod.m)[r.Type+"."+r.Name]; ok {
					res.cfg = sc.mod.m.Resources[j]
					res.cfgPos = with(sc.mod.path, key("resources"), index(j))
				}
			}
			if _, dup := l.byAddr[r.Address]; dup {
				return l.errAt(rp, "resource %s appears twice", r.Address)
			}
			l.byAddr[r.Address] = res
			l.byBase[res.base] = append(l.byBase[res.base], res)
			l.resources = append(l.resources, res)
		}
		for i, c := range m.ChildModules {
			if c == nil {
				continue
			}
			if err := walk(c, with(p, key("child_modules"), index(i)), depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(l.values.RootModule, base, 0)
}

// cfgResources indexes a configuration module's managed resources by
// TYPE.NAME.
func (l *loader) cfgResources(m *tfjson.ConfigModule) map[string]int {
	if l.cfgIndex == nil {
		l.cfgIndex = map[*tfjson.ConfigModule]map[string]int{}
	}
	idx, ok := l.cfgIndex[m]
	if !ok {
		idx = map[string]int{}
		for j, c := range m.Resources {
			if c == nil || c.Mode != tfjson.ManagedResourceMode {
				continue
			}
			if _, dup := idx[c.Type+"."+c.Name]; !dup {
				idx[c.Type+"."+c.Name] = j
			}
		}
		l.cfgIndex[m] = idx
	}
	return idx
}

// mergeMasks combines two sensitivity masks: a value is sensitive when
// either says so.
func mergeMasks(a, b any) any {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	if x, ok := a.(bool); ok && x {
		return true
	}
	if x, ok := b.(bool); ok && x {
		return true
	}
	switch am := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			return a
		}
		out := make(map[string]any, len(am)+len(bm))
		for k, v := range am {
			out[k] = v
		}
		for k, v := range bm {
			out[k] = mergeMasks(out[k], v)
		}
		return out
	case []any:
		bl, ok := b.([]any)
		if !ok {
			return a
		}
		out := make([]any, max(len(am), len(bl)))
		for i := range out {
			var x, y any
			if i < len(am) {
				x = am[i]
			}
			if i < len(bl) {
				y = bl[i]
			}
			out[i] = mergeMasks(x, y)
		}
		return out
	}
	return a
}

// translate turns the resources into the model: first the resources
// themselves, then what attaches to them.
func (l *loader) translate() error {
	l.firewalls = map[*resource]*model.Firewall{}
	l.fwByARN = map[string]*model.Firewall{}
	l.extFirewall = map[string]*model.Firewall{}
	l.buckets = map[*resource]*model.Bucket{}
	l.bucketNames = map[string]*model.Bucket{}
	l.keys = map[*resource]*model.Key{}
	l.keyNames = map[string]*model.Key{}
	l.orgPolicies = map[*resource]*model.OrgPolicy{}
	l.orgIDs = map[string]*model.OrgPolicy{}
	l.roles = map[*resource]*model.IAMRole{}
	l.roleNames = map[string]*model.IAMRole{}
	ordered := append([]*resource(nil), l.resources...)
	sort.SliceStable(ordered, func(i, j int) bool { return attachOrder(ordered[i].typ) < attachOrder(ordered[j].typ) })
	for _, r := range ordered {
		if err := l.resource(r); err != nil {
			return err
		}
	}
	l.settle()
	return nil
}
