package io.netprobe.matrix;

import io.netprobe.agent.probe.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;

/**
 * The parts of a check that layer: defaults, then a mesh, then an override or the check itself. A
 * null field is "not said here".
 */
record Settings(
    Expectation expect,
    Integer points,
    Duration timeout,
    Integer retries,
    String title,
    String hint,
    Integer status,
    String body,
    String family,
    Duration duration,
    Integer size) {

  static final Settings NONE =
      new Settings(null, null, null, null, null, null, null, null, null, null, null);

  /** The families a check may ask for: its address's ip (the default), its ip6, or both. */
  static final List<String> FAMILIES = List.of("ipv4", "ipv6", "both");

  /** These settings, with {@code base} filling in what they do not say. */
  Settings over(Settings base) {
    return new Settings(
        expect != null ? expect : base.expect,
        points != null ? points : base.points,
        timeout != null ? timeout : base.timeout,
        retries != null ? retries : base.retries,
        title != null ? title : base.title,
        hint != null ? hint : base.hint,
        status != null ? status : base.status,
        body != null ? body : base.body,
        family != null ? family : base.family,
        duration != null ? duration : base.duration,
        size != null ? size : base.size);
  }

  /**
   * Reads expect, points, timeout, retries, title, hint, for http probes status and body, for rr
   * probes duration and size, for bulk probes duration; empty when any is present but bad (each bad
   * one is reported).
   */
  static Optional<Settings> read(YamlMap m) {
    Optional<Expectation> expect =
        m.raw("expect").filter(v -> v instanceof MappingNode).isPresent()
            ? thresholds(m)
            : m.parsed("expect", Syntax::expectation);
    Optional<Integer> points = m.integer("points", 0, Check.MAX_POINTS);
    Optional<Duration> timeout = m.parsed("timeout", Syntax::duration);
    Optional<Integer> retries = m.integer("retries", 0, Check.MAX_RETRIES);
    Optional<String> title = m.text("title");
    Optional<String> hint = m.text("hint");
    Optional<Integer> status = m.integer("status", 100, 599);
    Optional<String> body = m.text("body");
    Optional<String> family = m.parsed("family", Settings::family);
    Optional<Duration> duration = m.parsed("duration", Settings::rrDuration);
    Optional<Integer> size = m.integer("size", ProbeSpec.Rr.MIN_SIZE, ProbeSpec.Rr.MAX_SIZE);
    boolean bad =
        m.has("expect") && expect.isEmpty()
            || m.has("points") && points.isEmpty()
            || m.has("timeout") && timeout.isEmpty()
            || m.has("retries") && retries.isEmpty()
            || m.has("title") && title.isEmpty()
            || m.has("hint") && hint.isEmpty()
            || m.has("status") && status.isEmpty()
            || m.has("body") && body.isEmpty()
            || m.has("family") && family.isEmpty()
            || m.has("duration") && duration.isEmpty()
            || m.has("size") && size.isEmpty();
    if (bad) {
      return Optional.empty();
    }
    return Optional.of(
        new Settings(
            expect.orElse(null),
            points.orElse(null),
            timeout.orElse(null),
            retries.orElse(null),
            title.orElse(null),
            hint.orElse(null),
            status.orElse(null),
            body.orElse(null),
            family.orElse(null),
            duration.orElse(null),
            size.orElse(null)));
  }

  /**
   * {@code expect: { rtt-p99: "<5ms", tps: ">10000" }}: pass, with thresholds on the figures; every
   * bad key or value is reported where it is written.
   */
  private static Optional<Expectation> thresholds(YamlMap m) {
    Optional<YamlMap> map =
        m.map(
            "expect",
            "the thresholds of expect (pass, with figures to keep)",
            Threshold.Metric.yamlNames());
    if (map.isEmpty()) {
      return Optional.empty();
    }
    List<Threshold> out = new ArrayList<>();
    boolean bad = false;
    for (Threshold.Metric metric : Threshold.Metric.values()) {
      if (map.get().has(metric.yamlName())) {
        Optional<Threshold> t =
            map.get().parsed(metric.yamlName(), v -> Threshold.parse(metric, v));
        t.ifPresent(out::add);
        bad |= t.isEmpty();
      }
    }
    boolean empty = ((MappingNode) m.raw("expect").get()).getValue().isEmpty();
    if (empty) {
      map.get()
          .require(
              "rtt-p99",
              "write thresholds such as { rtt-p99: \"<5ms\", tps: \">10000\" } (keys: "
                  + String.join(", ", Threshold.Metric.yamlNames())
                  + "), or expect: pass");
    }
    return bad || out.isEmpty() ? Optional.empty() : Optional.of(new Expectation.Measured(out));
  }

  /** A measuring probe's time (rr, bulk): a duration up to a minute. */
  static Parsed<Duration> rrDuration(String text) {
    Parsed<Duration> d = Syntax.duration(text);
    if (d.isOk() && d.value().toMillis() > ProbeSpec.Rr.MAX_DURATION_MS) {
      return Parsed.bad(
          "duration '"
              + text
              + "' is longer than an rr or bulk check measures: 1ms to "
              + ProbeSpec.Rr.MAX_DURATION_MS / 1000
              + "s (e.g. 2s)");
    }
    return d;
  }

  static Parsed<String> family(String text) {
    String t = text.trim();
    return FAMILIES.contains(t)
        ? Parsed.ok(t)
        : Parsed.bad(
            "unknown family '"
                + text
                + "'; write ipv4 (the address's ip), ipv6 (its ip6) or both (a check each, side"
                + " by side)");
  }
}
