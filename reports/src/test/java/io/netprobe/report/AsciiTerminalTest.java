package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A terminal or log in the C locale writes ASCII: every ✓ ○ ✗ would print as "?", and a reached
 * cell would look like an unexpected one. There the grid draws + o X.
 */
class AsciiTerminalTest {
  private final io.netprobe.report.model.RunResult run = Fixtures.demoRun();

  @Test
  void asciiOutputKeepsTheMarksApart() {
    var out = new StringWriter();
    Reports.terminal(run, new PrintWriter(out), new TerminalOptions(false, 100, false, false));
    String text = out.toString();
    assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(text))
        .as("only ASCII:%n%s", text)
        .isTrue();
    assertThat(text)
        .contains("+ reached, as expected")
        .contains("o did not reach, as expected")
        .contains("X unexpected: costs points")
        .contains(". not checked");
  }

  @Test
  void marksAreUnicodeWhereTheCharsetHasThem() {
    assertThat(TerminalOptions.canShowMarks(StandardCharsets.UTF_8)).isTrue();
    assertThat(TerminalOptions.canShowMarks(StandardCharsets.US_ASCII)).isFalse();
    assertThat(TerminalOptions.canShowMarks(StandardCharsets.ISO_8859_1)).isFalse();
  }
}
