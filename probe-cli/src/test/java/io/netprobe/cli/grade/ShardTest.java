package io.netprobe.cli.grade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.cli.error.UserException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardTest {
  private static final List<String> CLASS = List.of("a", "b", "c", "d", "e", "f", "g");

  @Test
  void shardsTakeEveryNthStudentAndTogetherTheWholeClassOnce() {
    var all = new ArrayList<String>();
    for (int i = 1; i <= 3; i++) {
      all.addAll(new Shard(i, 3).pick(CLASS));
    }
    assertThat(new Shard(1, 3).pick(CLASS)).containsExactly("a", "d", "g");
    assertThat(new Shard(3, 3).pick(CLASS)).containsExactly("c", "f");
    assertThat(all).containsExactlyInAnyOrderElementsOf(CLASS);
    assertThat(new Shard(9, 9).pick(CLASS)).as("more shards than students").isEmpty();
  }

  @Test
  void anIndexedJobsPodIndexCountsFromZero() {
    assertThat(Shard.parse("/4", Map.of("JOB_COMPLETION_INDEX", "0"))).isEqualTo(new Shard(1, 4));
    assertThat(Shard.parse("/4", Map.of("JOB_COMPLETION_INDEX", "3"))).isEqualTo(new Shard(4, 4));
    assertThat(Shard.parse(" 2 / 4 ", Map.of("JOB_COMPLETION_INDEX", "0")))
        .as("an explicit index wins")
        .isEqualTo(new Shard(2, 4));
  }

  @Test
  void badShardsSayWhatWouldBeValid() {
    assertThatThrownBy(() -> Shard.parse("0/4", Map.of()))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("the index goes from 1 to the count");
    assertThatThrownBy(() -> Shard.parse("/4", Map.of("JOB_COMPLETION_INDEX", "4")))
        .hasMessageContaining("--shard /4 (JOB_COMPLETION_INDEX=4): shard 5 of 4 does not exist");
    assertThatThrownBy(() -> Shard.parse("/4", Map.of()))
        .hasMessageContaining("JOB_COMPLETION_INDEX is not set")
        .hasMessageContaining("--shard I/4");
    assertThatThrownBy(() -> Shard.parse("half", Map.of())).hasMessageContaining("expected I/N");
  }
}
