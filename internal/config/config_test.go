package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// .logpath.yaml is user input: any content gives a config or a usage
// error (exit 2), never a panic.
func FuzzReadConfig(f *testing.F) {
	for _, name := range []string{"logpath.yaml", "bad-config.yaml"} {
		if data, err := os.ReadFile(filepath.Join("..", "..", "cmd", "logpath", "testdata", "suppress", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("ignore:\n  - {gate: kms.key-policy}\n  - resource: x\n"))
	f.Add([]byte("ignore: 5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), ".logpath.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Read(path, true)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, s := range c.Suppressions(path) {
			if len(s.Gates) == 0 {
				t.Fatalf("a suppression with no gate: %+v", s)
			}
		}
	})
}
