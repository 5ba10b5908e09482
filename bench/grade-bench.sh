#!/usr/bin/env bash
# The class benchmark of issue 16: N students' labs, each of its own namespaces, graded with
# `netprobe grade --parallel`. A student's lab is four namespaces: a PC, a router, and behind
# the router a server network with a VM (tcp/80) and a database (tcp/5432). Their matrix
# (bench/out/grade-class.yaml, one for the whole class, filled per student from NAME.env) has
# five checks and one fact, 7 points. Faults are injected by the student's number k:
#   k % 5 == 0, 4  healthy                                    7/7
#   k % 5 == 1     dropped port: the VM's INPUT drops tcp/80  5/7 (DROPPED_AT_TARGET)
#   k % 5 == 2     stopped service: nothing on db tcp/5432    6/7 (REFUSED)
#   k % 5 == 3     missing route: the PC has none to servers  1/7 (NO_ROUTE, the fact DIFFERS)
# The script grades them all, once, with GNU time and RSS sampling (as bench/mesh-bench.sh),
# and compares every student's score with what their fault should give.
#
# Usage: bench/grade-bench.sh [N] [--keep]     as root; N = 2..250 students, default 50
#        bench/grade-bench.sh --down            remove a class left up by --keep
# Environment: GRADE_PARALLEL (--parallel; default: netprobe's own default),
#              BENCH_NEIGH=keep (leave the ARP table's limits as they are: 200 students overflow),
#              GRADE_SHARDS=K (also grade the class as K shards one after another and merge
#              them; checks the merged grades.csv equals the unsharded one; untimed).
#
# Everything it creates is named np-gb<k>-{pc,r,vm,db} plus the root-namespace route
# "unreachable 10.245.0.0/16 metric 4245"; all of it is removed on exit, failure or Ctrl-C.
# No namespace has a link to the root namespace or a default route: no packet leaves.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
netprobe="$root/netprobe"
out="$here/out"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
# The launcher keeps its AppCDS archive per cache directory and removes other archives there:
# a cache of the bench's own leaves another checkout's archive alone.
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$out/cache}"

readonly NET=10.245
readonly ROUTE_METRIC=4245
readonly POINTS=7
n=50
keep=false
current_pid=""
server_pid=""

log() { printf 'grade-bench: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 2
}

usage() {
  sed -n '14,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

need_root() {
  [[ $(id -u) -eq 0 ]] || die "needs root (network namespaces, veths, iptables); run as root"
}

parse_args() {
  local arg
  for arg in "$@"; do
    case $arg in
      --keep) keep=true ;;
      --down) need_root && teardown && log "removed" && exit 0 ;;
      -h | --help) usage ;;
      *[!0-9]* | '') die "unknown argument '$arg' (valid: a student count 2..250, --keep, --down)" ;;
      *) n=$arg ;;
    esac
  done
  ((n >= 2 && n <= 250)) || die "student count out of range: $n (valid: 2..250, a /24 each)"
  if [[ -n ${GRADE_PARALLEL:-} && ! ${GRADE_PARALLEL} =~ ^[1-9][0-9]*$ ]]; then
    die "GRADE_PARALLEL must be a positive integer, got '$GRADE_PARALLEL'"
  fi
}

install_tools() {
  local missing=()
  command -v perl >/dev/null || missing+=(perl-base)
  command -v iptables >/dev/null || missing+=(iptables)
  [[ -x /usr/bin/time ]] || missing+=(time)
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]} (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null ||
    die "could not install ${missing[*]}; try: apt-get update && apt-get install ${missing[*]}"
}

# ---- the class ---------------------------------------------------------------------------

ns() { echo "np-gb$1-$2"; } # student, role (pc r vm db)
fault() {
  case $(($1 % 5)) in
    1) echo drop ;;
    2) echo stopped ;;
    3) echo noroute ;;
    *) echo none ;;
  esac
}
expected_points() {
  case $(fault "$1") in
    drop) echo 5 ;;
    stopped) echo 6 ;;
    noroute) echo 1 ;;
    *) echo "$POINTS" ;;
  esac
}

# Student k: LAN 10.245.k.0/26 (pc .1, router .62), servers 10.245.k.64/26 (router .126 on a
# bridge in the router's namespace, vm .65, db .66). Both ends of every veth are created in
# their namespaces: no np-* device ever sits in the root namespace.
add_student() {
  local k=$1 pc r vm db role
  pc=$(ns "$k" pc) r=$(ns "$k" r) vm=$(ns "$k" vm) db=$(ns "$k" db)
  for role in pc r vm db; do ip netns add "$(ns "$k" "$role")"; done
  ip -batch - <<EOF
link add eth0 netns $pc type veth peer name lan netns $r
link add eth0 netns $vm type veth peer name vm netns $r
link add eth0 netns $db type veth peer name db netns $r
EOF
  ip -n "$pc" -batch - <<EOF
link set lo up
addr add $NET.$k.1/26 dev eth0
link set eth0 up
EOF
  [[ $(fault "$k") == noroute ]] ||
    ip -n "$pc" route add "$NET.$k.64/26" via "$NET.$k.62"
  ip -n "$r" -batch - <<EOF
link set lo up
link add br0 type bridge
link set br0 up
link set vm master br0 up
link set db master br0 up
addr add $NET.$k.62/26 dev lan
link set lan up
addr add $NET.$k.126/26 dev br0
EOF
  ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
  local host ip
  for host in vm db; do
    ip=$([[ $host == vm ]] && echo 65 || echo 66)
    ip -n "$(ns "$k" "$host")" -batch - <<EOF
link set lo up
addr add $NET.$k.$ip/26 dev eth0
link set eth0 up
route add default via $NET.$k.126
EOF
  done
  [[ $(fault "$k") != drop ]] ||
    ip netns exec "$vm" iptables -A INPUT -p tcp --dport 80 -j DROP
}

# One perl process serves every student's services: it enters each namespace (setns, x86_64
# syscall 308 / aarch64 268), opens the listener there, comes back, then answers each connection
# with a line and closes it, as a service that speaks first does (see bench/README.md).
SERVER='use IO::Socket::INET; use IO::Select; $SIG{PIPE} = "IGNORE";
my $nr = $ARGV[0]; shift; open(my $home, "<", "/proc/self/ns/net") or die "home: $!";
my $s = IO::Select->new;
for (@ARGV) { my ($ns, $port) = split /:/;
  open(my $fh, "<", "/run/netns/$ns") or die "$ns: $!";
  syscall($nr, fileno($fh), 0x40000000) == 0 or die "setns $ns: $!";
  $s->add(IO::Socket::INET->new(LocalPort => $port, Listen => 256, ReuseAddr => 1,
    Proto => "tcp") or die "listen $ns:$port: $!");
  syscall($nr, fileno($home), 0x40000000) == 0 or die "setns home: $!"; close $fh }
print "ready\n"; close STDOUT;
while (1) { for my $l ($s->can_read) { my $c = $l->accept or next; print $c "np\n"; close $c } }'
start_services() {
  local k args=() nr
  case $(uname -m) in x86_64) nr=308 ;; aarch64) nr=268 ;; *) die "setns number for $(uname -m)?" ;; esac
  for ((k = 0; k < n; k++)); do
    args+=("$(ns "$k" vm):80")
    [[ $(fault "$k") == stopped ]] || args+=("$(ns "$k" db):5432")
  done
  perl -e "$SERVER" "$nr" "${args[@]}" >"$out/services.ready" 2>"$out/services.log" </dev/null &
  server_pid=$!
  echo "$server_pid" >"$out/grade-services.pid"
  local deadline=$((SECONDS + 20))
  until grep -q ready "$out/services.ready" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || die "the services did not start: $(cat "$out/services.log")"
    ((SECONDS < deadline)) || die "the services did not start in 20 s"
    sleep 0.1
  done
}

class_up() {
  log "creating $n students' labs: np-gb0-* .. np-gb$((n - 1))-* (4 namespaces each, $NET.0.0/16)"
  # Without it the root namespace would send 10.245.0.0/16 to its default route: off the machine.
  ip route add unreachable "$NET.0.0/16" metric "$ROUTE_METRIC"
  local k t0=$SECONDS
  for ((k = 0; k < n; k++)); do add_student "$k"; done
  start_services
  raise_neighbour_limits $((n * 16)) "$out/grade-neigh-thresholds.saved" "about $((n * 8)) entries"
  log "class up in $((SECONDS - t0)) s"
}

# The kernel's neighbour (ARP) table is one for all namespaces: a student's lab holds about 8
# entries (the router knows three hosts, each host its gateway and its neighbour), so 200
# students need 1,600, past the default gc_thresh3 of 1,024, and a router that finds no room
# drops what it forwards (2026-12-03: 5 of 200 scores wrong that way). As bench/mesh-bench.sh
# does, the limits are raised to 16 per student while the class is up, the old values kept in a
# file that teardown restores from (also after a killed run). BENCH_NEIGH=keep leaves them.

bench_namespaces() { ip netns list | awk '{print $1}' | grep -E '^np-gb[0-9]+-(pc|r|vm|db)$' || true; }

# The services' perl process lives in the root namespace (it only entered the students' to
# listen): found by its pid file, and only if that pid still runs our script on np-gb names.
stop_services() {
  local pid file="$out/grade-services.pid"
  pid=${server_pid:-$(cat "$file" 2>/dev/null || true)}
  if [[ -n $pid ]] && tr '\0\n' '  ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'IO::Socket.* np-gb'; then
    kill "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

teardown() {
  local ns pids
  stop_services
  for ns in $(bench_namespaces); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    # shellcheck disable=SC2086 # one pid per word
    [[ -z $pids ]] || kill $pids 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || log "could not delete namespace $ns"
  done
  while ip route del unreachable "$NET.0.0/16" metric "$ROUTE_METRIC" 2>/dev/null; do :; done
  restore_neighbour_limits "$out/grade-neigh-thresholds.saved"
  return 0
}

on_exit() {
  local code=$?
  trap - EXIT INT TERM
  [[ -z $current_pid ]] || kill -- "-$current_pid" 2>/dev/null || true
  if $keep && ((code == 0)); then
    log "class left up (--keep); remove it with: bench/grade-bench.sh --down"
  else
    teardown
    [[ -z $(bench_namespaces) ]] || log "WARNING: left behind: $(bench_namespaces | xargs)"
  fi
  exit "$code"
}

write_class() {
  local matrix=$1 students=$2 k
  cat >"$matrix" <<'EOF'
# Generated by bench/grade-bench.sh: do not edit, rerun the script.
name: a student's own small network
defaults: { timeout: 1s, retries: 0 }
nodes:
  pc: { kind: netns, netns: "${PC_NS}", addresses: { lan: "${PC_IP}" } }
  r: { kind: netns, netns: "${R_NS}", addresses: { lan: "${GW_IP}" } }
  vm: { kind: netns, netns: "${VM_NS}", addresses: { servers: "${VM_IP}" } }
  db: { kind: netns, netns: "${DB_NS}", addresses: { servers: "${DB_IP}" } }
checks:
  - { from: pc, to: vm, probe: icmp, expect: pass, title: the PC reaches the VM }
  - { from: pc, to: vm, probe: "tcp:80", expect: pass, points: 2, title: the VM's web server answers }
  - { from: pc, to: db, probe: "tcp:5432", expect: pass, title: the database answers }
  - { from: vm, to: db, probe: icmp, expect: pass, title: the VM reaches the database }
  - { from: pc, to: vm, probe: "tcp:23", expect: refused, title: telnet is closed on the VM }
facts:
  - { node: pc, route: "${SERVERS} via ${GW_IP}", title: the PC's route to the servers }
EOF
  rm -rf "$students"
  mkdir -p "$students"
  for ((k = 0; k < n; k++)); do
    cat >"$students/s$(printf '%03d' "$k").env" <<EOF
PC_NS=$(ns "$k" pc)
R_NS=$(ns "$k" r)
VM_NS=$(ns "$k" vm)
DB_NS=$(ns "$k" db)
PC_IP=$NET.$k.1
GW_IP=$NET.$k.62
VM_IP=$NET.$k.65
DB_IP=$NET.$k.66
SERVERS=$NET.$k.64/26
MOODLE_ID=gb$k
EMAIL=student$k@example.edu
EOF
  done
}

# ---- measuring (as bench/mesh-bench.sh) -----------------------------------------------------


# measure LOG CMD...: wall (EPOCHREALTIME), CPU and largest process (GNU time), tree RSS.
measure() {
  local logfile=$1 t0 t1 sampler
  shift
  load=$(cut -d ' ' -f 1 /proc/loadavg)
  t0=$EPOCHREALTIME
  setsid /usr/bin/time -f '%M %U %S' -o "$out/grade.time" "$@" >"$logfile" 2>&1 &
  current_pid=$!
  sample_tree_rss "$current_pid" "$out/grade.treerss" &
  sampler=$!
  if wait "$current_pid"; then code=0; else code=$?; fi
  t1=$EPOCHREALTIME
  current_pid=""
  wait "$sampler" || true
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  read -r max_kb user sys < <(tail -n 1 "$out/grade.time")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  tree_kb=$(cat "$out/grade.treerss")
}

# Every student's score in grades.csv against the score of their fault.
judge() {
  local csv=$1 k name score right=0 wrong=()
  for ((k = 0; k < n; k++)); do
    name=s$(printf '%03d' "$k")
    score=$(awk -F, -v s="$name" '$1 == s { print $2 "/" $3 }' "$csv")
    if [[ $score == "$(expected_points "$k")/$POINTS" ]]; then
      right=$((right + 1))
    else
      wrong+=("$name ($(fault "$k")): ${score:-missing}, expected $(expected_points "$k")/$POINTS")
    fi
  done
  echo "$right"
  ((${#wrong[@]} == 0)) || printf '  wrong: %s\n' "${wrong[@]}" >&2
}

main() {
  parse_args "$@"
  need_root
  install_tools
  mkdir -p "$out"
  trap on_exit EXIT INT TERM
  teardown # what a killed run left
  local matrix="$out/grade-class.yaml" students="$out/grade-students" grades="$out/grades-$n"
  write_class "$matrix" "$students"
  class_up
  (
    set -a
    # shellcheck disable=SC1091 # generated above
    . "$students/s000.env"
    "$netprobe" validate "$matrix" >/dev/null
  ) || die "the class matrix does not validate with s000.env's values"
  rm -rf "$grades"
  local parallel=()
  [[ -z ${GRADE_PARALLEL:-} ]] || parallel=(--parallel "$GRADE_PARALLEL")
  log "grading $n students${GRADE_PARALLEL:+, $GRADE_PARALLEL at a time}..."
  measure "$out/grade-$n.log" "$netprobe" grade "$matrix" --students "$students" \
    --out "$grades" "${parallel[@]}"
  local right
  right=$(judge "$grades/grades.csv")
  {
    echo "grade-bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load at start $load"
    echo "$n students x 4 namespaces, 5 checks + 1 fact each; $(grep -m1 '^grading' "$out/grade-$n.log")"
    echo "| students | wall (s) | CPU (s) | largest process | process tree peak RSS | scores right | exit |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '| %d | %s | %s | %d MB | %d MB | %d/%d | %d |\n' "$n" "$wall" "$cpu" \
      $((max_kb / 1024)) $((tree_kb / 1024)) "$right" "$n" "$code"
  } | tee "$out/grade-bench-$n.md"
  if [[ -n ${GRADE_SHARDS:-} ]]; then
    local s dirs=()
    for ((s = 1; s <= GRADE_SHARDS; s++)); do
      "$netprobe" grade "$matrix" --students "$students" --shard "$s/$GRADE_SHARDS" \
        --out "$grades-shard$s" "${parallel[@]}" >/dev/null 2>&1 || true
      dirs+=("$grades-shard$s")
    done
    "$netprobe" grade --merge "${dirs[@]}" --out "$grades-merged" >/dev/null 2>&1 || true
    if cmp -s "$grades/grades.csv" "$grades-merged/grades.csv"; then
      echo "sharded ($GRADE_SHARDS) and merged: grades.csv byte-equal to the unsharded run"
    else
      echo "sharded ($GRADE_SHARDS) and merged: grades.csv DIFFERS from the unsharded run"
    fi
  fi
  ((right == n))
}

main "$@"
