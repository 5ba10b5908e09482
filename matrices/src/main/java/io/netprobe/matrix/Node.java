package io.netprobe.matrix;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A place a check starts from or goes to: the PC, a VM, a container, a router, an outside server.
 *
 * @param login the SSH login an {@code ssh} probe to this node uses (the node's own, else the
 *     matrix's default)
 * @param defaultAddress the address meant when a check names the node alone
 */
public record Node(
    String name,
    NodeAccess access,
    Optional<Credentials> login,
    Map<String, Address> addresses,
    Optional<String> defaultAddress,
    String description) {

  public Node {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(defaultAddress, "defaultAddress");
    description = description == null ? "" : description;
    addresses = Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
    if (defaultAddress.isPresent() && !addresses.containsKey(defaultAddress.get())) {
      throw new IllegalArgumentException(
          "default-address '"
              + defaultAddress.get()
              + "' of node '"
              + name
              + "' is not one of "
              + addresses.keySet());
    }
  }

  public NodeKind kind() {
    return access.kind();
  }

  /** The address meant by the node's bare name: the default one, else the only one. */
  public Optional<Address> soleAddress() {
    if (defaultAddress.isPresent()) {
      return Optional.of(addresses.get(defaultAddress.get()));
    }
    return addresses.size() == 1 ? addresses.values().stream().findFirst() : Optional.empty();
  }
}
