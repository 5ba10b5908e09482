package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import java.util.List;
import java.util.Objects;

/**
 * One student's line of the class's grades, as plain data: what {@code grades.csv}, {@code
 * grades.md} and the Moodle CSV print, and what a shard's {@code grades.json} keeps so that {@code
 * grade --merge} renders the same files from shards as one run would. No secret is in it: names,
 * identifiers the student's file gives for the gradebook, titles, points and outcomes.
 *
 * @param student the student's name ({@link StudentResult#student()})
 * @param moodleId the value of the gradebook's user field from the student's {@code MOODLE_ID}, or
 *     null (then the Moodle CSV uses {@code student})
 * @param email the student's {@code EMAIL}, or null
 * @param matrixName the matrix's name as the student's run loaded it, or null when not run
 * @param earned the points earned (0 when not run)
 * @param possible the points possible of the student's run, or null when not run (then the matrix's
 *     points, as the other students' runs know them)
 * @param ok the checks as expected, or null when not run
 * @param unexpected the checks not as expected, or null when not run
 * @param error the checks that could not be made, or null when not run
 * @param problem why the lab was not run, or null
 * @param checks each check's outcome, in the run's order (empty when not run)
 */
public record StudentGrade(
    String student,
    String moodleId,
    String email,
    String matrixName,
    int earned,
    Integer possible,
    Integer ok,
    Integer unexpected,
    Integer error,
    String problem,
    List<CheckGrade> checks) {

  /** One check of a student's run: enough to count it and to head its column. */
  public record CheckGrade(String id, String title, int points, Outcome outcome) {
    public CheckGrade {
      Objects.requireNonNull(id, "check id");
      Objects.requireNonNull(outcome, "outcome (check " + id + ")");
    }
  }

  public StudentGrade {
    new StudentResult(student, null, "-"); // the same rule for names, the same message
    if ((matrixName == null) == (problem == null)) {
      throw new IllegalArgumentException(
          "student " + student + ": give either a run's matrix name or a problem, not both");
    }
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  /** A student's result with the identifiers their file gives (each may be null). */
  public static StudentGrade of(StudentResult r, String moodleId, String email) {
    if (r.run() == null) {
      return new StudentGrade(
          r.student(), moodleId, email, null, 0, null, null, null, null, r.problem(), List.of());
    }
    var run = r.run();
    return new StudentGrade(
        r.student(),
        moodleId,
        email,
        run.matrixName(),
        run.pointsEarned(),
        run.pointsPossible(),
        (int) run.count(Outcome.OK),
        (int) run.count(Outcome.UNEXPECTED),
        (int) run.count(Outcome.ERROR),
        null,
        run.checks().stream().map(StudentGrade::check).toList());
  }

  public static StudentGrade of(StudentResult r) {
    return of(r, null, null);
  }

  private static CheckGrade check(CheckResult c) {
    return new CheckGrade(c.id(), c.title(), c.points(), c.outcome());
  }

  public boolean wasRun() {
    return problem == null;
  }

  /** How many checks had {@code outcome} (0 when not run). */
  public int count(Outcome outcome) {
    Integer n =
        switch (outcome) {
          case OK -> ok;
          case UNEXPECTED -> unexpected;
          case ERROR -> error;
        };
    return n == null ? 0 : n;
  }

  /** The student's result of check {@code id}, or null. */
  public CheckGrade check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }
}
