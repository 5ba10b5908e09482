package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A big run's HTML keeps its check details out of the DOM, as one JSON block the script reads. */
class LazyHtmlTest {
  @Test
  void aBigRunsDetailsWaitInAJsonBlockNotInTheDom() throws Exception {
    var run = HtmlScreenshotIT.wideRun(46, 45);
    var anchors = new HtmlMatrix.Anchors(run);
    String html = new HtmlRenderer().render(run, Options.INSTRUCTOR);

    assertThat(Pattern.compile("<div class=\"check-detail\" id=\"check-").matcher(html).find())
        .as("no check's detail is a node of the page")
        .isFalse();
    int start = html.indexOf("<script type=\"application/json\" id=\"check-details\">");
    assertThat(start).isPositive();
    String block = html.substring(html.indexOf('>', start) + 1, html.indexOf("</script>", start));
    assertThat(block).as("nothing inside closes the script element").doesNotContain("</");
    JsonNode details = new ObjectMapper().readTree(block);
    assertThat(details.size()).isEqualTo(run.checks().size());
    var c = run.checks().get(1234);
    assertThat(details.get(anchors.of(c)).asText())
        .startsWith("<h3>" + c.title().replace(">", "&gt;") + "</h3>")
        .contains(c.verdict().reason());
  }

  @Test
  void jsonStringsEscapeWhatWouldEndTheScriptOrTheString() {
    var out = new StringBuilder();
    HtmlRenderer.jsonString(out, "a \"q\" \\ </script>\n\t\u0001\u2028");
    assertThat(out).hasToString("\"a \\\"q\\\" \\\\ <\\/script>\\n\\t\\u0001\\u2028\"");
  }

  @Test
  void aSmallRunKeepsItsDetailsInThePage() {
    var run = HtmlScreenshotIT.wideRun(20);
    String html = new HtmlRenderer().render(run, Options.INSTRUCTOR);
    assertThat(html)
        .contains("<div class=\"check-detail\" id=\"check-")
        .doesNotContain("id=\"check-details\"");
  }
}
