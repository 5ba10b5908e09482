#!/usr/bin/env bash
# netprobe agent benchmark: cold start to the first reply (hello), RSS idle and during 1,000
# concurrent TCP probes, and TCP probes per second over a veth pair between two namespaces
# created here (np-bench-a, np-bench-b; no route out of the machine; removed on exit).
# Needs root, the shaded jar (mvn -pl agent package) and python3 (the TCP server).
# Usage: agent/bench/agent-bench.sh [probes=1000] [runs=5]
#   AGENT_JAVA_OPTS="..."  JVM flags (default: the recommended set in agent/README.md)
#   AGENT_CDS=1            first build an AppCDS archive of the agent, then run with it
set -euo pipefail
PROBES=${1:-1000}
RUNS=${2:-5}
JAR=$(cd "$(dirname "$0")/.." && pwd)/target/netprobe-agent.jar
RECOMMENDED="-Xms8m -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
read -r -a JAVA_OPTS <<<"${AGENT_JAVA_OPTS:-$RECOMMENDED}"
A=np-bench-a
B=np-bench-b
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -q -pl agent package" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root (namespaces)" >&2; exit 2; }

cleanup() {
  for ns in $A $B; do
    for pid in $(ip netns pids $ns 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del $ns 2>/dev/null || true
  done
}
trap cleanup EXIT
cleanup
for ns in $A $B; do
  ip netns add $ns
  ip netns exec $ns ip link set lo up
  ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647" net.ipv4.icmp_ratelimit=0
done
ip link add npbencha netns $A type veth peer name npbenchb netns $B
ip netns exec $A ip addr add 10.79.0.1/24 dev npbencha
ip netns exec $B ip addr add 10.79.0.2/24 dev npbenchb
ip netns exec $A ip link set npbencha up
ip netns exec $B ip link set npbenchb up
ip netns exec $B python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.79.0.2", 5000)); s.listen(4096)
while True:
    c, _ = s.accept(); c.close()
' &
sleep 0.5

ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss() { awk '/^VmRSS/ {print int($2/1024)}' /proc/$1/status; }
hwm() { awk '/^VmHWM/ {print int($2/1024)}' /proc/$1/status; }
WORK=$(mktemp -d /tmp/np-bench-XXXXXX)
trap 'cleanup; rm -rf "$WORK"' EXIT

# Starts the agent in $A with stdin from a fifo (fd $IN) and stdout to $WORK/out; sets PID.
start_agent() {
  rm -f "$WORK/in" "$WORK/out"
  mkfifo "$WORK/in"
  ip netns exec $A java "${JAVA_OPTS[@]}" -jar "$JAR" --stdio <"$WORK/in" >"$WORK/out" &
  PID=$!
  exec {IN}>"$WORK/in"
}
# Waits until $WORK/out holds $1 lines.
await_lines() {
  while [ "$(wc -l <"$WORK/out")" -lt "$1" ]; do sleep 0.005; done
}
stop_agent() {
  exec {IN}>&-
  wait "$PID" || true
}

if [ "${AGENT_CDS:-0}" = 1 ]; then
  printf '%s\n' '{"id":1,"op":"hello"}' '{"id":2,"op":"facts"}' \
    '{"id":3,"op":"probe","args":{"type":"tcp","host":"127.0.0.1","port":1}}' |
    java "${JAVA_OPTS[@]}" -XX:ArchiveClassesAtExit="$WORK/agent.jsa" -jar "$JAR" --stdio \
      >/dev/null 2>&1
  JAVA_OPTS+=(-XX:SharedArchiveFile="$WORK/agent.jsa")
fi

echo "== cold start to hello reply (${RUNS} runs, ${JAVA_OPTS[*]})"
for i in $(seq "$RUNS"); do
  t0=$(ms)
  start_agent
  echo '{"id":1,"op":"hello"}' >&"$IN"
  await_lines 1
  t1=$(ms)
  sleep 1
  echo "run $i: hello after $((t1 - t0)) ms, idle RSS $(rss "$PID") MB"
  stop_agent
done

probe_run() { # $1 = port, $2 = label, $3 = expected status
  start_agent
  echo '{"id":0,"op":"hello"}' >&"$IN"
  # warm-up: the first probe starts the Netty event loop
  echo '{"id":0,"op":"probe","args":{"type":"tcp","host":"10.79.0.2","port":'"$1"'}}' >&"$IN"
  await_lines 2
  local before; before=$(rss "$PID")
  local t0; t0=$(ms)
  for i in $(seq "$PROBES"); do
    echo '{"id":'"$i"',"op":"probe","args":{"type":"tcp","host":"10.79.0.2","port":'"$1"',"timeoutMs":5000}}'
  done >&"$IN"
  await_lines $((PROBES + 2))
  local t1; t1=$(ms)
  local dt=$((t1 - t0))
  local ok; ok=$(grep -c '"status":"'"$3"'"' "$WORK/out" || true)
  echo "$2: $PROBES concurrent probes in ${dt} ms = $((PROBES * 1000 / (dt > 0 ? dt : 1))) probes/s," \
    "$ok $3; RSS before ${before} MB, peak (VmHWM) $(hwm "$PID") MB, after $(rss "$PID") MB"
  stop_agent
}

echo "== $PROBES concurrent TCP probes over veth"
probe_run 5000 "open port (handshake + close)" CONNECTED
probe_run 5001 "closed port (SYN, RST)" REFUSED
