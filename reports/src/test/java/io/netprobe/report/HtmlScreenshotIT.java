package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Verdict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the fixture's HTML report in Debian's headless Chromium and checks the screenshot: the
 * heat-map's OK, UNEXPECTED and ERROR cell colours are on screen, so the grid rendered (not a blank
 * page or a script error), and a check's path trace shows where its flow was lost. The screenshots
 * are kept in {@code target/screenshots/} to look at.
 */
class HtmlScreenshotIT {
  private static final int OK_CELL = 0xd8f0dd;
  private static final int UNEXPECTED_CELL = 0xf9d3cf;
  private static final int ERROR_CELL = 0xfcebbf;
  private static final int LOST_HOP = 0xfceeee; // --unexpected at 8% on white

  @TempDir(factory = NpTempDirs.class)
  Path dir;

  @Test
  void screenshotShowsOkUnexpectedAndErrorCells() throws Exception {
    var report =
        Reports.write(Fixtures.demoRun(), Set.of(ReportFormat.HTML), dir, Options.INSTRUCTOR);
    var png = screenshot(report.get(0), dir.resolve("shot.png"));
    keep(png, "fixture.png");

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(count(image, OK_CELL)).as("pixels of OK cells (green)").isGreaterThan(500);
    assertThat(count(image, UNEXPECTED_CELL))
        .as("pixels of UNEXPECTED cells (red)")
        .isGreaterThan(500);
    assertThat(count(image, ERROR_CELL)).as("pixels of ERROR cells (amber)").isGreaterThan(500);
  }

  @Test
  void wideMatrixStaysInItsPanelAndLeavesTheDetailPanelClear() throws Exception {
    var report = Reports.write(wideRun(20), Set.of(ReportFormat.HTML), dir, Options.INSTRUCTOR);
    var png = screenshot(report.get(0), dir.resolve("wide.png"));
    keep(png, "wide.png");

    BufferedImage image = ImageIO.read(png.toFile());
    var matrix = image.getSubimage(0, 130, 840, 600);
    var detail = image.getSubimage(870, 130, 1240 - 870, 600);
    assertThat(count(matrix, OK_CELL)).as("OK cells in the matrix panel").isGreaterThan(500);
    for (int cell : new int[] {OK_CELL, UNEXPECTED_CELL, ERROR_CELL}) {
      assertThat(count(detail, cell))
          .as("heat-map colour %06x in the detail panel: the matrix overflowed", cell)
          .isLessThan(200); // a cell is ~2600 pixels; a badge's antialiased rim gives a few
    }
  }

  @Test
  void pathTraceMarksWhereTheFlowWasLostInTheDetailPanel() throws Exception {
    var run = PathFixtures.faultRun();
    var html = Reports.write(run, Set.of(ReportFormat.HTML), dir, Options.INSTRUCTOR).get(0);
    var lost =
        run.checks().stream().filter(c -> c.id().equals("cl->lab2 icmp")).findFirst().orElseThrow();
    var url = html.toUri() + "#" + new HtmlMatrix.Anchors(run).of(lost);
    var png = screenshot(url, dir.resolve("path.png"));
    keep(png, "path.png");

    BufferedImage image = ImageIO.read(png.toFile());
    var detail = image.getSubimage(800, 0, 1240 - 800, 900);
    assertThat(count(detail, LOST_HOP))
        .as("pixels of the lost hop's box (red tint) in the detail panel")
        .isGreaterThan(1500);
    assertThat(count(image.getSubimage(0, 0, 800, 900), LOST_HOP))
        .as("the lost hop's tint outside the detail panel")
        .isLessThan(200);
  }

  @Test
  void scriptOpensTheWorstCheckFirstAndTheOneALinkNames() throws Exception {
    var run = Fixtures.demoRun();
    var html = Reports.write(run, Set.of(ReportFormat.HTML), dir, Options.INSTRUCTOR).get(0);
    var firstUnexpected =
        run.checks().stream().filter(c -> c.outcome() == Outcome.UNEXPECTED).findFirst().get();

    assertThat(shownDetails(html.toUri().toString()))
        .containsExactly(new HtmlMatrix.Anchors(run).of(firstUnexpected));
    assertThat(shownDetails(html.toUri() + "#pair-1")).containsExactly("pair-1");
  }

  @Test
  void aBigRunsDetailsAreBuiltWhenShown() throws Exception {
    var run = wideRun(46, 45); // 2,070 checks: above HtmlRenderer.LAZY_ABOVE
    var html = Reports.write(run, Set.of(ReportFormat.HTML), dir, Options.INSTRUCTOR).get(0);
    var anchors = new HtmlMatrix.Anchors(run);
    var firstUnexpected =
        run.checks().stream().filter(c -> c.outcome() == Outcome.UNEXPECTED).findFirst().get();
    var last = run.checks().get(run.checks().size() - 1);

    assertThat(shownDetails(html.toUri().toString())).containsExactly(anchors.of(firstUnexpected));
    assertThat(shownDetails(html.toUri() + "#" + anchors.of(last)))
        .containsExactly(anchors.of(last));
    var png = screenshot(html.toUri() + "#" + anchors.of(last), dir.resolve("big.png"));
    keep(png, "big.png");
  }

  /** The ids of the check details the page's script left visible, read from Chromium's DOM. */
  static List<String> shownDetails(String url) throws Exception {
    var profile = Files.createTempDirectory("np-chromium-");
    try {
      var process =
          new ProcessBuilder(chromium(profile, "--dump-dom", url))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      var dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      var shown = new ArrayList<String>();
      var m = Pattern.compile("<div class=\"check-detail\" id=\"([^\"]+)\">").matcher(dom);
      while (m.find()) {
        shown.add(m.group(1));
      }
      return shown;
    } finally {
      delete(profile);
    }
  }

  /** {@code n} nodes in a ring, each checking the next three: OK, UNEXPECTED, ERROR. */
  static RunResult wideRun(int n) {
    return wideRun(n, 3);
  }

  /** The same, each node checking the next {@code next}. */
  static RunResult wideRun(int n, int next) {
    var checks = new ArrayList<CheckResult>();
    for (int i = 0; i < n; i++) {
      for (int k = 1; k <= next; k++) {
        var from = "node-" + i;
        var to = "node-" + (i + k) % n;
        var outcome = Outcome.values()[(i + k) % 3];
        var verdict =
            outcome == Outcome.ERROR
                ? Verdict.notChecked("no agent on " + from, List.of(), "start it")
                : new Verdict(
                    outcome == Outcome.OK ? Disposition.REACHED : Disposition.TIMED_OUT,
                    "reason " + i + "/" + k,
                    List.of(new Evidence(from, "probe", "sent")),
                    "");
        checks.add(
            CheckResult.builder(from + "->" + to + " icmp", from, to, "icmp")
                .target(to, "10.9.0." + (i + k) % n, 0, "routed")
                .outcome(outcome)
                .verdict(verdict)
                .attempts(1, false, 3)
                .build());
      }
    }
    return new RunResult(
        "wide", null, Instant.parse("2026-11-22T03:00:00Z"), 10, List.of(), checks, List.of());
  }

  /** Runs Chromium on a file; nothing is fetched: the report holds no URL and networking is off. */
  static Path screenshot(Path html, Path png) throws IOException, InterruptedException {
    return screenshot(html.toUri().toString(), png);
  }

  /** The same for a URL: a file's, with a {@code #check-N} to open one check's detail. */
  static Path screenshot(String url, Path png) throws IOException, InterruptedException {
    var profile = Files.createTempDirectory("np-chromium-");
    var log = Files.createTempFile("np-chromium-", ".log");
    try {
      var command = chromium(profile, "--screenshot=" + png, "--window-size=1280,900", url);
      var process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
            .as("chromium finished its screenshot within 60 s")
            .isTrue();
      } finally {
        process.destroyForcibly();
      }
      assertThat(png)
          .as("chromium wrote a screenshot; its output:%n%s", Files.readString(log))
          .isNotEmptyFile();
      return png;
    } finally {
      Files.deleteIfExists(log);
      delete(profile);
    }
  }

  /** Headless Chromium with no network of its own, a throw-away profile, then {@code args}. */
  static List<String> chromium(Path profile, String... args) {
    var command =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    return command;
  }

  static void keep(Path png, String name) throws IOException {
    var dir = Files.createDirectories(Path.of("target/screenshots"));
    Files.copy(png, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Pixels within 3 of {@code rgb} in each channel (antialiasing aside, cells are flat). */
  static long count(BufferedImage image, int rgb) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (close(image.getRGB(x, y), rgb)) {
          n++;
        }
      }
    }
    return n;
  }

  private static boolean close(int a, int b) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > 3) {
        return false;
      }
    }
    return true;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
