#!/usr/bin/env bash
# The expert's script of issue 14, the contender to beat: for every source namespace at once,
# fping for the echoes and an nmap SYN scan for the TCP ports, one process each per source.
#
#   bench/fping-nmap.sh run CHECKS PORTS DIR    probe (the timed part); raw output to DIR
#   bench/fping-nmap.sh judge CHECKS DIR        one line per check: NETNS IP PROBE EXPECT GOT
#
# CHECKS is mesh-bench's list ("NETNS TARGET_IP PROBE EXPECT"), PORTS "8001,8002". fping -a
# lists the targets that answered; nmap's grepable output says open/closed/filtered per port.
# Neither explains a cell; judging only reads their output back, untimed.
set -uo pipefail

mode=${1:-}
case $mode in
  run)
    checks=$2 ports=$3 dir=$4
    mkdir -p "$dir"
    for src in $(awk '{ print $1 }' "$checks" | sort -u); do
      mapfile -t targets < <(awk -v s="$src" '$1 == s { print $2 }' "$checks" | sort -u)
      ip netns exec "$src" fping -q -r0 -t1000 -a "${targets[@]}" >"$dir/$src.fping" 2>/dev/null &
      ip netns exec "$src" nmap -n -Pn -sS "-p$ports" --max-retries 0 --host-timeout 3s \
        --max-rtt-timeout 1000ms -oG - "${targets[@]}" >"$dir/$src.nmap" 2>/dev/null &
    done
    wait
    ;;
  judge)
    checks=$2 dir=$3
    # one pass in awk (a bash loop with two greps per check took minutes at 29,700 checks): a
    # source's fping lines are the targets that answered; its nmap "Host: IP ... Ports:" line
    # lists "PORT/open/..." for each open port
    awk -v dir="$dir" '
      function load(ns,   f, line, n, i, w, ip, pp) {
        if (ns in loaded) return
        loaded[ns] = 1
        f = dir "/" ns ".fping"
        while ((getline line < f) > 0) alive[ns SUBSEP line] = 1
        close(f)
        f = dir "/" ns ".nmap"
        while ((getline line < f) > 0) {
          if (line !~ /^Host: / || line !~ /Ports:/) continue
          n = split(line, w, /[ ,\t]+/)
          ip = w[2]
          for (i = 3; i <= n; i++)
            if (w[i] ~ /^[0-9]+\/open\//) { split(w[i], pp, "/"); open[ns SUBSEP ip SUBSEP pp[1]] = 1 }
        }
        close(f)
      }
      {
        load($1)
        got = "fail"
        if ($3 == "icmp" && (($1 SUBSEP $2) in alive)) got = "pass"
        if ($3 ~ /^tcp:/ && (($1 SUBSEP $2 SUBSEP substr($3, 5)) in open)) got = "pass"
        print $1, $2, $3, $4, got
      }' "$checks"
    ;;
  *)
    sed -n '5,6s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
    ;;
esac
