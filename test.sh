#!/usr/bin/env bash
# The whole test suite: unit tests (*Test) and the lab tests (*IT) against the real demo lab
# (network namespaces, OpenSSH sshd, dockerd, iptables). Needs root on Linux; installs what it
# needs (scripts/setup) and takes the lab down at the end, whatever happened.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

scripts/setup --quiet

lab_down() {
  if [[ -f probe-cli/target/netprobe.jar ]]; then
    java -jar probe-cli/target/netprobe.jar lab down >/dev/null 2>&1 || true
  else # the build broke before the CLI existed: the same, from the sources
    docker rm -f np-ct1 np-ct2 np-front np-back np-db np-cache np-worker >/dev/null 2>&1 || true
    docker network rm np-compose >/dev/null 2>&1 || true
    bash probe-cli/src/main/resources/io/netprobe/cli/lab/demo-lab.sh down >/dev/null 2>&1 || true
  fi
  # the fault lab too, should a test have died with it up (FaultsIT takes it down itself)
  bash probe-cli/src/main/resources/io/netprobe/cli/lab/faults-lab.sh down >/dev/null 2>&1 || true
}
trap lab_down EXIT

# The namespaces of the lab first (no build needed: the script alone), so that the agent module's
# lab tests, which run before the CLI that owns the lab exists, have it; the CLI's tests add the
# containers and take the lab down and up as they need.
bash probe-cli/src/main/resources/io/netprobe/cli/lab/demo-lab.sh up >/dev/null

mvn -B -ntp verify -Plab "$@"
