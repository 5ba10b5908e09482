package io.netprobe.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThresholdTest {
  private static Threshold parse(Threshold.Metric metric, String text) {
    Parsed<Threshold> p = Threshold.parse(metric, text);
    assertThat(p.error()).as(text).isNull();
    return p.value();
  }

  @Test
  void roundTripTimesTakeMsUsAndS() {
    assertThat(parse(Threshold.Metric.RTT_P99, "<5ms").value()).isEqualTo(5.0);
    assertThat(parse(Threshold.Metric.RTT_P50, "< 500us").value()).isEqualTo(0.5);
    assertThat(parse(Threshold.Metric.RTT_MAX, "<1.5s").value()).isEqualTo(1500.0);
    assertThat(parse(Threshold.Metric.TPS, ">10000").below()).isFalse();
    assertThat(parse(Threshold.Metric.LOSS, "<1%").value()).isEqualTo(1.0);
  }

  @Test
  void aBadValueSaysHowToWriteIt() {
    assertThat(Threshold.parse(Threshold.Metric.RTT_P99, "5ms").error())
        .isEqualTo(
            "bad threshold '5ms': write < or > and a number, e.g. rtt-p99: \"<5ms\" (or us, s)");
    assertThat(Threshold.parse(Threshold.Metric.RTT_P99, "<5").error())
        .isEqualTo("threshold '<5' needs a unit of time: ms, us or s, e.g. \"<5ms\" (or us, s)");
    assertThat(Threshold.parse(Threshold.Metric.TPS, ">10k").error()).contains("\">10000\"");
    assertThat(Threshold.parse(Threshold.Metric.LOSS, "<1").error())
        .isEqualTo("threshold '<1' is written as \"<1%\"");
  }

  @Test
  void aMissSaysByHowMuch() {
    Threshold p99 = parse(Threshold.Metric.RTT_P99, "<5ms");
    assertThat(p99.missedBy(7.2)).hasValue("p99 7.2 ms, above the 5 ms asked, by 2.2 ms");
    assertThat(p99.missedBy(4.9)).isEmpty();
    Threshold tps = parse(Threshold.Metric.TPS, ">10000");
    assertThat(tps.missedBy(9812.3)).hasValue("tps 9,812/s, below the 10,000/s asked, by 187.7/s");
    assertThat(parse(Threshold.Metric.LOSS, "<1%").missedBy(2.5))
        .hasValue("loss 2.5%, above the 1% asked, by 1.5 points");
    assertThat(p99.missedBy(5.0)).hasValue("p99 5 ms, not below the 5 ms asked");
  }

  @Test
  void labelsReadAsWritten() {
    assertThat(
            new Expectation.Measured(
                    java.util.List.of(
                        parse(Threshold.Metric.RTT_P99, "<5ms"),
                        parse(Threshold.Metric.TPS, ">10000")))
                .label())
        .isEqualTo("pass, rtt-p99 < 5 ms, tps > 10,000/s");
  }

  @Test
  void throughputTakesRatesInDecimalUnits() {
    assertThat(parse(Threshold.Metric.THROUGHPUT, ">1Gbit/s").value()).isEqualTo(1e9);
    assertThat(parse(Threshold.Metric.THROUGHPUT, "> 2.5 Mbit/s").value()).isEqualTo(2.5e6);
    assertThat(parse(Threshold.Metric.THROUGHPUT, ">800kbit/s").value()).isEqualTo(8e5);
    assertThat(parse(Threshold.Metric.THROUGHPUT, ">100bit/s").value()).isEqualTo(100.0);
    assertThat(Threshold.parse(Threshold.Metric.THROUGHPUT, ">1000").error())
        .contains("needs a unit of rate: bit/s, kbit/s, Mbit/s or Gbit/s");
    assertThat(Threshold.parse(Threshold.Metric.RTT_P99, "<5Mbit/s").error())
        .contains("needs a unit of time");
    Threshold gbit = parse(Threshold.Metric.THROUGHPUT, ">1Gbit/s");
    assertThat(gbit.label()).isEqualTo("throughput > 1 Gbit/s");
    assertThat(gbit.missedBy(612_500_000))
        .hasValue("throughput 613 Mbit/s, below the 1 Gbit/s asked, by 388 Mbit/s");
    assertThat(gbit.missedBy(9.4e9)).isEmpty();
  }
}
