package io.netprobe.matrix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every field the loader accepts, per kind of mapping. The schema test holds {@code
 * matrices/schema/matrix.schema.json} to exactly these (its definitions bear the same names), so
 * editor completion and the loader never disagree.
 */
final class Fields {
  static final List<String> MATRIX =
      List.of("name", "description", "defaults", "nodes", "watch", "meshes", "checks", "facts");
  static final List<String> DEFAULTS =
      List.of("timeout", "retries", "points", "icmp-count", "login", "family");
  static final List<String> NODE =
      List.of(
          "kind",
          "description",
          "netns",
          "container",
          "ssh",
          "login",
          "addresses",
          "default-address");
  static final List<String> LOGIN =
      List.of("user", "identity", "password-env", "password-file", "known-hosts");
  static final List<String> SSH =
      List.of("host", "port", "user", "identity", "password-env", "password-file", "known-hosts");
  static final List<String> ADDRESS =
      List.of("ip", "ip6", "host", "port", "port-map", "path", "from");
  static final List<String> SETTINGS =
      List.of(
          "expect",
          "points",
          "timeout",
          "retries",
          "title",
          "hint",
          "status",
          "body",
          "family",
          "duration",
          "size");
  static final List<String> CHECK = concat(List.of("from", "to", "probe"), SETTINGS);
  static final List<String> FACT =
      List.of(
          "node",
          "address",
          "route",
          "listening",
          "forwarding",
          "nat",
          "dns",
          "expect",
          "points",
          "title",
          "hint");
  static final List<String> OVERRIDE = concat(List.of("from", "to", "probe", "skip"), SETTINGS);
  static final List<String> MESH =
      concat(List.of("name", "nodes", "from", "to", "probes", "overrides"), SETTINGS);

  private Fields() {}

  /** By the name of the schema definition that describes them ("matrix" for the top). */
  static Map<String, List<String>> byDefinition() {
    Map<String, List<String>> all = new LinkedHashMap<>();
    all.put("matrix", MATRIX);
    all.put("defaults", DEFAULTS);
    all.put("node", NODE);
    all.put("login", LOGIN);
    all.put("ssh", SSH);
    all.put("address", ADDRESS);
    all.put("check", CHECK);
    all.put("override", OVERRIDE);
    all.put("fact", FACT);
    all.put("mesh", MESH);
    all.put("thresholds", Threshold.Metric.yamlNames());
    return all;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
