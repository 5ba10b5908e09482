package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.Agent;
import io.netprobe.agent.facts.NfTables;
import io.netprobe.agent.facts.NftRules;
import io.netprobe.agent.net.NetNamespace;
import io.netprobe.agent.rules.Chain;
import io.netprobe.agent.rules.Commands;
import io.netprobe.agent.rules.Flow;
import io.netprobe.agent.rules.FlowMatch;
import io.netprobe.agent.rules.Match;
import io.netprobe.agent.rules.Rule;
import io.netprobe.agent.rules.RuleDiff;
import io.netprobe.agent.rules.RuleSet;
import io.netprobe.agent.rules.RuleText;
import io.netprobe.agent.rules.RulesReader;
import io.netprobe.agent.rules.RulesSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * The {@code rules} op for real, from agents in this JVM (threads entered with setns, as the
 * coordinator runs them): the DROP that took a probe's SYNs is named with the right count, and the
 * rules read are the agent's namespace's, not this machine's.
 *
 * <pre>
 *   src 10.86.1.1 --- 10.86.1.2 dst   (INPUT: tcp/9 DROP, tcp/10 REJECT with tcp-reset)
 * </pre>
 */
class RulesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DROP_SPEC = "-p tcp -m tcp --dport 9 -j DROP";
  private static NetnsFixture lab;
  private static String dstName;
  private static InProcessAgent src;
  private static InProcessAgent dst;

  @BeforeAll
  static void up() throws Exception {
    lab = new NetnsFixture("rl");
    try {
      String srcName = lab.create("src");
      dstName = lab.create("dst");
      lab.link(srcName, "10.86.1.1/24", dstName, "10.86.1.2/24");
      lab.exec(dstName, "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "9", "-j", "DROP");
      lab.exec(
          dstName,
          "iptables",
          "-A",
          "INPUT",
          "-p",
          "tcp",
          "--dport",
          "10",
          "-j",
          "REJECT",
          "--reject-with",
          "tcp-reset");
      src = new InProcessAgent(srcName);
      dst = new InProcessAgent(dstName);
    } catch (Exception | Error e) {
      down();
      throw e;
    }
  }

  @AfterAll
  static void down() {
    try {
      for (InProcessAgent a : new InProcessAgent[] {src, dst}) {
        if (a != null) {
          a.close();
        }
      }
    } finally {
      lab.close();
    }
  }

  @Test
  void dropThatTookTheProbesSynsIsNamedWithItsCount() throws Exception {
    RulesSnapshot before = dst.rules();
    for (int i = 0; i < 3; i++) {
      // 300 ms: one SYN each, the first retransmission would come after 1 s
      assertThat(src.probe("tcp", "10.86.1.2", 9, 300).get("status").asText()).isEqualTo("TIMEOUT");
    }
    assertThat(src.probe("tcp", "10.86.1.2", 10, 1000).get("status").asText()).isEqualTo("REFUSED");
    RulesSnapshot after = dst.rules();

    RuleDiff diff = RuleDiff.between(before, after);
    assertThat(diff.grown())
        .extracting(RuleText::describe)
        .containsExactly(
            "INPUT rule 1 `-p tcp --dport 9 -j DROP` (+3 packets)",
            "INPUT rule 2 `-p tcp --dport 10 -j REJECT --reject-with tcp-reset` (+1 packet)");

    List<FlowMatch.Suspect> dropped = FlowMatch.drops(Flow.tcp("10.86.1.1", "10.86.1.2", 9), diff);
    assertThat(dropped)
        .as("the DROP for tcp/9, not the REJECT for tcp/10")
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.match()).isEqualTo(Match.YES);
              assertThat(s.delta().spec()).isEqualTo(DROP_SPEC);
              assertThat(s.delta().packets()).isEqualTo(3);
            });
    assertThat(FlowMatch.drops(Flow.tcp("10.86.1.1", "10.86.1.2", 10), diff))
        .extracting(s -> s.delta().target())
        .containsExactly("REJECT");
  }

  @Test
  void snapshotIsTheAgentsNamespaceNotTheMachines() throws Exception {
    RulesSnapshot mine = dst.rules();
    assertThat(mine.unavailable()).isEmpty();
    assertThat(mine.ruleSets()).extracting(RuleSet::backend).containsExactly(RuleSet.NFT);
    Chain input = mine.ruleSets().get(0).table("filter").orElseThrow().chain("INPUT").orElseThrow();
    assertThat(input.rules())
        .extracting(Rule::spec)
        .containsExactly(DROP_SPEC, "-p tcp -m tcp --dport 10 -j REJECT --reject-with tcp-reset");
    assertThat(src.rules().ruleSets())
        .as("the source namespace has no rule at all")
        .allSatisfy(set -> assertThat(set.hasRules()).isFalse());

    // the same reader on this test's thread (the root namespace) sees the machine's own rules:
    // Docker's chains, on the build machine; none of them is in the agent's namespace
    RulesSnapshot machine = RulesReader.system().snapshot(Set.of(), 5000);
    List<String> machineChains = chainNames(machine);
    machineChains.removeAll(List.of("INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING"));
    System.out.printf(
        "RulesIT: the root namespace's snapshot took %.1f ms, user chains %s%n",
        machine.elapsedMs(), machineChains);
    assertThat(machine.ruleSets()).isNotEqualTo(mine.ruleSets());
    assertThat(chainNames(mine)).doesNotContainAnyElementsOf(machineChains);
  }

  @Test
  void aNamespaceWithoutTablesIsReadWithoutStartingIptablesSave() throws Exception {
    List<List<String>> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    Commands counted = recording(ran);
    // the kernel's count, on the namespaces' own threads: none at the source, the filter at dst
    assertThat(src.netns.call(() -> NfTables.count(NfTables.IPV4))).hasValue(0);
    assertThat(dst.netns.call(() -> NfTables.count(NfTables.IPV4)).orElse(0)).isPositive();

    RulesSnapshot quick =
        src.netns.call(
            () ->
                new RulesReader(counted, NetNamespace.procNet(), NfTables::count)
                    .snapshot(Set.of(), 5000));
    assertThat(ran).as("no process for a namespace without tables").isEmpty();
    RulesSnapshot started =
        src.netns.call(
            () -> new RulesReader(counted, NetNamespace.procNet()).snapshot(Set.of(), 5000));
    assertThat(ran).as("the count unknown: iptables-save runs").isNotEmpty();
    assertThat(quick.ruleSets())
        .as("what iptables-save says of it")
        .isEqualTo(started.ruleSets())
        .containsExactly(new RuleSet(RuleSet.NFT, List.of()));

    ran.clear();
    RulesSnapshot withRules =
        dst.netns.call(
            () ->
                new RulesReader(counted, NetNamespace.procNet(), NfTables::count)
                    .snapshot(Set.of(), 5000));
    assertThat(ran).as("a namespace with tables is read by iptables-save").isNotEmpty();
    assertThat(chainNames(withRules)).contains("INPUT");
  }

  @Test
  void unchangedRulesAreCountedFromTheKernelWithoutAProcess() throws Exception {
    String ns = lab.create("cn");
    String mark = "np-rl-" + Long.toString(System.nanoTime(), 36); // rules no other run has had
    lab.exec(
        ns,
        "iptables",
        "-A",
        "OUTPUT",
        "-o",
        "lo",
        "-p",
        "udp",
        "--dport",
        "9",
        "-m",
        "comment",
        "--comment",
        mark,
        "-j",
        "ACCEPT");
    lab.exec(ns, "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "DROP");
    List<List<String>> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    Commands counted = recording(ran);
    NetNamespace netns = NetNamespace.enter(NetNamespace.named(ns));
    try {
      java.util.concurrent.Callable<RulesSnapshot> viaKernel =
          () ->
              new RulesReader(counted, NetNamespace.procNet(), NfTables::count, NftRules::read)
                  .snapshot(Set.of(), 5000);
      java.util.concurrent.Callable<RulesSnapshot> viaSave =
          () ->
              new RulesReader(counted, NetNamespace.procNet(), NfTables::count)
                  .snapshot(Set.of(), 5000);

      RulesSnapshot first = netns.call(viaKernel);
      assertThat(ran).as("the first read of these rules prints them").hasSize(1);
      netns.call(
          () -> {
            try (java.net.DatagramSocket udp = new java.net.DatagramSocket()) {
              for (int i = 0; i < 3; i++) {
                udp.send(
                    new java.net.DatagramPacket(
                        new byte[10], 10, java.net.InetAddress.getByName("127.0.0.1"), 9));
              }
            }
            return null;
          });
      RulesSnapshot second = netns.call(viaKernel);
      assertThat(ran).as("the same rules again: counted from the kernel, no process").hasSize(1);
      RulesSnapshot printed = netns.call(viaSave);
      assertThat(ran).hasSize(2);
      assertThat(second.ruleSets())
          .as("what iptables-save -c prints")
          .isEqualTo(printed.ruleSets());
      assertThat(RuleDiff.between(first, second).grown())
          .extracting(RuleText::describe)
          .filteredOn(d -> d.startsWith("OUTPUT rule 1 "))
          .singleElement()
          .asString()
          .contains(mark)
          .endsWith("(+3 packets)");

      lab.exec(ns, "iptables", "-I", "INPUT", "-p", "tcp", "--dport", "23", "-j", "DROP");
      RulesSnapshot changed = netns.call(viaKernel);
      assertThat(ran).as("rules changed: printed again").hasSize(3);
      assertThat(changed.ruleSets().get(0).table("filter").orElseThrow().chain("INPUT"))
          .get()
          .extracting(c -> c.rules().size())
          .isEqualTo(2);
    } finally {
      netns.close();
    }
  }

  @Test
  void processStartedOnANamespaceThreadIsInThatNamespace() throws Exception {
    Object inode = Files.getAttribute(NetNamespace.named(dstName), "unix:ino");
    String seen =
        dst.netns.call(
            () -> Commands.SYSTEM.run(List.of("/bin/readlink", "/proc/self/ns/net"), 5000).out());
    assertThat(seen.strip()).isEqualTo("net:[" + inode + "]");
  }

  @Test
  void withoutCapNetAdminTheReplySaysWhy() {
    // the real iptables-save, started without CAP_NET_ADMIN in its bounding set
    Commands noNetAdmin =
        system(
            command -> {
              List<String> dropped =
                  new ArrayList<>(List.of("setpriv", "--bounding-set=-net_admin"));
              dropped.addAll(command);
              return dropped;
            });
    RulesSnapshot denied =
        dst.netns.call(
            () -> new RulesReader(noNetAdmin, Path.of("/nonexistent")).snapshot(Set.of(), 5000));
    assertThat(denied.ruleSets()).isEmpty();
    assertThat(denied.unavailable())
        .singleElement()
        .asString()
        .startsWith("permission denied: needs CAP_NET_ADMIN (iptables-save: ");
  }

  /** This machine's binaries, each command line added to {@code ran} as it starts. */
  private static Commands recording(List<List<String>> ran) {
    return system(
        command -> {
          ran.add(command);
          return command;
        });
  }

  /** This machine's binaries, each command line changed by {@code how} before it runs. */
  private static Commands system(java.util.function.UnaryOperator<List<String>> how) {
    return new Commands() {
      @Override
      public Optional<Path> find(String name) {
        return Commands.SYSTEM.find(name);
      }

      @Override
      public Result run(List<String> command, long timeoutMs) {
        return Commands.SYSTEM.run(how.apply(command), timeoutMs);
      }
    };
  }

  @Test
  void snapshotsAreQuickEnoughToTakeAroundEveryRun() throws Exception {
    dst.rules(); // warm: the first spawn loads the JDK's process classes
    long start = System.nanoTime();
    int n = 10;
    for (int i = 0; i < n; i++) {
      dst.rules();
    }
    double msEach = (System.nanoTime() - start) / 1e6 / n;
    System.out.printf("RulesIT: a rules snapshot in a namespace took %.1f ms%n", msEach);
    assertThat(msEach).as("ms per snapshot, protocol included").isLessThan(1000);
  }

  private static List<String> chainNames(RulesSnapshot snapshot) {
    return snapshot.ruleSets().stream()
        .flatMap(s -> s.tables().stream())
        .flatMap(t -> t.chains().stream())
        .map(Chain::name)
        .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }

  /** An agent in this JVM, its protocol thread entered into a namespace with setns. */
  private static final class InProcessAgent implements AutoCloseable {
    final NetNamespace netns;
    private final ExecutorService protocolThread;
    private final Agent agent;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();

    InProcessAgent(String ns) {
      netns = NetNamespace.enter(NetNamespace.named(ns));
      protocolThread = Executors.newSingleThreadExecutor(netns.threads("np-at-rl-proto"));
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
      return request(
          "probe", Map.of("type", type, "host", host, "port", port, "timeoutMs", timeoutMs));
    }

    RulesSnapshot rules() throws Exception {
      return JSON.treeToValue(request("rules", Map.of()), RulesSnapshot.class);
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
