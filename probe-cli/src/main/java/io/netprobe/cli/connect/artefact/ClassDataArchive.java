package io.netprobe.cli.connect.artefact;

import io.netprobe.cli.connect.ConnectOptions;
import io.netprobe.cli.connect.cleanup.Reaper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An AppCDS archive of the agent's start-up classes, which halves its time to hello (0.5 s to 0.25
 * s here; agent/README.md). While there is none, agents start without it, and one training run
 * ({@code hello}, then exit with {@code -XX:ArchiveClassesAtExit}) makes it in the background under
 * a temporary name, renamed when complete. Keyed by the agent jar and this JDK.
 */
public final class ClassDataArchive {
  public static final String HELLO = "{\"id\":1,\"op\":\"hello\",\"args\":{}}";

  /**
   * What a training run does: every operation a run uses, against loopback only, so that the
   * archive holds Netty's, pcap4j's, JNA's and JSch's classes too, not only those of hello.
   */
  static final String TRAINING_SCRIPT =
      String.join(
          "\n",
          HELLO,
          "{\"id\":2,\"op\":\"facts\",\"args\":{\"routeTo\":\"127.0.0.1\"}}",
          "{\"id\":3,\"op\":\"capture.start\",\"args\":{\"id\":\"t\",\"iface\":\"lo\","
              + "\"filter\":\"icmp or tcp or udp\",\"windowMs\":5000,\"pcap\":true}}",
          "{\"id\":4,\"op\":\"probe\",\"args\":{\"type\":\"tcp\",\"host\":\"127.0.0.1\","
              + "\"port\":9,\"timeoutMs\":500,\"mark\":\"t\"}}",
          "{\"id\":5,\"op\":\"probe\",\"args\":{\"type\":\"icmp\",\"host\":\"127.0.0.1\","
              + "\"count\":1,\"timeoutMs\":500,\"mark\":\"t\"}}",
          "{\"id\":6,\"op\":\"probe\",\"args\":{\"type\":\"udp\",\"host\":\"127.0.0.1\","
              + "\"port\":9,\"timeoutMs\":300}}",
          "{\"id\":7,\"op\":\"probe\",\"args\":{\"type\":\"ssh\",\"host\":\"127.0.0.1\","
              + "\"port\":9,\"timeoutMs\":500,\"user\":\"t\",\"password\":\"t\","
              + "\"checkHostKey\":false}}",
          "{\"id\":8,\"op\":\"capture.stop\",\"args\":{\"id\":\"t\",\"keepPcap\":true}}",
          "{\"id\":9,\"op\":\"capture.pcap\",\"args\":{\"id\":\"t\"}}");

  private static final Set<Path> TRAINING = ConcurrentHashMap.newKeySet();

  private ClassDataArchive() {}

  static Path dir() {
    return RuntimeImage.cacheRoot().resolve("cds");
  }

  static Path archive(ConnectOptions o) {
    String key =
        io.netprobe.agent.text.Sha256.hex(
            AgentJar.sha256(o.jar())
                + System.getProperty("java.runtime.version")
                + System.getProperty("java.home"));
    return dir().resolve(key.substring(0, 16) + ".jsa");
  }

  /** The JVM argument that uses the archive, or none (and a training run starts) when missing. */
  public static List<String> localArgs(ConnectOptions o, List<String> java) {
    Path archive = archive(o);
    if (Files.isRegularFile(archive)) {
      return List.of("-XX:SharedArchiveFile=" + archive);
    }
    if (TRAINING.add(archive)) {
      Thread t = new Thread(() -> train(archive, o, java), "np-cds-training");
      t.setDaemon(true);
      t.start();
    }
    return List.of();
  }

  private static void train(Path archive, ConnectOptions o, List<String> java) {
    Path temp = archive.resolveSibling(archive.getFileName() + ".np-part-" + o.runId());
    Process p = null;
    AutoCloseable settle = null;
    try {
      Files.createDirectories(archive.getParent());
      List<String> cmd = new ArrayList<>(java);
      cmd.addAll(o.jvmArgs());
      cmd.addAll(
          List.of("-XX:ArchiveClassesAtExit=" + temp, "-jar", o.jar().toString(), "--stdio"));
      p =
          new ProcessBuilder(cmd)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      Process training = p;
      settle = () -> training.waitFor(3, TimeUnit.SECONDS);
      Reaper.instance().register(settle);
      try (OutputStream in = p.getOutputStream()) {
        in.write((TRAINING_SCRIPT + "\n").getBytes(StandardCharsets.UTF_8));
      }
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.size(temp) > 0) {
        Files.move(temp, archive, StandardCopyOption.ATOMIC_MOVE);
        removeOlder(archive);
      }
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      // another run made it first
    } catch (IOException | InterruptedException e) {
      // no archive this time: agents start a little slower, nothing else changes
    } finally {
      if (p != null) {
        p.destroyForcibly();
      }
      if (settle != null) {
        Reaper.instance().unregister(settle);
      }
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // cleanup sweeps it
      }
      TRAINING.remove(archive);
    }
  }

  /**
   * The archives of earlier agent builds (each ~15 MB, one per build, never used again once the jar
   * changed): removed when a new one is made. A run that still maps one keeps it open; the
   * coordinator's own archives (cli-*, the launcher's) are the launcher's to replace.
   */
  static List<Path> removeOlder(Path kept) {
    List<Path> removed = new ArrayList<>();
    try (Stream<Path> all = Files.list(kept.getParent())) {
      for (Path p : all.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".jsa") && !name.startsWith("cli-") && !p.equals(kept)) {
          Files.deleteIfExists(p);
          removed.add(p);
        }
      }
    } catch (IOException e) {
      // kept for the next time
    }
    return removed;
  }

  /** Half-made archives of runs that have no agent process any more (for cleanup). */
  public static List<Path> orphanParts(Set<String> liveRuns) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir())) {
      return found;
    }
    try (Stream<Path> all = Files.list(dir())) {
      all.filter(p -> p.getFileName().toString().contains(".np-part-"))
          .filter(
              p ->
                  liveRuns.stream()
                      .noneMatch(r -> p.getFileName().toString().endsWith(".np-part-" + r)))
          .forEach(found::add);
    } catch (IOException e) {
      // nothing to sweep
    }
    return found;
  }
}
