package io.netprobe.cli.grade;

import io.netprobe.report.StudentGrade;
import io.netprobe.report.StudentResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Grades a class, {@code parallel} students at a time: each student's lab is one whole run (its own
 * agents, captures and report directory), so students only share what runs share anyway (the JVM,
 * and namespaces two students probe from: their flow marks differ, see {@code RunEngine}). A line
 * on stderr as each finishes; the grades come back in the students' order, whatever order they
 * finished in.
 */
public final class ClassGrading {
  /** The most students at once: beyond it the agents' threads, not the probes, fill the CPU. */
  public static final int MAX_PARALLEL = 64;

  /** One student's grading: load their matrix, run it, write their reports; never throws. */
  @FunctionalInterface
  public interface Grader {
    StudentGrade grade(String student, Path envFile);
  }

  private ClassGrading() {}

  /**
   * Students at once when {@code --parallel} is not given: four per core. A student's run mostly
   * waits for probe timeouts, so a core serves several; measured in bench/README.md.
   */
  public static int defaultParallel() {
    return Math.min(MAX_PARALLEL, 4 * Runtime.getRuntime().availableProcessors());
  }

  /** Grades {@code students} (name to env file, in order) with at most {@code parallel} at once. */
  public static List<StudentGrade> run(
      Map<String, Path> students, int parallel, Grader grader, PrintWriter progress) {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(parallel, students.size())),
            r -> {
              Thread t = new Thread(r, "np-grade-" + threads.incrementAndGet());
              t.setDaemon(true); // Ctrl-C: the shutdown hooks close the agents, nothing waits
              return t;
            });
    AtomicInteger done = new AtomicInteger();
    int total = students.size();
    try {
      var futures = new ArrayList<CompletableFuture<StudentGrade>>();
      students.forEach(
          (name, file) ->
              futures.add(
                  CompletableFuture.supplyAsync(() -> safely(grader, name, file), pool)
                      .thenApply(g -> reported(g, done.incrementAndGet(), total, progress))));
      return futures.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdownNow();
    }
  }

  private static StudentGrade safely(Grader grader, String name, Path file) {
    try {
      return grader.grade(name, file);
    } catch (RuntimeException e) {
      return StudentGrade.of(
          StudentResult.failed(name, "the run failed: " + e.getClass().getSimpleName()));
    }
  }

  /** "graded alice (3 of 40): 5/6 points", one whole line at a time. */
  private static StudentGrade reported(StudentGrade g, int n, int total, PrintWriter progress) {
    String what =
        g.wasRun() ? g.earned() + "/" + g.possible() + " points" : "not run: " + g.problem();
    synchronized (progress) {
      progress.printf("graded %s (%d of %d): %s%n", g.student(), n, total, what);
      progress.flush();
    }
    return g;
  }
}
