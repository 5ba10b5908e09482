package io.netprobe.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mutated matrices (the lab files and the test base, cut, spliced, retyped): the
 * loader gives a matrix or a MatrixException with located problems, never another exception and
 * never a hang. Seeded, so a failure repeats; the seed and the input are in the message.
 */
class MatrixFuzzTest {
  private static final long SEED = 20261122L;
  private static final int ROUNDS = 3000;
  private static final String[] TOKENS = {
    ":",
    " ",
    "-",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\n",
    "\t",
    "\"",
    "'",
    "&a ",
    "*a",
    "!!str ",
    "<<: ",
    "#",
    "|",
    ">",
    "?",
    "${",
    "${X}",
    "${X:-1.2.3.4}",
    "}",
    "0",
    "65536",
    "-1",
    "1.5",
    "null",
    "~",
    "true",
    "icmp",
    "tcp:",
    "ssh",
    "pc",
    "vm.nat",
    ".",
    "127.0.0.1:",
    "::",
    "\u00e9",
    "password: x",
    "kind: ",
    "nodes:",
    "checks:",
    "meshes:",
    "overrides:",
    "skip: true",
    "expect: refused",
    "from: [",
    "to: ",
    "10.0.2.15",
    "port-map: {",
    "default-address: x",
  };

  @Test
  void mutatedMatricesGiveOnlyCleanProblems() throws IOException {
    List<String> seeds = seeds();
    Random random = new Random(SEED);
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          int loaded = 0;
          for (int round = 0; round < ROUNDS; round++) {
            String input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            loaded += loadsCleanly(input, round) ? 1 : 0;
          }
          assertThat(loaded).as("some mutants are still valid matrices").isPositive();
        });
  }

  private static boolean loadsCleanly(String input, int round) {
    try {
      MatrixLoader.load(input, "fuzz.yaml", Map.of("X", "10.9.8.7"));
      return true;
    } catch (MatrixException e) {
      // Plain checks: thousands of AssertJ assertions would cost more than the loads.
      boolean located =
          e.problems().stream().allMatch(p -> p.location().file().equals("fuzz.yaml"));
      if (e.problems().isEmpty() || !located || e.getMessage().contains("hunter2")) {
        fail("round " + round + ": bad problems " + e.problems() + " for input:\n" + input);
      }
      return false;
    } catch (RuntimeException | StackOverflowError e) {
      fail("round " + round + " (seed " + SEED + ") escaped " + e + " for input:\n" + input, e);
      return false;
    }
  }

  private static List<String> seeds() throws IOException {
    List<String> seeds = new ArrayList<>();
    // The small base packs every feature into few lines: most rounds mutate it.
    for (int i = 0; i < 8; i++) {
      seeds.add(Yamls.BASE);
    }
    try (Stream<Path> files = Files.list(Path.of("labs"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        seeds.add(Files.readString(p));
      }
    }
    return seeds;
  }

  /** One to four edits: delete, duplicate, swap or re-indent lines, insert or cut characters. */
  static String mutate(String text, Random random) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && !lines.isEmpty(); i++) {
      int at = random.nextInt(lines.size());
      String line = lines.get(at);
      switch (random.nextInt(7)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, lines.get(random.nextInt(lines.size())));
        case 2 -> lines.set(at, " ".repeat(random.nextInt(6)) + line.stripLeading());
        case 3 -> lines.set(at, insert(line, TOKENS[random.nextInt(TOKENS.length)], random));
        case 4 -> lines.set(at, cut(line, random));
        case 5 -> lines.set(at, line.replace("password-env: LAB_PASSWORD", "password: hunter2"));
        default -> {
          int other = random.nextInt(lines.size());
          lines.set(at, lines.get(other));
          lines.set(other, line);
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  private static String insert(String line, String token, Random random) {
    int at = line.isEmpty() ? 0 : random.nextInt(line.length() + 1);
    return line.substring(0, at) + token + line.substring(at);
  }

  private static String cut(String line, Random random) {
    if (line.length() < 2) {
      return "";
    }
    int from = random.nextInt(line.length() - 1);
    int to = from + 1 + random.nextInt(Math.min(8, line.length() - from - 1) + 1);
    return line.substring(0, from) + line.substring(Math.min(to, line.length()));
  }
}
