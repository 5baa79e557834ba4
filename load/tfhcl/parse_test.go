package tfhcl

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/logpath/logpath/internal/genfleet"
)

// parseInPieces parses src as parseFiles does, with pieces of the given
// size, and returns the pieces and the file (nil when it falls back to
// parsing the file whole).
func parseInPieces(src []byte, size int) ([]piece, *hcl.File) {
	pieces := splitPieces(0, src, size)
	for i := range pieces {
		p := &pieces[i]
		file, diags := hclsyntax.ParseConfig(src[p.start:p.end], "main.tf", hcl.Pos{Line: p.line, Column: 1, Byte: p.start})
		p.body, _ = file.Body.(*hclsyntax.Body)
		p.diags = diags
	}
	return pieces, joinPieces(src, pieces)
}

// checkPieces says what is wrong with parsing src in pieces: the pieces
// must cover src in order, each starting at the line it says, and when they
// parse, the file must be what parsing it whole gives, with no diagnostic.
func checkPieces(t *testing.T, src []byte, size int) []piece {
	t.Helper()
	pieces, joined := parseInPieces(src, size)
	at := 0
	for _, p := range pieces {
		if p.start != at || p.end < p.start {
			t.Fatalf("size %d: piece [%d, %d) after %d", size, p.start, p.end, at)
		}
		if want := 1 + bytes.Count(src[:p.start], []byte{'\n'}); p.line != want {
			t.Fatalf("size %d: piece at byte %d says line %d, want %d", size, p.start, p.line, want)
		}
		at = p.end
	}
	if at != len(src) {
		t.Fatalf("size %d: pieces end at %d of %d bytes", size, at, len(src))
	}
	if joined == nil {
		return pieces
	}
	whole, diags := hclsyntax.ParseConfig(src, "main.tf", hcl.InitialPos)
	if len(diags) > 0 {
		t.Fatalf("size %d: the pieces parse, the whole file does not: %v", size, diags)
	}
	got, want := joined.Body.(*hclsyntax.Body), whole.Body.(*hclsyntax.Body)
	if !reflect.DeepEqual(got.Attributes, want.Attributes) || !reflect.DeepEqual(got.Blocks, want.Blocks) ||
		got.SrcRange != want.SrcRange || got.EndRange != want.EndRange {
		t.Fatalf("size %d: %d pieces parse to another syntax tree than the whole file", size, len(pieces))
	}
	return pieces
}

func TestParsePieces(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.tf"))
	fleet := t.TempDir()
	if err := genfleet.WriteTerraform(fleet, 40); err != nil {
		t.Fatal(err)
	}
	generated, _ := filepath.Glob(filepath.Join(fleet, "*.tf"))
	for _, f := range append(files, generated...) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 64, 1024, pieceSize} {
			pieces := checkPieces(t, src, size)
			if size == 1 && len(src) > 200 && len(pieces) < 2 {
				t.Errorf("%s is not split at all", f)
			}
		}
	}
}

// Constructs whose newlines are not the top level of the file: a cut there
// would not parse, so the scan must not make one.
func TestParsePiecesNeverCutsInside(t *testing.T) {
	for name, src := range map[string]string{
		"heredoc":           "a = 1\nb = <<EOT\n}\nc = 2\n  EOT\nd = 3\n",
		"indented heredoc":  "a = 1\nb = <<-EOT\n  x\n  EOT\nd = 3\n",
		"block comment":     "a = 1\n/* x\n}\n*/\nd = 3\n",
		"line comments":     "a = 1 # {\n// [\nd = 3\n",
		"interpolation":     "a = \"${join(\",\", [\n\"x\",\n])}\"\nd = 3\n",
		"literal template":  "a = \"$${x\"\nb = \"%%{y\"\nd = 3\n",
		"escaped quote":     "a = \"\\\"{\"\nd = 3\n",
		"nested blocks":     "r \"t\" {\n  b {\n    c = 1\n  }\n}\nd = 3\n",
		"object over lines": "a = {\n  x = 1\n}\nd = 3\n",
		"crlf":              "a = 1\r\nb = <<EOT\r\n}\r\nEOT\r\nd = 3\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			pieces, joined := parseInPieces([]byte(src), 1)
			if joined == nil {
				t.Fatalf("%d pieces did not parse: %+v", len(pieces), pieces)
			}
			checkPieces(t, []byte(src), 1)
		})
	}
}

// FuzzParsePieces: a file parsed in pieces is either the same syntax tree
// as the whole file, or parsed whole.
func FuzzParsePieces(f *testing.F) {
	for _, dir := range []string{"seed", "fixed", "module"} {
		if src, err := os.ReadFile(filepath.Join("testdata", dir, "main.tf")); err == nil {
			f.Add(src, uint8(1))
			f.Add(src, uint8(200))
		}
	}
	f.Add([]byte("a = <<EOT\n}\nEOT\nb = \"${x}\"\n/* } */\nc = 1\n"), uint8(1))
	f.Add([]byte("a = 1\na = 2\n"), uint8(1))
	f.Fuzz(func(t *testing.T, src []byte, size uint8) {
		checkPieces(t, src, int(size)+1)
	})
}
