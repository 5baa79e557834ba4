package cloudformation

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/logpath/logpath/internal/jsontree"
	"gopkg.in/yaml.v3"
)

// kind is the type of a template value.
type kind uint8

const (
	kNull kind = iota
	kString
	kNumber
	kBool
	kList
	kMap
	kUnknown // a value that cannot be known before deployment
)

// val is a template value, parsed from YAML or JSON, and also the result of
// resolving intrinsic functions. It remembers its position in the file.
type val struct {
	kind   kind
	s      string // string, number or bool text
	list   []*val
	keys   []string
	vals   []*val
	reason string // why a kUnknown value is unknown
	// ref links a value to the resource it came from (Ref, Fn::GetAtt),
	// even when the value itself is unknown: "LogKey" with attr "Arn".
	ref, attr string
	line, col int
	// keyLine is the line of the map key naming this value (YAML only),
	// where a resource's definition starts.
	keyLine int
}

func (v *val) get(key string) *val {
	if v == nil || v.kind != kMap {
		return nil
	}
	for i, k := range v.keys {
		if k == key {
			return v.vals[i]
		}
	}
	return nil
}

func unknown(format string, args ...any) *val {
	return &val{kind: kUnknown, reason: fmt.Sprintf(format, args...)}
}

func str(s string) *val { return &val{kind: kString, s: s} }

// fromYAML converts a yaml.v3 node, turning short-form tags (!Ref, !Sub,
// !GetAtt ...) into their long form ({"Ref": ...}, {"Fn::Sub": ...}).
func fromYAML(n *yaml.Node) (*val, error) {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return &val{kind: kMap}, nil
		}
		return fromYAML(n.Content[0])
	}
	if n.Kind == yaml.AliasNode {
		return fromYAML(n.Alias)
	}
	v := &val{line: n.Line, col: n.Column}
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			v.kind = kNull
		case "!!bool":
			v.kind, v.s = kBool, strings.ToLower(n.Value)
		case "!!int", "!!float":
			v.kind, v.s = kNumber, n.Value
		default:
			v.kind, v.s = kString, n.Value
		}
	case yaml.SequenceNode:
		v.kind = kList
		for _, c := range n.Content {
			cv, err := fromYAML(c)
			if err != nil {
				return nil, err
			}
			v.list = append(v.list, cv)
		}
	case yaml.MappingNode:
		v.kind = kMap
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			cv, err := fromYAML(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			cv.keyLine = k.Line
			v.keys = append(v.keys, k.Value)
			v.vals = append(v.vals, cv)
		}
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return shortForm(n, v)
	}
	return v, nil
}

// shortForm turns `!Name arg` into {"Fn::Name": arg}.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
func shortForm(n *yaml.Node, arg *val) (*val, error) {
	name := strings.TrimPrefix(n.Tag, "!")
	if arg.kind == kBool || arg.kind == kNumber || arg.kind == kNull {
		arg.kind = kString
		if arg.s == "" && n.Kind == yaml.ScalarNode {
			arg.s = n.Value
		}
	}
	key := "Fn::" + name
	switch name {
	case "Ref", "Condition":
		key = name
	case "GetAtt":
		if arg.kind == kString {
			id, attr, ok := strings.Cut(arg.s, ".")
			if !ok {
				return nil, &posError{line: n.Line, col: n.Column, msg: fmt.Sprintf("!GetAtt %q: expected Resource.Attribute", arg.s)}
			}
			arg = &val{kind: kList, list: []*val{str(id), str(attr)}, line: arg.line, col: arg.col}
		}
	case "Sub", "Join", "Select", "Split", "If", "FindInMap", "ImportValue", "Base64", "Equals", "And", "Or", "Not", "Cidr", "GetAZs", "ToJsonString", "Length":
	default:
		return nil, &posError{line: n.Line, col: n.Column, msg: fmt.Sprintf("unknown tag !%s", name)}
	}
	return &val{kind: kMap, keys: []string{key}, vals: []*val{arg}, line: n.Line, col: n.Column}, nil
}

// fromJSON converts a jsontree node.
func fromJSON(data []byte, n *jsontree.Node) *val {
	l, c := jsontree.LineCol(data, n.Start)
	v := &val{line: l, col: c}
	switch n.Kind {
	case jsontree.Null:
		v.kind = kNull
	case jsontree.Bool:
		v.kind, v.s = kBool, n.Text
	case jsontree.Number:
		v.kind, v.s = kNumber, n.Text
	case jsontree.String:
		v.kind, v.s = kString, n.Text
	case jsontree.Array:
		v.kind = kList
		for i := range n.Items {
			v.list = append(v.list, fromJSON(data, &n.Items[i]))
		}
	case jsontree.Object:
		v.kind = kMap
		for i := range n.Fields {
			v.keys = append(v.keys, n.Fields[i].Key)
			v.vals = append(v.vals, fromJSON(data, &n.Fields[i].Value))
		}
	}
	return v
}

type posError struct {
	line, col int
	msg       string
}

func (e *posError) Error() string { return e.msg }

// firstUnknown returns the first unknown value inside v, or nil.
func firstUnknown(v *val) *val {
	if v == nil {
		return nil
	}
	switch v.kind {
	case kUnknown:
		return v
	case kList:
		for _, c := range v.list {
			if u := firstUnknown(c); u != nil {
				return u
			}
		}
	case kMap:
		for _, c := range v.vals {
			if u := firstUnknown(c); u != nil {
				return u
			}
		}
	}
	return nil
}

// toJSON renders a resolved value as JSON, keeping the order of keys.
func toJSON(v *val) string {
	var b strings.Builder
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *strings.Builder, v *val) {
	switch v.kind {
	case kNull:
		b.WriteString("null")
	case kBool:
		b.WriteString(v.s)
	case kNumber:
		if _, err := strconv.ParseFloat(v.s, 64); err == nil {
			b.WriteString(v.s)
		} else {
			q, _ := json.Marshal(v.s)
			b.Write(q)
		}
	case kString:
		q, _ := json.Marshal(v.s)
		b.Write(q)
	case kList:
		b.WriteByte('[')
		for i, c := range v.list {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, c)
		}
		b.WriteByte(']')
	case kMap:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(k)
			b.Write(q)
			b.WriteByte(':')
			writeJSON(b, v.vals[i])
		}
		b.WriteByte('}')
	default:
		b.WriteString("null")
	}
}
