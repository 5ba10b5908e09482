package io.netprobe.agent.listen;

import io.netprobe.agent.net.Timer;
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

/**
 * A TCP or UDP port opened for a bounded time, to test a path that has no service yet. TCP: each
 * client gets a line "netprobe <id>" and is closed. UDP: each datagram is answered with the same
 * line. Every peer is recorded with the address it came from (after any NAT on the way).
 *
 * <p>In {@link Mode#ECHO} it is the responder of {@code rr} probes: TCP echoes every byte back on
 * the connection, each client on a thread of its own, until the client closes; UDP sends each
 * datagram back to its sender as it is. {@link Summary#echoed} counts the reads echoed.
 *
 * <p>In {@link Mode#DISCARD} (TCP only) it is the receiver of {@code bulk} probes: it reads every
 * byte a client sends and throws it away, each client on a thread of its own, until the client
 * closes its side, then closes too (which tells the client everything was read). {@link
 * Summary#received} counts the bytes, {@link Summary#firstByteMs} and {@link Summary#lastByteMs}
 * say when the first and the last read returned.
 */
public final class TempListener implements AutoCloseable {
  /** The failure code of a {@code listen.start} whose port another socket holds (EADDRINUSE). */
  public static final String PORT_IN_USE = "PORT_IN_USE";

  /** The protocols a listener can open. */
  public enum Protocol {
    TCP,
    UDP
  }

  /** What the listener answers: a hello line, the client's own bytes, or nothing (it counts). */
  public enum Mode {
    HELLO,
    ECHO,
    DISCARD
  }

  /** A client that reached the listener. */
  public record Peer(String address, int port, double atMs) {}

  /**
   * What the listener saw. {@code received}, {@code firstByteMs}, {@code lastByteMs}: the bytes a
   * discarding listener read, and when (ms since it opened) the first and the last read returned;
   * null times when it read nothing.
   */
  public record Summary(
      String id,
      String protocol,
      String address,
      int port,
      List<Peer> peers,
      long echoed,
      long received,
      Double firstByteMs,
      Double lastByteMs) {
    public Summary {
      peers = List.copyOf(peers);
    }
  }

  private final String id;
  private final Protocol protocol;
  private final Mode mode;
  private final java.util.concurrent.atomic.AtomicLong echoed =
      new java.util.concurrent.atomic.AtomicLong();
  private final NetworkChannel channel;
  private final java.util.concurrent.atomic.AtomicLong received =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong firstByte =
      new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
  private final java.util.concurrent.atomic.AtomicLong lastByte =
      new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
  private final List<Peer> peers = Collections.synchronizedList(new ArrayList<>());
  private final long start = System.nanoTime();
  private final long windowMs;
  private final Thread thread;
  private final InetSocketAddress local;

  private TempListener(
      String id, Protocol protocol, Mode mode, NetworkChannel channel, long windowMs)
      throws IOException {
    this.id = id;
    this.mode = mode;
    this.local = (InetSocketAddress) channel.getLocalAddress();
    this.protocol = protocol;
    this.channel = channel;
    this.windowMs = windowMs;
    this.thread = new Thread(this::serve, "np-listen-" + id);
    thread.setDaemon(true);
  }

  public static TempListener open(
      String id, Protocol protocol, String bind, int port, long windowMs) throws IOException {
    return open(id, protocol, Mode.HELLO, bind, port, windowMs);
  }

  /** A listener that answers as {@code mode} says, on {@code bind:port} for {@code windowMs}. */
  public static TempListener open(
      String id, Protocol protocol, Mode mode, String bind, int port, long windowMs)
      throws IOException {
    if (mode == Mode.DISCARD && protocol != Protocol.TCP) {
      throw new IllegalArgumentException("a discarding listener is TCP only (bulk:tcp)");
    }
    InetSocketAddress local = new InetSocketAddress(bind, port);
    NetworkChannel channel =
        protocol == Protocol.TCP ? ServerSocketChannel.open() : DatagramChannel.open();
    try {
      channel.bind(local);
    } catch (IOException e) {
      channel.close();
      String why =
          "cannot listen on "
              + protocol.name().toLowerCase(Locale.ROOT)
              + " "
              + bind
              + ":"
              + port
              + ": "
              + e.getMessage()
              + " (is the port in use? the facts op lists listening sockets)";
      if (e instanceof java.net.BindException && held(protocol, local)) {
        // another socket has the port: a code of its own, so that a caller may wait for it
        throw new io.netprobe.agent.protocol.BadRequestException(PORT_IN_USE, "port", why);
      }
      throw new IOException(why, e);
    }
    TempListener listener = new TempListener(id, protocol, mode, channel, windowMs);
    listener.thread.start();
    Timer.after(windowMs, listener::closeQuietly);
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
    if (mode != Mode.HELLO) {
      echo();
      return;
    }
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

  private void echo() {
    try {
      if (channel instanceof ServerSocketChannel server) {
        while (channel.isOpen() && !expired()) {
          SocketChannel client = server.accept();
          record((InetSocketAddress) client.getRemoteAddress());
          Thread t =
              mode == Mode.DISCARD
                  ? new Thread(() -> discard(client), "np-discard-" + id)
                  : new Thread(() -> echo(client), "np-echo-" + id);
          t.setDaemon(true);
          t.start();
        }
      } else {
        DatagramChannel udp = (DatagramChannel) channel;
        ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
        java.util.Set<InetSocketAddress> seen = new java.util.HashSet<>();
        while (channel.isOpen() && !expired()) {
          buf.clear();
          InetSocketAddress from = (InetSocketAddress) udp.receive(buf);
          if (seen.add(from)) {
            record(from);
          }
          buf.flip();
          udp.send(buf, from);
          echoed.incrementAndGet();
        }
      }
    } catch (IOException e) {
      return; // stopped, or the listener ends; its peers so far are kept
    } finally {
      closeQuietly();
    }
  }

  /** Echoes a TCP client's bytes until it closes or the listener stops. */
  private void echo(SocketChannel client) {
    try (client) {
      client.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      ByteBuffer buf = ByteBuffer.allocateDirect(65_536);
      while (channel.isOpen() && client.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          client.write(buf);
        }
        buf.clear();
        echoed.incrementAndGet();
      }
    } catch (IOException e) {
      // the client went away, or the listener stopped
    }
  }

  /**
   * Reads a TCP client's bytes and counts them until it closes its side (or the listener stops),
   * then closes: the client's read of that close says all it sent was read.
   */
  private void discard(SocketChannel client) {
    try (client) {
      ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
      int n;
      while (channel.isOpen() && (n = client.read(buf)) >= 0) {
        long now = System.nanoTime();
        firstByte.accumulateAndGet(now, Math::min);
        lastByte.accumulateAndGet(now, Math::max);
        received.addAndGet(n);
        buf.clear();
      }
    } catch (IOException e) {
      // the client went away, or the listener stopped
    }
  }

  private Double sinceStart(long nanos) {
    return nanos == Long.MAX_VALUE || nanos == Long.MIN_VALUE
        ? null
        : Math.round((nanos - start) / 1e3) / 1e3;
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
    try {
      // a thread blocked in accept holds the listening socket until it wakes: once it has left,
      // the port is free for the next responder (BulkIT's three cells on one port, a watch's
      // every round), not a moment later
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (peers) {
      return new Summary(
          id,
          protocol.name().toLowerCase(Locale.ROOT),
          io.netprobe.agent.address.Addresses.text(local.getAddress()),
          local.getPort(),
          peers,
          echoed.get(),
          received.get(),
          sinceStart(firstByte.get()),
          sinceStart(lastByte.get()));
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

  /**
   * Whether another socket of this namespace holds {@code local}: the address is this namespace's
   * (or the wildcard), and a socket listens on (TCP) or is bound to (UDP) its port at that address
   * or at a wildcard. Read from the kernel's socket table, not from the bind error's words, which
   * the locale translates and which a missing address or a privileged port share with it.
   */
  private static boolean held(Protocol protocol, InetSocketAddress local) {
    String name = protocol.name().toLowerCase(Locale.ROOT);
    java.net.InetAddress at = local.getAddress();
    try {
      if (at == null
          || !at.isAnyLocalAddress() && java.net.NetworkInterface.getByInetAddress(at) == null) {
        return false; // no such address here: the port is not what failed
      }
      return io.netprobe.agent.facts.ProcFacts.system().listening().stream()
          .filter(l -> l.port() == local.getPort() && l.protocol().equals(name))
          .map(l -> literal(l.address()))
          .anyMatch(
              a -> a == null || a.isAnyLocalAddress() || at.isAnyLocalAddress() || a.equals(at));
    } catch (IOException | RuntimeException e) {
      return false; // not known: a plain failure
    }
  }

  /** A numeric address as the socket table prints it; null if it is not one. */
  private static java.net.InetAddress literal(String address) {
    try {
      // only a literal (an IPv6 one has a colon): never a name lookup
      return address.indexOf(':') >= 0 || address.matches("[0-9.]+")
          ? java.net.InetAddress.getByName(address)
          : null;
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }
}
