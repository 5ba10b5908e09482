package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Timeline;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A watch's timeline: a strip per cell that came and went, in HTML and in run.json. */
class TimelineTest {
  private static RunResult watched() {
    RunResult run = Fixtures.demoRun();
    List<Timeline.Cell> cells = new ArrayList<>();
    String flipped = run.checks().get(0).id();
    cells.add(
        new Timeline.Cell(
            flipped,
            3,
            "rrru",
            List.of(
                new Timeline.Flip(
                    6,
                    Instant.parse("2026-12-03T20:00:00Z"),
                    "REACHED",
                    "DROPPED_AT_TARGET",
                    Outcome.UNEXPECTED,
                    "dropped by vm: INPUT rule 1",
                    "watch/flips/6-pc-vm-icmp"))));
    for (int i = 1; i < run.checks().size(); i++) {
      cells.add(new Timeline.Cell(run.checks().get(i).id(), 3, "rrrr", List.of()));
    }
    return run.withTimeline(new Timeline(cells, 6));
  }

  @Test
  void theHtmlShowsTheCellsThatCameAndWentAndFoldsTheSteadyOnes() {
    RunResult run = watched();
    String html = Reports.render(run, ReportFormat.HTML, Options.INSTRUCTOR);
    assertThat(html)
        .contains("<h2>Timeline: 6 rounds watched</h2>")
        .contains("title=\"round 6\"")
        .contains("REACHED &rarr; <b>DROPPED_AT_TARGET</b>: dropped by vm: INPUT rule 1")
        .contains("(evidence: watch/flips/6-pc-vm-icmp)")
        .contains(" reached in every round watched.");
    String student = Reports.render(run, ReportFormat.HTML, Options.STUDENT);
    assertThat(student).contains("<b>DROPPED_AT_TARGET</b>").doesNotContain("flips/6-pc-vm-icmp");
    assertThat(Reports.render(Fixtures.demoRun(), ReportFormat.HTML, Options.INSTRUCTOR))
        .as("a run outside a watch has no timeline")
        .doesNotContain("<h2>Timeline");
  }

  @Test
  void runJsonCarriesTheTimelineAndValidates() throws Exception {
    String json = Reports.render(watched(), ReportFormat.JSON, Options.INSTRUCTOR);
    var tree = new ObjectMapper().readTree(json);
    assertThat(tree.at("/timeline/rounds").asInt()).isEqualTo(6);
    assertThat(tree.at("/timeline/cells/0/marks").asText()).isEqualTo("rrru");
    assertThat(tree.at("/timeline/cells/0/flips/0/to").asText()).isEqualTo("DROPPED_AT_TARGET");
    try (InputStream schema = Files.newInputStream(Path.of("schema/run.schema.json"))) {
      assertThat(
              JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                  .getSchema(schema)
                  .validate(tree))
          .isEmpty();
    }
  }
}
