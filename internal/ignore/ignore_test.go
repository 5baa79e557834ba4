package ignore

import (
	"reflect"
	"testing"
)

func TestScan(t *testing.T) {
	src := `Resources:
  # logpath:ignore kms.key-policy the archive team owns this key
  Key:
    Type: AWS::KMS::Key # logpath:ignore kms.key-state,s3.encryption
  // logpath:ignore   org.rcp   spaced   reason
  x: "no comment here: logpath:ignore"
  # logpath:ignore
`
	got := Scan([]byte(src))
	want := []Comment{
		{Line: 2, Column: 3, Gates: []string{"kms.key-policy"}, Reason: "the archive team owns this key"},
		{Line: 4, Column: 25, Gates: []string{"kms.key-state", "s3.encryption"}},
		{Line: 5, Column: 3, Gates: []string{"org.rcp"}, Reason: "spaced   reason"},
		{Line: 7, Column: 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Scan:\n got %+v\nwant %+v", got, want)
	}
	if Scan([]byte("Resources: {}\n")) != nil {
		t.Error("a file without the marker has comments")
	}
}

func TestAssign(t *testing.T) {
	src := `resource "a" "x" {      # 1
  # logpath:ignore g inside  # 2
}                          # 3
                           # 4
# logpath:ignore g above b # 5

// another comment         # 7
resource "b" "y" {         # 8
}                          # 9
# logpath:ignore g stray   # 10
locals {}                  # 11
resource "c" "z" {         # 12
  inner {                  # 13
    # logpath:ignore g in  # 14
  }                        # 15
}                          # 16
`
	spans := []Span{{1, 3}, {8, 9}, {12, 16}, {13, 15}}
	comments := []Comment{{Line: 2}, {Line: 5}, {Line: 10}, {Line: 14}}
	got := Assign([]byte(src), comments, spans)
	// The comment at 14 goes to the innermost span (13-15); a stray
	// comment above a non-resource line goes nowhere.
	want := []int{0, 1, -1, 3}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Assign = %v, want %v", got, want)
	}
}

// Scan and Assign take any text: never a panic, and every comment is given
// a span of the list or none.
func FuzzScanAssign(f *testing.F) {
	f.Add([]byte("A:\n  # logpath:ignore kms.key-policy why\n  B: 1\n"), 1, 3)
	f.Add([]byte("// logpath:ignore a,b,,c\nresource \"x\" \"y\" {}\n"), 2, 2)
	f.Fuzz(func(t *testing.T, data []byte, start, end int) {
		comments := Scan(data)
		spans := []Span{{Start: start, End: end}, {Start: 1, End: 1}}
		for i, owner := range Assign(data, comments, spans) {
			if owner < -1 || owner >= len(spans) {
				t.Fatalf("comment %d given span %d", i, owner)
			}
			for _, g := range comments[i].Gates {
				if g == "" {
					t.Fatalf("empty gate in %+v", comments[i])
				}
			}
		}
	})
}
