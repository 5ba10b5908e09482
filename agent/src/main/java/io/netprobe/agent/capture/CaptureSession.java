package io.netprobe.agent.capture;

import io.netprobe.agent.facts.ProcFacts;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * One running capture (pcap4j on one interface, or {@code any}): its packets are read by {@link
 * CapturePoller}, the one thread that reads every capture of this JVM, summarised and, when asked
 * for, written to a pcap. The handle does not block (libpcap's read timeout does not fire on Linux
 * in immediate mode, and a blocked read says nothing of what has arrived): a read that finds
 * nothing proves every packet stamped before it has been read, which {@link #peek} reports (a run's
 * early verdicts wait on that). {@link #stop} reads what the ring still holds, then closes it.
 */
public final class CaptureSession implements AutoCloseable {
  /** At most this many packets a turn of the poller, so that one busy capture starves no other. */
  private static final int BATCH = 256;

  /**
   * The kernel's ring for this capture: 512 KB, some 2,000 packets of a 128-byte snap length, a
   * second of a busy lab's traffic if the reader stalls. libpcap's default of 2 MB is resident for
   * every capture (200 MB for a hundred namespaces). A ring that overflowed anyway makes the
   * capture truncated ({@link #dropped}), and the explanations do not trust it.
   */
  private static final int RING_BYTES = 512 * 1024;

  private final CaptureRequest request;
  private final PcapHandle handle;

  /**
   * Held while a packet is read and taken, and while the handle closes: the poller and {@link
   * #stop} take turns, and no read follows the close.
   */
  private final PcapReader reads;

  private boolean handleOpen = true;

  /** The pcap, when one is wanted: the file the request named, else memory (then a file). */
  private final PcapWriter dumper;

  private final int dlt;
  private final Set<String> localAddresses;
  private final List<PacketSummary> packets = Collections.synchronizedList(new ArrayList<>());
  private final long startNanos = System.nanoTime();
  private final long startedAt = System.currentTimeMillis();
  private volatile boolean stopping;
  private volatile String stopReason;
  private volatile int matched;
  private volatile boolean keptForLater;
  private volatile double drainedAtMs;
  private long stoppedNanos;

  /** Packets the kernel could not put in the ring (it was full), read at stop. */
  private long dropped;

  private CaptureSession(CaptureRequest request) throws IOException {
    this.request = request;
    this.localAddresses = localAddresses();
    try {
      handle =
          new PcapHandle.Builder(request.iface())
              .snaplen(request.snaplen())
              .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
              .timeoutMillis(100)
              .immediateMode(true)
              .bufferSize(RING_BYTES)
              .build();
      handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
      if (request.filter() != null) {
        BpfProgram kept = compiled(request.filter(), handle.getDlt(), request.snaplen());
        if (kept != null) {
          handle.setFilter(kept);
        } else {
          handle.setFilter(request.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
        }
      }
      dlt = handle.getDlt().value();
      reads = new PcapReader(handle);
      dumper =
          !request.wantsPcap()
              ? null
              : request.pcapPath() != null
                  ? new PcapWriter(Path.of(request.pcapPath()), dlt, request.snaplen())
                  : PcapWriter.inMemory(dlt, request.snaplen(), () -> pcapPath(request));
    } catch (Exception e) {
      throw new IOException(
          "cannot capture on "
              + request.iface()
              + " with filter \""
              + request.filter()
              + "\": "
              + e.getMessage()
              + " (check the interface name with the facts op, and the BPF syntax)",
          e);
    }
  }

  /** Opens the capture and starts reading; the filter is compiled before this returns. */
  public static CaptureSession start(CaptureRequest request) throws IOException {
    String lib = Libpcap.find();
    if (lib != null && System.getProperty("org.pcap4j.core.pcapLibName") == null) {
      System.setProperty("org.pcap4j.core.pcapLibName", lib);
    }
    CaptureSession session = new CaptureSession(request);
    CapturePoller.read(session);
    return session;
  }

  public String id() {
    return request.id();
  }

  public boolean expired() {
    return System.nanoTime() - startNanos > request.windowMs() * 1_000_000L;
  }

  /**
   * One turn of the poller: reads what the ring holds now, up to {@value #BATCH} packets. READ when
   * it read some, IDLE when none came, DONE when this capture wants no more turns (stopped, its
   * window ended, or it failed).
   */
  CapturePoller.Turn poll() {
    if (stopping) {
      return CapturePoller.Turn.DONE;
    }
    boolean ended = expired();
    double readFrom = sinceStartMs(System.currentTimeMillis() * 1000L) - 1;
    try {
      int n = 0;
      while ((ended || n < BATCH) && readOne(ended)) {
        n++;
      }
      if (ended) {
        stopReason = "window of " + request.windowMs() + " ms ended";
        return CapturePoller.Turn.DONE;
      }
      if (n < BATCH) {
        // a read found nothing: every packet stamped before this turn began has been read
        drainedAtMs = Math.max(drainedAtMs, readFrom);
        return n > 0 ? CapturePoller.Turn.READ : CapturePoller.Turn.IDLE;
      }
      return CapturePoller.Turn.READ;
    } catch (EOFException e) {
      return CapturePoller.Turn.DONE; // the capture ended (pcap_next_ex: no more packets)
    } catch (Exception e) {
      if (!stopping) {
        stopReason = "capture failed: " + e.getMessage();
      }
      return CapturePoller.Turn.DONE;
    }
  }

  /** The capture's socket, readable when its ring holds a packet (poll(2)); -1 if unknown. */
  int fd() {
    return reads.fd();
  }

  /**
   * A turn of the poller for a capture whose socket poll(2) found not readable at {@code
   * beforeMicros} (epoch µs, taken before the poll): its ring held no packet then, which proves
   * what a read that finds nothing proves, without the read. A stopped or ended capture takes its
   * full turn.
   */
  CapturePoller.Turn quiet(long beforeMicros) {
    if (stopping || expired()) {
      return poll();
    }
    drainedAtMs = Math.max(drainedAtMs, sinceStartMs(beforeMicros) - 1);
    return CapturePoller.Turn.IDLE;
  }

  /**
   * Reads and takes one packet; false when the ring had none, the handle is closed, or (with {@code
   * bounded}) the summaries are full: what is left then is the ring's to drop.
   */
  private boolean readOne(boolean bounded) throws IOException {
    synchronized (reads) {
      if (!handleOpen || bounded && packets.size() >= request.maxPackets()) {
        return false;
      }
      byte[] frame = reads.next();
      if (frame == null) {
        return false;
      }
      take(frame, reads.micros());
      return true;
    }
  }

  /** One packet read: into the pcap, summarised, and the read mark moved past it. */
  private void take(byte[] frame, long micros) throws IOException {
    matched++;
    if (dumper != null) {
      dumper.write(frame, micros);
    }
    double at = sinceStartMs(micros);
    if (packets.size() < request.maxPackets()) {
      PacketSummary s =
          PacketParser.parse(
              frame,
              dlt,
              at,
              request.iface().equals("any") ? null : request.iface(),
              localAddresses);
      if (s != null) {
        packets.add(s);
      }
    }
    drainedAtMs = Math.max(drainedAtMs, at);
  }

  /** A kernel timestamp (epoch microseconds) as ms since this capture started, to the µs. */
  private double sinceStartMs(long epochMicros) {
    return (epochMicros - startedAt * 1000L) / 1e3;
  }

  /**
   * The packets summarised since the {@code since}-th, while the capture runs, and how far it has
   * read: every packet the kernel stamped before {@code drainedAtMs} (ms since the start, like a
   * packet's {@code atMs}) is among those summarised so far.
   */
  public Peek peek(int since) {
    double drained = drainedAtMs;
    List<PacketSummary> copy;
    int from;
    synchronized (packets) {
      from = Math.min(Math.max(since, 0), packets.size());
      copy = List.copyOf(packets.subList(from, packets.size()));
    }
    return new Peek(request.id(), from + copy.size(), drained, startedAt, copy);
  }

  /** What {@link #peek} returns: the new packets, the index to ask from next, the read mark. */
  public record Peek(
      String id, int next, double drainedAtMs, long startedAt, List<PacketSummary> packets) {}

  /**
   * Stops reading (the reader reads the ring empty first), closes the handle, returns the summary.
   */
  public synchronized CaptureSummary stop() throws IOException {
    return stop(false);
  }

  /**
   * The same; with {@code keepPcap} the pcap stays in its file instead of riding in the summary,
   * until {@link #takePcap} (the coordinator asks only for the captures it needs) or {@link
   * #discard}.
   */
  public synchronized CaptureSummary stop(boolean keepPcap) throws IOException {
    return stop(keepPcap, 0);
  }

  /**
   * The same, with only the packets from the {@code since}-th on: a caller that {@link #peek
   * peeked} while the capture ran reads each packet once.
   */
  public synchronized CaptureSummary stop(boolean keepPcap, int since) throws IOException {
    if (!stopping) {
      stopping = true;
      stoppedNanos = System.nanoTime();
      // what the ring still holds belongs to the capture too: the packets since the poller's last
      // turn (up to its rest, a relay's dial to its backend, say); then the poller reads no more
      synchronized (reads) {
        try {
          while (readOne(true)) {
            // taken
          }
        } catch (Exception e) {
          // a failing handle: what was read stays
        }
        handleOpen = false;
      }
      if (dumper != null) {
        dumper.close();
      }
      try {
        dropped = handle.getStats().getNumPacketsDropped();
      } catch (Exception e) {
        dropped = 0; // no statistics: nothing known to be lost
      }
      handle.close();
    }
    return summary(keepPcap, since);
  }

  /** Whether a pcap was kept at stop, to be taken later. */
  public boolean hasKeptPcap() {
    return keptForLater && dumper != null && dumper.readable();
  }

  /** The kept pcap as base64; the file is deleted. */
  public synchronized String takePcap() throws IOException {
    if (!hasKeptPcap()) {
      throw new IOException("capture " + request.id() + " has no pcap kept");
    }
    try {
      return Base64.getEncoder().encodeToString(dumper.bytes());
    } finally {
      discard();
    }
  }

  /** Deletes a pcap kept for later (a temporary file; a requested pcapPath stays). */
  public synchronized void discard() {
    if (keptForLater && dumper != null && request.pcapPath() == null) {
      try {
        dumper.discard();
      } catch (IOException ignored) {
        // a temp file that will not go: nothing more to do
      }
    }
    keptForLater = false;
  }

  private CaptureSummary summary(boolean keepPcap, int since) throws IOException {
    String base64 = null;
    String keptPath = null;
    if (dumper != null && keepPcap && request.pcapBase64()) {
      keptForLater = true;
    } else if (dumper != null) {
      if (request.pcapBase64()) {
        base64 = Base64.getEncoder().encodeToString(dumper.bytes());
      }
      if (request.pcapPath() != null) {
        keptPath = Path.of(request.pcapPath()).toString();
      } else {
        dumper.discard();
      }
    }
    List<PacketSummary> copy;
    synchronized (packets) {
      copy = List.copyOf(packets.subList(Math.min(since, packets.size()), packets.size()));
    }
    return new CaptureSummary(
        request.id(),
        request.iface(),
        request.filter(),
        matched,
        matched > packets.size() || dropped > 0,
        Math.round((stoppedNanos - startNanos) / 1e3) / 1e3,
        copy,
        base64,
        keptPath,
        (stopReason == null ? "stopped" : stopReason)
            + (dropped > 0
                ? "; the kernel dropped " + dropped + " packets: the capture's ring was full"
                : ""),
        startedAt);
  }

  @Override
  public void close() {
    try {
      stop(true);
    } catch (IOException ignored) {
      // closing on exit: nothing left to report to
    }
    discard();
  }

  private static Path pcapPath(CaptureRequest request) throws IOException {
    if (request.pcapPath() != null) {
      return Path.of(request.pcapPath());
    }
    // named by this process and a count, created new and private as createTempFile would, without
    // its SecureRandom: a lock every capture of a graded class waited on
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    while (true) {
      Path file =
          dir.resolve(
              "np-capture-"
                  + request.id()
                  + "-"
                  + ProcessHandle.current().pid()
                  + "-"
                  + PCAPS.incrementAndGet()
                  + ".pcap");
      try {
        return Files.createFile(file, PRIVATE);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // a file of an earlier process with this pid: the next count
      }
    }
  }

  private static final java.util.concurrent.atomic.AtomicLong PCAPS =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() & 0xffffff);
  private static final java.nio.file.attribute.FileAttribute<?> PRIVATE =
      java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

  /**
   * A capture filter compiled for a link type and snap length, kept: every capture of a run gets
   * the same filter, and libpcap's optimizer took a millisecond or two for each (a class's grading
   * compiles it 40 times a student). At most 64 kept, then null (compile it on the handle); a
   * program is only read once made.
   */
  private static BpfProgram compiled(String filter, DataLinkType dlt, int snaplen)
      throws PcapNativeException {
    String key = dlt.value() + "/" + snaplen + "/" + filter;
    BpfProgram known = COMPILED.get(key);
    if (known != null || COMPILED.size() >= 64) {
      return known;
    }
    BpfProgram made =
        Pcaps.compileFilter(
            snaplen,
            dlt,
            filter,
            BpfProgram.BpfCompileMode.OPTIMIZE,
            PcapHandle.PCAP_NETMASK_UNKNOWN);
    BpfProgram raced = COMPILED.putIfAbsent(key, made);
    if (raced != null) {
      made.free();
      return raced;
    }
    return made;
  }

  private static final java.util.Map<String, BpfProgram> COMPILED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** This namespace's addresses, read on the calling thread (the agent's, in its namespace). */
  private static Set<String> localAddresses() {
    try {
      return ProcFacts.system().addresses();
    } catch (IOException e) {
      return Set.of();
    }
  }
}
