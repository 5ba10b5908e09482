package io.netprobe.report.model;

import java.util.List;
import java.util.Objects;

/**
 * One cell of the matrix, finished: which check, what was expected, what the packets did (the
 * verdict), and how that compares (the outcome).
 *
 * @param id the check's stable id, e.g. {@code "pc->vm.nat icmp"}
 * @param title the matrix's title for the check, or a generated one
 * @param from the source node's name
 * @param to the target as the matrix names it ({@code vm.nat}, or a literal address)
 * @param toNode the target node's name, or null for a literal address
 * @param address the IP address probed
 * @param port the port probed, or 0 for ICMP
 * @param probe the probe's label: {@code icmp}, {@code tcp:80}, {@code ssh}
 * @param pathKind the target address's path kind ({@code nat}, {@code floating-ip}...) or null
 * @param expected the expectation as written: {@code pass}, {@code fail} or a disposition
 * @param outcome the verdict against the expectation
 * @param verdict what the packets did and why
 * @param points the check's weight; earned when the outcome is OK
 * @param attempts how many times the probe ran (more than one: retried, see {@link #flaky})
 * @param flaky true when attempts disagreed (a retry turned the observation round)
 * @param elapsedMs the time of the deciding probe, in milliseconds
 * @param pcapFiles the capture files that back this cell, relative to the report directory
 * @param layer {@link #REACH} for a probe's cell, {@link #CONFIG} for a check of configuration (a
 *     fact a node must have: {@code from} is the node, {@code to} the fact, {@code probe} its kind)
 * @param cause the id of the check of configuration whose failure explains this cell, or null
 * @param measure what the cell measured on its path (rr and icmp cells that got through), or null
 * @param handshakeMs a tcp cell's handshake, SYN to SYN-ACK, in milliseconds: its round trip
 *     ({@code elapsedMs} also counts the settle window after it); null without a handshake
 */
public record CheckResult(
    String id,
    String title,
    String from,
    String to,
    String toNode,
    String address,
    int port,
    String probe,
    String pathKind,
    String expected,
    Outcome outcome,
    Verdict verdict,
    int points,
    int attempts,
    boolean flaky,
    long elapsedMs,
    List<String> pcapFiles,
    String layer,
    String cause,
    Measure measure,
    Double handshakeMs) {
  /** The layer of a check of reach: packets from a node to a target. */
  public static final String REACH = "reach";

  /** The layer of a check of configuration: a fact of one node, read by its agent. */
  public static final String CONFIG = "config";

  public CheckResult {
    Objects.requireNonNull(id, "check id");
    Objects.requireNonNull(from, "from (check " + id + ")");
    Objects.requireNonNull(to, "to (check " + id + ")");
    Objects.requireNonNull(probe, "probe (check " + id + ")");
    Objects.requireNonNull(expected, "expected (check " + id + ")");
    Objects.requireNonNull(outcome, "outcome (check " + id + ")");
    Objects.requireNonNull(verdict, "verdict (check " + id + ")");
    if (points < 0) {
      throw new IllegalArgumentException("points below zero: " + points + " (check " + id + ")");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port + " (check " + id + ")");
    }
    title = title == null || title.isBlank() ? id : title;
    pcapFiles = List.copyOf(pcapFiles);
    layer = layer == null ? REACH : layer;
    if (!layer.equals(REACH) && !layer.equals(CONFIG)) {
      throw new IllegalArgumentException(
          "layer is reach or config: " + layer + " (check " + id + ")");
    }
  }

  /** True for a check of configuration (a fact), false for a cell of the matrix. */
  public boolean isFact() {
    return layer.equals(CONFIG);
  }

  /** Points earned: all of them when the outcome is OK, none otherwise. */
  public int earned() {
    return outcome == Outcome.OK ? points : 0;
  }

  /** The same result with the pcap files that back it. */
  public CheckResult withPcapFiles(List<String> files) {
    return toBuilder().pcapFiles(files).build();
  }

  /**
   * A result to fill in: the check's id, its source, its target as the matrix names it and the
   * probe's label. By default expected {@code pass}, 1 point, 1 attempt, no pcap files.
   */
  public static Builder builder(String id, String from, String to, String probe) {
    return new Builder(id, from, to, probe);
  }

  public Builder toBuilder() {
    return new Builder(id, from, to, probe)
        .title(title)
        .target(toNode, address, port, pathKind)
        .expected(expected)
        .outcome(outcome)
        .verdict(verdict)
        .points(points)
        .attempts(attempts, flaky, elapsedMs)
        .pcapFiles(pcapFiles)
        .layer(layer)
        .cause(cause)
        .measure(measure)
        .handshakeMs(handshakeMs);
  }

  /** Fills in a {@link CheckResult} field group by field group; {@link #build} checks it. */
  public static final class Builder {
    private final String id;
    private final String from;
    private final String to;
    private final String probe;
    private String title;
    private String toNode;
    private String address;
    private int port;
    private String pathKind;
    private String expected = "pass";
    private Outcome outcome;
    private Verdict verdict;
    private int points = 1;
    private int attempts = 1;
    private boolean flaky;
    private long elapsedMs;
    private List<String> pcapFiles = List.of();
    private String layer = REACH;
    private String cause;
    private Measure measure;
    private Double handshakeMs;

    private Builder(String id, String from, String to, String probe) {
      this.id = id;
      this.from = from;
      this.to = to;
      this.probe = probe;
    }

    public Builder title(String title) {
      this.title = title;
      return this;
    }

    /** Where the probe went: the target node (null for a literal), address, port, path kind. */
    public Builder target(String toNode, String address, int port, String pathKind) {
      this.toNode = toNode;
      this.address = address;
      this.port = port;
      this.pathKind = pathKind;
      return this;
    }

    public Builder expected(String expected) {
      this.expected = expected;
      return this;
    }

    public Builder outcome(Outcome outcome) {
      this.outcome = outcome;
      return this;
    }

    public Builder verdict(Verdict verdict) {
      this.verdict = verdict;
      return this;
    }

    public Builder points(int points) {
      this.points = points;
      return this;
    }

    /** How many times the probe ran, whether the attempts disagreed, the deciding one's time. */
    public Builder attempts(int attempts, boolean flaky, long elapsedMs) {
      this.attempts = attempts;
      this.flaky = flaky;
      this.elapsedMs = elapsedMs;
      return this;
    }

    public Builder pcapFiles(List<String> pcapFiles) {
      this.pcapFiles = pcapFiles;
      return this;
    }

    /** {@link #REACH} (the default) or {@link #CONFIG}. */
    public Builder layer(String layer) {
      this.layer = layer;
      return this;
    }

    /** What the cell measured on its path. */
    public Builder measure(Measure value) {
      this.measure = value;
      return this;
    }

    /** A tcp cell's handshake time (SYN to SYN-ACK), null without one. */
    public Builder handshakeMs(Double ms) {
      this.handshakeMs = ms;
      return this;
    }

    /** The check of configuration whose failure explains this cell. */
    public Builder cause(String causeId) {
      this.cause = causeId;
      return this;
    }

    public CheckResult build() {
      return new CheckResult(
          id,
          title,
          from,
          to,
          toNode,
          address,
          port,
          probe,
          pathKind,
          expected,
          outcome,
          verdict,
          points,
          attempts,
          flaky,
          elapsedMs,
          pcapFiles,
          layer,
          cause,
          measure,
          handshakeMs);
    }
  }
}
