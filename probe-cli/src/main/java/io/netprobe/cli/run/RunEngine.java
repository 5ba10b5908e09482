package io.netprobe.cli.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.POJONode;
import io.netprobe.agent.capture.CaptureSummary;
import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.cli.explain.Explainer;
import io.netprobe.cli.explain.Observation;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.FactCheck;
import io.netprobe.matrix.Matrix;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.NodeReport;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Topology;
import io.netprobe.report.model.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs every check of a matrix at once, with the packet evidence from both ends: facts, one capture
 * per node for the whole run, the probes (and retries of the cells whose observation differs from
 * the expectation), the captures read, and a verdict per cell. The steps are the check lifecycle of
 * DESIGN.md; {@link #run} reads top to bottom in that order.
 */
public final class RunEngine {
  static final int IN_FLIGHT_PER_AGENT = 128;
  private static final long GRACE_MS = 10_000;
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Map<String, RunNode> nodes = new LinkedHashMap<>();
  private final Map<String, AgentCalls> agents = new HashMap<>();
  private final RunListener listener;
  private final Path evidenceDir;
  private final Explainer explainer = new Explainer();
  private final Map<String, PcapEvidence.Capture> pcaps = new HashMap<>();

  /** Runs of this JVM so far: each later run's flow marks carry its number. */
  private static final java.util.concurrent.atomic.AtomicInteger RUNS =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * What this run's flow marks end with: nothing for the JVM's first run, {@code @N} for a later
   * one. Runs of one JVM may probe from one namespace at once ({@code grade --parallel}): their
   * marks, and so the echo identifiers the agents derive from them, must differ.
   */
  private final String runMark;

  /** Where a {@code password-env}'s variable is read. */
  private final java.util.function.UnaryOperator<String> env;

  /**
   * An engine that also writes, under {@code evidenceDir/pcap/}, the packets of every cell that is
   * not OK from the captures of both ends ({@code evidenceDir} null: none written).
   */
  public RunEngine(Collection<RunNode> runNodes, RunListener listener, Path evidenceDir) {
    this(runNodes, listener, evidenceDir, Invocation::getenv);
  }

  /**
   * The same, reading the variables that {@code password-env} names through {@code env} (a graded
   * student's values over the process's environment).
   */
  public RunEngine(
      Collection<RunNode> runNodes,
      RunListener listener,
      Path evidenceDir,
      java.util.function.UnaryOperator<String> env) {
    this.env = env;
    this.evidenceDir = evidenceDir;
    for (RunNode n : runNodes) {
      nodes.put(n.name(), n);
      if (n.isConnected()) {
        agents.put(n.name(), new BoundedCalls(n.agent(), IN_FLIGHT_PER_AGENT));
      }
    }
    this.listener = listener;
    int run = RUNS.getAndIncrement();
    this.runMark = run == 0 ? "" : "@" + Integer.toString(run, 36);
  }

  /**
   * Runs {@code checks} (all of the matrix's, or the ones picked) with the matrix's checks of
   * configuration when every check runs, and returns the finished run.
   */
  public RunResult run(
      Matrix matrix, List<Check> checks, String file, List<NodeReport> reports, Instant start) {
    return run(matrix, checks, matrix.factsFor(checks), file, reports, start);
  }

  /**
   * Runs {@code checks} and the checks of configuration {@code facts}: the facts are read while the
   * probes run, and come first in the result, lowest layer first; a cell that a failing fact
   * explains points at it ({@link Causes}).
   */
  public RunResult run(
      Matrix matrix,
      List<Check> checks,
      List<FactCheck> facts,
      String file,
      List<NodeReport> reports,
      Instant start) {
    long t0 = System.nanoTime();
    FactChecks configuration = FactChecks.start(agents, facts);
    CompletableFuture<DockerNetworks> docker =
        CompletableFuture.supplyAsync(() -> DockerNetworks.read(matrix));
    Map<Check, Integer> index = new HashMap<>();
    checks.forEach(c -> index.put(c, index.size()));
    Map<String, CheckResult> results = new LinkedHashMap<>();
    // the reachability cells all at once; the measuring cells after them, one at a time
    List<Check> reach = checks.stream().filter(c -> !Measurements.measures(c)).toList();
    pass(matrix, reach, index, 0, file, t0).forEach(r -> results.put(r.id(), r));
    PacedRetries.Done paced = retryPaced(matrix, reach, index, file, results);
    measure(matrix, checks, index, t0).forEach(r -> results.put(r.id(), r));
    List<CheckResult> all =
        new ArrayList<>(
            configuration.results(nodes, firstRules == null ? Map.of() : firstRules.before()));
    if (!facts.isEmpty()) {
      listener.phase("checks of configuration", t0);
    }
    Causes causes =
        new Causes(
            matrix,
            Causes.failing(facts, all),
            node -> firstFacts == null ? Set.of() : firstFacts.ownAddresses(node),
            (from, ip) ->
                firstFacts == null
                    ? java.util.Optional.empty()
                    : firstFacts
                        .route(from, ip)
                        .map(Facts.RouteChoice::route)
                        .map(Facts.Route::gateway));
    for (Check check : checks) {
      CheckResult r = results.get(check.id());
      if (r != null) {
        all.add(causes.explain(check, r));
      }
    }
    Topology topology =
        firstFacts == null
            ? Topology.EMPTY
            : new TopologyBuilder(matrix, firstFacts.all(), firstRules.before(), docker.join())
                .build();
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    return new RunResult(
        matrix.name(),
        file,
        start,
        elapsed,
        reports,
        all,
        Findings.of(all, nodes, paced, causes.said()),
        topology);
  }

  /**
   * The measuring cells of {@code checks} ({@link Measurements}), after every reachability cell has
   * finished, so that neither disturbs the other.
   */
  private List<CheckResult> measure(
      Matrix matrix, List<Check> checks, Map<Check, Integer> index, long t0) {
    List<Check> measuring = checks.stream().filter(Measurements::measures).toList();
    if (measuring.isEmpty()) {
      return List.of();
    }
    Map<Check, String> marks = new HashMap<>();
    measuring.forEach(c -> marks.put(c, "np" + index.get(c) + "m" + runMark));
    Map<Check, Measurements.Measured> measured =
        new Measurements(agents, env, listener).run(matrix, measuring, marks);
    List<CheckResult> results = new ArrayList<>();
    for (Check check : measuring) {
      Measurements.Measured m = measured.get(check);
      CheckResult r =
          m == null ? result(check, null, null) : result(check, m.attempts(), m.observation());
      listener.checked(r);
      results.add(r);
    }
    listener.phase("measurements (" + measured.size() + ", one at a time)", t0);
    return results;
  }

  /** The facts read in the first pass: the routes each source picked, every node's addresses. */
  private NodeFacts firstFacts;

  /** The rules read before the first pass's probes: their nat tables draw the topology. */
  private RuleCounters firstRules;

  /**
   * Checks again, in paced waves, the cells whose sends this machine's kernel refused for want of
   * room in its neighbour table ({@link PacedRetries}).
   */
  private PacedRetries.Done retryPaced(
      Matrix matrix,
      List<Check> checks,
      Map<Check, Integer> index,
      String file,
      Map<String, CheckResult> results) {
    List<Check> unchecked = PacedRetries.unchecked(checks, results);
    if (unchecked.isEmpty()) {
      return PacedRetries.Done.NONE;
    }
    PacedRetries paced = PacedRetries.ofThisMachine();
    long quietMs = paced.firstQuietMs();
    long waitedMs = 0;
    int waves = 0;
    while (!unchecked.isEmpty() && waves < PacedRetries.MAX_WAVES && quietMs >= 0) {
      List<Check> wave = paced.wave(unchecked);
      waves++;
      listener.pacedWave(waves, wave.size(), unchecked.size(), quietMs);
      try {
        Thread.sleep(quietMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      waitedMs += quietMs;
      pass(matrix, wave, index, waves, file, System.nanoTime())
          .forEach(r -> results.put(r.id(), r));
      int before = unchecked.size();
      unchecked = PacedRetries.unchecked(checks, results);
      quietMs = paced.nextQuietMs(quietMs, before - unchecked.size(), waitedMs);
    }
    return new PacedRetries.Done(waves, waitedMs);
  }

  /**
   * One pass of the lifecycle over {@code checks}: rule counters and captures started, the probes
   * (and their retries), the captures read, the observations and a verdict per cell. Pass 0 runs
   * every check; a later pass is a paced wave of {@link #retryPaced}, with marks of its own.
   */
  private List<CheckResult> pass(
      Matrix matrix,
      List<Check> checks,
      Map<Check, Integer> index,
      int pass,
      String file,
      long t0) {
    // Probes wait for the captures, so that no packet of theirs goes unseen. The facts are asked
    // for once every probe is on its way: each agent answers them after sending its probes, while
    // the unanswered ones wait out their timeouts, instead of slowing the probes down.
    RuleCounters rules = RuleCounters.start(agents);
    if (pass == 0) {
      firstRules = rules;
    }
    Captures captures =
        Captures.start(nodes, agents, checks, captureWindow(checks), evidenceDir != null);
    rules.awaitBefore();
    listener.phase("captures started", t0);
    CompletableFuture<NodeFacts> reading = new CompletableFuture<>();
    long overflows = PacedRetries.overflows();
    Map<Check, Attempts> attempts;
    try (EarlyVerdicts early = new EarlyVerdicts(captures)) {
      attempts =
          probe(
              matrix,
              checks,
              index,
              pass == 0 ? "" : "w" + pass,
              early,
              () ->
                  CompletableFuture.supplyAsync(() -> NodeFacts.read(agents, matrix, checks))
                      .whenComplete((f, e) -> complete(reading, f, e)));
      listener.phase("probes (" + early.decided() + " decided early)", t0);
    }
    boolean overflowed = overflows >= 0 && PacedRetries.overflows() > overflows;
    // a cell not reached has its drop pinned on a rule: the counters after the probes are asked
    // for now, and come while the captures stop and the cells' target views are read
    if (attempts.entrySet().stream()
        .anyMatch(
            e ->
                !e.getValue().last().status().isReached()
                    && agents.containsKey(e.getKey().from()))) {
      rules.readAfter(agents.keySet());
    }
    Map<String, CaptureSummary> captured = captures.stop();
    NodeFacts facts = reading.join();
    if (pass == 0) {
      firstFacts = facts;
    }
    listener.phase("captures stopped, facts read", t0);
    Map<Check, Observation> observed =
        new Observations(matrix, nodes, captured, captures, facts, rules, overflowed)
            .read(agents, attempts);
    listener.phase("observations", t0);
    ObservationLog.write(observed.values(), file);
    // Every cell's verdict is its own: both cores explain them.
    List<CheckResult> results =
        checks.parallelStream()
            .map(check -> result(check, attempts.get(check), observed.get(check)))
            .toList();
    if (evidenceDir != null) {
      results = withPcaps(results, checks, attempts, captures);
    }
    results.forEach(listener::checked);
    listener.phase("verdicts", t0);
    return results;
  }

  /**
   * The order probes go out in: those that will hold their cell open longest first. A thousand
   * requests take the agents a while to send (a second on two cores), so the long waits run while
   * the short ones go out, and the run ends about one hold after the last request, not one timeout.
   * By what a cell expected to end as its matrix says will wait for:
   *
   * <ol>
   *   <li>its timeout: a failure no capture can decide early ({@link EarlyVerdicts#decidable}), and
   *       any UDP probe;
   *   <li>an application's answer after the handshake (SSH, HTTP, request-response);
   *   <li>the TCP settle window after the handshake (up to 250 ms, {@code TcpProbe.settleMs});
   *   <li>the early verdict's margin (50 ms or more) after the request arrived unanswered;
   *   <li>a kernel's answer, one round trip (an echo reply).
   * </ol>
   *
   * Then longer timeouts first.
   */
  static List<Check> longestFirst(
      List<Check> checks, java.util.function.Predicate<Check> decidableEarly) {
    // each check ranked once: a comparator asking for the rank would ask ~30 times a check
    record Ranked(Check check, int hold) {}
    return checks.stream()
        .map(c -> new Ranked(c, hold(c, decidableEarly)))
        .sorted(
            Comparator.comparingInt(Ranked::hold)
                .thenComparing(r -> r.check().timeout(), Comparator.reverseOrder()))
        .map(Ranked::check)
        .toList();
  }

  /** A check's place in {@link #longestFirst}, 0 first. */
  static int hold(Check c, java.util.function.Predicate<Check> decidableEarly) {
    ProbeSpec probe = c.probe();
    boolean udp = probe.transport() == ProbeSpec.Transport.UDP;
    if (!c.expect().isMetBy(Disposition.REACHED)) {
      return udp || !decidableEarly.test(c) ? 0 : 3;
    }
    if (udp) {
      return 0;
    }
    if (probe instanceof ProbeSpec.Icmp) {
      return 4;
    }
    return probe instanceof ProbeSpec.Tcp ? 2 : 1;
  }

  /** Round 0 probes every check; each later round retries the cells that disagree. */
  private Map<Check, Attempts> probe(
      Matrix matrix,
      List<Check> checks,
      Map<Check, Integer> index,
      String markSuffix,
      EarlyVerdicts early,
      Runnable allSent) {
    Map<Check, Attempts> attempts = new LinkedHashMap<>();
    List<Check> round =
        longestFirst(
            checks.stream().filter(c -> agents.containsKey(c.from())).toList(), early::decidable);
    if (round.isEmpty()) {
      allSent.run();
    }
    for (int r = 0; !round.isEmpty(); r++) {
      listener.roundStarted(r, round.size());
      Map<Check, CompletableFuture<ProbeResult>> inFlight = new LinkedHashMap<>();
      for (Check check : round) {
        String mark = "np" + index.get(check) + markSuffix + (r == 0 ? "" : "r" + r) + runMark;
        inFlight.put(check, probe(matrix, check, mark, early));
      }
      if (r == 0) {
        allSent.run();
      }
      List<Check> retry = new ArrayList<>();
      for (var e : inFlight.entrySet()) {
        Attempts a = attempts.computeIfAbsent(e.getKey(), k -> new Attempts());
        a.add(e.getValue().join());
        if (a.disagrees(e.getKey()) && a.count() <= e.getKey().retries()) {
          retry.add(e.getKey());
        }
      }
      round = retry;
    }
    return attempts;
  }

  private CompletableFuture<ProbeResult> probe(
      Matrix matrix, Check check, String mark, EarlyVerdicts early) {
    ProbeArgs request;
    try {
      request = ProbeRequests.of(matrix, check, mark, env);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Attempts.notRun(check, e.getMessage()));
    }
    long wait = check.timeout().toMillis() * 4 + GRACE_MS;
    return early
        .watch(check, request, () -> agents.get(check.from()).probe(request))
        .orTimeout(wait, TimeUnit.MILLISECONDS)
        .exceptionally(e -> Attempts.notRun(check, "agent on " + check.from() + ": " + cause(e)))
        .whenComplete((r, e) -> listener.probeDone(check.id()));
  }

  private CheckResult result(Check check, Attempts attempts, Observation observation) {
    Verdict verdict;
    int count = 0;
    boolean flaky = false;
    ProbeResult last = null;
    if (attempts == null) {
      RunNode source = nodes.get(check.from());
      verdict =
          Verdict.notChecked(
              check.from()
                  + " could not be reached: "
                  + (source == null ? "unknown node" : source.error()),
              List.of(),
              "fix the connection to "
                  + check.from()
                  + " and run again; this is not a network result");
    } else {
      last = attempts.last();
      count = attempts.count();
      flaky = attempts.flaky();
      verdict = explainer.explain(observation);
    }
    Outcome outcome = outcome(check.expect(), verdict);
    if (outcome == Outcome.OK
        && last != null
        && check.expect() instanceof io.netprobe.matrix.Expectation.Measured measured) {
      List<String> missed = Thresholds.missed(measured, last);
      if (!missed.isEmpty()) {
        outcome = Outcome.UNEXPECTED;
        verdict = Thresholds.graded(verdict, missed);
      }
    }
    verdict = withLabHint(verdict, outcome, check.hint());
    return CheckResult.builder(check.id(), check.from(), check.to().ref(), check.probeLabel())
        .title(check.displayTitle())
        .target(
            check.to().node().orElse(null),
            check.to().ip(),
            check.wireProbe().port(),
            check.to().path().yamlName())
        .expected(check.expect().label())
        .outcome(outcome)
        .verdict(verdict)
        .points(check.points())
        .attempts(count, flaky, last == null ? 0 : Math.round(last.elapsedMs()))
        .handshakeMs(
            observation != null
                ? observation.handshakeMs()
                : last == null ? null : io.netprobe.agent.probe.TcpProbe.handshakeMs(last))
        .measure(
            last == null || verdict.disposition() != Disposition.REACHED
                ? null
                : Thresholds.measure(last))
        .build();
  }

  /**
   * The pcap evidence of every cell that is not OK, from the captures of both its ends: only the
   * nodes such cells need send their pcap (a run where all is as expected ships none).
   */
  private List<CheckResult> withPcaps(
      List<CheckResult> results,
      List<Check> checks,
      Map<Check, Attempts> attempts,
      Captures captures) {
    Set<String> needed = new LinkedHashSet<>();
    for (int i = 0; i < checks.size(); i++) {
      if (results.get(i).outcome() != Outcome.OK && attempts.containsKey(checks.get(i))) {
        needed.addAll(ends(checks.get(i)));
      }
    }
    if (needed.isEmpty()) {
      return results;
    }
    pcaps.putAll(captures.pcaps(needed));
    List<CheckResult> out = new ArrayList<>(results);
    for (int i = 0; i < checks.size(); i++) {
      Attempts a = attempts.get(checks.get(i));
      if (results.get(i).outcome() != Outcome.OK && a != null) {
        out.set(i, results.get(i).withPcapFiles(pcaps(checks.get(i), a.last())));
      }
    }
    return out;
  }

  private static List<String> ends(Check check) {
    List<String> ends = new ArrayList<>(List.of(check.from()));
    check.to().node().filter(n -> !n.equals(check.from())).ifPresent(ends::add);
    return ends;
  }

  /** A verdict against its expectation: ERROR when nothing was decided. */
  static Outcome outcome(io.netprobe.matrix.Expectation expect, Verdict verdict) {
    if (verdict.disposition() == null) {
      return Outcome.ERROR;
    }
    return expect.isMetBy(verdict.disposition()) ? Outcome.OK : Outcome.UNEXPECTED;
  }

  /**
   * The matrix's hint is the lab's lesson where the packets did as expected; where they did not,
   * the hint drawn from the evidence comes first and the lab's note after it. An ERROR keeps its
   * own hint (fix the connection): the lesson is not about it.
   */
  static Verdict withLabHint(Verdict verdict, Outcome outcome, String labHint) {
    if (labHint.isEmpty() || outcome == Outcome.ERROR) {
      return verdict;
    }
    if (outcome == Outcome.OK || verdict.hint().isEmpty()) {
      return verdict.withHint(labHint);
    }
    return verdict.withHint(verdict.hint() + ". Lab note: " + labHint);
  }

  /** The pcap files of a cell from the captures of its source and its target. */
  private List<String> pcaps(Check check, ProbeResult r) {
    if (evidenceDir == null) {
      return List.of();
    }
    List<String> ends = ends(check);
    try {
      return PcapEvidence.write(
          evidenceDir, check, r, ends, ends.stream().map(pcaps::get).toList());
    } catch (java.io.IOException e) {
      listener.warning(
          "the pcap evidence of " + check.id() + " was not written: " + e.getMessage());
      return List.of();
    }
  }

  private static Duration captureWindow(List<Check> checks) {
    long worst =
        checks.stream()
            .mapToLong(c -> c.timeout().toMillis() * 4 * (c.retries() + 1))
            .max()
            .orElse(1000);
    return Duration.ofMillis(worst + 60_000);
  }

  private static <T> void complete(CompletableFuture<T> future, T value, Throwable error) {
    if (error != null) {
      future.completeExceptionally(error);
    } else {
      future.complete(value);
    }
  }

  static <T> T read(JsonNode json, Class<T> type) {
    if (json instanceof POJONode handed && type.isInstance(handed.getPojo())) {
      return type.cast(handed.getPojo()); // an agent in this JVM: the object it made
    }
    try {
      return json instanceof POJONode other
          ? JSON.convertValue(other.getPojo(), type)
          : JSON.treeToValue(json, type);
    } catch (Exception e) {
      throw new IllegalStateException(
          "agent sent a " + type.getSimpleName() + " netprobe cannot read: " + e.getMessage(), e);
    }
  }

  static String cause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return "no reply in time";
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
