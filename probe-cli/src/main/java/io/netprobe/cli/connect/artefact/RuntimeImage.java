package io.netprobe.cli.connect.artefact;

import io.netprobe.cli.connect.ConnectListener;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.invocation.Invocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * A small Java runtime for nodes without Java 17+: jlink (in-process, from this JDK) of the modules
 * the agent needs, cached in {@code ~/.cache/netprobe/runtime/<key>} where the key names this JDK
 * and the module list. java.sql is for pcap4j, jdk.crypto.ec for the SSH probe's key exchange.
 */
public final class RuntimeImage {
  public static final List<String> MODULES =
      List.of(
          "java.base",
          "java.logging",
          "java.management",
          "jdk.unsupported",
          "java.sql",
          "jdk.crypto.ec");

  private RuntimeImage() {}

  /** The cache key: this JDK's version and home, the modules, the CPU architecture. */
  public static String key() {
    return io.netprobe.agent.text.Sha256.hex(
            System.getProperty("java.runtime.version")
                + System.getProperty("java.home")
                + System.getProperty("os.arch")
                + MODULES
                + "cds")
        .substring(0, 16);
  }

  /** The runtime's directory, built now when not cached. */
  public static synchronized Path ensure(ConnectListener listener) {
    return ensure(cacheRoot().resolve("runtime").resolve(key()), listener);
  }

  /** The runtime in {@code dir}, built now when it is not there. */
  static Path ensure(Path dir, ConnectListener listener) {
    if (Files.isExecutable(dir.resolve("bin/java"))) {
      return dir;
    }
    ToolProvider jlink =
        ToolProvider.findFirst("jlink")
            .orElseThrow(
                () ->
                    new AgentException(
                        "NO_JLINK",
                        "cannot build a Java runtime for nodes without Java: this Java ("
                            + System.getProperty("java.home")
                            + ") has no jlink; run netprobe with a full JDK 17+"));
    try {
      Files.createDirectories(dir.getParent());
      removeStaleBuilds(dir.getParent());
      Path tmp = Files.createTempDirectory(dir.getParent(), "np-runtime-");
      Path out = tmp.resolve("jre");
      listener.event("local", "building a Java runtime with jlink into " + dir);
      StringWriter log = new StringWriter();
      int rc =
          jlink.run(
              new PrintWriter(log),
              new PrintWriter(log),
              "--add-modules",
              String.join(",", MODULES),
              "--strip-debug",
              "--no-header-files",
              "--no-man-pages",
              "--compress=2",
              "--output",
              out.toString());
      if (rc != 0) {
        deleteTree(tmp);
        throw new AgentException("NO_JLINK", "jlink failed (exit " + rc + "): " + log);
      }
      dumpClassData(out);
      try {
        Files.move(out, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // another run built it at the same time: theirs is as good
      }
      deleteTree(tmp);
      return dir;
    } catch (IOException e) {
      throw new AgentException("NO_JLINK", "cannot build the Java runtime in " + dir + ": " + e, e);
    }
  }

  /**
   * The runtime's default CDS archive, as jlink's --generate-cds-archive makes it, but with the
   * dump's output kept off netprobe's stdout (the plugin prints "Created CDS archive successfully"
   * there, in the middle of a report). Without it the runtime works, a little slower to start.
   */
  private static void dumpClassData(Path runtime) {
    try {
      Process dump =
          new ProcessBuilder(runtime.resolve("bin/java").toString(), "-Xshare:dump")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!dump.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
        dump.destroyForcibly().waitFor();
      }
    } catch (IOException e) {
      // no archive: the runtime still runs
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Build directories of runs killed during jlink (over 10 minutes old). */
  private static void removeStaleBuilds(Path dir) throws IOException {
    long cutoff = System.currentTimeMillis() - 600_000;
    try (Stream<Path> all = Files.list(dir)) {
      for (Path p : all.toList()) {
        if (p.getFileName().toString().startsWith("np-runtime-")
            && Files.getLastModifiedTime(p).toMillis() < cutoff) {
          deleteTree(p);
        }
      }
    }
  }

  public static Path cacheRoot() {
    String xdg = Invocation.getenv("XDG_CACHE_HOME");
    return (xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("netprobe");
  }

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
