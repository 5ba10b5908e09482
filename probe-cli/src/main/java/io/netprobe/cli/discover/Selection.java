package io.netprobe.cli.discover;

import io.netprobe.cli.error.UserException;
import io.netprobe.report.model.ExitCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which containers and networks to discover: one compose project, some networks, names with a
 * prefix; every filter given must hold. Empty filters select every running container.
 *
 * @param project the compose project ({@code com.docker.compose.project}), or null
 * @param networks the networks to keep (a container on none of them is left out), or empty
 * @param namePrefix the start of the container names to keep, or null
 */
public record Selection(String project, List<String> networks, String namePrefix) {
  public static final Selection ALL = new Selection(null, List.of(), null);

  public Selection {
    networks = networks == null ? List.of() : List.copyOf(networks);
  }

  /**
   * The part of {@code setup} this selection keeps: its containers, on its networks only.
   *
   * @throws UserException (bad invocation) for a network the engine does not have, or when no
   *     running container is left, naming the filters and what there is
   */
  public DockerSetup apply(DockerSetup setup) {
    for (String n : networks) {
      if (setup.network(n).isEmpty()) {
        throw new UserException(
            "--network "
                + n
                + ": the Docker engine has no such network; it has: "
                + String.join(
                    ", ", setup.networks().stream().map(DockerSetup.Network::name).toList()),
            ExitCode.USAGE);
      }
    }
    Set<String> keepNetworks = new LinkedHashSet<>();
    setup.networks().forEach(n -> keepNetworks.add(n.name()));
    if (!networks.isEmpty()) {
      keepNetworks.retainAll(networks);
    }
    List<DockerSetup.Container> kept = new ArrayList<>();
    for (DockerSetup.Container c : setup.containers()) {
      boolean named = namePrefix == null || c.name().startsWith(namePrefix);
      boolean inProject = project == null || project.equals(c.project().orElse(null));
      boolean onNetwork =
          networks.isEmpty() || c.addresses().keySet().stream().anyMatch(networks::contains);
      if (named && inProject && onNetwork) {
        kept.add(networks.isEmpty() ? c : c.onNetworks(keepNetworks));
      }
    }
    if (kept.isEmpty()) {
      throw new UserException(noMatch(setup), ExitCode.USAGE);
    }
    // the ports that containers left out publish on the host stay taken
    Set<Integer> hostPorts = new java.util.TreeSet<>(setup.hostTcpPorts());
    setup.containers().stream()
        .filter(c -> kept.stream().noneMatch(k -> k.name().equals(c.name())))
        .flatMap(c -> c.published().stream())
        .filter(p -> p.port().isTcp() && p.reachesLoopback())
        .forEach(p -> hostPorts.add(p.hostPort()));
    return new DockerSetup(
        setup.networks().stream().filter(n -> keepNetworks.contains(n.name())).toList(),
        kept,
        hostPorts);
  }

  /** The filters, as the user wrote them: "--project shop, --name-prefix np-". */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (project != null) {
      parts.add("--project " + project);
    }
    networks.forEach(n -> parts.add("--network " + n));
    if (namePrefix != null) {
      parts.add("--name-prefix " + namePrefix);
    }
    return parts.isEmpty() ? "no filter" : String.join(", ", parts);
  }

  private String noMatch(DockerSetup setup) {
    List<String> running =
        setup.containers().stream()
            .map(
                c ->
                    c.name()
                        + c.project().map(p -> " (project " + p + ")").orElse("")
                        + (c.addresses().isEmpty()
                            ? ""
                            : " on " + String.join("+", c.addresses().keySet())))
            .limit(12)
            .toList();
    return "no running container matched "
        + describe()
        + (running.isEmpty()
            ? "; the Docker engine runs no container (start them, e.g. `docker compose up -d`)"
            : "; running: "
                + String.join(", ", running)
                + (setup.containers().size() > 12 ? ", ..." : "")
                + "; change the filters or start the containers");
  }
}
