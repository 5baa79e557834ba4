#!/usr/bin/env bash
# Runs logpath's benchmarks and prints a summary against the goals in
# docs/benchmarks.md. Extra arguments go to `go test`, e.g.
#   scripts/bench.sh -count=5
#   scripts/bench.sh -bench=EvaluateSeed
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "== machine"
echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "go:     $(go version)"
echo "cpus:   $(nproc) ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1))"
echo "memory: $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
# Other work on the machine slows the wall clock; the CPU figures less so.
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (1, 5, 15 min)"
echo

echo "== go test -run='^\$' -bench=. -benchmem ./policy ./internal/simulate ./cmd/logpath $*"
go test -run='^$' -bench=. -benchmem "$@" ./policy ./internal/simulate ./cmd/logpath | tee "$out"
echo

echo "== summary (mean of the runs of each benchmark)"
awk -v ncpu="$(nproc)" '
/^Benchmark/ {
  name = $1; sub(/-[0-9]+$/, "", name)
  runs[name]++
  for (i = 3; i < NF; i++) {
    v = $i; unit = $(i + 1)
    if (unit == "ns/op" || unit == "allocs/op" || unit == "B/op" || unit == "decisions/s" || unit == "cpu-ns/decision") sum[name, unit] += v
  }
  if (!(name in seen)) { seen[name] = 1; order[++n] = name }
}
function mean(name, unit) { return sum[name, unit] / runs[name] }
function verdict(ok) { return ok ? "meets the goal" : "MISSES the goal" }
END {
  for (k = 1; k <= n; k++) {
    name = order[k]
    if (name == "BenchmarkEvaluateSeed") {
      ns = mean(name, "ns/op"); al = mean(name, "allocs/op")
      printf "%-40s %10.0f ns/op  %6.1f allocs/op   goal < 1000 ns/op and 0 allocs/op: %s\n", name, ns, al, verdict(ns < 1000 && al == 0)
    } else if (name == "BenchmarkParseKeyPolicy20") {
      printf "%-40s %10.1f us/op  %6.0f allocs/op  %8.0f B/op\n", name, mean(name, "ns/op") / 1000, mean(name, "allocs/op"), mean(name, "B/op")
    } else if (name == "BenchmarkSimulateCases10k") {
      d = mean(name, "decisions/s"); c = mean(name, "cpu-ns/decision")
      printf "%-40s %10.0f decisions/s (%.0f ms per run)   goal >= 150000 decisions/s: %s\n", name, d, mean(name, "ns/op") / 1e6, verdict(d >= 150000)
      printf "%-40s %10.0f CPU ns per decision: %.0f decisions per CPU-second, %.0f on %d idle CPUs at best\n", "", c, 1e9 / c, ncpu * 1e9 / c, ncpu
    } else if (mean(name, "cpu-ns/decision") > 0) {
      printf "%-40s %10.0f decisions/s (%.0f ms per run), %.0f CPU ns per decision\n", name, mean(name, "decisions/s"), mean(name, "ns/op") / 1e6, mean(name, "cpu-ns/decision")
    } else if (mean(name, "decisions/s") > 0) {
      printf "%-40s %10.0f decisions/s (%.0f ms per run)\n", name, mean(name, "decisions/s"), mean(name, "ns/op") / 1e6
    } else {
      printf "%-40s %10.0f ns/op  %6.1f allocs/op\n", name, mean(name, "ns/op"), mean(name, "allocs/op")
    }
  }
}' "$out"
