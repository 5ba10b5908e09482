package io.netprobe.agent.probe;

import io.netprobe.agent.icmp.IcmpError;
import io.netprobe.agent.icmp.IcmpErrorTap;
import io.netprobe.agent.net.NetNamespace;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * TCP connect through Netty's NIO transport: SYN, then SYN-ACK (CONNECTED, handshake time), RST
 * (REFUSED), an ICMP error (classified) or nothing (TIMEOUT). The socket is bound before the SYN so
 * the source port, the flow mark a capture matches on, is known even when the connect fails.
 *
 * <p>A handshake alone does not prove the far end accepted: a relay (docker-proxy, socat, {@code
 * ssh -L}, a NAT engine's user-space port forward) completes it itself, then dials its backend and,
 * when that refuses, closes at once. So after the handshake the probe holds the connection for a
 * short settle window ({@link #settleMs}); a close (FIN or RST) in it before any byte is CLOSED,
 * not CONNECTED. A server that speaks first (SSH) or waits for the client (HTTP) is CONNECTED.
 */
public final class TcpProbe implements Probe {
  /** The step of a probe's timings when its SYN left, and when the SYN-ACK came back. */
  static final String SYN = "syn";

  static final String HANDSHAKE = "handshake";

  private final String label;
  private final int port;
  private final NetNamespace netns;
  private final AfterHandshake after;

  /**
   * What a probe that speaks over the connection does once the handshake completed (HTTP): it owns
   * the channel's pipeline from then on, records its steps, and completes when it is done; the
   * probe closes the channel after it.
   */
  interface AfterHandshake {
    CompletableFuture<Void> speak(Channel ch, ProbeResult.Builder result, ProbeTarget target);
  }

  public TcpProbe(int port, NetNamespace netns) {
    this("tcp:" + port, port, netns, null);
  }

  /**
   * A probe labelled {@code label} that connects to {@code port}, then lets {@code after} speak.
   */
  TcpProbe(String label, int port, NetNamespace netns, AfterHandshake after) {
    this.label = label;
    this.netns = netns;
    this.port = port;
    this.after = after;
  }

  @Override
  public CompletableFuture<ProbeResult> run(ProbeTarget target) {
    ProbeResult.Builder result = ProbeResult.builder(label, target);
    return ProbeSupport.resolve(result, target, netns)
        .thenCompose(address -> connect(address, target, result));
  }

  private CompletableFuture<ProbeResult> connect(
      InetAddress address, ProbeTarget target, ProbeResult.Builder result) {
    if (address == null || !ProbeSupport.routed(result, address)) {
      return CompletableFuture.completedFuture(result.build());
    }
    CompletableFuture<ProbeResult> done = new CompletableFuture<>();
    InetSocketAddress remote = new InetSocketAddress(address, port);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(netns.loop())
            .channelFactory(NioSocketChannel::new)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, target.timeoutMs())
            .option(ChannelOption.SO_REUSEADDR, target.sourcePort() != 0)
            .handler(new Settle());
    ChannelFuture registered = bootstrap.register();
    registered.addListener(
        r -> {
          if (!r.isSuccess()) {
            finish(done, result, r.cause(), remote, target, registered.channel());
            return;
          }
          Channel ch = registered.channel();
          ch.bind(new InetSocketAddress(target.sourcePort()))
              .addListener(b -> connect(ch, b.cause(), remote, target, result, done));
        });
    return done;
  }

  private void connect(
      Channel ch,
      Throwable bindError,
      InetSocketAddress remote,
      ProbeTarget target,
      ProbeResult.Builder result,
      CompletableFuture<ProbeResult> done) {
    if (bindError != null) {
      result.evidence("could not bind source port " + target.sourcePort() + ": " + bindError);
      finish(done, result, bindError, remote, target, ch);
      return;
    }
    int localPort = ((InetSocketAddress) ch.localAddress()).getPort();
    result.sourcePort(localPort);
    IcmpErrorTap.Watch watch =
        IcmpErrorTap.watch(netns.icmpErrors(), 6, ip(remote), localPort, port);
    result.evidence(
        "SYN sent from "
            + result.from()
            + " to "
            + io.netprobe.agent.address.Addresses.withPort(ip(remote), port));
    result.step(SYN);
    long synNanos = System.nanoTime();
    ch.connect(remote)
        .addListener(
            c -> {
              if (c.isSuccess()) {
                result.step(HANDSHAKE).status(ProbeStatus.CONNECTED);
                result.evidence(
                    // the probe's clock, which includes any wait of its thread for a core: on a
                    // busy run the wire time is far less (the captures have it)
                    "SYN-ACK received: handshake completed with "
                        + ip(remote)
                        + ", seen by the probe "
                        + Math.round((System.nanoTime() - synNanos) / 1e3) / 1e3
                        + " ms after its SYN");
                if (watch != null) {
                  watch.release();
                }
                if (after != null) {
                  ch.pipeline().remove(Settle.class);
                  after
                      .speak(ch, result, target)
                      .whenComplete(
                          (v, e) -> {
                            if (e != null) {
                              result.status(ProbeStatus.ERROR).evidence("probe failed: " + e);
                            }
                            ch.close();
                            done.complete(result.build());
                          });
                  return;
                }
                ch.pipeline()
                    .get(Settle.class)
                    .await(ch, settleMs(target.timeoutMs()), System.nanoTime())
                    .thenAccept(
                        closed -> {
                          closed.ifPresent(
                              how -> {
                                result.status(ProbeStatus.CLOSED).step("closed");
                                result.evidence(how);
                              });
                          ch.close();
                          done.complete(result.build());
                        });
              } else {
                ProbeSupport.heard(watch, c.cause(), ch.eventLoop())
                    .thenAccept(icmp -> finish(done, result, c.cause(), remote, target, ch, icmp));
              }
            });
  }

  /**
   * The handshake's time, SYN to SYN-ACK, by the probe's clock: what a TCP cell's round trip is.
   * Its {@code elapsedMs} is longer: the probe then held the connection for the settle window (up
   * to 250 ms) or spoke over it. Null when {@code r} completed no handshake.
   */
  public static Double handshakeMs(ProbeResult r) {
    Double syn = null;
    for (Timing t : r.timings()) {
      if (t.step().equals(SYN)) {
        syn = t.ms();
      } else if (t.step().equals(HANDSHAKE) && syn != null) {
        return Math.round((t.ms() - syn) * 1000.0) / 1000.0;
      }
    }
    return null;
  }

  /**
   * How long a connection is held after the handshake to see whether the far end closes it at once:
   * a quarter of the timeout, 50 to 250 ms (a relay's backend answers within a LAN round trip).
   */
  static int settleMs(int timeoutMs) {
    return Math.max(50, Math.min(250, timeoutMs / 4));
  }

  /**
   * Watches a connected channel: a close or a reset from the far end, or its first byte. {@link
   * #await} gives the evidence line of a close before any byte within the window, else empty.
   */
  static final class Settle extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<java.util.Optional<String>> outcome = new CompletableFuture<>();
    private volatile long connectedNanos;
    private volatile boolean spoke;
    private volatile boolean reset;

    CompletableFuture<java.util.Optional<String>> await(Channel ch, int windowMs, long nanos) {
      connectedNanos = nanos;
      ch.eventLoop()
          .schedule(
              () -> outcome.complete(java.util.Optional.empty()),
              windowMs,
              java.util.concurrent.TimeUnit.MILLISECONDS);
      if (!ch.isActive()) {
        closed();
      }
      return outcome;
    }

    @Override
    public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
      spoke = true;
      io.netty.util.ReferenceCountUtil.release(msg);
      outcome.complete(java.util.Optional.empty());
    }

    @Override
    public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
      reset = true;
    }

    @Override
    public void channelInactive(io.netty.channel.ChannelHandlerContext ctx) {
      closed();
    }

    private void closed() {
      if (spoke || connectedNanos == 0) {
        return;
      }
      double ms = Math.round((System.nanoTime() - connectedNanos) / 1e4) / 1e2;
      outcome.complete(
          java.util.Optional.of(
              "the far end closed the connection ("
                  + (reset ? "RST" : "FIN")
                  + ") "
                  + ms
                  + " ms after the handshake, before sending a byte"));
    }
  }

  private static void finish(
      CompletableFuture<ProbeResult> done,
      ProbeResult.Builder result,
      Throwable error,
      InetSocketAddress remote,
      ProbeTarget target,
      Channel ch) {
    finish(done, result, error, remote, target, ch, null);
  }

  private static void finish(
      CompletableFuture<ProbeResult> done,
      ProbeResult.Builder result,
      Throwable error,
      InetSocketAddress remote,
      ProbeTarget target,
      Channel ch,
      IcmpError icmp) {
    result.step("failed");
    ProbeSupport.failed(result, error, remote, target.timeoutMs(), icmp);
    ch.close();
    done.complete(result.build());
  }

  private static String ip(InetSocketAddress remote) {
    return io.netprobe.agent.address.Addresses.text(remote.getAddress());
  }
}
