package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
)

// checkMemoryLimit sets a soft memory limit for a check of inputs of this
// many bytes, and returns the function that restores the previous one.
//
// Loading a large Terraform configuration holds its HCL syntax trees,
// about 20 bytes of heap per byte of HCL, and the garbage collector lets
// the heap grow to twice what is live, plus what it has not yet returned
// to the operating system; on a busy machine, where its background work
// falls behind, 1,000 firewalls (4 MB of HCL) peaked anywhere from 190 to
// 250 MB resident. A soft limit of 40 bytes per input byte (at least
// minMemoryLimit) is about that twice-the-live-heap, so it costs no extra
// collections, but makes the collector return free memory and keeps the
// peak near the limit (docs/benchmarks.md). Inputs that need more heap
// than the limit, such as a small configuration with a large count, still
// get it: the limit is soft, and the collector then runs more often, with
// at most half the CPU. GOMEMLIMIT, when set, is left alone.
func checkMemoryLimit(inputBytes int64) (restore func()) {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		return func() {}
	}
	prev := debug.SetMemoryLimit(max(minMemoryLimit, 40*inputBytes))
	return func() { debug.SetMemoryLimit(prev) }
}

const minMemoryLimit = 128 << 20

// inputSize is the size of what check reads: the files, the .tf files of
// a Terraform directory, the templates of a cloud assembly. Standard input
// counts as nothing.
func inputSize(inputs []input) int64 {
	var n int64
	add := func(file string) {
		if st, err := os.Stat(file); err == nil && st.Mode().IsRegular() {
			n += st.Size()
		}
	}
	addAll := func(dir, ext string) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if filepath.Ext(e.Name()) == ext {
				add(filepath.Join(dir, e.Name()))
			}
		}
	}
	for _, in := range inputs {
		switch in.kind {
		case inTerraformDir:
			addAll(in.path, ".tf")
		case inCloudAssembly:
			addAll(in.path, ".json")
		default:
			if in.path != "-" {
				add(in.path)
			}
		}
	}
	return n
}
