package io.netprobe.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.capture.CaptureRequest;
import io.netprobe.agent.capture.CaptureSession;
import io.netprobe.agent.capture.CaptureSummary;
import io.netprobe.agent.facts.ProcFacts;
import io.netprobe.agent.listen.TempListener;
import io.netprobe.agent.net.HostResolver;
import io.netprobe.agent.net.NetNamespace;
import io.netprobe.agent.probe.ProbeListener;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeTarget;
import io.netprobe.agent.probe.Probes;
import io.netprobe.agent.protocol.AgentProtocol;
import io.netprobe.agent.protocol.Args;
import io.netprobe.agent.protocol.BadRequestException;
import io.netprobe.agent.protocol.Operation;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.agent.rules.RulesReader;
import io.netprobe.agent.rules.RulesSnapshot;
import io.netprobe.agent.trace.TraceRequest;
import io.netprobe.agent.trace.TraceResult;
import io.netprobe.agent.trace.Tracer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One agent session: the protocol with its operations and what they started (captures, listeners).
 * Closing it stops them all; a transport closes it when its peer goes away.
 */
public final class Agent implements AutoCloseable {
  public static final String VERSION = "0.1.0";

  private final AgentProtocol protocol;
  private final Runnable onBye;
  private final NetNamespace netns;
  private final Map<String, CaptureSession> captures = new ConcurrentHashMap<>();

  /** Stopped captures whose pcap waits for capture.pcap (deleted at close if never asked for). */
  private final Map<String, CaptureSession> keptPcaps = new ConcurrentHashMap<>();

  private final Map<String, TempListener> listeners = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private volatile Capabilities capabilities;
  private volatile boolean byeRequested;
  private volatile ProbeListener listener = ProbeListener.NONE;

  /** An agent in this process's own network namespace. */
  public Agent(ObjectMapper json, Consumer<String> out, Runnable onBye) {
    this(json, out, onBye, NetNamespace.process());
  }

  /**
   * An agent working in {@code netns}: its requests must arrive on a thread inside that namespace
   * (facts, captures and listeners open there: one of its own, or a shared worker's task); its
   * probes run inside it too (its Netty loop, the shared workers and echo reactors entering it).
   */
  public Agent(ObjectMapper json, Consumer<String> out, Runnable onBye, NetNamespace netns) {
    this.onBye = onBye;
    this.netns = netns;
    this.protocol =
        new AgentProtocol(json, out)
            .register("hello", Operation.now(this::hello))
            .register("facts", Operation.now(this::facts))
            .register("probe", this::probe)
            .register("trace", this::trace)
            .register("capture.start", Operation.now(this::captureStart))
            .register("capture.stop", Operation.now(this::captureStop))
            .register("capture.peek", Operation.now(this::capturePeek))
            .register("capture.pcap", Operation.now(this::capturePcap))
            .register("listen.start", Operation.now(this::listenStart))
            .register("listen.stop", Operation.now(this::listenStop))
            .register("rules", this::rules)
            .register("bye", Operation.now(this::bye));
  }

  /** Handles one request line; after a {@code bye} reply has gone out, runs the bye action. */
  public void handle(String line) {
    protocol.handle(line);
    if (byeRequested) {
      byeRequested = false;
      onBye.run();
    }
  }

  /**
   * Runs {@code op} for a caller in this JVM, as its request would, the result as the operation
   * made it (no JSON either way). Call it on a thread of the agent's namespace, one call at a time,
   * as the request lines arrive ({@link Args#of} makes the args from plain values).
   */
  public CompletableFuture<?> call(String op, Args args) {
    return protocol.call(op, args);
  }

  private Object hello(Args args) {
    Capabilities caps = capabilities();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", "netprobe-agent");
    out.put("version", VERSION);
    out.put("pid", ProcessHandle.current().pid());
    out.put("java", Runtime.version().toString());
    out.put("ops", protocol.operations());
    out.put("probes", List.of("icmp", "tcp", "udp", "ssh", "http", "rr"));
    out.put("capabilities", caps);
    List<String> missing = new ArrayList<>();
    if (!caps.icmpAllowed()) {
      missing.add("icmp: " + caps.pingSocket().reason() + "; " + caps.rawSocket().reason());
    }
    if (!caps.capture().allowed()) {
      missing.add("capture: " + caps.capture().reason());
    }
    if (!caps.rules().allowed()) {
      missing.add("rules: " + caps.rules().reason());
    }
    out.put("degraded", missing);
    return out;
  }

  private Capabilities capabilities() {
    Capabilities caps = capabilities;
    if (caps == null) {
      caps = Capabilities.detect();
      capabilities = caps;
    }
    return caps;
  }

  private Object facts(Args args) throws IOException {
    // routeTo: one address or many (a run asks once per node for all its targets)
    // a name resolves as a probe's would: this namespace's files and nameservers
    // every name is asked at once: a dropped nameserver costs one timeout, not one per name
    int timeoutMs = args.integer("timeoutMs", 1, ProbeTarget.MAX_TIMEOUT_MS, 1000);
    Map<String, CompletableFuture<HostResolver.Answer>> answers = new HashMap<>();
    List<String> routeTo = args.strings("routeTo");
    for (String destination : routeTo) {
      answers.computeIfAbsent(destination, name -> netns.resolver().resolve(name, timeoutMs));
    }
    // translations: false skips the connection table, a walk of the machine's whole conntrack
    // hash (262,144 buckets here) in every namespace with a connection tracked
    boolean translations = args.bool("translations", true);
    return ProcFacts.system().read(routeTo, name -> answers.get(name).join(), translations);
  }

  private CompletableFuture<?> probe(Args args) {
    return probe(ProbeArgs.parse(args));
  }

  /**
   * Runs one probe, as the {@code probe} op does, for a caller in the same JVM (no JSON either
   * way). Call it on a thread of the agent's namespace: a TCP probe opens its socket there.
   */
  public CompletableFuture<ProbeResult> probe(ProbeArgs request) {
    ProbeListener heard = listener;
    heard.started(request.spec().label(), request.target());
    return Probes.create(request.spec(), request.options(), netns)
        .run(request.target())
        .thenApply(
            result -> {
              heard.finished(result);
              return result;
            });
  }

  private CompletableFuture<?> trace(Args args) {
    return trace(TraceRequest.parse(args));
  }

  /**
   * Traces one flow hop by hop, as the {@code trace} op does, for a caller in the same JVM. The
   * trace waits for its answers on a worker thread of the agent's namespace (its raw sockets are
   * opened there), never on the caller's.
   */
  public CompletableFuture<TraceResult> trace(TraceRequest request) {
    return CompletableFuture.supplyAsync(() -> Tracer.run(request), netns.workers());
  }

  /** Hears every probe this session runs (verbose logs, tests); NONE by default. */
  public Agent listener(ProbeListener value) {
    listener = value;
    return this;
  }

  /**
   * The packet-filter rules and their counters (iptables-save -c), read on a worker of the agent's
   * namespace: the binary starts from that thread and so reads that namespace's rules.
   */
  private CompletableFuture<RulesSnapshot> rules(Args args) {
    Set<String> tables = Set.copyOf(args.strings("tables"));
    for (String table : tables) {
      if (!table.matches("[a-z][a-z0-9_-]{0,31}")) {
        throw BadRequestException.field(
            "args.tables",
            "args.tables: not a table name: \""
                + table
                + "\" (filter, nat, mangle, raw, security)");
      }
    }
    int timeoutMs = args.integer("timeoutMs", 100, 60_000, 5000);
    return CompletableFuture.supplyAsync(
        () -> RulesReader.system().snapshot(tables, timeoutMs), netns.workers());
  }

  private Object captureStart(Args args) throws IOException {
    if (!capabilities().capture().allowed()) {
      throw new BadRequestException(
          "CAPTURE_UNAVAILABLE",
          null,
          "capture is not allowed here: " + capabilities().capture().reason());
    }
    String id = args.string("id", "cap-" + ids.incrementAndGet());
    if (captures.containsKey(id)) {
      throw BadRequestException.field("args.id", "args.id: capture " + id + " already runs");
    }
    CaptureRequest request =
        new CaptureRequest(
            id,
            args.string("iface", "any"),
            args.string("filter", null),
            args.integer("windowMs", 1, 600_000, 60_000),
            args.integer("maxPackets", 0, 100_000, 1000),
            args.integer("snaplen", 64, 262_144, 262_144),
            args.bool("pcap", false),
            args.string("pcapPath", null));
    captures.put(id, CaptureSession.start(request));
    return Map.of("id", id, "iface", request.iface());
  }

  private Object captureStop(Args args) throws IOException {
    String id = args.string("id");
    CaptureSession session = captures.remove(id);
    if (session == null) {
      throw BadRequestException.field(
          "args.id", "args.id: no capture " + id + " is running; running: " + captures.keySet());
    }
    boolean keep = args.bool("keepPcap", false);
    CaptureSummary summary = session.stop(keep, args.integer("since", 0, Integer.MAX_VALUE, 0));
    if (session.hasKeptPcap()) {
      CaptureSession before = keptPcaps.put(id, session);
      if (before != null && before != session) {
        before.discard(); // a watch stops "run" every round: the last round's pcap goes
      }
    }
    return summary;
  }

  private Object capturePeek(Args args) {
    return peek(args.string("id"), args.integer("since", 0, Integer.MAX_VALUE, 0));
  }

  /**
   * The packets of a running capture from the {@code since}-th on, and how far it has read, as the
   * {@code capture.peek} op answers; a caller in this JVM calls it from any thread.
   */
  public CaptureSession.Peek peek(String id, int since) {
    CaptureSession session = captures.get(id);
    if (session == null) {
      throw BadRequestException.field(
          "args.id", "args.id: no capture " + id + " is running; running: " + captures.keySet());
    }
    return session.peek(since);
  }

  /** The pcap of a capture stopped with keepPcap, once: the file goes with the reply. */
  private Object capturePcap(Args args) throws IOException {
    String id = args.string("id");
    CaptureSession session = keptPcaps.remove(id);
    if (session == null) {
      throw BadRequestException.field(
          "args.id",
          "args.id: no pcap is kept for capture "
              + id
              + "; stop it with keepPcap and pcap:true at start; kept: "
              + keptPcaps.keySet());
    }
    return Map.of("id", id, "pcapBase64", session.takePcap());
  }

  private Object listenStart(Args args) throws IOException {
    String id = args.string("id", "listen-" + ids.incrementAndGet());
    if (listeners.containsKey(id)) {
      throw BadRequestException.field("args.id", "args.id: listener " + id + " already runs");
    }
    TempListener listener =
        TempListener.open(
            id,
            args.choice("protocol", TempListener.Protocol.class, TempListener.Protocol.TCP),
            args.choice("mode", TempListener.Mode.class, TempListener.Mode.HELLO),
            args.string("bind", "0.0.0.0"),
            args.integer("port", 0, 65535),
            args.integer("windowMs", 1, 600_000, 60_000));
    listeners.put(id, listener);
    return Map.of("id", id, "port", listener.port());
  }

  private Object listenStop(Args args) {
    String id = args.string("id");
    TempListener listener = listeners.remove(id);
    if (listener == null) {
      throw BadRequestException.field(
          "args.id", "args.id: no listener " + id + " is running; running: " + listeners.keySet());
    }
    return listener.stop();
  }

  private Object bye(Args args) {
    byeRequested = true;
    return Map.of("bye", true);
  }

  /** Waits up to {@code millis} for replies still owed (probes in flight). */
  public boolean awaitReplies(long millis) throws InterruptedException {
    return protocol.awaitReplies(millis);
  }

  /** Stops every capture and listener this session started, and its namespace's threads. */
  @Override
  public void close() {
    captures.values().forEach(CaptureSession::close);
    captures.clear();
    keptPcaps.values().forEach(CaptureSession::discard);
    keptPcaps.clear();
    listeners.values().forEach(TempListener::close);
    listeners.clear();
    netns.close();
  }
}
