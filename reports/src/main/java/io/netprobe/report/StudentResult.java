package io.netprobe.report;

import io.netprobe.report.model.RunResult;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One student's graded lab: the finished run, or why it could not be run (the matrix did not load
 * with the student's values, or the run failed before any check). Exactly one of {@code run} and
 * {@code problem} is set.
 *
 * @param student the student's name, as their file names them ({@code alice} for {@code
 *     alice.env}): letters, digits, dot, dash and underscore, so it is safe as a directory name
 * @param run the finished run, or null
 * @param problem why there is no run, or null; it must hold no secret (the grade files print it)
 */
public record StudentResult(String student, RunResult run, String problem) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public StudentResult {
    Objects.requireNonNull(student, "student name");
    if (!NAME.matcher(student).matches()) {
      throw new IllegalArgumentException(
          "bad student name: '"
              + student
              + "' (use 1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit)");
    }
    if ((run == null) == (problem == null)) {
      throw new IllegalArgumentException(
          "student " + student + ": give either a run or a problem, not both or neither");
    }
  }

  public static StudentResult of(String student, RunResult run) {
    return new StudentResult(student, run, null);
  }

  public static StudentResult failed(String student, String problem) {
    return new StudentResult(student, null, problem);
  }

  public int earned() {
    return run == null ? 0 : run.pointsEarned();
  }
}
