package io.netprobe.agent.net;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a resolv.conf(5) the agent uses: the {@code nameserver} lines, in order, port 53.
 * Search domains, ndots and options are left out on purpose: a probe asks for the name it was
 * given, nothing else. {@code #} and {@code ;} start comments; an address that is no IP literal is
 * skipped (glibc does the same).
 */
public final class ResolvConf {
  public static final int DNS_PORT = 53;

  private ResolvConf() {}

  /** The nameservers of {@code file}; none when it does not exist. */
  public static List<InetSocketAddress> read(Path file) throws IOException {
    try {
      return nameservers(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  public static List<InetSocketAddress> nameservers(List<String> lines) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2 || !f[0].equals("nameserver")) {
        continue;
      }
      String ip = f[1];
      int zone = ip.indexOf('%');
      InetAddress address =
          NetUtil.createInetAddressFromIpAddressString(zone >= 0 ? ip.substring(0, zone) : ip);
      if (address != null) {
        InetSocketAddress server = new InetSocketAddress(address, DNS_PORT);
        if (!out.contains(server)) {
          out.add(server);
        }
      }
    }
    return List.copyOf(out);
  }
}
