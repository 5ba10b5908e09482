package io.netprobe.cli.grade;

import io.netprobe.cli.error.UserException;
import io.netprobe.report.model.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One part of a class split across machines ({@code --shard I/N}): shard {@code index} of {@code
 * count}, numbered from 1 as GitLab's {@code CI_NODE_INDEX} is. Shard I takes the students at
 * positions I, I+N, I+2N... of the sorted class (round robin: the shards differ by one student at
 * most, and a run of broken labs that sorts together is spread over all of them).
 *
 * @param index this shard's number, 1..count
 * @param count how many shards, 1..1000
 */
public record Shard(int index, int count) {
  /** The variable a Kubernetes Indexed Job sets in each pod: its index, from 0. */
  public static final String K8S_INDEX = "JOB_COMPLETION_INDEX";

  private static final Pattern SPEC = Pattern.compile("\\s*(\\d*)\\s*/\\s*(\\d+)\\s*");

  public Shard {
    if (count < 1 || count > 1000 || index < 1 || index > count) {
      throw new IllegalArgumentException(
          "shard " + index + "/" + count + ": the index goes from 1 to the count (1..1000)");
    }
  }

  /**
   * {@code I/N}, or {@code /N} with the index from {@code JOB_COMPLETION_INDEX} in {@code env}
   * (0-based there, so pod 0 grades shard 1).
   *
   * @throws UserException saying what would be valid
   */
  public static Shard parse(String spec, Map<String, String> env) {
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      throw usage(
          "--shard '"
              + spec
              + "': expected I/N (e.g. 2/4: the second of four shards, counted from 1), or /N with"
              + " the index taken from "
              + K8S_INDEX);
    }
    int count = Integer.parseInt(m.group(2));
    int index;
    if (m.group(1).isEmpty()) {
      String k8s = env.get(K8S_INDEX);
      if (k8s == null || !k8s.strip().matches("\\d{1,4}")) {
        throw usage(
            "--shard /"
                + count
                + ": "
                + K8S_INDEX
                + (k8s == null ? " is not set" : " is '" + k8s + "', not a number")
                + "; a Kubernetes Indexed Job sets it in each pod, else give the index: --shard"
                + " I/"
                + count);
      }
      index = Integer.parseInt(k8s.strip()) + 1;
    } else {
      index = Integer.parseInt(m.group(1));
    }
    if (count < 1 || count > 1000 || index < 1 || index > count) {
      throw usage(
          "--shard "
              + spec.strip()
              + (m.group(1).isEmpty() ? " (" + K8S_INDEX + "=" + env.get(K8S_INDEX) + ")" : "")
              + ": shard "
              + index
              + " of "
              + count
              + " does not exist; the index goes from 1 to the count (1..1000)");
    }
    return new Shard(index, count);
  }

  /** This shard's part of {@code sorted}: every count-th name from the index-th. */
  public <T> List<T> pick(List<T> sorted) {
    var mine = new ArrayList<T>();
    for (int i = index - 1; i < sorted.size(); i += count) {
      mine.add(sorted.get(i));
    }
    return mine;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }

  private static UserException usage(String message) {
    return new UserException(message, ExitCode.USAGE);
  }
}
