package io.netprobe.agent.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The threads of this JVM as the kernel sees them: each one's name and network namespace. */
public final class JvmThreads {
  /** A thread's name (as the kernel keeps it, 15 characters at most) and its {@code net:[N]}. */
  public record Seen(String name, String net) {}

  private JvmThreads() {}

  public static List<Seen> all() throws IOException {
    List<Seen> seen = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          seen.add(
              new Seen(
                  Files.readString(task.resolve("comm")).strip(),
                  Files.readSymbolicLink(task.resolve("ns/net")).toString()));
        } catch (IOException e) {
          // a thread that ended meanwhile
        }
      }
    }
    return seen;
  }

  /** The network namespaces of the threads whose name starts with {@code prefix}. */
  public static List<String> namespacesOf(String prefix) throws IOException {
    return all().stream().filter(t -> t.name().startsWith(prefix)).map(Seen::net).toList();
  }

  /**
   * The nice values of the threads whose name starts with {@code prefix}, from {@code
   * /proc/self/task/N/stat} (a nice value is a thread's own on Linux).
   */
  public static List<Integer> nicesOf(String prefix) throws IOException {
    List<Integer> out = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          if (Files.readString(task.resolve("comm")).strip().startsWith(prefix)) {
            out.add(niceIn(Files.readString(task.resolve("stat"))));
          }
        } catch (IOException e) {
          // a thread that ended meanwhile
        }
      }
    }
    return out;
  }

  /** This process's nice value (its main thread's). */
  public static int ownNice() throws IOException {
    return niceIn(Files.readString(Path.of("/proc/self/stat")));
  }

  /** The nice field of a stat line: the 17th after the command's closing parenthesis. */
  private static int niceIn(String stat) {
    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
  }

  /** This process's own network namespace, {@code net:[N]}. */
  public static String own() throws IOException {
    return Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
  }
}
