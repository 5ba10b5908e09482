package io.netprobe.cli.grade;

import io.netprobe.cli.error.UserException;
import io.netprobe.report.StudentResult;
import io.netprobe.report.model.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The students' directory: one {@code NAME.env} per student, {@code KEY=VALUE} lines that fill the
 * matrix's {@code ${VAR}}s. Two keys also name the student in the gradebook: {@code MOODLE_ID} and
 * {@code EMAIL} ({@link #MOODLE_ID}, {@link #EMAIL}); no other value leaves the run.
 */
public final class StudentFiles {
  /** The student's identifier in Moodle (a username or ID number), for the Moodle CSV. */
  public static final String MOODLE_ID = "MOODLE_ID";

  /** The student's email address, for the Moodle CSV. */
  public static final String EMAIL = "EMAIL";

  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private StudentFiles() {}

  /**
   * The students' env files by student name, sorted by name (the order of every grades file, and
   * what {@code --shard} splits); none is a bad invocation.
   */
  public static Map<String, Path> envFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserException(
          "--students: " + dir + " is not a directory (give one holding a NAME.env per student)",
          ExitCode.USAGE);
    }
    var files = new TreeMap<String, Path>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
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
    return new LinkedHashMap<>(files);
  }

  /**
   * A student's values: {@code KEY=VALUE} per line, blank lines and {@code #} comments skipped, an
   * optional {@code export } prefix, the value optionally in matching quotes. A bad line is named
   * by its number only: the line may hold a password.
   */
  public static Map<String, String> readEnv(Path envFile) {
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
}
