package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/logpath/logpath/internal/gencases"
	"github.com/logpath/logpath/internal/genfleet"
)

const benchCaseCount = 10000

// benchCheckOutput checks simulate's batch output: one line per case and no
// case that could not be read.
func benchCheckOutput(tb testing.TB, out []byte, want int) {
	tb.Helper()
	if n := bytes.Count(out, []byte{'\n'}); n != want {
		tb.Fatalf("simulate printed %d lines, want %d", n, want)
	}
	if i := bytes.Index(out, []byte(`"decision":"Error"`)); i >= 0 {
		start := bytes.LastIndexByte(out[:i], '\n') + 1
		end := i + bytes.IndexByte(out[i:], '\n')
		tb.Fatalf("a generated case could not be read: %s", out[start:end])
	}
}

// benchWriteCases generates cases into dir and returns the file's path.
func benchWriteCases(tb testing.TB, dir string, opts gencases.Options) string {
	tb.Helper()
	path := filepath.Join(dir, "cases.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := gencases.Write(f, opts); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkSimulateCases10k runs the whole process, `logpath simulate --cases
// FILE`, on 10,000 generated cases, each with its own key policy: start-up,
// reading, parsing and compiling every policy, evaluating, and writing the
// results. Goal: at least 150,000 decisions/s. Besides decisions/s (over the
// wall time of the runs) it reports the child's CPU time, user and system,
// per decision: on a machine shared with other work that is the steadier
// figure, and twice the decisions a CPU-second buys is what the process
// would reach on two idle CPUs. BenchmarkSimulateCases10kDistinct does the
// same with no statement written alike in two cases.
func BenchmarkSimulateCases10k(b *testing.B) { benchSimulateProcess(b, false) }

func BenchmarkSimulateCases10kDistinct(b *testing.B) { benchSimulateProcess(b, true) }

func benchSimulateProcess(b *testing.B, distinct bool) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("the go tool is not on PATH; cannot build logpath")
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "logpath")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	cases := benchWriteCases(b, dir, gencases.Options{N: benchCaseCount, Seed: 1, Distinct: distinct})
	if fi, err := os.Stat(cases); err == nil {
		b.SetBytes(fi.Size())
	}
	var out bytes.Buffer
	out.Grow(1 << 20)
	runs := 0
	var cpu time.Duration
	b.ReportAllocs() // of the benchmark's side; the child's are not counted
	for b.Loop() {
		out.Reset()
		cmd := exec.Command(bin, "simulate", "--cases", cases)
		cmd.Stdout = &out
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("logpath simulate: %v\n%s", err, stderr.Bytes())
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		benchCheckOutput(b, out.Bytes(), benchCaseCount)
		runs++
	}
	b.ReportMetric(float64(runs*benchCaseCount)/b.Elapsed().Seconds(), "decisions/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(runs*benchCaseCount), "cpu-ns/decision")
}

// BenchmarkSimulateCases10kInProcess is the same work without the process:
// run() as main calls it, with the output discarded. The difference to
// BenchmarkSimulateCases10k is process start-up and the pipe; this one can
// be profiled with -cpuprofile.
func BenchmarkSimulateCases10kInProcess(b *testing.B) {
	cases := benchWriteCases(b, b.TempDir(), gencases.Options{N: benchCaseCount, Seed: 1})
	if fi, err := os.Stat(cases); err == nil {
		b.SetBytes(fi.Size())
	}
	var out bytes.Buffer
	runs := 0
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		var stderr bytes.Buffer
		if code := run([]string{"simulate", "--cases", cases}, nil, &out, &stderr); code != 0 {
			b.Fatalf("exit code %d: %s", code, stderr.Bytes())
		}
		benchCheckOutput(b, out.Bytes(), benchCaseCount)
		runs++
	}
	b.ReportMetric(float64(runs*benchCaseCount)/b.Elapsed().Seconds(), "decisions/s")
}

// The generator behind the benchmark must keep producing cases that read
// without error, cover every decision, and come out the same for a seed.
func TestGeneratedCasesSimulateWithoutErrors(t *testing.T) {
	const n = 400
	path := benchWriteCases(t, t.TempDir(), gencases.Options{N: n, Seed: 1})
	var out, stderr bytes.Buffer
	if code := run([]string{"simulate", "--cases", path}, nil, &out, &stderr); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.Bytes())
	}
	benchCheckOutput(t, out.Bytes(), n)
	for _, d := range []string{"Allowed", "ImplicitlyDenied", "ExplicitlyDenied"} {
		if !bytes.Contains(out.Bytes(), []byte(`"decision":"`+d+`"`)) {
			t.Errorf("no generated case is %s", d)
		}
	}
	first, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := gencases.Write(&again, gencases.Options{N: n, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again.Bytes()) {
		t.Errorf("gencases is not deterministic for a seed")
	}
	if err := gencases.Write(io.Discard, gencases.Options{N: 0}); err != nil {
		t.Errorf("N=0: %v", err)
	}
}

// benchFleet generates a fleet of n firewalls (internal/genfleet) in dir:
// a template file for CloudFormation, a directory for Terraform.
func benchFleet(tb testing.TB, dir, format string, n int) string {
	tb.Helper()
	if format == "terraform" {
		path := filepath.Join(dir, "fleet-tf")
		if err := genfleet.WriteTerraform(path, n); err != nil {
			tb.Fatal(err)
		}
		return path
	}
	var buf bytes.Buffer
	if err := genfleet.WriteCloudFormation(&buf, n); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "fleet.yaml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkCheckFleet is `logpath check` in process (loading, analyzing every
// delivery, the text report) on generated fleets of 100 and 1,000 firewalls,
// each with its own logging configuration, bucket, bucket policy and key. The
// ratio of the two sizes' ns/op shows whether the work grows linearly (about
// 10). scripts/bench-check.sh measures the whole process, with its memory.
func BenchmarkCheckFleet(b *testing.B) {
	for _, format := range []string{"cloudformation", "terraform"} {
		for _, n := range []int{100, 1000} {
			b.Run(fmt.Sprintf("%s/n=%d", format, n), func(b *testing.B) {
				path := benchFleet(b, b.TempDir(), format, n)
				args := []string{"check", "--account", "111122223333", "--region", "ap-northeast-1", path}
				want := fmt.Sprintf("%d deliveries:", 2*n)
				var out, stderr bytes.Buffer
				b.ReportAllocs()
				for b.Loop() {
					out.Reset()
					stderr.Reset()
					// Exit code 1: the fleet has failing deliveries, by design.
					if code := run(args, nil, &out, &stderr); code != 1 {
						b.Fatalf("exit code %d: %s", code, stderr.Bytes())
					}
					if !bytes.Contains(out.Bytes(), []byte(want)) {
						b.Fatalf("the report does not say %q", want)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "firewalls/s")
			})
		}
	}
}
