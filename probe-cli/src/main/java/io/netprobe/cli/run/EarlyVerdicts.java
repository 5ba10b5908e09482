package io.netprobe.cli.run;

import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.capture.PacketSummary.Direction;
import io.netprobe.agent.capture.PacketSummary.Protocol;
import io.netprobe.agent.probe.Echoes;
import io.netprobe.agent.probe.IcmpProbe;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.agent.text.Decimals;
import io.netprobe.matrix.Check;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Decides a cell before its timeout where the target's own capture already shows the outcome: the
 * request arrived, every request the probe will send before its timeout arrived, and the target
 * sent nothing back within a margin. That is DROPPED_AT_TARGET, whether the probe waits out its
 * timeout or not; the run need not wait. A matrix whose failures all leave that evidence then
 * finishes well under one timeout; a cell with no such evidence (nothing arrived, no capture at
 * either end, a flow the captures cannot tell apart) waits for its probe as before.
 *
 * <p>Only kernel-level answers are decided this way (an echo reply, a SYN-ACK, a RST): the kernel
 * answers in the same moment a request arrives. An application's answer (an SSH banner, a login) is
 * never awaited here. The margin is {@value #FLOOR_MS} ms or {@value #LATENCY_FACTOR} times the
 * longest the target took to answer any request in this run, whichever is longer, and there is no
 * early verdict at a target that has answered nothing yet: a target whose answers queue behind a
 * slow link (its own capture sees them leave late) shows that in its answers to the others. TCP
 * retransmits an unanswered SYN after 1 s, 3 s, 7 s...: the cell waits until every SYN sent before
 * the timeout has arrived unanswered, as ICMP waits for every echo of its count.
 *
 * <p>The captures are read while the probes run ({@link Captures#peek}), every {@value #POLL_MS}
 * ms, and only the packets a capture has fully read count: a target's silence up to the time its
 * capture has read, never beyond.
 */
final class EarlyVerdicts implements AutoCloseable {
  static final long FLOOR_MS = 50;
  static final int LATENCY_FACTOR = 20;
  static final long POLL_MS = 20;

  /** How far past its mark's id a probe's echo id is looked for (the agent takes the next free). */
  static final int ID_SLACK = 64;

  /** When Linux sends an unanswered SYN again, counted from the first (initial RTO 1 s). */
  private static final long[] SYN_AGAIN_MS = {1_000, 3_000, 7_000, 15_000, 31_000, 63_000};

  private final Captures captures;
  private final Map<String, NodeView> views = new HashMap<>();
  private final List<Watched> watched = new ArrayList<>();
  private final ScheduledExecutorService timer;
  private ScheduledFuture<?> polling;
  private final java.util.concurrent.atomic.AtomicInteger decided =
      new java.util.concurrent.atomic.AtomicInteger();

  EarlyVerdicts(Captures captures) {
    this.captures = captures;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            // it reads the captures for the cells: served before the probes' set-up on busy cores
            r -> io.netprobe.agent.net.NetNamespace.observerInOwn("np-early-verdicts", r));
  }

  /** How many cells were decided early. */
  int decided() {
    return decided.get();
  }

  /**
   * Whether a failure of {@code check} can be decided here: its target is a node other than its
   * source, both ends are captured, and the target's kernel answers its requests (not UDP, which a
   * silent service does not answer either).
   */
  boolean decidable(Check check) {
    String target = check.to().node().orElse(null);
    return target != null
        && !target.equals(check.from())
        && check.probe().transport() != ProbeSpec.Transport.UDP
        && captures.has(target)
        && captures.has(check.from());
  }

  /**
   * Starts the probe ({@code start}) and returns its result, or an early one when the target's
   * capture decides first. Cells that cannot be decided early get the probe's own future back. The
   * watch begins before the probe starts: a request is told from an earlier one of the same flow by
   * its time, and a probe's echo can leave before a busy thread that started it gets on (an echo 5
   * ms older than the watch was taken for another's, and its cell waited out its timeout).
   */
  CompletableFuture<ProbeResult> watch(
      Check check, ProbeArgs request, Supplier<CompletableFuture<ProbeResult>> start) {
    long since = System.currentTimeMillis();
    CompletableFuture<ProbeResult> probe = start.get();
    if (!decidable(check)) {
      return probe;
    }
    Watched w = new Watched(check, request, check.to().node().orElseThrow(), since);
    probe.whenComplete(
        (r, e) -> {
          if (e != null) {
            w.result.completeExceptionally(e);
          } else {
            w.result.complete(r);
          }
        });
    // the probe started outside the lock: a session's write must not hold up the poll
    synchronized (this) {
      watched.add(w);
      if (polling == null) {
        polling = timer.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
      }
    }
    return w.result;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private void poll() {
    try {
      List<Watched> open;
      synchronized (this) {
        watched.removeIf(w -> w.result.isDone());
        open = List.copyOf(watched);
      }
      if (open.isEmpty()) {
        return;
      }
      Set<String> nodes = new LinkedHashSet<>();
      Map<String, Integer> flows = new HashMap<>();
      open.forEach(
          w -> {
            nodes.add(w.check.from());
            nodes.add(w.target);
            flows.merge(w.sourceService, 1, Integer::sum);
          });
      captures
          .peek(nodes)
          .forEach((node, p) -> views.computeIfAbsent(node, n -> new NodeView()).add(p));
      for (Watched w : open) {
        // two checks from one source to one service at once: the captures cannot tell them apart
        if (flows.get(w.sourceService) == 1) {
          decide(w);
        }
      }
    } catch (RuntimeException e) {
      // a failed peek decides nothing: the probes' own results still come
    }
  }

  private void decide(Watched w) {
    NodeView source = views.get(w.check.from());
    NodeView target = views.get(w.target);
    if (source == null || target == null) {
      return;
    }
    Sent sent = source.flowSince(w.sentKey, w.since - 5);
    if (sent == null && w.icmp()) {
      sent = w.echoUnderAnotherId(source);
    }
    if (sent == null) {
      return;
    }
    String flow = w.flowKey(sent);
    Arrivals in = target.arrived.get(flow);
    if (in == null || target.answered.contains(flow) || target.erroredTo.contains(sent.src)) {
      return;
    }
    Latency service = target.latency.get(w.wireKey);
    if (in.count < w.requestsBeforeTimeout() || service == null) {
      return;
    }
    double margin = Math.max(FLOOR_MS, LATENCY_FACTOR * service.longestMs);
    if (target.drainedAt < in.lastAt + margin) {
      return;
    }
    // counted before the cell completes: whoever waits on the cell may read the count at once
    decided.incrementAndGet();
    if (!w.result.complete(w.early(sent, in, service, margin))) {
      decided.decrementAndGet();
    }
  }

  /** One cell that may be decided early. */
  private static final class Watched {
    final Check check;
    final ProbeArgs request;
    final String target;
    final long since;
    final CompletableFuture<ProbeResult> result = new CompletableFuture<>();

    /** The keys a poll looks it up by, made once (a poll asks a thousand cells). */
    final String wireKey;

    final String sentKey;
    final String sourceService;
    private String flowKey;
    private Sent flowOf;

    /** The echo id the probe's socket got: the mark's, or the next free one after it. */
    private int echoId;

    Watched(Check check, ProbeArgs request, String target, long since) {
      this.check = check;
      this.request = request;
      this.target = target;
      this.since = since;
      String ip = request.target().host();
      this.wireKey =
          icmp() ? NodeView.serviceKey(ip, -1) : NodeView.serviceKey(ip, request.spec().port());
      this.echoId = icmp() ? icmpId() : 0;
      this.sentKey = icmp() ? NodeView.echoKey("", ip, echoId) : wireKey;
      this.sourceService = check.from() + "|" + wireKey;
    }

    /**
     * The probe's echo when its socket got another id than its mark's: the agent takes the next
     * free one when another probe of the JVM holds it (a run of 1,560 echoes has ~18 such pairs).
     * The one echo to the target since the watch began with an id within {@value #ID_SLACK} after
     * the mark's; none when there is none or more than one.
     */
    Sent echoUnderAnotherId(NodeView source) {
      String ip = request.target().host();
      int preferred = icmpId();
      Sent found = null;
      int foundId = 0;
      for (NodeView.Echo e : source.echoesTo.getOrDefault(ip, List.of())) {
        int after = Math.floorMod(e.id() - preferred, 65535);
        if (after >= 1 && after <= ID_SLACK && e.sent().firstAt >= since - 5) {
          if (found != null) {
            return null;
          }
          found = e.sent();
          foundId = e.id();
        }
      }
      if (found != null && foundId != echoId) {
        echoId = foundId;
        flowOf = null; // its flow at the target is under that id
      }
      return found;
    }

    boolean icmp() {
      return request.spec() instanceof ProbeSpec.Icmp;
    }

    int icmpId() {
      return IcmpProbe.identifierFor(request.target().mark());
    }

    /** The flow as it arrives at the target, untranslated: a NAT on the way never matches. */
    String flowKey(Sent sent) {
      if (flowOf != sent) { // a new flow (a retried connect picks another source port)
        flowOf = sent;
        String ip = request.target().host();
        flowKey =
            icmp()
                ? NodeView.echoKey(sent.src, ip, echoId)
                : NodeView.synKey(sent.src, sent.srcPort, ip, request.spec().port());
      }
      return flowKey;
    }

    /** Echoes in an ICMP probe; SYNs a TCP connect sends before its timeout. */
    int requestsBeforeTimeout() {
      if (request.spec() instanceof ProbeSpec.Icmp icmp) {
        return icmp.count();
      }
      int n = 1;
      for (long again : SYN_AGAIN_MS) {
        if (again < request.target().timeoutMs()) {
          n++;
        }
      }
      return n;
    }

    ProbeResult early(Sent sent, Arrivals in, Latency service, double margin) {
      long now = System.currentTimeMillis();
      String what = icmp() ? "echo request" : "SYN";
      String dst = request.target().host();
      List<String> evidence = new ArrayList<>();
      evidence.add(
          (icmp() ? "echo requests sent from " + sent.src : "SYN sent from " + sent.src)
              + (sent.srcPort == null ? "" : ":" + sent.srcPort)
              + " to "
              + dst
              + (icmp() ? "" : ":" + request.spec().port())
              + " ("
              + check.from()
              + "'s capture)");
      evidence.add(
          "decided early, "
              + Math.round(now - sent.firstAt)
              + " ms after the first "
              + what
              + " and not after the "
              + request.target().timeoutMs()
              + " ms timeout: "
              + (in.count == 1 ? "the" : "all " + in.count)
              + " "
              + what
              + (in.count == 1 ? "" : "s")
              + " reached "
              + this.target
              + " and "
              + this.target
              + " sent nothing back within "
              + Math.round(margin)
              + " ms ("
              + LATENCY_FACTOR
              + " x the longest "
              + this.target
              + " took to answer one of "
              + service.answered
              + " others to "
              + dst
              + (icmp() ? "" : ":" + request.spec().port())
              + " in this run, "
              + Decimals.fixed(service.longestMs, 1)
              + " ms; at least "
              + FLOOR_MS
              + " ms)");
      ProbeSpec spec = request.spec();
      String label =
          spec instanceof ProbeSpec.Ssh
              ? (spec.port() == 22 ? "ssh" : "ssh:" + spec.port())
              : spec.label();
      // under the id its echoes left with: the run's explanation finds them by it
      Echoes echoes =
          spec instanceof ProbeSpec.Icmp icmp
              ? new Echoes(icmp.count(), 0, List.of(), null, echoId, "early")
              : null;
      return new ProbeResult(
          label,
          dst,
          dst,
          ProbeStatus.TIMEOUT,
          sent.src,
          sent.srcPort,
          request.target().mark(),
          null,
          echoes,
          null,
          List.of(),
          evidence,
          now - sent.firstAt,
          Math.round(sent.firstAt));
    }
  }

  /** The first request of a flow seen leaving its source. */
  private record Sent(String src, Integer srcPort, double firstAt) {}

  /** The requests of one flow seen arriving at its target. */
  private static final class Arrivals {
    int count;
    double firstAt;
    double lastAt;
  }

  /** How a target answered the requests to one of its services in this run. */
  private static final class Latency {
    int answered;
    double longestMs;
  }

  /**
   * One node's capture so far, indexed for the decisions: the flows it sent (as a source), what
   * arrived and what it answered (as a target), how long its answers took per service, and how far
   * it has read.
   */
  private static final class NodeView {
    /** Per service (or echo id), every flow seen leaving, by its source port, oldest first. */
    final Map<String, Map<Integer, Sent>> sent = new HashMap<>();

    /** An echo request seen leaving: its id and when. */
    record Echo(int id, Sent sent) {}

    /** The echo requests seen leaving, by their destination. */
    final Map<String, List<Echo>> echoesTo = new HashMap<>();

    final Map<String, Arrivals> arrived = new HashMap<>();
    final Set<String> answered = new HashSet<>();
    final Set<String> erroredTo = new HashSet<>();
    final Map<String, Latency> latency = new HashMap<>();
    double drainedAt;

    /**
     * The one flow to {@code key} that began since {@code since} (epoch ms); null when none did or
     * more than one did (an earlier attempt's connect may still be sending its SYNs).
     */
    Sent flowSince(String key, double since) {
      Sent found = null;
      for (Sent s : sent.getOrDefault(key, Map.of()).values()) {
        if (s.firstAt >= since) {
          if (found != null) {
            return null;
          }
          found = s;
        }
      }
      return found;
    }

    static String serviceKey(String dst, int port) {
      return port < 0 ? "i|" + dst : "t|" + dst + "|" + port;
    }

    static String synKey(String src, Integer srcPort, String dst, int dstPort) {
      return "t|" + src + "|" + srcPort + "|" + dst + "|" + dstPort;
    }

    static String echoKey(String src, String dst, int id) {
      return "i|" + src + "|" + dst + "|" + id;
    }

    void add(Captures.Peeked p) {
      for (PacketSummary packet : p.packets()) {
        add(packet, p.at(packet));
      }
      drainedAt = Math.max(drainedAt, p.drainedAt());
    }

    private void add(PacketSummary p, double at) {
      if (p.direction() == null) {
        return;
      }
      boolean out = p.direction() == Direction.OUT;
      if (p.protocol() == Protocol.TCP && p.tcpFlags() != null) {
        boolean syn = p.tcpFlags().equals("S");
        if (syn && out) {
          sent.computeIfAbsent(serviceKey(p.dst(), p.dstPort()), k -> new LinkedHashMap<>())
              .putIfAbsent(p.srcPort(), new Sent(p.src(), p.srcPort(), at));
        } else if (syn) {
          arrive(synKey(p.src(), p.srcPort(), p.dst(), p.dstPort()), at);
        } else if (out && (p.tcpFlags().contains("R") || p.tcpFlags().equals("SA"))) {
          answer(
              synKey(p.dst(), p.dstPort(), p.src(), p.srcPort()),
              serviceKey(p.src(), p.srcPort()),
              at);
        }
      } else if (p.protocol() == Protocol.ICMP && p.icmpType() != null) {
        int type = p.icmpType();
        if (type == 8 && out) {
          Map<Integer, Sent> flows =
              sent.computeIfAbsent(echoKey("", p.dst(), p.icmpId()), k -> new LinkedHashMap<>());
          if (!flows.containsKey(-1)) {
            Sent s = new Sent(p.src(), null, at);
            flows.put(-1, s);
            echoesTo.computeIfAbsent(p.dst(), k -> new ArrayList<>()).add(new Echo(p.icmpId(), s));
          }
        } else if (type == 8) {
          arrive(echoKey(p.src(), p.dst(), p.icmpId()), at);
        } else if (type == 0 && out) {
          answer(echoKey(p.dst(), p.src(), p.icmpId()), serviceKey(p.src(), -1), at);
        } else if (type != 0 && out) {
          erroredTo.add(p.dst()); // an ICMP error sent back: an answer, whichever flow it names
        }
      }
    }

    private void arrive(String key, double at) {
      Arrivals a = arrived.computeIfAbsent(key, k -> new Arrivals());
      if (a.count++ == 0) {
        a.firstAt = at;
      }
      a.lastAt = at;
    }

    private void answer(String flow, String service, double at) {
      answered.add(flow);
      Arrivals a = arrived.get(flow);
      if (a != null) {
        Latency l = latency.computeIfAbsent(service, k -> new Latency());
        l.answered++;
        // from the flow's first request: an answer that waited in the target's queue (a slow
        // link) leaves after the requests sent again, and from the last it would look quick
        l.longestMs = Math.max(l.longestMs, at - a.firstAt);
      }
    }
  }
}
