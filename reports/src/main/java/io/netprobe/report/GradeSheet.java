package io.netprobe.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The grades of a class, or of one shard of it: what {@code grades.json} holds. A shard knows the
 * whole class (its {@code roster}) and the matrix it graded (its SHA-256), so that merging can tell
 * a missing shard, a student graded twice and a shard of another matrix apart from a good merge.
 *
 * @param matrixFile the matrix file as given on the command line (for people)
 * @param matrixSha256 the SHA-256 of the matrix file's bytes, in hex
 * @param shardIndex this shard's number, 1-based, or null for a whole class
 * @param shardCount how many shards the class was split into, or null for a whole class
 * @param roster every student of the class, sorted: the shards' students together
 * @param students the students graded here, sorted by name
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"format"})
public record GradeSheet(
    String matrixFile,
    String matrixSha256,
    Integer shardIndex,
    Integer shardCount,
    List<String> roster,
    List<StudentGrade> students) {
  /** The format tag {@code grades.json} carries. */
  public static final String FORMAT = "netprobe-grades/1";

  public GradeSheet {
    roster = List.copyOf(roster);
    students = students.stream().sorted(Comparator.comparing(StudentGrade::student)).toList();
    if ((shardIndex == null) != (shardCount == null)) {
      throw new IllegalArgumentException("give both the shard's index and count, or neither");
    }
  }

  @com.fasterxml.jackson.annotation.JsonProperty("format")
  public String format() {
    return FORMAT;
  }

  /**
   * One sheet of {@code shards} (each read from {@code sources}, named in messages): the same
   * matrix, every student of the roster exactly once, and, where they are numbered shards, every
   * shard of 1..N once.
   *
   * @throws IllegalArgumentException saying which sources disagree and how
   */
  public static GradeSheet merge(List<GradeSheet> shards, List<String> sources) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge: give the shards' directories");
    }
    GradeSheet first = shards.get(0);
    for (int i = 1; i < shards.size(); i++) {
      GradeSheet s = shards.get(i);
      if (!s.matrixSha256().equals(first.matrixSha256())) {
        throw new IllegalArgumentException(
            sources.get(i)
                + " graded another matrix than "
                + sources.get(0)
                + " ("
                + s.matrixFile()
                + " sha256 "
                + s.matrixSha256().substring(0, 12)
                + "..., not "
                + first.matrixFile()
                + " sha256 "
                + first.matrixSha256().substring(0, 12)
                + "...): merge only the shards of one grading");
      }
      if (!s.roster().equals(first.roster())) {
        throw new IllegalArgumentException(
            sources.get(i)
                + " was graded from another class than "
                + sources.get(0)
                + " ("
                + s.roster().size()
                + " students, not "
                + first.roster().size()
                + "): grade every shard from the same --students directory");
      }
    }
    checkShards(shards, sources);
    Map<String, StudentGrade> all = new TreeMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    for (int i = 0; i < shards.size(); i++) {
      for (StudentGrade g : shards.get(i).students()) {
        if (all.putIfAbsent(g.student(), g) != null) {
          throw new IllegalArgumentException(
              "student "
                  + g.student()
                  + " is graded in both "
                  + from.get(g.student())
                  + " and "
                  + sources.get(i)
                  + ": the shards overlap (were they graded with the same --shard?)");
        }
        from.put(g.student(), sources.get(i));
      }
    }
    var missing = new ArrayList<>(first.roster());
    missing.removeAll(all.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          missing.size()
              + " of the class's "
              + first.roster().size()
              + " students are in no shard ("
              + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
              + (missing.size() > 5 ? ", ..." : "")
              + "): a shard is missing or failed");
    }
    return new GradeSheet(
        first.matrixFile(),
        first.matrixSha256(),
        null,
        null,
        first.roster(),
        List.copyOf(all.values()));
  }

  /** Numbered shards: all of one count, each number once, none missing. */
  private static void checkShards(List<GradeSheet> shards, List<String> sources) {
    Map<Integer, String> seen = new TreeMap<>();
    Integer count = shards.get(0).shardCount();
    for (int i = 0; i < shards.size(); i++) {
      GradeSheet s = shards.get(i);
      if (s.shardCount() == null) {
        if (shards.size() > 1) {
          throw new IllegalArgumentException(
              sources.get(i)
                  + " holds a whole class, not a shard: there is nothing to merge it with");
        }
        continue;
      }
      if (!s.shardCount().equals(count)) {
        throw new IllegalArgumentException(
            sources.get(i)
                + " is shard "
                + s.shardIndex()
                + "/"
                + s.shardCount()
                + ", but "
                + sources.get(0)
                + " is of "
                + count
                + " shards: merge the shards of one split");
      }
      String before = seen.put(s.shardIndex(), sources.get(i));
      if (before != null) {
        throw new IllegalArgumentException(
            "shard "
                + s.shardIndex()
                + "/"
                + count
                + " is given twice: "
                + before
                + " and "
                + sources.get(i));
      }
    }
    if (count != null && seen.size() != count) {
      var missing = new ArrayList<Integer>();
      for (int k = 1; k <= count; k++) {
        if (!seen.containsKey(k)) {
          missing.add(k);
        }
      }
      throw new IllegalArgumentException(
          "shard"
              + (missing.size() == 1 ? " " : "s ")
              + String.join(", ", missing.stream().map(k -> k + "/" + count).toList())
              + " missing: give the directories of all "
              + count
              + " shards");
    }
  }
}
