"""The figures of bench/rr-bench.sh, from what it left in OUT: medians of every pair, the ratios,
the CPU, and what measuring did to the reachability cells. Prints Markdown tables."""
import glob
import json
import os
import re
import statistics
import sys

out, rounds = sys.argv[1], int(sys.argv[2])
med = statistics.median


def rows():
    for line in open(os.path.join(out, "pairs.txt")):
        f = line.split()
        if len(f) == 8:
            yield f[0], f[1], f[2], f[3], float(f[5]), float(f[6]), float(f[7])


data = {}
rounds_of = {}
for r, path, kind, who, tps, p50, bps in rows():
    data.setdefault((path, kind, who), []).append((tps, p50, bps))
    rounds_of.setdefault((path, kind, r), {})[who] = (tps, p50, bps)


# A round trip of more than 60 us on these paths is another process holding the core (the
# machine's other load comes and goes by the second): a pair with such a run is not a comparison.
QUIET_MS = 0.060


def ratios(path, kind, ref, i, quiet=False):
    """netprobe's figure over the reference's, pair by pair (the two ran one after the other)"""
    out = []
    for (p, k, r), got in rounds_of.items():
        if p == path and k == kind and "netprobe" in got and ref in got and got[ref][i] > 0:
            if quiet and max(got["netprobe"][1], got[ref][1]) > QUIET_MS:
                continue
            out.append(got["netprobe"][i] / got[ref][i])
    return sorted(out)


def span(xs):
    return f"{med(xs):.2f} ({xs[0]:.2f}-{xs[-1]:.2f}, {len(xs)})" if xs else "-"

print(f"### netprobe against sockperf and iperf3 ({rounds} alternating rounds)\n")
print("Medians of the rounds; a ratio is netprobe's figure over the reference's in the same round")
print("(the two ran one after the other), median and range of the rounds.\n")
print("The quiet pairs are those in which neither run's p50 passed 60 us (a slower one had the")
print("machine's other load on its core; bulk has no p50: all its pairs count).\n")
print("| path | probe | netprobe | reference | ratio | quiet pairs | netprobe p50 | reference p50 | ratio | quiet pairs |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for path in ("veth", "bridge", "tbf"):
    for kind, ref in (("rr:tcp", "sockperf"), ("rr:udp", "sockperf"), ("bulk:tcp", "iperf3")):
        n = data.get((path, kind, "netprobe"), [])
        s = data.get((path, kind, ref), [])
        if not n or not s:
            continue
        if kind.startswith("rr"):
            nt, st = med(x[0] for x in n), med(x[0] for x in s)
            np50, sp50 = med(x[1] for x in n), med(x[1] for x in s)
            print(
                f"| {path} | {kind} vs {ref} ping-pong | {nt:,.0f}/s | {st:,.0f}/s |"
                f" {span(ratios(path, kind, ref, 0))} | {span(ratios(path, kind, ref, 0, True))} |"
                f" {np50 * 1000:.1f} us | {sp50 * 1000:.1f} us | {span(ratios(path, kind, ref, 1))} |"
                f" {span(ratios(path, kind, ref, 1, True))} |"
            )
        else:
            nb, sb = med(x[2] for x in n), med(x[2] for x in s)
            print(
                f"| {path} | {kind} vs {ref} | {nb / 1e6:,.1f} Mbit/s | {sb / 1e6:,.1f} Mbit/s |"
                f" {span(ratios(path, kind, ref, 2))} | | | | | |"
            )
print()
print("Every run (tps, p50 ms, bits/s):\n")
for key in sorted(data):
    print(f"- {' '.join(key)}: " + "; ".join(f"{t:.0f} {p:.4f} {b:.3g}" for t, p, b in data[key]))


def cpu(pattern):
    """median wall, user+sys of the runs whose files match"""
    walls, cpus = [], []
    for f in glob.glob(os.path.join(out, pattern)):
        for line in open(f):
            x = line.split()
            if len(x) == 3 and re.match(r"^[\d.]+$", x[0]):
                walls.append(float(x[0]))
                cpus.append(float(x[1]) + float(x[2]))
    return (med(walls), med(cpus), len(cpus)) if cpus else (0, 0, 0)


print("\n### CPU-seconds of one measurement on the veth (median; client and server)\n")
print("| contender | 1 s: wall | 1 s: CPU | 3 s: wall | 3 s: CPU | CPU per second measured |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for name, pats in (
    ("netprobe rr:tcp (one JVM: both agents)", ["cpu-netprobe-{d}-a__b_veth_rr_tcp_5001.txt"]),
    ("sockperf ping-pong --tcp", ["cpu-sockperf-{d}-tcp-veth.txt", "cpu-sockperf-{d}-tcp-veth.txt.srv"]),
    ("netprobe bulk:tcp (one JVM: both agents)", ["cpu-netprobe-{d}-a__b_veth_bulk_tcp_5002.txt"]),
    ("iperf3 -c / -s", ["cpu-iperf3-{d}-veth.txt", "cpu-iperf3-{d}-veth.txt.srv"]),
):
    got = {}
    for d in (1, 3):
        parts = [cpu(p.format(d=d)) for p in pats]
        got[d] = (parts[0][0], sum(p[1] for p in parts))
    slope = (got[3][1] - got[1][1]) / 2
    print(
        f"| {name} | {got[1][0]:.2f} s | {got[1][1]:.2f} s | {got[3][0]:.2f} s |"
        f" {got[3][1]:.2f} s | {slope:.2f} |"
    )

print("\n### The reachability cells alone and with the measuring cells in the same run\n")
cells = {}
order = []
for kind in ("reach", "mixed"):
    for r in range(1, rounds + 1):
        f = os.path.join(out, f"{kind}-{r}", "run.json")
        if not os.path.exists(f):
            continue
        run = json.load(open(f))
        for c in run["checks"]:
            if c.get("layer") == "fact":
                continue
            key = c["id"]
            cells.setdefault(key, {}).setdefault(kind, []).append((c["outcome"], c["elapsedMs"]))
            if key not in order:
                order.append(key)
print("| cell | alone: outcomes | alone: median ms | with measuring: outcomes | with measuring: median ms |")
print("| --- | --- | ---: | --- | ---: |")
for key in order:
    a = cells[key].get("reach", [])
    m = cells[key].get("mixed", [])
    fmt = lambda xs: ",".join(sorted(set(o for o, _ in xs))) + f" ({len(xs)})" if xs else "-"
    ms = lambda xs: f"{med(e for _, e in xs):.1f}" if xs else "-"
    print(f"| {key} | {fmt(a)} | {ms(a)} | {fmt(m)} | {ms(m)} |")

print("\n### When, in the mixed runs: the last reachability request and the first measurement (b's capture)\n")
for r in range(1, rounds + 1):
    f = os.path.join(out, f"mixed-{r}.pkts")
    if not os.path.exists(f):
        continue
    last_reach, first_measure = None, None
    for line in open(f):
        m = re.match(r"^(\d+\.\d+) .*? > [\d.]+\.(\d+):", line)
        t = float(line.split()[0]) if re.match(r"^\d+\.\d+ ", line) else None
        if t is None:
            continue
        port = int(m.group(2)) if m else None
        if port in (5001, 5002):
            first_measure = first_measure or t
        elif first_measure is None:
            last_reach = t
        else:
            print(f"- run {r}: a reachability request at {t:.6f} after the first measurement!")
    if last_reach and first_measure:
        print(
            f"- run {r}: last reachability request {last_reach:.6f}, first measuring SYN"
            f" {first_measure:.6f}: {1000 * (first_measure - last_reach):.0f} ms later"
        )
for kind in ("reach", "mixed"):
    w, c, n = cpu(f"cpu-{kind}.txt")
    print(f"\n{kind}: median wall {w:.2f} s, CPU {c:.2f} s over {n} runs")
