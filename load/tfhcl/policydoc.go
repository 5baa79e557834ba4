package tfhcl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// blk is a nested block as written, or one produced by a dynamic block.
type blk struct {
	body *hclsyntax.Body
	in   inst
	line int
	col  int
	file string
}

// blocksOf lists the nested blocks of a type in body, expanding dynamic
// blocks; reason is set when a dynamic block's for_each is not known.
func (m *module) blocksOf(body *hclsyntax.Body, typ string, in inst) ([]blk, string) {
	var out []blk
	for _, b := range body.Blocks {
		r := b.DefRange()
		switch {
		case b.Type == typ:
			out = append(out, blk{body: b.Body, in: in, line: r.Start.Line, col: r.Start.Column, file: r.Filename})
		case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == typ:
			var content *hclsyntax.Block
			for _, c := range b.Body.Blocks {
				if c.Type == "content" {
					content = c
				}
			}
			fe := b.Body.Attributes["for_each"]
			if content == nil || fe == nil {
				return nil, fmt.Sprintf("%s: the dynamic %q block needs for_each and content", posOf(r), typ)
			}
			iter := typ
			if a := b.Body.Attributes["iterator"]; a != nil {
				if t, ok := a.Expr.(*hclsyntax.ScopeTraversalExpr); ok && len(t.Traversal) == 1 {
					iter = t.Traversal.RootName()
				}
			}
			v := m.eval(fe.Expr, in)
			if !v.IsKnown() {
				return nil, fmt.Sprintf("%s: the for_each of the dynamic %q block is not known: %s", posOf(r), typ, reasonOf(v))
			}
			v, _ = v.Unmark()
			if v.IsNull() || !v.CanIterateElements() {
				return nil, fmt.Sprintf("%s: the for_each of the dynamic %q block is not a collection", posOf(r), typ)
			}
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				if v.Type().IsSetType() {
					k = e
				}
				ni := in
				ni.extra = maps.Clone(in.extra)
				if ni.extra == nil {
					ni.extra = map[string]cty.Value{}
				}
				ni.extra[iter] = cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})
				out = append(out, blk{body: content.Body, in: ni, line: r.Start.Line, col: r.Start.Column, file: r.Filename})
			}
		}
	}
	return out, ""
}

// renderedDoc is an aws_iam_policy_document as Terraform renders it.
type renderedDoc struct {
	json  cty.Value
	file  string
	line  int
	col   int
	lines []int // source line of each statement
}

// stmt is one statement of a document being merged.
type stmt struct {
	sid  string
	raw  json.RawMessage
	line int
}

// jsonStmt is a statement rendered from statement blocks, in the order the
// AWS provider writes the keys.
type jsonStmt struct {
	Sid          string `json:"Sid,omitempty"`
	Effect       string `json:"Effect,omitempty"`
	Action       any    `json:"Action,omitempty"`
	NotAction    any    `json:"NotAction,omitempty"`
	Resource     any    `json:"Resource,omitempty"`
	NotResource  any    `json:"NotResource,omitempty"`
	Principal    any    `json:"Principal,omitempty"`
	NotPrincipal any    `json:"NotPrincipal,omitempty"`
	Condition    any    `json:"Condition,omitempty"`
}

// policyDocument renders data "aws_iam_policy_document" like the AWS
// provider: source_policy_documents, then the statement blocks, then
// override_policy_documents, each replacing statements with the same Sid.
// https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
func (m *module) policyDocument(b *hclsyntax.Block, in inst) *renderedDoc {
	if d := m.docs[in.addr]; d != nil {
		return d
	}
	r := b.DefRange()
	d := &renderedDoc{file: r.Filename, line: r.Start.Line, col: r.Start.Column}
	m.docs[in.addr] = d
	d.json = unknown("%s refers to itself", in.addr)
	j, lines, reason := m.renderDoc(b, in)
	if reason != "" {
		d.json = unknown("%s: %s", in.addr, reason)
		return d
	}
	d.json, d.lines = cty.StringVal(j), lines
	return d
}

func (m *module) renderDoc(b *hclsyntax.Block, in inst) (string, []int, string) {
	var merged []stmt
	version, id := "2012-10-17", ""
	merge := func(ss []stmt) {
		for _, s := range ss {
			replaced := false
			if s.sid != "" {
				for i := range merged {
					if merged[i].sid == s.sid {
						merged[i], replaced = s, true
						break
					}
				}
			}
			if !replaced {
				merged = append(merged, s)
			}
		}
	}
	docs := func(attr string) ([][]stmt, string) {
		a := b.Body.Attributes[attr]
		if a == nil {
			return nil, ""
		}
		v := m.eval(a.Expr, in)
		if !v.IsWhollyKnown() {
			return nil, fmt.Sprintf("%s is not known: %s", attr, reasonOf(v))
		}
		v = unmarkDeep(v)
		if v.IsNull() {
			return nil, ""
		}
		lv, err := convert.Convert(v, cty.List(cty.String))
		if err != nil {
			return nil, attr + " must be a list of JSON documents"
		}
		var out [][]stmt
		for i, e := range lv.AsValueSlice() {
			if e.IsNull() {
				continue
			}
			var doc struct {
				Version   string
				Id        string
				Statement json.RawMessage
			}
			if err := json.Unmarshal([]byte(e.AsString()), &doc); err != nil {
				return nil, fmt.Sprintf("%s[%d] is not a JSON document: %v", attr, i, err)
			}
			if doc.Version > version {
				version = doc.Version
			}
			if doc.Id != "" {
				id = doc.Id
			}
			var raws []json.RawMessage
			if t := bytes.TrimSpace(doc.Statement); len(t) > 0 && t[0] == '{' {
				raws = []json.RawMessage{doc.Statement}
			} else if len(t) > 0 && json.Unmarshal(doc.Statement, &raws) != nil {
				return nil, fmt.Sprintf("%s[%d] has a Statement that is not a list", attr, i)
			}
			var ss []stmt
			for _, raw := range raws {
				var s struct{ Sid string }
				if json.Unmarshal(raw, &s) != nil {
					return nil, fmt.Sprintf("%s[%d] has a statement that is not an object", attr, i)
				}
				ss = append(ss, stmt{sid: s.Sid, raw: raw, line: a.SrcRange.Start.Line})
			}
			out = append(out, ss)
		}
		return out, ""
	}
	sources, reason := docs("source_policy_documents")
	if reason != "" {
		return "", nil, reason
	}
	seen := map[string]bool{}
	for i, ss := range sources {
		for _, s := range ss {
			if s.sid != "" && seen[s.sid] {
				return "", nil, fmt.Sprintf("Terraform rejects the document: duplicate Sid (%s) in source_policy_documents (item %d)", s.sid, i)
			}
			seen[s.sid] = true
		}
		merge(ss)
	}
	for _, attr := range []struct {
		name string
		to   *string
	}{{"version", &version}, {"policy_id", &id}} {
		if a := b.Body.Attributes[attr.name]; a != nil {
			s, reason := str(m.eval(a.Expr, in))
			if reason != "" {
				return "", nil, attr.name + " is not known: " + reason
			}
			*attr.to = s
		}
	}
	blocks, reason := m.blocksOf(b.Body, "statement", in)
	if reason != "" {
		return "", nil, reason
	}
	var own []stmt
	sids := map[string]bool{}
	for _, sb := range blocks {
		s, reason := m.statement(sb)
		if reason != "" {
			return "", nil, reason
		}
		if s.sid != "" && sids[s.sid] {
			return "", nil, fmt.Sprintf("Terraform rejects the document: duplicate Sid (%s)", s.sid)
		}
		sids[s.sid] = true
		own = append(own, s)
	}
	merge(own)
	overrides, reason := docs("override_policy_documents")
	if reason != "" {
		return "", nil, reason
	}
	for _, ss := range overrides {
		merge(ss)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"Version":`)
	vj, _ := json.Marshal(version)
	buf.Write(vj)
	if id != "" {
		ij, _ := json.Marshal(id)
		buf.WriteString(`,"Id":`)
		buf.Write(ij)
	}
	buf.WriteString(`,"Statement":[`)
	lines := make([]int, len(merged))
	for i, s := range merged {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(s.raw)
		lines[i] = s.line
	}
	buf.WriteString("]}")
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return "", nil, "the rendered document is not valid JSON: " + err.Error()
	}
	return out.String(), lines, ""
}

// statement renders one statement block.
func (m *module) statement(sb blk) (stmt, string) {
	at := fmt.Sprintf("%s:%d:%d", sb.file, sb.line, sb.col)
	checked := func(v cty.Value, name string) (cty.Value, string) {
		if !v.IsWhollyKnown() {
			return cty.NilVal, fmt.Sprintf("%s: %s is not known: %s", at, name, reasonOf(v))
		}
		v = unmarkDeep(v)
		if v.IsNull() {
			return cty.NilVal, ""
		}
		return v, ""
	}
	get := func(body *hclsyntax.Body, name string, in inst) (cty.Value, string) {
		a := body.Attributes[name]
		if a == nil {
			return cty.NilVal, ""
		}
		return checked(m.eval(a.Expr, in), name)
	}
	strs := func(body *hclsyntax.Body, name string, in inst) ([]string, string) {
		a := body.Attributes[name]
		if a == nil {
			return nil, ""
		}
		// A list written out: its strings, without a cty list.
		var out []string
		var short func(*hcl.EvalContext) bool
		if tc, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
			short = func(ctx *hcl.EvalContext) bool {
				var ok bool
				out, ok = stringsOf(tc, ctx)
				return ok
			}
		}
		v, done := m.evalOr(a.Expr, in, short)
		if done {
			return out, ""
		}
		v, reason := checked(v, name)
		if reason != "" || v == cty.NilVal {
			return nil, reason
		}
		lv, err := convert.Convert(v, cty.List(cty.String))
		if err != nil {
			return nil, fmt.Sprintf("%s: %s must be a list of strings", at, name)
		}
		for _, e := range lv.AsValueSlice() {
			if !e.IsNull() {
				out = append(out, e.AsString())
			}
		}
		return out, ""
	}
	one := func(ss []string) any {
		switch len(ss) {
		case 0:
			return nil
		case 1:
			return ss[0]
		}
		return ss
	}
	var js jsonStmt
	for _, f := range []struct {
		name string
		to   *string
	}{{"sid", &js.Sid}, {"effect", &js.Effect}} {
		v, reason := get(sb.body, f.name, sb.in)
		if reason != "" {
			return stmt{}, reason
		}
		if v != cty.NilVal {
			s, r := str(v)
			if r != "" {
				return stmt{}, fmt.Sprintf("%s: %s: %s", at, f.name, r)
			}
			*f.to = s
		}
	}
	if js.Effect == "" {
		js.Effect = "Allow"
	}
	for _, f := range []struct {
		name string
		to   *any
	}{{"actions", &js.Action}, {"not_actions", &js.NotAction}, {"resources", &js.Resource}, {"not_resources", &js.NotResource}} {
		ss, reason := strs(sb.body, f.name, sb.in)
		if reason != "" {
			return stmt{}, reason
		}
		if v := one(ss); v != nil {
			*f.to = v
		}
	}
	for _, f := range []struct {
		name string
		to   *any
	}{{"principals", &js.Principal}, {"not_principals", &js.NotPrincipal}} {
		pbs, reason := m.blocksOf(sb.body, f.name, sb.in)
		if reason != "" {
			return stmt{}, reason
		}
		if len(pbs) == 0 {
			continue
		}
		byType := map[string][]string{}
		var order []string
		for _, pb := range pbs {
			tv, reason := get(pb.body, "type", pb.in)
			if reason != "" {
				return stmt{}, reason
			}
			t, r := str(tv)
			if r != "" {
				return stmt{}, fmt.Sprintf("%s: a %s block needs a type", at, f.name)
			}
			ids, reason := strs(pb.body, "identifiers", pb.in)
			if reason != "" {
				return stmt{}, reason
			}
			if _, ok := byType[t]; !ok {
				order = append(order, t)
			}
			byType[t] = append(byType[t], ids...)
		}
		if len(order) == 1 && order[0] == "*" && len(byType["*"]) == 1 && byType["*"][0] == "*" {
			*f.to = "*"
			continue
		}
		p := map[string]any{}
		for _, t := range order {
			p[t] = one(byType[t])
		}
		*f.to = p
	}
	cbs, reason := m.blocksOf(sb.body, "condition", sb.in)
	if reason != "" {
		return stmt{}, reason
	}
	if len(cbs) > 0 {
		cond := map[string]map[string]any{}
		for _, cb := range cbs {
			var tv, vv [2]string
			for i, n := range []string{"test", "variable"} {
				v, reason := get(cb.body, n, cb.in)
				if reason != "" {
					return stmt{}, reason
				}
				s, r := str(v)
				if r != "" {
					return stmt{}, fmt.Sprintf("%s: a condition needs %s", at, n)
				}
				if i == 0 {
					tv[0] = s
				} else {
					vv[0] = s
				}
			}
			vals, reason := strs(cb.body, "values", cb.in)
			if reason != "" {
				return stmt{}, reason
			}
			if cond[tv[0]] == nil {
				cond[tv[0]] = map[string]any{}
			}
			if prev, ok := cond[tv[0]][vv[0]]; ok {
				switch p := prev.(type) {
				case string:
					vals = append([]string{p}, vals...)
				case []string:
					vals = append(append([]string{}, p...), vals...)
				}
			}
			if len(vals) == 1 {
				cond[tv[0]][vv[0]] = vals[0]
			} else {
				cond[tv[0]][vv[0]] = vals
			}
		}
		js.Condition = cond
	}
	raw, err := json.Marshal(js)
	if err != nil {
		return stmt{}, err.Error()
	}
	return stmt{sid: js.Sid, raw: raw, line: sb.line}, ""
}
