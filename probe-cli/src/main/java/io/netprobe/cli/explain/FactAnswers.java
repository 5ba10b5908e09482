package io.netprobe.cli.explain;

import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.Facts.Interface;
import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.agent.facts.Facts.Route;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.agent.rules.Chain;
import io.netprobe.agent.rules.Rule;
import io.netprobe.agent.rules.RuleSet;
import io.netprobe.agent.rules.RulesSnapshot;
import io.netprobe.agent.rules.Table;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Fact;
import io.netprobe.matrix.Fact.AddressFact;
import io.netprobe.matrix.Fact.DnsFact;
import io.netprobe.matrix.Fact.ForwardingFact;
import io.netprobe.matrix.Fact.ListeningFact;
import io.netprobe.matrix.Fact.NatFact;
import io.netprobe.matrix.Fact.RouteFact;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A check of configuration decided from what the node's agent read: HOLDS or DIFFERS, with the
 * node's own configuration as evidence ("calc's route to 192.168.2.0/24 is default via
 * 192.168.1.254 dev eth0"). Pure: the reading is in {@code FactChecks}.
 */
public final class FactAnswers {
  private FactAnswers() {}

  /**
   * What the node read for its facts: its {@link Facts} (with the route choice, or the name's
   * answer, for each route and dns fact, by the text asked for), its rules where a nat fact needs
   * them.
   */
  public record Reading(
      Facts facts, java.util.Map<String, RouteChoice> choices, RulesSnapshot rules) {}

  /** The verdict on {@code fact} of {@code node}, from {@code reading}. */
  public static Verdict answer(String node, Fact fact, Reading reading) {
    if (fact instanceof AddressFact a) {
      return address(node, a, reading.facts());
    } else if (fact instanceof RouteFact r) {
      return route(node, r, reading);
    } else if (fact instanceof ListeningFact l) {
      return listening(node, l, reading.facts());
    } else if (fact instanceof ForwardingFact f) {
      return forwarding(node, f, reading.facts());
    } else if (fact instanceof NatFact n) {
      return nat(node, n, reading.rules());
    }
    DnsFact d = (DnsFact) fact;
    return dns(node, d, reading.choices().get(d.name()));
  }

  /** The key a route or dns fact's answer is asked and found under. */
  public static String asked(Fact fact) {
    if (fact instanceof RouteFact r) {
      return r.network();
    }
    return fact instanceof DnsFact d ? d.name() : null;
  }

  private static Verdict address(String node, AddressFact a, Facts facts) {
    List<Evidence> ev = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (Interface i : facts.interfaces()) {
      for (String cidr : i.addresses()) {
        all.add(i.name() + " " + cidr + (i.up() ? "" : " (down)"));
      }
    }
    ev.add(new Evidence(node, "facts", "addresses: " + String.join(", ", all)));
    for (Interface i : facts.interfaces()) {
      for (String cidr : i.addresses()) {
        String[] parts = cidr.split("/");
        if (!parts[0].equals(a.ip())) {
          continue;
        }
        String has = node + " has " + cidr + " on " + i.name();
        if (a.device() != null && !a.device().equals(i.name())) {
          return differs(has + ", not on " + a.device(), ev, "move the address to " + a.device());
        }
        if (a.prefix() != null && parts.length > 1 && !parts[1].equals(a.prefix().toString())) {
          return differs(
              has + ": its prefix is /" + parts[1] + ", not /" + a.prefix(),
              ev,
              "set the address with its right prefix: ip addr replace "
                  + a.ip()
                  + "/"
                  + a.prefix()
                  + " dev "
                  + i.name());
        }
        if (!i.up()) {
          return differs(
              has + ", but " + i.name() + " is down", ev, "ip link set " + i.name() + " up");
        }
        return holds(has, ev);
      }
    }
    return differs(
        node + " has no address " + a.ip(),
        ev,
        "give "
            + node
            + " the address "
            + a.text()
            + " (its network settings, DHCP, or ip addr add)");
  }

  private static Verdict route(String node, RouteFact r, Reading reading) {
    List<Evidence> ev = new ArrayList<>();
    Route chosen;
    if (r.prefix() == 0) {
      chosen =
          reading.facts().routes().stream()
              .filter(x -> x.destination().equals(r.cidr()))
              .min(java.util.Comparator.comparingInt(Route::metric))
              .orElse(null);
    } else {
      RouteChoice choice = reading.choices().get(r.network());
      chosen = choice == null ? null : choice.route();
    }
    List<String> table = reading.facts().routes().stream().map(FactAnswers::said).toList();
    ev.add(new Evidence(node, "facts", "routes: " + String.join("; ", table)));
    String dest = r.prefix() == 0 ? "default" : r.cidr();
    String fix =
        (r.ipv6() ? "ip -6 route " : "ip route ")
            + (chosen == null ? "add " : "replace ")
            + r.text();
    if (chosen == null || !"unicast".equals(chosen.type()) && chosen.type() != null) {
      return differs(
          node
              + " has no route to "
              + dest
              + (chosen == null
                  ? ""
                  : " (only a " + chosen.type() + " route: " + said(chosen) + ")"),
          ev,
          "add it: " + fix);
    }
    String says =
        r.prefix() == 0
            ? node + "'s default route is " + said(chosen).substring("default ".length())
            : node + "'s route to " + dest + " is " + said(chosen);
    boolean isDefault = chosen.destination().endsWith("/0");
    if (r.via() == null && r.device() == null && r.prefix() > 0 && isDefault) {
      return differs(
          node
              + " has no route of its own to "
              + dest
              + ": it sends it by its default route ("
              + said(chosen)
              + ")",
          ev,
          "add a route to " + dest + " via the router of that network");
    }
    if (r.via() != null && !r.via().equals(chosen.gateway())) {
      String how =
          isDefault && r.prefix() > 0
              ? ": it sends " + dest + " by its default route (" + said(chosen) + ")"
              : ": " + said(chosen);
      return differs(node + " has no route " + r.text() + how, ev, "add it: " + fix);
    }
    if (r.device() != null && !r.device().equals(chosen.device())) {
      return differs(says + ", not dev " + r.device(), ev, fix);
    }
    return holds(says, ev);
  }

  private static Verdict listening(String node, ListeningFact l, Facts facts) {
    List<Listener> same =
        facts.listening().stream()
            .filter(x -> x.protocol().startsWith(l.protocol()) && x.port() == l.port())
            .toList();
    List<String> ports =
        facts.listening().stream()
            .filter(x -> x.protocol().startsWith(l.protocol()))
            .map(x -> x.address() + ":" + x.port())
            .distinct()
            .toList();
    List<Evidence> ev =
        List.of(
            new Evidence(
                node,
                "facts",
                "listening "
                    + l.protocol()
                    + ": "
                    + (ports.isEmpty() ? "nothing" : String.join(", ", ports))));
    if (same.isEmpty()) {
      return differs(
          "nothing listens on " + l.protocol() + "/" + l.port() + " on " + node,
          ev,
          "start the service on " + node + " (bound to 0.0.0.0)");
    }
    if (l.address() == null) {
      return holds(
          node + " listens on " + l.protocol() + "/" + l.port() + " (" + bound(same) + ")", ev);
    }
    boolean anyWanted = wildcard(l.address());
    for (Listener x : same) {
      if (wildcard(x.address()) || !anyWanted && x.address().equals(l.address())) {
        return holds(
            node + " listens on " + l.protocol() + "/" + l.port() + " on " + x.address(), ev);
      }
    }
    return differs(
        node
            + " listens on "
            + l.protocol()
            + "/"
            + l.port()
            + " only on "
            + bound(same)
            + ", not on "
            + l.address(),
        ev,
        "bind the service to "
            + l.address()
            + (same.stream().anyMatch(Listener::loopbackOnly)
                ? ": on 127.0.0.1 it answers only from inside the node"
                : ""));
  }

  private static Verdict forwarding(String node, ForwardingFact f, Facts facts) {
    List<Evidence> ev =
        List.of(
            new Evidence(
                node, "facts", "net.ipv4.ip_forward = " + (facts.ipForward() ? "1" : "0")));
    String says =
        node
            + (facts.ipForward() ? " forwards packets" : " does not forward packets")
            + " (net.ipv4.ip_forward = "
            + (facts.ipForward() ? "1" : "0")
            + ")";
    if (facts.ipForward() == f.on()) {
      return holds(says, ev);
    }
    return differs(
        says,
        ev,
        "sysctl -w net.ipv4.ip_forward="
            + (f.on() ? "1" : "0")
            + " (and in /etc/sysctl.conf, so that it lasts)");
  }

  private static Verdict nat(String node, NatFact n, RulesSnapshot rules) {
    if (rules == null || rules.ruleSets().isEmpty()) {
      String why =
          rules == null || rules.unavailable().isEmpty()
              ? "the agent could not read its rules"
              : String.join("; ", rules.unavailable());
      return Verdict.notChecked(
          node + "'s nat table could not be read: " + why,
          List.of(),
          "run the agent as root (or with CAP_NET_ADMIN) on " + node);
    }
    List<String> translations = new ArrayList<>();
    String found = null;
    for (RuleSet set : rules.ruleSets()) {
      Table nat = set.table("nat").orElse(null);
      if (nat == null) {
        continue;
      }
      for (Chain chain : nat.chains()) {
        for (Rule rule : chain.rules()) {
          if (!"DNAT".equals(rule.target())
              && !"MASQUERADE".equals(rule.target())
              && !"SNAT".equals(rule.target())) {
            continue;
          }
          String said = chain.name() + " `" + rule.spec() + "`";
          translations.add(said);
          if (found == null && matches(n, rule)) {
            found = said;
          }
        }
      }
    }
    List<Evidence> ev =
        List.of(
            new Evidence(
                node,
                "rules",
                "nat: "
                    + (translations.isEmpty()
                        ? "no translation"
                        : String.join(
                                "; ", translations.subList(0, Math.min(12, translations.size())))
                            + (translations.size() > 12
                                ? " and " + (translations.size() - 12) + " more"
                                : ""))));
    if (found != null) {
      return holds(node + " has nat " + n.text() + ": " + found, ev);
    }
    return differs(
        node
            + "'s nat table has no "
            + (n.masquerade() ? "" : "DNAT ")
            + n.text()
            + (translations.isEmpty() ? " (it translates nothing)" : ""),
        ev,
        n.masquerade()
            ? "iptables -t nat -A POSTROUTING"
                + (n.outDevice() == null ? "" : " -o " + n.outDevice())
                + " -j MASQUERADE"
            : "iptables -t nat -A PREROUTING"
                + (n.protocol() == null ? "" : " -p " + n.protocol())
                + (n.address() == null ? "" : " -d " + n.address())
                + (n.port() == null ? "" : " --dport " + n.port())
                + " -j DNAT --to-destination "
                + n.toAddress()
                + (n.toPort() == null ? "" : ":" + n.toPort()));
  }

  /** True when the nat rule is the translation {@code n} states. */
  static boolean matches(NatFact n, Rule rule) {
    if (n.masquerade()) {
      return "MASQUERADE".equals(rule.target())
          && (n.outDevice() == null || n.outDevice().equals(rule.option("-o", "--out-interface")));
    }
    String dest = rule.option("--to-destination");
    if (!"DNAT".equals(rule.target()) || dest == null) {
      return false;
    }
    String wanted = n.toAddress() + (n.toPort() == null ? "" : ":" + n.toPort());
    if (!dest.equals(wanted) && !(n.toPort() == null && dest.startsWith(n.toAddress() + ":"))) {
      return false;
    }
    if (n.protocol() != null && n.port() != null && !n.protocol().equals(rule.option("-p"))) {
      return false;
    }
    if (n.port() != null && !String.valueOf(n.port()).equals(rule.option("--dport"))) {
      return false;
    }
    String d = rule.option("-d", "--destination");
    return n.address() == null || d != null && d.replaceFirst("/32$", "").equals(n.address());
  }

  private static Verdict dns(String node, DnsFact d, RouteChoice answer) {
    if (answer == null) {
      return Verdict.notChecked(
          "the agent on " + node + " gave no answer for " + d.name(), List.of(), "");
    }
    // a name that resolved has its address as the route choice's destination; one that did not
    // keeps its name there (ProcFacts.choose), with the resolver's words as the error
    if (!io.netty.util.NetUtil.isValidIpV4Address(answer.destination())
        && !io.netty.util.NetUtil.isValidIpV6Address(answer.destination())) {
      List<Evidence> ev = List.of(new Evidence(node, "resolver", answer.error()));
      return differs(
          d.name() + " does not resolve on " + node + " (" + answer.error() + ")",
          ev,
          "check " + node + "'s /etc/resolv.conf and /etc/hosts");
    }
    String got = answer.destination();
    List<Evidence> ev = List.of(new Evidence(node, "resolver", d.name() + " is " + got));
    if (d.address() != null && !d.address().equals(got)) {
      return differs(
          d.name() + " resolves to " + got + " on " + node + ", not to " + d.address(),
          ev,
          "check the name's record and " + node + "'s /etc/hosts");
    }
    return holds(d.name() + " resolves to " + got + " on " + node, ev);
  }

  private static boolean wildcard(String address) {
    return address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
  }

  private static String bound(List<Listener> listeners) {
    return String.join(", ", listeners.stream().map(Listener::address).distinct().toList());
  }

  /** {@code 192.168.2.0/24 via 192.168.1.253 dev eth0}, {@code default via 10.0.2.2 dev eth0}. */
  static String said(Route r) {
    String dest =
        r.destination().equals("0.0.0.0/0") || r.destination().equals("::/0")
            ? "default"
            : r.destination();
    String type = r.type() == null || r.type().equals("unicast") ? "" : r.type() + " ";
    return type
        + dest
        + (r.gateway() == null ? "" : " via " + r.gateway())
        + (r.device() == null ? "" : " dev " + r.device());
  }

  private static Verdict holds(String reason, List<Evidence> ev) {
    return new Verdict(Disposition.HOLDS, reason, ev, "");
  }

  private static Verdict differs(String reason, List<Evidence> ev, String hint) {
    return new Verdict(Disposition.DIFFERS, reason, ev, Objects.requireNonNullElse(hint, ""));
  }
}
