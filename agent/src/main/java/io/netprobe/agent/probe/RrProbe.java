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
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
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
 * system calls a transaction as sockperf and netperf make: a blocking write and a blocking read (a
 * watchdog, {@link Stall}, closes a socket whose answer is late past the timeout).
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
    long waitNanos = target.timeoutMs() * 1_000_000L;
    try {
      if (spec.over() == ProbeSpec.Transport.TCP) {
        try (Selector selector = Selector.open();
            SocketChannel channel = SocketChannel.open()) {
          connect(channel, selector, remote, target, result);
          try (Stall watch = Stall.blocking(channel, selector, waitNanos)) {
            transactions(new Stream(channel, watch), target, result, remote);
          }
        }
      } else {
        try (Datagrams udp = new Datagrams(remote, target.sourcePort(), waitNanos)) {
          result.source(Addresses.text(udp.local.getAddress()), udp.local.getPort());
          transactions(udp, target, result, remote);
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

  /** One transaction's way over the wire: TCP ({@link Stream}) or UDP ({@link Datagrams}). */
  private interface Exchange {
    /**
     * Writes the request {@code out}, whose first 8 bytes are {@code seq}, and reads its answer
     * into {@code in}; returns the nanoTime it was read, or -1 when none came by {@code deadline}.
     */
    long transact(ByteBuffer out, ByteBuffer in, long seq, long deadline) throws IOException;
  }

  /** Transactions until the duration is over; the figures go into the result. */
  private void transactions(
      Exchange exchange, ProbeTarget target, ProbeResult.Builder result, InetSocketAddress remote)
      throws IOException {
    boolean udp = spec.over() == ProbeSpec.Transport.UDP; // a loss goes on; a TCP stall stops
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
    long sent = start;
    for (long seq = 0; sent < end; seq++) {
      out.clear();
      out.putLong(0, seq);
      long answered = exchange.transact(out, in, seq, sent + waitNanos);
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
        sent = System.nanoTime();
        continue;
      }
      if (count == rtts.length) {
        rtts = Arrays.copyOf(rtts, count * 2);
      }
      rtts[count++] = answered - sent;
      last = answered;
      sent = answered; // the next request goes at once: its clock starts where this one's stopped
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
   * Over one TCP connection, both blocking: the request written and its answer read whole; -1 when
   * the watchdog closed the connection (no answer within the timeout).
   */
  private record Stream(SocketChannel channel, Stall watch) implements Exchange {
    @Override
    public long transact(ByteBuffer out, ByteBuffer in, long seq, long deadline)
        throws IOException {
      watch.until(deadline);
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
      } catch (ClosedChannelException e) {
        if (watch.fired()) {
          return -1;
        }
        throw e;
      }
      long now = System.nanoTime();
      if (in.getLong(0) != seq) {
        throw new IOException(
            "the responder answered transaction " + in.getLong(0) + " for " + seq);
      }
      return now;
    }
  }

  /**
   * Over one connected UDP socket, blocking: a write, then reads until the answer to {@code seq}
   * (an older, late answer is skipped). A blocked read costs one system call where a selector's
   * wait and a read cost two, and the JVM's selector bookkeeping on top: 0.85 of sockperf's rate
   * became about its rate. A transaction unanswered by its deadline is lost: the watchdog closes
   * the socket, and the next transaction goes from a new one bound to the same port.
   */
  private static final class Datagrams implements Exchange, AutoCloseable {
    private final InetSocketAddress remote;
    private final long timeoutNanos;
    private InetSocketAddress local;
    private DatagramChannel channel;
    private Stall watch;

    Datagrams(InetSocketAddress remote, int sourcePort, long timeoutNanos) throws IOException {
      this.remote = remote;
      this.timeoutNanos = timeoutNanos;
      open(sourcePort);
    }

    private void open(int port) throws IOException {
      channel = DatagramChannel.open();
      try {
        channel.bind(new InetSocketAddress(port));
        channel.connect(remote);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      local = (InetSocketAddress) channel.getLocalAddress();
      watch = Stall.watching(channel, timeoutNanos);
    }

    @Override
    public long transact(ByteBuffer out, ByteBuffer in, long seq, long deadline)
        throws IOException {
      watch.until(deadline);
      try {
        channel.write(out);
        while (true) {
          in.clear();
          if (channel.read(in) >= 8 && in.getLong(0) == seq) {
            return System.nanoTime();
          }
        }
      } catch (ClosedChannelException e) {
        if (!watch.fired()) {
          throw e;
        }
        watch.close();
        open(local.getPort()); // the next transaction from the same port
        return -1;
      }
    }

    @Override
    public void close() throws IOException {
      watch.close();
      channel.close();
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
