package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.Agent;
import io.netprobe.agent.net.NetNamespace;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Names resolve per namespace, for real: agents run in this JVM (their threads entered with setns,
 * as the coordinator runs them), each client namespace has its own {@code
 * /etc/netns/NS/{hosts,resolv.conf}}, and dnsmasq answers in {@code dns}, authoritative for {@code
 * .test} only, with no upstream server.
 *
 * <pre>
 *   cli 10.83.1.1 --- 10.83.1.53 dns   (dnsmasq on .53; www.nm.test = 10.83.1.80; tcp 8080 listens)
 *   cld 10.83.2.1 --- 10.83.2.53 dns   (udp 53 to .2.53 dropped)
 *   clr 10.83.3.1 --- 10.83.3.53 dns   (nothing on udp 53: ICMP port unreachable)
 *   clf 10.83.4.1 --- 10.83.4.53 dns   (nameservers 10.83.2.53, dropped, then 10.83.1.53)
 * </pre>
 */
class NamesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static NetnsFixture lab;
  private static Process dnsmasq;
  private static NetNamespace dnsNs;
  private static ServerSocket web;
  private static InProcessAgent cli;
  private static InProcessAgent cld;
  private static InProcessAgent clr;
  private static InProcessAgent clf;
  private static String cliName;

  @BeforeAll
  static void up() throws Exception {
    lab = new NetnsFixture("nm");
    try {
      String dns = lab.create("dns");
      cliName = lab.create("cli");
      String cldName = lab.create("cld");
      String clrName = lab.create("clr");
      String clfName = lab.create("clf");
      lab.link(cliName, "10.83.1.1/24", dns, "10.83.1.53/24");
      lab.exec(dns, "ip", "addr", "add", "10.83.1.80/32", "dev", "lo");
      lab.link(cldName, "10.83.2.1/24", dns, "10.83.2.53/24");
      lab.link(clrName, "10.83.3.1/24", dns, "10.83.3.53/24");
      lab.link(clfName, "10.83.4.1/24", dns, "10.83.4.53/24");
      lab.exec(cliName, "ip", "route", "add", "10.83.0.0/16", "via", "10.83.1.53");
      lab.exec(clfName, "ip", "route", "add", "10.83.0.0/16", "via", "10.83.4.53");
      lab.exec(
          dns,
          "iptables",
          "-A",
          "INPUT",
          "-d",
          "10.83.2.53",
          "-p",
          "udp",
          "--dport",
          "53",
          "-j",
          "DROP");
      etc(
          cliName,
          "10.83.1.53 web.hosts.test alias.hosts.test # a comment\nfd00::53 web.hosts.test\n",
          "search hosts.test\nnameserver 10.83.1.53\n");
      etc(cldName, "# nothing\n", "nameserver 10.83.2.53\n");
      etc(clrName, "# nothing\n", "nameserver 10.83.3.53\n");
      etc(clfName, "# nothing\n", "nameserver 10.83.2.53\nnameserver 10.83.1.53\n");
      startDnsmasq(dns);
      dnsNs = NetNamespace.enter(NetNamespace.named(dns));
      web =
          dnsNs.call(
              () -> {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress("0.0.0.0", 8080), 50);
                return s;
              });
      cli = new InProcessAgent(cliName);
      cld = new InProcessAgent(cldName);
      clr = new InProcessAgent(clrName);
      clf = new InProcessAgent(clfName);
    } catch (Exception | Error e) {
      down();
      throw e;
    }
  }

  private static void etc(String ns, String hosts, String resolvConf) throws Exception {
    Path dir = lab.own(Path.of("/etc/netns", ns));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("hosts"), hosts);
    Files.writeString(dir.resolve("resolv.conf"), resolvConf);
  }

  private static void startDnsmasq(String ns) throws Exception {
    Path dir = lab.tempDir();
    Path hosts = Files.writeString(dir.resolve("dns-hosts"), "10.83.1.80 www.nm.test\n");
    dnsmasq =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                ns,
                "/usr/sbin/dnsmasq",
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--user=root",
                "--no-resolv",
                "--no-hosts",
                "--addn-hosts=" + hosts,
                "--local=/test/",
                "--bind-interfaces",
                "--listen-address=10.83.1.53",
                "--port=53",
                "--pid-file=" + dir.resolve("dnsmasq.pid"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("dnsmasq.log").toFile())
            .start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lab.exec(ns, "ss", "-Hlun", "sport = :53").isBlank()) {
      if (!dnsmasq.isAlive() || System.nanoTime() > until) {
        throw new IllegalStateException(
            "dnsmasq did not start: " + Files.readString(dir.resolve("dnsmasq.log")));
      }
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void down() throws Exception {
    try {
      for (InProcessAgent a : new InProcessAgent[] {cli, cld, clr, clf}) {
        if (a != null) {
          a.close();
        }
      }
      if (web != null) {
        web.close();
      }
      if (dnsNs != null) {
        dnsNs.close();
      }
      if (dnsmasq != null) {
        dnsmasq.destroy();
        if (!dnsmasq.waitFor(5, TimeUnit.SECONDS)) {
          dnsmasq.destroyForcibly();
        }
      }
    } finally {
      lab.close();
    }
  }

  @Test
  void nameFromTheNamespacesHostsFileReachesItsListener() throws Exception {
    JsonNode r = cli.probe("tcp", "alias.hosts.test", 8080, 1000);
    assertThat(r.get("status").asText()).isEqualTo("CONNECTED");
    assertThat(r.get("address").asText()).as("IPv4 preferred").isEqualTo("10.83.1.53");
    assertThat(r.get("evidence").get(0).asText())
        .isEqualTo("alias.hosts.test is 10.83.1.53 in /etc/netns/" + cliName + "/hosts");
  }

  @Test
  void nameAnsweredByDnsReachesTheAddressItNames() throws Exception {
    JsonNode r = cli.probe("tcp", "www.nm.test", 8080, 1000);
    assertThat(r.get("status").asText()).isEqualTo("CONNECTED");
    assertThat(r.get("address").asText()).isEqualTo("10.83.1.80");
    assertThat(r.get("evidence").get(0).asText())
        .matches("asked 10\\.83\\.1\\.53:53 for www\\.nm\\.test: A 10\\.83\\.1\\.80 \\(\\d+ ms\\)");
    JsonNode icmp = cli.probe("icmp", "www.nm.test", 0, 1000);
    assertThat(icmp.get("status").asText()).isEqualTo("REPLY");
    assertThat(icmp.get("address").asText()).isEqualTo("10.83.1.80");
    assertThat(icmp.get("evidence").get(0).asText()).startsWith("asked 10.83.1.53:53");
    assertThat(icmp.get("evidence").get(1).asText()).startsWith("1 echo request(s)");
  }

  @Test
  void nxdomainIsUnresolvedNamingTheServer() throws Exception {
    JsonNode r = cli.probe("tcp", "nosuch.nm.test", 8080, 1000);
    assertThat(r.get("status").asText()).isEqualTo("NAME_UNRESOLVED");
    assertThat(r.get("evidence").toString())
        .contains("10.83.1.53:53 answered NXDOMAIN for nosuch.nm.test")
        .as("no search domain appended")
        .doesNotContain("nosuch.nm.test.hosts.test");
  }

  @Test
  void droppedQueryIsUnresolvedAfterTheTimeout() throws Exception {
    JsonNode r = cld.probe("udp", "www.nm.test", 9, 500);
    assertThat(r.get("status").asText()).isEqualTo("NAME_UNRESOLVED");
    assertThat(r.get("evidence").toString())
        .contains("no answer from 10.83.2.53:53 for www.nm.test within 500 ms");
    assertThat(r.get("elapsedMs").asDouble()).isGreaterThanOrEqualTo(500);
  }

  @Test
  void silentFirstNameserverFallsBackToTheNextInOrder() throws Exception {
    JsonNode r = clf.probe("tcp", "www.nm.test", 8080, 300);
    assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("CONNECTED");
    assertThat(r.get("address").asText()).isEqualTo("10.83.1.80");
    assertThat(r.get("evidence").get(0).asText())
        .isEqualTo("no answer from 10.83.2.53:53 for www.nm.test within 300 ms");
    assertThat(r.get("evidence").get(1).asText())
        .startsWith("asked 10.83.1.53:53 for www.nm.test: A 10.83.1.80");
  }

  @Test
  void closedDnsPortIsUnresolvedAsRefused() throws Exception {
    JsonNode r = clr.probe("tcp", "www.nm.test", 8080, 1000);
    assertThat(r.get("status").asText()).isEqualTo("NAME_UNRESOLVED");
    assertThat(r.get("evidence").toString())
        .as(r.toString())
        .contains("10.83.3.53:53 refused the query for www.nm.test: ICMP port unreachable");
  }

  @Test
  void rootHostsFileIsNotUsedWhenTheNamespaceHasItsOwn() throws Exception {
    String rootOnly = rootHostsName();
    assumeTrue(rootOnly != null, "/etc/hosts names nothing besides localhost");
    JsonNode r = cli.probe("tcp", rootOnly, 8080, 1000);
    assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("NAME_UNRESOLVED");
    assertThat(r.get("evidence").toString())
        .contains(rootOnly + " is not in /etc/netns/" + cliName + "/hosts")
        .as("asked the namespace's own nameserver, not the machine's")
        .contains("[10.83.1.53:53]");
  }

  /** A name this machine's /etc/hosts gives (not localhost, which the resolver answers itself). */
  private static String rootHostsName() throws Exception {
    for (String line : Files.readAllLines(Path.of("/etc/hosts"))) {
      String[] f = line.replaceAll("#.*", "").trim().split("\\s+");
      for (int i = 1; i < f.length; i++) {
        if (!f[i].startsWith("localhost") && !f[i].startsWith("ip6-")) {
          return f[i];
        }
      }
    }
    return null;
  }

  @Test
  void factsRouteChoiceUsesTheSameAnswer() throws Exception {
    JsonNode facts =
        cli.request("facts", Map.of("routeTo", List.of("www.nm.test", "nosuch.nm.test")));
    JsonNode choices = facts.get("routeChoices");
    assertThat(choices.get(0).get("destination").asText()).isEqualTo("10.83.1.80");
    assertThat(choices.get(0).get("source").asText()).isEqualTo("10.83.1.1");
    assertThat(choices.get(1).get("error").asText()).contains("NXDOMAIN");
  }

  @Test
  void factsAskEveryNameAtOnce() throws Exception {
    // three names behind a nameserver that drops: one timeout for all, not one per name
    long start = System.nanoTime();
    JsonNode facts =
        cld.request(
            "facts",
            Map.of("routeTo", List.of("a.nm.test", "b.nm.test", "c.nm.test"), "timeoutMs", 600));
    long ms = (System.nanoTime() - start) / 1_000_000;
    JsonNode choices = facts.get("routeChoices");
    assertThat(choices).hasSize(3);
    for (JsonNode choice : choices) {
      assertThat(choice.get("error").asText()).contains("no answer from 10.83.2.53:53");
    }
    assertThat(ms).as("facts took %d ms", ms).isLessThan(3 * 600);
  }

  /** An agent in this JVM whose protocol thread is in the namespace, as the coordinator runs it. */
  private static final class InProcessAgent implements AutoCloseable {
    private final NetNamespace netns;
    private final ExecutorService protocolThread;
    private final Agent agent;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();

    InProcessAgent(String ns) {
      netns = NetNamespace.enter(NetNamespace.named(ns));
      protocolThread = Executors.newSingleThreadExecutor(netns.threads("np-at-nm-proto"));
      agent =
          new Agent(
              JSON,
              line -> {
                try {
                  replies.add(JSON.readTree(line));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              () -> {},
              netns);
    }

    JsonNode probe(String type, String host, int port, int timeoutMs) throws Exception {
      Map<String, Object> args = new HashMap<>();
      args.put("type", type);
      args.put("host", host);
      args.put("timeoutMs", timeoutMs);
      if (port > 0) {
        args.put("port", port);
      }
      if (type.equals("icmp")) {
        args.put("count", 1);
      }
      return request("probe", args);
    }

    synchronized JsonNode request(String op, Map<String, Object> args) throws Exception {
      int id = ids.incrementAndGet();
      String line = JSON.writeValueAsString(Map.of("id", id, "op", op, "args", args));
      protocolThread.submit(() -> agent.handle(line)).get();
      JsonNode reply = replies.poll(10, TimeUnit.SECONDS);
      assertThat(reply).as("reply to " + line).isNotNull();
      assertThat(reply.get("ok").asBoolean()).as(reply.toString()).isTrue();
      return reply.get("result");
    }

    @Override
    public void close() {
      agent.close();
      protocolThread.shutdownNow();
      netns.close();
    }
  }
}
