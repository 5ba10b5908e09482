package io.netprobe.cli.run;

import io.netprobe.cli.explain.Observation;
import io.netprobe.cli.explain.ObservationRecord;
import io.netprobe.cli.invocation.Invocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * With {@code NETPROBE_RECORD=DIR}, a run writes each check's observation as JSON into DIR (one
 * file per check, named after its id): the fixtures of the golden explanation tests, recorded from
 * real runs. Nothing is written without it. The evidence holds no secret (the probe's results never
 * carry a password), but it names the lab's addresses.
 */
final class ObservationLog {
  /**
   * The files this process wrote: the runs of one {@code grade --parallel} record the same check
   * ids, and the second of them takes {@code ID-2.json} instead of overwriting the first's. A new
   * process overwrites what an earlier one left (recording the fixtures again).
   */
  private static final java.util.Set<String> WRITTEN =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private ObservationLog() {}

  static void write(Collection<Observation> observations, String matrixFile) {
    String dir = Invocation.getenv("NETPROBE_RECORD");
    if (dir == null || dir.isBlank()) {
      return;
    }
    try {
      Path out = Files.createDirectories(Path.of(dir));
      for (Observation o : observations) {
        String stem = o.check().id().replaceAll("[^A-Za-z0-9._-]+", "_");
        String name = stem + ".json";
        for (int n = 2; !WRITTEN.add(out.resolve(name).toAbsolutePath().toString()); n++) {
          name = stem + "-" + n + ".json";
        }
        RunEngine.JSON
            .writerWithDefaultPrettyPrinter()
            .writeValue(out.resolve(name).toFile(), ObservationRecord.of(o, matrixFile));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not record the observations in " + dir, e);
    }
  }
}
