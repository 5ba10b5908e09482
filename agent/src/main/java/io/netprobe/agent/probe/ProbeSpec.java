package io.netprobe.agent.probe;

/**
 * What to send: the probe of a check, as a matrix names it ({@code icmp}, {@code tcp:80}, {@code
 * udp:53}, {@code ssh}). Where to send it and how long to wait travel beside it.
 */
public sealed interface ProbeSpec
    permits ProbeSpec.Icmp, ProbeSpec.Tcp, ProbeSpec.Udp, ProbeSpec.Ssh {

  /** The probe's name as written in a matrix: {@code icmp}, {@code tcp:80}, {@code ssh}. */
  String label();

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
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range 1..65535: " + port);
    }
  }
}
