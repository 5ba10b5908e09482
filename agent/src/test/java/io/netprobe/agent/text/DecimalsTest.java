package io.netprobe.agent.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalsTest {
  @Test
  void writesWhatStringFormatWrites() {
    double[] values = {
      0,
      -0.0,
      0.05,
      0.15,
      0.25,
      1.005,
      2.675,
      12.25,
      9.9999,
      10.05,
      123456.789,
      -1.25,
      -0.04,
      1e-7,
      0.0614,
      358.46,
      99.95,
      Double.NaN,
      Double.POSITIVE_INFINITY
    };
    for (double v : values) {
      for (int places = 0; places <= 3; places++) {
        assertThat(Decimals.fixed(v, places))
            .as("%s to %d places", v, places)
            .isEqualTo(String.format(Locale.ROOT, "%." + places + "f", v));
      }
    }
  }

  @Test
  void agreesWithStringFormatOnRandomTimes() {
    Random random = new Random(14);
    for (int i = 0; i < 20_000; i++) {
      double v = random.nextInt(4) == 0 ? random.nextDouble() : random.nextDouble() * 5000;
      if (random.nextBoolean()) {
        v = Math.round(v * 1000) / 1000.0 + 0.0005; // halfway cases
      }
      int places = random.nextInt(4);
      assertThat(Decimals.fixed(v, places))
          .as("%s", v)
          .isEqualTo(String.format(Locale.ROOT, "%." + places + "f", v));
      assertThat(Decimals.grouped(v * 1000, places))
          .as("%s", v * 1000)
          .isEqualTo(String.format(Locale.ROOT, "%,." + places + "f", v * 1000));
    }
  }
}
