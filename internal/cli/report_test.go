package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRepoRoot(t *testing.T) {
	top := t.TempDir()
	infra := filepath.Join(top, "infra", "network")
	vendored := filepath.Join(top, "third_party", "module")
	for _, dir := range []string{infra, vendored} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(top, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A worktree or submodule has a .git file.
	if err := os.WriteFile(filepath.Join(top, "third_party", ".git"), []byte("gitdir: ../.git/modules/third_party\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ dir, want string }{
		{top, top},
		{infra, top},
		{vendored, filepath.Join(top, "third_party")},
	}
	for _, tt := range tests {
		if got := repoRoot(tt.dir); got != tt.want {
			t.Errorf("repoRoot(%s) = %s, want %s", tt.dir, got, tt.want)
		}
	}
}
