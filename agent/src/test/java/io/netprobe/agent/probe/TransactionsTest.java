package io.netprobe.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransactionsTest {
  @Test
  void percentilesAreNearestRank() {
    long[] rtts = new long[100];
    for (int i = 0; i < 100; i++) {
      rtts[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms, unsorted
    }
    Transactions t = Transactions.of("tcp", 64, rtts, 100, 0, 2_000_000_000L);
    assertThat(t.minMs()).isEqualTo(1.0);
    assertThat(t.p50Ms()).isEqualTo(50.0);
    assertThat(t.p90Ms()).isEqualTo(90.0);
    assertThat(t.p99Ms()).isEqualTo(99.0);
    assertThat(t.maxMs()).isEqualTo(100.0);
    assertThat(t.tps()).isEqualTo(50.0);
  }

  @Test
  void histogramCountsEveryRoundTripInItsBucket() {
    long[] rtts = {5_000, 80_000, 80_000, 3_000_000, 2_000_000_000L};
    Transactions t = Transactions.of("udp", 64, rtts, 5, 1, 1_000_000_000L);
    assertThat(t.histogram()).hasSize(Transactions.BUCKET_EDGES_MS.size() + 1);
    assertThat(t.histogram().get(0)).as("5 us: up to 10 us").isEqualTo(1);
    assertThat(t.histogram().get(3)).as("80 us: 50..100 us").isEqualTo(2);
    assertThat(t.histogram().get(8)).as("3 ms: 2..5 ms").isEqualTo(1);
    assertThat(t.histogram().get(16)).as("2 s: above 1 s").isEqualTo(1);
    assertThat(t.lossRatio()).isEqualTo(1 / 6.0);
  }

  @Test
  void noRoundTripGivesZeros() {
    Transactions t = Transactions.of("udp", 64, new long[0], 0, 3, 1_000_000_000L);
    assertThat(t.p99Ms()).isZero();
    assertThat(t.histogram()).isEmpty();
    assertThat(t.lossRatio()).isEqualTo(1.0);
  }
}
