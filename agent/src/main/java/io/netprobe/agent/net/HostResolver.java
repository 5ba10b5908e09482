package io.netprobe.agent.net;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverChannelStrategy;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves host names the way a process in this namespace would, with the namespace's own files and
 * sockets: an IP literal is itself; then the hosts file; then DNS, asked from a UDP socket opened
 * on the namespace's event loop, of the nameservers of its resolv.conf, in order.
 *
 * <p>The files follow {@code ip netns exec}'s rule: a namespace entered from {@code
 * /run/netns/NAME} reads {@code /etc/netns/NAME/hosts} and {@code /etc/netns/NAME/resolv.conf}
 * where they exist, else those of {@code /etc}; a container's namespace its own, through {@code
 * /proc/PID/root/etc}. An in-process agent gets no bind mount, so the JVM's resolver ({@code
 * InetAddress}) would read the root's files and ask the machine's own DNS server: it is never used
 * for a probe's name.
 *
 * <p>No search domains, no cache across lookups: each answer is fresh evidence. Every outcome says
 * where it came from, for the explainer.
 */
public final class HostResolver {
  private final NetNamespace netns;
  private final Path nsEtc;
  private final Path etc;

  /**
   * A resolver for {@code netns} reading {@code nsEtc/{hosts,resolv.conf}} where they exist (null:
   * none) and {@code etc}'s otherwise.
   */
  public HostResolver(NetNamespace netns, Path nsEtc, Path etc) {
    this.netns = netns;
    this.nsEtc = nsEtc;
    this.etc = etc;
  }

  /**
   * The resolver a process in {@code netns} has: a container's own files, else those {@code ip
   * netns exec} would give.
   */
  public static HostResolver of(NetNamespace netns) {
    if (netns.etc() != null) {
      return new HostResolver(netns, null, netns.etc());
    }
    return new HostResolver(netns, etcOf(netns.file()), Path.of("/etc"));
  }

  /** /etc/netns/NAME for /run/netns/NAME; null for any other namespace file. */
  static Path etcOf(Path nsFile) {
    if (nsFile == null
        || nsFile.getParent() == null
        || !nsFile.getParent().equals(Path.of("/run/netns"))) {
      return null;
    }
    return Path.of("/etc/netns").resolve(nsFile.getFileName());
  }

  /** The hosts file in use now. */
  public Path hostsFile() {
    return file("hosts");
  }

  /** The resolv.conf in use now. */
  public Path resolvConf() {
    return file("resolv.conf");
  }

  private Path file(String name) {
    if (nsEtc != null && Files.exists(nsEtc.resolve(name))) {
      return nsEtc.resolve(name);
    }
    return etc.resolve(name);
  }

  /** An answer: the address (null when the name did not resolve) and how it was found. */
  public record Answer(String name, InetAddress address, List<String> evidence) {
    public Answer {
      evidence = List.copyOf(evidence);
    }

    public boolean resolved() {
      return address != null;
    }

    /** True when {@code name} was an IP literal: nothing was looked up. */
    public boolean literal() {
      return address != null && evidence.isEmpty();
    }
  }

  /**
   * Resolves {@code host}; never completes exceptionally. A DNS query waits {@code timeoutMs} for
   * each nameserver. Completes on the namespace's event loop (or at once without DNS): never join
   * it on that loop.
   */
  public CompletableFuture<Answer> resolve(String host, int timeoutMs) {
    return resolve(host, timeoutMs, null);
  }

  /**
   * {@link #resolve(String, int)} for one address family: {@code ipv6} takes only an IPv6 address
   * (AAAA) of the name, {@code ipv4} only an IPv4 one (A), null the IPv4 one first (what a dual
   * stack check's IPv4 cell and a single check ask). A literal is taken as it is.
   */
  public CompletableFuture<Answer> resolve(String host, int timeoutMs, String family) {
    String name =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress literal = NetUtil.createInetAddressFromIpAddressString(name);
    if (literal != null) {
      return CompletableFuture.completedFuture(new Answer(host, literal, List.of()));
    }
    Path hostsPath = hostsFile();
    Path confPath = resolvConf();
    List<InetSocketAddress> servers;
    HostsFile hosts;
    try {
      hosts = HostsFile.read(hostsPath);
      servers = ResolvConf.read(confPath);
    } catch (IOException | RuntimeException e) {
      return failed(host, "cannot read " + hostsPath + " or " + confPath + ": " + e);
    }
    InetAddress inHosts = hosts.preferred(name, family);
    if (inHosts != null) {
      String line =
          host + " is " + io.netprobe.agent.address.Addresses.text(inHosts) + " in " + hostsPath;
      return CompletableFuture.completedFuture(new Answer(host, inHosts, List.of(line)));
    }
    String only = family == null ? "" : family.equals("ipv6") ? " as IPv6" : " as IPv4";
    if (servers.isEmpty()) {
      return failed(
          host, "no nameserver in " + confPath + " and " + host + " is not in " + hostsPath + only);
    }
    return ask(host, hostsPath, confPath, servers, timeoutMs, family);
  }

  private static CompletableFuture<Answer> failed(String host, String line) {
    return CompletableFuture.completedFuture(new Answer(host, null, List.of(line)));
  }

  /**
   * Asks the nameservers from the namespace's event loop: the resolver's UDP socket is opened on
   * that loop's thread, so it is a socket of the namespace whichever thread called.
   */
  private CompletableFuture<Answer> ask(
      String host,
      Path hostsPath,
      Path confPath,
      List<InetSocketAddress> servers,
      int timeoutMs,
      String family) {
    CompletableFuture<Answer> out = new CompletableFuture<>();
    EventLoop loop = netns.loop().next();
    loop.execute(
        () -> {
          try {
            query(loop, host, hostsPath, confPath, servers, timeoutMs, family, out);
          } catch (RuntimeException e) {
            out.complete(
                new Answer(
                    host, null, List.of("cannot start a DNS resolver in " + netns + ": " + e)));
          }
        });
    return out;
  }

  private void query(
      EventLoop loop,
      String host,
      Path hostsPath,
      Path confPath,
      List<InetSocketAddress> servers,
      int timeoutMs,
      String family,
      CompletableFuture<Answer> out) {
    DnsQueries queries = new DnsQueries(timeoutMs);
    // every nameserver answered with an ICMP error: no need to wait for the timeouts
    Runnable allRefused =
        () ->
            loop.execute(
                () -> {
                  if (out.complete(
                      answer(host, hostsPath, confPath, servers, queries, null, null, family))) {
                    queries.release();
                  }
                });
    DnsNameResolver dns =
        new DnsNameResolverBuilder(loop)
            .datagramChannelFactory(
                () -> {
                  NioDatagramChannel ch = new NioDatagramChannel();
                  ch.pipeline()
                      .addLast(queries.icmpWatcher(netns.icmpErrors(), servers, allRefused));
                  return ch;
                })
            .datagramChannelStrategy(DnsNameResolverChannelStrategy.ChannelPerResolver)
            .nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers))
            .resolvedAddressTypes(
                family == null
                    ? ResolvedAddressTypes.IPV4_PREFERRED
                    : family.equals("ipv6")
                        ? ResolvedAddressTypes.IPV6_ONLY
                        : ResolvedAddressTypes.IPV4_ONLY)
            .searchDomains(List.of())
            .ndots(1)
            // not the root resolv.conf's "attempts", which Netty would read: every server twice
            // (A and AAAA) at most
            .maxQueriesPerResolve(Math.max(4, 2 * servers.size()))
            .resolveCache(NoopDnsCache.INSTANCE)
            .cnameCache(NoopDnsCnameCache.INSTANCE)
            .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
            .hostsFileEntriesResolver((name, types) -> null)
            .queryTimeoutMillis(timeoutMs)
            .dnsQueryLifecycleObserverFactory(queries)
            .build();
    Runnable finish =
        () -> {
          dns.close();
          queries.release();
        };
    dns.resolve(host)
        .addListener(
            f -> {
              InetAddress address = f.isSuccess() ? (InetAddress) f.getNow() : null;
              out.complete(
                  answer(host, hostsPath, confPath, servers, queries, address, f.cause(), family));
              finish.run();
            });
  }

  private static Answer answer(
      String host,
      Path hostsPath,
      Path confPath,
      List<InetSocketAddress> servers,
      DnsQueries queries,
      InetAddress address,
      Throwable failure,
      String family) {
    List<String> evidence = new ArrayList<>();
    if (address == null) {
      evidence.add(
          host
              + " is not in "
              + hostsPath
              + (family == null ? "" : family.equals("ipv6") ? " as IPv6" : " as IPv4")
              + "; asked the nameservers of "
              + confPath
              + (family == null ? " " : family.equals("ipv6") ? " for AAAA only " : " for A only ")
              + queries.servers(servers));
    }
    evidence.addAll(queries.evidence(host, address, failure));
    return new Answer(host, address, evidence);
  }
}
