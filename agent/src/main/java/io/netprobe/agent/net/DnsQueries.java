package io.netprobe.agent.net;

import io.netprobe.agent.icmp.IcmpError;
import io.netprobe.agent.icmp.IcmpErrorTap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsQueryLifecycleObserver;
import io.netty.resolver.dns.DnsQueryLifecycleObserverFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * What each DNS query of one lookup did, heard from Netty's query lifecycle: which server was
 * asked, for which record type, and what came back (an answer, an error code, silence, an ICMP port
 * unreachable). Turned into evidence lines once the lookup ends.
 */
final class DnsQueries implements DnsQueryLifecycleObserverFactory {
  private final int timeoutMs;
  private final List<Query> queries = new ArrayList<>();
  private final Map<InetSocketAddress, IcmpErrorTap.Watch> watches = new LinkedHashMap<>();
  private boolean armed;
  private boolean released;

  DnsQueries(int timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public synchronized DnsQueryLifecycleObserver newDnsQueryLifecycleObserver(DnsQuestion q) {
    return add(q.type());
  }

  private synchronized Query add(DnsRecordType type) {
    Query query = new Query(type);
    queries.add(query);
    return query;
  }

  /**
   * A handler for the resolver's channel: before its first query leaves, watches the namespace's
   * ICMP tap for an error to each server from the channel's port (an unconnected UDP socket never
   * hears a closed port itself); {@code allRefused} runs once every server sent one.
   */
  ChannelOutboundHandlerAdapter icmpWatcher(
      IcmpErrorTap.Slot slot, List<InetSocketAddress> servers, Runnable allRefused) {
    return new ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (ctx.channel().localAddress() instanceof InetSocketAddress local) {
          arm(slot, servers, local.getPort(), allRefused);
        }
        ctx.write(msg, promise);
      }
    };
  }

  private synchronized void arm(
      IcmpErrorTap.Slot slot, List<InetSocketAddress> servers, int port, Runnable allRefused) {
    if (armed || released) {
      return;
    }
    armed = true;
    for (InetSocketAddress server : servers) {
      String ip = io.netprobe.agent.address.Addresses.text(server.getAddress());
      IcmpErrorTap.Watch w = IcmpErrorTap.watch(slot, 17, ip, port, server.getPort());
      if (w != null) {
        watches.put(server, w);
      }
    }
    if (!watches.isEmpty() && watches.size() == servers.size()) {
      CompletableFuture.allOf(
              watches.values().stream()
                  .map(IcmpErrorTap.Watch::error)
                  .toArray(CompletableFuture[]::new))
          .thenRun(allRefused);
    }
  }

  /** Releases the watches, once (the answer may come before the last query ends). */
  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    watches.values().forEach(IcmpErrorTap.Watch::release);
  }

  private synchronized IcmpError icmpFor(InetSocketAddress server) {
    IcmpErrorTap.Watch w = watches.get(server);
    return w == null ? null : w.error().getNow(null);
  }

  /** The servers, as {@code [a:53, b:53]}. */
  String servers(List<InetSocketAddress> servers) {
    return servers.stream().map(DnsQueries::text).collect(Collectors.joining(", ", "[", "]"));
  }

  /** One line per distinct outcome, in the order the queries were sent. */
  synchronized List<String> evidence(String name, InetAddress address, Throwable failure) {
    Set<String> lines = new LinkedHashSet<>();
    DnsRecordType wanted = address instanceof Inet4Address ? DnsRecordType.A : DnsRecordType.AAAA;
    InetSocketAddress answeredBy = null;
    for (Query q : queries) {
      if (q.succeeded && q.type.equals(wanted)) {
        answeredBy = q.server;
      }
    }
    // an answer also keeps what the servers asked before it did (silence, an ICMP error)
    for (Query q : queries) {
      if (q.server == null) {
        continue;
      }
      if (q.succeeded && address != null && q.type.equals(wanted)) {
        lines.add(
            "asked "
                + text(q.server)
                + " for "
                + name
                + ": "
                + wanted.name()
                + " "
                + io.netprobe.agent.address.Addresses.text(address)
                + " ("
                + q.tookMs()
                + " ms)");
      } else if ((address == null || !q.server.equals(answeredBy))
          && (q.code != null || q.failure != null || icmpFor(q.server) != null)) {
        lines.add(failureLine(q, name));
      }
    }
    if (lines.isEmpty() && address != null) {
      lines.add(
          name
              + " is "
              + io.netprobe.agent.address.Addresses.text(address)
              + ": answered without a query");
    }
    if (lines.isEmpty() && address == null) {
      lines.add(
          "DNS lookup of "
              + name
              + " failed: "
              + (failure == null ? "no address record" : failure.getMessage()));
    }
    return List.copyOf(lines);
  }

  private String failureLine(Query q, String name) {
    String server = text(q.server);
    IcmpError icmp = icmpFor(q.server);
    if (icmp != null) {
      return server
          + " refused the query for "
          + name
          + ": ICMP "
          + icmp.description()
          + " from "
          + icmp.from();
    }
    DnsResponseCode code = q.code != null ? q.code : codeOf(q.failure);
    if (code != null && code.equals(DnsResponseCode.NOERROR)) {
      return server + " has no address record for " + name;
    }
    if (code != null) {
      return server + " answered " + rcode(code) + " for " + name;
    }
    if (causedBy(q.failure, DnsNameResolverTimeoutException.class)) {
      return "no answer from " + server + " for " + name + " within " + timeoutMs + " ms";
    }
    if (causedBy(q.failure, PortUnreachableException.class)) {
      return server + " refused the query for " + name + ": ICMP port unreachable";
    }
    Throwable root = rootCause(q.failure);
    if (root instanceof java.io.IOException && root != q.failure && root.getMessage() != null) {
      // e.g. "Network is unreachable": the query never left (no route to the name server)
      return "could not send the query for " + name + " to " + server + ": " + root.getMessage();
    }
    return "query to " + server + " for " + name + " failed: " + q.failure.getMessage();
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  /** NXDOMAIN, REFUSED, SERVFAIL: as dig prints them (Netty's names are NXDomain(3), ...). */
  static String rcode(DnsResponseCode code) {
    return code.toString().replaceAll("\\(.*", "").toUpperCase(Locale.ROOT);
  }

  /** The response code a failed query carries; Netty reports NXDOMAIN as a failure. */
  private static DnsResponseCode codeOf(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof DnsErrorCauseException e) {
        return e.getCode();
      }
      if (c.getMessage() != null && c.getMessage().contains("NXDOMAIN")) {
        return DnsResponseCode.NXDOMAIN;
      }
    }
    return null;
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  static String text(InetSocketAddress server) {
    String host = io.netprobe.agent.address.Addresses.text(server.getAddress());
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
  }

  /** One query to one server; Netty calls it on the event loop. */
  private final class Query implements DnsQueryLifecycleObserver {
    private final DnsRecordType type;
    private volatile InetSocketAddress server;
    private volatile long sentNanos;
    private volatile long doneNanos;
    private volatile boolean succeeded;
    private volatile DnsResponseCode code;
    private volatile Throwable failure;

    Query(DnsRecordType type) {
      this.type = type;
    }

    long tookMs() {
      return Math.max(0, Math.round((doneNanos - sentNanos) / 1e6));
    }

    @Override
    public void queryWritten(InetSocketAddress dnsServerAddress, ChannelFuture future) {
      server = dnsServerAddress;
      sentNanos = System.nanoTime();
    }

    @Override
    public void queryCancelled(int queriesRemaining) {}

    @Override
    public DnsQueryLifecycleObserver queryRedirected(List<InetSocketAddress> nameServers) {
      return add(type);
    }

    @Override
    public DnsQueryLifecycleObserver queryCNAMEd(DnsQuestion cnameQuestion) {
      return add(cnameQuestion.type());
    }

    @Override
    public DnsQueryLifecycleObserver queryNoAnswer(DnsResponseCode responseCode) {
      doneNanos = System.nanoTime();
      code = responseCode;
      return add(type);
    }

    @Override
    public void queryFailed(Throwable cause) {
      doneNanos = System.nanoTime();
      failure = cause;
    }

    @Override
    public void querySucceed() {
      doneNanos = System.nanoTime();
      succeeded = true;
    }
  }
}
