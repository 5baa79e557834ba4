package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
)

// checkMemoryLimit tunes the garbage collector for a check of inputs of
// this many bytes, and returns the function that restores the settings.
//
// Loading a large Terraform configuration holds its HCL syntax trees,
// about 20 bytes of heap per byte of HCL, while it makes several times that
// in garbage. With the default GOGC=100 the collector runs every time the
// heap doubles, many times while the trees grow, and lets the heap reach
// twice what is live, plus what it has not yet returned to the operating
// system: on a busy machine 1,000 firewalls (4 MB of HCL) peaked anywhere
// from 190 to 250 MB resident, and the collector took a quarter of the CPU.
// Instead the collector runs when the heap has grown fivefold (GOGC=400,
// as for simulate --cases), under a soft memory limit of 40 bytes per input
// byte, at least minMemoryLimit: about twice the heap a large configuration
// holds, so the limit costs no extra collections and keeps the peak near it
// (docs/benchmarks.md). An input that needs more heap than the limit, such
// as a small configuration with a large count, still gets it: the limit is
// soft, and the collector then runs more often, with at most half the CPU.
// GOGC and GOMEMLIMIT, when set, are left alone.
func checkMemoryLimit(inputBytes int64) (restore func()) {
	var undo []func()
	if _, ok := os.LookupEnv("GOGC"); !ok {
		prev := debug.SetGCPercent(400)
		undo = append(undo, func() { debug.SetGCPercent(prev) })
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		prev := debug.SetMemoryLimit(max(minMemoryLimit, 40*inputBytes))
		undo = append(undo, func() { debug.SetMemoryLimit(prev) })
	}
	return func() {
		for _, f := range undo {
			f()
		}
	}
}

const minMemoryLimit = 128 << 20

// casesMemoryLimit tunes the garbage collector for simulate --cases, whose
// input is a JSON array when array is set, else JSON lines, and returns the
// function that restores the settings.
//
// JSON lines are decided a block at a time, and each worker reuses the
// memory of a block's cases for the next block's: the heap holds the
// blocks, the statement templates the workers share (bounded, about 25 MB
// at most) and little garbage. The collector is off under a soft memory
// limit of 64 MiB: 10,000 generated cases end with a heap of about 20 MB,
// without a collection, which had taken 3 % of the instructions and stopped
// the workers on the way (docs/benchmarks.md); a larger batch collects when
// its heap reaches the limit, so memory stays bounded. A JSON array is held
// whole, parsed, and its heap grows with it: there the collector runs when
// the heap has grown fivefold (GOGC=400). GOGC and GOMEMLIMIT, when set,
// are left alone.
func casesMemoryLimit(array bool) (restore func()) {
	var undo []func()
	if _, ok := os.LookupEnv("GOGC"); !ok {
		percent := -1
		if array {
			percent = 400
		}
		prev := debug.SetGCPercent(percent)
		undo = append(undo, func() { debug.SetGCPercent(prev) })
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok && !array {
		prev := debug.SetMemoryLimit(casesMemoryLimitBytes)
		undo = append(undo, func() { debug.SetMemoryLimit(prev) })
	}
	return func() {
		for _, f := range undo {
			f()
		}
	}
}

const casesMemoryLimitBytes = 64 << 20

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
