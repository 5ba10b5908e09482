package io.netprobe.matrix;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean": the closest valid word to a misspelt one. */
final class Suggest {
  private Suggest() {}

  static Optional<String> closest(String word, Collection<String> valid) {
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    return valid.stream()
        .filter(v -> distance(lower, v) <= Math.max(1, v.length() / 3))
        .min(Comparator.comparingInt(v -> distance(lower, v)));
  }

  /** ", did you mean 'x'?" or nothing. */
  static String didYouMean(String word, Collection<String> valid) {
    return closest(word, valid).map(v -> "; did you mean '" + v + "'?").orElse("");
  }

  static int distance(String a, String b) {
    if (a.length() > 64 || b.length() > 64) {
      return Integer.MAX_VALUE / 2;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }
}
