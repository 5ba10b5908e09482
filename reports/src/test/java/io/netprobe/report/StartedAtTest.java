package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.report.model.RunResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A person reads when a run started to the second; run.json keeps the clock's every digit. */
class StartedAtTest {
  private static final RunResult RUN =
      new RunResult(
          "lab",
          "lab.yaml",
          Instant.parse("2026-12-05T01:36:53.734195180Z"),
          5530,
          List.of(),
          List.of(),
          List.of());

  @Test
  void theReportsPeopleReadSayTheSecondAndRunJsonTheInstant() {
    for (ReportFormat f : List.of(ReportFormat.TABLE, ReportFormat.MARKDOWN, ReportFormat.HTML)) {
      assertThat(Reports.render(RUN, f, Options.INSTRUCTOR))
          .as(f.name())
          .contains("started 2026-12-05T01:36:53Z,")
          .doesNotContain("734195180");
    }
    assertThat(Reports.render(RUN, ReportFormat.JSON, Options.INSTRUCTOR))
        .contains("2026-12-05T01:36:53.734195180Z");
  }
}
