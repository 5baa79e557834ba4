package jsontree_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/logpath/logpath/internal/jsontree"
)

// fuzzJSONSeeds are realistic policy documents and the awkward corners of the
// JSON grammar: escapes, surrogates, numbers, nesting at and past MaxDepth.
var fuzzJSONSeeds = []string{
	// A KMS key policy as AWS writes it.
	`{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow Vended Logs delivery",
      "Effect": "Allow",
      "Principal": {"Service": ["delivery.logs.amazonaws.com"]},
      "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      "Resource": "*",
      "Condition": {
        "StringEquals": {"aws:SourceAccount": ["111122223333"]},
        "ArnLike": {"aws:SourceArn": ["arn:aws:logs:ap-northeast-1:111122223333:*"]}
      }
    }
  ]
}`,
	// An S3 bucket policy with conditions of several types.
	`{"Version":"2012-10-17","Statement":[{"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/111122223333/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceAccount":"111122223333"},"ArnLike":{"aws:SourceArn":"arn:aws:logs:ap-northeast-1:111122223333:*"}}},{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:TlsVersion":1.2}}}]}`,
	// Principal forms.
	`{"Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:role/path/r","AROAEXAMPLEID"],"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"sts:AssumeRole"}}`,
	// Scalars and number forms.
	`null`, `true`, `false`, `0`, `-0`, `-0.0e+0`, `1E400`, `123456789012345678901234567890`, `-1.5e-10`,
	`"plain"`, `""`, `[]`, `{}`, `[1,[2,[3,{}]]]`, ` { "a" : [ ] } `, "\t\r\n[\n]\n",
	// Escapes, unicode, surrogates (paired, lone, reversed).
	`"\u00e9\u65e5\u672c\ud83d\ude00 \" \\ \/ \b \f \n \r \t"`,
	`"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\udc00\ud800"`, `"\ud800\ud800\udc00"`, `"\uD83D\uDE00"`,
	`{"Sid":"日本語のキー","Effect":"Allow"}`,
	"\"raw \xe6\x97\xa5\xe6\x9c\xac utf-8\"",
	"\"invalid \xff\xfe utf-8\"",
	// Invalid JSON.
	`{"a":1,}`, `[1,]`, `{"a" 1}`, `{a:1}`, `01`, `1.`, `.5`, `-`, `+1`, `1e`, `tru`, `nul`, `"\x"`, `"\u12"`, `"\u12G4"`,
	"\"ctl \x01\"", `"unterminated`, `"\`, `[`, `{`, `{"a":`, `[1 2]`, `1 2`, `"a"b`, "\xef\xbb\xbf{}",
	// A huge wildcard pattern.
	`{"Resource":"` + strings.Repeat("*a?", 300) + `"}`,
	// Nesting at and past MaxDepth.
	strings.Repeat("[", jsontree.MaxDepth) + strings.Repeat("]", jsontree.MaxDepth),
	strings.Repeat("[", jsontree.MaxDepth+1) + "1" + strings.Repeat("]", jsontree.MaxDepth+1),
	strings.Repeat(`{"a":`, jsontree.MaxDepth+2) + "1" + strings.Repeat("}", jsontree.MaxDepth+2),
	strings.Repeat("[", jsontree.MaxDepth+100),
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzJSONSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := jsontree.Parse(data)
		valid := json.Valid(data)
		if err != nil {
			var se *jsontree.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse returned %T %v, want *SyntaxError", err, err)
			}
			if se.Offset < 0 || se.Offset > len(data) {
				t.Fatalf("SyntaxError offset %d outside [0, %d]", se.Offset, len(data))
			}
			if se.Msg == "" {
				t.Fatalf("SyntaxError without a message")
			}
			if valid {
				// The one thing Parse may reject in valid JSON: nesting deeper than MaxDepth.
				if d := fuzzNesting(data); d <= jsontree.MaxDepth || !strings.Contains(se.Msg, "deeper") {
					t.Fatalf("json.Valid accepts %q (nesting %d) but Parse fails: %v", fuzzClip(data), d, err)
				}
			}
		} else {
			if !valid {
				t.Fatalf("Parse accepts %q but json.Valid rejects it", fuzzClip(data))
			}
			fuzzCheckTree(t, data, &root, utf8.Valid(data))
		}
		fuzzCheckLineCol(t, data)
	})
}

// fuzzNesting is the deepest bracket nesting of data outside strings.
func fuzzNesting(data []byte) int {
	depth, maxDepth := 0, 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString && c == '\\':
			i++
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			maxDepth = max(maxDepth, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return maxDepth
}

// fuzzCheckTree checks every node's offsets and text against the source, and,
// for valid UTF-8 input, every decoded string against encoding/json.
func fuzzCheckTree(t *testing.T, data []byte, n *jsontree.Node, checkStrings bool) {
	t.Helper()
	if n.Start < 0 || n.Start >= n.End || n.End > len(data) {
		t.Fatalf("%s node has offsets [%d, %d) in %d bytes", n.Kind, n.Start, n.End, len(data))
	}
	src := data[n.Start:n.End]
	switch n.Kind {
	case jsontree.Null:
		if string(src) != "null" {
			t.Fatalf("null node covers %q", src)
		}
	case jsontree.Bool:
		if string(src) != n.Text || (n.Text != "true" && n.Text != "false") {
			t.Fatalf("bool node %q covers %q", n.Text, src)
		}
	case jsontree.Number:
		if string(src) != n.Text {
			t.Fatalf("number node %q covers %q", n.Text, src)
		}
	case jsontree.String:
		if src[0] != '"' || src[len(src)-1] != '"' {
			t.Fatalf("string node covers %q", src)
		}
		if checkStrings {
			var want string
			if err := json.Unmarshal(src, &want); err != nil {
				t.Fatalf("encoding/json cannot read string node %q: %v", src, err)
			}
			if want != n.Text {
				t.Fatalf("string %q decoded as %q, encoding/json says %q", src, n.Text, want)
			}
		}
	case jsontree.Array:
		if src[0] != '[' || src[len(src)-1] != ']' {
			t.Fatalf("array node covers %q", fuzzClip(src))
		}
		for i := range n.Items {
			fuzzCheckTree(t, data, &n.Items[i], checkStrings)
		}
	case jsontree.Object:
		if src[0] != '{' || src[len(src)-1] != '}' {
			t.Fatalf("object node covers %q", fuzzClip(src))
		}
		for i := range n.Fields {
			fl := &n.Fields[i]
			if fl.KeyOffset < n.Start || fl.KeyOffset >= fl.Value.Start || data[fl.KeyOffset] != '"' {
				t.Fatalf("member %q: key offset %d, value at %d", fl.Key, fl.KeyOffset, fl.Value.Start)
			}
			if checkStrings {
				tok, err := json.NewDecoder(bytes.NewReader(data[fl.KeyOffset:])).Token()
				if err != nil || tok != fl.Key {
					t.Fatalf("member name at %d decoded as %q, encoding/json says %q (%v)", fl.KeyOffset, fl.Key, tok, err)
				}
			}
			fuzzCheckTree(t, data, &fl.Value, checkStrings)
		}
	default:
		t.Fatalf("node of unknown kind %d", n.Kind)
	}
}

// fuzzCheckLineCol calls LineCol on every offset of a short input, on a
// sample of a long one (LineCol is linear in the offset, and slow fuzz
// executions stall minimization), and on offsets outside the input, and
// checks that lines count newlines.
func fuzzCheckLineCol(t *testing.T, data []byte) {
	t.Helper()
	check := func(off int) {
		line, col := jsontree.LineCol(data, off)
		if line < 1 || col < 1 {
			t.Fatalf("LineCol(%d) = %d:%d", off, line, col)
		}
		want := 1 + bytes.Count(data[:min(max(off, 0), len(data))], []byte{'\n'})
		if line != want {
			t.Fatalf("LineCol(%d) line = %d, want %d", off, line, want)
		}
		// The column counts the runes since the line's start, rune by
		// rune (an invalid byte is one), up to the rune at off.
		wantCol := 1
		for i := bytes.LastIndexByte(data[:min(max(off, 0), len(data))], '\n') + 1; i < min(max(off, 0), len(data)); {
			_, size := utf8.DecodeRune(data[i:])
			i += size
			wantCol++
		}
		if col != wantCol {
			t.Fatalf("LineCol(%d) column = %d, want %d", off, col, wantCol)
		}
	}
	for _, off := range []int{-1, -1 << 40, len(data), len(data) + 1, 1 << 40} {
		check(off)
	}
	step := 1
	if len(data) > 256 {
		step = len(data)/32 + 1
	}
	for off := 0; off < len(data); off += step {
		check(off)
	}
}

func fuzzClip(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}
