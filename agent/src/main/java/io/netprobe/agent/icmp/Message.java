package io.netprobe.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * One {@code recvmsg} result: data, the peer address, the TTL (IP_RECVTTL), when the kernel
 * received it (SO_TIMESTAMP, epoch µs; 0 when not asked for) and, for the error queue, the {@code
 * sock_extended_err} (IP_RECVERR) with the offender's address.
 */
record Message(byte[] data, String peer, int ttl, ExtendedError error, long receivedAtMicros) {

  /** struct sock_extended_err: errno, origin, ICMP type and code, and who sent it. */
  record ExtendedError(int errno, int origin, int type, int code, String offender) {
    static final int ORIGIN_ICMP = 2;
    static final int ORIGIN_ICMP6 = 3;
  }

  /**
   * The buffers of one {@code recvmsg}, kept by each thread that receives: a receive is tried far
   * more often than it finds a message (every poll of an echo exchange), and five native buffers
   * allocated per try, each freed later by JNA's cleaner thread, cost more than the system call.
   * Held by the thread, they also stay alive during the call (msg and iov hold the others'
   * addresses as numbers only: a buffer freed by the cleaner while the kernel wrote to it once
   * corrupted malloc's lists and aborted the JVM).
   */
  private static final class Buffers {
    final int size;
    final Memory data;
    final Memory name = new Memory(28);
    final Memory iov = new Memory(16);
    final Memory control = new Memory(512);
    final Memory msg = new Memory(56);

    Buffers(int size) {
      this.size = size;
      this.data = new Memory(size);
      iov.setPointer(0, data);
      iov.setLong(8, size);
    }

    /** Ready for a receive: the header points at the others, their lengths as the kernel wants. */
    Memory reset() {
      name.clear();
      msg.clear();
      msg.setPointer(0, name);
      msg.setInt(8, 28);
      msg.setPointer(16, iov);
      msg.setLong(24, 1);
      msg.setPointer(32, control);
      msg.setLong(40, 512);
      return msg;
    }
  }

  private static final ThreadLocal<Buffers> BUFFERS = new ThreadLocal<>();

  /** Receives one message without blocking; null when there is none. */
  static Message receive(int fd, int flags, int size) {
    Buffers b = BUFFERS.get();
    if (b == null || b.size < size) {
      b = new Buffers(size);
      BUFFERS.set(b);
    }
    Memory msg = b.reset();
    Memory data = b.data;
    Memory name = b.name;
    Memory control = b.control;
    long n;
    try {
      n = LibC.INSTANCE.recvmsg(fd, msg, flags | LibC.MSG_DONTWAIT);
    } catch (LastErrorException e) {
      return null;
    }
    int ttl = -1;
    long receivedAt = 0;
    ExtendedError error = null;
    long controlLen = msg.getLong(40);
    long off = 0;
    while (off + 16 <= controlLen) {
      long len = control.getLong(off);
      int level = control.getInt(off + 8);
      int type = control.getInt(off + 12);
      if (len < 16) {
        break;
      }
      if (level == LibC.SOL_IP && type == LibC.IP_TTL
          || level == LibC.SOL_IPV6 && type == LibC.IPV6_HOPLIMIT) {
        ttl = control.getInt(off + 16);
      } else if (level == LibC.SOL_SOCKET && type == LibC.SO_TIMESTAMP && len >= 32) {
        receivedAt = control.getLong(off + 16) * 1_000_000L + control.getLong(off + 24);
      } else if (level == LibC.SOL_IP && type == LibC.IP_RECVERR
          || level == LibC.SOL_IPV6 && type == LibC.IPV6_RECVERR) {
        // sock_extended_err (16 bytes), then the offender's sockaddr_in or sockaddr_in6
        long ee = off + 16;
        error =
            new ExtendedError(
                control.getInt(ee),
                control.getByte(ee + 4) & 0xff,
                control.getByte(ee + 5) & 0xff,
                control.getByte(ee + 6) & 0xff,
                len >= 16 + 16 + 16 ? IcmpSocket.socketAddress(control, ee + 16) : null);
      }
      off += (len + 7) & ~7L;
    }
    String peer = IcmpSocket.socketAddress(name, 0);
    return new Message(data.getByteArray(0, (int) n), peer, ttl, error, receivedAt);
  }
}
