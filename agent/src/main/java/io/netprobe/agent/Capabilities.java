package io.netprobe.agent;

import io.netprobe.agent.capture.Libpcap;
import io.netprobe.agent.rules.RulesReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this agent may do here, found cheaply from /proc (no JNA, no pcap4j loaded): ping sockets
 * (net.ipv4.ping_group_range holds our group), raw sockets (CAP_NET_RAW), capture (CAP_NET_RAW and
 * a libpcap on the library path), rules (CAP_NET_ADMIN and an iptables-save). Each says why not, so
 * the coordinator can explain a gap.
 */
public record Capabilities(
    Capability pingSocket, Capability rawSocket, Capability capture, Capability rules) {

  /** One capability: allowed or not, and why. */
  public record Capability(boolean allowed, String reason) {}

  private static final int CAP_NET_ADMIN = 12;
  private static final int CAP_NET_RAW = 13;

  public boolean icmpAllowed() {
    return pingSocket.allowed || rawSocket.allowed;
  }

  public static Capabilities detect() {
    boolean netRaw = hasNetRaw();
    Capability raw =
        netRaw
            ? new Capability(true, "CAP_NET_RAW held")
            : new Capability(false, "no CAP_NET_RAW: run as root or with cap_net_raw");
    return new Capabilities(
        detectPing(),
        raw,
        detectCapture(netRaw),
        rulesAllowed(capEff(), RulesReader.binary().map(Path::toString).orElse(null)));
  }

  /** Whether the rules op can read iptables: CAP_NET_ADMIN in {@code capEff}, and a binary. */
  static Capability rulesAllowed(long capEff, String iptablesSave) {
    if (iptablesSave == null) {
      return new Capability(false, RulesReader.NOT_FOUND);
    }
    if ((capEff >> CAP_NET_ADMIN & 1) == 0) {
      return new Capability(
          false,
          "found " + iptablesSave + " but no CAP_NET_ADMIN: run as root or with cap_net_admin");
    }
    return new Capability(true, "CAP_NET_ADMIN held, " + iptablesSave);
  }

  static Capability detectPing() {
    try {
      // Files.readString truncates sysctl files on procfs: read them line by line.
      String range =
          String.join(" ", Files.readAllLines(Path.of("/proc/sys/net/ipv4/ping_group_range")));
      return pingAllowed(range, groupId());
    } catch (IOException | RuntimeException e) {
      return new Capability(false, "cannot read net.ipv4.ping_group_range: " + e.getMessage());
    }
  }

  /** Whether a process of group {@code gid} may open ping sockets under {@code range}. */
  static Capability pingAllowed(String range, long gid) {
    String[] bounds = range.trim().split("\\s+");
    long low = Long.parseLong(bounds[0]);
    long high = Long.parseLong(bounds[1]);
    String current = "net.ipv4.ping_group_range \"" + low + " " + high + "\"";
    return low <= gid && gid <= high
        ? new Capability(true, "gid " + gid + " within " + current)
        : new Capability(
            false,
            "gid "
                + gid
                + " outside "
                + current
                + ": set it to \"0 2147483647\" or use a raw socket");
  }

  /** Whether CAP_NET_RAW is set in a CapEff hex mask from /proc/self/status. */
  static boolean netRawIn(long capEff) {
    return (capEff >> CAP_NET_RAW & 1) == 1;
  }

  static Capability detectCapture(boolean netRaw) {
    String lib = libpcap();
    if (lib == null) {
      return new Capability(false, "libpcap not found: install libpcap0.8 (Debian) or libpcap");
    }
    if (!netRaw) {
      return new Capability(false, "found " + lib + " but no CAP_NET_RAW: run as root or sudo");
    }
    return new Capability(true, "CAP_NET_RAW held, " + lib);
  }

  static boolean hasNetRaw() {
    return netRawIn(capEff());
  }

  private static long groupId() throws IOException {
    String gid = status().gid();
    if (gid == null) {
      throw new IOException("no Gid line in /proc/self/status");
    }
    return Long.parseLong(gid.trim().split("\\s+")[1]);
  }

  private static long capEff() {
    try {
      String hex = status().capEff();
      return hex == null ? 0 : Long.parseUnsignedLong(hex.trim(), 16);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** The lines of /proc/self/status that say what this process may do. */
  private record Status(String gid, String capEff) {}

  private static volatile Status status;

  /**
   * This process's group and effective capabilities, read once: they are the JVM's, the same for
   * every agent it runs in whatever namespace, and a graded class starts 41 agents a student.
   */
  private static Status status() throws IOException {
    Status s = status;
    if (s == null) {
      String gid = null;
      String capEff = null;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Gid:")) {
          gid = line.substring(4);
        } else if (line.startsWith("CapEff:")) {
          capEff = line.substring(7);
        }
      }
      s = new Status(gid, capEff);
      status = s;
    }
    return s;
  }

  /** The libpcap file found (libpcap0.8 on Debian ships only libpcap.so.0.8), or null. */
  public static String libpcap() {
    return Libpcap.find();
  }
}
