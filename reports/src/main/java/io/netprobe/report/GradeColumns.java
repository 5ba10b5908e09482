package io.netprobe.report;

import io.netprobe.report.StudentGrade.CheckGrade;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns of the class's grades: one per check of the matrix. A check is found in each
 * student's run by its id; where the student's own values are part of the id (a fact's route or
 * address, a literal target: {@code pc route 10.245.3.64/26 via 10.245.3.62}), by its place in the
 * run and its title, and the column is then headed by the title, which every student shares.
 */
final class GradeColumns {
  /** A column: the ids it holds (one, or one per student), its title, points and place. */
  static final class Column {
    private final Set<String> ids = new LinkedHashSet<>();
    private final String title;
    private final int points;
    private final int position;

    private Column(CheckGrade first, int position) {
      ids.add(first.id());
      this.title = first.title();
      this.points = first.points();
      this.position = position;
    }

    /** The check's id, or its title where the id differs from student to student. */
    String header() {
      return ids.size() == 1 ? ids.iterator().next() : title;
    }

    String title() {
      return title;
    }

    int points() {
      return points;
    }

    /** The student's result of this column's check, or null. */
    CheckGrade cell(StudentGrade s) {
      return s.checks().stream().filter(c -> ids.contains(c.id())).findFirst().orElse(null);
    }
  }

  private GradeColumns() {}

  /** Every check of every student's run, in the order first seen. */
  static List<Column> of(List<StudentGrade> students) {
    var columns = new ArrayList<Column>();
    for (StudentGrade s : students) {
      var taken = new ArrayList<Column>();
      for (int i = 0; i < s.checks().size(); i++) {
        CheckGrade c = s.checks().get(i);
        Column column = find(columns, taken, c, i);
        if (column == null) {
          column = new Column(c, i);
          columns.add(column);
        }
        column.ids.add(c.id());
        taken.add(column);
      }
    }
    return columns;
  }

  private static Column find(List<Column> columns, List<Column> taken, CheckGrade c, int i) {
    for (Column column : columns) {
      if (column.ids.contains(c.id())) {
        return column;
      }
    }
    for (Column column : columns) {
      if (column.position == i && column.title.equals(c.title()) && !taken.contains(column)) {
        return column;
      }
    }
    return null;
  }
}
