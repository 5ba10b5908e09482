package io.netprobe.cli;

import io.netprobe.cli.error.UserException;
import io.netprobe.cli.run.MatrixRun;
import io.netprobe.cli.run.RunListener;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.Grades;
import io.netprobe.report.Options;
import io.netprobe.report.ReportFormat;
import io.netprobe.report.Reports;
import io.netprobe.report.StudentResult;
import io.netprobe.report.model.ExitCode;
import io.netprobe.report.model.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe grade MATRIX --students DIR}: one matrix, many students' labs. {@code DIR} holds
 * one {@code NAME.env} per student whose {@code KEY=VALUE} lines fill the matrix's {@code ${VAR}}
 * placeholders (each student's addresses, container names...). Students run one after another (each
 * run is parallel inside); each gets a report directory {@code OUT/NAME/} in every format, and the
 * class gets {@code OUT/grades.csv} and {@code OUT/grades.md}.
 */
@Command(
    name = "grade",
    mixinStandardHelpOptions = true,
    description = "Run one matrix against many students' labs and write their grades.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every student's lab was run and graded (whatever their scores)",
      "2:bad invocation or matrix, or no NAME.env in the students' directory (nothing ran)",
      "3:some student's lab could not be run (see the problem column of grades.csv)",
      "130:interrupted"
    })
public final class GradeCommand implements Callable<Integer> {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MATRIX", description = "The matrix file (YAML).")
  Path file;

  @Option(
      names = "--students",
      required = true,
      paramLabel = "DIR",
      description = "A directory of NAME.env files, one per student (KEY=VALUE lines).")
  Path students;

  @Mixin ReportOptions output = new ReportOptions(Path.of("grades"));

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    String text = readMatrix(file);
    Map<String, Path> envFiles = envFiles(students);
    var results = new ArrayList<StudentResult>();
    int i = 0;
    for (var student : envFiles.entrySet()) {
      stderr.printf("grading %s (%d of %d)%n", student.getKey(), ++i, envFiles.size());
      stderr.flush();
      results.add(grade(student.getKey(), student.getValue(), text));
    }
    List<Path> written = Grades.write(results, output.out);
    for (StudentResult r : results) {
      stdout.println(
          r.student()
              + ": "
              + (r.run() == null
                  ? "not run: " + r.problem()
                  : r.run().pointsEarned() + "/" + r.run().pointsPossible() + " points"));
    }
    stdout.println("Grades: " + String.join(", ", written.stream().map(Path::toString).toList()));
    stdout.flush();
    return results.stream().anyMatch(r -> r.run() == null)
        ? ExitCode.ERROR.code()
        : ExitCode.OK.code();
  }

  /** One student: load the matrix with their values, run it, write their reports. */
  private StudentResult grade(String name, Path envFile, String matrixText) {
    Matrix matrix;
    try {
      var env = new HashMap<>(System.getenv());
      env.putAll(readEnv(envFile));
      matrix = MatrixLoader.load(matrixText, file.toString(), env);
    } catch (MatrixException | UserException e) {
      return StudentResult.failed(name, e.getMessage().replace('\n', ' '));
    }
    Path dir = output.out.resolve(name);
    try {
      RunResult run =
          MatrixRun.run(
              matrix,
              matrix.checks(),
              file.toString(),
              dir,
              output.acceptNewHostKeys,
              RunListener.NONE);
      Reports.write(
          run,
          EnumSet.allOf(ReportFormat.class),
          dir,
          output.student ? Options.STUDENT : Options.INSTRUCTOR);
      return StudentResult.of(name, run);
    } catch (RuntimeException e) {
      return StudentResult.failed(name, "the run failed: " + e.getMessage());
    }
  }

  /**
   * A student's values: {@code KEY=VALUE} per line, blank lines and {@code #} comments skipped, an
   * optional {@code export } prefix, the value optionally in matching quotes. A bad line is named
   * by its number only: the line may hold a password.
   */
  static Map<String, String> readEnv(Path envFile) {
    List<String> lines;
    try {
      lines = Files.readAllLines(envFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException(
          "cannot read " + envFile + " (" + e.getMessage() + "); check it is a UTF-8 text file",
          ExitCode.USAGE);
    }
    var env = new LinkedHashMap<String, String>();
    for (int n = 0; n < lines.size(); n++) {
      var line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      line = line.startsWith("export ") ? line.substring(7).strip() : line;
      int eq = line.indexOf('=');
      var key = eq < 0 ? "" : line.substring(0, eq).strip();
      if (!KEY.matcher(key).matches()) {
        throw new UserException(
            envFile.getFileName()
                + " line "
                + (n + 1)
                + ": expected KEY=VALUE, KEY made of letters, digits and '_' (e.g. VM_IP=10.1.5.91)",
            ExitCode.USAGE);
      }
      env.put(key, unquote(line.substring(eq + 1).strip()));
    }
    return env;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  /** The students' env files by student name, sorted; none is a bad invocation. */
  static Map<String, Path> envFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserException(
          "--students: " + dir + " is not a directory (give one holding a NAME.env per student)",
          ExitCode.USAGE);
    }
    var files = new LinkedHashMap<String, Path>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.sorted().toList()) {
        var fileName = p.getFileName().toString();
        if (fileName.endsWith(".env") && Files.isRegularFile(p)) {
          var name = fileName.substring(0, fileName.length() - ".env".length());
          try {
            StudentResult.failed(name, "-"); // validates the name
          } catch (IllegalArgumentException e) {
            throw new UserException(
                "--students: " + fileName + ": " + e.getMessage(), ExitCode.USAGE);
          }
          files.put(name, p);
        }
      }
    } catch (IOException e) {
      throw new UserException(
          "--students: cannot list " + dir + ": " + e.getMessage(), ExitCode.USAGE);
    }
    if (files.isEmpty()) {
      throw new UserException(
          "--students: no NAME.env file in "
              + dir
              + " (write one per student, e.g. alice.env with lines like VM_IP=10.1.5.91)",
          ExitCode.USAGE);
    }
    return files;
  }

  private static String readMatrix(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException(
          "cannot read the matrix " + file + " (" + e.getMessage() + "); check the path",
          ExitCode.USAGE);
    }
  }
}
