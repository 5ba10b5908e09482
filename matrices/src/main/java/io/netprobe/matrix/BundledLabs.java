package io.netprobe.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The lab library ({@code matrices/labs/}) and the JSON Schema as shipped inside the jar, so the
 * demo and the built-in labs load wherever netprobe runs, not only from a source checkout.
 */
public final class BundledLabs {
  /** Every bundled lab file; a test keeps this list equal to {@code matrices/labs/}. */
  public static final List<String> NAMES =
      List.of(
          "demo.yaml",
          "docker.yaml",
          "faults.yaml",
          "openstack.yaml",
          "two-tier.yaml",
          "virtualbox-nat.yaml");

  private static final String LABS = "labs/";
  private static final String SCHEMA = "schema/matrix.schema.json";

  private BundledLabs() {}

  /** Loads the bundled lab {@code name} (e.g. {@code demo.yaml}), with the process environment. */
  public static Matrix load(String name) throws MatrixException {
    return load(name, System.getenv());
  }

  /** As {@link #load(String)}, with {@code env} for {@code ${VAR}} placeholders. */
  public static Matrix load(String name, Map<String, String> env) throws MatrixException {
    if (!NAMES.contains(name)) {
      throw new MatrixException(
          List.of(
              new Problem(
                  Location.startOf(LABS + name),
                  "no bundled lab '" + name + "'; bundled labs are: " + String.join(", ", NAMES))));
    }
    return MatrixLoader.load(resource(LABS + name), LABS + name, env);
  }

  /** The YAML text of the bundled lab {@code name}. */
  public static String text(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "no bundled lab '" + name + "'; bundled labs are: " + String.join(", ", NAMES));
    }
    return resource(LABS + name);
  }

  /** The JSON Schema (draft-07) of matrix files. */
  public static String schema() {
    return resource(SCHEMA);
  }

  private static String resource(String path) {
    try (InputStream in = BundledLabs.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "the jar lacks io/netprobe/matrix/" + path + "; rebuild netprobe (mvn package)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled " + path, e);
    }
  }
}
