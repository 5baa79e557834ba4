package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// .logpath.yaml is user input: any content gives a config or a usage
// error (exit 2), never a panic.
func FuzzReadConfig(f *testing.F) {
	for _, name := range []string{"logpath.yaml", "bad-config.yaml"} {
		if data, err := os.ReadFile(filepath.Join("testdata", "suppress", name)); err == nil {
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
		c, err := readConfig(path, true)
		if err != nil {
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 2 {
				t.Fatalf("error %v is not a usage error", err)
			}
			return
		}
		for _, s := range c.suppressions(path) {
			if len(s.Gates) == 0 {
				t.Fatalf("a suppression with no gate: %+v", s)
			}
		}
	})
}
