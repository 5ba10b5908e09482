package io.netprobe.cli.connect;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VM or server over SSH (JSch): looks at the node (uid, CPU, Java, sudo) in one command, uploads
 * the agent jar over SFTP into {@code ~/.cache/netprobe/<sha256>/} unless it is there, uploads a
 * jlink runtime the same way when the node has no Java 17+, then starts the agent on an exec
 * channel ({@code sudo -n} when capture is wanted and allowed) and talks to it on the channel's
 * streams. Closing stops the agent; uploads stay cached unless {@code removeUploads}.
 */
public final class SshNodeConnector implements NodeConnector {
  private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");
  private static final String CACHE = ".cache/netprobe";

  /** What one command told about the node. */
  record NodeInfo(String uid, String arch, boolean sudo, int javaMajor, String javaOutput) {}

  @Override
  public AgentSession connect(String node, NodeTarget target, ConnectOptions o) {
    NodeTarget.Ssh t = (NodeTarget.Ssh) target;
    Session session = SshSessions.open(t, o);
    List<String> uploaded = new ArrayList<>();
    ChannelSftp sftp = null;
    try {
      SshRemote remote = new SshRemote(session, t.describe());
      NodeInfo info = inspect(remote, o);
      sftp = remote.sftp();
      String home = sftp.getHome();
      List<String> notes = new ArrayList<>();
      String java = java(t, o, info, sftp, home, uploaded, notes);
      String jar = home + "/" + CACHE + "/" + AgentJar.sha256(o.jar()) + "/" + AgentJar.NAME;
      long sent = SshRemote.upload(sftp, o.jar(), jar, o.runId());
      if (sent > 0) {
        uploaded.add(jar.substring(0, jar.lastIndexOf('/')));
      }
      notes.add(
          sent > 0
              ? "uploaded agent jar (" + sent + " bytes) to " + jar
              : "agent jar cached at " + jar);
      o.listener().event(node, notes.get(notes.size() - 1));
      boolean sudo = o.capture() && !info.uid().equals("0") && info.sudo();
      if (o.capture() && !info.uid().equals("0") && !info.sudo()) {
        notes.add(
            "capture unavailable: uid "
                + info.uid()
                + " and sudo -n is not allowed; the agent runs without it");
      }
      AgentSession s =
          start(node, t, o, session, remote, sftp, uploaded, command(o, java, jar, sudo), sudo);
      notes.forEach(s::note);
      return s;
    } catch (SftpException | IOException e) {
      cleanup(session, sftp, uploaded, o);
      throw new AgentException(
          "UPLOAD_FAILED",
          t.describe()
              + ": upload failed: "
              + e.getMessage()
              + "; is there space in the home directory?",
          e);
    } catch (RuntimeException e) {
      cleanup(session, sftp, uploaded, o);
      throw e;
    }
  }

  private static NodeInfo inspect(SshRemote remote, ConnectOptions o) {
    String script =
        "echo uid=$(id -u); echo arch=$(uname -m); "
            + "if sudo -n true >/dev/null 2>&1; then echo sudo=yes; else echo sudo=no; fi; "
            + envPrefix(o)
            + "java -version 2>&1 | head -3";
    String out = remote.exec(script, o.connectTimeout().toMillis()).out();
    String uid = field(out, "uid");
    String arch = field(out, "arch");
    Matcher m = JAVA_VERSION.matcher(out);
    int major = -1;
    if (m.find()) {
      major = Integer.parseInt(m.group(1));
      if (major == 1 && m.group(2) != null) {
        major = Integer.parseInt(m.group(2)); // "1.8.0"
      }
    }
    String javaOut =
        out.lines().filter(l -> !l.matches("(uid|arch|sudo)=.*")).findFirst().orElse("");
    return new NodeInfo(uid, arch, out.contains("sudo=yes"), major, javaOut.strip());
  }

  private static String field(String out, String key) {
    return out.lines()
        .filter(l -> l.startsWith(key + "="))
        .map(l -> l.substring(key.length() + 1))
        .findFirst()
        .orElse("?");
  }

  /** "java" when the node has 17+, else the bundled runtime (uploaded when missing). */
  private static String java(
      NodeTarget.Ssh t,
      ConnectOptions o,
      NodeInfo info,
      ChannelSftp sftp,
      String home,
      List<String> uploaded,
      List<String> notes)
      throws SftpException, IOException {
    if (info.javaMajor() >= 17) {
      return "java";
    }
    String found =
        info.javaMajor() < 0
            ? "no java on PATH (`java -version`: " + info.javaOutput() + ")"
            : "Java " + info.javaMajor() + " is too old";
    if (!o.bundledRuntime()) {
      throw new AgentException(
          "NO_JAVA",
          t.describe()
              + ": "
              + found
              + "; the agent needs Java 17+: install openjdk-17-jre-headless there, or allow the bundled runtime");
    }
    String localArch = localArch();
    if (!localArch.equals(info.arch())) {
      throw new AgentException(
          "NO_JAVA",
          t.describe()
              + ": "
              + found
              + ", and the bundled runtime is for "
              + localArch
              + " while the node is "
              + info.arch()
              + "; install Java 17+ there");
    }
    Path runtime = RuntimeImage.ensure(o.listener());
    String dir = home + "/" + CACHE + "/runtime-" + RuntimeImage.key();
    long sent = SshRemote.upload(sftp, runtime, dir, o.runId());
    if (sent > 0) {
      uploaded.add(dir);
    }
    notes.add(
        found
            + ": "
            + (sent > 0
                ? "uploaded a Java runtime (" + sent + " bytes) to "
                : "using the cached Java runtime at ")
            + dir);
    o.listener().event(t.host(), notes.get(notes.size() - 1));
    return dir + "/bin/java";
  }

  static String localArch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      default -> arch;
    };
  }

  private static String envPrefix(ConnectOptions o) {
    if (o.agentEnv().isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("env");
    for (Map.Entry<String, String> e : o.agentEnv().entrySet()) {
      sb.append(' ').append(e.getKey()).append('=').append(quote(e.getValue()));
    }
    return sb.append(' ').toString();
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String command(ConnectOptions o, String java, String jar, boolean sudo) {
    StringBuilder cmd = new StringBuilder("exec ");
    if (sudo) {
      cmd.append("sudo -n ");
    }
    cmd.append(envPrefix(o)).append(quote(java));
    for (String arg : o.jvmArgs()) {
      cmd.append(' ').append(quote(arg));
    }
    return cmd.append(" -jar ").append(quote(jar)).append(" --stdio").toString();
  }

  private static AgentSession start(
      String node,
      NodeTarget.Ssh t,
      ConnectOptions o,
      Session session,
      SshRemote remote,
      ChannelSftp sftp,
      List<String> uploaded,
      String command,
      boolean sudo) {
    try {
      ChannelExec ch = (ChannelExec) session.openChannel("exec");
      ch.setCommand(command);
      var out = ch.getInputStream();
      var err = ch.getErrStream();
      var in = ch.getOutputStream();
      ch.connect((int) o.connectTimeout().toMillis());
      StderrTail tail = StderrTail.drain(err, node);
      AgentSession[] self = new AgentSession[1];
      AutoCloseable transport =
          () -> {
            stopAgent(ch, remote, self[0], sudo);
            cleanup(session, sftp, uploaded, o);
          };
      self[0] = new AgentSession(node, t.describe(), out, in, transport, tail, o.requestTimeout());
      return Hello.await(self[0], o);
    } catch (JSchException | IOException e) {
      throw new AgentException(
          "START_FAILED", t.describe() + ": cannot start the agent: " + e.getMessage(), e);
    }
  }

  /** Stdin is closed: the agent leaves by itself; if it does not, kill it by the pid it told. */
  private static void stopAgent(ChannelExec ch, SshRemote remote, AgentSession s, boolean sudo)
      throws InterruptedException {
    for (int i = 0; i < 40 && !ch.isClosed(); i++) {
      Thread.sleep(50);
    }
    if (!ch.isClosed() && s != null) {
      try {
        long pid = s.hello(java.time.Duration.ofMillis(1)).path("pid").asLong(-1);
        if (pid > 0) {
          remote.exec((sudo ? "sudo -n " : "") + "kill " + pid, 5000);
        }
      } catch (RuntimeException e) {
        // no hello, no pid: the session's end below closes the channel, and with it the agent
      }
    }
    ch.disconnect();
  }

  private static void cleanup(
      Session session, ChannelSftp sftp, List<String> uploaded, ConnectOptions o) {
    if (sftp != null) {
      if (o.removeUploads()) {
        uploaded.forEach(path -> SshRemote.removeTree(sftp, path));
      }
      sftp.disconnect();
    }
    session.disconnect();
  }
}
