package simulate

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/logpath/logpath/internal/gencases"
)

// BenchmarkBatch runs Batch over 10,000 generated cases held in memory:
// "realistic" is gencases' mix, where key policies are each case's own but
// many of their statements are written alike across cases (65,128
// statements, 5,066 distinct texts); "distinct" gives every statement a Sid
// of its own, so that no statement can be shared. Each with one worker (the
// cost of a case) and one per CPU (what the command gets). Besides
// decisions/s it reports the CPU time of the process per decision, which
// the other work on a shared machine disturbs less than the wall clock.
// The garbage collector runs at its default target here; the command raises
// it (cmd/logpath/simulate.go).
func BenchmarkBatch(b *testing.B) {
	const n = 10000
	for _, distinct := range []bool{false, true} {
		var buf bytes.Buffer
		if err := gencases.Write(&buf, gencases.Options{N: n, Seed: 1, Distinct: distinct}); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		mix := "realistic"
		if distinct {
			mix = "distinct"
		}
		for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("%s/workers=%d", mix, workers), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				cpu := processCPU()
				for b.Loop() {
					if err := Batch(io.Discard, "bench.jsonl", bytes.NewReader(data), workers); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "decisions/s")
				b.ReportMetric(float64(processCPU()-cpu)/float64(n*b.N), "cpu-ns/decision")
			})
		}
	}
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
