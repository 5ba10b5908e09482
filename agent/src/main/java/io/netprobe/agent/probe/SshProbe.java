package io.netprobe.agent.probe;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.netprobe.agent.net.NetNamespace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * SSH through JSch, one step at a time: TCP connect, the server's banner, key exchange and the host
 * key (SHA256 fingerprint, checked against known_hosts unless told not to), authentication by
 * password or key, one command. Each step is timed when it happens; a failure names the step
 * (NOT_SSH, KEX_FAILED, HOSTKEY_MISMATCH, AUTH_FAILED). The password never reaches a result.
 */
public final class SshProbe implements Probe {
  private static final int MAX_OUTPUT = 4096;
  private final int port;
  private final SshLogin login;

  private final NetNamespace netns;

  public SshProbe(int port, SshLogin login, NetNamespace netns) {
    this.port = port;
    this.login = login;
    this.netns = netns;
  }

  /** What one run found besides the result builder. */
  private static final class Run {
    SshRecorder recorder;
    String step = "setup";
    String output;
    Integer exit;
    String failedStep;
  }

  @Override
  public CompletableFuture<ProbeResult> run(ProbeTarget target) {
    return CompletableFuture.supplyAsync(() -> runBlocking(target), netns.workers());
  }

  private ProbeResult runBlocking(ProbeTarget target) {
    ProbeResult.Builder result = ProbeResult.builder(port == 22 ? "ssh" : "ssh:" + port, target);
    InetAddress address = ProbeSupport.resolveNow(result, target, netns);
    if (address == null || !ProbeSupport.routed(result, address)) {
      return result.build();
    }
    Run run = new Run();
    Session session = null;
    try {
      session = open(address, target, run);
      run.step = "tcp";
      try {
        session.connect(target.timeoutMs());
      } finally {
        run.step = record(result, run.recorder, address);
      }
      result.step("auth").status(ProbeStatus.CONNECTED);
      result.evidence("logged in as " + login.user() + " by " + login.authMethod());
      run.step = "command";
      if (login.command() != null) {
        runCommand(session, target, run);
        result.step("command").evidence("command `" + login.command() + "` exited " + run.exit);
      }
    } catch (JSchException | IOException e) {
      if (!login.logsIn() && "auth".equals(run.step)) {
        // the transport works: banner, key exchange and host key came; no login was asked for
        result
            .step("transport")
            .status(ProbeStatus.CONNECTED)
            .evidence(
                "no login attempted: no credentials given (a key file or a password logs in and"
                    + " runs a command)");
      } else {
        classify(result, e, run, address, target);
        run.failedStep = run.step;
      }
    } finally {
      if (session != null) {
        session.disconnect();
      }
    }
    result.ssh(details(run));
    return result.build();
  }

  private Session open(InetAddress address, ProbeTarget target, Run run) throws JSchException {
    JSch jsch = new JSch();
    HostKeyRepository knownHosts = null;
    if (login.checkHostKey()) {
      // read whole: JSch reads a file it is given by name a byte per system call (1,300 for the
      // demo's 13 lines, 20 ms of a class's grading a student); this agent never writes to it
      byte[] known;
      try {
        known = Files.readAllBytes(Path.of(login.knownHosts()));
      } catch (IOException | SecurityException e) {
        throw new JSchException("known_hosts file not readable: " + login.knownHosts());
      }
      jsch.setKnownHosts(new ByteArrayInputStream(known));
      knownHosts = jsch.getHostKeyRepository();
    }
    if (login.keyFile() != null) {
      jsch.addIdentity(login.keyFile());
    }
    run.recorder = new SshRecorder(target, knownHosts);
    jsch.setHostKeyRepository(run.recorder);
    Session session =
        jsch.getSession(login.user(), io.netprobe.agent.address.Addresses.text(address), port);
    session.setSocketFactory(run.recorder);
    if (login.password() != null) {
      session.setPassword(login.password());
    }
    session.setConfig("StrictHostKeyChecking", login.checkHostKey() ? "yes" : "no");
    session.setConfig(
        "PreferredAuthentications",
        !login.logsIn()
            ? "publickey" // with no key loaded nothing is tried: the transport only
            : login.keyFile() != null ? "publickey,password" : "password,keyboard-interactive");
    return session;
  }

  /** Turns what the recorder saw into timed steps; returns the step that was running last. */
  private String record(ProbeResult.Builder result, SshRecorder r, InetAddress address) {
    if (r.socket != null && r.socket.getLocalPort() > 0) {
      result.sourcePort(r.socket.getLocalPort());
    }
    if (r.connectedNanos == 0) {
      return "tcp";
    }
    String to =
        io.netprobe.agent.address.Addresses.withPort(
            io.netprobe.agent.address.Addresses.text(address), port);
    result.stepAt("tcp", r.connectedNanos);
    result.evidence("TCP connected from " + result.from() + " to " + to);
    if (r.bannerNanos == 0 || r.banner() == null || !r.banner().startsWith("SSH-")) {
      return "banner";
    }
    result.stepAt("banner", r.bannerNanos).evidence("server banner: " + r.banner());
    if (r.hostKeyNanos == 0) {
      return "kex";
    }
    String check = r.check.toLowerCase(Locale.ROOT).replace('_', ' ');
    result.stepAt("kex", r.hostKeyNanos);
    result.evidence("host key " + r.hostKeyType + " " + r.fingerprint + " (" + check + ")");
    if (!"MATCH".equals(r.check) && !"NOT_CHECKED".equals(r.check)) {
      return "hostkey";
    }
    return "auth";
  }

  private void runCommand(Session session, ProbeTarget target, Run run)
      throws JSchException, IOException {
    ChannelExec exec = (ChannelExec) session.openChannel("exec");
    exec.setCommand(login.command());
    InputStream in = exec.getInputStream();
    exec.connect(target.timeoutMs());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    long deadline = System.nanoTime() + target.timeoutMs() * 1_000_000L;
    while (System.nanoTime() < deadline) {
      while (in.available() > 0 && out.size() < MAX_OUTPUT) {
        int n = in.read(buf);
        out.write(buf, 0, Math.max(0, n));
      }
      if (exec.isClosed() && in.available() == 0) {
        break;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    run.output = out.toString(StandardCharsets.UTF_8).strip();
    run.exit = exec.isClosed() ? exec.getExitStatus() : null;
    exec.disconnect();
  }

  private void classify(
      ProbeResult.Builder result, Exception e, Run run, InetAddress address, ProbeTarget target) {
    String message = String.valueOf(e.getMessage());
    InetSocketAddress remote = new InetSocketAddress(address, port);
    switch (run.step) {
      case "setup" ->
          result
              .status(ProbeStatus.ERROR)
              .evidence(
                  "could not prepare the SSH login (known_hosts "
                      + login.knownHosts()
                      + ", key file "
                      + login.keyFile()
                      + "): "
                      + message
                      + "; check the paths on the agent's node");
      case "tcp" ->
          ProbeSupport.failed(
              result, e.getCause() != null ? e.getCause() : e, remote, target.timeoutMs());
      case "banner" ->
          result
              .status(
                  run.recorder.banner() == null && hungUp(message)
                      ? ProbeStatus.CLOSED
                      : ProbeStatus.NOT_SSH)
              .evidence(
                  run.recorder.banner() == null
                      ? noBanner(message, target)
                      : "the server's first line is not an SSH banner: \""
                          + run.recorder.banner()
                          + "\"");
      case "kex" ->
          result.status(ProbeStatus.KEX_FAILED).evidence("key exchange failed: " + message);
      case "hostkey" ->
          result
              .status(ProbeStatus.HOSTKEY_MISMATCH)
              .evidence(
                  "UNKNOWN".equals(run.recorder.check)
                      ? "host key not in " + login.knownHosts() + ": refused (strict checking)"
                      : "host key differs from the one in "
                          + login.knownHosts()
                          + ": another host answers at this address, or the server was reinstalled");
      case "auth" ->
          result
              .status(
                  message.toLowerCase(Locale.ROOT).contains("auth")
                      ? ProbeStatus.AUTH_FAILED
                      : ProbeStatus.ERROR)
              .evidence(
                  "authentication as "
                      + login.user()
                      + " by "
                      + login.authMethod()
                      + " failed: "
                      + message);
      default -> result.status(ProbeStatus.ERROR).evidence(run.step + " failed: " + message);
    }
    result.step("failed");
  }

  private SshDetails details(Run run) {
    SshRecorder r = run.recorder;
    return new SshDetails(
        r == null ? null : r.banner(),
        r == null ? null : r.hostKeyType,
        r == null ? null : r.fingerprint,
        r == null ? null : r.check,
        login.user(),
        login.authMethod(),
        login.command(),
        run.output,
        run.exit,
        run.failedStep);
  }

  /**
   * No first line came: the server stayed silent until the timeout, or closed or reset the
   * connection first (a service that answers a stranger's line and hangs up, like HTTP).
   */
  private static String noBanner(String message, ProbeTarget target) {
    if (hungUp(message)) {
      return "the server closed the connection without an SSH banner ("
          + message
          + "): not an SSH server?";
    }
    return "no SSH banner within " + target.timeoutMs() + " ms: not an SSH server?";
  }

  /**
   * True when the far end closed or reset the connection before a byte: CLOSED, as a TCP probe says
   * it (a relay whose backend refused), not NOT_SSH.
   */
  private static boolean hungUp(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("reset") || m.contains("closed") || m.contains("end of");
  }
}
