package io.netprobe.agent.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A test's own small lab: network namespaces named {@code np-at-<tag>-<role>}, joined by veth pairs
 * only (no link to the root namespace, so no route out of the machine), with ping sockets allowed
 * and ICMP rate limiting off. {@link #close} removes everything, and a shutdown hook does it too if
 * the JVM dies first.
 */
public final class NetnsFixture implements AutoCloseable {
  private final String tag;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Path> paths = new ArrayList<>();
  private int links;
  private final Thread hook = new Thread(this::close, "np-at-cleanup");

  public NetnsFixture(String tag) {
    if (tag.length() > 4) {
      throw new IllegalArgumentException("tag longer than 4 characters: " + tag);
    }
    this.tag = tag;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  public String ns(String role) {
    return "np-at-" + tag + "-" + role;
  }

  /** Creates the namespace for a role: lo up, ping sockets for all, no ICMP rate limit. */
  public String create(String role) {
    String ns = ns(role);
    Sh.quiet("ip", "netns", "del", ns);
    Sh.run("ip", "netns", "add", ns);
    namespaces.add(ns);
    exec(ns, "ip", "link", "set", "lo", "up");
    exec(ns, "sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647");
    exec(ns, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0");
    return ns;
  }

  /** A veth pair between two namespaces, each end with an address in CIDR form. */
  public void link(String nsA, String addrA, String nsB, String addrB) {
    // a counter: two links made while the namespace count stays the same must not share a name
    int n = namespaces.size() * 10 + links++;
    String a = "np" + tag + n + "a";
    String b = "np" + tag + n + "b";
    Sh.run("ip", "link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB);
    exec(nsA, "ip", "addr", "add", addrA, "dev", a);
    exec(nsB, "ip", "addr", "add", addrB, "dev", b);
    exec(nsA, "ip", "link", "set", a, "up");
    exec(nsB, "ip", "link", "set", b, "up");
  }

  /** The veth name inside {@code ns} that carries {@code address} (for capture). */
  public String deviceOf(String ns, String address) {
    String out = exec(ns, "ip", "-o", "-4", "addr", "show", "to", address);
    return out.trim().split("\\s+")[1].replaceFirst("@.*$", "");
  }

  /**
   * The veths left in {@code ns} once those whose other end was in a deleted namespace went: the
   * kernel takes them down with that namespace, a moment after; waits up to 5 s for none.
   */
  public String vethsAfterDelete(String ns) throws InterruptedException {
    String left = "";
    for (int i = 0; i < 50; i++) {
      left = exec(ns, "ip", "-o", "link", "show", "type", "veth");
      if (left.isBlank()) {
        break;
      }
      Thread.sleep(100);
    }
    return left;
  }

  public String exec(String ns, String... command) {

    String[] full = new String[command.length + 4];
    full[0] = "ip";
    full[1] = "netns";
    full[2] = "exec";
    full[3] = ns;
    System.arraycopy(command, 0, full, 4, command.length);
    return Sh.run(full);
  }

  /** A temporary directory removed with the fixture. */
  public Path tempDir() throws IOException {
    Path dir = Files.createTempDirectory("np-at-" + tag + "-");
    paths.add(dir);
    return dir;
  }

  /** A path (file or directory) removed with the fixture. */
  public Path own(Path path) {
    paths.add(path);
    return path;
  }

  @Override
  public synchronized void close() {
    for (String ns : namespaces) {
      Sh.quiet("ip", "netns", "pids", ns); // for the log when a test hangs
      for (String pid : Sh.exec("ip", "netns", "pids", ns).out().split("\\s+")) {
        if (!pid.isBlank()) {
          Sh.quiet("kill", "-9", pid.trim());
        }
      }
      Sh.quiet("ip", "netns", "del", ns);
    }
    namespaces.clear();
    for (Path p : paths) {
      deleteTree(p);
    }
    paths.clear();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
