package io.netprobe.cli.connect.cleanup;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.netprobe.cli.connect.DockerNodeConnector;
import io.netprobe.cli.connect.artefact.AgentImage;
import io.netprobe.cli.connect.artefact.ClassDataArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds and removes what a killed run left: sidecar containers (label {@code io.netprobe.run}, name
 * {@code np-agent-*}) and agent processes (argument {@code -Dnetprobe.run=}), but only those whose
 * owning netprobe process is gone, so a run still going is never touched (unless {@code all}).
 */
public final class Cleanup {
  private static final Pattern RUN = Pattern.compile("-Dnetprobe\\.run=([a-z0-9-]+)");

  private Cleanup() {}

  /** What this process writes into the owner label: "pid@boot-time-ticks". */
  public static String owner() {
    return ProcessHandle.current().pid() + "@" + startTicks(ProcessHandle.current().pid());
  }

  /** One thing found (and, unless a dry run, removed). */
  public record Leftover(String kind, String id, String description) {}

  /** Leftover agent processes: netprobe's agents whose parent is no netprobe coordinator. */
  public static List<ProcessHandle> orphanAgents(boolean all) {
    List<ProcessHandle> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (Stream<ProcessHandle> ps = ProcessHandle.allProcesses()) {
      ps.filter(p -> p.pid() != self)
          .filter(p -> cmdline(p.pid()).contains("-Dnetprobe.run="))
          .filter(p -> all || !hasLiveCoordinator(p))
          .forEach(found::add);
    }
    return found;
  }

  /**
   * The agent's first ancestor that is not a wrapper (ip netns exec, sudo, env) is its coordinator:
   * a JVM, or sshd for an agent on an SSH session (which ends with the session). An agent adopted
   * by init or a subreaper after its coordinator was killed has none.
   */
  private static boolean hasLiveCoordinator(ProcessHandle p) {
    Optional<ProcessHandle> parent = p.parent();
    while (parent.isPresent() && parent.get().pid() > 1) {
      String cmd = cmdline(parent.get().pid());
      String exe = cmd.contains("\0") ? cmd.substring(0, cmd.indexOf('\0')) : cmd;
      boolean wrapper =
          cmd.startsWith("ip\0netns\0exec") || exe.endsWith("sudo") || exe.endsWith("env");
      if (!wrapper) {
        return exe.endsWith("java") || exe.contains("sshd") || cmd.startsWith("sshd");
      }
      parent = parent.get().parent();
    }
    return false;
  }

  /** Sidecars whose owner process is gone (or all of them). */
  public static List<Container> orphanSidecars(DockerClient docker, boolean all) {
    List<Container> found = new ArrayList<>();
    for (Container c :
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(List.of(DockerNodeConnector.RUN_LABEL))
            .exec()) {
      boolean named =
          c.getNames() != null
              && Stream.of(c.getNames())
                  .anyMatch(n -> n.startsWith("/" + DockerNodeConnector.PREFIX));
      Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
      if (named && (all || !ownerAlive(labels.get(DockerNodeConnector.OWNER_LABEL)))) {
        found.add(c);
      }
    }
    return found;
  }

  static boolean ownerAlive(String owner) {
    if (owner == null || !owner.contains("@")) {
      return false;
    }
    try {
      long pid = Long.parseLong(owner.substring(0, owner.indexOf('@')));
      return ProcessHandle.of(pid).isPresent() && owner.equals(pid + "@" + startTicks(pid));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static String cmdline(long pid) {
    try {
      return new String(
          Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Field 22 of /proc/PID/stat: when the process started, so a reused pid is not taken for it. */
  static String startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return f[19];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** Removes the orphans found; returns what was removed. */
  public static List<Leftover> run(DockerClient docker, boolean all, boolean dryRun) {
    List<Leftover> done = new ArrayList<>();
    for (ProcessHandle p : orphanAgents(all)) {
      done.add(
          new Leftover(
              "process", Long.toString(p.pid()), cmdline(p.pid()).replace('\0', ' ').strip()));
      if (!dryRun) {
        p.destroyForcibly();
        try {
          p.onExit().get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          // still dying: its run counts as live below, so its files wait for the next cleanup
        }
      }
    }
    Set<String> liveRuns = new HashSet<>();
    try (Stream<ProcessHandle> ps = ProcessHandle.allProcesses()) {
      ps.filter(ProcessHandle::isAlive)
          .forEach(
              p -> {
                Matcher m = RUN.matcher(cmdline(p.pid()));
                if (m.find()) {
                  liveRuns.add(m.group(1));
                }
              });
    }
    for (Path part : ClassDataArchive.orphanParts(liveRuns)) {
      done.add(new Leftover("file", part.getFileName().toString(), part.toString()));
      if (!dryRun) {
        try {
          Files.deleteIfExists(part);
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    }
    if (docker != null) {
      for (Container c : orphanSidecars(docker, all)) {
        done.add(
            new Leftover("container", c.getId().substring(0, 12), String.join(",", c.getNames())));
        if (!dryRun) {
          try {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
          } catch (RuntimeException e) {
            // removed meanwhile (auto-remove)
          }
        }
      }
    }
    return done;
  }

  /** Removes np-agent images other than {@code keep} (null: all) that no container uses. */
  public static List<Leftover> oldImages(DockerClient docker, String keep, boolean dryRun) {
    List<Leftover> done = new ArrayList<>();
    for (var image : docker.listImagesCmd().withImageNameFilter(AgentImage.REPOSITORY).exec()) {
      String[] tags = image.getRepoTags() == null ? new String[0] : image.getRepoTags();
      boolean ours = Stream.of(tags).anyMatch(t -> t.startsWith(AgentImage.REPOSITORY + ":"));
      boolean kept = Stream.of(tags).anyMatch(t -> t.equals(keep));
      if (ours && !kept) {
        done.add(new Leftover("image", String.join(",", tags), "an older agent image"));
        if (!dryRun) {
          try {
            docker.removeImageCmd(image.getId()).withForce(false).exec();
          } catch (RuntimeException e) {
            done.remove(done.size() - 1); // in use by a container: kept
          }
        }
      }
    }
    return done;
  }
}
