package io.netprobe.agent.trace;

import io.netprobe.agent.facts.RouteLookup;
import io.netprobe.agent.probe.IcmpProbe;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs one trace on the calling thread, which must be in the agent's network namespace (the raw
 * sockets and the route lookup are the thread's): finds the source address the kernel's route
 * gives, sends every TTL at once from a raw socket, then reads the answers from raw ICMP (and TCP)
 * sockets until every hop up to the end has answered or {@code timeoutMs} has passed since the last
 * packet left. A trace thus costs one timeout, not one per hop.
 */
public final class Tracer {
  private static final int ICMP_ECHO_REPLY = 0;
  private static final int ICMP_UNREACHABLE = 3;
  private static final int ICMP_TIME_EXCEEDED = 11;
  private static final int ICMPV6_UNREACHABLE = 1;
  private static final int ICMPV6_TIME_EXCEEDED = 3;
  private static final int ICMPV6_ECHO_REPLY = 129;

  private final TraceRequest request;
  private final long start = System.nanoTime();
  private final List<String> evidence = new ArrayList<>();
  private String source;
  private Integer sourcePort;

  private Tracer(TraceRequest request) {
    this.request = request;
  }

  public static TraceResult run(TraceRequest request) {
    return new Tracer(request).run();
  }

  private TraceResult run() {
    InetAddress destination = request.destination();
    boolean v6 = destination instanceof java.net.Inet6Address;
    RouteLookup.Answer route = RouteLookup.sourceFor(destination);
    if (!route.routed()) {
      evidence.add(
          "the kernel has no usable route to "
              + io.netprobe.agent.address.Addresses.text(destination)
              + ": "
              + route.meaning()
              + " ("
              + route.error()
              + "); no packet left this node");
      return result(null, null);
    }
    source = route.source();
    int sender = -1;
    int icmp = -1;
    int tcp = -1;
    Closeable port = null;
    try {
      try {
        sender = RawSockets.sender(v6);
        if (v6) {
          icmp = RawSockets.reader(true, TracePackets.ICMPV6);
          RawSockets.icmp6Only(icmp, ICMPV6_ECHO_REPLY, ICMPV6_UNREACHABLE, ICMPV6_TIME_EXCEEDED);
        } else {
          icmp = RawSockets.reader(false, TraceType.ICMP.protocol());
          RawSockets.icmpOnly(icmp, ICMP_ECHO_REPLY, ICMP_UNREACHABLE, ICMP_TIME_EXCEEDED);
        }
        if (request.type() == TraceType.TCP) {
          tcp = RawSockets.reader(v6, TraceType.TCP.protocol());
        }
      } catch (IOException e) {
        return result(
            null,
            e.getMessage()
                + ": a trace builds its own IP headers and reads ICMP from raw sockets, which"
                + " needs CAP_NET_RAW; run the agent as root or with cap_net_raw");
      }
      if (request.type().hasPorts()) {
        port = reservePort();
        if (sourcePort == null) {
          return result(null, null);
        }
      }
      TraceFlow flow = flow();
      evidence.add(flow.describe(request.maxHops()));
      long[] sentAt = new long[request.maxHops() + 1];
      int sent = send(sender, flow, sentAt);
      if (sent == 0) {
        return result(null, null);
      }
      HopTable table =
          new HopTable(
              sent, io.netprobe.agent.address.Addresses.text(destination), request.timeoutMs());
      listen(flow, table, sentAt, sent, tcp >= 0 ? new int[] {icmp, tcp} : new int[] {icmp});
      evidence.addAll(table.evidence());
      return result(table, null);
    } finally {
      RawSockets.close(sender);
      RawSockets.close(icmp);
      RawSockets.close(tcp);
      closeQuietly(port);
    }
  }

  /**
   * Holds the flow's source port with a bound socket while the trace runs, so no connection of this
   * node takes it meanwhile: the port the failed probe used, or a free one the kernel picks. The
   * kernel still resets the SYN-ACK it did not expect; that is fine, the raw socket saw it.
   */
  private Closeable reservePort() {
    int asked = request.sourcePort();
    NetworkChannel channel = null;
    try {
      if (request.type() == TraceType.TCP) {
        channel = SocketChannel.open().setOption(StandardSocketOptions.SO_REUSEADDR, true);
      } else {
        channel = DatagramChannel.open();
      }
      channel.bind(new InetSocketAddress(address(source), asked));
      sourcePort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
      return channel;
    } catch (IOException e) {
      closeQuietly(channel);
      if (asked == 0) {
        evidence.add("no free " + request.type().label() + " port on " + source + ": " + e);
        return null;
      }
      sourcePort = asked;
      evidence.add(
          "source port "
              + asked
              + " is taken on this node ("
              + e.getMessage()
              + "): the trace sends from it anyway, and the socket that holds it may see the"
              + " answers too");
      return null;
    }
  }

  private TraceFlow flow() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int max = request.maxHops();
    int icmpId =
        request.mark() != null
            ? IcmpProbe.identifierFor(request.mark())
            : 1 + random.nextInt(65535);
    // echo sequence numbers well above a probe's 1..count, so a ping socket with the same id
    // (the failed probe's, still open) cannot take the trace's replies for its own
    int seqBase = request.type() == TraceType.ICMP ? random.nextInt(1024, 65535 - max) : 0;
    if (request.type() == TraceType.TCP) {
      seqBase = random.nextInt();
    }
    return new TraceFlow(
        request.type(),
        address(source),
        request.destination(),
        sourcePort == null ? 0 : sourcePort,
        request.port(),
        icmpId,
        random.nextInt(1, 65535 - max),
        seqBase,
        request.mark());
  }

  /** Sends TTL 1..maxHops back to back; how many left (a send error stops the rest). */
  private int send(int sender, TraceFlow flow, long[] sentAt) {
    for (int ttl = 1; ttl <= request.maxHops(); ttl++) {
      try {
        RawSockets.send(sender, flow.packet(ttl), request.destination());
      } catch (IOException e) {
        evidence.add(
            "TTL "
                + ttl
                + " could not be sent: "
                + e.getMessage()
                + (ttl == 1
                    ? "; no packet left this node"
                    : "; the trace stops at TTL " + (ttl - 1)));
        return ttl - 1;
      }
      sentAt[ttl] = System.nanoTime();
    }
    return request.maxHops();
  }

  private void listen(TraceFlow flow, HopTable table, long[] sentAt, int sent, int[] fds) {
    long deadline = sentAt[sent] + request.timeoutMs() * 1_000_000L;
    byte[] buffer = new byte[2048];
    while (!table.complete()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      boolean[] ready = RawSockets.poll(fds, (int) ((left + 999_999) / 1_000_000));
      for (int i = 0; i < fds.length; i++) {
        if (!ready[i]) {
          continue;
        }
        for (byte[] p; (p = receive(flow, fds[i], i, buffer)) != null; ) {
          Answer a = i == 0 ? Answer.fromIcmp(flow, sent, p) : Answer.fromTcp(flow, sent, p);
          if (a != null) {
            table.record(a, Math.round((System.nanoTime() - sentAt[a.ttl()]) / 1e3) / 1e3);
          }
        }
      }
    }
  }

  /** The next packet of reader {@code i} (0: ICMP, 1: TCP), whole, in the flow's family. */
  private static byte[] receive(TraceFlow flow, int fd, int i, byte[] buffer) {
    if (!flow.ipv6()) {
      return RawSockets.receive(fd, buffer);
    }
    int protocol = i == 0 ? TracePackets.ICMPV6 : TraceType.TCP.protocol();
    return RawSockets.receive6(fd, buffer, protocol, flow.source());
  }

  private TraceResult result(HopTable table, String unavailable) {
    if (unavailable != null) {
      evidence.add("no trace: " + unavailable);
    }
    return new TraceResult(
        io.netprobe.agent.address.Addresses.text(request.destination()),
        request.type().label(),
        request.mark(),
        source,
        sourcePort,
        table == null ? List.of() : table.hops(),
        table != null && table.reached(),
        table == null ? null : table.lastAnswered(),
        table == null ? null : table.firstSilent(),
        evidence,
        unavailable,
        Math.round((System.nanoTime() - start) / 1e5) / 10.0);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no lookup
    } catch (IOException e) {
      throw new IllegalStateException("not an address: " + literal, e);
    }
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // nothing left to do
      }
    }
  }
}
