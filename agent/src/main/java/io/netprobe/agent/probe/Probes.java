package io.netprobe.agent.probe;

/** The factory: the probe for a spec. */
public final class Probes {
  private Probes() {}

  public static Probe create(ProbeSpec spec, ProbeOptions options) {
    if (spec instanceof ProbeSpec.Tcp tcp) {
      return new TcpProbe(tcp.port());
    }
    if (spec instanceof ProbeSpec.Icmp icmp) {
      return new IcmpProbe(icmp.count(), options.intervalMs());
    }
    if (spec instanceof ProbeSpec.Udp udp) {
      return new UdpProbe(udp.port(), options.payload());
    }
    ProbeSpec.Ssh ssh = (ProbeSpec.Ssh) spec;
    if (options.ssh() == null) {
      throw new IllegalArgumentException("ssh probe needs a login: give args.user");
    }
    return new SshProbe(ssh.port(), options.ssh());
  }
}
