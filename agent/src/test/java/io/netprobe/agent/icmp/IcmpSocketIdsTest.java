package io.netprobe.agent.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IcmpSocketIdsTest {
  @Test
  void anIdGivenBackRestsBeforeAnotherProbeTakesIt() {
    int first = IcmpSocket.acquire(40_001);
    IcmpSocket.release(first);

    int second = IcmpSocket.acquire(40_001);
    IcmpSocket.release(second);

    assertThat(first).isEqualTo(40_001);
    assertThat(second)
        .as("a capture still running must not see a later probe's echoes under an earlier id")
        .isNotEqualTo(first);
  }

  @Test
  void twoProbesInFlightNeverShareAnId() {
    int a = IcmpSocket.acquire(50_001);
    int b = IcmpSocket.acquire(50_001);
    IcmpSocket.release(a);
    IcmpSocket.release(b);

    assertThat(b).isNotEqualTo(a).isBetween(1, 65535);
  }
}
