package io.netprobe.matrix;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A figure a measured path must stay below or above: {@code rtt-p99: "<5ms"}, {@code tps:
 * ">10000"}, {@code loss: "<1%"}, {@code throughput: ">1Gbit/s"}. A cell whose packets got through
 * but whose figure misses it is UNEXPECTED, and says by how much.
 *
 * @param value in the metric's unit: ms for round-trip times, transactions per second, percent,
 *     bits per second
 */
public record Threshold(Metric metric, boolean below, double value) {

  /** What a threshold is about, and the unit it is written in. */
  public enum Metric {
    TPS("tps", "transactions/s"),
    RTT_P50("rtt-p50", "ms"),
    RTT_P90("rtt-p90", "ms"),
    RTT_P99("rtt-p99", "ms"),
    RTT_MAX("rtt-max", "ms"),
    LOSS("loss", "%"),
    THROUGHPUT("throughput", "bit/s");

    private final String yamlName;
    private final String unit;

    Metric(String yamlName, String unit) {
      this.yamlName = yamlName;
      this.unit = unit;
    }

    public String yamlName() {
      return yamlName;
    }

    /** {@code p99}, {@code tps}, {@code loss}: the figure's short name in a reason. */
    String shortName() {
      return yamlName.startsWith("rtt-") ? yamlName.substring(4) : yamlName;
    }

    boolean isRtt() {
      return unit.equals("ms");
    }

    /** The metrics an rr check measures: all but throughput. */
    public boolean ofTransactions() {
      return this != THROUGHPUT;
    }

    static List<String> yamlNames() {
      return Arrays.stream(values()).map(Metric::yamlName).toList();
    }

    static Optional<Metric> fromYaml(String name) {
      return Arrays.stream(values()).filter(m -> m.yamlName.equals(name)).findFirst();
    }
  }

  private static final Pattern TEXT =
      Pattern.compile(
          "([<>])\\s*(\\d{1,9}(?:\\.\\d{1,6})?)\\s*(ms|us|s|%|bit/s|kbit/s|Mbit/s|Gbit/s)?");

  /** The units of a rate, and what each is worth in bits per second (decimal, as iperf3's). */
  private static final List<String> RATE_UNITS = List.of("bit/s", "kbit/s", "Mbit/s", "Gbit/s");

  public Threshold {
    Objects.requireNonNull(metric, "metric");
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("threshold out of range: " + value + " (" + metric + ")");
    }
  }

  /** {@code <5ms}, {@code <500us}, {@code >10000}, {@code <1%}, as {@code metric} takes it. */
  static Parsed<Threshold> parse(Metric metric, String text) {
    Matcher m = TEXT.matcher(text.trim());
    String example =
        switch (metric) {
          case TPS -> "\">10000\" (transactions per second)";
          case LOSS -> "\"<1%\"";
          case THROUGHPUT -> "\">1Gbit/s\" (or bit/s, kbit/s, Mbit/s)";
          default -> "\"<5ms\" (or us, s)";
        };
    if (!m.matches()) {
      return Parsed.bad(
          "bad threshold '"
              + text
              + "': write < or > and a number, e.g. "
              + metric.yamlName()
              + ": "
              + example);
    }
    double n = Double.parseDouble(m.group(2));
    String unit = m.group(3);
    if (metric.isRtt()) {
      if (unit == null || !List.of("ms", "us", "s").contains(unit)) {
        return Parsed.bad(
            "threshold '" + text + "' needs a unit of time: ms, us or s, e.g. " + example);
      }
      n = unit.equals("us") ? n / 1000 : unit.equals("s") ? n * 1000 : n;
    } else if (metric == Metric.THROUGHPUT) {
      if (unit == null || !RATE_UNITS.contains(unit)) {
        return Parsed.bad(
            "threshold '"
                + text
                + "' needs a unit of rate: bit/s, kbit/s, Mbit/s or Gbit/s, e.g. "
                + example);
      }
      n = n * Math.pow(1000, RATE_UNITS.indexOf(unit));
    } else if (metric == Metric.LOSS ? !"%".equals(unit) : unit != null) {
      return Parsed.bad("threshold '" + text + "' is written as " + example);
    } else if (metric == Metric.LOSS && n > 100) {
      return Parsed.bad("a loss is 0..100%: '" + text + "'");
    }
    return Parsed.ok(new Threshold(metric, m.group(1).equals("<"), n));
  }

  /** As written, normalised: {@code rtt-p99 < 5 ms}, {@code tps > 10000}, {@code loss < 1%}. */
  public String label() {
    return metric.yamlName() + (below ? " < " : " > ") + figure(value);
  }

  /**
   * The miss, in words, when {@code actual} does not keep this threshold: {@code p99 7.2 ms, above
   * the 5 ms asked, by 2.2 ms}; empty when it keeps it.
   */
  public Optional<String> missedBy(double actual) {
    boolean kept = below ? actual < value : actual > value;
    if (kept) {
      return Optional.empty();
    }
    String side = below ? "above" : "below";
    double by = Math.abs(actual - value);
    return Optional.of(
        metric.shortName()
            + " "
            + figure(actual)
            + ", "
            + (by == 0 ? "not " + (below ? "below" : "above") : side)
            + " the "
            + figure(value)
            + " asked"
            + (by == 0
                ? ""
                : ", by " + (metric == Metric.LOSS ? number(by) + " points" : figure(by))));
  }

  /**
   * A figure of this metric with its unit: {@code 5 ms}, {@code 200/s}, {@code 1%}, {@code 1
   * Gbit/s}.
   */
  private String figure(double v) {
    return switch (metric) {
      case TPS -> number(v) + "/s";
      case LOSS -> number(v) + "%";
      case THROUGHPUT -> io.netprobe.agent.probe.Throughput.rate(v);
      default -> number(v) + " ms";
    };
  }

  /** A figure as a person writes it: {@code 5}, {@code 7.2}, {@code 0.081}, {@code 10,000}. */
  static String number(double v) {
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (v >= 10) {
      return stripZeros(String.format(Locale.ROOT, "%.1f", v));
    }
    return stripZeros(String.format(Locale.ROOT, "%.3f", v));
  }

  private static String stripZeros(String s) {
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
