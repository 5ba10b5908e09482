package io.netprobe.cli.connect;

import io.netprobe.cli.connect.artefact.AgentJar;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.invocation.Invocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * How to connect: the run's id (labels, process arguments), the agent jar to ship, time limits,
 * whether capture is wanted (sudo on SSH nodes), whether a Java runtime may be uploaded to a node
 * without Java 17+, whether uploads are removed at close (the cache is the point, so by default
 * not), extra environment for the agent's start command, and how to read environment variables.
 */
public record ConnectOptions(
    String runId,
    Path agentJar,
    Duration connectTimeout,
    Duration requestTimeout,
    boolean capture,
    boolean bundledRuntime,
    boolean removeUploads,
    Map<String, String> agentEnv,
    UnaryOperator<String> env,
    ConnectListener listener) {

  public ConnectOptions {
    if (runId == null || !runId.matches("[a-z0-9][a-z0-9-]{0,40}")) {
      throw new IllegalArgumentException(
          "runId must be 1-41 lower-case letters, digits or '-', got " + runId);
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("requestTimeout", requestTimeout);
    agentEnv = Map.copyOf(agentEnv);
    for (String key : agentEnv.keySet()) {
      if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("agentEnv: not a variable name: \"" + key + "\"");
      }
    }
    env = env == null ? Invocation::getenv : env;
    listener = listener == null ? ConnectListener.NONE : listener;
  }

  private static void requirePositive(String field, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, got " + d);
    }
  }

  /**
   * Eight hex digits that tell this run's sidecars and files from another's; not a secret, so not
   * from SecureRandom, whose start-up (its providers, the entropy) cost a cold run ~50 ms.
   */
  static String freshRunId() {
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong() | (1L << 63));
    return hex.substring(hex.length() - 8);
  }

  /** A fresh run id, the agent jar found by {@link AgentJar}, 15 s to connect, 30 s a request. */
  public static ConnectOptions defaults() {
    return new ConnectOptions(
        freshRunId(),
        null,
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        true,
        true,
        false,
        Map.of(),
        Invocation::getenv,
        ConnectListener.NONE);
  }

  /** The agent jar to ship: the one given, or the one {@link AgentJar#locate()} finds. */
  public Path jar() {
    if (agentJar == null) {
      return AgentJar.locate();
    }
    if (!java.nio.file.Files.isRegularFile(agentJar)) {
      throw new AgentException(
          "NO_AGENT_JAR",
          "the agent jar "
              + agentJar
              + " does not exist; build it with `mvn -pl agent -am package -DskipTests`");
    }
    return agentJar;
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Sets what differs from a start; {@link #build()} checks the whole as the record does. */
  public static final class Builder {
    private String runId;
    private Path agentJar;
    private Duration connectTimeout;
    private Duration requestTimeout;
    private boolean capture;
    private boolean bundledRuntime;
    private boolean removeUploads;
    private Map<String, String> agentEnv;
    private UnaryOperator<String> env;
    private ConnectListener listener;

    private Builder(ConnectOptions o) {
      runId = o.runId;
      agentJar = o.agentJar;
      connectTimeout = o.connectTimeout;
      requestTimeout = o.requestTimeout;
      capture = o.capture;
      bundledRuntime = o.bundledRuntime;
      removeUploads = o.removeUploads;
      agentEnv = o.agentEnv;
      env = o.env;
      listener = o.listener;
    }

    public Builder runId(String id) {
      runId = id;
      return this;
    }

    public Builder agentJar(Path jar) {
      agentJar = jar;
      return this;
    }

    public Builder timeouts(Duration connect, Duration request) {
      connectTimeout = connect;
      requestTimeout = request;
      return this;
    }

    public Builder bundledRuntime(boolean allowed) {
      bundledRuntime = allowed;
      return this;
    }

    public Builder removeUploads(boolean remove) {
      removeUploads = remove;
      return this;
    }

    public Builder agentEnv(Map<String, String> vars) {
      agentEnv = vars;
      return this;
    }

    public Builder env(UnaryOperator<String> lookup) {
      env = lookup;
      return this;
    }

    public Builder listener(ConnectListener l) {
      listener = l;
      return this;
    }

    public ConnectOptions build() {
      return new ConnectOptions(
          runId,
          agentJar,
          connectTimeout,
          requestTimeout,
          capture,
          bundledRuntime,
          removeUploads,
          agentEnv,
          env,
          listener);
    }
  }

  /**
   * The JVM arguments every agent gets (agent/README.md's recommendation for start-up time and
   * RSS); {@code -Dnetprobe.run} lets cleanup find it.
   */
  public java.util.List<String> jvmArgs() {
    return java.util.List.of(
        "-Dnetprobe.run=" + runId,
        "-Xms8m",
        "-Xmx32m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1");
  }

  @Override
  public String toString() {
    return "ConnectOptions[run=" + runId + ", jar=" + agentJar + "]";
  }
}
