#!/usr/bin/env bash
# Measures `logpath check` on generated fleets of Network Firewalls
# (internal/genfleet): a CloudFormation template and a Terraform directory,
# each firewall with its own logging configuration, bucket, bucket policy
# and KMS key. Builds logpath, generates both fleets into a temporary
# directory, runs `logpath check` on each several times and prints the wall
# time, CPU time and maximum resident set size of every run, then a summary
# against the targets of docs/benchmarks.md (under 1 s and under 200 MB each).
#
# Usage:
#   scripts/bench-check.sh [-n FIREWALLS] [-runs R] [-keep DIR] [-bin LOGPATH]
#     -n FIREWALLS  firewalls per fleet (default 1000)
#     -runs R       runs of each check (default 5)
#     -keep DIR     generate into DIR and keep it (default: a temporary directory)
#     -bin LOGPATH  measure this logpath binary (another build, to compare)
#                   instead of building one from this tree
#
# Time and memory come from GNU time (/usr/bin/time -f '%e %M %U %S') where
# it is installed, else from internal/tools/runstat (wait4's rusage, the same
# figures). CPU time (user + system) is printed too: on a shared machine it
# varies less than wall time. The script exits 1 when a target is missed.
set -euo pipefail

n=1000
runs=5
keep=""
bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=$2; shift 2 ;;
    -runs) runs=$2; shift 2 ;;
    -keep) keep=$2; shift 2 ;;
    -bin) bin=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    *) echo "usage: scripts/bench-check.sh [-n FIREWALLS] [-runs R] [-keep DIR] [-bin LOGPATH]" >&2; exit 2 ;;
  esac
done
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  keep=$(cd "$keep" && pwd)
fi
cd "$(dirname "$0")/.."

if [ -n "$keep" ]; then
  work=$keep
  rm -rf "$work/fleet.yaml" "$work/fleet-tf"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

. scripts/bench-lib.sh
machine

if [ -z "$bin" ]; then
  go build -o "$work/logpath" ./cmd/logpath
  bin=$work/logpath
fi
echo "logpath: $bin"
go run ./internal/tools/genfleet -n "$n" -format cloudformation -o "$work/fleet.yaml"
go run ./internal/tools/genfleet -n "$n" -format terraform -o "$work/fleet-tf"

echo "measured with $timer; $runs runs each"
echo


missed=0
check() {
  local label=$1 input=$2 size=$3
  echo "== $label: logpath check --account 111122223333 --region ap-northeast-1 $input ($size)"
  local walls=() cpus=() rss_max=0 steal0 stall0 t0
  steal0=$(steal_ticks)
  stall0=$(cpu_stall)
  t0=$(date +%s%N)
  for r in $(seq 1 "$runs"); do
    local code=0
    measure "$work/time.txt" "$bin" check --account 111122223333 --region ap-northeast-1 "$input" >"$work/out.txt" || code=$?
    # Exit 1 is expected: the fleet has failing deliveries by design.
    if [ "$code" -gt 1 ]; then
      echo "logpath check exited $code:" >&2
      tail -n 5 "$work/out.txt" >&2
      exit 2
    fi
    local summary
    summary=$(tail -n 1 "$work/out.txt")
    case "$summary" in
      "$((2 * n)) deliveries:"*) ;;
      *) echo "unexpected report: $summary" >&2; exit 2 ;;
    esac
    # GNU time puts "Command exited with non-zero status 1" on a line before.
    read -r wall kb user sys < <(tail -n 1 "$work/time.txt")
    local cpu
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')
    printf 'run %d: %5.2f s wall  %5.2f s CPU  %6.1f MB max RSS   %s\n' "$r" "$wall" "$cpu" "$(awk -v k="$kb" 'BEGIN {print k / 1024}')" "$summary"
    walls+=("$wall")
    cpus+=("$cpu")
    [ "$kb" -gt "$rss_max" ] && rss_max=$kb
  done
  contention "$t0" "$steal0" "$stall0" "$runs"
  local median cpu_median verdict
  median=$(printf '%s\n' "${walls[@]}" | median)
  cpu_median=$(printf '%s\n' "${cpus[@]}" | median)
  verdict=$(awk -v w="$median" -v c="$cpu_median" -v k="$rss_max" 'BEGIN {
    ok = (w < 1.0 && k < 200 * 1024)
    printf "median %.2f s wall (target < 1 s), median %.2f s CPU, max %.1f MB RSS (target < 200 MB): %s", w, c, k / 1024, ok ? "meets the targets" : "MISSES a target"
  }')
  echo "$verdict"
  case "$verdict" in *MISSES*) missed=1 ;; esac
  echo
}

check "CloudFormation, $n firewalls" "$work/fleet.yaml" "$(du -h "$work/fleet.yaml" | cut -f1), $(grep -c '^    Type: AWS::' "$work/fleet.yaml") resources"
check "Terraform, $n firewalls" "$work/fleet-tf" "$(du -sh "$work/fleet-tf" | cut -f1), $(cat "$work"/fleet-tf/*.tf | grep -c '^resource ') resources, $(ls "$work"/fleet-tf/*.tf | wc -l) files"
exit $missed
