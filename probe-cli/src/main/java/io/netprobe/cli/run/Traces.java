package io.netprobe.cli.run;

import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.trace.Hop;
import io.netprobe.agent.trace.TraceResult;
import io.netprobe.matrix.Check;
import io.netprobe.report.model.PathHop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Path traces of the flows lost on the way: the same protocol, addresses and ports as the failed
 * probe, every TTL at once from the source's agent (Paris-traceroute style, so ECMP keeps the
 * path), all cells at once, so traces cost one more timeout per run at most (a second at most).
 * Asked only for cells that nothing else explains: no answer, nothing arrived at the target (or no
 * capture there), the request did leave the source, and no rule's counter took it.
 */
final class Traces {
  /** At most this many traces per run: each sends up to {@link #MAX_HOPS} packets. */
  static final int MAX_PER_RUN = 64;

  static final int MAX_HOPS = 16;

  /** How long a trace waits for its hops' answers at most. */
  static final long MAX_WAIT_MS = 1_000;

  private static final long GRACE_MS = 5_000;

  private Traces() {}

  /** Starts a trace of each check's flow from its source's agent. */
  static Map<Check, CompletableFuture<TraceResult>> start(
      Map<String, AgentCalls> agents, Map<Check, ProbeResult> lost) {
    Map<Check, CompletableFuture<TraceResult>> out = new LinkedHashMap<>();
    for (var e : lost.entrySet()) {
      if (out.size() >= MAX_PER_RUN) {
        break;
      }
      Check check = e.getKey();
      ProbeResult r = e.getValue();
      AgentCalls agent = agents.get(check.from());
      String ip = io.netprobe.cli.explain.Observation.targetIp(check, r);
      if (agent == null || !ip.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
        continue;
      }
      ProbeSpec wire = check.wireProbe();
      Map<String, Object> args = new LinkedHashMap<>();
      args.put("type", wire.transport().name().toLowerCase(Locale.ROOT));
      args.put("host", ip);
      if (wire.port() > 0) {
        args.put("port", wire.port());
        if (r.sourcePort() != null) {
          args.put("sourcePort", r.sourcePort());
        }
      }
      args.put("maxHops", MAX_HOPS);
      // routers answer a trace within their round trip: a second is plenty even where the
      // check itself waits longer for a slow service
      args.put("timeoutMs", (int) Math.min(check.timeout().toMillis(), MAX_WAIT_MS));
      args.put("mark", r.mark() == null ? check.id() : r.mark() + "t");
      out.put(
          check,
          agent
              .call("trace", args)
              .orTimeout(check.timeout().toMillis() + GRACE_MS, TimeUnit.MILLISECONDS)
              .thenApply(json -> RunEngine.read(json, TraceResult.class))
              .exceptionally(err -> null));
    }
    return out;
  }

  /**
   * The hops of a trace as a report shows them, each named after the node that owns its address;
   * empty when the trace could not run. Hops after the first silent one are left out.
   */
  static List<PathHop> hops(TraceResult t, Map<String, String> owners) {
    if (t == null || t.unavailable() != null || t.hops().isEmpty()) {
      return List.of();
    }
    List<PathHop> out = new ArrayList<>();
    for (Hop h : t.hops()) {
      out.add(
          new PathHop(
              h.ttl(),
              h.from(),
              h.from() == null ? null : owners.get(h.from()),
              h.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
              h.detail(),
              h.rttMs()));
      if (h.from() == null && (t.firstSilent() == null || h.ttl() >= t.firstSilent())) {
        break;
      }
    }
    return out;
  }
}
