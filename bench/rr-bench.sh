#!/usr/bin/env bash
# bench/rr-bench.sh: netprobe's rr and bulk probes against sockperf ping-pong and iperf3 on the
# same paths, side by side and alternating; the probe's own CPU; what measuring does to the other
# cells of a run. As root. bench/README.md ("rr-bench") says what it builds and what it found.
#
#   bench/rr-bench.sh              # NP_ROUNDS (5) rounds of every pair, 1 s each
#   bench/rr-bench.sh --up         # only build the lab (np-rb-a, np-rb-b, np-rb-sw), to explore
#   bench/rr-bench.sh --down       # remove it, or what a killed run left
#
# sockperf, iperf3 and tcpdump are Debian packages; this script installs them when missing
# (apt-get), and nothing else does: netprobe itself never needs them.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out=$here/out/rr
rounds=${NP_ROUNDS:-5}
dur=${NP_DURATION:-1}
A=np-rb-a B=np-rb-b SW=np-rb-sw
RANGE=10.249.0.0/16 METRIC=4248
PATHS=(veth bridge tbf)
declare -A IP=([veth]=10.249.20.2 [bridge]=10.249.21.2 [tbf]=10.249.22.2)

log() { printf '%s rr-bench: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

down() {
  local ns pids
  for ns in $A $B $SW; do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -n $pids ]] && kill $pids 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  ip route del unreachable "$RANGE" metric "$METRIC" 2>/dev/null || true
}

if [[ ${1:-} == --down ]]; then
  down
  exit 0
fi
[[ $(id -u) == 0 ]] || { echo "rr-bench: run as root (namespaces, tc)" >&2; exit 2; }

install_tools() {
  command -v sockperf >/dev/null && command -v iperf3 >/dev/null && command -v tcpdump >/dev/null &&
    return 0
  log "installing sockperf, iperf3 and tcpdump (Debian packages, for this bench only)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q sockperf iperf3 tcpdump >/dev/null
}

# a <-> b three ways: a veth pair; two veths into a Linux bridge in np-rb-sw; a veth pair whose
# both ends send through a token bucket (50 Mbit/s; this kernel has no netem).
up() {
  down
  ip route add unreachable "$RANGE" metric "$METRIC"
  ip netns add $A
  ip netns add $B
  ip netns add $SW
  ip -n $A link add eth0 type veth peer name eth0 netns $B
  ip -n $A link add eth2 type veth peer name eth2 netns $B
  ip -n $SW link add br0 type bridge
  ip -n $SW link add pa type veth peer name eth1 netns $A
  ip -n $SW link add pb type veth peer name eth1 netns $B
  ip -n $SW link set pa master br0
  ip -n $SW link set pb master br0
  for l in br0 pa pb lo; do ip -n $SW link set $l up; done
  local ns n i
  for ns in $A $B; do
    [[ $ns == "$A" ]] && n=1 || n=2
    for i in 0 1 2; do
      ip -n $ns addr add 10.249.2$i.$n/24 dev eth$i
      ip -n $ns link set eth$i up
    done
    ip -n $ns link set lo up
    ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647"
    ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec $ns tc qdisc add dev eth2 root tbf rate 50mbit burst 64kb latency 50ms
  done
}

matrix() { # matrix FILE DURATION: the measuring checks of every path
  local f=$1 d=$2 p
  {
    echo "name: rr-bench"
    echo "defaults: { timeout: 1s, retries: 0 }"
    echo "nodes:"
    echo "  a: { kind: netns, netns: $A, addresses: { veth: 10.249.20.1, bridge: 10.249.21.1, tbf: 10.249.22.1 } }"
    echo "  b: { kind: netns, netns: $B, addresses: { veth: 10.249.20.2, bridge: 10.249.21.2, tbf: 10.249.22.2 } }"
    echo "checks:"
    for p in "${PATHS[@]}"; do
      echo "  - { from: a, to: b.$p, probe: rr:tcp:5001, expect: pass, duration: ${d}s }"
      echo "  - { from: a, to: b.$p, probe: rr:udp:5001, expect: pass, duration: ${d}s }"
      echo "  - { from: a, to: b.$p, probe: bulk:tcp:5002, expect: pass, duration: ${d}s }"
    done
  } >"$f"
}

reach_checks() { # the reachability cells of the interference run
  local p
  for p in "${PATHS[@]}"; do
    echo "  - { from: a, to: b.$p, probe: icmp, expect: pass }"
    echo "  - { from: b, to: a.$p, probe: icmp, expect: pass }"
    echo "  - { from: a, to: b.$p, probe: tcp:7, expect: refused }"
    echo "  - { from: b, to: a.$p, probe: tcp:7, expect: refused }"
  done
}

# cpu FILE CMD...: runs CMD, appends "wall user sys" of it (and its children) to FILE
cpu() {
  local f=$1
  shift
  /usr/bin/time -f '%e %U %S' -a -o "$f" "$@"
}

# netprobe ID DURATION: one check of the matrix; prints "kind tps p50ms bps" from run.json
netprobe_one() {
  local id=$1 d=$2 dir=$out/np
  rm -rf "$dir"
  cpu "$out/cpu-netprobe-$d-${id//[^a-z0-9]/_}.txt" \
    "$root/netprobe" run "$out/m-$d.yaml" --only="$id" --format=json --out="$dir" --no-progress \
    >/dev/null || true
  python3 - "$dir/run.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1])).get("paths", [])
if not p:
    print("none 0 0 0")
else:
    p = p[0]
    print(p["kind"], p.get("tps") or 0, p.get("p50Ms") or 0, p.get("bitsPerSecond") or 0)
PY
}

# sockperf PROTO PATH DURATION: prints "tps p50ms" (full round trips)
sockperf_one() {
  local proto=$1 path=$2 d=$3 ip=${IP[$2]} flag="" spid f
  [[ $proto == tcp ]] && flag=--tcp
  f=$out/cpu-sockperf-$d-$proto-$path.txt
  ip netns exec $B /usr/bin/time -f '%e %U %S' -a -o "$f.srv" \
    sockperf server -i "$ip" -p 5101 $flag >/dev/null 2>&1 &
  local tpid=$!
  sleep 0.3
  cpu "$f" ip netns exec $A sockperf ping-pong -i "$ip" -p 5101 $flag -m 64 -t "$d" --full-rtt \
    >"$out/sockperf.txt" 2>&1 || true
  spid=$(pgrep -P "$tpid" || true)
  [[ -n $spid ]] && kill -INT "$spid"
  wait "$tpid" 2>/dev/null || true
  python3 - "$out/sockperf.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
run = re.search(r"RunTime=([\d.]+) sec; SentMessages=(\d+); ReceivedMessages=(\d+)", t)
p50 = re.search(r"percentile 50\.000 =\s+([\d.]+)", t)
if not run or not p50:
    print("0 0")
else:
    print(round(int(run.group(3)) / float(run.group(1)), 1), float(p50.group(1)) / 1000)
PY
}

# iperf3 PATH DURATION: prints the bits per second the server received
iperf3_one() {
  local path=$1 d=$2 ip=${IP[$1]} f=$out/cpu-iperf3-$2-$1.txt
  ip netns exec $B /usr/bin/time -f '%e %U %S' -a -o "$f.srv" \
    iperf3 -s -1 -B "$ip" -p 5201 >/dev/null 2>&1 &
  local tpid=$!
  sleep 0.3
  cpu "$f" ip netns exec $A iperf3 -c "$ip" -p 5201 -t "$d" -J >"$out/iperf3.json" 2>&1 || true
  wait "$tpid" 2>/dev/null || true
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"])' \
    "$out/iperf3.json" 2>/dev/null || echo 0
}

compare() { # alternating pairs, order flipped every round
  local r p kind first port
  : >"$out/pairs.txt"
  for ((r = 1; r <= rounds; r++)); do
    for p in "${PATHS[@]}"; do
      for kind in rr:tcp rr:udp bulk:tcp; do
        for first in 0 1; do
          if (((r + first) % 2 == 0)); then
            port=5001
            [[ $kind == bulk:tcp ]] && port=5002
            echo "$r $p $kind netprobe $(netprobe_one "a->b.$p $kind:$port" "$dur")"
          else
            case $kind in
              rr:tcp) echo "$r $p $kind sockperf x $(sockperf_one tcp "$p" "$dur") 0" ;;
              rr:udp) echo "$r $p $kind sockperf x $(sockperf_one udp "$p" "$dur") 0" ;;
              bulk:tcp) echo "$r $p $kind iperf3 x 0 0 $(iperf3_one "$p" "$dur")" ;;
            esac
          fi
        done
      done
    done | tee -a "$out/pairs.txt" >&2
    log "round $r of $rounds done"
  done
}

# CPU: the same measurement for 1 s and for 3 s, three times each; the difference is the cost of
# measuring, the rest the start-up
cost() {
  local d i
  for d in 1 3; do
    for i in 1 2 3; do
      netprobe_one "a->b.veth rr:tcp:5001" "$d" >/dev/null
      sockperf_one tcp veth "$d" >/dev/null
      netprobe_one "a->b.veth bulk:tcp:5002" "$d" >/dev/null
      iperf3_one veth "$d" >/dev/null
    done
  done
}

# What measuring does to the other cells: the reachability cells alone, then with the measuring
# cells of every path in the same run (0.5 s each), alternating; a capture in b dates every
# request and every measurement's first packet.
interference() {
  local r f
  {
    head -n 6 "$out/m-$dur.yaml"
    reach_checks
  } >"$out/reach.yaml"
  {
    cat "$out/reach.yaml"
    tail -n +7 "$out/m-0.5.yaml"
  } >"$out/mixed.yaml"
  "$root/netprobe" validate "$out/reach.yaml" "$out/mixed.yaml" >/dev/null
  for ((r = 1; r <= rounds; r++)); do
    for f in reach mixed; do
      rm -rf "$out/$f-$r"
      ip netns exec $B tcpdump -i any -nn -tt -l -Q in \
        'icmp[icmptype] = icmp-echo or (tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack = 0)' \
        >"$out/$f-$r.pkts" 2>/dev/null &
      local dump=$!
      sleep 0.5
      cpu "$out/cpu-$f.txt" "$root/netprobe" run "$out/$f.yaml" --format=json \
        --out="$out/$f-$r" --no-progress >/dev/null || true
      sleep 0.2
      kill "$dump"
      wait "$dump" 2>/dev/null || true
    done
  done
}

if [[ ${1:-} == --up ]]; then
  install_tools
  up
  log "lab up: $A, $B, $SW (10.249.20-22.0/24); bench/rr-bench.sh --down removes it"
  exit 0
fi
trap 'down; log "interrupted: lab removed"; exit 130' INT TERM
trap down EXIT
mkdir -p "$out"
install_tools
(cd "$root" && [[ -f probe-cli/target/netprobe.jar ]]) || {
  echo "rr-bench: build netprobe first (mvn -q install -DskipTests)" >&2
  exit 2
}
up
log "lab up: $A, $B, $SW; paths ${PATHS[*]}"
matrix "$out/m-$dur.yaml" "$dur"
matrix "$out/m-3.yaml" 3
matrix "$out/m-1.yaml" 1
matrix "$out/m-0.5.yaml" 0.5
rm -f "$out"/cpu-*.txt*
compare
cost
interference
python3 "$here/rr-bench-report.py" "$out" "$rounds"
