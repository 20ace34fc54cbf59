#!/usr/bin/env bash
# Tracer overhead as a ratio against the untraced baseline, interleaved to even out a noisy host
# (the default seccomp mode, --no-seccomp, and --syscalls, which records every syscall):
#   tracer/bench/overhead.sh [RUNS] -- COMMAND...
# e.g. tracer/bench/overhead.sh 20 -- java -version
# The tracer is taken from target/classes (build it with `mvn package` or `make -C tracer dist`).
set -euo pipefail
runs=10
if [[ "${1:-}" != "--" && -n "${1:-}" ]]; then runs=$1; shift; fi
[[ "${1:-}" == "--" ]] && shift
(($#)) || { echo "usage: $0 [RUNS] -- COMMAND..." >&2; exit 2; }
here=$(cd "$(dirname "$0")/../.." && pwd)
tracer="$here/target/classes/dev/skinnywhale/trace/tracer/tracer-$(uname -m)"
[[ -x "$tracer" ]] || { echo "no tracer at $tracer: build it first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ns() { date +%s%N; }
time_one() { local t0 t1; t0=$(ns); "$@" >/dev/null 2>&1 || true; t1=$(ns); echo $(((t1 - t0) / 1000)); }

plain=0 seccomp=0 syscall=0 record=0
for ((i = 0; i < runs; i++)); do
  plain=$((plain + $(time_one "$@")))
  seccomp=$((seccomp + $(time_one "$tracer" -o "$work/l" --status "$work/s" -- "$@")))
  syscall=$((syscall + $(time_one "$tracer" --no-seccomp -o "$work/l" --status "$work/s" -- "$@")))
  record=$((record + $(time_one "$tracer" --syscalls "$work/c" -o "$work/l" --status "$work/s" -- "$@")))
done
awk -v p="$plain" -v a="$seccomp" -v b="$syscall" -v c="$record" -v n="$runs" 'BEGIN {
  printf "runs %d, mean wall time (ms)\n", n
  printf "  untraced            %8.1f  1.00x\n", p / n / 1000
  printf "  tracer (seccomp)    %8.1f  %.2fx\n", a / n / 1000, a / p
  printf "  tracer --no-seccomp %8.1f  %.2fx\n", b / n / 1000, b / p
  printf "  tracer --syscalls   %8.1f  %.2fx\n", c / n / 1000, c / p
}'
