#!/usr/bin/env bash
# A class graded at the demo lab's size (issue 16): N "students" graded with `netprobe grade
# --parallel` against the demo lab itself, each with the demo's reachability checks and facts (41
# nodes: 33 namespaces, 4 containers, this machine; 97 checks, 10 facts, 113 points), without its
# measuring cells (section "7. Performance": a class measuring the same ports at once measures the
# machine, not the paths). Every student has an empty NAME.env, so every score must be 113.
#
# One machine cannot hold 200 demo-sized labs; this is the other half of the picture: the
# grader's work per student at that size, with the lab's own work (sshd logins, the routers'
# forwarding, iptables-save) on the same two cores. bench/grade-bench.sh builds N small labs
# of their own.
#
# Usage: bench/grade-demo-bench.sh [N]     as root; N = 1..400 students, default 48
# Environment: GRADE_PARALLEL (--parallel; default: netprobe's own default)
#
# It brings the demo lab up when it is down (and takes it down again at the end); it writes only
# under bench/out/grade-demo/. It prints wall time, netprobe's CPU (with its children: the
# iptables-save it runs), the whole machine's busy CPU over the same time (/proc/stat: the lab's
# sshd and dockerd too), the peak RSS, and how many students scored 113.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
netprobe="$root/netprobe"
out="$here/out/grade-demo"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$here/out/cache}"

readonly POINTS=113
n=48
brought_up=false

log() { printf 'grade-demo-bench: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 2
}

for arg in "$@"; do
  case $arg in
    -h | --help) sed -n '13,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2 && exit 2 ;;
    *[!0-9]* | '') die "unknown argument '$arg' (valid: a student count 1..400)" ;;
    *) n=$arg ;;
  esac
done
((n >= 1 && n <= 400)) || die "student count out of range: $n (valid: 1..400)"
if [[ -n ${GRADE_PARALLEL:-} && ! ${GRADE_PARALLEL} =~ ^[1-9][0-9]*$ ]]; then
  die "GRADE_PARALLEL must be a positive integer, got '$GRADE_PARALLEL'"
fi
[[ $(id -u) -eq 0 ]] || die "needs root (the demo lab's namespaces); run as root"
[[ -x /usr/bin/time ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >/dev/null

cleanup() {
  if $brought_up; then
    log "taking the demo lab down"
    "$netprobe" lab down >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The machine's busy CPU seconds so far: every state of /proc/stat's cpu line but idle and iowait.
busy_cpu() { awk '/^cpu / {print ($2 + $3 + $4 + $7 + $8 + $9) / 100; exit}' /proc/stat; }

if ! ip netns list | grep -q '^np-pc\b'; then
  log "bringing the demo lab up"
  brought_up=true
  "$netprobe" lab up >/dev/null
fi

rm -rf "$out"
mkdir -p "$out/students"
# The demo's checks up to section 7, then its facts.
awk '/^  # 7\. Performance/ {skip = 1} /^facts:/ {skip = 0} !skip' \
  "$root/matrices/labs/demo.yaml" >"$out/demo-reach.yaml"
for ((k = 1; k <= n; k++)); do : >"$out/students/$(printf 's%03d' "$k").env"; done

args=(grade "$out/demo-reach.yaml" --students "$out/students" --out "$out/grades")
[[ -n ${GRADE_PARALLEL:-} ]] && args+=(--parallel "$GRADE_PARALLEL")
log "grading $n students: netprobe ${args[*]}"
cpu0=$(busy_cpu)
/usr/bin/time -f '%e %U %S' -o "$out/time.txt" "$netprobe" "${args[@]}" >"$out/grade.log" 2>&1 &
pid=$!
# every 2 s: the JVM counts with its own peak (VmHWM), and each sample costs the run some CPU
sample_tree_rss "$pid" "$out/rss.txt" 2 &
sampler=$!
rc=0
wait "$pid" || rc=$?
wait "$sampler" 2>/dev/null || true
cpu1=$(busy_cpu)
((rc == 0)) || die "netprobe grade exited $rc; see $out/grade.log"

read -r wall user sys <"$out/time.txt"
full=$(awk -F, -v p="$POINTS" 'NR > 1 && $2 == p' "$out/grades/grades.csv" | wc -l)
awk -v n="$n" -v wall="$wall" -v cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" \
  -v busy="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {print b - a}')" -v rss="$(cat "$out/rss.txt")" \
  -v points="$POINTS" -v full="$full" 'BEGIN {
    printf "students %d  wall %.1f s (%.2f s a student)  netprobe CPU %.1f s  machine busy %.1f CPU-s  largest RSS %d MB  scored %d: %d/%d\n",
      n, wall, wall / n, cpu, busy, rss / 1024, points, full, n
  }'
