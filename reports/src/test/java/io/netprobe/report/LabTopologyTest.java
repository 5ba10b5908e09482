package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.PathHop;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Topology;
import io.netprobe.report.model.Verdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lab's topology: laid out without overlaps, each check walked on it as far as its packets
 * went, and drawn in every format that draws it.
 */
class LabTopologyTest {
  /** pc on the LAN, gw joining the LAN and the outside, a server outside, vm behind a NAT box. */
  static final Topology LAB =
      new Topology(
          List.of(
              new Topology.Network("10.1.0.0/16", "10.1.0.0/16", ""),
              new Topology.Network("203.0.113.0/24", "203.0.113.0/24", ""),
              new Topology.Network("10.0.2.0/24", "10.0.2.0/24", "")),
          List.of(
              new Topology.Host("pc", "router", true, List.of()),
              new Topology.Host("gw", "router", true, List.of()),
              new Topology.Host("web", "outside", false, List.of()),
              new Topology.Host("vm", "host", true, List.of()),
              new Topology.Host("dns", "outside", false, List.of("www.example.net"))),
          List.of(
              new Topology.Link("pc", "10.1.0.0/16", "eth0", "10.1.5.90", List.of()),
              new Topology.Link("gw", "10.1.0.0/16", "eth0", "10.1.0.254", List.of()),
              new Topology.Link(
                  "gw", "203.0.113.0/24", "eth1", "203.0.113.2", List.of("NAT (masquerade)")),
              new Topology.Link("web", "203.0.113.0/24", null, "203.0.113.10", List.of()),
              new Topology.Link(
                  "pc",
                  "10.0.2.0/24",
                  "vbox0",
                  "10.0.2.2",
                  List.of("DNAT tcp/1234 -> 10.0.2.15:22")),
              new Topology.Link("vm", "10.0.2.0/24", "eth0", "10.0.2.15", List.of())));

  private static CheckResult cell(String from, String toNode, String address, Verdict v) {
    return CheckResult.builder(from + "->" + toNode + " icmp", from, toNode, "icmp")
        .target(toNode, address, 0, "routed")
        .outcome(Outcome.OK)
        .verdict(v)
        .build();
  }

  private static Verdict verdict(Disposition d, List<Evidence> ev, List<PathHop> path) {
    return new Verdict(d, "r", ev, "", path);
  }

  @Test
  void everyBoxIsPlacedWithoutOverlapAndEveryLinkRouted() {
    LabLayout layout = LabLayout.of(LAB);
    assertThat(layout.boxes).hasSize(8);
    var boxes = List.copyOf(layout.boxes.values());
    for (int i = 0; i < boxes.size(); i++) {
      for (int j = i + 1; j < boxes.size(); j++) {
        var a = boxes.get(i);
        var b = boxes.get(j);
        boolean apart =
            a.x() + a.w() <= b.x()
                || b.x() + b.w() <= a.x()
                || a.y() + a.h() <= b.y()
                || b.y() + b.h() <= a.y();
        assertThat(apart).as("%s and %s overlap", a.id(), b.id()).isTrue();
      }
    }
    assertThat(layout.routes).hasSize(6);
    layout.routes.values().forEach(r -> assertThat(r.points()).hasSizeGreaterThanOrEqualTo(2));
  }

  @Test
  void aReachedCheckWalksAllTheWayAndALostOneStopsWhereTheEvidenceSays() {
    LabPaths paths = new LabPaths(LAB);
    var reached =
        paths.of(
            cell("pc", "web", "203.0.113.10", verdict(Disposition.REACHED, List.of(), List.of())));
    assertThat(reached.boxes())
        .containsExactly("h:pc", "n:10.1.0.0/16", "h:gw", "n:203.0.113.0/24", "h:web");
    assertThat(reached.went()).isEqualTo(4);
    assertThat(reached.stop()).isNull();

    // dropped by gw's rule: the walk stops at gw, and the rest of the way is drawn untaken
    var dropped =
        paths.of(
            cell(
                "pc",
                "web",
                "203.0.113.10",
                verdict(
                    Disposition.DROPPED_ON_PATH,
                    List.of(new Evidence("gw", "rules", "FORWARD rule 1 -j DROP (+1 packet)")),
                    List.of())));
    assertThat(dropped.went()).isEqualTo(2);
    assertThat(dropped.stop()).isEqualTo("h:gw");
    assertThat(dropped.links()).hasSize(4);

    // pc sent it to gw (its default route), whose trace answer is the last: the target lies back
    // the way it came, so no rest of the way is drawn
    var traced =
        paths.of(
            cell(
                "pc",
                "vm",
                "10.0.2.15",
                verdict(
                    Disposition.DROPPED_ON_PATH,
                    List.of(),
                    List.of(
                        new PathHop(1, "10.1.0.254", "gw", "time-exceeded", "time exceeded", 0.4),
                        new PathHop(2, null, null, "none", "no answer", null)))));
    assertThat(traced.boxes()).containsExactly("h:pc", "n:10.1.0.0/16", "h:gw");
    assertThat(traced.stop()).isEqualTo("h:gw");

    var noRoute =
        paths.of(
            cell("vm", "web", "203.0.113.10", verdict(Disposition.NO_ROUTE, List.of(), List.of())));
    assertThat(noRoute.went()).isZero();
    assertThat(noRoute.stop()).isEqualTo("h:vm");

    var refused =
        paths.of(cell("pc", "vm", "10.0.2.15", verdict(Disposition.REFUSED, List.of(), List.of())));
    assertThat(refused.went()).isEqualTo(refused.links().size());
    assertThat(refused.stop()).isEqualTo("h:vm");
  }

  @Test
  void theHtmlDrawsTheLabAndEachDetailCarriesItsWalkTheMarkdownAndTerminalTheSame() {
    RunResult run =
        new RunResult(
                "lab",
                "lab.yaml",
                java.time.Instant.parse("2026-12-03T00:00:00Z"),
                10,
                List.of(),
                List.of(
                    cell(
                        "pc",
                        "web",
                        "203.0.113.10",
                        verdict(Disposition.REACHED, List.of(), List.of()))),
                List.of())
            .withTopology(LAB);
    String html = Reports.render(run, ReportFormat.HTML, Options.INSTRUCTOR);
    assertThat(html)
        .contains("<svg class=\"lab\"", "data-box=\"n:203.0.113.0/24\"", "data-link=\"5\"")
        .contains("class=\"walk\" hidden data-links=\"0 1 2 3\"")
        .contains("NAT (masquerade)", "DNAT tcp/1234 -&gt; 10.0.2.15:22")
        .doesNotContain("pair-0");
    assertThat(Reports.render(run, ReportFormat.HTML, Options.STUDENT))
        .doesNotContain("class=\"walk\"");
    String md = Reports.render(run, ReportFormat.MARKDOWN, Options.INSTRUCTOR);
    assertThat(md)
        .contains("## The lab, as its agents found it", "flowchart TD", "n1([\"203.0.113.0/24\"])")
        .contains("h4 ---|\"eth1 203.0.113.2<br/>NAT (masquerade)\"| n1");
    var out = new StringWriter();
    Reports.topology(LAB, new PrintWriter(out), new TerminalOptions(false, 100, false));
    assertThat(out.toString())
        .contains("The lab as its agents found it: 3 networks, 5 nodes (2 routers)")
        .contains("  |- gw   eth1 203.0.113.2: router; NAT (masquerade)")
        .contains("  '- web  203.0.113.10: outside (no agent)")
        .contains("gw joins 10.1.0.0/16 and 203.0.113.0/24")
        .contains("On no network an agent read: dns (www.example.net)");
  }
}
