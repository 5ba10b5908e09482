package io.netprobe.matrix;

import io.netprobe.agent.probe.ProbeSpec;
import java.util.List;
import java.util.Optional;

/** Resolves a {@link Draft} against the nodes and the defaults into a {@link Check}. */
final class CheckBuilder {
  private final LoadContext ctx;
  private final TargetResolver targets;
  private final Defaults defaults;

  CheckBuilder(LoadContext ctx, TargetResolver targets, Defaults defaults) {
    this.ctx = ctx;
    this.targets = targets;
    this.defaults = defaults;
  }

  Parsed<ProbeSpec> probe(String text) {
    return Syntax.probe(text, defaults.icmpCount());
  }

  /** The id a draft gets, even when its probe is bad (then as written). */
  String idOf(Draft d) {
    Parsed<ProbeSpec> p = probe(d.probe().value());
    return p.isOk()
        ? Check.idOf(d.from().value(), d.to().value(), p.value())
        : d.from().value() + "->" + d.to().value() + " " + d.probe().value();
  }

  /**
   * The draft's checks: one, or with {@code family: both} one for the address's ip and one for its
   * ip6 (id and title marked v6), side by side in every report; empty when anything is wrong.
   */
  List<Check> buildAll(Draft d) {
    String family = d.settings().family() != null ? d.settings().family() : defaults.family();
    Optional<Check> check = build(d);
    if (check.isEmpty() || family.equals("ipv4")) {
      return check.stream().toList();
    }
    Check c = check.get();
    Optional<Address> address = c.to().address();
    if (address.isPresent() && address.get().isHostName()) {
      // a name: the v4 cell resolves it to its A address, the v6 cell to its AAAA
      Check six = twin(c, c.to().inFamily("ipv6"));
      return family.equals("both")
          ? List.of(withTarget(c, c.to().inFamily("ipv4")), six)
          : List.of(six);
    }
    if (address.isEmpty() || address.get().ip6() == null) {
      boolean already = c.to().ip().contains(":");
      if (family.equals("ipv6") && already) {
        return List.of(c);
      }
      ctx.problem(
          d.to().node(),
          "check '"
              + c.id()
              + "' asks for family "
              + family
              + ", but '"
              + c.to().ref()
              + "' has no IPv6 twin: give its address an ip6 (e.g. lan: { ip: 10.1.5.90, ip6:"
              + " fd00:1::5a }), or drop family");
      return List.of();
    }
    Target v6 =
        new Target(
            c.to().ref(),
            c.to().node(),
            Optional.of(address.get().asIpv6()),
            address.get().ip6(),
            c.to().path(),
            c.to().literalPort());
    Check six = twin(c, v6);
    return family.equals("both") ? List.of(c, six) : List.of(six);
  }

  /** The IPv6 twin of a check: its id marked v6, its title too unless it says IPv6 already. */
  private static Check twin(Check c, Target v6) {
    return new Check(
        c.id() + " v6",
        c.from(),
        v6,
        c.probe(),
        c.expect(),
        c.points(),
        c.timeout(),
        c.retries(),
        c.title().contains("IPv6")
            ? c.title()
            : (c.title().isEmpty() ? c.id() : c.title()) + " (IPv6)",
        c.hint(),
        c.login(),
        c.source());
  }

  private static Check withTarget(Check c, Target to) {
    return new Check(
        c.id(),
        c.from(),
        to,
        c.probe(),
        c.expect(),
        c.points(),
        c.timeout(),
        c.retries(),
        c.title(),
        c.hint(),
        c.login(),
        c.source());
  }

  /** The check; empty when anything is wrong (every problem reported). */
  Optional<Check> build(Draft d) {
    String id = idOf(d);
    String where = "in check '" + id + "'";
    Optional<ProbeSpec> probe =
        probe(d.probe().value()).orReport(ctx, d.probe().node(), where + ": ");
    Optional<Node> from =
        targets.source(d.from().value(), where).orReport(ctx, d.from().node(), "");
    Optional<Target> to = targets.resolve(d.to().value(), where).orReport(ctx, d.to().node(), "");
    if (d.settings().expect() == null) {
      ctx.problem(
          d.source(),
          "check '"
              + id
              + "' has no expect; write expect: pass, fail or a"
              + " disposition such as refused");
      return Optional.empty();
    }
    if (probe.isEmpty()
        || from.isEmpty()
        || to.isEmpty()
        || !usable(d, id, probe.get(), to.get())) {
      return Optional.empty();
    }
    Settings s = d.settings();
    if (!measurable(d, id, probe.get(), s.expect())) {
      return Optional.empty();
    }
    Optional<ProbeSpec> expecting = probeSettings(d, id, probe.get(), s);
    if (expecting.isEmpty()) {
      return Optional.empty();
    }
    probe = expecting;
    try {
      return Optional.of(
          new Check(
              id,
              from.get().name(),
              to.get(),
              probe.get(),
              s.expect(),
              s.points() != null ? s.points() : defaults.points(),
              s.timeout() != null ? s.timeout() : defaults.timeout(),
              s.retries() != null ? s.retries() : defaults.retries(),
              fill(s.title(), d, probe.get()),
              fill(s.hint(), d, probe.get()),
              login(probe.get(), to.get()),
              d.source()));
    } catch (IllegalArgumentException e) {
      ctx.problem(d.source(), "check '" + id + "': " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Address {@code from:} restrictions and ports that make no sense for the probe. */
  private boolean usable(Draft d, String id, ProbeSpec probe, Target to) {
    Optional<Address> address = to.address();
    if (address.isPresent() && !address.get().isUsableFrom(d.from().value())) {
      ctx.problem(
          d.to().node(),
          "address '"
              + to.ref()
              + "' in check '"
              + id
              + "' can only be used"
              + " from "
              + String.join(", ", address.get().from())
              + " (its from: list); "
              + address.get().ip()
              + " means something else on "
              + d.from().value());
      return false;
    }
    if (probe instanceof ProbeSpec.Icmp && to.literalPort().isPresent()) {
      ctx.problem(
          d.to().node(),
          "check '"
              + id
              + "' sends icmp to '"
              + to.ref()
              + "': icmp has"
              + " no ports; drop ':"
              + to.literalPort().getAsInt()
              + "' or use tcp/udp/ssh");
      return false;
    }
    return true;
  }

  /**
   * An http probe with the check's status and body, an rr probe with its duration and size; those
   * fields on another probe are an error.
   */
  private Optional<ProbeSpec> probeSettings(Draft d, String id, ProbeSpec probe, Settings s) {
    boolean durationOk = probe.measures();
    boolean sizeOk = probe instanceof ProbeSpec.Rr;
    if (!durationOk && s.duration() != null || !sizeOk && s.size() != null) {
      String field = !durationOk && s.duration() != null ? "duration" : "size";
      ctx.problem(
          d.source(),
          "check '"
              + id
              + "' has "
              + field
              + (field.equals("duration")
                  ? ", which only rr and bulk probes take (rr:tcp:PORT, rr:udp:PORT,"
                      + " bulk:tcp:PORT)"
                  : ", which only rr probes take (rr:tcp:PORT, rr:udp:PORT)")
              + "; its probe is "
              + probe.label()
              + " (drop "
              + field
              + (probe.measures()
                  ? ": a bulk probe writes as much as the path takes)"
                  : ", or for a round-trip time write icmp-count in defaults)"));
      return Optional.empty();
    }
    if (probe instanceof ProbeSpec.Http http) {
      return Optional.of(http.expecting(s.status() == null ? 0 : s.status(), s.body()));
    }
    if (s.status() != null || s.body() != null) {
      ctx.problem(
          d.source(),
          "check '"
              + id
              + "' has "
              + (s.status() != null ? "status" : "body")
              + ", which only http and https probes take; its probe is "
              + probe.label()
              + " (write probe: http:PORT/path, or drop "
              + (s.status() != null ? "status" : "body")
              + ")");
      return Optional.empty();
    }
    if (probe instanceof ProbeSpec.Rr rr) {
      return Optional.of(
          new ProbeSpec.Rr(
              rr.over(),
              rr.port(),
              s.duration() == null ? rr.durationMs() : (int) s.duration().toMillis(),
              s.size() == null ? rr.size() : s.size()));
    }
    if (probe instanceof ProbeSpec.Bulk bulk && s.duration() != null) {
      return Optional.of(new ProbeSpec.Bulk(bulk.port(), (int) s.duration().toMillis()));
    }
    return Optional.of(probe);
  }

  /**
   * Thresholds need figures: an rr probe measures them all but throughput; a bulk probe only
   * throughput; an icmp probe its round-trip times and loss (from its echoes, defaults.icmp-count
   * of them); other probes none.
   */
  private boolean measurable(Draft d, String id, ProbeSpec probe, Expectation expect) {
    if (!(expect instanceof Expectation.Measured measured)) {
      return true;
    }
    String takes;
    java.util.function.Predicate<Threshold.Metric> ok;
    if (probe instanceof ProbeSpec.Rr) {
      ok = Threshold.Metric::ofTransactions;
      takes = "an rr check takes tps, rtt-p50, rtt-p90, rtt-p99, rtt-max and loss";
    } else if (probe instanceof ProbeSpec.Bulk) {
      ok = m -> m == Threshold.Metric.THROUGHPUT;
      takes = "a bulk check takes throughput (\">1Gbit/s\")";
    } else if (probe instanceof ProbeSpec.Icmp) {
      ok = m -> m != Threshold.Metric.TPS && m != Threshold.Metric.THROUGHPUT;
      takes =
          "an icmp check takes rtt-p50, rtt-p90, rtt-p99, rtt-max and loss (over"
              + " defaults.icmp-count echoes)";
    } else {
      ctx.problem(
          d.source(),
          "check '"
              + id
              + "' has thresholds, which only rr probes (all of them), bulk probes (throughput)"
              + " and icmp probes (round-trip times and loss) measure; its probe is "
              + probe.label()
              + " (write probe: rr:tcp:PORT, or expect: pass)");
      return false;
    }
    Optional<Threshold> wrong =
        measured.thresholds().stream().filter(t -> !ok.test(t.metric())).findFirst();
    if (wrong.isEmpty()) {
      return true;
    }
    String metric = wrong.get().metric().yamlName();
    ctx.problem(
        d.source(),
        "check '"
            + id
            + "' asks for "
            + metric
            + ", which "
            + (metric.equals("tps")
                ? "only rr probes measure"
                : metric.equals("throughput")
                    ? "only bulk probes measure (bulk:tcp:PORT)"
                    : "a bulk probe does not measure (it times no round trip)")
            + "; "
            + takes);
    return false;
  }

  private Optional<Credentials> login(ProbeSpec probe, Target to) {
    if (!(probe instanceof ProbeSpec.Ssh) || to.node().isEmpty()) {
      return probe instanceof ProbeSpec.Ssh ? defaults.login() : Optional.empty();
    }
    Node node = targets.node(to.node().get());
    if (node.login().isPresent()) {
      return node.login();
    }
    if (node.access() instanceof NodeAccess.Ssh ssh) {
      return Optional.of(ssh.login());
    }
    return defaults.login();
  }

  /** Mesh titles and hints may say {from}, {to} and {probe}. */
  private static String fill(String template, Draft d, ProbeSpec probe) {
    return template == null
        ? ""
        : template
            .replace("{from}", d.from().value())
            .replace("{to}", d.to().value())
            .replace("{probe}", probe.label());
  }
}
