package io.netprobe.cli.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.cli.connect.ConnectOptions;
import io.netprobe.cli.connect.Connections;
import io.netprobe.cli.connect.NodeTarget;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.run.NodePlan;
import io.netprobe.cli.run.RunEngine;
import io.netprobe.cli.run.RunListener;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.report.Options;
import io.netprobe.report.ReportFormat;
import io.netprobe.report.Reports;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * {@code netprobe watch}: runs a matrix again and again on agents it keeps connected (a node lost
 * is connected again at the next round), and remembers what came and went ({@link WatchState}).
 * When a cell flips, it keeps the evidence of that round ({@code OUT/flips/ROUND-CHECK/}: the
 * verdict and its evidence lines, the path trace among them, and the pcaps of both ends), appends
 * an event to {@code OUT/events.jsonl} and says one line on stderr. After every round the reports
 * in {@code OUT} are the last round's, with the timeline of every cell.
 */
public final class Watcher implements AutoCloseable {
  /** How far a round's start may drift from the interval, either way, so watchers never align. */
  static final double JITTER = 0.1;

  /**
   * What a watch is asked to do.
   *
   * @param every the interval between two rounds' starts
   * @param rounds how many rounds to run; 0 runs until interrupted
   */
  public record Settings(
      Duration every, long rounds, Path out, Set<ReportFormat> formats, Options view) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Matrix matrix;
  private final List<Check> checks;
  private final String file;
  private final NodePlan plan;
  private final ConnectOptions connect;
  private final Settings settings;
  private final PrintWriter log;
  private final WatchState state = new WatchState();
  private final Map<String, AgentSession> sessions = new LinkedHashMap<>();
  private final Map<String, String> errors = new LinkedHashMap<>();
  private final List<Connections> opened = new ArrayList<>();

  public Watcher(
      Matrix matrix, String file, boolean acceptNewHostKeys, Settings settings, PrintWriter log) {
    this.matrix = matrix;
    this.checks = matrix.checks();
    this.file = file;
    this.plan = NodePlan.of(matrix, checks, acceptNewHostKeys);
    this.connect = ConnectOptions.defaults();
    this.settings = settings;
    this.log = log;
  }

  public WatchState state() {
    return state;
  }

  /** Runs the rounds; returns after the last, or throws when interrupted. */
  public void run() throws InterruptedException {
    long nextStart = System.nanoTime();
    for (long round = 1; settings.rounds() == 0 || round <= settings.rounds(); round++) {
      long wait = nextStart - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      long started = System.nanoTime();
      round(round);
      double jitter = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * JITTER;
      nextStart = started + (long) (settings.every().toNanos() * jitter);
    }
  }

  /** One round: connect what is missing, run every check, note the flips, write the reports. */
  void round(long round) {
    connectMissing();
    Path out = settings.out();
    deleteTree(out.resolve("pcap")); // the last round's pcaps are the ones the report links
    Instant start = Instant.now();
    RunResult run =
        new RunEngine(plan.runNodes(sessions, errors), RunListener.NONE, out)
            .run(matrix, checks, file, plan.reports(sessions, errors), start);
    Map<String, Boolean> up = new LinkedHashMap<>();
    plan.targets()
        .keySet()
        .forEach(n -> up.put(n, sessions.containsKey(n) && sessions.get(n).isOpen()));
    Map<String, String> evidence = new LinkedHashMap<>();
    for (CheckResult c : run.checks()) {
      if (state.flipsWith(c)) {
        evidence.put(c.id(), keep(round, c));
      }
    }
    for (WatchState.Flip flip : state.update(round, run, up, evidence)) {
      event(flip, evidence.get(flip.now().id()));
    }
    Reports.write(run.withTimeline(state.timeline()), settings.formats(), out, settings.view());
  }

  /** Connects the nodes that have no session, or whose session closed (an agent that died). */
  private void connectMissing() {
    Map<String, NodeTarget> missing = new LinkedHashMap<>();
    plan.targets()
        .forEach(
            (name, target) -> {
              AgentSession s = sessions.get(name);
              if (s == null || !s.isOpen()) {
                if (s != null) {
                  s.close();
                  sessions.remove(name);
                  log.printf("netprobe watch: %s's agent went away; connecting again%n", name);
                }
                missing.put(name, target);
              }
            });
    if (missing.isEmpty()) {
      return;
    }
    Connections c = Connections.open(missing, connect);
    opened.add(c);
    sessions.putAll(c.sessions());
    missing.keySet().forEach(errors::remove);
    errors.putAll(NodePlan.errors(c));
    log.flush();
  }

  /** Keeps a flipped cell's evidence of this round: the verdict's words and the pcaps. */
  private String keep(long round, CheckResult c) {
    Path dir =
        settings.out().resolve("flips").resolve(round + "-" + c.id().replaceAll("[^\\w.-]+", "-"));
    try {
      Files.createDirectories(dir);
      StringBuilder text = new StringBuilder();
      text.append(c.id()).append(": ").append(c.verdict().disposition().name());
      text.append(" (").append(c.outcome()).append(")\n").append(c.verdict().reason());
      text.append('\n').append("hint: ").append(c.verdict().hint()).append("\n\n");
      c.verdict().evidence().forEach(e -> text.append(e).append('\n'));
      for (var hop : c.verdict().path()) {
        text.append("path: hop ").append(hop.ttl()).append(' ');
        text.append(hop.address() == null ? "*" : hop.address());
        text.append(hop.node() == null ? "" : " (" + hop.node() + ")").append(' ');
        text.append(hop.kind()).append(hop.rttMs() == null ? "" : " " + hop.rttMs() + " ms");
        text.append('\n');
      }
      Files.writeString(dir.resolve("evidence.txt"), text, StandardCharsets.UTF_8);
      for (String pcap : c.pcapFiles()) {
        Path from = settings.out().resolve(pcap);
        if (Files.exists(from)) {
          Files.copy(from, dir.resolve(from.getFileName()));
        }
      }
    } catch (IOException e) {
      log.printf("netprobe watch: could not keep the evidence in %s: %s%n", dir, e.getMessage());
    }
    return settings.out().relativize(dir).toString();
  }

  private void event(WatchState.Flip flip, String evidence) {
    CheckResult c = flip.now();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("at", flip.at().toString());
    e.put("round", flip.round());
    e.put("check", c.id());
    e.put("from", flip.from());
    e.put("to", flip.to());
    e.put("outcome", c.outcome().name());
    e.put("reason", c.verdict().reason());
    e.put("evidence", evidence);
    try {
      Files.writeString(
          settings.out().resolve("events.jsonl"),
          JSON.writeValueAsString(e) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot append to events.jsonl in " + settings.out(), ex);
    }
    log.printf(
        "netprobe watch: round %d: %s %s -> %s (%s): %s; evidence in %s%n",
        flip.round(),
        c.id(),
        flip.from(),
        flip.to(),
        c.outcome().name().toLowerCase(java.util.Locale.ROOT),
        c.verdict().reason(),
        settings.out().resolve(evidence));
    log.flush();
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + root, e);
    }
  }

  @Override
  public void close() {
    opened.forEach(Connections::close);
  }
}
