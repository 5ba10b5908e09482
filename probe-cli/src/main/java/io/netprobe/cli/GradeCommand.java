package io.netprobe.cli;

import io.netprobe.cli.error.UserException;
import io.netprobe.cli.grade.ClassGrading;
import io.netprobe.cli.grade.Shard;
import io.netprobe.cli.grade.ShardMerge;
import io.netprobe.cli.grade.StudentFiles;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.cli.run.MatrixRun;
import io.netprobe.cli.run.RunListener;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.Feedback;
import io.netprobe.report.GradeSheet;
import io.netprobe.report.Grades;
import io.netprobe.report.Options;
import io.netprobe.report.ReportFormat;
import io.netprobe.report.Reports;
import io.netprobe.report.StudentGrade;
import io.netprobe.report.StudentResult;
import io.netprobe.report.model.ExitCode;
import io.netprobe.report.model.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe grade MATRIX --students DIR}: one matrix, many students' labs. {@code DIR} holds
 * one {@code NAME.env} per student whose {@code KEY=VALUE} lines fill the matrix's {@code ${VAR}}
 * placeholders (each student's addresses, container names...). Students run {@code --parallel} at a
 * time (each run is parallel inside); each gets a report directory {@code OUT/NAME/} in every
 * format with a {@code feedback.md}, and the class gets {@code OUT/grades.csv}, {@code grades.md},
 * {@code grades-moodle.csv} and {@code grades.json}. {@code --shard I/N} grades one part of the
 * class; {@code grade --merge DIR...} joins the parts.
 */
@Command(
    addMethodSubcommands = false,
    name = "grade",
    mixinStandardHelpOptions = true,
    description = {
      "Run one matrix against many students' labs and write their grades.",
      "  netprobe grade MATRIX --students DIR [--parallel N] [--shard I/N] [--out DIR]",
      "  netprobe grade --merge DIR... [--out DIR]"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every student's lab was run and graded (whatever their scores)",
      "2:bad invocation or matrix, no NAME.env in the students' directory, or shards that do not"
          + " merge (nothing written)",
      "3:some student's lab could not be run (see the problem column of grades.csv)",
      "130:interrupted"
    })
public final class GradeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "MATRIX",
      description = "The matrix file (YAML).")
  Path file;

  @Option(
      names = "--students",
      paramLabel = "DIR",
      description = "A directory of NAME.env files, one per student (KEY=VALUE lines).")
  Path students;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      description =
          "Grade N students at once (1: one after another). Default: 4 per core, here "
              + "${DEFAULT-VALUE}.")
  int parallel = ClassGrading.defaultParallel();

  @Option(
      names = "--shard",
      paramLabel = "I/N",
      description =
          "Grade only shard I of N (1..N) of the students sorted by name: every N-th from the"
              + " I-th. '/N' takes I from JOB_COMPLETION_INDEX + 1 (a Kubernetes Indexed Job).")
  String shard;

  @Option(
      names = "--merge",
      arity = "1..*",
      paramLabel = "DIR",
      description =
          "Join the --out directories of shards into one (--out): grades files and students'"
              + " report directories. Refuses shards of different matrices or classes,"
              + " overlapping students and missing shards.")
  List<Path> merge;

  @Mixin ReportOptions output = new ReportOptions(Path.of("grades"));

  @Override
  public Integer call() {
    if (merge != null) {
      return merge();
    }
    if (file == null || students == null) {
      throw new UserException(
          "give the matrix and the students' directory (netprobe grade MATRIX --students DIR),"
              + " or the shards to join (netprobe grade --merge DIR...)",
          ExitCode.USAGE);
    }
    if (parallel < 1 || parallel > ClassGrading.MAX_PARALLEL) {
      throw new UserException(
          "--parallel "
              + parallel
              + ": give 1 to "
              + ClassGrading.MAX_PARALLEL
              + " students at once (1: one after another)",
          ExitCode.USAGE);
    }
    String text = readMatrix(file);
    Map<String, Path> all = StudentFiles.envFiles(students);
    Shard part = shard == null ? null : Shard.parse(shard, Invocation.env());
    Map<String, Path> mine = new LinkedHashMap<>();
    (part == null ? List.copyOf(all.keySet()) : part.pick(List.copyOf(all.keySet())))
        .forEach(name -> mine.put(name, all.get(name)));
    PrintWriter stderr = spec.commandLine().getErr();
    stderr.printf(
        "grading %d %s%s, %d at a time%n",
        mine.size(),
        mine.size() == 1 ? "student" : "students",
        part == null ? "" : " of " + all.size() + " (shard " + part + ")",
        Math.min(parallel, Math.max(1, mine.size())));
    stderr.flush();
    List<StudentGrade> grades =
        ClassGrading.run(mine, parallel, (name, env) -> grade(name, env, text), stderr);
    GradeSheet sheet =
        new GradeSheet(
            file.toString(),
            io.netprobe.agent.text.Sha256.hex(text),
            part == null ? null : part.index(),
            part == null ? null : part.count(),
            List.copyOf(all.keySet()),
            grades);
    return written(sheet, Grades.write(sheet, output.out));
  }

  /** {@code --merge}: the shards' sheets joined, their students' directories brought together. */
  private int merge() {
    if (file != null || students != null || shard != null) {
      throw new UserException(
          "--merge joins shards already graded: give it their --out directories only, without"
              + " MATRIX, --students or --shard",
          ExitCode.USAGE);
    }
    GradeSheet merged = ShardMerge.merge(merge, output.out);
    return written(merged, Grades.write(merged, output.out));
  }

  /** A line per student on stdout, the files written; the exit code. */
  private int written(GradeSheet sheet, List<Path> files) {
    PrintWriter stdout = spec.commandLine().getOut();
    for (StudentGrade g : sheet.students()) {
      stdout.println(
          g.student()
              + ": "
              + (g.wasRun()
                  ? g.earned() + "/" + g.possible() + " points"
                  : "not run: " + g.problem()));
    }
    stdout.println("Grades: " + String.join(", ", files.stream().map(Path::toString).toList()));
    stdout.flush();
    return sheet.students().stream().anyMatch(g -> !g.wasRun())
        ? ExitCode.ERROR.code()
        : ExitCode.OK.code();
  }

  /**
   * One student: load the matrix with their values, run it, write their reports and feedback.
   * Whatever goes wrong is their grade's problem, never an exception: the class goes on.
   */
  private StudentGrade grade(String name, Path envFile, String matrixText) {
    Path dir = output.out.resolve(name);
    Map<String, String> values;
    Matrix matrix;
    try {
      values = StudentFiles.readEnv(envFile);
      var env = new HashMap<>(Invocation.env());
      env.putAll(values);
      matrix = MatrixLoader.load(matrixText, file.toString(), env);
    } catch (MatrixException | UserException e) {
      return notRun(name, null, null, e.getMessage().replace('\n', ' '), dir);
    }
    String moodleId = values.get(StudentFiles.MOODLE_ID);
    String email = values.get(StudentFiles.EMAIL);
    try {
      RunResult run =
          MatrixRun.run(
              matrix,
              matrix.checks(),
              file.toString(),
              dir,
              output.acceptNewHostKeys,
              RunListener.NONE,
              variable -> values.getOrDefault(variable, Invocation.getenv(variable)));
      Reports.write(
          run,
          EnumSet.allOf(ReportFormat.class),
          dir,
          output.student ? Options.STUDENT : Options.INSTRUCTOR);
      Files.writeString(dir.resolve(Feedback.FILE), Feedback.markdown(name, run));
      return StudentGrade.of(StudentResult.of(name, run), moodleId, email);
    } catch (IOException | RuntimeException e) {
      return notRun(name, moodleId, email, "the run failed: " + e.getMessage(), dir);
    }
  }

  private static StudentGrade notRun(
      String name, String moodleId, String email, String problem, Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(Feedback.FILE), Feedback.notRun(name, problem));
    } catch (IOException e) {
      problem += " (and its feedback.md could not be written: " + e.getMessage() + ")";
    }
    return StudentGrade.of(StudentResult.failed(name, problem), moodleId, email);
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
