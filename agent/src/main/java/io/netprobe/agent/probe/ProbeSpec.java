package io.netprobe.agent.probe;

/**
 * What to send: the probe of a check, as a matrix names it ({@code icmp}, {@code tcp:80}, {@code
 * udp:53}, {@code ssh}, {@code http:5000/path}). Where to send it and how long to wait travel
 * beside it.
 */
public sealed interface ProbeSpec
    permits ProbeSpec.Icmp,
        ProbeSpec.Tcp,
        ProbeSpec.Udp,
        ProbeSpec.Ssh,
        ProbeSpec.Http,
        ProbeSpec.Rr,
        ProbeSpec.Bulk {

  /** The probe's name as written in a matrix: {@code icmp}, {@code tcp:80}, {@code ssh}. */
  String label();

  /** The port the probe goes to; 0 for ICMP. */
  default int port() {
    return 0;
  }

  /** The transport its packets use: ICMP, TCP (SSH too) or UDP. */
  Transport transport();

  /** The same probe to another port (a port forward's outside port); ICMP stays as it is. */
  ProbeSpec toPort(int port);

  /** The IP protocol a probe's packets travel in, as captures name it. */
  enum Transport {
    ICMP,
    TCP,
    UDP;

    /** {@code icmp}, {@code tcp}, {@code udp}: the name in a packet summary. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** ICMP echo; {@code count} echoes. */
  record Icmp(int count) implements ProbeSpec {
    public Icmp {
      if (count < 1 || count > 100) {
        throw new IllegalArgumentException("icmp count out of range 1..100: " + count);
      }
    }

    @Override
    public String label() {
      return "icmp";
    }

    @Override
    public Transport transport() {
      return Transport.ICMP;
    }

    @Override
    public ProbeSpec toPort(int port) {
      return this;
    }
  }

  /** TCP connect (SYN, then SYN-ACK or RST or nothing). */
  record Tcp(int port) implements ProbeSpec {
    public Tcp {
      checkPort(port);
    }

    @Override
    public String label() {
      return "tcp:" + port;
    }

    @Override
    public Transport transport() {
      return Transport.TCP;
    }

    @Override
    public ProbeSpec toPort(int other) {
      return new Tcp(other);
    }
  }

  /** UDP datagram, expecting a reply or an ICMP port-unreachable. */
  record Udp(int port) implements ProbeSpec {
    public Udp {
      checkPort(port);
    }

    @Override
    public String label() {
      return "udp:" + port;
    }

    @Override
    public Transport transport() {
      return Transport.UDP;
    }

    @Override
    public ProbeSpec toPort(int other) {
      return new Udp(other);
    }
  }

  /** SSH: banner, key exchange, host key, authentication, one command. */
  record Ssh(int port) implements ProbeSpec {
    public Ssh {
      checkPort(port);
    }

    @Override
    public String label() {
      return port == 22 ? "ssh" : "ssh:" + port;
    }

    @Override
    public Transport transport() {
      return Transport.TCP;
    }

    @Override
    public ProbeSpec toPort(int other) {
      return new Ssh(other);
    }
  }

  /**
   * An HTTP GET (over TLS when {@code tls}): the TCP handshake, the TLS handshake, the status line,
   * the body. It passes when the status is {@code status} (0: any 2xx or 3xx) and, when {@code
   * body} is given, the body's first {@link #BODY_LIMIT} bytes contain it. The label is the probe
   * as written, {@code http:5000/path}; the expectations travel beside it.
   */
  record Http(int port, boolean tls, String path, int status, String body) implements ProbeSpec {
    /** How much of a body is read and matched; the rest is not waited for. */
    public static final int BODY_LIMIT = 65_536;

    public Http {
      checkPort(port);
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("http path must start with /: " + path);
      }
      if (path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
        throw new IllegalArgumentException("http path holds a space or control character: " + path);
      }
      if (status != 0 && (status < 100 || status > 599)) {
        throw new IllegalArgumentException("http status out of range 100..599: " + status);
      }
      if (body != null && body.isEmpty()) {
        body = null;
      }
    }

    /** {@code http:80/} as {@code GET /}, any 2xx or 3xx. */
    public Http(int port, boolean tls, String path) {
      this(port, tls, path, 0, null);
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
      return tls ? "https" : "http";
    }

    /**
     * The same probe expecting {@code wanted} (0: any 2xx or 3xx) and a body holding {@code text}.
     */
    public Http expecting(int wanted, String text) {
      return new Http(port, tls, path, wanted, text);
    }

    /** True when {@code code} is the status this probe expects. */
    public boolean statusOk(int code) {
      return status == 0 ? code >= 200 && code < 400 : code == status;
    }

    /** The expected status in words: {@code 200}, or {@code 2xx or 3xx}. */
    public String statusWanted() {
      return status == 0 ? "2xx or 3xx" : Integer.toString(status);
    }

    @Override
    public String label() {
      return scheme() + ":" + port + ("/".equals(path) ? "" : path);
    }

    @Override
    public Transport transport() {
      return Transport.TCP;
    }

    @Override
    public ProbeSpec toPort(int other) {
      return new Http(other, tls, path, status, body);
    }
  }

  /**
   * Request/response transactions ({@code rr:tcp:5001}, {@code rr:udp:5001}): {@code size} bytes
   * sent, the same {@code size} bytes back from the target agent's echo responder, one after the
   * other for {@code durationMs}, over one connection (TCP) or one socket (UDP). It measures, it
   * does not explain: the figures are the transactions per second and the round-trip times.
   */
  record Rr(Transport over, int port, int durationMs, int size) implements ProbeSpec {
    /** The default measuring time: short, so that a matrix of many paths stays quick. */
    public static final int DEFAULT_DURATION_MS = 1000;

    /** The default message: 64 bytes each way. */
    public static final int DEFAULT_SIZE = 64;

    /** The longest measurement, 60 s: longer is a bench, not a check. */
    public static final int MAX_DURATION_MS = 60_000;

    /** The smallest message holds the transaction's 8-byte sequence number. */
    public static final int MIN_SIZE = 8;

    /** The largest message fits one UDP datagram. */
    public static final int MAX_SIZE = 65_000;

    public Rr {
      if (over != Transport.TCP && over != Transport.UDP) {
        throw new IllegalArgumentException("rr runs over tcp or udp, not " + over);
      }
      checkPort(port);
      if (durationMs < 1 || durationMs > MAX_DURATION_MS) {
        throw new IllegalArgumentException(
            "rr duration out of range 1.." + MAX_DURATION_MS + " ms: " + durationMs);
      }
      if (size < MIN_SIZE || size > MAX_SIZE) {
        throw new IllegalArgumentException(
            "rr size out of range " + MIN_SIZE + ".." + MAX_SIZE + " bytes: " + size);
      }
    }

    /** {@code rr:tcp:5001} with the default duration and size. */
    public Rr(Transport over, int port) {
      this(over, port, DEFAULT_DURATION_MS, DEFAULT_SIZE);
    }

    @Override
    public String label() {
      return "rr:" + over.wireName() + ":" + port;
    }

    @Override
    public Transport transport() {
      return over;
    }

    @Override
    public ProbeSpec toPort(int other) {
      return new Rr(over, other, durationMs, size);
    }
  }

  /**
   * Throughput in one direction ({@code bulk:tcp:5002}): the source writes as fast as it can over
   * one TCP connection for {@code durationMs} to a discard responder the target's agent opens,
   * which counts what arrives and when. It measures, it does not explain: the figure is the rate
   * the target received, in bits per second.
   */
  record Bulk(int port, int durationMs) implements ProbeSpec {
    public Bulk {
      checkPort(port);
      if (durationMs < 1 || durationMs > Rr.MAX_DURATION_MS) {
        throw new IllegalArgumentException(
            "bulk duration out of range 1.." + Rr.MAX_DURATION_MS + " ms: " + durationMs);
      }
    }

    /** {@code bulk:tcp:5002} for the default duration. */
    public Bulk(int port) {
      this(port, Rr.DEFAULT_DURATION_MS);
    }

    @Override
    public String label() {
      return "bulk:tcp:" + port;
    }

    @Override
    public Transport transport() {
      return Transport.TCP;
    }

    @Override
    public ProbeSpec toPort(int other) {
      return new Bulk(other, durationMs);
    }
  }

  /** True for the probes that measure a path ({@code rr}, {@code bulk}) rather than its reach. */
  default boolean measures() {
    return this instanceof Rr || this instanceof Bulk;
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range 1..65535: " + port);
    }
  }
}
