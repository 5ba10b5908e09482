package io.netprobe.matrix;

import java.util.Optional;
import java.util.function.Function;

/** A value read from text, or the reason it could not be read. */
record Parsed<T>(T value, String error) {
  static <T> Parsed<T> ok(T value) {
    return new Parsed<>(value, null);
  }

  static <T> Parsed<T> bad(String error) {
    return new Parsed<>(null, error);
  }

  boolean isOk() {
    return error == null;
  }

  <R> Parsed<R> map(Function<T, R> f) {
    return isOk() ? ok(f.apply(value)) : bad(error);
  }

  /** The value; or empty, with the error reported at {@code at} after {@code prefix}. */
  Optional<T> orReport(LoadContext ctx, org.yaml.snakeyaml.nodes.Node at, String prefix) {
    if (!isOk()) {
      if (!error.isEmpty()) { // empty: reported where it was first found
        ctx.problem(at, prefix + error);
      }
      return Optional.empty();
    }
    return Optional.of(value);
  }
}
