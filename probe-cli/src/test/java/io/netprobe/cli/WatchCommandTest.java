package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.cli.error.UserException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatchCommandTest {
  @Test
  void intervalsAndAddressesAreReadOrRefusedWithTheFormToWrite() {
    assertThat(WatchCommand.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(WatchCommand.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(WatchCommand.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> WatchCommand.duration("10"))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("--every: expected a number and a unit such as 500ms, 10s, 1m");
    assertThat(WatchCommand.address("127.0.0.1:9469").getPort()).isEqualTo(9469);
    assertThat(WatchCommand.address("[::1]:9469").getAddress().getHostAddress()).contains(":");
    assertThatThrownBy(() -> WatchCommand.address("9469"))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("expected HOST:PORT such as 127.0.0.1:9469");
  }

  @Test
  void aBadMatrixOrFormatRunsNothing() {
    StringWriter err = new StringWriter();
    var cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute("watch", "--format", "table", "--listen", "none", "x.yaml"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("a watch writes files only");
  }
}
