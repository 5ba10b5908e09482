package io.netprobe.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netprobe daemon}, as a user runs it: the built jar in processes of its own, a daemon
 * started in a working directory, commands from there relayed through it (their output, exit code,
 * relative paths and the caller's {@code ${VAR}}s as without it), a second command meanwhile run in
 * its own JVM, another directory not served, and Ctrl-C of the client cleaning up and ending the
 * daemon. Probes only this machine's loopback.
 */
class DaemonIT {
  private static final Path JAR = Path.of("target", "netprobe.jar").toAbsolutePath();
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path tmp;
  private Path work;
  private Path daemons;
  private final List<Socket> held = new ArrayList<>();
  private ServerSocket open;
  private ServerSocket silent;

  @BeforeEach
  void setUp() throws IOException {
    work = Files.createDirectories(tmp.resolve("work"));
    daemons = tmp.resolve("np-daemons");
    open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    // accepts and never says a word: an SSH check waits for the banner until its timeout
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept =
        new Thread(
            () -> {
              try {
                while (true) {
                  held.add(silent.accept());
                }
              } catch (IOException closed) {
                // the test is over
              }
            });
    accept.setDaemon(true);
    accept.start();
    Files.writeString(
        work.resolve("quick.yaml"),
        """
        name: quick
        nodes: { pc: { kind: local } }
        checks:
          - { from: pc, to: 127.0.0.1, probe: "tcp:${PORT}", expect: pass }
        """);
    Files.writeString(
        work.resolve("slow.yaml"),
        """
        name: slow
        nodes: { pc: { kind: local } }
        checks:
          - { from: pc, to: 127.0.0.1, probe: "ssh:%d", expect: pass, timeout: 30s }
        """
            .formatted(silent.getLocalPort()));
  }

  @AfterEach
  void tearDown() throws Exception {
    netprobe(work, Map.of(), "daemon", "stop");
    open.close();
    silent.close();
    for (Socket s : held) {
      s.close();
    }
  }

  @Test
  void commandsGoThroughTheDaemonWithTheCallersEnvironmentAndDirectory() throws Exception {
    Result started = netprobe(work, Map.of(), "daemon", "start", "--idle", "5m");
    assertThat(started.code()).as(started.text()).isZero();
    assertThat(started.text()).contains("started (pid");
    assertThat(Files.getPosixFilePermissions(daemons))
        .as("the sockets' directory is the user's alone")
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

    Map<String, String> port = Map.of("PORT", Integer.toString(open.getLocalPort()));
    Result warm =
        netprobe(
            work,
            port,
            "run",
            "quick.yaml",
            "--no-progress",
            "--format",
            "table,json",
            "--out",
            "out");
    assertThat(warm.code()).as(warm.text()).isZero();
    assertThat(warm.text()).contains("1 check: 1 OK").contains("Reports: out/run.json");
    assertThat(work.resolve("out/run.json")).as("--out out: the caller's directory").exists();
    assertThat(Files.readString(work.resolve("out/run.json")))
        .as("${PORT}: the caller's")
        .contains("pc->127.0.0.1 tcp:" + open.getLocalPort());
    assertThat(served()).as(status()).isEqualTo(1);

    Result cold =
        netprobe(
            work,
            Map.of("PORT", port.get("PORT"), "NETPROBE_DAEMON", "0"),
            "run",
            "quick.yaml",
            "--no-progress");
    assertThat(cold.code()).isZero();
    assertThat(served()).as("NETPROBE_DAEMON=0: not through it").isEqualTo(1);

    Result missing = netprobe(work, Map.of(), "run", "quick.yaml", "--no-progress");
    assertThat(missing.code()).as("the caller's environment, without PORT").isEqualTo(2);
    assertThat(missing.text()).contains("PORT");
    assertThat(served()).isEqualTo(2);

    // | head: the reader of its stdout gone before the output came
    ProcessBuilder piped = netprobeIn(work, port, "run", "quick.yaml", "--no-progress");
    Process headed = piped.start();
    headed.getInputStream().close();
    assertThat(headed.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(headed.exitValue()).as("the command went on").isZero();
    assertThat(served()).as("and the daemon too").isEqualTo(3);

    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.copy(work.resolve("quick.yaml"), elsewhere.resolve("quick.yaml"));
    Result other = netprobe(elsewhere, port, "run", "quick.yaml", "--no-progress");
    assertThat(other.code()).as(other.text()).isZero();
    assertThat(served()).as("another directory is not this daemon's").isEqualTo(3);
  }

  @Test
  void aSecondCommandRunsInItsOwnJvmAndCtrlCCleansUpAndEndsTheDaemon() throws Exception {
    assertThat(netprobe(work, Map.of(), "daemon", "start").code()).isZero();
    long daemonPid = Long.parseLong(status().replaceAll("(?s).*pid (\\d+).*", "$1"));
    Process slow = start(work, Map.of(), "run", "slow.yaml", "--no-progress");
    waitFor(() -> status().contains("running one now"), "the daemon runs the slow command");

    Result second =
        netprobe(
            work,
            Map.of("PORT", Integer.toString(open.getLocalPort())),
            "run",
            "quick.yaml",
            "--no-progress");
    assertThat(second.code())
        .as("the daemon was busy: its own JVM ran it\n" + second.text())
        .isZero();
    assertThat(slow.isAlive()).isTrue();

    new ProcessBuilder("kill", "-INT", Long.toString(slow.pid())).start().waitFor();
    assertThat(slow.waitFor(30, TimeUnit.SECONDS)).as("the client ends after Ctrl-C").isTrue();
    assertThat(slow.exitValue()).isEqualTo(130);
    waitFor(() -> ProcessHandle.of(daemonPid).isEmpty(), "the daemon exits with the command");
    try (var files = Files.list(daemons)) {
      assertThat(files).as("its socket and its log are gone").isEmpty();
    }
  }

  private int served() {
    String s = status();
    return Integer.parseInt(s.replaceAll("(?s).*, (\\d+) commands served.*", "$1"));
  }

  private String status() {
    try {
      return netprobe(work, Map.of(), "daemon", "status").text();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void waitFor(BooleanSupplier what, String as) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!what.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + as);
      }
      Thread.sleep(100);
    }
  }

  private record Result(int code, String text) {}

  /** The built jar run as {@code netprobe ARGS} in {@code dir}, on this test's daemons. */
  private ProcessBuilder netprobeIn(Path dir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile());
    b.environment().remove("NETPROBE_DAEMON");
    b.environment().put("NETPROBE_DAEMON_DIR", daemons.toString());
    b.environment().putAll(env);
    return b;
  }

  private Process start(Path dir, Map<String, String> env, String... args) throws IOException {
    return netprobeIn(dir, env, args)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("out.txt").toFile()))
        .start();
  }

  private Result netprobe(Path dir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "np-daemon", ".txt");
    Process p =
        netprobeIn(dir, env, args).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("netprobe " + String.join(" ", args) + " did not end in 120 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
