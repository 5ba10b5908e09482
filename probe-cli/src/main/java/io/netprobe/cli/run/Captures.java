package io.netprobe.cli.run;

import io.netprobe.agent.capture.CaptureSession;
import io.netprobe.agent.capture.CaptureSummary;
import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.matrix.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Steps 2 and 4: one capture per node for the whole run (not one per check), on all of the node's
 * interfaces, filtered to ICMP and the ports the checks use; packets are attributed to checks
 * afterwards by their flow marks ({@link FlowMatcher}).
 */
final class Captures {
  static final String ID = "run";
  private static final long WAIT_MS = 15_000;
  private static final long PEEK_WAIT_MS = 2_000;

  private final Map<String, AgentCalls> capturing;
  private final Map<String, String> whyNot;
  private final boolean pcap;

  /** Per node, the packets already read by {@link #peek} while the probes ran. */
  private final Map<String, List<PacketSummary>> peeked = new ConcurrentHashMap<>();

  private Captures(Map<String, AgentCalls> capturing, Map<String, String> whyNot, boolean pcap) {
    this.capturing = capturing;
    this.whyNot = whyNot;
    this.pcap = pcap;
  }

  static Captures start(
      Map<String, RunNode> nodes,
      Map<String, AgentCalls> agents,
      List<Check> checks,
      Duration window,
      boolean pcap) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("id", ID);
    args.put("iface", "any");
    args.put("filter", filter(checks));
    args.put("windowMs", window.toMillis());
    args.put("maxPackets", 100_000);
    args.put("snaplen", 128);
    args.put("pcap", pcap); // only when evidence files are written: the run cuts each cell's flows
    Map<String, CompletableFuture<String>> starting = new HashMap<>();
    Map<String, String> whyNot = new HashMap<>();
    nodes.forEach(
        (name, node) -> {
          if (node.canCapture()) {
            starting.put(
                name,
                agents
                    .get(name)
                    .call("capture.start", args)
                    .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
                    .thenApply(ok -> (String) null)
                    .exceptionally(e -> "capture did not start: " + RunEngine.cause(e)));
          } else {
            whyNot.put(name, node.captureWhyNot());
          }
        });
    Map<String, AgentCalls> capturing = new HashMap<>();
    starting.forEach(
        (name, f) -> {
          String failure = f.join();
          if (failure == null) {
            capturing.put(name, agents.get(name));
          } else {
            whyNot.put(name, failure);
          }
        });
    return new Captures(capturing, whyNot, pcap);
  }

  /** Whether {@code node} has a capture running. */
  boolean has(String node) {
    return capturing.containsKey(node);
  }

  /**
   * What one node's capture showed between two peeks: the new packets (their {@code atMs} count
   * from {@code startedAt}, epoch ms) and how far it has read: every packet stamped before {@code
   * drainedAtMs} (from {@code startedAt}) has been summarised.
   */
  record Peeked(List<PacketSummary> packets, long startedAt, double drainedAtMs) {
    static Peeked of(CaptureSession.Peek p) {
      return new Peeked(p.packets(), p.startedAt(), p.drainedAtMs());
    }

    /** A packet's time as epoch ms. */
    double at(PacketSummary p) {
      return startedAt + p.atMs();
    }

    /** The read mark as epoch ms. */
    double drainedAt() {
      return startedAt + drainedAtMs;
    }
  }

  /**
   * Reads, while the probes run, what {@code nodes}' captures saw since the last peek (all of them
   * at once; a node that does not answer in time shows nothing new). {@link #stop} then asks each
   * capture only for the packets not peeked: every packet is read once.
   */
  Map<String, Peeked> peek(Collection<String> nodes) {
    Map<String, CompletableFuture<Peeked>> asked = new HashMap<>();
    for (String name : nodes) {
      AgentCalls agent = capturing.get(name);
      if (agent == null) {
        continue;
      }
      int since = since(name);
      asked.put(
          name,
          agent
              .peek(ID, since)
              .orTimeout(PEEK_WAIT_MS, TimeUnit.MILLISECONDS)
              .thenApply(Peeked::of)
              .exceptionally(e -> null));
    }
    Map<String, Peeked> out = new HashMap<>();
    asked.forEach(
        (name, f) -> {
          Peeked p = f.join();
          if (p != null) {
            out.put(name, p);
            peeked.computeIfAbsent(name, k -> new ArrayList<>()).addAll(p.packets());
          }
        });
    return out;
  }

  /** Why there is no capture on {@code node}, or null when there is one. */
  String whyNot(String node) {
    return capturing.containsKey(node) ? null : whyNot.getOrDefault(node, "no capture");
  }

  /**
   * Stops every capture; their packet summaries come back, their pcaps stay with the agents until
   * {@link #pcaps} asks for those of the nodes that have a cell to back (usually none or few).
   */
  Map<String, CaptureSummary> stop() {
    Map<String, CompletableFuture<CaptureSummary>> stopping = new HashMap<>();
    capturing.forEach(
        (name, agent) ->
            stopping.put(
                name,
                agent
                    .call("capture.stop", Map.of("id", ID, "keepPcap", pcap, "since", since(name)))
                    .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
                    .thenApply(json -> withPeeked(name, RunEngine.read(json, CaptureSummary.class)))
                    .exceptionally(
                        e -> {
                          whyNot.put(name, "capture lost: " + RunEngine.cause(e));
                          return null;
                        })));
    Map<String, CaptureSummary> out = new HashMap<>();
    stopping.forEach(
        (name, f) -> {
          CaptureSummary s = f.join();
          if (s != null) {
            out.put(name, s);
          } else {
            capturing.remove(name);
          }
        });
    return out;
  }

  /** How many of the node's packets a peek has read already. */
  private int since(String node) {
    List<PacketSummary> p = peeked.get(node);
    return p == null ? 0 : p.size();
  }

  /** The whole capture: the packets peeked while the probes ran, then the rest. */
  private CaptureSummary withPeeked(String node, CaptureSummary rest) {
    List<PacketSummary> p = peeked.get(node);
    if (p == null || p.isEmpty()) {
      return rest;
    }
    List<PacketSummary> all = new ArrayList<>(p.size() + rest.packets().size());
    all.addAll(p);
    all.addAll(rest.packets());
    return new CaptureSummary(
        rest.id(),
        rest.iface(),
        rest.filter(),
        rest.matched(),
        rest.truncated(),
        rest.durationMs(),
        all,
        rest.pcapBase64(),
        rest.pcapPath(),
        rest.stopReason(),
        rest.startedAt());
  }

  /** The pcaps of {@code nodes}' captures (all at once); a node whose pcap is lost is left out. */
  Map<String, PcapEvidence.Capture> pcaps(Set<String> nodes) {
    Map<String, CompletableFuture<PcapEvidence.Capture>> asked = new HashMap<>();
    for (String name : nodes) {
      AgentCalls agent = capturing.get(name);
      if (agent != null && pcap) {
        asked.put(
            name,
            agent
                .call("capture.pcap", Map.of("id", ID))
                .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
                .thenApply(json -> PcapEvidence.Capture.of(json.path("pcapBase64").asText(null)))
                .exceptionally(e -> null));
      }
    }
    Map<String, PcapEvidence.Capture> out = new HashMap<>();
    asked.forEach(
        (name, f) -> {
          PcapEvidence.Capture c = f.join();
          if (c != null) {
            out.put(name, c);
          }
        });
    return out;
  }

  /**
   * ICMP, UDP to or from the ports the checks use (service and forwarded ports), and of TCP on
   * those ports only what a verdict reads: SYN, SYN-ACK and RST. The ACKs, data and FINs of every
   * connection that worked would triple the packets each capture hands over and the run parses
   * (IPv6 TCP is kept whole: libpcap reads TCP flags of IPv4 only).
   */
  static String filter(List<Check> checks) {
    TreeSet<Integer> ports = new TreeSet<>();
    checks.forEach(c -> FlowMatcher.ports(c).stream().filter(p -> p > 0).forEach(ports::add));
    if (ports.isEmpty()) {
      return "icmp or icmp6";
    }
    StringBuilder any = new StringBuilder("(");
    String sep = "";
    for (int p : ports) {
      any.append(sep).append("port ").append(p);
      sep = " or ";
    }
    any.append(")");
    return "icmp or icmp6 or (udp and "
        + any
        + ") or (tcp and "
        + any
        + " and (ip6 or tcp[tcpflags] & (tcp-syn|tcp-rst) != 0))";
  }
}
