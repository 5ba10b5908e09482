package io.netprobe.cli.lab;

import io.netprobe.cli.connect.Netns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The demo lab for lab tests: brought up once (idempotent), and plain TCP from inside it. */
public final class LabFixture {
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

  /**
   * A DNS query for the A records of {@code name}, sent over UDP from inside namespace {@code ns}
   * to {@code server}:53: the addresses ("203.0.113.10"), "no address" (NOERROR, no A record),
   * "NXDOMAIN", "rcode N", "timeout" or "failed: ..." (e.g. the namespace has no route).
   */
  static String dns(String ns, String server, String name) throws Exception {
    return Netns.call(
        Netns.named(ns),
        () -> {
          int id = ThreadLocalRandom.current().nextInt(1 << 16);
          byte[] query = dnsQuery(id, name);
          try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            socket.send(new DatagramPacket(query, query.length, new InetSocketAddress(server, 53)));
            DatagramPacket reply = new DatagramPacket(new byte[1500], 1500);
            do {
              socket.receive(reply);
            } while (ByteBuffer.wrap(reply.getData()).getShort(0) != (short) id);
            return dnsAnswer(ByteBuffer.wrap(reply.getData(), 0, reply.getLength()));
          } catch (SocketTimeoutException e) {
            return "timeout";
          } catch (IOException e) {
            return "failed: " + e.getMessage();
          }
        });
  }

  /** Header (id, recursion desired, one question), QNAME, QTYPE A, QCLASS IN. */
  private static byte[] dnsQuery(int id, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
    out.writeBytes(new byte[] {0, 0, 1, 0, 1});
    return out.toByteArray();
  }

  private static String dnsAnswer(ByteBuffer reply) {
    int rcode = reply.get(3) & 0x0f;
    if (rcode != 0) {
      return rcode == 3 ? "NXDOMAIN" : "rcode " + rcode;
    }
    int questions = reply.getShort(4) & 0xffff;
    int answers = reply.getShort(6) & 0xffff;
    reply.position(12);
    for (int i = 0; i < questions; i++) {
      skipName(reply);
      reply.position(reply.position() + 4);
    }
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < answers; i++) {
      skipName(reply);
      int type = reply.getShort() & 0xffff;
      reply.position(reply.position() + 6); // class, TTL
      int length = reply.getShort() & 0xffff;
      byte[] data = new byte[length];
      reply.get(data);
      if (type == 1 && length == 4) {
        addresses.add(
            (data[0] & 0xff)
                + "."
                + (data[1] & 0xff)
                + "."
                + (data[2] & 0xff)
                + "."
                + (data[3] & 0xff));
      }
    }
    return addresses.isEmpty() ? "no address" : String.join(",", addresses);
  }

  /** Skips a (possibly compressed) domain name. */
  private static void skipName(ByteBuffer reply) {
    while (true) {
      int length = reply.get() & 0xff;
      if (length == 0) {
        return;
      }
      if ((length & 0xc0) == 0xc0) {
        reply.get();
        return;
      }
      reply.position(reply.position() + length);
    }
  }

  /** Runs a command and returns its output (stdout and stderr). */
  static String out(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return text;
  }

  /** Runs a command, its output to the test's; fails with the command line if it fails. */
  /**
   * A lab of a test's own, built afresh: {@code teardown} first (what a killed run left), then
   * {@code setup}; both bash scripts. Call {@code teardown} again in {@code @AfterAll}.
   */
  public static void rebuild(String setup, String teardown)
      throws IOException, InterruptedException {
    sh("bash", "-c", teardown);
    sh("bash", "-c", setup);
  }

  public static void sh(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("failed: " + String.join(" ", command));
    }
  }
}
