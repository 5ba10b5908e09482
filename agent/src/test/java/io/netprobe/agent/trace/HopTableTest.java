package io.netprobe.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HopTableTest {
  private static final String DST = "10.3.0.1";

  private static Answer te(int ttl, String from) {
    return new Answer(ttl, from, HopKind.TIME_EXCEEDED, 0, "time exceeded");
  }

  private static Answer reply(int ttl) {
    return new Answer(ttl, DST, HopKind.REPLY, null, "SYN-ACK");
  }

  private static HopTable table(int maxHops, Answer... answers) {
    HopTable t = new HopTable(maxHops, DST, 1000);
    for (Answer a : answers) {
      t.record(a, 0.3);
    }
    return t;
  }

  @Test
  void destinationAnsweringEndsTheHops() {
    HopTable t = table(16, te(1, "10.1.0.254"), te(2, "10.2.0.254"), reply(3), reply(4), reply(9));
    assertThat(t.hops()).extracting(Hop::ttl).containsExactly(1, 2, 3);
    assertThat(t.reached()).isTrue();
    assertThat(t.complete()).as("nothing more to wait for").isTrue();
    assertThat(t.lastAnswered().ttl()).isEqualTo(3);
    assertThat(t.firstSilent()).isNull();
    assertThat(t.evidence())
        .containsExactly(
            "hop 1 10.1.0.254 (time exceeded, 0.3 ms)",
            "hop 2 10.2.0.254 (time exceeded, 0.3 ms)",
            "hop 3 10.3.0.1 (SYN-ACK, 0.3 ms)",
            "reached 10.3.0.1 at hop 3 (SYN-ACK)");
  }

  @Test
  void silenceAfterAHopNamesTheLastAnsweredAndTheFirstSilent() {
    HopTable t = table(5, te(1, "10.1.0.254"), te(2, "10.2.0.254"));
    assertThat(t.hops()).hasSize(5);
    assertThat(t.hops().get(2)).isEqualTo(Hop.silent(3));
    assertThat(t.reached()).isFalse();
    assertThat(t.complete()).isFalse();
    assertThat(t.lastAnswered().from()).isEqualTo("10.2.0.254");
    assertThat(t.firstSilent()).isEqualTo(3);
    List<String> evidence = t.evidence();
    assertThat(evidence.get(2)).isEqualTo("hop 3: no answer within 1000 ms");
    assertThat(evidence.get(5))
        .startsWith(
            "the last answer came from hop 2 10.2.0.254; nothing answered from hop 3 to 5"
                + " within 1000 ms: the flow is lost where 10.2.0.254 forwards it");
  }

  @Test
  void rateLimitedHopIsNoneBetweenAnsweredHops() {
    HopTable t = table(16, te(1, "10.1.0.254"), te(3, "10.2.0.254"), reply(4));
    assertThat(t.hops())
        .extracting(Hop::kind)
        .containsExactly(HopKind.TIME_EXCEEDED, HopKind.NONE, HopKind.TIME_EXCEEDED, HopKind.REPLY);
    assertThat(t.reached()).isTrue();
    assertThat(t.complete()).as("hop 2 may still answer").isFalse();
    assertThat(t.lastAnswered().ttl()).isEqualTo(4);
    assertThat(t.firstSilent()).isNull();
    assertThat(t.evidence().get(1))
        .isEqualTo(
            "hop 2: no answer within 1000 ms (a later hop answered: this router sends no time"
                + " exceeded, or rate-limits it)");
  }

  @Test
  void unreachableFromARouterEndsThePathThere() {
    Answer net = new Answer(2, "10.2.0.254", HopKind.UNREACHABLE, 0, "net unreachable");
    Answer again = new Answer(3, "10.2.0.254", HopKind.UNREACHABLE, 0, "net unreachable");
    HopTable t = table(16, te(1, "10.1.0.254"), net, again);
    assertThat(t.hops()).hasSize(2);
    assertThat(t.reached()).isFalse();
    assertThat(t.complete()).isTrue();
    assertThat(t.lastAnswered().code()).isZero();
    assertThat(t.firstSilent()).isNull();
    assertThat(t.evidence())
        .containsExactly(
            "hop 1 10.1.0.254 (time exceeded, 0.3 ms)",
            "hop 2 10.2.0.254 (net unreachable, code 0, 0.3 ms)",
            "hop 2 10.2.0.254 answered net unreachable: the flow goes no further than"
                + " 10.2.0.254");
  }

  @Test
  void nothingAnsweringMakesTheFirstHopSilent() {
    HopTable t = table(3);
    assertThat(t.hops()).extracting(Hop::answered).containsExactly(false, false, false);
    assertThat(t.lastAnswered()).isNull();
    assertThat(t.firstSilent()).isEqualTo(1);
    assertThat(t.evidence().get(3)).startsWith("no hop answered within 1000 ms");
  }

  @Test
  void firstAnswerForATtlCounts() {
    HopTable t = new HopTable(4, DST, 1000);
    assertThat(t.record(te(1, "10.1.0.254"), 0.3)).isTrue();
    assertThat(t.record(te(1, "10.9.9.9"), 0.5)).isFalse();
    assertThat(t.hops().get(0).from()).isEqualTo("10.1.0.254");
  }

  @Test
  void answeredLastHopShortOfTheDestinationSaysItIsFarther() {
    HopTable t = table(2, te(1, "10.1.0.254"), te(2, "10.2.0.254"));
    assertThat(t.complete()).isTrue();
    assertThat(t.firstSilent()).isNull();
    assertThat(t.evidence().get(2))
        .isEqualTo(
            "hop 2 10.2.0.254 answered time exceeded: 10.3.0.1 is more than 2 hops away, or not"
                + " on this path");
  }
}
