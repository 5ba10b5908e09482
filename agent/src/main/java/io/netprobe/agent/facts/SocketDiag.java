package io.netprobe.agent.facts;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * The calling thread's namespace's listening sockets, from the kernel's sock_diag netlink interface
 * (what {@code ss -ltun} uses). A dump asked for LISTEN (TCP) or unconnected (UDP) sockets walks
 * only those tables; reading /proc/net/tcp walks every connection of every namespace, about 5 ms a
 * read on this machine, twice a run for every node.
 */
final class SocketDiag {
  private static final int AF_NETLINK = 16;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_SOCK_DIAG = 4;
  private static final int SOCK_DIAG_BY_FAMILY = 20;
  private static final int NLM_F_REQUEST = 1;
  private static final int NLM_F_DUMP = 0x300;
  private static final int NLMSG_ERROR = 2;
  private static final int NLMSG_DONE = 3;
  private static final int TCP_LISTEN = 10;
  private static final int TCP_CLOSE = 7; // an unconnected UDP socket: /proc's "07"
  private static final byte[] FAMILIES = {2, 10}; // AF_INET, AF_INET6

  private SocketDiag() {}

  /** Every listening TCP and bound UDP socket; empty when netlink is refused (then use /proc). */
  static Optional<Collection<Facts.Listener>> listening(Collection<Facts.Listener> out) {
    int fd;
    try {
      fd = C.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      return Optional.empty();
    }
    try {
      int seq = 1;
      for (byte family : FAMILIES) {
        if (!dump(fd, seq++, family, 6, 1 << TCP_LISTEN, "tcp", out)
            || !dump(fd, seq++, family, 17, 1 << TCP_CLOSE, "udp", out)) {
          return Optional.empty();
        }
      }
      return Optional.of(out);
    } finally {
      C.close(fd);
    }
  }

  private static boolean dump(
      int fd,
      int seq,
      byte family,
      int protocol,
      int states,
      String name,
      Collection<Facts.Listener> out) {
    ByteBuffer req = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
    req.putInt(72)
        .putShort((short) SOCK_DIAG_BY_FAMILY)
        .putShort((short) (NLM_F_REQUEST | NLM_F_DUMP));
    req.putInt(seq).putInt(0);
    req.put(family).put((byte) protocol).put((byte) 0).put((byte) 0).putInt(states);
    // inet_diag_sockid: ports, addresses, interface, cookie: all zero (any)
    try {
      C.sendto(fd, req.array(), 72, 0, null, 0);
      byte[] buf = new byte[1 << 16];
      while (true) {
        int n = (int) C.recv(fd, buf, buf.length, 0);
        if (n <= 0) {
          return false;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at + 16 <= n) {
          int len = b.getInt(at);
          int type = b.getShort(at + 4) & 0xffff;
          if (len < 16 || at + len > n) {
            return false;
          }
          if (type == NLMSG_DONE) {
            return true;
          }
          if (type == NLMSG_ERROR) {
            return b.getInt(at + 16) == 0;
          }
          if (type == SOCK_DIAG_BY_FAMILY && len >= 16 + 72) {
            out.add(listener(b, at + 16, name));
          }
          at += (len + 3) & ~3;
        }
      }
    } catch (LastErrorException e) {
      return false;
    }
  }

  /** inet_diag_msg: family, state, timer, retrans, then the socket id (ports big-endian). */
  private static Facts.Listener listener(ByteBuffer b, int msg, String protocol) {
    int family = b.get(msg) & 0xff;
    int port = (b.get(msg + 4) & 0xff) << 8 | (b.get(msg + 5) & 0xff);
    byte[] raw = new byte[family == 2 ? 4 : 16];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = b.get(msg + 8 + i);
    }
    String address;
    try {
      address = InetAddress.getByAddress(raw).getHostAddress();
    } catch (UnknownHostException e) {
      address = Arrays.toString(raw);
    }
    return new Facts.Listener(protocol, address, port);
  }

  private interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    long sendto(int fd, byte[] buf, long len, int flags, Pointer addr, int addrLen)
        throws LastErrorException;

    long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    int close(int fd);
  }

  private static final LibC C = Native.load("c", LibC.class);
}
