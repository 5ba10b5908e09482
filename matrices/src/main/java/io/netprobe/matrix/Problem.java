package io.netprobe.matrix;

import java.util.Objects;

/** One thing wrong with a matrix file: where it is and what to do about it. */
public record Problem(Location location, String message) implements Comparable<Problem> {
  public Problem {
    Objects.requireNonNull(location, "location");
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("a problem needs a message (at " + location + ")");
    }
  }

  @Override
  public int compareTo(Problem other) {
    int byLine = Integer.compare(location.line(), other.location.line());
    return byLine != 0 ? byLine : Integer.compare(location.column(), other.location.column());
  }

  /** {@code file:line:column: message}. */
  @Override
  public String toString() {
    return location + ": " + message;
  }
}
