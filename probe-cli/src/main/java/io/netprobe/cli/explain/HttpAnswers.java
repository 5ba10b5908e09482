package io.netprobe.cli.explain;

import static io.netprobe.cli.explain.Explainer.verdict;

import io.netprobe.agent.probe.HttpProbe;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * An http probe that reached a service on its port, then failed at a layer above TCP: the TLS
 * handshake, the kind of server, the status, the body. Each reason quotes what the server sent (the
 * status line, the first bytes), so the layer that failed and the way it failed are both evidence.
 */
final class HttpAnswers {
  private HttpAnswers() {}

  static Verdict explain(Observation o, List<Evidence> evidence) {
    ProbeResult r = o.probe();
    ProbeSpec.Http http = (ProbeSpec.Http) o.check().probe();
    String at = Words.target(o) + " port " + Words.wirePort(o.check());
    Optional<String> first = said(r, HttpProbe.FIRST_BYTES);
    return switch (r.status()) {
      case TLS_FAILED ->
          verdict(
              Disposition.TLS_FAILED,
              "the TCP connection to "
                  + at
                  + " was accepted, but "
                  + detail(r, "TLS handshake failed: ", "the TLS handshake failed")
                  + first.map(b -> "; the server sent " + b).orElse(""),
              first.filter(b -> b.startsWith("'HTTP/")).isPresent()
                  ? "a plain HTTP server answers on that port: probe it with http:"
                      + http.port()
                      + http.path().replaceFirst("^/$", "")
                      + ", or enable TLS on the server"
                  : "check that the service on that port speaks TLS, and its certificate and"
                      + " protocol versions",
              evidence);
      case NOT_HTTP ->
          verdict(
              Disposition.NOT_HTTP,
              "something accepted the connection at "
                  + at
                  + ", but not an HTTP server: "
                  + Words.lastEvidence(r).replaceFirst("^" + HttpProbe.FIRST_BYTES, "it sent ")
                  + (first.isPresent() && !Words.lastEvidence(r).startsWith(HttpProbe.FIRST_BYTES)
                      ? "; it sent " + first.get()
                      : "")
                  + serverKind(first),
              "check what listens on that port (ss -ltnp on "
                  + Words.where(o)
                  + "): another service, or a port forward to the wrong port?",
              evidence);
      case HTTP_STATUS -> status(o, http, at, evidence);
      default ->
          verdict(
              Disposition.BODY_MISMATCH,
              "the HTTP server at "
                  + at
                  + " answered "
                  + statusSaid(r)
                  + " to GET "
                  + http.path()
                  + ", but the body does not hold '"
                  + http.body()
                  + "'"
                  + bodyStart(r),
              "another application (or a default page) answers there, or its output changed:"
                  + " compare the body in the evidence with what the check expects",
              evidence);
    };
  }

  /** {@code answered the request: 200 OK} for a cell that reached. */
  static String reached(ProbeResult r, ProbeSpec.Http http) {
    return "answered GET " + http.path() + " with " + statusSaid(r);
  }

  private static Verdict status(
      Observation o, ProbeSpec.Http http, String at, List<Evidence> evidence) {
    ProbeResult r = o.probe();
    int code = HttpProbe.statusLine(r.evidence()).map(m -> Integer.parseInt(m.group(2))).orElse(0);
    String hint =
        switch (code / 100) {
          case 3 ->
              "the server redirects "
                  + http.path()
                  + location(r)
                  + ": probe the page it points to, or expect "
                  + code;
          case 4 ->
              switch (code) {
                case 401, 403 ->
                    "the server refuses "
                        + http.path()
                        + " to this client: check its access rules (and whether the page needs a"
                        + " login)";
                case 404 ->
                    "the server has no "
                        + http.path()
                        + ": check the path, and that the right application answers on this port";
                default -> "the server rejected the request: check the path and the service";
              };
          case 5 ->
              code == 502 || code == 503 || code == 504
                  ? "a proxy or gateway answered for an application behind it that is down or"
                      + " unreachable: check that application and the proxy's backend address"
                  : "the application failed on the request: its log says why";
          default -> "compare the status in the evidence with the check's status";
        };
    return verdict(
        Disposition.HTTP_STATUS,
        "the HTTP server at "
            + at
            + " answered "
            + statusSaid(r)
            + " to GET "
            + http.path()
            + "; the check expects "
            + http.statusWanted(),
        hint,
        evidence);
  }

  /** {@code 404 Not Found}, from the status line in the evidence. */
  private static String statusSaid(ProbeResult r) {
    return HttpProbe.statusLine(r.evidence())
        .map(m -> m.group(2) + " " + m.group(3))
        .orElse("a status");
  }

  private static String location(ProbeResult r) {
    return r.evidence().stream()
        .filter(e -> HttpProbe.STATUS_LINE.matcher(e).find() && e.contains(", Location: "))
        .map(e -> " to " + e.substring(e.indexOf(", Location: ") + 12).split(", ")[0])
        .findFirst()
        .orElse("");
  }

  private static String bodyStart(ProbeResult r) {
    return r.evidence().stream()
        .filter(e -> HttpProbe.STATUS_LINE.matcher(e).find())
        .filter(e -> e.contains(" bytes: '"))
        .map(e -> "; it begins " + e.substring(e.indexOf(" bytes: '") + 8))
        .findFirst()
        .orElse("; its body is empty");
  }

  private static String serverKind(Optional<String> first) {
    if (first.isEmpty()) {
      return "";
    }
    String b = first.get();
    if (b.startsWith("'SSH-")) {
      return " (an SSH server)";
    }
    if (b.startsWith("'\\x16\\x03")) {
      return " (a TLS server: probe it with https)";
    }
    return "";
  }

  private static String detail(ProbeResult r, String prefix, String otherwise) {
    return said(r, prefix)
        .map(d -> "the TLS handshake failed: " + d)
        .orElseGet(
            () ->
                r.evidence().stream()
                    .filter(e -> e.startsWith("the TLS handshake had not completed"))
                    .findFirst()
                    .orElse(otherwise));
  }

  /** The rest of the first evidence line that begins with {@code prefix}. */
  private static Optional<String> said(ProbeResult r, String prefix) {
    return r.evidence().stream()
        .filter(e -> e.startsWith(prefix))
        .map(e -> e.substring(prefix.length()))
        .findFirst();
  }
}
