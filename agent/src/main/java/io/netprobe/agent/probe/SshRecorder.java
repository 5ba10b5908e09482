package io.netprobe.agent.probe;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.SocketFactory;
import com.jcraft.jsch.UserInfo;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Watches one JSch session: opens its socket (timed, bound to the requested source port), records
 * the server's first line (the banner) and the host key JSch is asked to check, and answers that
 * check from known_hosts or, when not checking, accepts and says so.
 */
final class SshRecorder implements SocketFactory, HostKeyRepository {
  private final ProbeTarget target;
  private final HostKeyRepository knownHosts;
  private final StringBuilder firstLine = new StringBuilder();
  volatile Socket socket;
  volatile long connectedNanos;
  volatile long bannerNanos;
  volatile long hostKeyNanos;
  volatile String hostKeyType;
  volatile String fingerprint;
  volatile String check = "NOT_CHECKED";

  SshRecorder(ProbeTarget target, HostKeyRepository knownHosts) {
    this.target = target;
    this.knownHosts = knownHosts;
  }

  String banner() {
    synchronized (firstLine) {
      return bannerNanos == 0 && firstLine.length() == 0 ? null : firstLine.toString().strip();
    }
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = new Socket();
    s.setReuseAddress(target.sourcePort() != 0);
    s.bind(new InetSocketAddress(target.sourcePort()));
    socket = s;
    s.connect(new InetSocketAddress(host, port), target.timeoutMs());
    connectedNanos = System.nanoTime();
    s.setSoTimeout(target.timeoutMs());
    return s;
  }

  @Override
  public InputStream getInputStream(Socket s) throws IOException {
    return new FilterInputStream(s.getInputStream()) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          record(new byte[] {(byte) b}, 0, 1);
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          record(buf, off, n);
        }
        return n;
      }
    };
  }

  private void record(byte[] buf, int off, int n) {
    synchronized (firstLine) {
      if (bannerNanos != 0) {
        return;
      }
      for (int i = off; i < off + n && firstLine.length() < 256; i++) {
        if (buf[i] == '\n') {
          bannerNanos = System.nanoTime();
          return;
        }
        if (buf[i] >= 0x20 && buf[i] < 0x7f) {
          firstLine.append((char) buf[i]);
        }
      }
    }
  }

  @Override
  public OutputStream getOutputStream(Socket s) throws IOException {
    return s.getOutputStream();
  }

  @Override
  public int check(String host, byte[] key) {
    hostKeyNanos = System.nanoTime();
    hostKeyType = keyType(key);
    fingerprint = sha256(key);
    if (knownHosts == null) {
      check = "NOT_CHECKED";
      return OK;
    }
    int answer = knownHosts.check(host, key);
    check = answer == OK ? "MATCH" : answer == CHANGED ? "MISMATCH" : "UNKNOWN";
    return answer;
  }

  static String sha256(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JDK", e);
    }
  }

  static String keyType(byte[] key) {
    if (key.length < 4) {
      return "unknown";
    }
    int len =
        ((key[0] & 0xff) << 24)
            | ((key[1] & 0xff) << 16)
            | ((key[2] & 0xff) << 8)
            | (key[3] & 0xff);
    return len > 0 && len < 64 && key.length >= 4 + len
        ? new String(key, 4, len, StandardCharsets.US_ASCII)
        : "unknown";
  }

  @Override
  public void add(HostKey hostkey, UserInfo ui) {}

  @Override
  public void remove(String host, String type) {}

  @Override
  public void remove(String host, String type, byte[] key) {}

  @Override
  public String getKnownHostsRepositoryID() {
    return knownHosts == null ? "netprobe (not checked)" : knownHosts.getKnownHostsRepositoryID();
  }

  @Override
  public HostKey[] getHostKey() {
    return knownHosts == null ? new HostKey[0] : knownHosts.getHostKey();
  }

  @Override
  public HostKey[] getHostKey(String host, String type) {
    return knownHosts == null ? new HostKey[0] : knownHosts.getHostKey(host, type);
  }
}
