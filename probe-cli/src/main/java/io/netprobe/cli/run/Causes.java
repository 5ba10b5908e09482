package io.netprobe.cli.run;

import io.netprobe.matrix.Check;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Fact;
import io.netprobe.matrix.Fact.AddressFact;
import io.netprobe.matrix.Fact.DnsFact;
import io.netprobe.matrix.Fact.ForwardingFact;
import io.netprobe.matrix.Fact.ListeningFact;
import io.netprobe.matrix.Fact.NatFact;
import io.netprobe.matrix.Fact.RouteFact;
import io.netprobe.matrix.FactCheck;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.Node;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Points a cell that did not reach at the check of configuration that explains it, the lowest layer
 * first: "calc lacks route 192.168.2.0/24 via 192.168.1.253 (check 'calc route to Net2')". A fact
 * explains a cell only where the cell needs it: a route the cell's source (or, for the way back,
 * its target) would use for the other end's address; an address or a listening port the cell
 * probes; forwarding or a masquerade on the router the source sends the cell through; a DNAT of the
 * address and port probed, or on the port probed to the node it leads to; a name the source
 * resolves.
 */
final class Causes {
  private final Matrix matrix;
  private final List<FactCheck> failing;
  private final Function<String, Set<String>> addressesOf;
  private final BiFunction<String, String, Optional<String>> gatewayOf;

  /**
   * @param failing the checks of configuration whose fact does not hold (DIFFERS)
   * @param addressesOf a node's own addresses, as its agent read them (empty when unknown)
   * @param gatewayOf the gateway a source's kernel picked for an address, where it was read
   */
  Causes(
      Matrix matrix,
      List<FactCheck> failing,
      Function<String, Set<String>> addressesOf,
      BiFunction<String, String, Optional<String>> gatewayOf) {
    this.matrix = matrix;
    this.failing = failing.stream().sorted(Comparator.comparingInt(f -> f.fact().layer())).toList();
    this.addressesOf = addressesOf;
    this.gatewayOf = gatewayOf;
  }

  /** The facts that did not hold, out of the checks of configuration and their results. */
  static List<FactCheck> failing(List<FactCheck> facts, List<CheckResult> results) {
    Map<String, CheckResult> byId = new java.util.HashMap<>();
    results.forEach(r -> byId.put(r.id(), r));
    List<FactCheck> out = new ArrayList<>();
    for (FactCheck f : facts) {
      CheckResult r = byId.get(f.id());
      if (r != null
          && r.verdict().disposition() != null
          && !r.verdict().disposition().isReachable()) {
        out.add(f);
      }
    }
    return out;
  }

  /** {@code result} with its cause, when a failing fact explains it; as it was otherwise. */
  CheckResult explain(Check check, CheckResult result) {
    var d = result.verdict().disposition();
    if (failing.isEmpty() || d == null || d.isReachable()) {
      return result;
    }
    for (FactCheck f : failing) {
      if (explains(f, check) && fits(f, check, d)) {
        String because = said(f);
        Verdict v = result.verdict();
        Verdict linked =
            new Verdict(
                    v.disposition(), because + "; " + v.reason(), v.evidence(), v.hint(), v.path())
                .withHint(
                    v.hint().isEmpty()
                        ? "the cause is below this cell: " + because
                        : "the cause is below this cell: " + because + "; " + v.hint());
        return result.toBuilder().verdict(linked).cause(f.id()).build();
      }
    }
    return result;
  }

  /** Where the packets went may not be where a missing route can leave them. */
  private static final Set<Disposition> LOST =
      EnumSet.of(
          Disposition.NO_ROUTE,
          Disposition.UNREACHABLE,
          Disposition.DROPPED_ON_PATH,
          Disposition.NO_RETURN_ROUTE,
          Disposition.TIMED_OUT,
          Disposition.LATE);

  /**
   * True when what the cell's packets did is what the failing fact would make them do: a missing
   * route, forwarding or masquerade loses them on the way (never after the target answered: a
   * refusal shows they got there), a missing address too or at the node that had it; a socket not
   * listening is refused, or unanswered (UDP); a name that does not resolve leaves them unresolved.
   * A translation may end anywhere.
   */
  private static boolean fits(FactCheck f, Check c, Disposition d) {
    Fact fact = f.fact();
    if (fact instanceof ListeningFact) {
      return d == Disposition.REFUSED || d == Disposition.UNREACHABLE || d == Disposition.TIMED_OUT;
    }
    if (fact instanceof AddressFact) {
      // a neighbour's stale entry can still bring the packets to the node that lost the address:
      // they arrive, and its kernel drops what is not addressed to it
      return LOST.contains(d) || d == Disposition.DROPPED_AT_TARGET;
    }
    if (fact instanceof DnsFact dns) {
      return dns.address() != null || d == Disposition.NAME_UNRESOLVED;
    }
    if (fact instanceof NatFact n && !n.masquerade()) {
      return d != Disposition.NO_ROUTE && d != Disposition.NAME_UNRESOLVED;
    }
    if (fact instanceof RouteFact && !c.from().equals(f.node())) {
      // the way back: the request arrived, the answer could not return
      return d == Disposition.NO_RETURN_ROUTE
          || d == Disposition.DROPPED_ON_PATH
          || d == Disposition.TIMED_OUT;
    }
    return LOST.contains(d);
  }

  private boolean explains(FactCheck f, Check c) {
    String target = c.to().ip();
    Optional<String> toNode = c.to().node();
    boolean toIt = toNode.filter(f.node()::equals).isPresent();
    Fact fact = f.fact();
    if (fact instanceof AddressFact a) {
      return toIt && a.ip().equals(target);
    } else if (fact instanceof RouteFact r) {
      return c.from().equals(f.node()) && in(target, r)
          || toIt && sourceAddresses(c).stream().anyMatch(ip -> in(ip, r));
    } else if (fact instanceof ListeningFact l) {
      boolean udp = c.probe() instanceof io.netprobe.agent.probe.ProbeSpec.Udp;
      return toIt
          && c.probe().port() > 0
          && (c.probe().port() == l.port() || c.wireProbe().port() == l.port())
          && l.protocol().equals(udp ? "udp" : "tcp");
    } else if (fact instanceof ForwardingFact fw) {
      return fw.on() && throughIt(f.node(), c);
    } else if (fact instanceof NatFact n) {
      if (n.masquerade()) {
        return throughIt(f.node(), c);
      }
      // the cell goes to the translated address (a floating IP), to the node that translates
      // (its own, not loopback: that is the source's), or on to the node the DNAT leads to
      boolean at =
          n.address() != null
              ? n.address().equals(target)
              : toIt
                  || !target.startsWith("127.")
                      && !target.equals("::1")
                      && addressesOf.apply(f.node()).contains(target);
      boolean toward =
          c.to().node().map(matrix.nodes()::get).stream()
              .flatMap(t -> t.addresses().values().stream())
              .anyMatch(a -> n.toAddress().equals(a.ip()));
      return (at || toward) && (n.port() == null || c.wireProbe().port() == n.port());
    }
    return c.from().equals(f.node()) && ((DnsFact) fact).name().equalsIgnoreCase(target);
  }

  /**
   * True when the source sends the cell through a gateway that is one of {@code node}'s addresses.
   */
  private boolean throughIt(String node, Check c) {
    Set<String> own = addressesOf.apply(node);
    return !c.from().equals(node)
        && gatewayOf.apply(c.from(), c.to().ip()).filter(own::contains).isPresent();
  }

  private List<String> sourceAddresses(Check c) {
    Node source = matrix.nodes().get(c.from());
    return source == null
        ? List.of()
        : source.addresses().values().stream().map(a -> a.ip()).filter(ip -> ip != null).toList();
  }

  private static boolean in(String ip, RouteFact r) {
    if (ip == null || !ip.matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    if (ip.contains(":") != r.ipv6()) {
      return false; // a route of the other family never carries it
    }
    return r.prefix() == 0 || io.netprobe.matrix.Fact.networkOf(ip, r.prefix()).equals(r.network());
  }

  /** Each failing fact in words, by its id: the key of the finding it and its cells make. */
  Map<String, String> said() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    failing.forEach(f -> out.put(f.id(), said(f)));
    return out;
  }

  /** "calc lacks route 192.168.2.0/24 via 192.168.1.253 (check 'calc route to Net2')". */
  static String said(FactCheck f) {
    return sentence(f) + " (check '" + f.displayTitle() + "')";
  }

  /** The failing fact in words, as the cause of a cell. */
  static String sentence(FactCheck f) {
    String n = f.node();
    Fact fact = f.fact();
    if (fact instanceof AddressFact a) {
      return n + " lacks address " + a.text();
    } else if (fact instanceof RouteFact r) {
      return n + " lacks route " + r.text();
    } else if (fact instanceof ListeningFact l) {
      return n + " does not listen on " + l.text();
    } else if (fact instanceof ForwardingFact fw) {
      return n + (fw.on() ? " does not forward packets" : " forwards packets");
    } else if (fact instanceof NatFact nat) {
      return n + " lacks nat " + nat.text();
    }
    DnsFact d = (DnsFact) fact;
    return d.name() + " does not resolve on " + n + " as stated (" + d.text() + ")";
  }
}
