package io.netprobe.cli.daemon;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a daemon listens. A daemon serves the commands of one user, from one build of the jar, one
 * working directory (relative paths resolve against it, and a JVM cannot change its own), one
 * network and mount namespace (its agents' sockets are opened in them), one default charset (the
 * grid's marks) and one Docker configuration: a client whose any of these differ has another
 * address, finds no daemon there, and runs the command itself. The sockets live in a directory only
 * their user can enter: {@code $NETPROBE_DAEMON_DIR}, else {@code /run/netprobe} for root, else
 * {@code $XDG_RUNTIME_DIR/netprobe} or {@code /tmp/netprobe-UID}.
 */
public final class DaemonAddress {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private DaemonAddress() {}

  /** The directory of this user's daemons (not created). */
  public static Path dir(java.util.Map<String, String> env) {
    String set = env.get("NETPROBE_DAEMON_DIR");
    if (set != null && !set.isBlank()) {
      return Path.of(set);
    }
    long uid = uid();
    if (uid == 0) {
      return Path.of("/run/netprobe");
    }
    String runtime = env.get("XDG_RUNTIME_DIR");
    return runtime != null && !runtime.isBlank()
        ? Path.of(runtime, "netprobe")
        : Path.of(System.getProperty("java.io.tmpdir"), "netprobe-" + uid);
  }

  /**
   * True when {@code dir} is a directory of this user's that no one else may enter: a socket in any
   * other is not trusted (another user could listen there and read the environment sent).
   */
  static boolean trusted(Path dir) {
    try {
      PosixFileAttributes a =
          Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isDirectory()
          && a.permissions().equals(OWNER_ONLY)
          && ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue()
              == uid();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Creates {@code dir} for this user only, or says why it cannot be used. */
  static void create(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another daemon's start made it: checked below like any
      }
      Files.setPosixFilePermissions(dir, EnumSet.copyOf(OWNER_ONLY)); // past the umask
    }
    if (!trusted(dir)) {
      throw new IOException(
          dir
              + " must be a directory of this user's with mode 700 (rwx------); remove it or set"
              + " NETPROBE_DAEMON_DIR to another");
    }
  }

  /** This process's daemon socket in {@code dir}: the address its commands would be served at. */
  static Path socket(Path dir) throws IOException {
    return dir.resolve(String.format("%016x.sock", fnv(identity())));
  }

  /** The log of the daemon listening at {@code socket}: beside it, {@code ID.log}. */
  static Path log(Path socket) {
    String name = socket.getFileName().toString();
    return socket.resolveSibling(name.substring(0, name.length() - ".sock".length()) + ".log");
  }

  /** What a daemon and its clients must share, as one line (hashed into the socket's name). */
  static String identity() throws IOException {
    Path jar = jar();
    String stamp = "";
    if (Files.isRegularFile(jar)) {
      stamp = Files.getLastModifiedTime(jar).toMillis() + "-" + Files.size(jar);
    }
    return String.join(
        "|",
        Long.toString(uid()),
        jar.toString(),
        stamp,
        Path.of("").toAbsolutePath().toString(),
        Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(),
        Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString(),
        Charset.defaultCharset().name().toLowerCase(Locale.ROOT),
        docker());
  }

  /**
   * The Docker client's settings from the environment (DOCKER_HOST, DOCKER_TLS_VERIFY,
   * DOCKER_CERT_PATH, ...): docker-java reads all but DOCKER_HOST from the process's own, so a
   * client whose differ is not the daemon's.
   */
  private static String docker() {
    return new java.util.TreeMap<>(System.getenv())
        .entrySet().stream()
            .filter(e -> e.getKey().startsWith("DOCKER_"))
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(java.util.stream.Collectors.joining(","));
  }

  /** The jar (or classes directory) the CLI runs from. */
  static Path jar() {
    try {
      return Path.of(
              DaemonAddress.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return Path.of("unknown");
    }
  }

  static long uid() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** FNV-1a, 64 bits: a name, not a secret (MessageDigest's providers cost a cold JVM ~20 ms). */
  private static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
