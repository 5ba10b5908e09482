package io.netprobe.report;

import static io.netprobe.report.Text.xml;

import io.netprobe.report.model.CheckResult;

/**
 * A check's path trace drawn hop by hop in its detail panel, top to bottom: the source, one box per
 * hop (who answered, its address and round trip), and, when the flow did not get there, the target
 * it was meant for, faded. A router that forwarded the flow is a plain box; the first silent hop
 * after the last answer, where the flow was lost, a red dashed box with {@code *}; a router that
 * could not forward it, a red box; the target's answer, a green one. HTML and CSS only (report.css,
 * {@code ol.trace}), coloured with the page's variables.
 */
final class HtmlPath {
  private HtmlPath() {}

  static String chain(CheckResult c) {
    var steps = PathTrace.steps(c.verdict().path());
    var h = new StringBuilder("<ol class=\"trace\" aria-label=\"");
    h.append(xml("path: " + PathTrace.line(c.verdict().path()))).append("\">");
    item(h, "from", "", c.from(), null, null, "source");
    for (var step : steps) {
      var hop = step.hop();
      var ttl = step.lastTtl() > hop.ttl() ? hop.ttl() + "+" : String.valueOf(hop.ttl());
      var rtt = hop.rttMs() == null ? null : PathTrace.rtt(hop.rttMs());
      var who = hop.answered() ? (hop.node() == null ? hop.address() : hop.node()) : "*";
      var address = hop.answered() && hop.node() != null ? hop.address() : null;
      item(h, step.role().cssClass(), ttl, who, address, rtt, step.how());
    }
    if (steps.get(steps.size() - 1).role() != PathTrace.Role.REACHED) {
      var target = c.toNode() == null ? c.to() : c.toNode();
      var address = c.address() == null || c.address().equals(target) ? null : c.address();
      item(h, "target", "", target, address, null, "the target: not reached");
    }
    return h.append("</ol>").toString();
  }

  private static void item(
      StringBuilder h,
      String cssClass,
      String ttl,
      String who,
      String address,
      String rtt,
      String how) {
    h.append("<li class=\"").append(cssClass).append("\"><span class=\"ttl\">").append(xml(ttl));
    h.append("</span><span class=\"box\"><b>").append(xml(who)).append("</b>");
    if (address != null) {
      h.append("<code>").append(xml(address)).append("</code>");
    }
    if (rtt != null) {
      h.append("<span class=\"rtt\">").append(xml(rtt)).append("</span>");
    }
    h.append("<small>").append(xml(how)).append("</small></span></li>");
  }
}
