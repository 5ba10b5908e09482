package io.netprobe.agent.probe;

import io.netprobe.agent.icmp.EchoReactor;
import io.netprobe.agent.icmp.IcmpError;
import io.netprobe.agent.icmp.IcmpSocket;
import io.netprobe.agent.net.NetNamespace;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * ICMP echo from a socket the agent opens itself (never a ping binary, never {@code
 * InetAddress.isReachable}, which falls back to TCP port 7). Sends {@code count} echoes {@code
 * intervalMs} apart and waits {@code timeoutMs} after the last one. The flow mark picks the echo
 * identifier and rides in the payload, so a capture can tell this check's echoes apart.
 */
public final class IcmpProbe implements Probe {
  private final int count;
  private final int intervalMs;

  private final NetNamespace netns;

  public IcmpProbe(int count, int intervalMs, NetNamespace netns) {
    this.count = count;
    this.intervalMs = intervalMs;
    this.netns = netns;
  }

  /**
   * The echo identifier a flow mark asks for: stable, never 0; 0 (any free id) without a mark. Two
   * probes in flight with the same mark get distinct ids; the payload still carries the mark.
   */
  public static int identifierFor(String mark) {
    if (mark == null) {
      return 0;
    }
    int h = (mark.hashCode() & 0x7fffffff) % 65535;
    return h + 1;
  }

  @Override
  public CompletableFuture<ProbeResult> run(ProbeTarget target) {
    ProbeResult.Builder result = ProbeResult.builder("icmp", target);
    return ProbeSupport.resolve(result, target, netns).thenCompose(a -> echo(a, target, result));
  }

  private CompletableFuture<ProbeResult> echo(
      InetAddress address, ProbeTarget target, ProbeResult.Builder result) {
    if (address == null) {
      return CompletableFuture.completedFuture(result.build());
    }
    Exchange exchange = new Exchange(address, target, result);
    netns.echoes().submit(exchange);
    return exchange.done;
  }

  /**
   * One probe's echoes, driven by an {@link EchoReactor} of the JVM: sends them on schedule,
   * matches what comes back, sums up.
   */
  private final class Exchange implements EchoReactor.Exchange {
    private final CompletableFuture<ProbeResult> done = new CompletableFuture<>();
    private final InetAddress address;
    private final ProbeTarget target;
    private final ProbeResult.Builder result;
    private final byte[] payload;
    private final long[] sentAt = new long[count + 1];
    private final long[] sentAtMicros = new long[count + 1];
    private final boolean[] answered = new boolean[count + 1];
    private final List<Double> rtts = new ArrayList<>();
    private final int summaryAt;
    private IcmpSocket socket;
    private long start;
    private Integer ttl;
    private IcmpError error;
    private int sent;
    private int answers;
    private long deadline;

    Exchange(InetAddress address, ProbeTarget target, ProbeResult.Builder r) {
      this.address = address;
      this.target = target;
      this.result = r;
      this.summaryAt = r.evidenceCount(); // after the resolve lines, before the replies
      String mark = target.mark() == null ? "-" : target.mark();
      // the mark for a person reading the pcap, then a nonce of this exchange: a reply that does
      // not echo it answers an earlier run's echo with the same identifier, and is not ours
      this.payload =
          ("netprobe "
                  + mark
                  + " "
                  + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()))
              .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void start(long now) {
      // on the reactor's thread: the route lookup and the socket are the namespace's
      if (!ProbeSupport.routed(result, address)) {
        done.complete(result.build());
        return;
      }
      try {
        socket = IcmpSocket.open(identifierFor(target.mark()), !(address instanceof Inet4Address));
      } catch (IOException e) {
        result.status(ProbeStatus.ERROR).evidence(e.getMessage());
        done.complete(result.build());
        return;
      }
      start = now;
      deadline = now;
      tick(now);
    }

    @Override
    public int fd() {
      return socket == null ? -1 : socket.fd();
    }

    @Override
    public long wakeAt() {
      return Math.min(sent < count ? nextSendAt() : Long.MAX_VALUE, deadline);
    }

    @Override
    public void tick(long now) {
      while (sent < count && now >= nextSendAt()) {
        if (!send(now)) {
          finish();
          return;
        }
      }
      if (sent == count && answers < count && now >= deadline) {
        readLate(now);
      }
      if (sent == count && (answers == count || now >= deadline)) {
        finish();
      }
    }

    /**
     * Before calling an echo lost, what already waits on its socket and the kernel received before
     * the deadline (its receive time, SO_TIMESTAMP): a reactor that woke late (a collector's pause,
     * a thread starved on a busy machine) would otherwise declare lost a reply that came in time, a
     * verdict the run caused itself. A reply received after the deadline stays late.
     */
    private void readLate(long now) {
      long deadlineMicros = System.currentTimeMillis() * 1000L - (now - deadline) / 1000L;
      for (int i = 0; i < 2 * count && answers < count; i++) {
        IcmpSocket.Received got = socket.receivedBy(deadlineMicros);
        if (got == null) {
          return;
        }
        if (ours(got)) {
          record(got);
          long late = (now - deadline) / 1_000_000L;
          if (late > 0) {
            result.evidence(
                "echo "
                    + got.sequence()
                    + " read "
                    + late
                    + " ms after the timeout: it was waiting on the socket (this node was slow"
                    + " to read it, not the network)");
          }
        }
      }
    }

    @Override
    public void ready(short revents) {
      IcmpSocket.Received got = socket.receiveReady(revents);
      if (got != null && ours(got)) {
        record(got);
      }
      if (sent == count && answers == count) {
        finish();
      }
    }

    @Override
    public boolean done() {
      return done.isDone();
    }

    @Override
    public void abort(String why) {
      if (!done.isDone()) {
        result.evidence(why);
        try {
          finish();
        } catch (RuntimeException e) {
          done.complete(result.build()); // the summary failed too: what is known so far
        }
      }
    }

    private long nextSendAt() {
      return start + sent * intervalMs * 1_000_000L;
    }

    private boolean send(long now) {
      long wallMicros = epochMicros();
      try {
        socket.sendEcho(address, sent + 1, payload);
      } catch (IOException e) {
        ProbeSupport.failed(result, e, new InetSocketAddress(address, 0), target.timeoutMs());
        result.evidence("echo request " + (sent + 1) + " could not be sent");
        return false;
      }
      sent++;
      // the clock after the send, not the tick's: the route lookup and the socket's opening come
      // between, and a collector's pause there (a second at a hundred namespaces) would otherwise
      // spend the timeout before the echo left, and call a 30 µs answer late
      long at = Math.max(now, System.nanoTime());
      sentAt[sent] = at;
      sentAtMicros[sent] = wallMicros;
      deadline = at + target.timeoutMs() * 1_000_000L;
      return true;
    }

    /**
     * An answer to one of this probe's echoes not yet answered. A reply from another address than
     * the target is not: an earlier probe's echo with the same identifier, answered late (it waited
     * for its neighbour's address), reaches this socket too.
     */
    private boolean ours(IcmpSocket.Received got) {
      if (got.sequence() < 1 || got.sequence() > sent || answered[got.sequence()]) {
        return false;
      }
      if (got.reply() && got.from() != null && !sameAddress(got.from())) {
        result.evidence(
            "an echo reply from "
                + got.from()
                + ", not the target, with this probe's identifier: an earlier probe's, ignored");
        return false;
      }
      return true;
    }

    private boolean sameAddress(String literal) {
      try {
        return java.net.InetAddress.getByName(literal).equals(address);
      } catch (java.net.UnknownHostException e) {
        return literal.equals(io.netprobe.agent.address.Addresses.text(address));
      }
    }

    /**
     * From the send to the kernel's receipt of the reply (its SO_TIMESTAMP), not to the moment this
     * thread read it: in a run of a thousand checks on two cores the thread may wait tens of ms for
     * a core, and a veth's 0.03 ms read like 40. The thread's own clock where the kernel gave no
     * time, or a time the wall clock's steps make impossible.
     */
    private double rttMs(IcmpSocket.Received got) {
      long read = (System.nanoTime() - sentAt[got.sequence()]) / 1_000;
      long kernel = got.receivedAtMicros() - sentAtMicros[got.sequence()];
      long micros = got.receivedAtMicros() > 0 && kernel >= 0 && kernel <= read ? kernel : read;
      return micros / 1e3;
    }

    private static long epochMicros() {
      java.time.Instant now = java.time.Instant.now();
      return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private void record(IcmpSocket.Received got) {
      answered[got.sequence()] = true;
      answers++;
      if (got.reply()) {
        double rtt = rttMs(got);
        rtts.add(rtt);
        ttl = got.ttl() >= 0 ? Integer.valueOf(got.ttl()) : ttl;
        String ttlText =
            got.ttl() < 0 ? "" : (address instanceof Inet4Address ? " ttl=" : " hlim=") + got.ttl();
        result.evidence(
            "echo reply "
                + got.sequence()
                + " from "
                + got.from()
                + ttlText
                + " rtt="
                + rtt
                + " ms");
      } else if (got.type() >= 0) {
        error = error == null ? IcmpError.of(got.type(), got.code(), got.from()) : error;
        // an ICMPv6 error is read as its ICMP twin; its words, not the v4 type and code
        boolean v6 = !(address instanceof Inet4Address);
        result.evidence(
            (v6 ? "ICMPv6 " : "ICMP ")
                + IcmpError.describe(got.type(), got.code())
                + (v6 ? "" : " (type " + got.type() + " code " + got.code() + ")")
                + " from "
                + got.from()
                + " for echo "
                + got.sequence());
      }
    }

    private void finish() {
      if (socket == null) {
        done.complete(result.build());
        return;
      }
      String kind = socket.kind().name().toLowerCase(Locale.ROOT);
      result.echoes(new Echoes(sent, rtts.size(), rtts, ttl, socket.identifier(), kind));
      result.evidence(
          summaryAt,
          sent
              + " echo request(s) id="
              + socket.identifier()
              + " sent from "
              + result.from()
              + " to "
              + io.netprobe.agent.address.Addresses.text(address)
              + " over a "
              + kind
              + " socket");
      if (!rtts.isEmpty()) {
        result.status(ProbeStatus.REPLY);
      } else if (error != null) {
        result.icmpError(error).status(ProbeStatus.of(error));
      } else if (result.status() == ProbeStatus.ERROR && sent > 0) {
        result
            .status(ProbeStatus.TIMEOUT)
            .evidence("no echo reply within " + target.timeoutMs() + " ms of the last request");
      }
      result.step("done");
      socket.close();
      done.complete(result.build());
    }
  }
}
