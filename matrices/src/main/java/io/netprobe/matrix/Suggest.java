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

  /** Edit distance counting a swap of two neighbours as one edit ("nta" is one from "nat"). */
  static int distance(String a, String b) {
    if (a.length() > 64 || b.length() > 64) {
      return Integer.MAX_VALUE / 2;
    }
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
