package io.netprobe.agent.trace;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.Inet4Address;

/**
 * The raw sockets of a trace: one that sends whole IPv4 packets (IPPROTO_RAW, so IP_HDRINCL), and
 * ones that read whole IPv4 packets of a protocol (ICMP, TCP). Linux on 64-bit: sockaddr_in is 16
 * bytes, pollfd 8. Sockets belong to the calling thread's network namespace.
 */
final class RawSockets {
  private static final int AF_INET = 2;
  private static final int SOCK_RAW = 3;
  private static final int IPPROTO_RAW = 255;
  private static final int SOL_RAW = 255;
  private static final int ICMP_FILTER = 1;
  private static final int MSG_DONTWAIT = 0x40;
  private static final short POLLIN = 1;

  private RawSockets() {}

  /** A socket that sends packets whose IP header we built (IPPROTO_RAW implies IP_HDRINCL). */
  static int sender() throws IOException {
    return open(IPPROTO_RAW);
  }

  /** A socket that reads every inbound packet of {@code protocol}, IP header included. */
  static int reader(int protocol) throws IOException {
    return open(protocol);
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

  private static int open(int protocol) throws IOException {
    try {
      return LibC.INSTANCE.socket(AF_INET, SOCK_RAW, protocol);
    } catch (LastErrorException e) {
      throw new IOException(
          "socket(AF_INET, SOCK_RAW, "
              + (protocol == IPPROTO_RAW ? "IPPROTO_RAW" : "protocol " + protocol)
              + ") refused: "
              + strip(e.getMessage()));
    } catch (LinkageError e) {
      throw new IOException("libc cannot be called through JNA here: " + e);
    }
  }

  /** Sends one whole IPv4 packet to {@code to}; throws with the kernel's errno text. */
  static void send(int fd, byte[] packet, Inet4Address to) throws IOException {
    Memory sa = new Memory(16);
    sa.clear();
    sa.setShort(0, (short) AF_INET);
    sa.write(4, to.getAddress(), 0, 4);
    try {
      LibC.INSTANCE.sendto(fd, packet, packet.length, 0, sa, 16);
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

    int poll(Pointer fds, long nfds, int timeoutMs) throws LastErrorException;

    int close(int fd);
  }
}
