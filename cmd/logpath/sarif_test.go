package main

import (
	"path/filepath"

	"github.com/logpath/logpath/internal/cli"
)

func init() {
	// The golden SARIF files name paths from the repository root, whether
	// or not the tests run in a git checkout.
	cli.SARIFRoot = func() string {
		root, _ := filepath.Abs(filepath.Join("..", ".."))
		return root
	}
}
