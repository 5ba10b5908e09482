package io.netprobe.matrix;

import java.util.Objects;

/** A place in a matrix file, 1-based, printed the way editors and compilers do: file:line:col. */
public record Location(String file, int line, int column) {
  public Location {
    Objects.requireNonNull(file, "file");
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException(
          "line and column start at 1, got " + line + ":" + column + " in " + file);
    }
  }

  /** The whole file, when a problem has no better place (an empty file, a size limit). */
  public static Location startOf(String file) {
    return new Location(file, 1, 1);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
