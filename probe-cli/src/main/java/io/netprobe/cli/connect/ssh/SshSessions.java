package io.netprobe.cli.connect.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import com.jcraft.jsch.UserInfo;
import io.netprobe.cli.connect.ConnectOptions;
import io.netprobe.cli.connect.Netns;
import io.netprobe.cli.connect.NodeTarget;
import io.netprobe.cli.connect.session.AgentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a JSch session for an {@link NodeTarget.Ssh}: {@code ~/.ssh/config} aliases, known_hosts
 * checking (trust on first use only when asked; a changed key is always an error), identity file,
 * password from the environment or a file, and the TCP connection from inside a network namespace
 * when asked. Failures are classified once here, and never carry the password.
 */
public final class SshSessions {
  private SshSessions() {}

  public static Session open(NodeTarget.Ssh t, ConnectOptions o) {
    String password = password(t, o);
    try {
      JSch jsch = new JSch();
      Path home = Path.of(System.getProperty("user.home"));
      Path config = home.resolve(".ssh/config");
      if (Files.isReadable(config)) {
        jsch.setConfigRepository(OpenSSHConfig.parseFile(config.toString()));
      }
      Path knownHosts = knownHosts(t, home);
      if (Files.exists(knownHosts)) {
        jsch.setKnownHosts(knownHosts.toString());
      } else if (t.acceptNewHostKeys()) {
        Files.createDirectories(knownHosts.toAbsolutePath().getParent());
        Files.createFile(knownHosts);
        jsch.setKnownHosts(knownHosts.toString());
      }
      if (t.acceptNewHostKeys()) {
        jsch.setHostKeyRepository(new AcceptNew(jsch.getHostKeyRepository()));
      }
      if (t.identityFile() != null) {
        if (!Files.isReadable(t.identityFile())) {
          throw new AgentException(
              "NO_KEY",
              t.describe()
                  + ": cannot read the identity file "
                  + t.identityFile()
                  + "; give a readable private key (unencrypted: there is no passphrase prompt)");
        }
        jsch.addIdentity(t.identityFile().toString());
      }
      Session s =
          t.port() == 0
              ? jsch.getSession(t.user(), t.host())
              : jsch.getSession(t.user(), t.host(), t.port());
      s.setConfig("StrictHostKeyChecking", "yes");
      s.setConfig("PreferredAuthentications", "publickey,password");
      if (password != null) {
        s.setPassword(password);
      }
      if (t.fromNetns() != null) {
        s.setSocketFactory(new NetnsSockets(t.fromNetns(), (int) o.connectTimeout().toMillis()));
      }
      s.setTimeout((int) o.requestTimeout().toMillis());
      s.setServerAliveInterval(5000);
      s.connect((int) o.connectTimeout().toMillis());
      return s;
    } catch (JSchException | IOException e) {
      throw classify(t, knownHosts(t, Path.of(System.getProperty("user.home"))), e, password);
    }
  }

  private static Path knownHosts(NodeTarget.Ssh t, Path home) {
    return t.knownHosts() != null ? t.knownHosts() : home.resolve(".ssh/known_hosts");
  }

  /** The password from $passwordEnv or passwordFile, or null for key-only login. */
  private static String password(NodeTarget.Ssh t, ConnectOptions o) {
    if (t.passwordEnv() != null) {
      String value = o.env().apply(t.passwordEnv());
      if (value == null || value.isEmpty()) {
        throw new AgentException(
            "NO_PASSWORD",
            t.describe() + ": $" + t.passwordEnv() + " is not set; export it or use password-file");
      }
      return value;
    }
    if (t.passwordFile() != null) {
      try {
        return Files.readString(t.passwordFile(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new AgentException(
            "NO_PASSWORD",
            t.describe()
                + ": cannot read password file "
                + t.passwordFile()
                + " ("
                + e.getClass().getSimpleName()
                + ")");
      }
    }
    return null;
  }

  /** How the login was attempted, for messages: "password from $LAB_PASS, key ~/id". */
  static String authDescription(NodeTarget.Ssh t) {
    List<String> ways = new ArrayList<>();
    if (t.passwordEnv() != null) {
      ways.add("password from $" + t.passwordEnv());
    }
    if (t.passwordFile() != null) {
      ways.add("password from file " + t.passwordFile());
    }
    if (t.identityFile() != null) {
      ways.add("key " + t.identityFile());
    }
    return ways.isEmpty() ? "no password or key given" : String.join(", ", ways);
  }

  static AgentException classify(NodeTarget.Ssh t, Path knownHosts, Exception e, String secret) {
    String msg = Secrets.scrub(String.valueOf(e.getMessage()), secret);
    String where = t.describe();
    if (e instanceof JSchChangedHostKeyException) {
      return new AgentException(
          "HOSTKEY_CHANGED",
          where
              + ": the host key CHANGED since it was recorded in "
              + knownHosts
              + " ("
              + firstLine(msg)
              + "); someone may be in the middle, or the VM was rebuilt:"
              + " check, then remove the old line (ssh-keygen -R) and connect again");
    }
    if (e instanceof JSchUnknownHostKeyException) {
      return new AgentException(
          "HOSTKEY_UNKNOWN",
          where
              + ": host key not in "
              + knownHosts
              + " ("
              + firstLine(msg)
              + "); add it after"
              + " checking the fingerprint, or allow trust on first use (--accept-new-host-keys)");
    }
    if (msg.contains("Auth fail") || msg.contains("Auth cancel")) {
      return new AgentException(
          "AUTH_FAILED", where + ": auth failed (" + authDescription(t) + ")");
    }
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return new AgentException(
        "CONNECT_FAILED",
        where
            + ": cannot connect: "
            + Secrets.scrub(String.valueOf(cause.getMessage()), secret)
            + "; is sshd running there and the address/port forward right?");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Trust on first use: an unknown host's key is recorded; a changed one still fails. */
  private record AcceptNew(HostKeyRepository known) implements HostKeyRepository {
    @Override
    public int check(String host, byte[] key) {
      int result = known.check(host, key);
      if (result == NOT_INCLUDED) {
        try {
          known.add(new HostKey(host, key), null);
          return OK;
        } catch (JSchException e) {
          return result;
        }
      }
      return result;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
      known.add(hostkey, ui);
    }

    @Override
    public void remove(String host, String type) {
      known.remove(host, type);
    }

    @Override
    public void remove(String host, String type, byte[] key) {
      known.remove(host, type, key);
    }

    @Override
    public String getKnownHostsRepositoryID() {
      return known.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
      return known.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
      return known.getHostKey(host, type);
    }
  }

  /** Sockets opened from inside a network namespace (they stay there once connected). */
  private record NetnsSockets(String netns, int timeoutMs) implements SocketFactory {
    @Override
    public Socket createSocket(String host, int port) throws IOException {
      try {
        return Netns.call(
            Netns.named(netns),
            () -> {
              Socket s = new Socket();
              s.connect(new InetSocketAddress(host, port), timeoutMs);
              return s;
            });
      } catch (IOException e) {
        throw new IOException(
            e.getMessage() + " (" + host + ":" + port + " from netns " + netns + ")", e);
      } catch (Exception e) {
        throw new IOException("cannot connect from netns " + netns + ": " + e.getMessage(), e);
      }
    }

    @Override
    public InputStream getInputStream(Socket socket) throws IOException {
      return socket.getInputStream();
    }

    @Override
    public OutputStream getOutputStream(Socket socket) throws IOException {
      return socket.getOutputStream();
    }
  }
}
