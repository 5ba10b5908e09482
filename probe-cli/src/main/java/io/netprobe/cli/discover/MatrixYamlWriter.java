package io.netprobe.cli.discover;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a {@link MatrixPlan} as a matrix file that {@code netprobe run} loads: nodes in block
 * style with their addresses one per line, one check per block, and above each check a comment with
 * the Docker rule it follows, so that a person can see why it is there and change it.
 */
public final class MatrixYamlWriter {
  private static final int WIDTH = 100;

  private MatrixYamlWriter() {}

  /**
   * The YAML text.
   *
   * @param header comment lines for the top of the file (without {@code #}), e.g. the command line
   */
  public static String write(MatrixPlan plan, List<String> header) {
    StringBuilder y = new StringBuilder();
    header.forEach(line -> comment(y, "", line));
    text(y, "name: ", plan.name());
    if (!plan.description().isEmpty()) {
      text(y, "description: ", plan.description());
    }
    y.append("\ndefaults:\n  timeout: 1s\n  retries: 1\n\nnodes:\n");
    plan.nodes().forEach(n -> node(y, n));
    y.append("\nchecks:\n");
    if (!plan.notes().isEmpty()) {
      comment(y, "  ", "Not checked:");
      plan.notes().forEach(note -> comment(y, "  ", "- " + note));
      y.append('\n');
    }
    for (MatrixPlan.Check c : plan.checks()) {
      y.append("  # ").append(c.rule()).append('\n');
      y.append("  - from: ").append(c.from()).append('\n');
      y.append("    to: ").append(c.to()).append('\n');
      y.append("    probe: ").append(c.probe()).append('\n');
      y.append("    expect: ").append(c.expect().label()).append('\n');
      if (!c.title().isEmpty()) {
        text(y, "    title: ", c.title());
      }
      if (!c.hint().isEmpty()) {
        text(y, "    hint: ", c.hint());
      }
    }
    return y.toString();
  }

  private static void node(StringBuilder y, MatrixPlan.Node n) {
    y.append("  ").append(n.name()).append(":\n");
    y.append("    kind: ").append(n.kind().yamlName()).append('\n');
    if (n.container() != null) {
      y.append("    container: ").append(quote(n.container())).append('\n');
    }
    if (!n.description().isEmpty()) {
      text(y, "    description: ", n.description());
    }
    if (!n.addresses().isEmpty()) {
      y.append("    addresses:\n");
      for (MatrixPlan.Address a : n.addresses()) {
        y.append("      ").append(a.name()).append(": { ip: ").append(ip(a.ip()));
        if (!a.portMap().isEmpty()) {
          y.append(", port-map: { ").append(portMap(a.portMap())).append(" }");
        }
        y.append(", path: ").append(a.path().yamlName());
        if (!a.from().isEmpty()) {
          y.append(", from: [").append(String.join(", ", a.from())).append("]");
        }
        y.append(" }\n");
      }
    }
    if (n.defaultAddress() != null) {
      y.append("    default-address: ").append(n.defaultAddress()).append('\n');
    }
  }

  private static String portMap(Map<Integer, Integer> map) {
    return map.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** An IPv4 address as it is; an IPv6 one quoted (a plain scalar may not start with ':'). */
  private static String ip(String ip) {
    return ip.contains(":") ? quote(ip) : ip;
  }

  /**
   * {@code key} and {@code value} double-quoted, folded at single spaces so that lines stay within
   * 100 columns where words allow: YAML reads a line break in a quoted scalar as one space and
   * drops the indentation of the next line, so the text reads back as written.
   */
  private static void text(StringBuilder y, String key, String value) {
    String quoted = quote(value);
    List<String> words = new ArrayList<>();
    int from = 0;
    for (int i = 1; i < quoted.length() - 1; i++) {
      if (quoted.charAt(i) == ' ' && quoted.charAt(i - 1) != ' ' && quoted.charAt(i + 1) != ' ') {
        words.add(quoted.substring(from, i));
        from = i + 1;
      }
    }
    words.add(quoted.substring(from));
    String indent = " ".repeat(key.length() - key.stripLeading().length() + 2);
    StringBuilder line = new StringBuilder(key).append(words.get(0));
    for (String word : words.subList(1, words.size())) {
      if (line.length() + 1 + word.length() > WIDTH) {
        y.append(line).append('\n');
        line = new StringBuilder(indent).append(word);
      } else {
        line.append(' ').append(word);
      }
    }
    y.append(line).append('\n');
  }

  /** A double-quoted YAML scalar: any text stays text ("yes", "1e3", "a: b", "#"). */
  static String quote(String text) {
    StringBuilder s = new StringBuilder("\"");
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        default -> {
          if (ch < 0x20) {
            s.append(String.format("\\x%02x", (int) ch));
          } else {
            s.append(ch);
          }
        }
      }
    }
    return s.append('"').toString();
  }

  /** {@code text} as comment lines of at most 100 columns, continuation lines indented. */
  private static void comment(StringBuilder y, String indent, String text) {
    String lead = indent + "# ";
    String more = lead + (text.startsWith("- ") ? "  " : "");
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(lead);
    for (String word : text.replace('\n', ' ').split(" ")) {
      int base = lines.isEmpty() ? lead.length() : more.length();
      if (line.length() > base && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line = new StringBuilder(more);
      }
      if (line.length() > (lines.isEmpty() ? lead.length() : more.length())) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
    lines.forEach(l -> y.append(l.stripTrailing()).append('\n'));
  }
}
