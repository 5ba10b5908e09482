package io.netprobe.report.model;

/** A check's result against its expectation. */
public enum Outcome {
  /** The packets did what the matrix expects (reached, or failed as expected). */
  OK,
  /** The packets did something else than expected: a network fail, it costs points. */
  UNEXPECTED,
  /** The check could not be made (node unreachable, agent failed): never a network fail. */
  ERROR;

  /** True for outcomes that make a run's exit code non-zero. */
  public boolean isProblem() {
    return this != OK;
  }
}
