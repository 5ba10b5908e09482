package io.netprobe.agent.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.netprobe.agent.icmp.IcmpError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one probe did at the packet level. Everything the coordinator explains comes from here: the
 * status, who sent an ICMP error, the source address and port the kernel chose (the flow mark a
 * capture is matched on), timings, and evidence lines in plain words. {@code startedAt} is the
 * wall-clock time (epoch ms) the probe began: it places the probe among a capture's packets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeResult(
    String probe,
    String host,
    String address,
    ProbeStatus status,
    String sourceAddress,
    Integer sourcePort,
    String mark,
    IcmpError icmpError,
    Echoes echoes,
    SshDetails ssh,
    List<Timing> timings,
    List<String> evidence,
    double elapsedMs,
    Long startedAt,
    Transactions transactions,
    Throughput throughput) {

  public ProbeResult {
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(status, "status");
    timings = timings == null ? List.of() : List.copyOf(timings);
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
  }

  /** A result without transactions: every probe but {@code rr}. */
  public ProbeResult(
      String probe,
      String host,
      String address,
      ProbeStatus status,
      String sourceAddress,
      Integer sourcePort,
      String mark,
      IcmpError icmpError,
      Echoes echoes,
      SshDetails ssh,
      List<Timing> timings,
      List<String> evidence,
      double elapsedMs,
      Long startedAt) {
    this(
        probe,
        host,
        address,
        status,
        sourceAddress,
        sourcePort,
        mark,
        icmpError,
        echoes,
        ssh,
        timings,
        evidence,
        elapsedMs,
        startedAt,
        null,
        null);
  }

  /** The same result with one more evidence line, last (what another node saw of the probe). */
  public ProbeResult withEvidence(String line) {
    List<String> more = new ArrayList<>(evidence);
    more.add(line);
    return new ProbeResult(
        probe,
        host,
        address,
        status,
        sourceAddress,
        sourcePort,
        mark,
        icmpError,
        echoes,
        ssh,
        timings,
        more,
        elapsedMs,
        startedAt,
        transactions,
        throughput);
  }

  /** The same result with {@code value} as its throughput (the receiver's count added). */
  public ProbeResult withThroughput(Throughput value) {
    return new ProbeResult(
        probe,
        host,
        address,
        status,
        sourceAddress,
        sourcePort,
        mark,
        icmpError,
        echoes,
        ssh,
        timings,
        evidence,
        elapsedMs,
        startedAt,
        transactions,
        value);
  }

  public static Builder builder(String probe, ProbeTarget target) {
    return new Builder(probe, target);
  }

  /** Collects a result while a probe runs; probes fill what they learn. */
  public static final class Builder {
    private final String probe;
    private final ProbeTarget target;
    private final long start = System.nanoTime();
    private final long startedAt = System.currentTimeMillis();
    private final List<Timing> timings = new ArrayList<>();
    private final List<String> evidence = new ArrayList<>();
    private String address;
    private ProbeStatus status = ProbeStatus.ERROR;
    private String sourceAddress;
    private Integer sourcePort;
    private IcmpError icmpError;
    private Echoes echoes;
    private SshDetails ssh;
    private Transactions transactions;
    private Throughput throughput;

    private Builder(String probe, ProbeTarget target) {
      this.probe = probe;
      this.target = target;
    }

    public Builder address(String value) {
      address = value;
      return this;
    }

    public Builder status(ProbeStatus value) {
      status = value;
      return this;
    }

    public ProbeStatus status() {
      return status;
    }

    public Builder source(String addressValue, Integer port) {
      sourceAddress = addressValue;
      sourcePort = port;
      return this;
    }

    public Builder sourcePort(int port) {
      sourcePort = port;
      return this;
    }

    public Builder icmpError(IcmpError value) {
      icmpError = value;
      return this;
    }

    public Builder echoes(Echoes value) {
      echoes = value;
      return this;
    }

    public Builder ssh(SshDetails value) {
      ssh = value;
      return this;
    }

    public Builder transactions(Transactions value) {
      transactions = value;
      return this;
    }

    public Builder throughput(Throughput value) {
      throughput = value;
      return this;
    }

    public Builder step(String name) {
      timings.add(Timing.since(name, start));
      return this;
    }

    /** A step that ended at {@code nanos} (System.nanoTime), recorded afterwards. */
    public Builder stepAt(String name, long nanos) {
      timings.add(new Timing(name, (nanos - start) / 1e6));
      return this;
    }

    public Builder evidence(String line) {
      evidence.add(line);
      return this;
    }

    /** How many evidence lines there are so far (where a later summary line should go). */
    public int evidenceCount() {
      return evidence.size();
    }

    public Builder evidence(int index, String line) {
      evidence.add(Math.min(index, evidence.size()), line);
      return this;
    }

    public String from() {
      if (sourceAddress == null) {
        return sourcePort == null ? "this node" : "port " + sourcePort;
      }
      return sourcePort == null
          ? sourceAddress
          : io.netprobe.agent.address.Addresses.withPort(sourceAddress, sourcePort);
    }

    public ProbeResult build() {
      return new ProbeResult(
          probe,
          target.host(),
          address,
          status,
          sourceAddress,
          sourcePort,
          target.mark(),
          icmpError,
          echoes,
          ssh,
          timings,
          evidence,
          Math.round((System.nanoTime() - start) / 1e3) / 1e3,
          startedAt,
          transactions,
          throughput);
    }
  }
}
