# shellcheck shell=bash
# What the benchmarks share (sourced by mesh-bench.sh and grade-bench.sh): memory sampling and
# the kernel's neighbour-table limits. Each caller defines log().

# sample_tree_rss TOP FILE [SECONDS]: the peak of the summed RSS (KB) of process TOP and all its
# descendants (netprobe's agents are its children), sampled every SECONDS (0.5) until TOP
# exits, written to FILE. A process of more than 32 MB counts with its own peak (VmHWM: the
# kernel's high-water mark, so a single JVM's peak is exact however seldom it is sampled); the
# sum counts shared pages (libjvm, the JDK's class data) once per process, so it is an upper
# bound of the real footprint. Not counted: a child of a JVM with nearly the JVM's RSS. The JDK
# starts a command (iptables-save) with posix_spawn, whose child runs in the JVM's memory until
# its exec (named after the JVM thread that spawned it, "np-worker-4"); it shows the JVM's whole
# RSS, and a 100-namespace run, which reads 100 namespaces' rules at once on 2 cores, summed to
# 2-6 GB with a dozen such children at a time.
# One awk a sample reads /proc, and the sampler sleeps in read -t: the sampler it replaced ran ps
# and awk ten times a second, 38% of a core on this machine, which the measured run paid for (a
# sixth of a graded class's wall time); this one 2%.
sample_tree_rss() {
  local top=$1 file=$2 every=${3:-0.5} peak=0 kb fd
  exec {fd}<> <(:)
  while kill -0 "$top" 2>/dev/null; do
    kb=$(awk -v top="$top" -v page_kb="$(($(getconf PAGESIZE) / 1024))" '
      BEGIN {
        for (i = 1; i < ARGC; i++) {
          f = ARGV[i]
          if ((getline line < f) > 0) {
            pid = line; sub(/ .*/, "", pid)
            c = line; sub(/^[^(]*\(/, "", c); sub(/\)[^)]*$/, "", c)
            rest = line; sub(/^.*\) /, "", rest); split(rest, field, " ")
            parent[pid] = field[2]; rss[pid] = field[22] * page_kb; comm[pid] = c
          }
          close(f)
        }
        for (p in parent) {
          q = parent[p]
          if (p != top && comm[q] == "java" && rss[p] > 10000 && rss[p] * 100 >= rss[q] * 90) continue
          for (q = p; q in parent; q = parent[q]) if (q == top) {
            kb = rss[p]
            if (kb > 32768) {
              s = "/proc/" p "/status"
              while ((getline line < s) > 0) if (line ~ /^VmHWM:/) { split(line, h, " "); kb = h[2]; break }
              close(s)
            }
            sum += kb
            break
          }
        }
        print sum + 0
      }' /proc/[0-9]*/stat)
    ((kb > peak)) && peak=$kb
    read -r -t "$every" -u "$fd" _ || true
  done
  exec {fd}>&-
  echo "$peak" >"$file"
}

# The kernel's neighbour (ARP) table is one for all namespaces; past gc_thresh3 (1,024 by
# default) sends fail with ENOBUFS and routers drop what they forward.
readonly NEIGH=net.ipv4.neigh.default

# raise_neighbour_limits NEED SAVED WHAT: raises the three thresholds to NEED/4, NEED/2, NEED
# when gc_thresh3 is below NEED, keeping the old values in the file SAVED (once: a killed run's
# file is the machine's own values); WHAT says what needs the room. BENCH_NEIGH=keep: left as is.
raise_neighbour_limits() {
  local need=$1 saved=$2 what=$3
  ((need > $(sysctl -n "$NEIGH.gc_thresh3"))) || return 0
  if [[ ${BENCH_NEIGH:-raise} == keep ]]; then
    log "BENCH_NEIGH=keep: the ARP table's limits stay at $(sysctl -n "$NEIGH.gc_thresh3") for $what (overflow expected)"
    return 0
  fi
  [[ -f $saved ]] || sysctl -n "$NEIGH.gc_thresh1" "$NEIGH.gc_thresh2" "$NEIGH.gc_thresh3" |
    xargs >"$saved"
  log "raising the ARP table's limits to $need entries (from $(cat "$saved"); restored at the end)"
  sysctl -qw "$NEIGH.gc_thresh1=$((need / 4))" "$NEIGH.gc_thresh2=$((need / 2))" \
    "$NEIGH.gc_thresh3=$need"
}

# restore_neighbour_limits SAVED: the values raise_neighbour_limits kept, back, and the file gone.
restore_neighbour_limits() {
  local saved=$1 t1 t2 t3
  [[ -f $saved ]] || return 0
  read -r t1 t2 t3 <"$saved"
  sysctl -qw "$NEIGH.gc_thresh1=$t1" "$NEIGH.gc_thresh2=$t2" "$NEIGH.gc_thresh3=$t3" &&
    rm -f "$saved"
}
