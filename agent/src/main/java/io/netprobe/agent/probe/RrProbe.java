package io.netprobe.agent.probe;

import io.netprobe.agent.address.Addresses;
import io.netprobe.agent.net.NetNamespace;
import io.netprobe.agent.text.Decimals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Request/response transactions, as netperf's TCP_RR and UDP_RR count them: send {@code size}
 * bytes, wait for {@code size} bytes back, at once the next, for the probe's duration, over one TCP
 * connection (Nagle off) or one connected UDP socket. The far end is an echo responder (the target
 * agent's {@code listen.start} with {@code mode: echo}). Each transaction carries its sequence
 * number in its first 8 bytes, so that a late UDP answer is never taken for the current one. A UDP
 * transaction unanswered within the check's timeout is lost and the next one goes; a TCP one ends
 * the measurement (the connection stalled). One thread of the source's namespace, with as few
 * system calls a transaction as sockperf and netperf make: over TCP a blocking write and a blocking
 * read (a watchdog closes a connection that stalls past the timeout); over UDP a write, a wait on a
 * selector (for the timeout) and a read.
 */
public final class RrProbe implements Probe {
  private final ProbeSpec.Rr spec;
  private final NetNamespace netns;

  public RrProbe(ProbeSpec.Rr spec, NetNamespace netns) {
    this.spec = spec;
    this.netns = netns;
  }

  @Override
  public CompletableFuture<ProbeResult> run(ProbeTarget target) {
    return CompletableFuture.supplyAsync(() -> runBlocking(target), netns.workers());
  }

  private ProbeResult runBlocking(ProbeTarget target) {
    ProbeResult.Builder result = ProbeResult.builder(spec.label(), target);
    InetAddress address = ProbeSupport.resolveNow(result, target, netns);
    if (address == null || !ProbeSupport.routed(result, address)) {
      return result.build();
    }
    InetSocketAddress remote = new InetSocketAddress(address, spec.port());
    try (Selector selector = Selector.open()) {
      if (spec.over() == ProbeSpec.Transport.TCP) {
        try (SocketChannel channel = SocketChannel.open()) {
          connect(channel, selector, remote, target, result);
          measure(channel, selector, target, result, remote);
        }
      } else {
        try (DatagramChannel channel = DatagramChannel.open()) {
          channel.bind(new InetSocketAddress(target.sourcePort()));
          channel.connect(remote);
          channel.configureBlocking(false);
          result.source(
              Addresses.text(((InetSocketAddress) channel.getLocalAddress()).getAddress()),
              ((InetSocketAddress) channel.getLocalAddress()).getPort());
          measure(channel, selector, target, result, remote);
        }
      }
    } catch (IOException e) {
      result.step("failed");
      ProbeSupport.failed(result, e, remote, target.timeoutMs());
    }
    return result.build();
  }

  static void connect(
      SocketChannel channel,
      Selector selector,
      InetSocketAddress remote,
      ProbeTarget target,
      ProbeResult.Builder result)
      throws IOException {
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.bind(new InetSocketAddress(target.sourcePort()));
    channel.configureBlocking(false);
    if (!channel.connect(remote)) {
      channel.register(selector, SelectionKey.OP_CONNECT);
      if (selector.select(target.timeoutMs()) == 0) {
        throw new SocketTimeoutException("connection timed out");
      }
      selector.selectedKeys().clear();
      channel.finishConnect();
    }
    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    result
        .source(Addresses.text(local.getAddress()), local.getPort())
        .step("connected")
        .evidence(
            "TCP connected from "
                + result.from()
                + " to "
                + Addresses.withPort(Addresses.text(remote.getAddress()), remote.getPort())
                + " (Nagle off)");
  }

  /** Transactions until the duration is over; the figures go into the result. */
  private <C extends SelectableChannel & ByteChannel> void measure(
      C channel,
      Selector selector,
      ProbeTarget target,
      ProbeResult.Builder result,
      InetSocketAddress remote)
      throws IOException {
    boolean udp = spec.over() == ProbeSpec.Transport.UDP;
    long waitNanos = target.timeoutMs() * 1_000_000L;
    SelectionKey key = udp ? channel.register(selector, SelectionKey.OP_READ) : null;
    try (Stall watch = udp ? null : Stall.blocking((SocketChannel) channel, selector, waitNanos)) {
      transactions(channel, selector, key, watch, target, result, remote);
    }
  }

  private <C extends SelectableChannel & ByteChannel> void transactions(
      C channel,
      Selector selector,
      SelectionKey key,
      Stall watch,
      ProbeTarget target,
      ProbeResult.Builder result,
      InetSocketAddress remote)
      throws IOException {
    boolean udp = watch == null;
    ByteBuffer out = ByteBuffer.allocateDirect(spec.size());
    ByteBuffer in = ByteBuffer.allocateDirect(udp ? 65_536 : spec.size());
    long[] rtts = new long[4096];
    int count = 0;
    int lost = 0;
    String stall = null;
    long waitNanos = target.timeoutMs() * 1_000_000L;
    long start = System.nanoTime();
    long end = start + spec.durationMs() * 1_000_000L;
    long last = start;
    for (long seq = 0; System.nanoTime() < end; seq++) {
      out.clear();
      out.putLong(0, seq);
      long sent = System.nanoTime();
      long answered;
      if (udp) {
        while (out.hasRemaining()) {
          if (channel.write(out) == 0) {
            waitFor(selector, key, SelectionKey.OP_WRITE, sent + waitNanos);
          }
        }
        answered = datagram(channel, selector, key, in, seq, sent + waitNanos);
      } else {
        watch.until(sent + waitNanos);
        answered = stream(channel, out, in, seq, watch);
      }
      if (answered < 0) {
        if (!udp) {
          stall =
              "transaction "
                  + (seq + 1)
                  + " got no answer within "
                  + target.timeoutMs()
                  + " ms; the measurement stopped there";
          break;
        }
        lost++;
        continue;
      }
      if (count == rtts.length) {
        rtts = Arrays.copyOf(rtts, count * 2);
      }
      rtts[count++] = answered - sent;
      last = answered;
    }
    Transactions t =
        Transactions.of(
            spec.over().wireName(), spec.size(), rtts, count, lost, Math.max(last - start, 1));
    result.step("measured").transactions(t);
    String what = udp ? "over one UDP socket" : "over one TCP connection";
    result.evidence(
        count
            + " transactions of "
            + spec.size()
            + " bytes each way in "
            + Math.round(t.elapsedMs())
            + " ms "
            + what
            + " to "
            + Addresses.withPort(Addresses.text(remote.getAddress()), remote.getPort())
            + (udp ? ", " + lost + " lost (no answer within " + target.timeoutMs() + " ms)" : ""));
    if (count > 0) {
      result.evidence(figures(t));
    }
    if (stall != null) {
      result.status(ProbeStatus.TIMEOUT).evidence(stall);
    } else if (count == 0) {
      result
          .status(ProbeStatus.TIMEOUT)
          .evidence("no transaction was answered within " + target.timeoutMs() + " ms");
    } else {
      result.status(ProbeStatus.REPLY);
    }
  }

  /** The figures in words: {@code 10,234.5 transactions/s; RTT p50 0.081 ms, ...}. */
  public static String figures(Transactions t) {
    return Decimals.grouped(t.tps(), 1)
        + " transactions/s; RTT p50 "
        + ms(t.p50Ms())
        + ", p90 "
        + ms(t.p90Ms())
        + ", p99 "
        + ms(t.p99Ms())
        + ", max "
        + ms(t.maxMs());
  }

  /** A time in ms, to the microsecond below 10 ms: {@code 0.081 ms}, {@code 12.4 ms}. */
  public static String ms(double value) {
    return Decimals.fixed(value, value < 10 ? 3 : 1) + " ms";
  }

  /**
   * Writes the request and reads the answer to {@code seq} whole, both blocking; its time, or -1
   * when the watchdog closed the connection (no answer within the timeout).
   */
  private static long stream(
      ByteChannel channel, ByteBuffer out, ByteBuffer in, long seq, Stall watch)
      throws IOException {
    in.clear();
    try {
      while (out.hasRemaining()) {
        channel.write(out);
      }
      while (in.hasRemaining()) {
        if (channel.read(in) < 0) {
          throw new IOException("the responder closed the connection");
        }
      }
    } catch (java.nio.channels.ClosedChannelException e) {
      if (watch.fired()) {
        return -1;
      }
      throw e;
    }
    long now = System.nanoTime();
    if (in.getLong(0) != seq) {
      throw new IOException("the responder answered transaction " + in.getLong(0) + " for " + seq);
    }
    return now;
  }

  /** The datagram answering {@code seq}; older answers are skipped. Its time, or -1. */
  private long datagram(
      ByteChannel channel,
      Selector selector,
      SelectionKey key,
      ByteBuffer in,
      long seq,
      long deadline)
      throws IOException {
    while (true) {
      // the answer takes a round trip: wait for it first, rather than read in vain
      if (!waitFor(selector, key, SelectionKey.OP_READ, deadline)) {
        return -1;
      }
      in.clear();
      int n = channel.read(in);
      if (n >= 8 && in.getLong(0) == seq) {
        return System.nanoTime();
      }
    }
  }

  /**
   * Waits until {@code op} is ready or {@code deadline} (nanoTime) passes; false when it passed.
   */
  static boolean waitFor(Selector selector, SelectionKey key, int op, long deadline)
      throws IOException {
    if (key.interestOps() != op) {
      key.interestOps(op);
    }
    try {
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return false;
        }
        int ready = selector.select(left);
        selector.selectedKeys().clear();
        if (ready > 0) {
          return true;
        }
      }
    } finally {
      if (op != SelectionKey.OP_READ) {
        key.interestOps(SelectionKey.OP_READ);
      }
    }
  }
}
