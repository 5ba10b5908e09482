package io.netprobe.agent.probe;

import io.netprobe.agent.net.NetNamespace;

/** The factory: the probe for a spec, run in the agent's network namespace. */
public final class Probes {
  private Probes() {}

  public static Probe create(ProbeSpec spec, ProbeOptions options, NetNamespace netns) {
    if (spec instanceof ProbeSpec.Tcp tcp) {
      return new TcpProbe(tcp.port(), netns);
    }
    if (spec instanceof ProbeSpec.Icmp icmp) {
      return new IcmpProbe(icmp.count(), options.intervalMs(), netns);
    }
    if (spec instanceof ProbeSpec.Http http) {
      return new HttpProbe(http, netns);
    }
    if (spec instanceof ProbeSpec.Udp udp) {
      return new UdpProbe(udp.port(), options.payload(), netns);
    }
    if (spec instanceof ProbeSpec.Rr rr) {
      return new RrProbe(rr, netns);
    }
    if (spec instanceof ProbeSpec.Bulk bulk) {
      return new BulkProbe(bulk, netns);
    }
    ProbeSpec.Ssh ssh = (ProbeSpec.Ssh) spec;
    SshLogin login = options.ssh() == null ? SshLogin.transportOnly(null, false) : options.ssh();
    return new SshProbe(ssh.port(), login, netns);
  }
}
