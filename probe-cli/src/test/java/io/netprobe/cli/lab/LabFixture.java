package io.netprobe.cli.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;

/** The demo lab for lab tests: brought up once (idempotent), and plain TCP from inside it. */
final class LabFixture {
  private static boolean up;

  private LabFixture() {}

  static synchronized void ensureUp() {
    if (!up) {
      new DemoLab(new PrintWriter(System.err, true)).up();
      up = true;
    }
  }

  static synchronized void forget() {
    up = false;
  }

  /** A TCP connect from inside namespace {@code ns}: "connected", "refused", "timeout", ... */
  static String tcp(String ns, String host, int port) throws Exception {
    return tcp(Netns.named(ns), host, port);
  }

  static String tcp(Path nsFile, String host, int port) throws Exception {
    return Netns.call(
        nsFile,
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1500);
            return "connected";
          } catch (SocketTimeoutException e) {
            return "timeout";
          } catch (ConnectException e) {
            return e.getMessage() != null && e.getMessage().contains("refused")
                ? "refused"
                : "connect failed: " + e.getMessage();
          } catch (NoRouteToHostException e) {
            return "no route: " + e.getMessage();
          } catch (IOException e) {
            return "failed: " + e;
          }
        });
  }

  /** Runs a command, for lab changes a test makes on purpose (ip route add ...). */
  static void sh(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("failed: " + String.join(" ", command));
    }
  }
}
