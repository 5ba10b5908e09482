package io.netprobe.agent.facts;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The calling thread's namespace's links, from rtnetlink (what {@code ip -d link} reads): each
 * interface's kind ({@code bridge}, {@code veth}, {@code vxlan}, {@code openvswitch}...) and the
 * bridge it is a port of. /sys/class/net would show the namespace sysfs was mounted in, not the
 * thread's.
 */
final class LinkDiag {
  private static final int AF_NETLINK = 16;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_ROUTE = 0;
  private static final int RTM_NEWLINK = 16;
  private static final int RTM_GETLINK = 18;
  private static final int NLM_F_REQUEST = 1;
  private static final int NLM_F_DUMP = 0x300;
  private static final int NLMSG_ERROR = 2;
  private static final int NLMSG_DONE = 3;
  private static final int IFLA_IFNAME = 3;
  private static final int IFLA_MASTER = 10;
  private static final int IFLA_LINKINFO = 18;
  private static final int IFLA_INFO_KIND = 1;

  /** One link: its kind (null for a plain device: lo, a physical NIC) and its master's index. */
  record Link(String name, String kind, int master) {}

  private LinkDiag() {}

  /** Every link of the namespace by index; empty when netlink is refused. */
  static Map<Integer, Link> links() {
    Map<Integer, Link> out = new HashMap<>();
    int fd;
    try {
      fd = C.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_ROUTE);
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      return out;
    }
    try {
      ByteBuffer req = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
      req.putInt(32).putShort((short) RTM_GETLINK).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP));
      req.putInt(1).putInt(0); // seq, pid
      req.put((byte) 0); // ifinfomsg: AF_UNSPEC, then zeros
      C.sendto(fd, req.array(), 32, 0, null, 0);
      byte[] buf = new byte[1 << 16];
      while (true) {
        int n = (int) C.recv(fd, buf, buf.length, 0);
        if (n <= 0) {
          return out;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at + 16 <= n) {
          int len = b.getInt(at);
          int type = b.getShort(at + 4) & 0xffff;
          if (len < 16 || at + len > n || type == NLMSG_DONE || type == NLMSG_ERROR) {
            return out;
          }
          if (type == RTM_NEWLINK && len >= 32) {
            int index = b.getInt(at + 16 + 4);
            out.put(index, link(b, at + 32, at + len));
          }
          at += (len + 3) & ~3;
        }
      }
    } catch (LastErrorException e) {
      return out;
    } finally {
      C.close(fd);
    }
  }

  private static Link link(ByteBuffer b, int from, int end) {
    String name = null;
    String kind = null;
    int master = 0;
    int at = from;
    while (at + 4 <= end) {
      int len = b.getShort(at) & 0xffff;
      int type = b.getShort(at + 2) & 0x3fff;
      if (len < 4 || at + len > end) {
        break;
      }
      if (type == IFLA_IFNAME) {
        name = string(b, at + 4, len - 4);
      } else if (type == IFLA_MASTER && len >= 8) {
        master = b.getInt(at + 4);
      } else if (type == IFLA_LINKINFO) {
        int in = at + 4;
        while (in + 4 <= at + len) {
          int l = b.getShort(in) & 0xffff;
          if (l < 4) {
            break;
          }
          if ((b.getShort(in + 2) & 0x3fff) == IFLA_INFO_KIND) {
            kind = string(b, in + 4, l - 4);
          }
          in += (l + 3) & ~3;
        }
      }
      at += (len + 3) & ~3;
    }
    return new Link(name, kind, master);
  }

  private static String string(ByteBuffer b, int at, int len) {
    byte[] raw = new byte[len];
    for (int i = 0; i < len; i++) {
      raw[i] = b.get(at + i);
    }
    int end = 0;
    while (end < raw.length && raw[end] != 0) {
      end++;
    }
    return new String(raw, 0, end, StandardCharsets.UTF_8);
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
