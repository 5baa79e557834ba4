package main

import (
	"os"
	"path/filepath"
)

// sarifRoot is the directory SARIF artifact URIs are relative to. GitHub
// resolves relative URIs against the repository root, so that is the root
// even when logpath runs in a subdirectory (a workflow step with
// working-directory: infra). A variable so that tests can fix it.
var sarifRoot = func() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return repoRoot(wd)
}

// repoRoot returns the nearest directory at or above dir that holds .git
// (a directory in a clone, a file in a worktree or submodule), or dir
// itself when there is none.
func repoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}
