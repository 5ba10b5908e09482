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
 */
public final class TcpProbe implements Probe {
  private final int port;
  private final NetNamespace netns;

  public TcpProbe(int port, NetNamespace netns) {
    this.netns = netns;
    this.port = port;
  }

  @Override
  public CompletableFuture<ProbeResult> run(ProbeTarget target) {
    ProbeResult.Builder result = ProbeResult.builder("tcp:" + port, target);
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
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, target.timeoutMs())
            .option(ChannelOption.SO_REUSEADDR, target.sourcePort() != 0)
            .handler(new ChannelInboundHandlerAdapter());
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
    result.evidence("SYN sent from " + result.from() + " to " + ip(remote) + ":" + port);
    result.step("syn");
    long synNanos = System.nanoTime();
    ch.connect(remote)
        .addListener(
            c -> {
              if (c.isSuccess()) {
                result.step("handshake").status(ProbeStatus.CONNECTED);
                result.evidence(
                    "SYN-ACK received: handshake completed with "
                        + ip(remote)
                        + " in "
                        + Math.round((System.nanoTime() - synNanos) / 1e3) / 1e3
                        + " ms");
                ch.close();
                if (watch != null) {
                  watch.release();
                }
                done.complete(result.build());
              } else {
                ProbeSupport.heard(watch, c.cause(), ch.eventLoop())
                    .thenAccept(icmp -> finish(done, result, c.cause(), remote, target, ch, icmp));
              }
            });
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
    return remote.getAddress().getHostAddress();
  }
}
