package io.netprobe.agent.listen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TCP or UDP port opened for a bounded time, to test a path that has no service yet. TCP: each
 * client gets a line "netprobe <id>" and is closed. UDP: each datagram is answered with the same
 * line. Every peer is recorded with the address it came from (after any NAT on the way).
 */
public final class TempListener implements AutoCloseable {
  /** The protocols a listener can open. */
  public enum Protocol {
    TCP,
    UDP
  }

  /** A client that reached the listener. */
  public record Peer(String address, int port, double atMs) {}

  /** What the listener saw. */
  public record Summary(String id, String protocol, String address, int port, List<Peer> peers) {
    public Summary {
      peers = List.copyOf(peers);
    }
  }

  private final String id;
  private final Protocol protocol;
  private final NetworkChannel channel;
  private final List<Peer> peers = Collections.synchronizedList(new ArrayList<>());
  private final long start = System.nanoTime();
  private final long windowMs;
  private final Thread thread;
  private final InetSocketAddress local;

  private TempListener(String id, Protocol protocol, NetworkChannel channel, long windowMs)
      throws IOException {
    this.id = id;
    this.local = (InetSocketAddress) channel.getLocalAddress();
    this.protocol = protocol;
    this.channel = channel;
    this.windowMs = windowMs;
    this.thread = new Thread(this::serve, "np-listen-" + id);
    thread.setDaemon(true);
  }

  public static TempListener open(
      String id, Protocol protocol, String bind, int port, long windowMs) throws IOException {
    InetSocketAddress local = new InetSocketAddress(bind, port);
    NetworkChannel channel =
        protocol == Protocol.TCP ? ServerSocketChannel.open() : DatagramChannel.open();
    try {
      channel.bind(local);
    } catch (IOException e) {
      channel.close();
      throw new IOException(
          "cannot listen on "
              + protocol.name().toLowerCase(Locale.ROOT)
              + " "
              + bind
              + ":"
              + port
              + ": "
              + e.getMessage()
              + " (is the port in use? the facts op lists listening sockets)",
          e);
    }
    TempListener listener = new TempListener(id, protocol, channel, windowMs);
    listener.thread.start();
    CompletableFuture.delayedExecutor(windowMs, TimeUnit.MILLISECONDS)
        .execute(listener::closeQuietly);
    return listener;
  }

  public String id() {
    return id;
  }

  public int port() {
    return local.getPort();
  }

  public boolean expired() {
    return System.nanoTime() - start > windowMs * 1_000_000L;
  }

  private void serve() {
    byte[] hello = ("netprobe " + id + "\n").getBytes(StandardCharsets.US_ASCII);
    try {
      while (channel.isOpen() && !expired()) {
        if (channel instanceof ServerSocketChannel server) {
          try (SocketChannel client = server.accept()) {
            record((InetSocketAddress) client.getRemoteAddress());
            client.write(ByteBuffer.wrap(hello));
          }
        } else {
          DatagramChannel udp = (DatagramChannel) channel;
          ByteBuffer buf = ByteBuffer.allocate(2048);
          InetSocketAddress from = (InetSocketAddress) udp.receive(buf);
          record(from);
          udp.send(ByteBuffer.wrap(hello), from);
        }
      }
    } catch (ClosedChannelException e) {
      return; // stopped
    } catch (IOException e) {
      return; // the listener ends; its peers so far are kept
    } finally {
      closeQuietly();
    }
  }

  private void record(InetSocketAddress from) {
    peers.add(
        new Peer(
            io.netprobe.agent.address.Addresses.text(from.getAddress()),
            from.getPort(),
            Math.round((System.nanoTime() - start) / 1e3) / 1e3));
  }

  public Summary stop() {
    closeQuietly();
    synchronized (peers) {
      return new Summary(
          id,
          protocol.name().toLowerCase(Locale.ROOT),
          io.netprobe.agent.address.Addresses.text(local.getAddress()),
          local.getPort(),
          peers);
    }
  }

  private void closeQuietly() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
