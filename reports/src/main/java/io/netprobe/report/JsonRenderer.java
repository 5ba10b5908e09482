package io.netprobe.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Finding;
import io.netprobe.report.model.NodeReport;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.PathHop;
import io.netprobe.report.model.RunResult;
import java.util.List;

/**
 * The whole run as JSON, the record the other formats follow. Field names are spelled out here one
 * by one (not derived from the records) so that renaming a Java component cannot rename a field;
 * {@code reports/schema/run.schema.json} documents them. Bump {@link #VERSION} when a field changes
 * meaning or goes away; adding a field keeps the version.
 */
final class JsonRenderer implements Renderer {
  static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public String render(RunResult run, Options options) {
    var root = MAPPER.createObjectNode();
    root.put("format", "netprobe-run");
    root.put("version", VERSION);
    root.put("view", options.studentView() ? "student" : "instructor");
    var matrix = root.putObject("matrix");
    matrix.put("name", run.matrixName());
    matrix.put("file", run.matrixFile());
    root.put("startedAt", run.startedAt().toString());
    root.put("elapsedMs", run.elapsedMs());
    root.put("exitCode", run.exitCode());
    var score = root.putObject("score");
    score.put("earned", run.pointsEarned());
    score.put("possible", run.pointsPossible());
    var counts = root.putObject("counts");
    for (Outcome outcome : Outcome.values()) {
      counts.put(outcome.name(), run.count(outcome));
    }
    var nodes = root.putArray("nodes");
    run.nodes().forEach(n -> node(nodes.addObject(), n));
    var checks = root.putArray("checks");
    run.checks().forEach(c -> check(checks.addObject(), c, options.studentView()));
    if (!run.measured().isEmpty()) {
      paths(root, run);
    }
    if (!options.studentView()) {
      var findings = root.putArray("findings");
      run.findings().forEach(f -> finding(findings.addObject(), f));
    }
    if (!run.topology().isEmpty()) {
      topology(root.putObject("topology"), run.topology());
    }
    if (!run.timeline().isEmpty()) {
      timeline(root.putObject("timeline"), run.timeline(), options.studentView());
    }
    return write(root);
  }

  /** A watch's rounds: per cell its last outcomes and its flips. */
  private static void timeline(
      ObjectNode json, io.netprobe.report.model.Timeline t, boolean student) {
    json.put("rounds", t.rounds());
    var cells = json.putArray("cells");
    for (var c : t.cells()) {
      var o = cells.addObject();
      o.put("check", c.checkId());
      o.put("firstRound", c.firstRound());
      o.put("marks", c.marks());
      var flips = o.putArray("flips");
      for (var f : c.flips()) {
        var fo = flips.addObject();
        fo.put("round", f.round());
        fo.put("at", f.at().toString());
        fo.put("from", f.from());
        fo.put("to", f.to());
        fo.put("outcome", f.outcome().name());
        fo.put("reason", f.reason());
        if (!student) {
          fo.put("evidence", f.evidence());
        }
      }
    }
  }

  /** The lab as its agents found it: networks, hosts, and which host has an address where. */
  private static void topology(ObjectNode json, io.netprobe.report.model.Topology t) {
    var networks = json.putArray("networks");
    for (var n : t.networks()) {
      var o = networks.addObject();
      o.put("id", n.id());
      o.put("cidr", n.cidr());
      o.put("label", n.label());
    }
    var hosts = json.putArray("hosts");
    for (var h : t.hosts()) {
      var o = hosts.addObject();
      o.put("name", h.name());
      o.put("role", h.role());
      o.put("read", h.read());
      strings(o.putArray("notes"), h.notes());
    }
    var links = json.putArray("links");
    for (var l : t.links()) {
      var o = links.addObject();
      o.put("host", l.host());
      o.put("network", l.network());
      o.put("iface", l.iface());
      o.put("address", l.address());
      strings(o.putArray("labels"), l.labels());
    }
  }

  private static void node(ObjectNode json, NodeReport node) {
    json.put("name", node.name());
    json.put("kind", node.kind());
    json.put("via", node.via());
    json.put("connected", node.connected());
    json.put("error", node.error());
    strings(json.putArray("capabilities"), node.capabilities());
    strings(json.putArray("addresses"), node.addresses());
  }

  private static void check(ObjectNode json, CheckResult c, boolean student) {
    json.put("id", c.id());
    json.put("title", c.title());
    json.put("from", c.from());
    json.put("to", c.to());
    json.put("toNode", c.toNode());
    json.put("address", c.address());
    json.put("port", c.port());
    json.put("probe", c.probe());
    json.put("pathKind", c.pathKind());
    json.put("layer", c.layer());
    json.put("cause", c.cause());
    json.put("expected", c.expected());
    json.put("outcome", c.outcome().name());
    json.put("mark", Mark.of(c).name());
    json.put("points", c.points());
    json.put("earned", c.earned());
    json.put("hint", c.verdict().hint());
    if (student) {
      return;
    }
    var disposition = c.verdict().disposition();
    json.put("disposition", disposition == null ? null : disposition.name());
    json.put("reason", c.verdict().reason());
    var evidence = json.putArray("evidence");
    for (Evidence e : c.verdict().evidence()) {
      var line = evidence.addObject();
      line.put("node", e.node());
      line.put("source", e.source());
      line.put("text", e.text());
    }
    if (!c.verdict().path().isEmpty()) {
      path(json.putArray("path"), c.verdict().path());
    }
    json.put("attempts", c.attempts());
    json.put("flaky", c.flaky());
    json.put("elapsedMs", c.elapsedMs());
    if (c.handshakeMs() != null) {
      json.put("handshakeMs", c.handshakeMs());
    }
    strings(json.putArray("pcapFiles"), c.pcapFiles());
  }

  /**
   * The paths table: a row per measuring cell, with its figures and histogram (buckets bounded by
   * {@code histogramEdgesMs}); only in a run that measured, so that others read as before.
   */
  private static void paths(ObjectNode root, RunResult run) {
    var edges = root.putArray("histogramEdgesMs");
    io.netprobe.report.model.Measure.BUCKET_EDGES_MS.forEach(edges::add);
    var paths = root.putArray("paths");
    for (CheckResult c : run.measured()) {
      var m = c.measure();
      var json = paths.addObject();
      json.put("checkId", c.id());
      json.put("from", c.from());
      json.put("to", c.to());
      json.put("pathKind", PathsTable.kind(c));
      json.put("probe", c.probe());
      json.put("kind", m.kind());
      json.put("answered", m.count());
      json.put("lost", m.lost());
      json.put("size", m.size());
      json.put("durationMs", m.durationMs());
      json.put("tps", m.tps());
      json.put("p50Ms", m.p50Ms());
      json.put("p90Ms", m.p90Ms());
      json.put("p99Ms", m.p99Ms());
      json.put("maxMs", m.maxMs());
      var histogram = json.putArray("histogram");
      m.histogram().forEach(histogram::add);
      if (m.bitsPerSecond() != null) {
        json.put("bitsPerSecond", m.bitsPerSecond());
        json.put("bytes", m.bytes());
      }
    }
  }

  /** Only where the verdict has a trace, so that runs without one read as before. */
  private static void path(ArrayNode array, List<PathHop> path) {
    for (PathHop hop : path) {
      var json = array.addObject();
      json.put("ttl", hop.ttl());
      json.put("address", hop.address());
      json.put("node", hop.node());
      json.put("kind", hop.kind());
      json.put("detail", hop.detail());
      json.put("rttMs", hop.rttMs());
    }
  }

  private static void finding(ObjectNode json, Finding finding) {
    json.put("summary", finding.summary());
    json.put("hint", finding.hint());
    strings(json.putArray("checkIds"), finding.checkIds());
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static String write(ObjectNode root) {
    var printer =
        new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return MAPPER.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the run as JSON: " + e.getMessage(), e);
    }
  }
}
