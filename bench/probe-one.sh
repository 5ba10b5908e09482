#!/usr/bin/env bash
# One check of the baselines, the way a shell loop (Mininet's pingall) does it: ping or nc run
# inside the source namespace with a 1 s timeout. The baselines may use these binaries because
# they are what netprobe is compared against; netprobe itself never runs them.
#
# Usage: probe-one.sh NETNS TARGET_IP PROBE EXPECT
#   PROBE is icmp or tcp:PORT, EXPECT pass or fail.
# Prints one line: NETNS TARGET_IP PROBE EXPECT OBSERVED (pass or fail).
set -uo pipefail

ns=$1 ip=$2 probe=$3 expect=$4

case $probe in
  icmp) ip netns exec "$ns" ping -n -q -c1 -W1 "$ip" >/dev/null 2>&1 ;;
  tcp:*) ip netns exec "$ns" nc.openbsd -z -n -w1 "$ip" "${probe#tcp:}" >/dev/null 2>&1 ;;
  *)
    echo "probe-one.sh: unknown probe '$probe' (valid: icmp, tcp:PORT)" >&2
    exit 2
    ;;
esac && observed=pass || observed=fail

echo "$ns $ip $probe $expect $observed"
