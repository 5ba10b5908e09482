package io.netprobe.cli.grade;

import io.netprobe.cli.error.UserException;
import io.netprobe.report.GradeSheet;
import io.netprobe.report.Grades;
import io.netprobe.report.StudentGrade;
import io.netprobe.report.model.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code grade --merge DIR...}: the {@code grades.json} of each shard's {@code --out} directory
 * read and joined ({@link GradeSheet#merge}: one matrix, one class, no student twice, no shard
 * missing), and each student's report directory copied into the merged {@code --out}, so that it
 * looks as one unsharded run would have left it.
 */
public final class ShardMerge {
  private ShardMerge() {}

  /**
   * The shards in {@code dirs} as one sheet, their students' directories copied under {@code out}.
   *
   * @throws UserException (bad invocation) naming the directory that does not fit, and why
   */
  public static GradeSheet merge(List<Path> dirs, Path out) {
    var sheets = new ArrayList<GradeSheet>();
    var names = new ArrayList<String>();
    for (Path dir : dirs) {
      Path json = dir.resolve(Grades.JSON_FILE);
      if (!Files.isRegularFile(json)) {
        throw new UserException(
            "--merge: "
                + dir
                + " has no "
                + Grades.JSON_FILE
                + ": give the --out directories of 'netprobe grade --shard I/N' runs",
            ExitCode.USAGE);
      }
      try {
        sheets.add(Grades.read(json));
      } catch (IllegalArgumentException e) {
        throw new UserException("--merge: " + e.getMessage(), ExitCode.USAGE);
      }
      names.add(dir.toString());
    }
    GradeSheet merged;
    try {
      merged = GradeSheet.merge(sheets, names);
    } catch (IllegalArgumentException e) {
      throw new UserException("--merge: " + e.getMessage(), ExitCode.USAGE);
    }
    for (int i = 0; i < dirs.size(); i++) {
      for (StudentGrade g : sheets.get(i).students()) {
        copyTree(dirs.get(i).resolve(g.student()), out.resolve(g.student()));
      }
    }
    return merged;
  }

  /** Copies a student's report directory, unless it is already where it goes. */
  private static void copyTree(Path from, Path to) {
    try {
      if (!Files.isDirectory(from) || (Files.exists(to) && Files.isSameFile(from, to))) {
        return;
      }
      try (Stream<Path> files = Files.walk(from)) {
        for (Path p : files.toList()) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy " + from + " to " + to, e);
    }
  }
}
