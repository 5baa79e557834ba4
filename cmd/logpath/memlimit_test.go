package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

func TestInputSize(t *testing.T) {
	dir := t.TempDir()
	tf := filepath.Join(dir, "tf")
	if err := os.Mkdir(tf, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, size := range map[string]int{"tf/a.tf": 100, "tf/b.tf": 50, "tf/notes.md": 1000, "t[1].yaml": 7} {
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := inputSize([]input{{inTerraformDir, tf}, {inFile, filepath.Join(dir, "t[1].yaml")}, {inFile, "-"}})
	if got != 157 {
		t.Errorf("inputSize = %d, want 157 (the .tf files and the template; not notes.md, not standard input)", got)
	}
}

// gcPercent reads the GC target without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestCheckMemoryLimit(t *testing.T) {
	before, beforeGC := debug.SetMemoryLimit(-1), gcPercent()
	restore := checkMemoryLimit(10 << 20)
	if got := debug.SetMemoryLimit(-1); got != 400<<20 {
		t.Errorf("10 MB of input: limit %d, want %d", got, 400<<20)
	}
	if got := gcPercent(); got != 400 {
		t.Errorf("GC target %d, want 400", got)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("after restore: limit %d, want %d", got, before)
	}
	if got := gcPercent(); got != beforeGC {
		t.Errorf("after restore: GC target %d, want %d", got, beforeGC)
	}
	restore = checkMemoryLimit(1000)
	if got := debug.SetMemoryLimit(-1); got != minMemoryLimit {
		t.Errorf("a small input: limit %d, want the minimum %d", got, minMemoryLimit)
	}
	restore()
	t.Setenv("GOMEMLIMIT", "1GiB")
	t.Setenv("GOGC", "100")
	restore = checkMemoryLimit(10 << 20)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("with GOMEMLIMIT set: limit %d, want it left at %d", got, before)
	}
	if got := gcPercent(); got != beforeGC {
		t.Errorf("with GOGC set: GC target %d, want it left at %d", got, beforeGC)
	}
	restore()
}

func TestCasesMemoryLimit(t *testing.T) {
	before, beforeGC := debug.SetMemoryLimit(-1), gcPercent()
	restore := casesMemoryLimit(false)
	if got := debug.SetMemoryLimit(-1); got != casesMemoryLimitBytes {
		t.Errorf("JSON lines: limit %d, want %d", got, casesMemoryLimitBytes)
	}
	if got := gcPercent(); got != -1 {
		t.Errorf("JSON lines: GC target %d, want -1 (off under the limit)", got)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("after restore: limit %d, want %d", got, before)
	}
	if got := gcPercent(); got != beforeGC {
		t.Errorf("after restore: GC target %d, want %d", got, beforeGC)
	}
	restore = casesMemoryLimit(true)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("a JSON array: limit %d, want it left at %d", got, before)
	}
	if got := gcPercent(); got != 400 {
		t.Errorf("a JSON array: GC target %d, want 400", got)
	}
	restore()
	t.Setenv("GOMEMLIMIT", "1GiB")
	t.Setenv("GOGC", "100")
	restore = casesMemoryLimit(false)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("with GOMEMLIMIT set: limit %d, want it left at %d", got, before)
	}
	if got := gcPercent(); got != beforeGC {
		t.Errorf("with GOGC set: GC target %d, want it left at %d", got, beforeGC)
	}
	restore()
}
