package io.netprobe.cli.run;

import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.RunResult;

/** Runs a matrix against the demo lab in-process, as `netprobe run` does, for lab tests. */
final class LabRun {
  private LabRun() {}

  static RunResult run(String yaml) throws Exception {
    return run(yaml, RunListener.NONE);
  }

  static RunResult run(String yaml, RunListener listener) throws Exception {
    Matrix m = MatrixLoader.load(yaml, "lab-test.yaml");
    return MatrixRun.run(m, m.checks(), "lab-test.yaml", null, false, listener);
  }

  /** The matrix {@code head} (name, defaults, nodes, up to {@code checks:}) with these checks. */
  static RunResult run(String head, String... checks) throws Exception {
    StringBuilder m = new StringBuilder(head);
    for (String c : checks) {
      m.append("  - ").append(c).append('\n');
    }
    return run(m.toString());
  }

  static CheckResult cell(RunResult run, String id) {
    return run.checks().stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in the run"));
  }

  /** Every word a cell says: reason, hint and evidence, for assertions. */
  static String said(CheckResult c) {
    StringBuilder s = new StringBuilder(c.verdict().reason()).append('\n');
    s.append(c.verdict().hint()).append('\n');
    c.verdict().evidence().forEach(e -> s.append(e).append('\n'));
    return s.toString();
  }
}
