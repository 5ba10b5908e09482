package io.netprobe.report;

import io.netprobe.report.StudentGrade.CheckGrade;
import io.netprobe.report.model.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code grades-moodle.csv}: the class's scores as Moodle's "Import grades from CSV" reads them
 * (Grades > Import > CSV file). One row per student, comma separated, UTF-8, a header row:
 *
 * <ul>
 *   <li>{@code moodle_id}: the student's {@code MOODLE_ID} from their {@code .env} file, else the
 *       file's name ({@code alice} for {@code alice.env}); map it to "username" or "ID number",
 *       whichever the values are;
 *   <li>{@code email}: the student's {@code EMAIL}, or empty; map it to "Email address" when every
 *       student has one;
 *   <li>the score, headed by the matrix's name: the points earned as a number; empty for a student
 *       whose lab could not be run (a grade of 0 would read as a network that failed);
 *   <li>{@code feedback}: one line, the score and the checks not as expected; map it to the grade
 *       item's feedback.
 * </ul>
 *
 * The student's name is not a column: Moodle matches users by the identifier alone.
 */
final class MoodleCsv {
  private MoodleCsv() {}

  static String render(List<StudentGrade> students) {
    String item =
        students.stream()
            .filter(StudentGrade::wasRun)
            .map(StudentGrade::matrixName)
            .findFirst()
            .orElse("netprobe");
    var columns = GradeColumns.of(students);
    var out = new StringBuilder();
    Grades.row(out, List.of("moodle_id", "email", item, "feedback"));
    for (StudentGrade s : students) {
      Grades.row(
          out,
          List.of(
              s.moodleId() == null ? s.student() : s.moodleId(),
              s.email() == null ? "" : s.email(),
              s.wasRun() ? String.valueOf(s.earned()) : "",
              feedback(s, Grades.possible(s, columns))));
    }
    return out.toString();
  }

  /** "4/6 points. Not as expected: the VM answers ping (0/2). See feedback.md for each check." */
  static String feedback(StudentGrade s, int possible) {
    if (!s.wasRun()) {
      return "Not graded: your lab could not be checked (" + s.problem() + ").";
    }
    var missed = new ArrayList<String>();
    for (CheckGrade c : s.checks()) {
      if (c.outcome() != Outcome.OK) {
        missed.add(
            c.title()
                + (c.outcome() == Outcome.ERROR
                    ? " (could not be checked)"
                    : " (0/" + c.points() + ")"));
      }
    }
    return s.earned()
        + "/"
        + possible
        + " points."
        + (missed.isEmpty()
            ? " Every check as expected."
            : " Not as expected: " + String.join("; ", missed) + ".")
        + " Each check is explained in your feedback file (feedback.md).";
  }
}
