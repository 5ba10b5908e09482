#!/usr/bin/env bash
# The benchmark of issue 6: a full mesh of N network namespaces, ICMP and two TCP ports per
# ordered pair (N=20: 380 pairs, 1,140 checks), about a third of the pairs silently dropped by
# the target's firewall. The contenders check the same cells in one run:
#   netprobe   ./netprobe run bench/out/mesh-N.yaml (one JVM, an agent per namespace, all at once)
#   daemon     the same run through 'netprobe daemon' (a JVM kept warm between commands): the
#              daemon started and NP_WARM runs first, untimed; its CPU and memory are counted
#   jvms       the same with an agent JVM per namespace (NETPROBE_AGENTS=process), for comparison
#   xargs -P16 ping -c1 -W1 / nc -z -w1, sixteen at a time
#   sequential the same, one after the other: what Mininet's pingall does
#   fpnm       an expert's script (issue 14): per source namespace at once, fping for the echoes
#              and an nmap SYN scan of both ports (bench/fping-nmap.sh)
# and a table compares wall time, correctness, speed-up and peak memory. Another line, the
# floor, starts one agent JVM per namespace and only says hello: what separate agent JVMs cost
# on this machine before any probe.
#
# Usage: bench/mesh-bench.sh [N] [--keep]     as root; N = 2..250, default 20
#        bench/mesh-bench.sh --down            remove a mesh left up by --keep
#   --keep  leave the mesh up afterwards (to poke at it with ./netprobe check, tcpdump, ...)
# Environment: NP_RUNS (netprobe runs, median reported; default 3),
#              NP_WARM (the daemon's untimed runs before its timed ones; default 5),
#              BENCH_CONTENDERS (default "netprobe daemon fpnm floor jvms xargs seq"),
#              BENCH_NEIGH=keep (leave the ARP table's limits as they are: a big mesh overflows).
#
# Everything it creates is named np-b* (namespaces np-b0..np-b{N-1} and the switch np-bsw)
# plus the root-namespace route "unreachable 10.250.0.0/24 metric 4250"; all of it is removed
# on exit, failure or Ctrl-C. No namespace has a default route: no packet leaves the machine.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME and printf use a '.' decimal point

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
netprobe="$root/netprobe"
out="$here/out"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

readonly SWITCH=np-bsw
readonly NET=10.250.0
# Marks the root-namespace route as ours, so teardown never deletes someone else's.
readonly ROUTE_METRIC=4250
readonly PORTS=(8001 8002)
readonly TIMEOUT_S=1
readonly XARGS_P=16
NP_RUNS=${NP_RUNS:-3}
NP_WARM=${NP_WARM:-5}
CONTENDERS=${BENCH_CONTENDERS:-"netprobe daemon fpnm floor jvms xargs seq"}
# The daemon's own directory: the bench neither uses nor stops a user's daemons.
export NETPROBE_DAEMON_DIR=/run/netprobe-bench

n=20
keep=false
current_pid=""
# Per contender: wall seconds, exit code, checks, checks as expected, peak RSS (KB) of the
# whole process tree and of its largest process, 1-minute load average when it started, CPU
# seconds (user + system, the command and every descendant it waited for: netprobe's agents).
declare -A wall rc checks ok tree_kb single_kb label load cpu
declare -A np_walls np_engine

log() { printf 'mesh-bench: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 2
}

usage() {
  sed -n '12,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

parse_args() {
  local arg
  for arg in "$@"; do
    case $arg in
      --keep) keep=true ;;
      --down) need_root && teardown && log "removed" && exit 0 ;;
      -h | --help) usage ;;
      *[!0-9]* | '') die "unknown argument '$arg' (valid: a node count 2..250, --keep, --down)" ;;
      *) n=$arg ;;
    esac
  done
  ((n >= 2 && n <= 250)) || die "node count out of range: $n (valid: 2..250, one /24)"
  [[ $NP_RUNS =~ ^[1-9][0-9]*$ ]] || die "NP_RUNS must be a positive integer, got '$NP_RUNS'"
}

need_root() {
  [[ $(id -u) -eq 0 ]] || die "needs root (network namespaces, veths, iptables); run as root"
}

# The baselines' binaries (ping, nc) are the thing compared against; netprobe never runs them.
# perl serves the TCP ports (see start_listeners), GNU time measures the largest process.
install_tools() {
  local -A need=([ping]=iputils-ping [nc.openbsd]=netcat-openbsd [perl]=perl-base
    [fping]=fping [nmap]=nmap    [iptables-restore]=iptables [ss]=iproute2)
  local cmd missing=()
  for cmd in "${!need[@]}"; do
    command -v "$cmd" >/dev/null || missing+=("${need[$cmd]}")
  done
  [[ -x /usr/bin/time ]] || missing+=(time)
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; } ||
    die "could not install ${missing[*]}; try: apt-get update && apt-get install ${missing[*]}"
}

node_ns() { echo "np-b$1"; }
node_ip() { echo "$NET.$(($1 + 1))"; }

# Source s is dropped by target t when their distance (t - s) mod N is a multiple of 3:
# 6 of the 19 other nodes for N=20 (32 %), and not symmetric (t drops s, s may answer t).
dropped() { ((((($2 - $1 + n) % n) % 3) == 0)); }

# ---- the mesh ------------------------------------------------------------------------------

add_netns() {
  ip netns add "$1"
  # Ping sockets for an unprivileged ICMP probe, and no ICMP error rate limit (a limited
  # error turns into a timeout). No IPv6: its router solicitations are noise in captures.
  ip netns exec "$1" sysctl -q -w "net.ipv4.ping_group_range=0 2147483647" \
    net.ipv4.icmp_ratelimit=0 net.ipv6.conf.all.disable_ipv6=1 \
    net.ipv6.conf.default.disable_ipv6=1
  ip -n "$1" link set lo up
}

add_node() {
  local i=$1 ns
  ns=$(node_ns "$i")
  add_netns "$ns"
  # Both ends are created straight in their namespaces: no np-* device ever sits in root.
  ip link add eth0 netns "$ns" type veth peer name "p$i" netns "$SWITCH"
  ip -n "$SWITCH" link set "p$i" master br0 up
  ip -n "$ns" addr add "$(node_ip "$i")/24" dev eth0
  ip -n "$ns" link set eth0 up
}

# INPUT DROP in the target, by source address: the request arrives and nothing answers, so
# every probe of a dropped pair waits for its full timeout (the case that makes loops slow).
# Only requests (echo request, TCP SYN) are dropped: a rule on every packet of the source
# would also drop the replies to the target's own probes and fail the reverse pair as well.
add_drop_rules() {
  local s t src
  for ((t = 0; t < n; t++)); do
    {
      echo '*filter'
      for ((s = 0; s < n; s++)); do
        if ((s == t)) || ! dropped "$s" "$t"; then continue; fi
        src=$(node_ip "$s")
        echo "-A INPUT -s $src/32 -p icmp --icmp-type echo-request -j DROP"
        echo "-A INPUT -s $src/32 -p tcp --syn -j DROP"
      done
      echo COMMIT
    } | ip netns exec "$(node_ns "$t")" iptables-restore
  done
}

# One server per namespace, in perl (perl-base is on every Debian): both ports, backlog 256
# (busybox httpd's backlog of 9 overflows when 19 sources connect at once, and an overflowed SYN
# is retransmitted after 1 s, which would read as a drop the mesh does not have), and no process
# per connection: socat's fork cost a process per accepted connection (520 per run for N = 20,
# about a CPU-second on 2 cores), which the probes then waited for. It answers a line, then
# closes, as a service that speaks first does: a server that closes before a byte looks like a
# relay whose backend refused (netprobe says REFUSED when the close comes within its settle
# window, which depended on how soon perl got to accept).
SERVER='use IO::Socket::INET; use IO::Select; $SIG{PIPE} = "IGNORE";
my $s = IO::Select->new(map { IO::Socket::INET->new(LocalPort => $_, Listen => 256,
  ReuseAddr => 1, Proto => "tcp") or die "listen $_: $!" } @ARGV);
while (1) { for my $l ($s->can_read) { my $c = $l->accept or next; print $c "np\n"; close $c } }'
start_listeners() {
  local i
  for ((i = 0; i < n; i++)); do
    ip netns exec "$(node_ns "$i")" perl -e "$SERVER" "${PORTS[@]}" </dev/null >/dev/null 2>&1 &
  done
  local deadline=$((SECONDS + 10))
  for ((i = 0; i < n; i++)); do
    until [[ $(ip netns exec "$(node_ns "$i")" ss -Hltn | grep -c ':800[12] ') -eq 2 ]]; do
      ((SECONDS < deadline)) || die "the listeners of $(node_ns "$i") did not start in 10 s"
      sleep 0.1
    done
  done
}

mesh_up() {
  log "creating np-b0..np-b$((n - 1)) on a bridge in $SWITCH ($NET.0/24)"
  # Without it the root namespace would send 10.250.0.0/24 to its default route: off the machine.
  ip route add unreachable "$NET.0/24" metric "$ROUTE_METRIC"
  add_netns "$SWITCH"
  ip -n "$SWITCH" link add br0 type bridge
  ip -n "$SWITCH" link set br0 up
  local i
  for ((i = 0; i < n; i++)); do add_node "$i"; done
  add_drop_rules
  start_listeners
  # A full mesh holds N(N-1) neighbour entries: for a big one the machine's limits are raised
  # while it is up, the old values kept in a file that teardown restores from (bench/lib.sh).
  raise_neighbour_limits $((n * n * 2)) "$out/neigh-thresholds.saved" "$((n * (n - 1))) entries"
}

bench_namespaces() { ip netns list | awk '{print $1}' | grep -E '^np-b([0-9]+|sw)$' || true; }

# Removes every np-b<digits> / np-bsw namespace (any N, also a crashed run's) and our route.
# The processes inside them are ours: listeners, and agents if a contender was interrupted.
teardown() {
  local ns pids
  for ns in $(bench_namespaces); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    if [[ -n $pids ]]; then
      # shellcheck disable=SC2086 # one pid per word
      kill $pids 2>/dev/null || true
      sleep 0.2
      # shellcheck disable=SC2086
      kill -9 $pids 2>/dev/null || true
    fi
    ip netns del "$ns" 2>/dev/null || log "could not delete namespace $ns"
  done
  while ip route del unreachable "$NET.0/24" metric "$ROUTE_METRIC" 2>/dev/null; do :; done
  restore_neighbour_limits "$out/neigh-thresholds.saved"
  return 0
}

on_exit() {
  local code=$?
  trap - EXIT INT TERM
  if [[ -n $current_pid ]]; then
    kill -- "-$current_pid" 2>/dev/null || true
  fi
  "$netprobe" daemon stop >/dev/null 2>&1 || true # the bench's own (NETPROBE_DAEMON_DIR)
  rm -rf "$NETPROBE_DAEMON_DIR"
  if $keep && ((code == 0)); then
    log "mesh left up (--keep); remove it with: bench/mesh-bench.sh --down"
  else
    teardown
    [[ -z $(bench_namespaces) ]] || log "WARNING: left behind: $(bench_namespaces | xargs)"
  fi
  exit "$code"
}

# ---- the checks ----------------------------------------------------------------------------

# One line per check, "NETNS TARGET_IP PROBE EXPECT", for the baselines; and the same cells
# as a matrix for netprobe, written out explicitly (not as a mesh) so both read one list. The
# matrix asks netprobe for the disposition, not only a failure: a dropped cell is right only as
# dropped-at-target (the target's INPUT chain drops it), so a wrong explanation counts as wrong.
write_checks() {
  local list=$1 matrix=$2 s t probe expect explained title
  {
    echo "# yaml-language-server: \$schema=../../matrices/schema/matrix.schema.json"
    echo "# Generated by bench/mesh-bench.sh $n: do not edit, rerun the script."
    echo "name: mesh benchmark ($n namespaces)"
    echo "description: >-"
    echo "  A full mesh of $n network namespaces on one bridge, each listening on tcp/8001 and"
    echo "  tcp/8002; a target's INPUT chain drops sources at a distance that is a multiple of 3."
    echo "defaults: { timeout: ${TIMEOUT_S}s, retries: 0 }"
    echo "nodes:"
    for ((s = 0; s < n; s++)); do
      echo "  b$s: { kind: netns, netns: $(node_ns "$s"), addresses: { mesh: $(node_ip "$s") } }"
    done
    echo "checks:"
  } >"$matrix"
  : >"$list"
  for ((s = 0; s < n; s++)); do
    for ((t = 0; t < n; t++)); do
      ((s != t)) || continue
      if dropped "$s" "$t"; then
        expect=fail explained=dropped-at-target title=", title: \"b$t drops b$s (INPUT DROP)\""
      else
        expect=pass explained=pass title=""
      fi
      for probe in icmp "tcp:${PORTS[0]}" "tcp:${PORTS[1]}"; do
        echo "  - { from: b$s, to: b$t, probe: $probe, expect: $explained$title }" >>"$matrix"
        echo "$(node_ns "$s") $(node_ip "$t") $probe $expect" >>"$list"
      done
    done
  done
}

# ---- measuring -----------------------------------------------------------------------------


# measure NAME LOG CMD...: runs CMD in its own process group (so Ctrl-C can stop all of it),
# and records its wall time, exit code, peak tree RSS, largest process and CPU (GNU time).
measure() {
  local name=$1 logfile=$2 t0 t1 sampler code kb user sys
  shift 2
  load[$name]=$(cut -d ' ' -f 1 /proc/loadavg)
  t0=$EPOCHREALTIME
  setsid /usr/bin/time -f '%M %U %S' -o "$out/$name.maxrss" "$@" >"$logfile" 2>&1 &
  current_pid=$!
  sample_tree_rss "$current_pid" "$out/$name.treerss" &
  sampler=$!
  if wait "$current_pid"; then code=0; else code=$?; fi
  t1=$EPOCHREALTIME
  current_pid=""
  wait "$sampler" || true
  wall[$name]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  rc[$name]=$code
  tree_kb[$name]=$(cat "$out/$name.treerss")
  read -r kb user sys < <(tail -n 1 "$out/$name.maxrss")
  single_kb[$name]=$kb
  cpu[$name]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
}

# netprobe as it was before one JVM served every namespace: an agent JVM per namespace
# (NETPROBE_AGENTS=process, ip netns exec ... java), one run, for comparison.
run_jvms() {
  log "running netprobe with an agent JVM per namespace (NETPROBE_AGENTS=process)..."
  measure jvms "$out/jvms-$n.log" env NETPROBE_AGENTS=process \
    "$netprobe" run --no-progress --out "$out/netprobe-report" "$matrix_file"
  label[jvms]="netprobe run, an agent JVM per namespace (NETPROBE_AGENTS=process)"
  local score
  score=$(grep -ho '[0-9]* checks: [0-9]* OK' "$out/jvms-$n.log" | tail -n 1)
  checks[jvms]=${score%% *}
  ok[jvms]=$(awk '{ print $3 }' <<<"$score")
  [[ -n ${checks[jvms]} ]] || checks[jvms]="?" ok[jvms]="exit ${rc[jvms]}"
}

run_baseline() { # NAME PARALLELISM LABEL
  local name=$1 par=$2 logfile="$out/$1-$n.log"
  log "running $3 (${#cells[@]} checks)..."
  measure "$name" "$logfile" xargs -a "$checks_file" -P "$par" -L 1 "$here/probe-one.sh"
  label[$name]=$3
  checks[$name]=$(grep -c . "$logfile" || true)
  ok[$name]=$(awk 'NF == 5 && $4 == $5' "$logfile" | grep -c . || true)
}

# The expert's fping + nmap script, timed; its output judged afterwards, untimed.
run_fpnm() {
  local raw="$out/fpnm-$n"
  rm -rf "$raw"
  log "running fping + nmap per source namespace (${#cells[@]} checks)..."
  measure fpnm "$out/fpnm-$n.run.log" "$here/fping-nmap.sh" run "$checks_file" \
    "$(IFS=,; echo "${PORTS[*]}")" "$raw"
  "$here/fping-nmap.sh" judge "$checks_file" "$raw" >"$out/fpnm-$n.log"
  label[fpnm]="fping + nmap -sS, per source namespace at once"
  checks[fpnm]=$(grep -c . "$out/fpnm-$n.log" || true)
  ok[fpnm]=$(awk 'NF == 5 && $4 == $5' "$out/fpnm-$n.log" | grep -c . || true)
}

# An AppCDS archive of the agent's start-up classes for the floor, made once per agent jar
# (netprobe keeps its own in its cache; this one only stands in for it).
train_agent_cds() { # JAR ARCHIVE
  [[ -f $2 && $2 -nt $1 ]] && return
  log "training an AppCDS archive of the agent for the floor ($2)"
  echo '{"id":1,"op":"hello","args":{}}' | java -Xms8m -Xmx32m -XX:+UseSerialGC \
    -XX:TieredStopAtLevel=1 "-XX:ArchiveClassesAtExit=$2" -jar "$1" --stdio >/dev/null 2>&1 ||
    die "the agent's AppCDS training run failed: java -XX:ArchiveClassesAtExit=$2 -jar $1 --stdio"
}

run_floor() {
  local jar="$root/agent/target/netprobe-agent.jar" jsa="$out/agent.jsa" i nodes=()
  local logfile="$out/floor-$n.log"
  [[ -f $jar ]] || die "no agent jar at $jar; build first: mvn -q -B package -DskipTests"
  train_agent_cds "$jar" "$jsa"
  for ((i = 0; i < n; i++)); do nodes+=("$(node_ns "$i")"); done
  log "running the floor: $n agents, hello only..."
  measure floor "$logfile" "$here/agent-floor.sh" "$jar" "$jsa" "${nodes[@]}"
  label[floor]="$n separate agent JVMs to hello, no checks"
  checks[floor]=0
  ok[floor]="$(grep -c ' ok$' "$logfile" || true)/$n hello"
}

netprobe_has_run() { "$netprobe" run --help 2>&1 | grep -q '^Usage: netprobe run'; }

# Runs netprobe NP_RUNS times and keeps the median run (2 cores shared with other builds), as
# CONTENDER: netprobe (a JVM per run) or daemon (through 'netprobe daemon'). One untimed run first:
# the first run after a build also writes the launcher's AppCDS archive (about a second, once per
# build, like the build itself); for the daemon NP_WARM of them, after it started.
run_netprobe() {
  local who=$1 k name walls=() median dpid="" before after warm=1 use=0
  if [[ $who == daemon ]]; then
    use=1 warm=$NP_WARM
    "$netprobe" daemon stop >/dev/null
    "$netprobe" daemon start --idle 10m >&2 || die "the daemon did not start"
    dpid=$("$netprobe" daemon status | awk '/^\* pid/ { print $3 + 0 }')
  fi
  log "$who: $warm untimed warm-up run(s)..."
  for ((k = 1; k <= warm; k++)); do
    NETPROBE_DAEMON=$use "$netprobe" run --no-progress --format table "$matrix_file" \
      >"$out/$who-$n-warmup.log" 2>&1 || true
  done
  for ((k = 1; k <= NP_RUNS; k++)); do
    name="$who-$k"
    log "running $who run $k/$NP_RUNS..."
    [[ -n $dpid ]] && before=$(proc_cpu "$dpid")
    measure "$name" "$out/$who-$n-run$k.log" \
      env NETPROBE_DAEMON=$use "$netprobe" run --no-progress --out "$out/netprobe-report" "$matrix_file"
    if [[ -n $dpid ]]; then # the daemon's CPU for the run, beside its client's
      after=$(proc_cpu "$dpid")
      cpu[$name]=$(awk -v c="${cpu[$name]}" -v a="$after" -v b="$before" 'BEGIN { printf "%.1f", c + a - b }')
    fi
    log "  ${wall[$name]} s, ${cpu[$name]} CPU-s, exit ${rc[$name]}"
    walls+=("${wall[$name]} $name")
  done
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk -v m=$(((NP_RUNS + 1) / 2)) 'NR == m { print $2 }')
  wall[$who]=${wall[$median]}
  rc[$who]=${rc[$median]}
  load[$who]=${load[$median]}
  cpu[$who]=${cpu[$median]}
  np_walls[$who]=$(printf '%s\n' "${walls[@]}" | awk '{ printf "%s%s", sep, $1; sep = ", " }')
  # netprobe's own clock: from agents connected to verdicts (captures, probes, capture read).
  np_engine[$who]=$(for ((k = 1; k <= NP_RUNS; k++)); do cat "$out/$who-$n-run$k.log"; done |
    grep -o 'checks in [0-9]* ms' |
    awk '{ printf "%s%.2f", sep, $3 / 1000; sep = ", " }')
  # Peak memory: the highest of all runs, not the median's; the daemon's own peak beside.
  tree_kb[$who]=0 single_kb[$who]=0
  for ((k = 1; k <= NP_RUNS; k++)); do
    ((tree_kb[$who-$k] > tree_kb[$who])) && tree_kb[$who]=${tree_kb[$who-$k]}
    ((single_kb[$who-$k] > single_kb[$who])) && single_kb[$who]=${single_kb[$who-$k]}
  done
  label[$who]="netprobe run (median of $NP_RUNS)"
  if [[ -n $dpid ]]; then
    local hwm
    hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$dpid/status" 2>/dev/null || echo 0)
    tree_kb[$who]=$((tree_kb[$who] + hwm))
    ((hwm > single_kb[$who])) && single_kb[$who]=$hwm
    label[$who]="netprobe run through its daemon, after $NP_WARM runs (median of $NP_RUNS)"
    "$netprobe" daemon stop >/dev/null
  fi
  # Its last line: "Score: ...; 1140 checks: 1140 OK (780 reached, ...), 0 unexpected, ...".
  local score
  score=$(grep -ho '[0-9]* checks: [0-9]* OK' "$out/$who-$n-run${median#"$who"-}.log" | tail -n 1)
  checks[$who]=${score%% *}
  ok[$who]=$(awk '{ print $3 }' <<<"$score")
  [[ -n ${checks[$who]} ]] || checks[$who]="?" ok[$who]="exit ${rc[$who]}"
}

# The CPU seconds (user + system) process PID has used so far.
proc_cpu() {
  local stat
  read -r stat <"/proc/$1/stat"
  stat=${stat##*) }
  awk -v s="$stat" -v hz="$(getconf CLK_TCK)" 'BEGIN { split(s, f, " "); printf "%.2f", (f[12] + f[13]) / hz }'
}

# ---- the report ----------------------------------------------------------------------------

mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
faster_by() {
  if [[ -n ${wall[netprobe]:-} && $1 != netprobe && $1 != daemon && $1 != floor ]]; then
    ratio "${wall[$1]}" "${wall[netprobe]}"
  else
    echo -
  fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }

report() {
  local name base=""
  [[ -n ${wall[netprobe]:-}${wall[daemon]:-} ]] && base=netprobe
  echo
  echo "Mesh of $n namespaces, ${#cells[@]} checks ($(grep -c ' fail$' "$checks_file") expected" \
    "to fail: dropped), probe timeout ${TIMEOUT_S} s, $(nproc) cores," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(date -u '+%F %H:%M UTC')"
  echo
  echo "| contender | wall (s) | CPU (s) | checks | as expected | netprobe is faster by | peak RSS, process tree | largest process | load at start |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for name in floor jvms netprobe daemon fpnm xargs seq; do
    [[ -n ${wall[$name]:-} ]] || continue
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${label[$name]}" "${wall[$name]}" "${cpu[$name]}" \
      "${checks[$name]}" "${ok[$name]}" "$(faster_by "$name")" \
      "$(mb "${tree_kb[$name]}")" "$(mb "${single_kb[$name]}")" "${load[$name]}"
  done
  echo
  for name in netprobe daemon; do
    [[ -n ${np_walls[$name]:-} ]] || continue
    echo "$name runs, wall: ${np_walls[$name]} s (after untimed warm-up runs)"
    echo "$name runs, 'checks in' (its own clock, agents up to verdicts): ${np_engine[$name]} s"
  done
  if [[ -z $base ]]; then
    netprobe_has_run || echo "netprobe: figure pending ('./netprobe run' is not in this build yet)."
    return 0
  fi
  for name in netprobe daemon; do
    [[ -n ${wall[$name]:-} ]] && goals "$name"
  done
  [[ -n ${wall[netprobe]:-} ]] || return 0
  [[ -n ${wall[seq]:-} ]] && goal ">= 100x faster than the sequential loop" \
    "${wall[seq]} >= 100 * ${wall[netprobe]}"
  [[ -n ${wall[xargs]:-} ]] && goal ">= 5x faster than xargs -P$XARGS_P" \
    "${wall[xargs]} >= 5 * ${wall[netprobe]}"
  return 0
}

# issue 14's goals for CONTENDER (netprobe, or netprobe through its daemon)
goals() {
  local who=$1 w=${wall[$1]} as=""
  [[ $1 == daemon ]] && as=" (through the daemon)"
  goal "netprobe within one timeout + 2 s$as" "$w <= $TIMEOUT_S + 2"
  [[ -n ${wall[fpnm]:-} ]] && goal ">= 1.4x faster than fping + nmap (issue 14)$as" \
    "${wall[fpnm]} >= 1.4 * $w"
  [[ -n ${wall[fpnm]:-} ]] && goal "no more CPU than fping + nmap (issue 14)$as" \
    "${cpu[$who]} <= ${cpu[fpnm]}"
  case $n in
    20) goal "<= 1.2 s at N = 20 (issue 14)$as" "$w <= 1.2" ;;
    40) goal "<= 2 s at N = 40 (issue 14)$as" "$w <= 2" ;;
    100) [[ -n ${wall[fpnm]:-} ]] && goal "faster than fping + nmap at N = 100 (issue 14)$as" \
      "$w < ${wall[fpnm]}"
      goal "<= 512 MB at N = 100 (issue 14)$as" "${single_kb[$who]} <= 512 * 1024" ;;
  esac
}

goal() { # TEXT AWK-CONDITION
  if awk "BEGIN { exit !($2) }"; then echo "goal met:    $1"; else echo "goal missed: $1"; fi
}

# ---- main ----------------------------------------------------------------------------------

main() {
  parse_args "$@"
  need_root
  install_tools
  mkdir -p "$out"
  checks_file="$out/mesh-$n.checks"
  matrix_file="$out/mesh-$n.yaml"

  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [[ -n $(bench_namespaces) ]]; then
    log "removing a mesh left by an earlier run: $(bench_namespaces | xargs)"
    teardown
  fi

  mesh_up
  write_checks "$checks_file" "$matrix_file"
  mapfile -t cells <"$checks_file"
  log "wrote $matrix_file (${#cells[@]} checks)"
  # Builds the jars if the sources are newer (outside the timing), then checks the matrix.
  "$netprobe" validate "$matrix_file" >&2 || die "netprobe rejected the generated matrix"

  local c first=true
  for c in $CONTENDERS; do
    # A few seconds between contenders: the last one's processes exit and the machine settles
    # (right after the 20-JVM contenders netprobe measured ~0.4 s slower than on a quiet machine).
    $first || sleep 5
    first=false
    case $c in
      netprobe)
        if netprobe_has_run; then
          run_netprobe netprobe
        else
          log "'./netprobe run' is not in this build yet: netprobe's figure is pending"
        fi
        ;;
      daemon)
        if netprobe_has_run; then run_netprobe daemon; fi
        ;;
      floor) run_floor ;;
      fpnm) run_fpnm ;;
      jvms) run_jvms ;;
      xargs) run_baseline xargs "$XARGS_P" "xargs -P$XARGS_P ping/nc" ;;
      seq) run_baseline seq 1 "sequential ping/nc loop" ;;
      *) die "unknown contender '$c' in BENCH_CONTENDERS (valid: floor fpnm jvms netprobe daemon xargs seq)" ;;
    esac
  done
  report | tee "$out/results-$n.md"
}

main "$@"
