package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Opens the HTML report in headless Chromium (Debian's {@code chromium}, installed by
 * scripts/setup) and checks the screenshot: the heat-map's colours are on it. The screenshot is
 * kept in target/np-screenshot/ for a person to look at.
 */
class HtmlScreenshotIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void htmlReportRendersInHeadlessChromiumWithTheColouredGrid() throws Exception {
    assertThat(CHROMIUM).as("Debian's chromium package (scripts/setup installs it)").exists();
    var out = Path.of("target/np-screenshot").toAbsolutePath();
    var profile = Files.createTempDirectory("np-chromium-");
    try {
      var html =
          Reports.write(Fixtures.demoRun(), Set.of(ReportFormat.HTML), out, Options.INSTRUCTOR)
              .get(0);
      var png = out.resolve("report.png");
      Files.deleteIfExists(png);
      var process =
          new ProcessBuilder(
                  List.of(
                      CHROMIUM.toString(),
                      "--headless",
                      "--no-sandbox",
                      "--disable-gpu",
                      "--disable-background-networking",
                      "--disable-component-update",
                      "--disable-sync",
                      "--no-first-run",
                      "--user-data-dir=" + profile,
                      "--screenshot=" + png,
                      "--window-size=1280,900",
                      html.toUri().toString()))
              .redirectErrorStream(true)
              .redirectOutput(out.resolve("chromium.log").toFile())
              .start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished in 60 s").isTrue();
      assertThat(png).as("screenshot; see %s", out.resolve("chromium.log")).exists();
      var image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(1280);
      assertThat(countPixels(image, 0xf9d3cf)).as("unexpected cells' red tint").isGreaterThan(500);
      assertThat(countPixels(image, 0xd8f0dd)).as("reached cells' green tint").isGreaterThan(500);
      assertThat(countPixels(image, 0xfcebbf)).as("error cells' yellow tint").isGreaterThan(500);
    } finally {
      deleteTree(profile);
    }
  }

  private static int countPixels(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
      }
    }
    return n;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
