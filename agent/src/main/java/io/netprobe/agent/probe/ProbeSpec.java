package io.netprobe.agent.probe;

/**
 * What to send: the probe of a check, as a matrix names it ({@code icmp}, {@code tcp:80}, {@code
 * udp:53}, {@code ssh}). Where to send it and how long to wait travel beside it.
 */
public sealed interface ProbeSpec
    permits ProbeSpec.Icmp, ProbeSpec.Tcp, ProbeSpec.Udp, ProbeSpec.Ssh {

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

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range 1..65535: " + port);
    }
  }
}
