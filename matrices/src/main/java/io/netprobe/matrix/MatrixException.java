package io.netprobe.matrix;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A matrix file that cannot be run, with every problem found in it (not only the first), each as
 * {@code file:line:column: message}. Nothing of a matrix runs while any problem exists.
 */
public final class MatrixException extends Exception {
  private final transient List<Problem> problems;

  public MatrixException(List<Problem> problems) {
    super(describe(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a MatrixException needs at least one problem");
    }
    this.problems = problems.stream().sorted().toList();
  }

  /** The problems, in file order. */
  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    String lines =
        problems.stream().sorted().map(Problem::toString).collect(Collectors.joining("\n"));
    return problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n" + lines;
  }
}
