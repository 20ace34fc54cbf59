#!/bin/sh
# The wall time of `skinnywhale trace --keep traced` against the engine's own floor, per image.
#
#   bench/run.sh [-n N] [-s SKINNYWHALE] [CASE...]      CASE: jre python static jre-container
#   bench/run.sh --clean                                 remove the cached fixture images
#
# For every case it builds a fixture once (apt-get in a container of local/debian:bookworm, network
# host for that step only, then committed as skinnywhale-bench/NAME:1 — cached by that tag), then runs
# N rounds, each round every case in turn: the trace, then the floor. The floor is what the engine
# does anyway to make the same image by hand: `docker create` of the input, `docker export` of it to
# /dev/null and `docker load` of the slim result's archive (saved once with `docker save`). Both
# sides start with the slim image absent. It prints the medians, the ratio trace/floor and, from
# the tool's own `time:` line, the median of each phase. The tool's environment passes through:
# SKINNYWHALE_FS_READ=export|helper picks the way the filesystem is read, and SKINNYWHALE_CACHE=off
# measures every round cold (by default round 1 fills the cache of the images' own layer entries
# and the later rounds use it, as a user's second run of an image would).
#
# Everything it makes carries the label dev.skinnywhale.bench=1 (the fixtures and, through their
# config, the slim images) or the run id bench-PID (the tool's temporary objects); the slim images,
# floor containers and temporary files are removed on exit, also on failure and Ctrl-C. The
# fixture images stay for the next run unless --clean.
set -eu

LABEL=dev.skinnywhale.bench=1
BASE=${BENCH_BASE:-local/debian:bookworm}
N=5
SW=${SKINNYWHALE:-$(cd "$(dirname "$0")/.." && pwd)/target/skinnywhale}
RUN_ID=bench-$$
SLIM_REPO=skinnywhale-bench-slim

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

if [ "${1:-}" = --clean ]; then
  docker images -q --filter "label=$LABEL" | sort -u | xargs -r docker rmi -f >/dev/null
  exit 0
fi
while [ $# -gt 0 ]; do
  case $1 in
    -n) N=$2; shift 2 ;;
    -s) SW=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) break ;;
  esac
done
CASES=${*:-jre python static jre-container}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/skinnywhale-bench.XXXXXX")
cleanup() {
  docker ps -aq --filter "label=$LABEL" --filter "label=dev.skinnywhale.bench.run=$RUN_ID" |
    xargs -r docker rm -f >/dev/null 2>&1 || true
  docker images --format '{{.Repository}}:{{.Tag}}' "$SLIM_REPO" | grep -v '<none>' |
    xargs -r docker rmi -f >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# case → fixture name, packages, smoke command
fixture() {
  case $1 in
    jre|jre-container) echo jre ;;
    python) echo python ;;
    static) echo static ;;
    *) echo "unknown case: $1" >&2; exit 2 ;;
  esac
}
packages() {
  case $1 in
    jre) echo default-jre-headless ;;
    python) echo python3-minimal ;;
    static) echo busybox-static ;;
  esac
}
smoke() {
  case $1 in
    jre|jre-container) echo "java -version" ;;
    python) echo "python3 -c 'import os, sys; print(sorted(os.listdir(\"/\")), sys.version)'" ;;
    static) echo "busybox sh -c 'busybox ls / && busybox sha256sum /bin/busybox'" ;;
  esac
}

build_fixture() {
  tag=skinnywhale-bench/$1:1
  if docker image inspect "$tag" >/dev/null 2>&1; then
    return
  fi
  echo "building $tag ($(packages "$1")) ..." >&2
  c=$(docker create --label "$LABEL" --label "dev.skinnywhale.bench.run=$RUN_ID" --network host "$BASE" \
    sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(packages "$1") >/dev/null && rm -rf /var/lib/apt/lists/*")
  docker start -a "$c" >&2
  docker commit --change "LABEL $LABEL" --change 'CMD ["/bin/sh"]' "$c" "$tag" >/dev/null
  docker rm "$c" >/dev/null
}

now() { date +%s.%N; }

# The input the trace gets: the fixture image, or for jre-container a stopped container of it
# (the seed's workflow: the tool commits it first).
input_of() {
  if [ "$1" = jre-container ]; then
    cat "$tmp/$1.container"
  else
    echo "skinnywhale-bench/$(fixture "$1"):1"
  fi
}

trace_once() { # case round → appends seconds to $tmp/$1.trace, phases to $tmp/$1.phases
  slim=$SLIM_REPO/$1:latest
  docker rmi -f "$slim" >/dev/null 2>&1 || true
  t0=$(now)
  if ! SKINNYWHALE_RUN_ID=$RUN_ID "$SW" trace --keep traced --tag "$slim" --run "$(smoke "$1")" \
      "$(input_of "$1")" >"$tmp/out" 2>&1; then
    cat "$tmp/out" >&2
    echo "trace of $1 failed" >&2
    exit 1
  fi
  t1=$(now)
  echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }' >>"$tmp/$1.trace"
  grep '^time:' "$tmp/out" | sed 's/^time: *//; s/ (total.*//' >>"$tmp/$1.phases"
  if [ ! -f "$tmp/$1.tar" ]; then
    docker save -o "$tmp/$1.tar" "$slim"
  fi
  docker rmi -f "$slim" >/dev/null
}

floor_once() {
  img=skinnywhale-bench/$(fixture "$1"):1
  slim=$SLIM_REPO/$1:latest
  t0=$(now)
  c=$(docker create --label "$LABEL" --label "dev.skinnywhale.bench.run=$RUN_ID" "$img" 2>"$tmp/err") ||
    { cat "$tmp/err" >&2; exit 1; }
  docker export "$c" >/dev/null
  docker load -q -i "$tmp/$1.tar" >/dev/null
  t1=$(now)
  docker rm "$c" >/dev/null
  docker rmi -f "$slim" >/dev/null
  echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }' >>"$tmp/$1.floor"
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The median of every phase of the tool's time: lines ("export 1.2s commit 0.4s ...").
phase_medians() {
  awk '{ for (i = 1; i < NF; i += 2) { sub(/s$/, "", $(i + 1)); print $i, $(i + 1) } }' "$1" |
    sort -k1,1 -k2,2n |
    awk '{ n[$1]++; v[$1, n[$1]] = $2; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
         END { for (j = 1; j <= k; j++) { p = order[j]; c = n[p];
               m = (c % 2) ? v[p, (c + 1) / 2] : (v[p, c / 2] + v[p, c / 2 + 1]) / 2;
               printf "%s %.1f  ", p, m } print "" }'
}

[ -x "$SW" ] || { echo "no launcher at $SW (mvn package -DskipTests, or -s PATH)" >&2; exit 2; }
for c in $CASES; do
  build_fixture "$(fixture "$c")"
  if [ "$c" = jre-container ]; then
    docker create --label "$LABEL" --label "dev.skinnywhale.bench.run=$RUN_ID" \
      "skinnywhale-bench/jre:1" >"$tmp/$c.container" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  fi
done

echo "skinnywhale: $SW ($("$SW" --version 2>&1 | head -1)); $N rounds; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
i=1
while [ "$i" -le "$N" ]; do
  for c in $CASES; do
    trace_once "$c"
    floor_once "$c"
  done
  echo "round $i of $N done" >&2
  i=$((i + 1))
done

printf '%-14s %9s %9s %7s  %s\n' case trace floor ratio "phases (median s)"
for c in $CASES; do
  t=$(median "$tmp/$c.trace")
  f=$(median "$tmp/$c.floor")
  printf '%-14s %8ss %8ss %6sx  %s\n' "$c" "$t" "$f" "$(echo "$t $f" | awk '{ printf "%.2f", $1 / $2 }')" \
    "$(phase_medians "$tmp/$c.phases")"
done
left=$(docker ps -aq --filter "label=dev.skinnywhale.run=$RUN_ID" | wc -l)
lefti=$(docker images -q --filter "label=dev.skinnywhale.run=$RUN_ID" | wc -l)
if [ "$left" -ne 0 ] || [ "$lefti" -ne 0 ]; then
  echo "leftovers of run $RUN_ID: $left containers, $lefti images" >&2
  exit 1
fi
