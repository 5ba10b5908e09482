package io.netprobe.agent.probe;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * SSH through JSch, one step at a time: TCP connect, the server's banner, key exchange and the host
 * key (SHA256 fingerprint, checked against known_hosts unless told not to), authentication by
 * password or key, one command. Each step is timed; a failure names the step (NOT_SSH, KEX_FAILED,
 * HOSTKEY_MISMATCH, AUTH_FAILED). The password never reaches a log or a result.
 */
public final class SshProbe implements Probe {
  private static final int MAX_OUTPUT = 4096;
  private final int port;
  private final SshLogin login;

  public SshProbe(int port, SshLogin login) {
    this.port = port;
    this.login = login;
  }

  @Override
  public CompletableFuture<ProbeResult> run(ProbeTarget target) {
    return CompletableFuture.supplyAsync(() -> runBlocking(target), Workers.pool());
  }

  private ProbeResult runBlocking(ProbeTarget target) {
    ProbeResult.Builder result = ProbeResult.builder(port == 22 ? "ssh" : "ssh:" + port, target);
    InetAddress address = ProbeSupport.resolve(result, target);
    if (address == null || !ProbeSupport.routed(result, address)) {
      return result.build();
    }
    JSch jsch = new JSch();
    SshRecorder recorder;
    Session session = null;
    String step = "tcp";
    Outcome outcome = new Outcome();
    try {
      recorder = new SshRecorder(target, knownHosts(jsch));
      if (login.keyFile() != null) {
        jsch.addIdentity(login.keyFile());
      }
      jsch.setHostKeyRepository(recorder);
      session = jsch.getSession(login.user(), address.getHostAddress(), port);
      configure(session, recorder);
      try {
        session.connect(target.timeoutMs());
      } finally {
        step = record(result, recorder, address);
      }
      result.step("auth");
      step = "command";
      result
          .status(ProbeStatus.CONNECTED)
          .evidence("logged in as " + login.user() + " by " + login.authMethod());
      if (login.command() != null) {
        runCommand(session, target, outcome);
        result.step("command").evidence("command `" + login.command() + "` exited " + outcome.exit);
      }
    } catch (JSchException | IOException e) {
      classify(result, e, step, address, target);
      outcome.failedStep = step;
    } finally {
      if (session != null) {
        session.disconnect();
      }
    }
    result.ssh(details(result, outcome));
    return result.build();
  }

  private static final class Outcome {
    String output;
    Integer exit;
    String failedStep;
    SshRecorder recorder;
  }

  private com.jcraft.jsch.HostKeyRepository knownHosts(JSch jsch) throws JSchException {
    if (!login.checkHostKey()) {
      return null;
    }
    jsch.setKnownHosts(login.knownHosts());
    return jsch.getHostKeyRepository();
  }

  private void configure(Session session, SshRecorder recorder) {
    session.setSocketFactory(recorder);
    if (login.password() != null) {
      session.setPassword(login.password());
    }
    session.setConfig("StrictHostKeyChecking", login.checkHostKey() ? "yes" : "no");
    session.setConfig(
        "PreferredAuthentications",
        login.keyFile() != null ? "publickey,password" : "password,keyboard-interactive");
    session.setConfig("MaxAuthTries", "1");
    current = recorder;
  }

  private SshRecorder current;

  /** Turns what the recorder saw into timed steps; returns the step that was running last. */
  private String record(ProbeResult.Builder result, SshRecorder r, InetAddress address) {
    if (r.socket != null && r.socket.getLocalPort() > 0) {
      result.sourcePort(r.socket.getLocalPort());
    }
    if (r.connectedNanos == 0) {
      return "tcp";
    }
    result
        .step("tcp")
        .evidence(
            "TCP connected from " + result.from() + " to " + address.getHostAddress() + ":" + port);
    if (r.bannerNanos == 0 || r.banner() == null || !r.banner().startsWith("SSH-")) {
      return "banner";
    }
    result.step("banner").evidence("server banner: " + r.banner());
    if (r.hostKeyNanos == 0) {
      return "kex";
    }
    result
        .step("kex")
        .evidence(
            "host key "
                + r.hostKeyType
                + " "
                + r.fingerprint
                + " ("
                + r.check.toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + ")");
    if (!"MATCH".equals(r.check) && !"NOT_CHECKED".equals(r.check)) {
      return "hostkey";
    }
    return "auth";
  }

  private void runCommand(Session session, ProbeTarget target, Outcome outcome)
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
    outcome.output = out.toString(StandardCharsets.UTF_8).strip();
    outcome.exit = exec.isClosed() ? exec.getExitStatus() : null;
    exec.disconnect();
  }

  private void classify(
      ProbeResult.Builder result,
      Exception e,
      String step,
      InetAddress address,
      ProbeTarget target) {
    String message = String.valueOf(e.getMessage());
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    InetSocketAddress remote = new InetSocketAddress(address, port);
    switch (step) {
      case "tcp" -> ProbeSupport.failed(result, cause, remote, target.timeoutMs());
      case "banner" ->
          result
              .status(ProbeStatus.NOT_SSH)
              .evidence(
                  current.banner() == null
                      ? "no SSH banner within " + target.timeoutMs() + " ms: not an SSH server?"
                      : "the server's first line is not an SSH banner: \""
                          + current.banner()
                          + "\"");
      case "kex" ->
          result.status(ProbeStatus.KEX_FAILED).evidence("key exchange failed: " + message);
      case "hostkey" ->
          result
              .status(ProbeStatus.HOSTKEY_MISMATCH)
              .evidence(
                  "UNKNOWN".equals(current.check)
                      ? "host key not in " + login.knownHosts() + ": refused (strict checking)"
                      : "host key differs from the one in "
                          + login.knownHosts()
                          + ": someone else answers at this address, or the server was rebuilt");
      case "auth" ->
          result
              .status(
                  message.contains("Auth") || message.contains("auth")
                      ? ProbeStatus.AUTH_FAILED
                      : ProbeStatus.ERROR)
              .evidence(
                  "authentication as "
                      + login.user()
                      + " by "
                      + login.authMethod()
                      + " failed: "
                      + message);
      default -> result.status(ProbeStatus.ERROR).evidence(step + " failed: " + message);
    }
    result.step("failed");
  }

  private SshDetails details(ProbeResult.Builder result, Outcome outcome) {
    SshRecorder r = current;
    return new SshDetails(
        r == null ? null : r.banner(),
        r == null ? null : r.hostKeyType,
        r == null ? null : r.fingerprint,
        r == null ? null : r.check,
        login.user(),
        login.authMethod(),
        login.command(),
        outcome.output,
        outcome.exit,
        outcome.failedStep);
  }
}
