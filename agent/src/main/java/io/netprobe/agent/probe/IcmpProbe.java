package io.netprobe.agent.probe;

import io.netprobe.agent.icmp.IcmpSocket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  public IcmpProbe(int count, int intervalMs) {
    this.count = count;
    this.intervalMs = intervalMs;
  }

  /** The echo identifier for a flow mark: stable, never 0; 0 (kernel's choice) without mark. */
  public static int identifierFor(String mark) {
    if (mark == null) {
      return 0;
    }
    int h = (mark.hashCode() & 0x7fffffff) % 65535;
    return h + 1;
  }

  @Override
  public CompletableFuture<ProbeResult> run(ProbeTarget target) {
    return CompletableFuture.supplyAsync(() -> runBlocking(target), Workers.pool());
  }

  ProbeResult runBlocking(ProbeTarget target) {
    ProbeResult.Builder result = ProbeResult.builder("icmp", target);
    InetAddress address = ProbeSupport.resolve(result, target);
    if (address == null) {
      return result.build();
    }
    if (!(address instanceof Inet4Address)) {
      return result.evidence("ICMP probe supports IPv4 only: " + address).build();
    }
    if (!ProbeSupport.routed(result, address)) {
      return result.build();
    }
    int id = identifierFor(target.mark());
    if (id == 0) {
      id = (int) (ProcessHandle.current().pid() & 0xffff) ^ (int) (System.nanoTime() & 0xff00);
      id = id == 0 ? 1 : id;
    }
    try (IcmpSocket socket = IcmpSocket.open(id)) {
      exchange(socket, address, target, result);
    } catch (IOException e) {
      result.status(ProbeStatus.ERROR).evidence(e.getMessage());
    }
    return result.build();
  }

  private void exchange(
      IcmpSocket socket, InetAddress address, ProbeTarget target, ProbeResult.Builder result)
      throws IOException {
    String to = address.getHostAddress();
    byte[] payload =
        ("netprobe " + (target.mark() == null ? "-" : target.mark()))
            .getBytes(StandardCharsets.US_ASCII);
    long[] sentAt = new long[count + 1];
    boolean[] answered = new boolean[count + 1];
    List<Double> rtts = new ArrayList<>();
    Integer ttl = null;
    IcmpError error = null;
    int sent = 0;
    int answers = 0;
    long start = System.nanoTime();
    long deadline = start;
    while (true) {
      long now = System.nanoTime();
      if (sent < count && now >= start + sent * intervalMs * 1_000_000L) {
        try {
          socket.sendEcho(address, sent + 1, payload);
        } catch (IOException e) {
          ProbeSupport.failed(result, e, new InetSocketAddress(address, 0), target.timeoutMs());
          result.evidence("echo request " + (sent + 1) + " to " + to + " could not be sent");
          break;
        }
        sent++;
        sentAt[sent] = now;
        deadline = now + target.timeoutMs() * 1_000_000L;
        continue;
      }
      if (sent == count && (answers == count || now >= deadline)) {
        break;
      }
      long nextSend = sent < count ? start + sent * intervalMs * 1_000_000L : Long.MAX_VALUE;
      int waitMs = (int) Math.max(0, (Math.min(nextSend, deadline) - now) / 1_000_000L);
      IcmpSocket.Received got = socket.receive(waitMs);
      if (got == null || got.sequence() < 1 || got.sequence() > sent || answered[got.sequence()]) {
        continue;
      }
      answered[got.sequence()] = true;
      answers++;
      if (got.reply()) {
        double rtt = Math.round((System.nanoTime() - sentAt[got.sequence()]) / 1e3) / 1e3;
        rtts.add(rtt);
        ttl = got.ttl() >= 0 ? Integer.valueOf(got.ttl()) : ttl;
        result.evidence(
            "echo reply "
                + got.sequence()
                + " from "
                + got.from()
                + (got.ttl() >= 0 ? " ttl=" + got.ttl() : "")
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
    finish(result, socket, sent, rtts, ttl, error, to, target);
  }

  private void finish(
      ProbeResult.Builder result,
      IcmpSocket socket,
      int sent,
      List<Double> rtts,
      Integer ttl,
      IcmpError error,
      String to,
      ProbeTarget target) {
    String kind = socket.kind().name().toLowerCase(java.util.Locale.ROOT);
    result.echoes(new Echoes(sent, rtts.size(), rtts, ttl, socket.identifier(), kind));
    result.evidence(
        0,
        sent
            + " echo request(s) id="
            + socket.identifier()
            + " sent from "
            + result.from()
            + " to "
            + to
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
