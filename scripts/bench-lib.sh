# Shared by scripts/bench-check.sh and scripts/bench-simulate.sh (sourced,
# from the repository root, with $work set to a scratch directory).

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi

machine() {
  echo "== machine"
  echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "go:     $(go version)"
  echo "cpus:   $(nproc) ($(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n1))"
  echo "memory: $(free -h 2>/dev/null | awk '/^Mem:/ {print $2}')"
  echo
}

# cpu_stall prints the microseconds runnable tasks have waited for a CPU
# since boot (Linux PSI): other work on a shared machine shows here, and in
# wall times above the CPU times of a run that cannot use both CPUs.
cpu_stall() { sed -n 's/^some .*total=\([0-9]*\).*/\1/p' /proc/pressure/cpu 2>/dev/null | grep . || echo 0; }
# steal_ticks prints the CPU time the hypervisor gave to other machines, in
# clock ticks (/proc/stat): on a shared VM that slows every run, and
# nothing inside the machine shows it otherwise.
steal_ticks() { awk '/^cpu / {print $9; exit}' /proc/stat 2>/dev/null || echo 0; }

# contention T0 STEAL0 STALL0 RUNS: what other work took during a series that
# started at T0 (date +%s%N) with the steal and stall counters given.
contention() {
  awk -v a="$2" -v b="$(steal_ticks)" -v r="$4" -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" 'BEGIN {
    printf "CPU time stolen by the host (/proc/stat steal): %.3f s per run\n", (b - a) / hz / r }'
  awk -v a="$3" -v b="$(cpu_stall)" -v t0="$1" -v t1="$(date +%s%N)" 'BEGIN {
    printf "tasks waiting for a CPU (PSI some, this series and any other work): %.0f%% of the time\n", (b - a) * 1000 / (t1 - t0) * 100 }'
}

# measure FILE COMMAND...: runs COMMAND, writes "WALL KILOBYTES USER SYSTEM"
# (seconds, maximum resident set size) to FILE: GNU time where it is
# installed, else internal/tools/runstat (wait4's rusage, the same figures).
# use_runstat makes measure use runstat even where GNU time is installed:
# GNU time gives wall time to 10 ms, runstat to 0.1 ms.
use_runstat() {
  go build -o "$work/runstat" ./internal/tools/runstat
  timer="internal/tools/runstat (wait4's rusage)"
  measure() { local f=$1; shift; "$work/runstat" -o "$f" "$@"; }
}
if /usr/bin/time -f '%e %M %U %S' -o /dev/null true >/dev/null 2>&1; then
  timer="GNU time (/usr/bin/time -f '%e %M %U %S')"
  measure() { local f=$1; shift; /usr/bin/time -f '%e %M %U %S' -o "$f" "$@"; }
else
  use_runstat
fi

# median of the numbers on standard input, one a line.
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
