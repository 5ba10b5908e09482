package io.netprobe.report;

import io.netprobe.report.model.PathHop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A verdict's path trace ({@code Verdict.path}) as the formats show it: one step per hop, each with
 * its role in the story of the flow, and the words the text formats share ({@code 1 fw (10.60.1.1)
 * 0.4 ms > 2 rt (10.60.3.2) 0.6 ms > 3 * (lost here)}). Where the flow was lost is read from the
 * hops as the trace reported them, never re-derived: the first of the silent hops after the last
 * answer. The silent hops after that one add nothing but their count, so they fold into it.
 */
final class PathTrace {
  private PathTrace() {}

  /** What a hop says about the flow. */
  enum Role {
    /** {@code time-exceeded}: a router on the way forwarded the flow this far. */
    FORWARDED("hop"),
    /** {@code none}, with answers further on: a router that does not answer, the flow went on. */
    SILENT("silent"),
    /** {@code none} after the last answer: the flow was lost between here and the hop before. */
    LOST("lost"),
    /** {@code unreachable}: a router could not forward the flow and said so. */
    STOPPED("stopped"),
    /** {@code reply}: the target answered. */
    REACHED("reached"),
    /** A kind this version does not know: shown with its name. */
    OTHER("hop");

    private final String cssClass;

    Role(String cssClass) {
      this.cssClass = cssClass;
    }

    String cssClass() {
      return cssClass;
    }
  }

  /**
   * One hop as shown.
   *
   * @param hop the hop as the trace reported it
   * @param role what it says about the flow
   * @param lastTtl the last TTL folded into this step (the trailing silent hops after a LOST one),
   *     or the hop's own
   */
  record Step(PathHop hop, Role role, int lastTtl) {
    /** "1 fw (10.60.1.1) 0.4 ms", "2 rt (10.60.3.2) 0.7 ms: net unreachable", "3 * (lost here)". */
    String text() {
      var sb = new StringBuilder().append(hop.ttl()).append(' ').append(hop.who());
      if (hop.rttMs() != null) {
        sb.append(' ').append(rtt(hop.rttMs()));
      }
      return sb.append(suffix()).toString();
    }

    /** What happened at this hop in words: "forwarded", "no answer: lost here", "reached". */
    String how() {
      var detail = hop.detail();
      return switch (role) {
        case FORWARDED -> "forwarded" + (detail.isBlank() ? "" : " (" + detail + ")");
        case SILENT -> "no answer (the flow went on)";
        case LOST -> "no answer: lost here" + folded();
        case STOPPED -> detail.isBlank() ? "unreachable" : detail;
        case REACHED -> "reached" + (detail.isBlank() ? "" : ": " + detail);
        case OTHER -> hop.kind() + (detail.isBlank() ? "" : ": " + detail);
      };
    }

    private String suffix() {
      var detail = hop.detail();
      return switch (role) {
        case FORWARDED, SILENT -> "";
        case LOST -> " (lost here" + folded() + ")";
        case STOPPED -> ": " + (detail.isBlank() ? "unreachable" : detail);
        case REACHED -> ": reached" + (detail.isBlank() ? "" : " (" + detail + ")");
        case OTHER -> ": " + how();
      };
    }

    private String folded() {
      return lastTtl > hop.ttl() ? "; no answer up to ttl " + lastTtl : "";
    }
  }

  /** The steps of {@code path}: one per hop, the silent hops after the lost one folded into it. */
  static List<Step> steps(List<PathHop> path) {
    int lost = lostAt(path);
    var steps = new ArrayList<Step>();
    for (int i = 0; i < path.size(); i++) {
      var hop = path.get(i);
      if (i == lost) {
        steps.add(new Step(hop, Role.LOST, path.get(path.size() - 1).ttl()));
        break;
      }
      steps.add(new Step(hop, role(hop), hop.ttl()));
    }
    return List.copyOf(steps);
  }

  /** The whole path on one line: the steps joined by {@code " > "}. */
  static String line(List<PathHop> path) {
    return line(path, " > ");
  }

  /** The whole path on one line, the steps joined by {@code separator}. */
  static String line(List<PathHop> path, String separator) {
    return String.join(separator, steps(path).stream().map(Step::text).toList());
  }

  /** True when the trace ended without an answer from the target or a router that stopped it. */
  static boolean lost(List<PathHop> path) {
    return lostAt(path) >= 0;
  }

  /** "0.4 ms", "12.5 ms", "1523 ms". */
  static String rtt(double ms) {
    return String.format(Locale.ROOT, ms < 100 ? "%.1f ms" : "%.0f ms", ms);
  }

  /** The index of the first silent hop after the last one that answered, or -1. */
  private static int lostAt(List<PathHop> path) {
    int lost = -1;
    for (int i = path.size() - 1; i >= 0 && isSilent(path.get(i)); i--) {
      lost = i;
    }
    return lost;
  }

  private static boolean isSilent(PathHop hop) {
    return hop.kind().equals("none") || !hop.answered();
  }

  private static Role role(PathHop hop) {
    if (isSilent(hop)) {
      return Role.SILENT;
    }
    return switch (hop.kind()) {
      case "time-exceeded" -> Role.FORWARDED;
      case "unreachable" -> Role.STOPPED;
      case "reply" -> Role.REACHED;
      default -> Role.OTHER;
    };
  }
}
