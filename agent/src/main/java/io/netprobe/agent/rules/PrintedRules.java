package io.netprobe.agent.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.text.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The rule sets iptables-nft-save printed, kept in a directory by the fingerprint of the nf_tables
 * rules they came from ({@link io.netprobe.agent.facts.NftRules}) and by the binary that printed
 * them (its path, size and time: another iptables may print the same rules otherwise). A later run
 * whose namespace holds the same rules takes their counters from the kernel and starts no process:
 * a mesh of 40 namespaces ran 40 iptables-nft-save before its first probe, ~300 ms of two cores,
 * and a student who runs again after a fix pays only for the namespaces whose rules changed.
 *
 * <p>A file per rule set, written under a temporary name and renamed, so that a run never reads
 * half of one; the {@value #KEPT} used last are kept. What cannot be read or written is left: the
 * rules are then printed, as without this.
 */
final class PrintedRules {
  static final int KEPT = 512;

  /**
   * Made at first use: a run's start sets the directory on its main thread, and a mapper is ~45 ms
   * of a cold JVM.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Path dir;

  PrintedRules(Path dir) {
    this.dir = dir;
  }

  /** The rule set kept for {@code key} as {@code binary} printed it, if any. */
  Optional<RuleSet> get(String key, Path binary) {
    Path file = file(key, binary);
    try {
      RuleSet set = Json.MAPPER.readValue(Files.readString(file), RuleSet.class);
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
      return Optional.of(set);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // none kept, or unreadable: printed again
    }
  }

  /** Keeps {@code set}, as {@code binary} printed it for {@code key}. */
  void put(String key, Path binary, RuleSet set) {
    Path file = file(key, binary);
    Path part = dir.resolve(file.getFileName() + ".part-" + ProcessHandle.current().pid());
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Files.writeString(part, Json.MAPPER.writeValueAsString(set), StandardCharsets.UTF_8);
      try {
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
      }
      prune();
    } catch (IOException | RuntimeException e) {
      // not kept: the next run prints these rules again
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        // left for the next prune
      }
    }
  }

  /** The oldest files past {@link #KEPT}, and parts a killed run left, go. */
  private void prune() throws IOException {
    List<Path> files;
    try (Stream<Path> all = Files.list(dir)) {
      files = all.toList();
    }
    if (files.size() <= KEPT) {
      return;
    }
    List<Path> oldestFirst =
        files.stream()
            .sorted(Comparator.comparing(PrintedRules::modified))
            .limit(files.size() - KEPT)
            .toList();
    for (Path f : oldestFirst) {
      Files.deleteIfExists(f);
    }
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private Path file(String key, Path binary) {
    return dir.resolve(Sha256.hex(key + "\n" + stamp(binary)) + ".json");
  }

  /** The binary as it is now: its path, size and time of change. */
  private static String stamp(Path binary) {
    try {
      Path real = binary.toRealPath();
      return real + " " + Files.size(real) + " " + Files.getLastModifiedTime(real).toMillis();
    } catch (IOException e) {
      return binary.toString();
    }
  }
}
