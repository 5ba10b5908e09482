package io.netprobe.cli.connect.artefact;

import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.invocation.Invocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Finds {@code netprobe-agent.jar} and hashes files (the remote caches are keyed by hash). */
public final class AgentJar {
  public static final String NAME = "netprobe-agent.jar";

  private AgentJar() {}

  /**
   * The agent jar: {@code -Dnetprobe.agent.jar}, {@code $NETPROBE_AGENT_JAR}, {@code
   * $NETPROBE_HOME/agent/target}, or {@code agent/target} in this directory or a parent.
   */
  public static Path locate() {
    List<Path> tried = new ArrayList<>();
    String prop = System.getProperty("netprobe.agent.jar");
    String env = Invocation.getenv("NETPROBE_AGENT_JAR");
    String home = Invocation.getenv("NETPROBE_HOME");
    if (prop != null) {
      tried.add(Path.of(prop));
    }
    if (env != null) {
      tried.add(Path.of(env));
    }
    if (home != null) {
      tried.add(Path.of(home, "agent", "target", NAME));
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      tried.add(dir.resolve("agent").resolve("target").resolve(NAME));
    }
    for (Path p : tried) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new AgentException(
        "NO_AGENT_JAR",
        "the agent jar was not found; tried "
            + tried
            + "; build it with `mvn -pl agent -am package -DskipTests` or set NETPROBE_AGENT_JAR");
  }

  private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

  /** The hex SHA-256 of a file (remembered while its size and modification time stay). */
  public static String sha256(Path file) {
    try {
      String key =
          file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file);
      return HASHES.computeIfAbsent(key, k -> hash(file));
    } catch (IOException e) {
      throw new AgentException("NO_AGENT_JAR", "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String hash(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new AgentException("NO_AGENT_JAR", "cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
