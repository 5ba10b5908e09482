package io.netprobe.agent.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * The answers of one trace, TTL by TTL, and what they say: where the hops end, whether the
 * destination answered, the last hop that answered and the first silent one after it, in evidence
 * lines. The first answer for a TTL counts; a later one (a retransmitted RST...) is ignored.
 */
final class HopTable {
  private final int maxHops;
  private final String destination;
  private final int timeoutMs;
  private final Hop[] hops;

  HopTable(int maxHops, String destination, int timeoutMs) {
    this.maxHops = maxHops;
    this.destination = destination;
    this.timeoutMs = timeoutMs;
    this.hops = new Hop[maxHops + 1];
  }

  /** Records an answer; false when its TTL was answered already. */
  boolean record(Answer a, double rttMs) {
    if (a.ttl() < 1 || a.ttl() > maxHops || hops[a.ttl()] != null) {
      return false;
    }
    hops[a.ttl()] = new Hop(a.ttl(), a.from(), a.kind(), a.code(), a.detail(), rttMs);
    return true;
  }

  /** The last TTL worth showing: the first that reached the destination or ended the path. */
  int end() {
    for (int ttl = 1; ttl <= maxHops; ttl++) {
      Hop h = hops[ttl];
      if (h != null && (h.kind().endsPath() || destination.equals(h.from()))) {
        return ttl;
      }
    }
    return maxHops;
  }

  /** Whether every TTL up to an end has its answer: nothing more can change the trace. */
  boolean complete() {
    int end = end();
    for (int ttl = 1; ttl <= end; ttl++) {
      if (hops[ttl] == null) {
        return false;
      }
    }
    return true;
  }

  List<Hop> hops() {
    List<Hop> out = new ArrayList<>();
    for (int ttl = 1; ttl <= end(); ttl++) {
      out.add(hops[ttl] != null ? hops[ttl] : Hop.silent(ttl));
    }
    return out;
  }

  boolean reached() {
    Hop last = hops[end()];
    return last != null && destination.equals(last.from());
  }

  /** The answered hop with the highest TTL; null when nothing answered. */
  Hop lastAnswered() {
    for (int ttl = end(); ttl >= 1; ttl--) {
      if (hops[ttl] != null) {
        return hops[ttl];
      }
    }
    return null;
  }

  /** The TTL after the last answered one, when it went unanswered; null when the trace ended. */
  Integer firstSilent() {
    Hop last = lastAnswered();
    int next = last == null ? 1 : last.ttl() + 1;
    return next <= end() && hops[next] == null ? next : null;
  }

  /** One line per hop, then what they add up to. */
  List<String> evidence() {
    List<String> lines = new ArrayList<>();
    Hop last = lastAnswered();
    for (Hop h : hops()) {
      lines.add(line(h, last));
    }
    lines.add(verdict(last));
    return lines;
  }

  private String line(Hop h, Hop last) {
    if (!h.answered()) {
      String line = "hop " + h.ttl() + ": no answer within " + timeoutMs + " ms";
      return last != null && h.ttl() < last.ttl()
          ? line + " (a later hop answered: this router sends no time exceeded, or rate-limits it)"
          : line;
    }
    String code =
        h.kind() == HopKind.UNREACHABLE || h.detail().equals("port unreachable")
            ? ", code " + h.code()
            : "";
    return "hop " + h.ttl() + " " + h.from() + " (" + h.detail() + code + ", " + h.rttMs() + " ms)";
  }

  private String verdict(Hop last) {
    int end = end();
    if (reached()) {
      Hop h = hops[end];
      return "reached " + destination + " at hop " + end + " (" + h.detail() + ")";
    }
    if (last != null && last.ttl() == end && last.kind() == HopKind.UNREACHABLE) {
      return "hop "
          + end
          + " "
          + last.from()
          + " answered "
          + last.detail()
          + ": the flow goes no further than "
          + last.from();
    }
    if (last == null) {
      return "no hop answered within "
          + timeoutMs
          + " ms: the flow is lost at the first router or before it, or every answer is lost on"
          + " the way back";
    }
    if (last.ttl() == end) {
      return "hop "
          + end
          + " "
          + last.from()
          + " answered "
          + last.detail()
          + ": "
          + destination
          + " is more than "
          + end
          + " hops away, or not on this path";
    }
    String silent = last.ttl() + 1 == end ? "hop " + end : "hop " + (last.ttl() + 1) + " to " + end;
    return "the last answer came from hop "
        + last.ttl()
        + " "
        + last.from()
        + "; nothing answered from "
        + silent
        + " within "
        + timeoutMs
        + " ms: the flow is lost where "
        + last.from()
        + " forwards it (its time exceeded goes out before its forward filter) or beyond, or"
        + " the answers are lost on the way back";
  }
}
