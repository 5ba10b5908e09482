package io.netprobe.agent.text;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers with a fixed count of decimals, as {@code String.format(Locale.ROOT, "%.1f", x)} writes
 * them (rounded half up from the shortest decimal that reads back as {@code x}), without a
 * Formatter: a run writes one for every cell, and on a cold JVM each {@code String.format} parsed
 * its pattern and looked up the locale's symbols again (about 10% of the threads' CPU in the mesh
 * benchmark's probes, see bench/README.md).
 */
public final class Decimals {
  private Decimals() {}

  /** {@code fixed(0.0614, 3)} is {@code "0.061"}, {@code fixed(12.25, 1)} is {@code "12.3"}. */
  public static String fixed(double value, int places) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    String text = BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).toPlainString();
    return value < 0 || (value == 0 && 1 / value < 0) ? negative(text) : text;
  }

  /** With thousands separated by commas, as {@code %,.1f} does: {@code 10,234.5}. */
  public static String grouped(double value, int places) {
    String text = fixed(value, places);
    boolean minus = text.startsWith("-");
    String digits = minus ? text.substring(1) : text;
    int point = digits.indexOf('.');
    String whole = point < 0 ? digits : digits.substring(0, point);
    StringBuilder out = new StringBuilder(text.length() + whole.length() / 3);
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) {
        out.append(',');
      }
      out.append(whole.charAt(i));
    }
    return (minus ? "-" : "") + out + (point < 0 ? "" : digits.substring(point));
  }

  /** Formatter keeps the sign of a negative value that rounds to zero: {@code -0.0}. */
  private static String negative(String text) {
    return text.startsWith("-") ? text : "-" + text;
  }
}
