package io.netprobe.cli.run;

import io.netprobe.agent.capture.CaptureSummary;
import io.netprobe.agent.capture.PacketParser;
import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.matrix.Check;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The pcap files that back a cell: from each end's capture of the run, the packets of the cell's
 * flow, written as {@code pcap/<check>.<node>.pcap} (Wireshark and {@code tcpdump -r} open them).
 */
final class PcapEvidence {
  private static final int GLOBAL_HEADER = 24;
  private static final int RECORD_HEADER = 16;

  private PcapEvidence() {}

  /** One node's capture as pcap records, each with its parsed summary (null: not IPv4). */
  record Capture(byte[] header, List<byte[]> records, List<PacketSummary> packets) {
    static Capture of(CaptureSummary summary) {
      return summary == null ? null : of(summary.pcapBase64());
    }

    /** A pcap file in base64, as an agent sends it; null for none. */
    static Capture of(String pcapBase64) {
      if (pcapBase64 == null) {
        return null;
      }
      byte[] pcap = Base64.getDecoder().decode(pcapBase64);
      if (pcap.length < GLOBAL_HEADER) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
      int magic = b.getInt(0);
      ByteOrder order =
          magic == 0xa1b2c3d4 || magic == 0xa1b23c4d
              ? ByteOrder.LITTLE_ENDIAN
              : ByteOrder.BIG_ENDIAN;
      b.order(order);
      int dlt = b.getInt(20);
      List<byte[]> records = new ArrayList<>();
      List<PacketSummary> packets = new ArrayList<>();
      int at = GLOBAL_HEADER;
      while (at + RECORD_HEADER <= pcap.length) {
        int caplen = b.getInt(at + 8);
        if (caplen < 0 || at + RECORD_HEADER + caplen > pcap.length) {
          break;
        }
        byte[] record = new byte[RECORD_HEADER + caplen];
        System.arraycopy(pcap, at, record, 0, record.length);
        byte[] frame = new byte[caplen];
        System.arraycopy(pcap, at + RECORD_HEADER, frame, 0, caplen);
        records.add(record);
        packets.add(PacketParser.parse(frame, dlt, 0, null, null));
        at += RECORD_HEADER + caplen;
      }
      byte[] header = new byte[GLOBAL_HEADER];
      System.arraycopy(pcap, 0, header, 0, GLOBAL_HEADER);
      return new Capture(header, records, packets);
    }

    /**
     * The capture's records whose packet matches, as a pcap file: an empty one (the header alone)
     * is evidence too, that nothing of the flow was seen there.
     */
    byte[] select(Predicate<PacketSummary> flow) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(header);
      for (int i = 0; i < records.size(); i++) {
        if (packets.get(i) != null && flow.test(packets.get(i))) {
          out.writeBytes(records.get(i));
        }
      }
      return out.toByteArray();
    }
  }

  /**
   * Writes the cell's packets from each capture that has some into {@code dir/pcap/}; returns the
   * files written, relative to {@code dir}.
   */
  static List<String> write(
      Path dir, Check check, ProbeResult r, List<String> nodes, List<Capture> captures)
      throws IOException {
    List<String> files = new ArrayList<>();
    Predicate<PacketSummary> flow = flow(check, r);
    for (int i = 0; i < nodes.size(); i++) {
      Capture c = captures.get(i);
      byte[] pcap = c == null ? null : c.select(flow);
      if (pcap == null) {
        continue;
      }
      String name = "pcap/" + slug(check.id()) + "." + nodes.get(i) + ".pcap";
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.write(file, pcap);
      files.add(name);
    }
    return files;
  }

  /** The packets of a check's flow, both ways, and the ICMP errors sent to its source. */
  static Predicate<PacketSummary> flow(Check check, ProbeResult r) {
    String source = r.sourceAddress();
    Predicate<PacketSummary> icmpError =
        p ->
            p.icmpType() != null
                && p.icmpType() != 0
                && p.icmpType() != 8
                && source != null
                && source.equals(p.dst());
    if (check.probe() instanceof ProbeSpec.Icmp) {
      Integer id = r.echoes() == null ? null : r.echoes().identifier();
      return icmpError.or(p -> id != null && id.equals(p.icmpId()));
    }
    Integer sport = r.sourcePort();
    Set<Integer> ports = FlowMatcher.ports(check);
    return icmpError.or(
        p ->
            sport != null
                && p.srcPort() != null
                && ((sport.equals(p.srcPort()) && ports.contains(p.dstPort()))
                    || (sport.equals(p.dstPort()) && ports.contains(p.srcPort()))));
  }

  /** A file name for a check id: {@code pc->vm.nat icmp} becomes {@code pc_vm.nat_icmp}. */
  static String slug(String id) {
    return id.replace("->", "_").replaceAll("[^A-Za-z0-9._-]+", "_");
  }
}
