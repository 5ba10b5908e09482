package io.netprobe.agent.rules;

import java.util.ArrayList;
import java.util.List;

/** The words of a rule spec as iptables-save prints them: double quotes group, \ escapes. */
final class Spec {
  private Spec() {}

  static List<String> words(String spec) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (int i = 0; i < spec.length(); i++) {
      char c = spec.charAt(i);
      if (c == '\\' && i + 1 < spec.length()) {
        word.append(spec.charAt(++i));
        inWord = true;
      } else if (c == '"') {
        quoted = !quoted;
        inWord = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(word.toString());
    }
    return out;
  }

  /** What {@code -j}/{@code --jump} or {@code -g}/{@code --goto} names; null if nothing. */
  static String target(List<String> words) {
    for (int i = 0; i + 1 < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("-j") || w.equals("--jump") || w.equals("-g") || w.equals("--goto")) {
        return words.get(i + 1);
      }
    }
    return null;
  }
}
