package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/golden/}: compared by default, rewritten with {@code
 * -Dgolden.update=true} (then review them with {@code git diff}).
 */
final class Golden {
  static final Path DIR = Path.of("src/test/resources/golden");

  private Golden() {}

  static void assertMatches(String name, String actual) throws IOException {
    var file = DIR.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file)
        .as("golden file %s is missing: run mvn -pl reports test -Dgolden.update=true", file)
        .exists();
    assertThat(actual)
        .as(
            "%s differs from its golden file; if the change is meant, regenerate with"
                + " -Dgolden.update=true and review the diff",
            name)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
