package io.netprobe.cli.run;

import io.netprobe.cli.connect.ConnectOptions;
import io.netprobe.cli.connect.Connections;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Topology;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * One run of a loaded matrix, in-process: plan the nodes, connect them all at once, run the engine,
 * close every agent. What {@code netprobe run}, {@code demo}, {@code check} and {@code grade}
 * share.
 */
public final class MatrixRun {
  private MatrixRun() {}

  /**
   * The lab as the agents of every node of {@code matrix} find it, without a probe: their facts,
   * their rules' nat tables and the Docker networks, as {@link TopologyBuilder} joins them.
   */
  public static Topology topology(Matrix matrix, boolean acceptNewHostKeys, RunListener listener) {
    long t0 = System.nanoTime();
    NodePlan plan = NodePlan.everyAgent(matrix, acceptNewHostKeys);
    listener.connecting(plan.targets().size());
    CompletableFuture<DockerNetworks> docker =
        CompletableFuture.supplyAsync(() -> DockerNetworks.read(matrix));
    try (Connections nodes = Connections.open(plan.targets(), ConnectOptions.defaults())) {
      listener.phase("agents connected", t0);
      Map<String, AgentCalls> agents = new HashMap<>();
      for (RunNode n : plan.runNodes(nodes)) {
        if (n.isConnected()) {
          agents.put(n.name(), n.agent());
        }
      }
      RuleCounters rules = RuleCounters.start(agents);
      NodeFacts facts = NodeFacts.read(agents, matrix, List.of());
      return new TopologyBuilder(matrix, facts.all(), rules.before(), docker.join()).build();
    }
  }

  /**
   * Runs {@code checks} of {@code matrix}; the pcap evidence of the cells that are not OK goes
   * under {@code evidenceDir} (null: none).
   */
  public static RunResult run(
      Matrix matrix,
      List<Check> checks,
      String file,
      Path evidenceDir,
      boolean acceptNewHostKeys,
      RunListener listener) {
    return run(matrix, checks, file, evidenceDir, acceptNewHostKeys, listener, Invocation::getenv);
  }

  /**
   * The same, reading the variables a {@code password-env} names (of an ssh node, of a check's
   * login) through {@code env}: a graded student's values over the process's environment.
   */
  public static RunResult run(
      Matrix matrix,
      List<Check> checks,
      String file,
      Path evidenceDir,
      boolean acceptNewHostKeys,
      RunListener listener,
      UnaryOperator<String> env) {
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    NodePlan plan = NodePlan.of(matrix, checks, acceptNewHostKeys);
    listener.connecting(plan.targets().size());
    ConnectOptions options = ConnectOptions.defaults().toBuilder().env(env).build();
    try (Connections nodes = Connections.open(plan.targets(), options)) {
      listener.phase("agents connected", t0);
      return new RunEngine(plan.runNodes(nodes), listener, evidenceDir, env)
          .run(matrix, checks, file, plan.reports(nodes), start);
    }
  }
}
