package io.netprobe.agent.facts;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * A netlink socket of the calling thread's namespace, for one dump at a time: what {@link
 * SocketDiag} (sock_diag) and {@link LinkDiag} (rtnetlink) share. A dump sends its request and
 * hands each message to a handler until the kernel says done.
 */
final class Netlink implements AutoCloseable {
  static final int NETLINK_ROUTE = 0;
  static final int NETLINK_SOCK_DIAG = 4;
  static final int NETLINK_NETFILTER = 12;
  static final int NLM_F_REQUEST = 1;
  static final int NLM_F_DUMP = 0x300;
  private static final int AF_NETLINK = 16;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NLMSG_ERROR = 2;
  private static final int NLMSG_DONE = 3;

  /** One message of a dump: its type, and where its payload (after the header) starts and ends. */
  @FunctionalInterface
  interface Handler {
    void message(int type, ByteBuffer b, int payload, int end);
  }

  /** Receive buffers: a handler reads its message in place and must keep nothing of it. */
  private static final BufferPool BUFFERS = new BufferPool(1 << 16, 8);

  /** The largest answer {@link #ask} reads: a route's is about a hundred bytes. */
  static final int ASK_BUFFER = 8192;

  private final int fd;
  private Memory askBuffer;
  private ByteBuffer askView;
  private int asked;

  private Netlink(int fd) {
    this.fd = fd;
  }

  /** A socket of {@code protocol}; empty when the kernel or the JNA binding refuses one. */
  static Optional<Netlink> open(int protocol) {
    try {
      return Optional.of(new Netlink(C.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, protocol)));
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      return Optional.empty();
    }
  }

  /** A request buffer of {@code length} bytes with its header filled in, in native order. */
  static ByteBuffer request(int length, int type, int seq) {
    return request(length, type, seq, NLM_F_REQUEST | NLM_F_DUMP);
  }

  /** A request buffer of {@code length} bytes with its header and {@code flags} filled in. */
  static ByteBuffer request(int length, int type, int seq, int flags) {
    ByteBuffer req = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
    req.putInt(length).putShort((short) type).putShort((short) flags);
    req.putInt(seq).putInt(0);
    return req;
  }

  /**
   * An nfnetlink dump request (nf_tables, conntrack): the header, then nfgenmsg with {@code family}
   * (0 for every family), version 0 and resource id 0.
   */
  static ByteBuffer nfRequest(int type, int family) {
    ByteBuffer req = request(20, type, 1);
    req.put((byte) family).put((byte) 0).putShort((short) 0);
    return req;
  }

  /** Sends {@code request} and hands every message to {@code handler}: false when it failed. */
  boolean dump(ByteBuffer request, Handler handler) {
    try {
      C.sendto(fd, request.array(), request.capacity(), 0, null, 0);
      byte[] buf = BUFFERS.take();
      try {
        return receive(buf, handler);
      } finally {
        BUFFERS.give(buf);
      }
    } catch (LastErrorException e) {
      return false;
    }
  }

  /**
   * Sends a request that is not a dump and hands its one answer to {@code handler}: 0 when the
   * kernel answered, its errno when it refused, -1 when the socket failed or the answer did not fit
   * {@link #ASK_BUFFER}. The request and its answer pass through a native buffer the socket keeps
   * (a Java array would be copied to and from native memory whole on every call), and the answer is
   * matched to the request by its sequence number, so a socket kept for many asks never reads the
   * answer to an earlier one.
   */
  int ask(ByteBuffer request, Handler handler) {
    int length = request.capacity();
    if (length > ASK_BUFFER) {
      return -1;
    }
    try {
      if (askBuffer == null) {
        askBuffer = new Memory(ASK_BUFFER);
        askView = askBuffer.getByteBuffer(0, ASK_BUFFER).order(ByteOrder.nativeOrder());
      }
      int seq = ++asked;
      request.putInt(8, seq);
      askBuffer.write(0, request.array(), 0, length);
      Direct.sendto(fd, askBuffer, length, 0, null, 0);
      for (int tries = 0; tries < 4; tries++) {
        int n = (int) Direct.recv(fd, askBuffer, ASK_BUFFER, 0);
        ByteBuffer b = askView; // read up to the message's own length, at most n
        if (n < 20 || b.getInt(0) < 16 || b.getInt(0) > n) {
          return -1;
        }
        if (b.getInt(8) != seq) {
          continue; // the answer to an ask that failed before it read it
        }
        int type = b.getShort(4) & 0xffff;
        if (type == NLMSG_ERROR) {
          return -b.getInt(16);
        }
        handler.message(type, b, 16, b.getInt(0));
        return 0;
      }
      return -1;
    } catch (LastErrorException e) {
      return -1;
    }
  }

  /** Hands the dump's messages to {@code handler} until the kernel says done; false on failure. */
  private boolean receive(byte[] buf, Handler handler) {
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
        handler.message(type, b, at + 16, at + len);
        at += (len + 3) & ~3;
      }
    }
  }

  /** An attribute's length, its 4-byte header included. */
  static int attrLength(ByteBuffer b, int at) {
    return b.getShort(at) & 0xffff;
  }

  /** An attribute's type, without the nested and byte-order flags. */
  static int attrType(ByteBuffer b, int at) {
    return b.getShort(at + 2) & 0x3fff;
  }

  /** Where the attribute after the one at {@code at} starts (attributes are 4-byte aligned). */
  static int nextAttr(ByteBuffer b, int at) {
    return at + ((attrLength(b, at) + 3) & ~3);
  }

  /** A string attribute's value: up to its NUL, or all {@code len} bytes. */
  static String string(ByteBuffer b, int at, int len) {
    int end = at;
    while (end < at + len && b.get(end) != 0) {
      end++;
    }
    byte[] raw = new byte[end - at];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = b.get(at + i);
    }
    return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    C.close(fd);
    if (askBuffer != null) {
      askBuffer.close();
    }
  }

  private interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    long sendto(int fd, byte[] buf, long len, int flags, Pointer addr, int addrLen)
        throws LastErrorException;

    long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    int close(int fd);
  }

  private static final LibC C = Native.load("c", LibC.class);

  /**
   * The calls of {@link #ask}, bound directly (JNA's direct mapping): an interface's proxy costs
   * more than the system call on a path taken for every probe.
   */
  private static final class Direct {
    static {
      Native.register(Direct.class, "c");
    }

    static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrLen)
        throws LastErrorException;

    static native long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;
  }
}
