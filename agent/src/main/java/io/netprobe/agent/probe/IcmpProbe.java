package io.netprobe.agent.probe;

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
    return CompletableFuture.supplyAsync(() -> runBlocking(target), netns.workers());
  }

  ProbeResult runBlocking(ProbeTarget target) {
    ProbeResult.Builder result = ProbeResult.builder("icmp", target);
    InetAddress address = ProbeSupport.resolveNow(result, target, netns);
    if (address == null) {
      return result.build();
    }
    if (!(address instanceof Inet4Address)) {
      return result.evidence("ICMP probe supports IPv4 only: " + address).build();
    }
    if (!ProbeSupport.routed(result, address)) {
      return result.build();
    }
    try (IcmpSocket socket = IcmpSocket.open(identifierFor(target.mark()))) {
      new Exchange(socket, address, target, result).run();
    } catch (IOException e) {
      result.status(ProbeStatus.ERROR).evidence(e.getMessage());
    }
    return result.build();
  }

  /** One probe's echoes: sends them on schedule, matches what comes back, sums up. */
  private final class Exchange {
    private final IcmpSocket socket;
    private final InetAddress address;
    private final ProbeTarget target;
    private final ProbeResult.Builder result;
    private final byte[] payload;
    private final long[] sentAt = new long[count + 1];
    private final boolean[] answered = new boolean[count + 1];
    private final List<Double> rtts = new ArrayList<>();
    private final long start = System.nanoTime();
    private final int summaryAt;
    private Integer ttl;
    private IcmpError error;
    private int sent;
    private int answers;
    private long deadline = start;

    Exchange(IcmpSocket socket, InetAddress address, ProbeTarget target, ProbeResult.Builder r) {
      this.socket = socket;
      this.address = address;
      this.target = target;
      this.result = r;
      this.summaryAt = r.evidenceCount(); // after the resolve lines, before the replies
      String mark = target.mark() == null ? "-" : target.mark();
      this.payload = ("netprobe " + mark).getBytes(StandardCharsets.US_ASCII);
    }

    void run() throws IOException {
      while (true) {
        long now = System.nanoTime();
        if (sent < count && now >= nextSendAt()) {
          if (!send(now)) {
            break;
          }
          continue;
        }
        if (sent == count && (answers == count || now >= deadline)) {
          break;
        }
        long wake = Math.min(sent < count ? nextSendAt() : Long.MAX_VALUE, deadline);
        IcmpSocket.Received got = socket.receive((int) Math.max(0, (wake - now) / 1_000_000L));
        if (got != null
            && got.sequence() >= 1
            && got.sequence() <= sent
            && !answered[got.sequence()]) {
          record(got);
        }
      }
      finish();
    }

    private long nextSendAt() {
      return start + sent * intervalMs * 1_000_000L;
    }

    private boolean send(long now) {
      try {
        socket.sendEcho(address, sent + 1, payload);
      } catch (IOException e) {
        ProbeSupport.failed(result, e, new InetSocketAddress(address, 0), target.timeoutMs());
        result.evidence("echo request " + (sent + 1) + " could not be sent");
        return false;
      }
      sent++;
      sentAt[sent] = now;
      deadline = now + target.timeoutMs() * 1_000_000L;
      return true;
    }

    private void record(IcmpSocket.Received got) {
      answered[got.sequence()] = true;
      answers++;
      if (got.reply()) {
        double rtt = Math.round((System.nanoTime() - sentAt[got.sequence()]) / 1e3) / 1e3;
        rtts.add(rtt);
        ttl = got.ttl() >= 0 ? Integer.valueOf(got.ttl()) : ttl;
        String ttlText = got.ttl() >= 0 ? " ttl=" + got.ttl() : "";
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
        result.evidence(
            "ICMP "
                + IcmpError.describe(got.type(), got.code())
                + " (type "
                + got.type()
                + " code "
                + got.code()
                + ") from "
                + got.from()
                + " for echo "
                + got.sequence());
      }
    }

    private void finish() {
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
              + address.getHostAddress()
              + " over a "
              + kind
              + " socket");
      if (!rtts.isEmpty()) {
        result.status(ProbeStatus.REPLY);
      } else if (error != null) {
        result.icmpError(error).status(error.status());
      } else if (result.status() == ProbeStatus.ERROR && sent > 0) {
        result
            .status(ProbeStatus.TIMEOUT)
            .evidence("no echo reply within " + target.timeoutMs() + " ms of the last request");
      }
      result.step("done");
    }
  }
}
