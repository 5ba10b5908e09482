package io.netprobe.cli.run;

import io.netprobe.cli.explain.Observation;
import io.netprobe.cli.explain.ObservationRecord;
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
  private ObservationLog() {}

  static void write(Collection<Observation> observations, String matrixFile) {
    String dir = System.getenv("NETPROBE_RECORD");
    if (dir == null || dir.isBlank()) {
      return;
    }
    try {
      Path out = Files.createDirectories(Path.of(dir));
      for (Observation o : observations) {
        String name = o.check().id().replaceAll("[^A-Za-z0-9._-]+", "_") + ".json";
        RunEngine.JSON
            .writerWithDefaultPrettyPrinter()
            .writeValue(out.resolve(name).toFile(), ObservationRecord.of(o, matrixFile));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not record the observations in " + dir, e);
    }
  }
}
