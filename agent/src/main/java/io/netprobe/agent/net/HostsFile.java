package io.netprobe.agent.net;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A hosts(5) file: {@code ADDRESS NAME [ALIAS...]} per line, {@code #} starts a comment, names
 * match without regard to case. Lines whose first field is no IP literal are skipped, as glibc
 * does.
 */
public final class HostsFile {
  private final Map<String, List<InetAddress>> byName;

  private HostsFile(Map<String, List<InetAddress>> byName) {
    this.byName = byName;
  }

  /** The file's entries; none when it does not exist. */
  public static HostsFile read(Path file) throws IOException {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return parse(List.of());
    }
  }

  public static HostsFile parse(List<String> lines) {
    Map<String, List<InetAddress>> byName = new LinkedHashMap<>();
    for (String line : lines) {
      int hash = line.indexOf('#');
      String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
      if (f.length < 2) {
        continue;
      }
      InetAddress address = NetUtil.createInetAddressFromIpAddressString(f[0]);
      if (address == null) {
        continue;
      }
      for (int i = 1; i < f.length; i++) {
        List<InetAddress> all = byName.computeIfAbsent(key(f[i]), k -> new ArrayList<>());
        if (!all.contains(address)) {
          all.add(address);
        }
      }
    }
    return new HostsFile(byName);
  }

  /** Every address of {@code name}, in file order; empty when it is not there. */
  public List<InetAddress> addresses(String name) {
    return List.copyOf(byName.getOrDefault(key(name), List.of()));
  }

  /** The first IPv4 address of {@code name}, else its first address; null when not there. */
  public InetAddress preferred(String name) {
    List<InetAddress> all = byName.getOrDefault(key(name), List.of());
    for (InetAddress a : all) {
      if (a instanceof Inet4Address) {
        return a;
      }
    }
    return all.isEmpty() ? null : all.get(0);
  }

  /**
   * The first address of {@code name} in {@code family} ({@code ipv4}, {@code ipv6}), or {@link
   * #preferred} when family is null; null when there is none.
   */
  public InetAddress preferred(String name, String family) {
    if (family == null) {
      return preferred(name);
    }
    boolean six = family.equals("ipv6");
    for (InetAddress a : byName.getOrDefault(key(name), List.of())) {
      if ((a instanceof Inet4Address) != six) {
        return a;
      }
    }
    return null;
  }

  private static String key(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
