package io.netprobe.cli.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.PathHop;
import io.netprobe.report.model.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden explanations: observations recorded from real lab runs ({@code NETPROBE_RECORD=DIR
 * ./netprobe run ...}) kept in {@code src/test/resources/explain/*.json}, each with the verdict it
 * must give pinned beside it ({@code *.txt}). A change to the explainer shows as a diff of those
 * files; regenerate them with {@code -Dgolden.update=true} and review the diff.
 */
class ExplanationGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/explain");
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final Map<String, Matrix> MATRICES = new HashMap<>();

  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void recordedEvidenceGivesItsPinnedExplanation(Path fixture) throws Exception {
    ObservationRecord record = JSON.readValue(fixture.toFile(), ObservationRecord.class);
    Observation o = record.toObservation(matrix(record.matrix()));
    String said = render(new Explainer().explain(o));
    Path golden = Path.of(fixture.toString().replaceFirst("\\.json$", ".txt"));
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, said);
    }
    assertThat(golden)
        .as("golden file %s is missing: run with -Dgolden.update=true and review it", golden)
        .exists();
    assertThat(said).as(fixture.getFileName().toString()).isEqualTo(Files.readString(golden));
  }

  private static Matrix matrix(String file) throws Exception {
    synchronized (MATRICES) {
      Matrix m = MATRICES.get(file);
      if (m == null) {
        Path path = Path.of("..").resolve(file);
        m = MatrixLoader.load(Files.readString(path), file, Map.of());
        MATRICES.put(file, m);
      }
      return m;
    }
  }

  private static String render(Verdict v) {
    StringBuilder s = new StringBuilder();
    s.append("disposition: ").append(v.disposition()).append('\n');
    s.append("reason: ").append(v.reason()).append('\n');
    s.append("hint: ").append(v.hint()).append('\n');
    for (Evidence e : v.evidence()) {
      s.append("evidence: ").append(e.node()).append(' ').append(e.source()).append(": ");
      s.append(e.text()).append('\n');
    }
    for (PathHop h : v.path()) {
      s.append("path: ").append(h.ttl()).append(' ').append(h.who()).append(' ');
      s.append(h.kind()).append('\n');
    }
    return s.toString();
  }
}
