package io.netprobe.cli.connect;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import io.netprobe.cli.connect.artefact.AgentJar;
import io.netprobe.cli.connect.artefact.ClassDataArchive;
import io.netprobe.cli.connect.artefact.RuntimeImage;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.connect.session.Hello;
import io.netprobe.cli.connect.session.StderrTail;
import io.netprobe.cli.connect.ssh.SshRemote;
import io.netprobe.cli.connect.ssh.SshSessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
public final class SshNodeConnector implements NodeConnector<NodeTarget.Ssh> {
  private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");
  private static final String CACHE = ".cache/netprobe";

  /** What one command told about the node. */
  record NodeInfo(String uid, String arch, boolean sudo, int javaMajor, String javaOutput) {}

  @Override
  public AgentSession connect(String node, NodeTarget.Ssh target, ConnectOptions o) {
    Visit visit = new Visit(node, target, o, SshSessions.open(target, o));
    try {
      NodeInfo info = inspect(visit.remote, o);
      visit.openSftp();
      String java = visit.java(info);
      String jar = visit.ship(o.jar(), AgentJar.sha256(o.jar()) + "/" + AgentJar.NAME, "agent jar");
      boolean root = info.uid().equals("0");
      boolean sudo = o.capture() && !root && info.sudo();
      if (o.capture() && !root && !info.sudo()) {
        visit.note(
            "capture unavailable: uid "
                + info.uid()
                + " and sudo -n is not allowed; the agent runs without it");
      }
      String archive =
          jar.substring(0, jar.lastIndexOf('/') + 1)
              + "agent-"
              + io.netprobe.agent.text.Sha256.hex(java + info.javaOutput()).substring(0, 12)
              + ".jsa";
      boolean cds = SshRemote.exists(visit.sftp, archive);
      String command = command(o, java, jar, sudo, cds ? "-XX:SharedArchiveFile=" + archive : null);
      AgentSession session = visit.start(command, sudo);
      if (!cds) {
        visit.train(training(o, java, jar, archive));
      }
      return session;
    } catch (SftpException | IOException e) {
      visit.leave();
      throw new AgentException(
          "UPLOAD_FAILED",
          target.describe()
              + ": upload failed: "
              + e.getMessage()
              + "; is there space in the home directory?",
          e);
    } catch (RuntimeException e) {
      visit.leave();
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

  /** The agent's start command; {@code cds} is a JVM option for the AppCDS archive, or null. */
  static String command(ConnectOptions o, String java, String jar, boolean sudo, String cds) {
    StringBuilder cmd = new StringBuilder("exec ");
    if (sudo) {
      cmd.append("sudo -n ");
    }
    cmd.append(envPrefix(o)).append(quote(java));
    for (String arg : o.jvmArgs()) {
      cmd.append(' ').append(quote(arg));
    }
    if (cds != null) {
      cmd.append(' ').append(quote(cds));
    }
    return cmd.append(" -jar ").append(quote(jar)).append(" --stdio").toString();
  }

  /**
   * A training run that leaves the AppCDS archive for the next agents (ClassDataArchive): hello,
   * exit, archive written under a temporary name and renamed when complete.
   */
  static String training(ConnectOptions o, String java, String jar, String archive) {
    String temp = archive + ".np-part-" + o.runId();
    return "echo "
        + quote(ClassDataArchive.HELLO)
        + " | "
        + command(o, java, jar, false, "-XX:ArchiveClassesAtExit=" + temp).substring(5)
        + " >/dev/null 2>&1; if [ -s "
        + quote(temp)
        + " ]; then mv -f "
        + quote(temp)
        + " "
        + quote(archive)
        + "; fi; rm -f "
        + quote(temp);
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

  /** One connect: the SSH session, its SFTP channel, what was uploaded, what to tell. */
  private static final class Visit {
    private final String node;
    private final NodeTarget.Ssh target;
    private final ConnectOptions o;
    private final Session session;
    private final SshRemote remote;
    private final List<String> uploaded = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private ChannelSftp sftp;
    private String cache;
    private ChannelExec training;

    Visit(String node, NodeTarget.Ssh target, ConnectOptions o, Session session) {
      this.node = node;
      this.target = target;
      this.o = o;
      this.session = session;
      this.remote = new SshRemote(session, target.describe());
    }

    void openSftp() throws SftpException {
      sftp = remote.sftp();
      cache = sftp.getHome() + "/" + CACHE;
    }

    void note(String note) {
      notes.add(note);
      o.listener().event(node, note);
    }

    /** Uploads a file or tree into the cache unless it is there; returns its remote path. */
    String ship(Path local, String relative, String what) throws SftpException, IOException {
      String path = cache + "/" + relative;
      long sent = SshRemote.upload(sftp, local, path, o.runId());
      if (sent > 0) {
        uploaded.add(relative.contains("/") ? path.substring(0, path.lastIndexOf('/')) : path);
        note("uploaded " + what + " (" + sent + " bytes) to " + path);
      } else {
        note(what + " cached at " + path);
      }
      return path;
    }

    /** "java" when the node has 17+, else the bundled runtime (uploaded when missing). */
    String java(NodeInfo info) throws SftpException, IOException {
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
            target.describe()
                + ": "
                + found
                + "; the agent needs Java 17+: install openjdk-17-jre-headless there,"
                + " or allow the bundled runtime");
      }
      if (!localArch().equals(info.arch())) {
        throw new AgentException(
            "NO_JAVA",
            target.describe()
                + ": "
                + found
                + ", and the bundled runtime is for "
                + localArch()
                + " while the node is "
                + info.arch()
                + "; install Java 17+ there");
      }
      note(found + ": using the bundled Java runtime");
      Path runtime = RuntimeImage.ensure(o.listener());
      return ship(runtime, "runtime-" + RuntimeImage.key(), "Java runtime") + "/bin/java";
    }

    AgentSession start(String command, boolean sudo) {
      try {
        ChannelExec ch = (ChannelExec) session.openChannel("exec");
        ch.setCommand(command);
        InputStream out = ch.getInputStream();
        InputStream err = ch.getErrStream();
        OutputStream in = ch.getOutputStream();
        ch.connect((int) o.connectTimeout().toMillis());
        StderrTail tail = StderrTail.drain(err, node);
        AgentSession[] self = new AgentSession[1];
        AutoCloseable transport =
            () -> {
              stopAgent(ch, remote, self[0], sudo);
              leave();
            };
        self[0] =
            new AgentSession(node, target.describe(), out, in, transport, tail, o.requestTimeout());
        notes.forEach(self[0]::note);
        return Hello.await(self[0], o);
      } catch (JSchException | IOException e) {
        throw new AgentException(
            "START_FAILED", target.describe() + ": cannot start the agent: " + e.getMessage(), e);
      }
    }

    /** Starts the AppCDS training run; it goes on by itself, leave() gives it 3 s to finish. */
    void train(String command) {
      try {
        training = (ChannelExec) session.openChannel("exec");
        training.setCommand(command);
        training.connect((int) o.connectTimeout().toMillis());
      } catch (JSchException e) {
        training = null; // no archive this time; agents start a little slower
      }
    }

    /** Removes this visit's uploads when asked, and disconnects. */
    void leave() {
      for (int i = 0; training != null && i < 60 && !training.isClosed(); i++) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (sftp != null) {
        if (o.removeUploads()) {
          uploaded.forEach(path -> SshRemote.removeTree(sftp, path));
        }
        sftp.disconnect();
      }
      session.disconnect();
    }
  }
}
