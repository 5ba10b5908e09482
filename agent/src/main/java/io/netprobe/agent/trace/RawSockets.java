package io.netprobe.agent.trace;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The raw sockets of a trace: one that sends whole IP packets (IPPROTO_RAW, so IP_HDRINCL, in
 * either family), and ones that read the packets of a protocol (ICMP or ICMPv6, TCP). An IPv4 raw
 * socket reads whole packets; an IPv6 one reads what follows the IPv6 header, so {@link #receive}
 * puts a header back in front (source address from recvfrom) and a trace reads both alike. Linux on
 * 64-bit: sockaddr_in is 16 bytes, sockaddr_in6 28, pollfd 8. Sockets belong to the calling
 * thread's network namespace.
 */
final class RawSockets {
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int IPPROTO_ICMPV6 = 58;
  private static final int ICMP6_FILTER = 1;
  private static final int SOCK_RAW = 3;
  private static final int IPPROTO_RAW = 255;
  private static final int SOL_RAW = 255;
  private static final int ICMP_FILTER = 1;
  private static final int MSG_DONTWAIT = 0x40;
  private static final short POLLIN = 1;

  private RawSockets() {}

  /** A socket that sends packets whose IP header we built (IPPROTO_RAW implies IP_HDRINCL). */
  static int sender(boolean ipv6) throws IOException {
    return open(ipv6, IPPROTO_RAW);
  }

  /** A socket that reads every inbound packet of {@code protocol}. */
  static int reader(boolean ipv6, int protocol) throws IOException {
    return open(ipv6, protocol);
  }

  /**
   * Lets through only the ICMPv6 types in {@code types} (struct icmp6_filter: a set bit blocks).
   */
  static void icmp6Only(int fd, int... types) {
    Memory filter = new Memory(32);
    for (int word = 0; word < 8; word++) {
      filter.setInt(4L * word, -1);
    }
    for (int t : types) {
      filter.setInt(4L * (t >> 5), filter.getInt(4L * (t >> 5)) & ~(1 << (t & 31)));
    }
    LibC.INSTANCE.setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, filter, 32);
  }

  /** Lets through only the ICMP types in {@code types} (the kernel drops the rest for us). */
  static void icmpOnly(int fd, int... types) {
    int pass = 0;
    for (int t : types) {
      pass |= 1 << t;
    }
    Memory mask = new Memory(4);
    mask.setInt(0, ~pass);
    LibC.INSTANCE.setsockopt(fd, SOL_RAW, ICMP_FILTER, mask, 4);
  }

  private static int open(boolean ipv6, int protocol) throws IOException {
    try {
      return LibC.INSTANCE.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_RAW, protocol);
    } catch (LastErrorException e) {
      throw new IOException(
          "socket("
              + (ipv6 ? "AF_INET6" : "AF_INET")
              + ", SOCK_RAW, "
              + (protocol == IPPROTO_RAW ? "IPPROTO_RAW" : "protocol " + protocol)
              + ") refused: "
              + strip(e.getMessage()));
    } catch (LinkageError e) {
      throw new IOException("libc cannot be called through JNA here: " + e);
    }
  }

  /** Sends one whole IP packet to {@code to}; throws with the kernel's errno text. */
  static void send(int fd, byte[] packet, InetAddress to) throws IOException {
    boolean v4 = to instanceof Inet4Address;
    Memory sa = new Memory(v4 ? 16 : 28);
    sa.clear();
    sa.setShort(0, (short) (v4 ? AF_INET : AF_INET6));
    if (v4) {
      sa.write(4, to.getAddress(), 0, 4);
    } else {
      sa.write(8, to.getAddress(), 0, 16);
    }
    try {
      LibC.INSTANCE.sendto(fd, packet, packet.length, 0, sa, (int) sa.size());
    } catch (LastErrorException e) {
      throw new IOException(strip(e.getMessage()));
    }
  }

  /** Waits up to {@code timeoutMs} for any of {@code fds} to be readable; which ones are. */
  static boolean[] poll(int[] fds, int timeoutMs) {
    Memory p = new Memory(8L * fds.length);
    p.clear();
    for (int i = 0; i < fds.length; i++) {
      p.setInt(8L * i, fds[i]);
      p.setShort(8L * i + 4, POLLIN);
    }
    boolean[] ready = new boolean[fds.length];
    try {
      if (LibC.INSTANCE.poll(p, fds.length, timeoutMs) > 0) {
        for (int i = 0; i < fds.length; i++) {
          ready[i] = (p.getShort(8L * i + 6) & POLLIN) != 0;
        }
      }
    } catch (LastErrorException e) {
      // EINTR: the caller polls again
    }
    return ready;
  }

  /** One packet, without blocking; null when there is none left. */
  static byte[] receive(int fd, byte[] buffer) {
    long n;
    try {
      n = LibC.INSTANCE.recv(fd, buffer, buffer.length, MSG_DONTWAIT);
    } catch (LastErrorException e) {
      return null; // EAGAIN: drained
    }
    return n <= 0 ? null : java.util.Arrays.copyOf(buffer, (int) n);
  }

  /**
   * One packet of an IPv6 raw socket of {@code protocol}, without blocking, with an IPv6 header put
   * back in front: its source the sender recvfrom gives, its destination {@code to} (the trace's
   * source: the socket reads only what this node received), hop limit 0 (not known). Null when
   * there is none left.
   */
  static byte[] receive6(int fd, byte[] buffer, int protocol, InetAddress to) {
    Memory from = new Memory(28);
    from.clear();
    int[] fromLen = {28};
    long n;
    try {
      n = LibC.INSTANCE.recvfrom(fd, buffer, buffer.length, MSG_DONTWAIT, from, fromLen);
    } catch (LastErrorException e) {
      return null;
    }
    if (n <= 0) {
      return null;
    }
    byte[] packet = new byte[40 + (int) n];
    packet[0] = 0x60;
    TracePackets.put16(packet, 4, (int) n);
    packet[6] = (byte) protocol;
    from.read(8, packet, 8, 16);
    System.arraycopy(to.getAddress(), 0, packet, 24, 16);
    System.arraycopy(buffer, 0, packet, 40, (int) n);
    return packet;
  }

  static void close(int fd) {
    if (fd >= 0) {
      LibC.INSTANCE.close(fd);
    }
  }

  /** JNA's "[1] Operation not permitted" as "Operation not permitted (errno 1)". */
  private static String strip(String message) {
    return message == null
        ? "unknown error"
        : message.replaceFirst("^\\[(\\d+)\\]\\s*(.*)$", "$2 (errno $1)");
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    long sendto(int fd, byte[] buf, long len, int flags, Pointer addr, int addrLen)
        throws LastErrorException;

    long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    long recvfrom(int fd, byte[] buf, long len, int flags, Pointer addr, int[] addrLen)
        throws LastErrorException;

    int poll(Pointer fds, long nfds, int timeoutMs) throws LastErrorException;

    int close(int fd);
  }
}
