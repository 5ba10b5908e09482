package io.netprobe.cli.discover;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names that a matrix accepts (a letter, then letters, digits, {@code -} and {@code _}; at most 63)
 * for containers and networks: a compose service's name when the container has one (the name the
 * people of the project use), else the container's own name; unique, never {@code local} or {@code
 * internet} (the matrix's other nodes).
 */
final class NodeNames {
  static final Set<String> RESERVED = Set.of("local", "internet");
  private static final int MAX = 63;

  private NodeNames() {}

  /** Container name to node name, in the containers' order. */
  static Map<String, String> of(List<DockerSetup.Container> containers) {
    Map<String, Integer> wanted = new HashMap<>();
    for (DockerSetup.Container c : containers) {
      wanted.merge(preferred(c), 1, Integer::sum);
    }
    Set<String> taken = new HashSet<>(RESERVED);
    Map<String, String> names = new LinkedHashMap<>();
    for (DockerSetup.Container c : containers) {
      String name = preferred(c);
      if (wanted.get(name) > 1 || RESERVED.contains(name)) {
        // two projects with one service name, or a service scaled up: the container's own name
        name = sanitize(c.name());
      }
      names.put(c.name(), unique(name, taken));
    }
    return names;
  }

  /** A name valid in a matrix, made from {@code text}: "np.compose" becomes "np-compose". */
  static String sanitize(String text) {
    String s = text.replaceAll("[^A-Za-z0-9_-]", "-");
    if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
      s = "c-" + s;
    }
    return s.length() > MAX ? s.substring(0, MAX) : s;
  }

  /** {@code name}, or name-2, name-3... when taken; marks the result taken. */
  static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int i = 2; !taken.add(candidate); i++) {
      String suffix = "-" + i;
      candidate =
          (name.length() + suffix.length() > MAX ? name.substring(0, MAX - suffix.length()) : name)
              + suffix;
    }
    return candidate;
  }

  private static String preferred(DockerSetup.Container c) {
    return sanitize(c.service().orElse(c.name()));
  }
}
