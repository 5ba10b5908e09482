package io.netprobe.matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a check should give: {@code pass} (reached), {@code fail} (any disposition but reached), or
 * one exact disposition such as {@code refused}.
 */
public sealed interface Expectation
    permits Expectation.Pass, Expectation.Fail, Expectation.Exactly, Expectation.Measured {

  Expectation PASS = new Pass();
  Expectation FAIL = new Fail();

  /** True when a check whose packets did {@code observed} went as expected. */
  boolean isMetBy(Disposition observed);

  /** The expectation as written in a matrix file. */
  String label();

  /** The packets got there and back. */
  record Pass() implements Expectation {
    @Override
    public boolean isMetBy(Disposition observed) {
      return observed.isReachable();
    }

    @Override
    public String label() {
      return "pass";
    }
  }

  /** The packets did not get there and back, for whatever reason. */
  record Fail() implements Expectation {
    @Override
    public boolean isMetBy(Disposition observed) {
      return !observed.isReachable();
    }

    @Override
    public String label() {
      return "fail";
    }
  }

  /** Exactly this disposition, e.g. {@code refused}: the port is open to the path, closed. */
  record Exactly(Disposition disposition) implements Expectation {
    public Exactly {
      Objects.requireNonNull(disposition, "disposition");
    }

    @Override
    public boolean isMetBy(Disposition observed) {
      return observed == disposition;
    }

    @Override
    public String label() {
      return disposition.yamlName();
    }
  }

  /**
   * The packets get there and back, and the figures measured on the way keep every threshold:
   * {@code expect: { rtt-p99: "<5ms", tps: ">10000" }}. Its disposition decides as {@code pass}
   * does; the figures are graded beside it ({@link Threshold#missedBy}).
   */
  record Measured(List<Threshold> thresholds) implements Expectation {
    public Measured {
      thresholds = List.copyOf(thresholds);
      if (thresholds.isEmpty()) {
        throw new IllegalArgumentException("a measured expectation needs a threshold");
      }
    }

    @Override
    public boolean isMetBy(Disposition observed) {
      return observed.isReachable();
    }

    /** {@code pass, rtt-p99 < 5 ms, tps > 10,000/s}. */
    @Override
    public String label() {
      StringBuilder s = new StringBuilder("pass");
      thresholds.forEach(t -> s.append(", ").append(t.label()));
      return s.toString();
    }
  }

  /** The expectation written {@code text}, if it is one. */
  static Optional<Expectation> fromYaml(String text) {
    return switch (text) {
      case "pass" -> Optional.of(PASS);
      case "fail" -> Optional.of(FAIL);
      default -> Disposition.fromYaml(text).map(Exactly::new);
    };
  }

  /** Every expectation a matrix file may use. */
  static List<String> yamlNames() {
    List<String> names = new ArrayList<>(List.of("pass", "fail"));
    names.addAll(Disposition.yamlNames());
    return names;
  }
}
