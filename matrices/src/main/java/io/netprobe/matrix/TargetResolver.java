package io.netprobe.matrix;

import java.util.Map;
import java.util.Set;

/**
 * Turns what a check writes after {@code to:} into a {@link Target}: {@code node.address}, {@code
 * node} (its default or only address), or a literal {@code IP} / {@code IP:PORT}.
 */
final class TargetResolver {
  private final Map<String, Node> nodes;
  private final Set<String> declared;
  private final Map<String, Set<String>> declaredAddresses;

  /**
   * @param declared every node name written in the file, including nodes that had problems of their
   *     own (a reference to one of those is not reported again)
   */
  TargetResolver(
      Map<String, Node> nodes, Set<String> declared, Map<String, Set<String>> declaredAddresses) {
    this.nodes = nodes;
    this.declared = declared;
    this.declaredAddresses = declaredAddresses;
  }

  /** Empty error text (with no value) means "already reported". */
  Parsed<Target> resolve(String ref, String where) {
    if (Syntax.looksLikeIp(ref)) {
      Parsed<Syntax.Endpoint> endpoint = Syntax.endpoint(ref);
      return endpoint.isOk()
          ? Parsed.ok(Target.literal(ref, endpoint.value().ip(), endpoint.value().port()))
          : Parsed.bad(where.isEmpty() ? endpoint.error() : where + ": " + endpoint.error());
    }
    int dot = ref.indexOf('.');
    String nodeName = dot < 0 ? ref : ref.substring(0, dot);
    Node node = nodes.get(nodeName);
    if (node == null) {
      return reported(nodeName) ? Parsed.bad("") : Parsed.bad(unknownNode(nodeName, where));
    }
    Set<String> written = declaredAddresses.getOrDefault(nodeName, Set.of());
    if (written.contains(AddressReader.UNREADABLE)) {
      return Parsed.bad(""); // its addresses: field had the wrong shape, reported there
    }
    if (written.size() != node.addresses().size()) {
      String addressName = dot < 0 ? null : ref.substring(dot + 1);
      if (addressName == null
          || !node.addresses().containsKey(addressName) && written.contains(addressName)) {
        return Parsed.bad(""); // the node's addresses had problems, reported there
      }
    }
    if (dot < 0) {
      return node.soleAddress()
          .map(a -> Parsed.ok(Target.of(ref, node, a)))
          .orElseGet(() -> Parsed.bad(noSoleAddress(node, where)));
    }
    String addressName = ref.substring(dot + 1);
    Address address = node.addresses().get(addressName);
    if (address == null) {
      return Parsed.bad(
          "unknown address '"
              + addressName
              + "' of node '"
              + nodeName
              + "' "
              + where
              + Suggest.didYouMean(addressName, node.addresses().keySet())
              + (node.addresses().isEmpty()
                  ? "; " + nodeName + " has no addresses"
                  : "; "
                      + nodeName
                      + "'s addresses are: "
                      + String.join(", ", node.addresses().keySet())));
    }
    return Parsed.ok(Target.of(ref, node, address));
  }

  /** A node a check starts from: it must exist and run an agent. */
  Parsed<Node> source(String name, String where) {
    Node node = nodes.get(name);
    if (node == null) {
      if (name.contains(".") && nodes.containsKey(name.substring(0, name.indexOf('.')))) {
        return Parsed.bad(
            where
                + ": from names a node, not one of its addresses; write from: "
                + name.substring(0, name.indexOf('.')));
      }
      return reported(name) ? Parsed.bad("") : Parsed.bad(unknownNode(name, where));
    }
    if (!node.kind().hasAgent()) {
      return Parsed.bad(
          "node '"
              + name
              + "' "
              + where
              + " is kind address: it runs no agent, so"
              + " no check can start from it; checks start from local, netns, ssh or docker nodes");
    }
    return Parsed.ok(node);
  }

  /**
   * True when a missing node was written (its own problem is reported), or when the nodes section
   * itself was missing or unreadable (reported once, not again for every check).
   */
  private boolean reported(String name) {
    return declared.contains(name) || declared.isEmpty();
  }

  Node node(String name) {
    return nodes.get(name);
  }

  String unknownNode(String name, String where) {
    return "unknown node '"
        + name
        + "' "
        + where
        + Suggest.didYouMean(name, nodes.keySet())
        + "; nodes are: "
        + String.join(", ", declared);
  }

  private static String noSoleAddress(Node node, String where) {
    if (node.addresses().isEmpty()) {
      return "node '"
          + node.name()
          + "' "
          + where
          + " has no addresses; give it addresses:"
          + " { name: IP } or write the IP";
    }
    return "node '"
        + node.name()
        + "' "
        + where
        + " has several addresses ("
        + String.join(", ", node.addresses().keySet())
        + ") and no default-address; write "
        + String.join(
            " or ", node.addresses().keySet().stream().map(a -> node.name() + "." + a).toList());
  }
}
