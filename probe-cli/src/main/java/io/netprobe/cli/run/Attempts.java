package io.netprobe.cli.run;

import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Expectation;
import java.util.ArrayList;
import java.util.List;

/** The probe results of one check, first attempt first; a retry adds one. */
final class Attempts {
  private final List<ProbeResult> results = new ArrayList<>();

  void add(ProbeResult r) {
    results.add(r);
  }

  int count() {
    return results.size();
  }

  ProbeResult last() {
    return results.get(results.size() - 1);
  }

  /** True when attempts saw different things: the path is flaky. */
  boolean flaky() {
    return results.stream().map(ProbeResult::status).distinct().count() > 1;
  }

  /**
   * True when the last observation plainly differs from what the check expects, so a retry is worth
   * it. Timeouts cannot be told apart before the captures are read; they are retried only when the
   * expectation wanted the packets through.
   */
  boolean disagrees(Check check) {
    ProbeResult r = last();
    if (r.status() == ProbeStatus.ERROR) {
      return false;
    }
    boolean reached = r.status().isReached();
    Expectation e = check.expect();
    if (e instanceof Expectation.Exactly exactly) {
      Disposition wanted = exactly.disposition();
      if (wanted.isReachable() != reached) {
        return true;
      }
      Disposition seen = plain(r.status());
      return seen != null && seen != wanted;
    }
    // pass, and pass with thresholds: a retry only where the packets did not get through
    return e.isMetBy(Disposition.REACHED) ? !reached : reached;
  }

  /** The disposition a status gives by itself, or null when only the captures can tell. */
  private static Disposition plain(ProbeStatus s) {
    return switch (s) {
      case REPLY, CONNECTED -> Disposition.REACHED;
      case REFUSED -> Disposition.REFUSED;
      case NO_ROUTE -> Disposition.NO_ROUTE;
      case AUTH_FAILED -> Disposition.AUTH_FAILED;
      case HOSTKEY_MISMATCH -> Disposition.HOSTKEY_MISMATCH;
      case NOT_SSH, KEX_FAILED -> Disposition.NOT_SSH;
      case TLS_FAILED -> Disposition.TLS_FAILED;
      case NOT_HTTP -> Disposition.NOT_HTTP;
      case HTTP_STATUS -> Disposition.HTTP_STATUS;
      case BODY_MISMATCH -> Disposition.BODY_MISMATCH;
      case NAME_UNRESOLVED -> Disposition.NAME_UNRESOLVED;
      default -> null;
    };
  }

  /** A result for a probe that could not be sent or answered: an ERROR, with why. */
  static ProbeResult notRun(Check check, String why) {
    return new ProbeResult(
        check.probe().label(),
        check.to().ip(),
        check.to().ip(),
        ProbeStatus.ERROR,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(),
        List.of(why),
        0,
        null);
  }
}
