package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.report.model.RunResult;
import org.junit.jupiter.api.Test;

/**
 * {@code netprobe check}'s answer: a block per check, in the asker's words, nothing of a matrix.
 */
class AnswerRendererTest {
  private static final TerminalOptions PLAIN = new TerminalOptions(false, 100, false, true);

  @Test
  void eachCheckIsOneBlockHeadedWithWhatWasAskedAndNoMatrixWords() {
    RunResult run = Fixtures.demoRun();
    String text = AnswerRenderer.render(run, "netns:np-pc -> 10.0.2.15", PLAIN);
    long blocks = text.lines().filter(l -> l.startsWith("netns:np-pc -> 10.0.2.15 ")).count();
    assertThat(blocks).isEqualTo(run.checks().size());
    assertThat(text)
        .contains(": reached", ": did not reach (")
        .doesNotContain("Score", "points", "expected", "from \\ to", "Findings");
    run.checks().stream()
        .filter(c -> !c.verdict().hint().isBlank())
        .findFirst()
        .ifPresent(c -> assertThat(text).contains("  hint: "));
  }
}
