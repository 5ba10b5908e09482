package io.netprobe.cli.lab;

import com.github.dockerjava.api.DockerClient;
import io.netprobe.cli.docker.DockerClients;
import io.netprobe.cli.error.UserException;
import io.netprobe.report.model.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo lab of LABS.md sections 1-4 on this machine: network namespaces with real sshd ({@code
 * demo-lab.sh}) and Docker containers ({@link DockerLab}). Everything it makes is named {@code
 * np-...}; {@link #down} removes all of it, also after a crash half-way through {@link #up}.
 */
public final class DemoLab {
  /** Where the lab keeps the lab user's password, key and the VMs' known_hosts. */
  public static final Path STATE = Path.of("/run/np-lab");

  private final PrintWriter log;

  public DemoLab(PrintWriter log) {
    this.log = log;
  }

  /** Builds the lab, or does nothing where it is already up; a half-built lab is rebuilt. */
  public void up() {
    requireRoot();
    try (DockerClient docker = DockerClients.connect()) {
      if (LabScript.run("up", log) != 0) {
        LabScript.run("down", log);
        throw new UserException(
            "the demo lab's namespaces could not be built (output above); "
                + "nothing was left behind. Is this Linux with iproute2 and iptables, as root?",
            ExitCode.ERROR);
      }
      new DockerLab(docker, log).up();
    } catch (IOException e) {
      throw new UserException("Docker connection failed: " + e.getMessage(), ExitCode.ERROR, e);
    }
  }

  /** Removes everything the lab made: containers, network, namespaces, routes, rules, files. */
  public void down() {
    requireRoot();
    try (DockerClient docker = DockerClients.connect()) {
      new DockerLab(docker, log).down();
    } catch (IOException | UserException e) {
      log.println("lab: Docker not reachable, only the namespaces are removed: " + e.getMessage());
    }
    LabScript.run("down", log);
  }

  /** Prints what is up; true when all of the lab is. */
  public boolean status(PrintWriter out) {
    requireRoot();
    boolean namespaces = LabScript.run("status", out) == 0;
    boolean containers;
    try (DockerClient docker = DockerClients.connect()) {
      var lines = new DockerLab(docker, out).status();
      lines.forEach(out::println);
      containers = lines.stream().allMatch(l -> l.contains("running"));
    } catch (IOException | UserException e) {
      out.println("containers: Docker not reachable: " + e.getMessage());
      containers = false;
    }
    out.flush();
    return namespaces && containers;
  }

  /** Starts a VM's sshd again after a test stopped it. */
  public void startSshd(String namespace) {
    requireRoot();
    if (LabScript.run("start-sshd", log, namespace) != 0) {
      throw new UserException("could not start sshd in " + namespace, ExitCode.ERROR);
    }
  }

  /** The lab user's password (a secret: never print it). */
  public static String password() throws IOException {
    return Files.readString(STATE.resolve("password"), StandardCharsets.UTF_8).strip();
  }

  /** The topology of the demo lab with its addresses, as the README shows it. */
  public static String topology() {
    try (InputStream in = DemoLab.class.getResourceAsStream("topology.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      return "(topology picture missing from the jar)\n";
    }
  }

  private static void requireRoot() {
    LabScript.requireRoot("the demo lab", "network namespaces, iptables, dockerd");
  }
}
