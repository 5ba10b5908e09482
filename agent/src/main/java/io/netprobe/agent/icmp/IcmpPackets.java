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
