package io.netprobe.report.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A finished run: the one immutable model every report renders (terminal, JSON, JUnit XML,
 * Markdown, HTML). Nothing in a report is computed from anything but this.
 *
 * @param matrixName the matrix's name
 * @param matrixFile the matrix file as given on the command line
 * @param startedAt when the run started
 * @param elapsedMs how long it took, connecting included
 * @param nodes every node of the matrix
 * @param checks every check, in the matrix's order
 * @param findings the grouped causes of the cells that are not OK
 * @param topology the lab as its agents found it ({@link Topology#EMPTY} when none was read)
 * @param timeline what a watch saw of each cell over its rounds ({@link Timeline#EMPTY} for a run)
 */
public record RunResult(
    String matrixName,
    String matrixFile,
    Instant startedAt,
    long elapsedMs,
    List<NodeReport> nodes,
    List<CheckResult> checks,
    List<Finding> findings,
    Topology topology,
    Timeline timeline) {
  public RunResult {
    Objects.requireNonNull(matrixName, "matrix name");
    Objects.requireNonNull(startedAt, "startedAt");
    nodes = List.copyOf(nodes);
    checks = List.copyOf(checks);
    findings = List.copyOf(findings);
    topology = topology == null ? Topology.EMPTY : topology;
    timeline = timeline == null ? Timeline.EMPTY : timeline;
  }

  /** A run, with or without a topology, outside a watch. */
  public RunResult(
      String matrixName,
      String matrixFile,
      Instant startedAt,
      long elapsedMs,
      List<NodeReport> nodes,
      List<CheckResult> checks,
      List<Finding> findings,
      Topology topology) {
    this(matrixName, matrixFile, startedAt, elapsedMs, nodes, checks, findings, topology, null);
  }

  /** A run without a topology. */
  public RunResult(
      String matrixName,
      String matrixFile,
      Instant startedAt,
      long elapsedMs,
      List<NodeReport> nodes,
      List<CheckResult> checks,
      List<Finding> findings) {
    this(
        matrixName,
        matrixFile,
        startedAt,
        elapsedMs,
        nodes,
        checks,
        findings,
        Topology.EMPTY,
        null);
  }

  /** The same run with {@code topology}. */
  public RunResult withTopology(Topology topology) {
    return new RunResult(
        matrixName, matrixFile, startedAt, elapsedMs, nodes, checks, findings, topology, timeline);
  }

  /** The same run with what a watch saw of its cells. */
  public RunResult withTimeline(Timeline timeline) {
    return new RunResult(
        matrixName, matrixFile, startedAt, elapsedMs, nodes, checks, findings, topology, timeline);
  }

  /** The cells of the matrix: the checks of reach, without the checks of configuration. */
  public List<CheckResult> reach() {
    return checks.stream().filter(c -> !c.isFact()).toList();
  }

  /**
   * The checks of configuration (facts), lowest layer first as the run ordered them: a missing
   * address or route explains the cells above it.
   */
  public List<CheckResult> facts() {
    return checks.stream().filter(CheckResult::isFact).toList();
  }

  /**
   * The cells that measured their path, in the matrix's order: the paths table of a report. An rr
   * or bulk cell, an icmp cell of several echoes or with a threshold; not the single echo of a
   * check of reach, taken while every other cell of the run was probing too (its RTT is in its
   * cell).
   */
  public List<CheckResult> measured() {
    return reach().stream()
        .filter(c -> c.measure() != null)
        .filter(
            c ->
                c.measure().tps() != null
                    || c.measure().bitsPerSecond() != null
                    || c.measure().count() + c.measure().lost() > 1
                    || c.expected().contains("rtt-")
                    || c.expected().contains("loss"))
        .toList();
  }

  public int pointsEarned() {
    return checks.stream().mapToInt(CheckResult::earned).sum();
  }

  public int pointsPossible() {
    return checks.stream().mapToInt(CheckResult::points).sum();
  }

  public long count(Outcome outcome) {
    return checks.stream().filter(c -> c.outcome() == outcome).count();
  }

  /** The exit code of DESIGN.md: 0 all OK, 1 some UNEXPECTED, 3 some ERROR and none unexpected. */
  public int exitCode() {
    if (count(Outcome.UNEXPECTED) > 0) {
      return ExitCode.UNEXPECTED.code();
    }
    return (count(Outcome.ERROR) > 0 ? ExitCode.ERROR : ExitCode.OK).code();
  }
}
