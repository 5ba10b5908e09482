#!/usr/bin/env bash
# Does `netprobe watch` keep its memory flat over many rounds? A lab of its own (np-wm-c and
# np-wm-s, 10.240.0.0/16, routed unreachable in the root namespace while up), a matrix of 6 cells
# (ping, two served ports, a refused port, UDP, a port the firewall drops), a firewall rule that
# comes and goes every 10 s (so the watch keeps flipping, keeping evidence, writing events), and
# the watch run for ROUNDS rounds. Every 5 s: the rounds done, the JVM's RSS, and its heap in use
# right after a full collection (jcmd GC.run, then GC.heap_info): what the watch really keeps.
# Usage: bench/watch-memory.sh [ROUNDS] [EVERY]   (as root; default 1000 rounds, every 50ms)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS=${1:-1000}
EVERY=${2:-50ms}
OUT=bench/out/watch-memory
PORT=9479
log() { echo "watch-memory: $*" >&2; }

down() {
  [[ -n ${flapper:-} ]] && kill "$flapper" 2>/dev/null || true
  [[ -n ${watch_pid:-} ]] && kill "$watch_pid" 2>/dev/null || true
  for ns in np-wm-c np-wm-s; do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -n $pids ]] && kill $pids 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  ip route del unreachable 10.240.0.0/16 metric 4240 2>/dev/null || true
}
trap down EXIT
down

[[ -f probe-cli/target/netprobe.jar ]] || ./netprobe --version >/dev/null
ip route add unreachable 10.240.0.0/16 metric 4240
for ns in np-wm-c np-wm-s; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
done
ip -n np-wm-c link add eth0 type veth peer name eth0 netns np-wm-s
ip -n np-wm-c addr add 10.240.0.1/24 dev eth0 && ip -n np-wm-c link set eth0 up
ip -n np-wm-s addr add 10.240.0.2/24 dev eth0 && ip -n np-wm-s link set eth0 up
for p in 8080 8081; do
  ip netns exec np-wm-s setsid socat TCP-LISTEN:$p,fork,reuseaddr SYSTEM:true </dev/null \
    >/dev/null 2>&1 &
done
ip netns exec np-wm-s setsid socat UDP-RECVFROM:5353,fork,reuseaddr SYSTEM:'echo pong' \
  </dev/null >/dev/null 2>&1 &
ip netns exec np-wm-s iptables -A INPUT -p tcp --dport 9000 -j DROP

mkdir -p "$OUT"
rm -rf "$OUT/watch"
cat >"$OUT/watch.yaml" <<'YAML'
name: watch memory bench
defaults: { timeout: 300ms, retries: 0 }
nodes:
  c: { kind: netns, netns: np-wm-c, addresses: { lan: 10.240.0.1 } }
  s: { kind: netns, netns: np-wm-s, addresses: { lan: 10.240.0.2 } }
checks:
  - { from: c, to: s, probe: icmp, expect: pass, title: "ping (dropped every other 10 s)" }
  - { from: c, to: s, probe: "tcp:8080", expect: pass }
  - { from: c, to: s, probe: "tcp:8081", expect: pass }
  - { from: c, to: s, probe: "tcp:8082", expect: refused }
  - { from: c, to: s, probe: "udp:5353", expect: pass }
  - { from: c, to: s, probe: "tcp:9000", expect: dropped-at-target }
YAML

java -jar probe-cli/target/netprobe.jar watch "$OUT/watch.yaml" --every "$EVERY" \
  --rounds "$ROUNDS" --listen "127.0.0.1:$PORT" --out "$OUT/watch" 2>"$OUT/watch.log" &
watch_pid=$!
( while sleep 10; do
    ip netns exec np-wm-s iptables -I INPUT -p icmp --icmp-type echo-request -j DROP
    sleep 10
    ip netns exec np-wm-s iptables -D INPUT -p icmp --icmp-type echo-request -j DROP
  done ) &
flapper=$!

printf '| seconds | rounds | flips | RSS (MB) | heap after full GC (MB) |\n| ---: | ---: | ---: | ---: | ---: |\n' \
  | tee "$OUT/samples.md"
start=$EPOCHSECONDS
while kill -0 "$watch_pid" 2>/dev/null; do
  sleep 5
  kill -0 "$watch_pid" 2>/dev/null || break
  metrics=$(curl -s "127.0.0.1:$PORT/metrics" || true)
  rounds=$(awk '/^netprobe_rounds_total/ {print $2}' <<<"$metrics")
  flips=$(awk '/^netprobe_cell_flips_total/ {s += $NF} END {print s + 0}' <<<"$metrics")
  rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$watch_pid/status" 2>/dev/null || echo -)
  jcmd "$watch_pid" GC.run >/dev/null 2>&1 || true
  heap=$(jcmd "$watch_pid" GC.heap_info 2>/dev/null |
    awk '/garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub("K,?", "", v); printf "%.1f", v / 1024 } }')
  printf '| %d | %s | %s | %s | %s |\n' $((EPOCHSECONDS - start)) "${rounds:--}" "$flips" "$rss" \
    "${heap:--}" | tee -a "$OUT/samples.md"
done
wait "$watch_pid" || true
log "done: $(wc -l <"$OUT/watch/events.jsonl") events, $(find "$OUT/watch/flips" -name '*.pcap' | wc -l) pcaps kept; samples in $OUT/samples.md"
