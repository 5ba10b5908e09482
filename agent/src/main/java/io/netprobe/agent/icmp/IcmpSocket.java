package io.netprobe.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An ICMP echo socket the agent opens itself: a ping socket (SOCK_DGRAM/IPPROTO_ICMP or
 * IPPROTO_ICMPV6, allowed by {@code net.ipv4.ping_group_range} for both families) or, when that is
 * refused, a raw socket (CAP_NET_RAW). Reads replies with their TTL (hop limit) and ICMP errors
 * with type, code and the offender's address; an ICMPv6 error is given as the ICMP error that means
 * the same ({@link IcmpError#asIcmp4}), so every explanation reads both families.
 */
public final class IcmpSocket implements AutoCloseable {
  /** Which kind of socket was opened. */
  public enum Kind {
    PING,
    RAW
  }

  /** Something read from the socket: an echo reply or an ICMP error for one of our echoes. */
  /**
   * A reply or error; {@code receivedAtMicros} is when the kernel received it (SO_TIMESTAMP, epoch
   * µs), 0 when unknown (the error queue).
   */
  public record Received(
      boolean reply,
      int sequence,
      int ttl,
      int type,
      int code,
      String from,
      long receivedAtMicros) {
    public Received(boolean reply, int sequence, int ttl, int type, int code, String from) {
      this(reply, sequence, ttl, type, code, from, 0);
    }

    Received receivedAt(long micros) {
      return new Received(reply, sequence, ttl, type, code, from, micros);
    }
  }

  private static final LibC C = LibC.INSTANCE;
  private static final Set<Integer> IN_USE = ConcurrentHashMap.newKeySet();

  /**
   * How long an id rests after its socket closed before another probe of this JVM takes it: a
   * capture that is still running (its own run's, or another run's from the same namespace, as
   * {@code grade --parallel} starts them) must not see a later probe's echoes under an id it
   * already gave to an earlier one.
   */
  static final long REST_NANOS = 30_000_000_000L;

  /** When each id lately given back was released ({@link System#nanoTime}). */
  private static final Map<Integer, Long> RELEASED = new ConcurrentHashMap<>();

  private final int fd;
  private final Kind kind;
  private final int identifier;
  private final boolean v6;

  /** The payload of the echoes sent: a reply that does not carry it is not for them. */
  private volatile byte[] payload;

  private IcmpSocket(int fd, Kind kind, int identifier, boolean v6) {
    this.fd = fd;
    this.kind = kind;
    this.identifier = identifier;
    this.v6 = v6;
  }

  /**
   * Opens a ping socket, falling back to a raw one. {@code identifier} (1..65535) is the echo id to
   * use; a ping socket gets it by binding it as its port.
   */
  public static IcmpSocket open(int identifier) throws IOException {
    return open(identifier, false);
  }

  /** The same for IPv6 ({@code v6}): an ICMPv6 echo socket. */
  public static IcmpSocket open(int identifier, boolean v6) throws IOException {
    int id = acquire(identifier);
    try {
      return openReserved(id, v6);
    } catch (IOException | RuntimeException e) {
      IN_USE.remove(id); // never used on the wire: no rest needed
      throw e;
    }
  }

  /**
   * Reserves an echo id no other probe of this agent uses: the kernel lets two ping sockets bind
   * the same id and then hands every reply to only one of them. An id released less than {@link
   * #REST_NANOS} ago is passed over while a rested one is free.
   */
  static int acquire(int preferred) {
    int id = preferred != 0 ? preferred : 1 + ThreadLocalRandom.current().nextInt(65535);
    long now = System.nanoTime();
    for (int tried = 0; tried < 65535; tried++, id = id % 65535 + 1) {
      if (rested(id, now) && IN_USE.add(id)) {
        return id;
      }
    }
    while (!IN_USE.add(id)) { // every id was used in the last REST_NANOS: any free one
      id = id % 65535 + 1;
    }
    return id;
  }

  private static boolean rested(int id, long now) {
    Long released = RELEASED.get(id);
    if (released == null) {
      return true;
    }
    if (now - released < REST_NANOS) {
      return false;
    }
    RELEASED.remove(id, released);
    return true;
  }

  /** Gives an id back; it rests before it is taken again. */
  static void release(int id) {
    RELEASED.put(id, System.nanoTime());
    IN_USE.remove(id);
  }

  private static IcmpSocket openReserved(int id, boolean v6) throws IOException {
    String pingError;
    try {
      return openPing(id, v6);
    } catch (LastErrorException e) {
      pingError = e.getMessage();
    }
    try {
      int fd =
          v6
              ? C.socket(LibC.AF_INET6, LibC.SOCK_RAW, LibC.IPPROTO_ICMPV6)
              : C.socket(LibC.AF_INET, LibC.SOCK_RAW, LibC.IPPROTO_ICMP);
      setInt(fd, LibC.SOL_SOCKET, LibC.SO_TIMESTAMP, 1);
      if (v6) {
        setInt(fd, LibC.SOL_IPV6, LibC.IPV6_RECVHOPLIMIT, 1);
      }
      return new IcmpSocket(fd, Kind.RAW, id, v6);
    } catch (LastErrorException e) {
      throw new IOException(
          "cannot open an ICMP socket: ping socket refused ("
              + pingError
              + "; check net.ipv4.ping_group_range), raw socket refused ("
              + e.getMessage()
              + "; needs CAP_NET_RAW). Run the agent as root or widen ping_group_range");
    }
  }

  /** A ping socket bound to {@code identifier} (0: the kernel picks a free one). */
  private static IcmpSocket openPing(int identifier, boolean v6) {
    int fd =
        v6
            ? C.socket(LibC.AF_INET6, LibC.SOCK_DGRAM, LibC.IPPROTO_ICMPV6)
            : C.socket(LibC.AF_INET, LibC.SOCK_DGRAM, LibC.IPPROTO_ICMP);
    try {
      C.bind(fd, sockaddr(null, identifier, v6), v6 ? 28 : 16);
      if (v6) {
        setInt(fd, LibC.SOL_IPV6, LibC.IPV6_RECVERR, 1);
        setInt(fd, LibC.SOL_IPV6, LibC.IPV6_RECVHOPLIMIT, 1);
      } else {
        setInt(fd, LibC.IP_RECVERR, 1);
        setInt(fd, LibC.IP_RECVTTL, 1);
      }
      setInt(fd, LibC.SOL_SOCKET, LibC.SO_TIMESTAMP, 1);
      return new IcmpSocket(fd, Kind.PING, boundPort(fd), v6);
    } catch (LastErrorException e) {
      C.close(fd);
      throw e;
    }
  }

  public Kind kind() {
    return kind;
  }

  public int identifier() {
    return identifier;
  }

  /** Sends one echo request; throws with the kernel's errno text when it cannot leave. */
  public void sendEcho(InetAddress to, int sequence, byte[] payload) throws IOException {
    this.payload = payload;
    byte[] packet =
        v6
            ? IcmpPackets.echoRequest6(identifier, sequence, payload)
            : IcmpPackets.echoRequest(identifier, sequence, payload);
    try {
      C.sendto(fd, packet, packet.length, 0, sockaddr(to, 0, v6), v6 ? 28 : 16);
    } catch (LastErrorException e) {
      throw new IOException(strip(e.getMessage()));
    }
  }

  /** The socket's descriptor, for poll (EchoReactor). */
  public int fd() {
    return fd;
  }

  /**
   * Reads what {@code poll} said is there ({@code revents}), without blocking: an ICMP error from
   * the error queue, else a reply; null when it was not for us (a raw socket sees every echo).
   */
  public Received receiveReady(short revents) {
    return (revents & LibC.POLLERR) != 0 ? IcmpPackets.readError(fd) : readInbound();
  }

  /**
   * A reply or error for this exchange that the kernel received by {@code notAfterMicros} (epoch
   * µs) and that still waits on the socket, without blocking; null when none does. What came later
   * is read past (a late reply is late, whoever reads it), and so are a raw socket's other ICMP
   * messages (another probe's, the echo request itself on loopback).
   */
  public Received receivedBy(long notAfterMicros) {
    Received error = IcmpPackets.readError(fd);
    if (error != null) {
      return error;
    }
    for (int i = 0; i < 256; i++) {
      Message msg = Message.receive(fd, 0, 2048);
      if (msg == null) {
        return null;
      }
      Received got = parse(msg);
      if (got != null && msg.receivedAtMicros() > 0 && msg.receivedAtMicros() <= notAfterMicros) {
        return got;
      }
    }
    return null;
  }

  private Received parse(Message msg) {
    Received got = parseAny(msg);
    if (got != null && got.reply() && !echoes(msg.data())) {
      return null; // an earlier exchange's late reply, to an echo with this identifier
    }
    return got == null ? null : got.receivedAt(msg.receivedAtMicros());
  }

  /** True when the reply carries this socket's payload (a raw IPv4 socket's after the headers). */
  private boolean echoes(byte[] data) {
    byte[] sent = payload;
    if (sent == null) {
      return true;
    }
    int at = kind == Kind.RAW && !v6 ? (data[0] & 0x0f) * 4 + 8 : 8;
    if (data.length < at + sent.length) {
      return false;
    }
    for (int i = 0; i < sent.length; i++) {
      if (data[at + i] != sent[i]) {
        return false;
      }
    }
    return true;
  }

  private Received parseAny(Message msg) {
    if (v6) {
      return kind == Kind.PING
          ? IcmpPackets.parsePing6(msg.data(), msg.ttl(), msg.peer())
          : IcmpPackets.parseRaw6(msg.data(), identifier, msg.ttl(), msg.peer());
    }
    return kind == Kind.PING
        ? IcmpPackets.parsePing(msg.data(), msg.ttl(), msg.peer())
        : IcmpPackets.parseRaw(msg.data(), identifier);
  }

  private Received readInbound() {
    Message msg = Message.receive(fd, 0, 2048);
    return msg == null ? null : parse(msg);
  }

  /** A sockaddr_in (16 bytes) or, for {@code v6}, a sockaddr_in6 (28 bytes). */
  static Pointer sockaddr(InetAddress address, int port, boolean v6) {
    Memory sa = new Memory(v6 ? 28 : 16);
    sa.clear();
    sa.setShort(0, (short) (v6 ? LibC.AF_INET6 : LibC.AF_INET));
    sa.setByte(2, (byte) (port >> 8));
    sa.setByte(3, (byte) port);
    if (address != null) {
      if ((address instanceof Inet4Address) == v6) {
        throw new IllegalArgumentException(
            "an IPv" + (v6 ? "6" : "4") + " ICMP socket cannot send to " + address);
      }
      if (v6) {
        sa.write(8, address.getAddress(), 0, 16);
        if (address instanceof java.net.Inet6Address a6 && a6.getScopeId() != 0) {
          sa.setInt(24, a6.getScopeId());
        }
      } else {
        sa.write(4, address.getAddress(), 0, 4);
      }
    }
    return sa;
  }

  /**
   * The address of the sockaddr at {@code offset}, by its family: IPv4 dotted, IPv6 compressed
   * ({@code fd00:6::2}); null for none.
   */
  static String socketAddress(Pointer p, long offset) {
    int family = p.getShort(offset) & 0xffff;
    try {
      if (family == LibC.AF_INET) {
        return InetAddress.getByAddress(p.getByteArray(offset + 4, 4)).getHostAddress();
      }
      if (family == LibC.AF_INET6) {
        return io.netty.util.NetUtil.toAddressString(
            InetAddress.getByAddress(p.getByteArray(offset + 8, 16)));
      }
    } catch (UnknownHostException e) {
      return null;
    }
    return null;
  }

  private static void setInt(int fd, int option, int value) {
    setInt(fd, LibC.SOL_IP, option, value);
  }

  private static void setInt(int fd, int level, int option, int value) {
    Memory v = new Memory(4);
    v.setInt(0, value);
    C.setsockopt(fd, level, option, v, 4);
  }

  private static int boundPort(int fd) {
    Memory sa = new Memory(28);
    Memory len = new Memory(4);
    len.setInt(0, 28);
    C.getsockname(fd, sa, len);
    return ((sa.getByte(2) & 0xff) << 8) | (sa.getByte(3) & 0xff);
  }

  private static String strip(String message) {
    return message == null ? "unknown error" : message.replaceFirst("^\\[\\d+\\]\\s*", "");
  }

  @Override
  public void close() {
    C.close(fd);
    release(identifier);
  }
}
