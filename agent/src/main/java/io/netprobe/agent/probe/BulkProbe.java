package io.netprobe.agent.probe;

import io.netprobe.agent.address.Addresses;
import io.netprobe.agent.net.NetNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * Throughput in one direction, as iperf3's single TCP stream measures it: write as fast as the
 * kernel takes it over one TCP connection for the probe's duration, then close the sending side and
 * wait (up to the check's timeout) for the far end to have read it all. The far end is a discard
 * responder (the target agent's {@code listen.start} with {@code mode: discard}) that counts the
 * bytes and the time from its first read to its last: that count, which the coordinator adds to the
 * result, is the figure. This side records what it wrote, and in how long.
 */
public final class BulkProbe implements Probe {
  /** The size of each write: large enough that a write costs little next to its copy. */
  static final int CHUNK = 128 * 1024;

  private final ProbeSpec.Bulk spec;
  private final NetNamespace netns;

  public BulkProbe(ProbeSpec.Bulk spec, NetNamespace netns) {
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
    try (Selector selector = Selector.open();
        SocketChannel channel = SocketChannel.open()) {
      RrProbe.connect(channel, selector, remote, target, result);
      send(channel, selector, target, result, remote);
    } catch (IOException e) {
      result.step("failed");
      ProbeSupport.failed(result, e, remote, target.timeoutMs());
    }
    return result.build();
  }

  /** Writes until the duration is over, then waits for the far end to have read everything. */
  private void send(
      SocketChannel channel,
      Selector selector,
      ProbeTarget target,
      ProbeResult.Builder result,
      InetSocketAddress remote)
      throws IOException {
    SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
    ByteBuffer out = ByteBuffer.allocateDirect(CHUNK);
    long bytes = 0;
    long start = System.nanoTime();
    long end = start + spec.durationMs() * 1_000_000L;
    long last = start;
    long timeoutNanos = target.timeoutMs() * 1_000_000L;
    for (long now = start; now < end; now = System.nanoTime()) {
      out.clear();
      int n = channel.write(out);
      if (n > 0) {
        bytes += n;
        last = System.nanoTime();
      } else if (!RrProbe.waitFor(selector, key, SelectionKey.OP_WRITE, end)) {
        // the duration ended while the kernel's buffer was full: on a slow path that is the
        // rule, not a stall (the receiver's count says how much got through)
        break;
      }
    }
    channel.shutdownOutput();
    Throughput t = Throughput.sent(bytes, Math.max(last - start, 1));
    result.step("sent").throughput(t);
    result.evidence(
        "wrote "
            + String.format(java.util.Locale.ROOT, "%,d", bytes)
            + " bytes in "
            + Math.round(t.sentMs())
            + " ms over one TCP connection to "
            + Addresses.withPort(Addresses.text(remote.getAddress()), remote.getPort())
            + " ("
            + Throughput.rate(t.sentBitsPerSecond())
            + " into the socket, its buffers included)");
    long drained = drained(channel, selector, key, System.nanoTime() + timeoutNanos);
    if (drained >= 0) {
      result.evidence(
          "the far end had read everything and closed "
              + Math.round((drained - last) / 1e6)
              + " ms after the last write");
    } else {
      result.evidence(
          "the far end was still reading "
              + target.timeoutMs()
              + " ms after the writes stopped (the path is slower than the writes; its count says"
              + " how much arrived)");
    }
    if (bytes == 0) {
      result
          .status(ProbeStatus.TIMEOUT)
          .evidence("the connection took no data in " + spec.durationMs() + " ms");
    } else {
      result.status(ProbeStatus.REPLY);
    }
  }

  /** Waits for the far end's close (read gives -1); its time, or -1 past the deadline. */
  private static long drained(
      SocketChannel channel, Selector selector, SelectionKey key, long deadline)
      throws IOException {
    ByteBuffer sink = ByteBuffer.allocate(512);
    while (true) {
      sink.clear();
      int n = channel.read(sink);
      if (n < 0) {
        return System.nanoTime();
      }
      if (n == 0 && !RrProbe.waitFor(selector, key, SelectionKey.OP_READ, deadline)) {
        return -1;
      }
    }
  }
}
