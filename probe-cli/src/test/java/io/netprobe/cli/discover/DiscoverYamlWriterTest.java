package io.netprobe.cli.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.matrix.Check;
import io.netprobe.matrix.Expectation;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.matrix.NodeKind;
import io.netprobe.matrix.PathKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The written matrix loads as `netprobe run` loads it, says the same as the plan, and carries each
 * check's rule as a comment. The demo lab's matrix is pinned in {@code golden/discover-docker.yaml}
 * (regenerate with {@code -Dgolden.update=true} and review the diff).
 */
class DiscoverYamlWriterTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/discover-docker.yaml");

  private static MatrixPlan demo() {
    return DockerRules.plan(
        DiscoverSamples.demoLab(),
        Optional.of(DockerRules.Internet.parse("203.0.113.10")),
        "Docker on this host (--name-prefix np-)",
        "The demo lab's containers.");
  }

  private static String yaml(MatrixPlan plan) {
    return MatrixYamlWriter.write(plan, List.of("Written by a test.", ""));
  }

  @Test
  void theWrittenMatrixLoadsWithEveryCheckOfThePlan() throws Exception {
    MatrixPlan plan = demo();
    Matrix m = MatrixLoader.load(yaml(plan), "discovered.yaml", Map.of());
    assertThat(m.name()).isEqualTo("Docker on this host (--name-prefix np-)");
    assertThat(m.checks())
        .extracting(Check::id)
        .containsExactlyElementsOf(plan.checks().stream().map(MatrixPlan.Check::id).toList());
    for (MatrixPlan.Check c : plan.checks()) {
      Check loaded = m.check(c.id()).orElseThrow();
      assertThat(loaded.expect()).as(c.id()).isEqualTo(c.expect());
      assertThat(loaded.title()).as(c.id()).isEqualTo(c.title());
      assertThat(loaded.hint()).as(c.id()).isEqualTo(c.hint());
    }
    assertThat(m.node("local").orElseThrow().kind()).isEqualTo(NodeKind.LOCAL);
    var front = m.node("np-front").orElseThrow();
    assertThat(front.kind()).isEqualTo(NodeKind.DOCKER);
    assertThat(front.addresses().get("np-compose").path()).isEqualTo(PathKind.DOCKER_BRIDGE);
    var published = front.addresses().get("published");
    assertThat(published.ip()).isEqualTo("127.0.0.1");
    assertThat(published.portMap()).isEqualTo(Map.of(50000, 50000));
    assertThat(published.isUsableFrom("local")).isTrue();
    assertThat(published.isUsableFrom("np-ct1")).isFalse();
    assertThat(m.node("np-ct1").orElseThrow().addresses().get("docker0").path())
        .isEqualTo(PathKind.DOCKER0);
    assertThat(m.check("local->np-back.np-compose tcp:50000").orElseThrow().expect())
        .isEqualTo(Expectation.PASS);
  }

  @Test
  void everyCheckHasItsRuleInTheCommentAboveIt() {
    MatrixPlan plan = demo();
    List<String> lines = yaml(plan).lines().toList();
    int checks = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("  - from: ")) {
        MatrixPlan.Check c = plan.checks().get(checks++);
        assertThat(lines.get(i - 1)).as("above check %s", c.id()).isEqualTo("  # " + c.rule());
      }
    }
    assertThat(checks).isEqualTo(plan.checks().size());
  }

  @Test
  void notesAreCommentsOfAtMostOneHundredColumns() {
    String yaml = yaml(demo());
    assertThat(yaml).contains("  # Not checked:\n  # - np-back exposes tcp/50000");
    yaml.lines()
        .filter(l -> l.startsWith("#") || l.startsWith("  # -") || l.startsWith("  #   "))
        .forEach(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
  }

  @Test
  void textThatYamlWouldReadAsSomethingElseStaysText() throws Exception {
    MatrixPlan plan =
        new MatrixPlan(
            "yes",
            "a: b # not a comment, \"quoted\" \\ and\ttab",
            List.of(
                new MatrixPlan.Node("local", NodeKind.LOCAL, null, "", List.of(), null),
                new MatrixPlan.Node(
                    "n1",
                    NodeKind.DOCKER,
                    "1e3",
                    "null",
                    List.of(
                        new MatrixPlan.Address(
                            "v6", "fd00::5", PathKind.DIRECT, Map.of(), List.of())),
                    null)),
            List.of(
                new MatrixPlan.Check(
                    "a rule: with # and 'quotes'",
                    "n1",
                    "n1.v6",
                    "icmp",
                    Expectation.PASS,
                    "- [title]: {x}",
                    "true")),
            List.of());
    Matrix m = MatrixLoader.load(yaml(plan), "odd.yaml", Map.of());
    assertThat(m.name()).isEqualTo("yes");
    assertThat(m.description()).isEqualTo("a: b # not a comment, \"quoted\" \\ and\ttab");
    assertThat(m.node("n1").orElseThrow().description()).isEqualTo("null");
    assertThat(m.node("n1").orElseThrow().addresses().get("v6").ip()).isEqualTo("fd00::5");
    Check c = m.checks().get(0);
    assertThat(c.title()).isEqualTo("- [title]: {x}");
    assertThat(c.hint()).isEqualTo("true");
  }

  @Test
  void theDemoLabsMatrixIsTheGoldenOne() throws Exception {
    String yaml = yaml(demo());
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(GOLDEN, yaml);
    }
    assertThat(GOLDEN)
        .as("golden file %s is missing: run with -Dgolden.update=true and review it", GOLDEN)
        .exists();
    assertThat(yaml).isEqualTo(Files.readString(GOLDEN));
  }
}
