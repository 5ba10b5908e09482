package io.netprobe.agent.capture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where this machine's libpcap is: capture loads it, {@code hello} reports whether it is there
 * (through {@code Capabilities.libpcap()}), the sidecar image ships it.
 */
public final class Libpcap {
  private static final List<String> LIB_DIRS =
      List.of(
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib/aarch64-linux-gnu",
          "/usr/lib",
          "/lib",
          "/usr/lib64",
          "/lib64",
          "/usr/local/lib");

  private Libpcap() {}

  /** The libpcap file found (libpcap0.8 on Debian ships only libpcap.so.0.8), or null. */
  public static String find() {
    for (String dir : LIB_DIRS) {
      for (String name : List.of("libpcap.so", "libpcap.so.1", "libpcap.so.0.8")) {
        Path p = Path.of(dir, name);
        if (Files.exists(p)) {
          return p.toString();
        }
      }
    }
    return null;
  }
}
