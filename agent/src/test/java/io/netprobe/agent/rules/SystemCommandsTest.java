package io.netprobe.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The real runner: output read, errors only from a failing command, the timeout kills. */
class SystemCommandsTest {
  @Test
  void aCommandThatWorksGivesItsOutputAndNoErrors() {
    Commands.Result r =
        Commands.SYSTEM.run(List.of("/bin/sh", "-c", "echo rules; echo noise >&2"), 5000);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("rules\n");
    assertThat(r.err()).as("thrown away when it worked").isEmpty();
    assertThat(r.timedOut()).isFalse();
  }

  @Test
  void aCommandThatFailsSaysWhy() {
    Commands.Result r =
        Commands.SYSTEM.run(
            List.of("/bin/sh", "-c", "echo 'Permission denied (you must be root)' >&2; exit 4"),
            5000);
    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.firstErrorLine()).isEqualTo("Permission denied (you must be root)");
  }

  @Test
  void aCommandPastItsTimeoutIsKilled() {
    long t0 = System.nanoTime();
    Commands.Result r = Commands.SYSTEM.run(List.of("/bin/sh", "-c", "exec sleep 20"), 300);
    assertThat(r.timedOut()).isTrue();
    assertThat(r.exit()).isEqualTo(-1);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
  }

  @Test
  void aMissingBinaryCannotStart() {
    Commands.Result r = Commands.SYSTEM.run(List.of("/nonexistent/np-iptables-save"), 1000);
    assertThat(r.exit()).isEqualTo(-1);
    assertThat(r.err()).startsWith("cannot start /nonexistent/np-iptables-save");
  }
}
