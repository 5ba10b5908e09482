package io.netprobe.agent.icmp;

import com.sun.jna.LastErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hears the ICMP errors that answer TCP and UDP probes, with their type, code and sender. The
 * socket errno alone cannot say it: Linux turns admin-prohibited into EHOSTUNREACH, and treats host
 * and net unreachable as soft errors that a TCP connect only reports as a timeout. One raw ICMP
 * socket (CAP_NET_RAW) per network namespace is shared by all probes in flight there, matched on
 * the quoted header (protocol, destination, ports), and closed when the last probe is done. Without
 * CAP_NET_RAW there is no tap and probes fall back to the errno. One thread reads every tap of the
 * JVM ({@link TapReader}), not a thread each.
 */
public final class IcmpErrorTap {
  /**
   * Where the tap of one network namespace is kept ({@link
   * io.netprobe.agent.net.NetNamespace#icmpErrors}): opened by the first watch, closed after the
   * last. The socket is opened by the watching thread, so in that thread's namespace.
   */
  public static final class Slot {
    private final java.util.concurrent.ThreadFactory readers;
    private IcmpErrorTap current;
    private IcmpErrorTap current6;

    /**
     * {@code readers} makes the JVM's one tap reader thread, if none runs yet; it must put it in
     * the process's own namespace.
     */
    public Slot(java.util.concurrent.ThreadFactory readers) {
      this.readers = readers;
    }

    /**
     * Closes this namespace's taps, whatever watches they still have: the namespace is closed, and
     * a probe still in flight there (one the run decided early, whose connect was pending when its
     * event loop stopped) will never release its watch. Without this the JVM's tap reader kept the
     * raw socket, and through its watches the probes, for its life: a daemon or a graded class
     * running in one JVM kept one socket per namespace and ~1,000 channels per run of a mesh of 40.
     */
    public void close() {
      List<IcmpErrorTap> taps = new ArrayList<>(2);
      synchronized (this) {
        for (IcmpErrorTap tap : new IcmpErrorTap[] {current, current6}) {
          if (tap != null) {
            tap.closed = true;
            taps.add(tap);
          }
        }
        current = null;
        current6 = null;
      }
      taps.forEach(tap -> tap.watches.clear());
      if (!taps.isEmpty()) {
        TapReader.wake(); // it closes the sockets
      }
    }
  }

  private final Slot slot;
  private final int fd;
  private final boolean v6;
  private final Map<String, CompletableFuture<IcmpError>> watches = new ConcurrentHashMap<>();
  private int users;
  private volatile boolean closed;

  private IcmpErrorTap(Slot slot, int fd, boolean v6) {
    this.slot = slot;
    this.fd = fd;
    this.v6 = v6;
  }

  /** A watch for one flow; {@link #release} it when the probe is done. */
  public record Watch(IcmpErrorTap tap, String key, CompletableFuture<IcmpError> error) {
    public void release() {
      tap.release(this);
    }
  }

  /**
   * Watches for an ICMP error quoting {@code protocol} (6 TCP, 17 UDP) from {@code srcPort} to
   * {@code dst:dstPort}; null when this agent may not open a raw socket.
   */
  public static Watch watch(Slot slot, int protocol, String dst, int srcPort, int dstPort) {
    IcmpErrorTap tap;
    boolean v6 = dst.indexOf(':') >= 0; // an IPv6 flow: its errors come as ICMPv6
    synchronized (slot) {
      IcmpErrorTap open = v6 ? slot.current6 : slot.current;
      if (open == null || open.closed) {
        try {
          int fd =
              v6
                  ? LibC.INSTANCE.socket(LibC.AF_INET6, LibC.SOCK_RAW, LibC.IPPROTO_ICMPV6)
                  : LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_RAW, LibC.IPPROTO_ICMP);
          open = new IcmpErrorTap(slot, fd, v6);
          TapReader.add(open, slot.readers);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
          return null;
        }
        if (v6) {
          slot.current6 = open;
        } else {
          slot.current = open;
        }
      }
      tap = open;
      tap.users++;
    }
    String key = key(protocol, dst, srcPort, dstPort);
    CompletableFuture<IcmpError> future = new CompletableFuture<>();
    tap.watches.put(key, future);
    return new Watch(tap, key, future);
  }

  private void release(Watch watch) {
    watches.remove(watch.key(), watch.error());
    synchronized (slot) {
      if (--users == 0) {
        closed = true;
        if (slot.current == this) {
          slot.current = null;
        }
        if (slot.current6 == this) {
          slot.current6 = null;
        }
      }
    }
    if (closed) {
      TapReader.wake(); // it closes the socket
    }
  }

  int fd() {
    return fd;
  }

  boolean closed() {
    return closed;
  }

  static String key(int protocol, String dst, int srcPort, int dstPort) {
    return protocol + "/" + dst + "/" + srcPort + "/" + dstPort;
  }

  /** Reads what the socket has (the reader's poll said so), up to {@code most} messages. */
  void drain(int most) {
    for (int i = 0; i < most; i++) {
      Message msg = Message.receive(fd, 0, 2048);
      if (msg == null) {
        return;
      }
      if (v6) {
        dispatch6(msg.data(), msg.peer());
      } else {
        dispatch(msg.data());
      }
    }
  }

  /**
   * An ICMPv6 error as a raw ICMPv6 socket gives it (no IPv6 header: the sender is the peer),
   * quoting the packet's fixed 40-byte IPv6 header and then its TCP or UDP ports.
   */
  private void dispatch6(byte[] icmp, String from) {
    if (icmp.length < 8 + 40 + 4) {
      return;
    }
    int type = icmp[0] & 0xff;
    if (type < 1 || type > 4) {
      return;
    }
    int inner = 8;
    int protocol = icmp[inner + 6] & 0xff;
    byte[] raw = new byte[16];
    System.arraycopy(icmp, inner + 24, raw, 0, 16);
    String dst;
    try {
      dst = io.netprobe.agent.address.Addresses.text(java.net.InetAddress.getByAddress(raw));
    } catch (java.net.UnknownHostException e) {
      return;
    }
    int l4 = inner + 40;
    int srcPort = (icmp[l4] & 0xff) << 8 | (icmp[l4 + 1] & 0xff);
    int dstPort = (icmp[l4 + 2] & 0xff) << 8 | (icmp[l4 + 3] & 0xff);
    CompletableFuture<IcmpError> watch = watches.get(key(protocol, dst, srcPort, dstPort));
    if (watch != null) {
      int[] v4 = IcmpError.asIcmp4(type, icmp[1] & 0xff);
      watch.complete(IcmpError.of(v4[0], v4[1], from));
    }
  }

  private void dispatch(byte[] ip) {
    int ihl = (ip[0] & 0x0f) * 4;
    if (ip.length < ihl + 8 + 20 + 4) {
      return;
    }
    int type = ip[ihl] & 0xff;
    if (type != 3 && type != 11 && type != 12) {
      return;
    }
    int inner = ihl + 8;
    int innerIhl = (ip[inner] & 0x0f) * 4;
    int protocol = ip[inner + 9] & 0xff;
    int l4 = inner + innerIhl;
    if (ip.length < l4 + 4) {
      return;
    }
    String dst = IcmpPackets.address(ip, inner + 16);
    int srcPort = (ip[l4] & 0xff) << 8 | (ip[l4 + 1] & 0xff);
    int dstPort = (ip[l4 + 2] & 0xff) << 8 | (ip[l4 + 3] & 0xff);
    CompletableFuture<IcmpError> watch = watches.get(key(protocol, dst, srcPort, dstPort));
    if (watch != null) {
      watch.complete(IcmpError.of(type, ip[ihl + 1] & 0xff, IcmpPackets.address(ip, 12)));
    }
  }
}
