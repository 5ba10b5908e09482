package io.netprobe.cli.lab;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import io.netprobe.cli.docker.DockerClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The Docker half of the demo lab (LABS.md section 2): two busybox containers on docker0, and the
 * course's compose case: five services of compose project {@code demo} (labelled as Docker Compose
 * labels them) on a user-defined bridge {@code np-compose} 192.168.1.0/24 at .2 to .6, dual stack
 * (fd00:192:168:1::/64 at ::2 to ::6, as {@code enable_ipv6: true} in a compose file makes it), the
 * front publishing 50000:50000, the others only exposing 50000. Creating an IPv6 network makes
 * Docker switch on the machine's IPv6 forwarding; the lab switches it back (containers of one
 * bridge need none), so the root namespace forwards no IPv6 off the machine. The image is imported
 * from Debian's static busybox (no registry here) and has, on purpose, no Java, no ping, no
 * libpcap.
 */
public final class DockerLab {
  public static final String IMAGE = "np-busybox:lab";
  public static final String LABEL = "io.netprobe.lab";
  public static final String NETWORK = "np-compose";
  static final String BUSYBOX = "/bin/busybox";

  /** The compose project of the np-compose services, as Docker Compose labels its containers. */
  public static final String PROJECT = "demo";

  /**
   * One container of the lab; {@code ip} null on docker0, where Docker assigns it; {@code service}
   * its compose service, null for a container not started by compose.
   */
  public record Box(
      String name, String network, String ip, int port, boolean published, String service) {
    /** The IPv6 twin of a compose service's address: 192.168.1.N is fd00:192:168:1::N. */
    public String ip6() {
      return ip == null ? null : SUBNET6.replace("/64", "") + ip.substring(ip.lastIndexOf('.') + 1);
    }
  }

  /** The compose network's IPv6 subnet. */
  public static final String SUBNET6 = "fd00:192:168:1::/64";

  public static final List<Box> BOXES =
      List.of(
          new Box("np-ct1", "bridge", null, 80, false, null),
          new Box("np-ct2", "bridge", null, 80, false, null),
          new Box("np-front", NETWORK, "192.168.1.2", 50000, true, "front"),
          new Box("np-back", NETWORK, "192.168.1.3", 50000, false, "back"),
          new Box("np-db", NETWORK, "192.168.1.4", 50000, false, "db"),
          new Box("np-cache", NETWORK, "192.168.1.5", 50000, false, "cache"),
          new Box("np-worker", NETWORK, "192.168.1.6", 50000, false, "worker"));

  private final DockerClient docker;
  private final PrintWriter log;

  public DockerLab(DockerClient docker, PrintWriter log) {
    this.docker = docker;
    this.log = log;
  }

  public void up() {
    ensureImage();
    ensureNetwork();
    for (Box box : BOXES) {
      ensureRunning(box);
    }
    log.println("lab: containers up: " + describe());
    log.flush();
  }

  /** Removes the lab's containers and network (found by label and name, so after a crash too). */
  public void down() {
    docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(LABEL, "demo"))
        .exec()
        .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    for (Network n : docker.listNetworksCmd().withNameFilter(NETWORK).exec()) {
      if (NETWORK.equals(n.getName())) {
        docker.removeNetworkCmd(n.getId()).exec();
      }
    }
  }

  /** One line per container: name, state, address. */
  public List<String> status() {
    return BOXES.stream().map(b -> b.name() + ": " + state(b.name())).toList();
  }

  /** The address of a lab container on its network, as Docker assigned it. */
  public String address(String name) {
    return inspect(name).getNetworkSettings().getNetworks().values().stream()
        .map(ContainerNetwork::getIpAddress)
        .findFirst()
        .orElseThrow();
  }

  /** The pid of a lab container's init, whose network namespace is the container's. */
  public long pid(String name) {
    return inspect(name).getState().getPidLong();
  }

  private String describe() {
    return String.join(", ", BOXES.stream().map(b -> b.name() + " " + address(b.name())).toList());
  }

  private String state(String name) {
    try {
      InspectContainerResponse c = inspect(name);
      return Boolean.TRUE.equals(c.getState().getRunning())
          ? "running " + address(name)
          : "stopped";
    } catch (NotFoundException e) {
      return "missing";
    }
  }

  private InspectContainerResponse inspect(String name) {
    return docker.inspectContainerCmd(name).exec();
  }

  private void ensureImage() {
    try {
      docker.inspectImageCmd(IMAGE).exec();
    } catch (NotFoundException e) {
      log.println("lab: importing image " + IMAGE + " from " + BUSYBOX);
      log.flush();
      String[] repoTag = IMAGE.split(":");
      try {
        DockerClients.importImage(repoTag[0], repoTag[1], rootfs());
      } catch (IOException io) {
        throw new UncheckedIOException(io);
      }
    }
  }

  private void ensureNetwork() {
    Network existing =
        docker.listNetworksCmd().withNameFilter(NETWORK).exec().stream()
            .filter(n -> NETWORK.equals(n.getName()))
            .findFirst()
            .orElse(null);
    if (existing != null && !existing.getEnableIPv6()) {
      // made by an older netprobe, IPv4 only: made again, with its containers
      for (Box box : BOXES) {
        if (box.network().equals(NETWORK)) {
          try {
            docker.removeContainerCmd(box.name()).withForce(true).exec();
          } catch (NotFoundException e) {
            // not there
          }
        }
      }
      docker.removeNetworkCmd(NETWORK).exec();
      existing = null;
    }
    if (existing == null) {
      Map<String, String> forwarding = ipv6Forwarding();
      try {
        docker
            .createNetworkCmd()
            .withName(NETWORK)
            .withDriver("bridge")
            .withLabels(Map.of(LABEL, "demo"))
            .withOptions(Map.of("com.docker.network.bridge.name", NETWORK))
            .withEnableIpv6(true)
            .withIpam(
                new Network.Ipam()
                    .withConfig(
                        new Network.Ipam.Config()
                            .withSubnet("192.168.1.0/24")
                            .withGateway("192.168.1.1"),
                        new Network.Ipam.Config()
                            .withSubnet(SUBNET6)
                            .withGateway(SUBNET6.replace("/64", "1"))))
            .exec();
      } finally {
        restore(forwarding);
      }
    }
  }

  private static final List<String> FORWARDING =
      List.of(
          "/proc/sys/net/ipv6/conf/all/forwarding", "/proc/sys/net/ipv6/conf/default/forwarding");

  /** The root namespace's IPv6 forwarding switches, as they are now (none when unreadable). */
  private static Map<String, String> ipv6Forwarding() {
    Map<String, String> now = new java.util.LinkedHashMap<>();
    for (String f : FORWARDING) {
      try {
        now.put(f, Files.readString(Path.of(f)).strip());
      } catch (IOException e) {
        // no IPv6 here: nothing to restore
      }
    }
    return now;
  }

  /** Sets the switches back to what they were, where Docker changed them. */
  private void restore(Map<String, String> was) {
    was.forEach(
        (f, value) -> {
          try {
            if (!Files.readString(Path.of(f)).strip().equals(value)) {
              Files.writeString(Path.of(f), value + "\n");
            }
          } catch (IOException e) {
            log.println("lab: could not set " + f + " back to " + value + ": " + e.getMessage());
          }
        });
  }

  private void ensureRunning(Box box) {
    try {
      if (Boolean.TRUE.equals(inspect(box.name()).getState().getRunning())) {
        return;
      }
    } catch (NotFoundException e) {
      create(box);
    }
    docker.startContainerCmd(box.name()).exec();
  }

  private void create(Box box) {
    ExposedPort port = ExposedPort.tcp(box.port());
    HostConfig host = HostConfig.newHostConfig().withNetworkMode(box.network());
    if (box.published()) {
      host.withPortBindings(PortBinding.parse(box.port() + ":" + box.port()));
    }
    var create =
        docker
            .createContainerCmd(IMAGE)
            .withName(box.name())
            .withHostName(box.name().substring(3))
            .withLabels(
                box.service() == null
                    ? Map.of(LABEL, "demo")
                    : Map.of(
                        LABEL,
                        "demo",
                        "com.docker.compose.project",
                        PROJECT,
                        "com.docker.compose.service",
                        box.service()))
            .withCmd(BUSYBOX, "httpd", "-f", "-p", Integer.toString(box.port()), "-h", "/www")
            .withExposedPorts(port)
            .withHostConfig(host);
    if (box.ip() != null) {
      create.withIpv4Address(box.ip()).withIpv6Address(box.ip6());
    }
    create.exec();
  }

  /** A root file system with the static busybox and a few of its applets, as a tar. */
  static byte[] rootfs() {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String dir : List.of("bin/", "etc/", "www/", "tmp/", "root/")) {
        TarArchiveEntry e = new TarArchiveEntry(dir);
        e.setMode(dir.equals("tmp/") ? 01777 : 0755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
      }
      byte[] busybox = Files.readAllBytes(Path.of(BUSYBOX));
      file(tar, "bin/busybox", busybox, 0755);
      for (String applet : List.of("sh", "httpd", "cat", "echo", "ls", "sleep", "hostname", "ps")) {
        TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("busybox");
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      }
      file(
          tar,
          "etc/passwd",
          "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8),
          0644);
      file(tar, "etc/group", "root:x:0:\n".getBytes(StandardCharsets.UTF_8), 0644);
      file(
          tar,
          "www/index.html",
          "netprobe demo container\n".getBytes(StandardCharsets.UTF_8),
          0644);
      tar.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the lab image from " + BUSYBOX, e);
    }
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(mode);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }
}
