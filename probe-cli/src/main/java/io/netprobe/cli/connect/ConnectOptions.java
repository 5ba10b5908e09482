package io.netprobe.cli.connect;

import io.netprobe.cli.connect.artefact.AgentJar;
import io.netprobe.cli.connect.session.AgentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
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
    env = env == null ? System::getenv : env;
    listener = listener == null ? ConnectListener.NONE : listener;
  }

  private static void requirePositive(String field, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be positive, got " + d);
    }
  }

  /** A fresh run id, the agent jar found by {@link AgentJar}, 15 s to connect, 30 s a request. */
  public static ConnectOptions defaults() {
    return new ConnectOptions(
        UUID.randomUUID().toString().substring(0, 8),
        null,
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        true,
        true,
        false,
        Map.of(),
        System::getenv,
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

  public ConnectOptions withRunId(String id) {
    return new ConnectOptions(
        id,
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

  public ConnectOptions withAgentJar(Path jar) {
    return new ConnectOptions(
        runId,
        jar,
        connectTimeout,
        requestTimeout,
        capture,
        bundledRuntime,
        removeUploads,
        agentEnv,
        env,
        listener);
  }

  public ConnectOptions withBundledRuntime(boolean allowed) {
    return new ConnectOptions(
        runId,
        agentJar,
        connectTimeout,
        requestTimeout,
        capture,
        allowed,
        removeUploads,
        agentEnv,
        env,
        listener);
  }

  public ConnectOptions withRemoveUploads(boolean remove) {
    return new ConnectOptions(
        runId,
        agentJar,
        connectTimeout,
        requestTimeout,
        capture,
        bundledRuntime,
        remove,
        agentEnv,
        env,
        listener);
  }

  public ConnectOptions withAgentEnv(Map<String, String> vars) {
    return new ConnectOptions(
        runId,
        agentJar,
        connectTimeout,
        requestTimeout,
        capture,
        bundledRuntime,
        removeUploads,
        vars,
        env,
        listener);
  }

  public ConnectOptions withEnv(UnaryOperator<String> lookup) {
    return new ConnectOptions(
        runId,
        agentJar,
        connectTimeout,
        requestTimeout,
        capture,
        bundledRuntime,
        removeUploads,
        agentEnv,
        lookup,
        listener);
  }

  public ConnectOptions withListener(ConnectListener l) {
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
        l);
  }

  public ConnectOptions withTimeouts(Duration connect, Duration request) {
    return new ConnectOptions(
        runId,
        agentJar,
        connect,
        request,
        capture,
        bundledRuntime,
        removeUploads,
        agentEnv,
        env,
        listener);
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
