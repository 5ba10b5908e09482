package io.netprobe.agent.icmp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Building and reading ICMP echo packets and the errors that quote them. */
final class IcmpPackets {
  private IcmpPackets() {}

  static byte[] echoRequest(int identifier, int sequence, byte[] payload) {
    byte[] p = new byte[8 + payload.length];
    p[0] = 8;
    p[4] = (byte) (identifier >> 8);
    p[5] = (byte) identifier;
    p[6] = (byte) (sequence >> 8);
    p[7] = (byte) sequence;
    System.arraycopy(payload, 0, p, 8, payload.length);
    int sum = checksum(p);
    p[2] = (byte) (sum >> 8);
    p[3] = (byte) sum;
    return p;
  }

  /** An ICMPv6 echo request (type 128); the kernel fills in the checksum of an ICMPv6 socket. */
  static byte[] echoRequest6(int identifier, int sequence, byte[] payload) {
    byte[] p = new byte[8 + payload.length];
    p[0] = (byte) 128;
    p[4] = (byte) (identifier >> 8);
    p[5] = (byte) identifier;
    p[6] = (byte) (sequence >> 8);
    p[7] = (byte) sequence;
    System.arraycopy(payload, 0, p, 8, payload.length);
    return p;
  }

  /** An ICMPv6 ping socket's echo reply (type 129). */
  static IcmpSocket.Received parsePing6(byte[] icmp, int hopLimit, String peer) {
    if (icmp.length < 8 || (icmp[0] & 0xff) != 129) {
      return null;
    }
    return new IcmpSocket.Received(true, u16(icmp, 6), hopLimit, 0, 0, peer);
  }

  /**
   * A raw ICMPv6 socket gives the ICMPv6 message without the IPv6 header: our echo replies, and
   * errors (destination unreachable, packet too big, time exceeded, parameter problem) that quote
   * our echo request after the quoted packet's 40-byte IPv6 header.
   */
  static IcmpSocket.Received parseRaw6(byte[] icmp, int identifier, int hopLimit, String from) {
    if (icmp.length < 8) {
      return null;
    }
    int type = icmp[0] & 0xff;
    int code = icmp[1] & 0xff;
    if (type == 129) {
      return u16(icmp, 4) == identifier
          ? new IcmpSocket.Received(true, u16(icmp, 6), hopLimit, 0, 0, from)
          : null;
    }
    if (type >= 1 && type <= 4) {
      int inner = 8;
      if (icmp.length < inner + 48 || (icmp[inner + 6] & 0xff) != 58) {
        return null;
      }
      int echo = inner + 40;
      if ((icmp[echo] & 0xff) != 128 || u16(icmp, echo + 4) != identifier) {
        return null;
      }
      int[] v4 = IcmpError.asIcmp4(type, code);
      return new IcmpSocket.Received(false, u16(icmp, echo + 6), hopLimit, v4[0], v4[1], from);
    }
    return null;
  }

  static int checksum(byte[] data) {
    long sum = 0;
    for (int i = 0; i + 1 < data.length; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    if (data.length % 2 == 1) {
      sum += (data[data.length - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /** A ping socket gives the ICMP message without IP header; the kernel matched the id. */
  static IcmpSocket.Received parsePing(byte[] icmp, int ttl, String peer) {
    if (icmp.length < 8 || icmp[0] != 0) {
      return null;
    }
    return new IcmpSocket.Received(true, u16(icmp, 6), ttl, 0, 0, peer);
  }

  /** A raw socket gives whole IPv4 packets: echo replies and errors quoting our echo. */
  static IcmpSocket.Received parseRaw(byte[] ip, int identifier) {
    if (ip.length < 28) {
      return null;
    }
    int ihl = (ip[0] & 0x0f) * 4;
    int ttl = ip[8] & 0xff;
    String from = address(ip, 12);
    int type = ip[ihl] & 0xff;
    int code = ip[ihl + 1] & 0xff;
    if (type == 0) {
      return u16(ip, ihl + 4) == identifier
          ? new IcmpSocket.Received(true, u16(ip, ihl + 6), ttl, 0, 0, from)
          : null;
    }
    if (type == 3 || type == 11 || type == 12 || type == 5) {
      int inner = ihl + 8;
      if (ip.length < inner + 28 || ip[inner + 9] != 1) {
        return null;
      }
      int innerIcmp = inner + (ip[inner] & 0x0f) * 4;
      if (ip.length < innerIcmp + 8 || ip[innerIcmp] != 8 || u16(ip, innerIcmp + 4) != identifier) {
        return null;
      }
      return new IcmpSocket.Received(false, u16(ip, innerIcmp + 6), ttl, type, code, from);
    }
    return null;
  }

  /** Reads the error queue of a ping socket (IP_RECVERR). */
  static IcmpSocket.Received readError(int fd) {
    Message msg = Message.receive(fd, LibC.MSG_ERRQUEUE, 2048);
    if (msg == null || msg.error() == null) {
      return null;
    }
    Message.ExtendedError e = msg.error();
    int sequence = msg.data().length >= 8 ? u16(msg.data(), 6) : -1;
    if (e.origin() == Message.ExtendedError.ORIGIN_ICMP6) {
      int[] v4 = IcmpError.asIcmp4(e.type(), e.code());
      return new IcmpSocket.Received(false, sequence, -1, v4[0], v4[1], e.offender());
    }
    if (e.origin() != Message.ExtendedError.ORIGIN_ICMP) {
      return new IcmpSocket.Received(false, sequence, -1, -1, e.errno(), e.offender());
    }
    return new IcmpSocket.Received(false, sequence, -1, e.type(), e.code(), e.offender());
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  static String address(byte[] b, int off) {
    try {
      return InetAddress.getByAddress(new byte[] {b[off], b[off + 1], b[off + 2], b[off + 3]})
          .getHostAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
