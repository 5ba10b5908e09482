package io.netprobe.agent.probe;

import io.netprobe.agent.icmp.IcmpError;
import io.netprobe.agent.icmp.IcmpErrorTap;
import io.netprobe.agent.net.NetNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * UDP send and expect a reply, on a connected datagram socket so the kernel hands back ICMP errors
 * for it: port unreachable means a closed port; silence is only a TIMEOUT (UDP cannot tell a
 * dropped datagram from a service that does not answer).
 */
public final class UdpProbe implements Probe {
  private final int port;
  private final String payload;

  private final NetNamespace netns;

  public UdpProbe(int port, String payload, NetNamespace netns) {
    this.port = port;
    this.payload = payload == null ? "netprobe" : payload;
    this.netns = netns;
  }

  @Override
  public CompletableFuture<ProbeResult> run(ProbeTarget target) {
    return CompletableFuture.supplyAsync(() -> runBlocking(target), netns.workers());
  }

  private ProbeResult runBlocking(ProbeTarget target) {
    ProbeResult.Builder result = ProbeResult.builder("udp:" + port, target);
    InetAddress address = ProbeSupport.resolveNow(result, target, netns);
    if (address == null || !ProbeSupport.routed(result, address)) {
      return result.build();
    }
    InetSocketAddress remote = new InetSocketAddress(address, port);
    IcmpErrorTap.Watch watch = null;
    try (DatagramChannel channel = DatagramChannel.open();
        Selector selector = Selector.open()) {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, target.sourcePort() != 0);
      channel.bind(new InetSocketAddress(target.sourcePort()));
      channel.connect(remote);
      channel.configureBlocking(false);
      int localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
      result.sourcePort(localPort);
      watch =
          IcmpErrorTap.watch(
              netns.icmpErrors(),
              17,
              io.netprobe.agent.address.Addresses.text(address),
              localPort,
              port);
      String mark = target.mark() == null ? payload : payload + " " + target.mark();
      channel.write(ByteBuffer.wrap(mark.getBytes(StandardCharsets.UTF_8)));
      result
          .step("sent")
          .evidence(
              "datagram sent from "
                  + result.from()
                  + " to "
                  + io.netprobe.agent.address.Addresses.text(address)
                  + ":"
                  + port);
      channel.register(selector, SelectionKey.OP_READ);
      if (selector.select(target.timeoutMs()) == 0) {
        IcmpError icmp = ProbeSupport.heard(watch, null, netns.loop()).join();
        watch = null;
        if (icmp != null) {
          ProbeSupport.failed(
              result,
              new java.net.SocketTimeoutException("no reply"),
              remote,
              target.timeoutMs(),
              icmp);
          return result.build();
        }
        result
            .status(ProbeStatus.TIMEOUT)
            .evidence(
                "no reply and no ICMP error within "
                    + target.timeoutMs()
                    + " ms"
                    + " (a UDP service may stay silent; a DROP looks the same)");
        return result.build();
      }
      ByteBuffer reply = ByteBuffer.allocate(2048);
      channel.read(reply);
      result
          .step("reply")
          .status(ProbeStatus.REPLY)
          .evidence(
              "reply of "
                  + reply.position()
                  + " bytes from "
                  + io.netprobe.agent.address.Addresses.text(address)
                  + ":"
                  + port);
    } catch (IOException e) {
      result.step("failed");
      IcmpError icmp = ProbeSupport.heard(watch, e, netns.loop()).join();
      watch = null;
      ProbeSupport.failed(result, e, remote, target.timeoutMs(), icmp);
    } finally {
      if (watch != null) {
        watch.release();
      }
    }
    return result.build();
  }
}
