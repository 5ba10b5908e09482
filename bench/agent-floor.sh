#!/usr/bin/env bash
# The floor under netprobe's wall time: one agent JVM per namespace, all started at once, each
# answering `hello` and exiting at the end of its input. No probe, no capture. Same JVM flags
# as the connectors (probe-cli ConnectOptions.jvmArgs) and an AppCDS archive, as netprobe uses
# once it has trained one.
#
# Usage: agent-floor.sh AGENT_JAR CDS_ARCHIVE NETNS...
# Prints one line per agent: NETNS ok|failed
set -uo pipefail

jar=$1 jsa=$2
shift 2
readonly HELLO='{"id":1,"op":"hello","args":{}}'

hello() {
  local reply
  reply=$(echo "$HELLO" | timeout 30 ip netns exec "$1" java -Xms8m -Xmx32m -XX:+UseSerialGC \
    -XX:TieredStopAtLevel=1 "-XX:SharedArchiveFile=$jsa" -jar "$jar" --stdio 2>/dev/null)
  if [[ $reply == *'"ok":true'* ]]; then echo "$1 ok"; else echo "$1 failed"; fi
}

for ns in "$@"; do hello "$ns" & done
wait
