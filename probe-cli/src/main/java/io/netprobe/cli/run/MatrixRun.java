package io.netprobe.cli.run;

import io.netprobe.cli.connect.ConnectOptions;
import io.netprobe.cli.connect.Connections;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.report.model.RunResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One run of a loaded matrix, in-process: plan the nodes, connect them all at once, run the engine,
 * close every agent. What {@code netprobe run}, {@code demo}, {@code check} and {@code grade}
 * share.
 */
public final class MatrixRun {
  private MatrixRun() {}

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
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    NodePlan plan = NodePlan.of(matrix, checks, acceptNewHostKeys);
    listener.connecting(plan.targets().size());
    try (Connections nodes = Connections.open(plan.targets(), ConnectOptions.defaults())) {
      listener.phase("agents connected", t0);
      return new RunEngine(plan.runNodes(nodes), listener, evidenceDir)
          .run(matrix, checks, file, plan.reports(nodes), start);
    }
  }
}
