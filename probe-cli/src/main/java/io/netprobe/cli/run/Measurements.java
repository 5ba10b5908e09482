package io.netprobe.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.agent.listen.TempListener;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.explain.Observation;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The measuring cells ({@code rr} and {@code bulk} probes), after the reachability cells and one at
 * a time, so that no measurement shares the machine, the path or the agents with another probe. For
 * each: the target's agent opens a responder on the check's port ({@code listen.start} with {@code
 * mode: echo} for rr, {@code mode: discard} for bulk), the source's agent runs its transactions or
 * writes its stream, the responder is stopped and what it saw (the address the probe came from,
 * after any NAT; for bulk the bytes it read and when, which is the cell's figure) joins the result.
 * A target without an agent cannot answer them: that cell is not run, and says why.
 */
final class Measurements {
  /** How long a responder may wait for its transactions beyond their duration and timeout. */
  private static final long RESPONDER_SLACK_MS = 30_000;

  /**
   * How long a responder's port may stay in use before the cell gives up: 5 s and 4 times the
   * measurement's duration (turns of a few concurrent runs' measurements of the same port).
   */
  private static final long BUSY_BASE_MS = 5_000;

  private static final int BUSY_PER_DURATION = 4;

  private final Map<String, AgentCalls> agents;
  private final UnaryOperator<String> env;
  private final RunListener listener;

  Measurements(Map<String, AgentCalls> agents, UnaryOperator<String> env, RunListener listener) {
    this.agents = agents;
    this.env = env;
    this.listener = listener;
  }

  /** True for a check that measures a path rather than checks its reach. */
  static boolean measures(Check check) {
    return check.probe().measures();
  }

  /** One measured cell: its attempt and the observation the explainer reads. */
  record Measured(Attempts attempts, Observation observation) {}

  /**
   * Runs {@code checks} (all of them rr or bulk checks) one after the other, each with its flow
   * mark; checks whose source has no agent are left out, as in a reachability pass.
   */
  Map<Check, Measured> run(Matrix matrix, List<Check> checks, Map<Check, String> marks) {
    Map<Check, Measured> out = new LinkedHashMap<>();
    for (Check check : checks) {
      if (!agents.containsKey(check.from())) {
        continue;
      }
      listener.roundStarted(0, 1);
      ProbeResult r = measure(matrix, check, marks.get(check));
      Attempts a = new Attempts();
      a.add(r);
      String target = check.to().node().orElse(check.to().ip());
      Observation o =
          new Observation(
              check,
              r,
              Optional.empty(),
              Observation.TargetView.none(target, "a measuring cell is timed, not captured"));
      out.put(check, new Measured(a, o));
      listener.probeDone(check.id());
    }
    return out;
  }

  private ProbeResult measure(Matrix matrix, Check check, String mark) {
    ProbeSpec probe = check.probe();
    boolean bulk = probe instanceof ProbeSpec.Bulk;
    int durationMs =
        bulk ? ((ProbeSpec.Bulk) probe).durationMs() : ((ProbeSpec.Rr) probe).durationMs();
    Optional<String> targetNode = check.to().node();
    AgentCalls responder = targetNode.map(agents::get).orElse(null);
    if (responder == null) {
      return Attempts.notRun(check, noResponder(matrix, check));
    }
    String at = targetNode.get();
    long waitMs = durationMs + check.timeout().toMillis() * 2 + RESPONDER_SLACK_MS;
    String id = (bulk ? "bulk-" : "rr-") + mark;
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("id", id);
    args.put("protocol", probe.transport().wireName());
    args.put("mode", bulk ? "discard" : "echo");
    args.put("bind", check.to().ipv6() ? "::" : "0.0.0.0");
    args.put("port", probe.port());
    args.put("windowMs", waitMs);
    long busyMs = BUSY_BASE_MS + BUSY_PER_DURATION * durationMs;
    String failure = open(responder, args, waitMs, busyMs);
    if (failure != null) {
      return Attempts.notRun(
          check,
          "the "
              + (bulk ? "discard" : "echo")
              + " responder could not open "
              + probe.transport().wireName()
              + "/"
              + probe.port()
              + " on "
              + at
              + ": "
              + failure
              + "; give the "
              + (bulk ? "bulk" : "rr")
              + " check a port that is free on "
              + at);
    }
    ProbeResult result;
    Optional<JsonNode> summary;
    try {
      result =
          agents
              .get(check.from())
              .probe(ProbeRequests.of(matrix, check, mark, env))
              .orTimeout(waitMs, TimeUnit.MILLISECONDS)
              .exceptionally(
                  e ->
                      Attempts.notRun(
                          check, "agent on " + check.from() + ": " + RunEngine.cause(e)))
              .join();
    } catch (RuntimeException e) {
      result = Attempts.notRun(check, e.getMessage());
    } finally {
      // the responder stops whatever happened to the transactions
      summary = stop(responder, id, waitMs);
    }
    return withResponder(result, summary, at, bulk);
  }

  /**
   * Opens the responder; null once it listens, else why not. A port in use may be another run's
   * responder (the runs of {@code grade --parallel} measuring one shared server): it is asked
   * again, every 100 ms, for up to {@code busyMs}, so that such measurements take turns instead of
   * failing.
   */
  private static String open(
      AgentCalls responder, Map<String, Object> args, long waitMs, long busyMs) {
    long deadline = System.nanoTime() + busyMs * 1_000_000L;
    while (true) {
      try {
        responder.call("listen.start", args).orTimeout(waitMs, TimeUnit.MILLISECONDS).join();
        return null;
      } catch (RuntimeException e) {
        boolean inUse = portInUse(e);
        if (!inUse || System.nanoTime() - deadline > 0) {
          String cause = RunEngine.cause(e);
          return inUse ? cause + " (still in use after " + busyMs / 1000.0 + " s)" : cause;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while the port was in use";
      }
    }
  }

  /** Whether the agent said the port is held by another socket (its code, not its words). */
  private static boolean portInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AgentException a) {
        return TempListener.PORT_IN_USE.equals(a.code());
      }
    }
    return false;
  }

  private static Optional<JsonNode> stop(AgentCalls responder, String id, long waitMs) {
    try {
      return Optional.of(
          responder
              .call("listen.stop", Map.of("id", id))
              .orTimeout(waitMs, TimeUnit.MILLISECONDS)
              .join());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The result with what the responder saw: whence the transactions or the stream came (after any
   * NAT) and how many reads it echoed, or how many bytes it read and over how long (a bulk cell's
   * figure, which joins its throughput); or that it heard from no one.
   */
  static ProbeResult withResponder(
      ProbeResult r, Optional<JsonNode> summary, String at, boolean bulk) {
    if (summary.isEmpty()) {
      return r;
    }
    JsonNode s = summary.get();
    if (bulk) {
      return received(r, s, at, peers(s));
    }
    List<String> peers = peers(s);
    String responder =
        "the echo responder on "
            + at
            + " ("
            + s.path("protocol").asText()
            + "/"
            + s.path("port").asInt()
            + ")";
    String line =
        peers.isEmpty()
            ? responder + " heard from no one"
            : responder
                + " heard from "
                + String.join(", ", peers)
                + " and echoed "
                + s.path("echoed").asLong()
                + " reads";
    return r.withEvidence(line);
  }

  private static List<String> peers(JsonNode summary) {
    List<String> peers = new ArrayList<>();
    for (JsonNode peer : summary.path("peers")) {
      peers.add(peer.path("address").asText() + ":" + peer.path("port").asInt());
    }
    return peers;
  }

  /**
   * A bulk result with the discard responder's count: the bytes it read, from its first read to its
   * last. Nothing read (or a single read, no interval) is no figure: the cell then says so.
   */
  private static ProbeResult received(ProbeResult r, JsonNode s, String at, List<String> peers) {
    String responder = "the discard responder on " + at + " (tcp/" + s.path("port").asInt() + ")";
    long bytes = s.path("received").asLong();
    JsonNode first = s.path("firstByteMs");
    JsonNode last = s.path("lastByteMs");
    double ms = first.isNumber() && last.isNumber() ? last.asDouble() - first.asDouble() : 0;
    if (peers.isEmpty()) {
      return r.withEvidence(responder + " heard from no one");
    }
    String line =
        responder
            + " heard from "
            + String.join(", ", peers)
            + " and read "
            + String.format(java.util.Locale.ROOT, "%,d", bytes)
            + " bytes";
    if (bytes == 0 || ms <= 0 || r.throughput() == null) {
      return r.withEvidence(line + ": too little to time a rate");
    }
    var t = r.throughput().received(bytes, ms);
    return r.withThroughput(t)
        .withEvidence(
            line
                + String.format(
                    java.util.Locale.ROOT, " from its first read to its last, %.1f ms: ", ms)
                + io.netprobe.agent.probe.Throughput.rate(t.bitsPerSecond()));
  }

  /** Why an rr cell cannot run: its target has no agent to answer the transactions. */
  static String noResponder(Matrix matrix, Check check) {
    String target = check.to().node().orElse(check.to().ip());
    String what =
        check
            .to()
            .node()
            .flatMap(matrix::node)
            .map(
                n ->
                    n.kind().hasAgent()
                        ? "a " + n.kind().yamlName() + " node whose agent did not start"
                        : "a node of kind " + n.kind().yamlName() + ", which has no agent")
            .orElse("a literal address, with no agent");
    boolean bulk = check.probe() instanceof ProbeSpec.Bulk;
    return (bulk ? "bulk" : "rr")
        + " needs an agent at both ends: the target's agent opens the "
        + (bulk
            ? "discard responder that counts what arrives"
            : "echo responder that answers the transactions")
        + ", and "
        + target
        + " is "
        + what
        + "; measure to a node of kind local, netns, docker or ssh";
  }
}
