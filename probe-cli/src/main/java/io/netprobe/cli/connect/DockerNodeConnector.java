package io.netprobe.cli.connect;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import io.netprobe.agent.net.NetNamespace;
import io.netprobe.cli.connect.artefact.AgentImage;
import io.netprobe.cli.connect.artefact.ImageTraining;
import io.netprobe.cli.connect.cleanup.Cleanup;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.connect.session.Hello;
import io.netprobe.cli.connect.session.InProcessAgents;
import io.netprobe.cli.connect.session.Pipe;
import io.netprobe.cli.connect.session.StderrTail;
import io.netprobe.cli.docker.DockerClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A container, by name or id.
 *
 * <p>Where the engine runs on this machine (its container's main process is a process here) the
 * agent runs in this JVM with its threads in the container's network and UTS namespaces and its
 * names resolved from the container's own hosts file and resolv.conf ({@link
 * NetNamespace#ofProcess}), as a {@code netns} node's does: no container, JVM start or class
 * loading per node and run.
 *
 * <p>Otherwise (a remote engine, Docker Desktop's VM, no root, or {@code NETPROBE_AGENTS=process})
 * a sidecar agent container joins its network namespace ({@code NetworkMode container:<id>}) with
 * NET_RAW and NET_ADMIN added (never privileged), a read-only root and a tmpfs /tmp, labelled with
 * the run; the agent is its main process, spoken to over attach (stdin open). The target needs no
 * Java, ping or libpcap. Closing removes the sidecar.
 */
public final class DockerNodeConnector implements NodeConnector<NodeTarget.Docker>, AutoCloseable {
  public static final String RUN_LABEL = "io.netprobe.run";
  public static final String OWNER_LABEL = "io.netprobe.owner";
  public static final String PREFIX = "np-agent-";
  private final DockerClient docker;
  private final boolean shared;

  /** With the JVM's shared client of the engine ({@link DockerClients#shared}), left open. */
  public DockerNodeConnector() {
    this(DockerClients.shared(), true);
  }

  /** With {@code docker}, closed by {@link #close}. */
  public DockerNodeConnector(DockerClient docker) {
    this(docker, false);
  }

  private DockerNodeConnector(DockerClient docker, boolean shared) {
    this.docker = docker;
    this.shared = shared;
  }

  @Override
  public AgentSession connect(String node, NodeTarget.Docker d, ConnectOptions o) {
    InspectContainerResponse target = runningContainer(d);
    String targetId = target.getId();
    if (d.inProcess()) {
      NetNamespace here = namespaceHere(target);
      if (here != null) {
        long pid = target.getState().getPidLong();
        // a watch connects again once the container's process is gone (stopped, restarted)
        return InProcessAgents.start(node, d.describe(), here, o)
            .whileThere(() -> isContainersProcess(pid, targetId));
      }
    }
    String image = AgentImage.ensure(docker, o);
    String name =
        PREFIX
            + d.container().replaceAll("[^A-Za-z0-9_.-]", "_")
            + "-"
            + o.runId()
            + "-"
            + UUID.randomUUID().toString().substring(0, 4);
    String id = create(image, name, targetId, o);
    try {
      return attachAndStart(node, d, id, name, o);
    } catch (RuntimeException e) {
      remove(id);
      throw e;
    }
  }

  /**
   * The namespaces of the container's main process, entered; null when that process is not one of
   * this machine's (its /proc/PID/cgroup does not name the container, before and after the
   * namespaces are opened: another machine's pid, or a container restarted meanwhile) or they
   * cannot be entered (not root).
   */
  static NetNamespace namespaceHere(InspectContainerResponse c) {
    Long pid = c.getState() == null ? null : c.getState().getPidLong();
    if (pid == null || pid <= 0 || !isContainersProcess(pid, c.getId())) {
      return null;
    }
    NetNamespace ns;
    try {
      ns = NetNamespace.ofProcess(pid);
    } catch (IllegalStateException e) {
      return null;
    }
    if (!isContainersProcess(pid, c.getId())) {
      ns.close();
      return null;
    }
    return ns;
  }

  /** True when process {@code pid} of this machine is in the cgroup of container {@code id}. */
  static boolean isContainersProcess(long pid, String id) {
    try {
      return id != null
          && id.length() >= 12
          && Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")).contains(id);
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /** The target container, inspected; fails unless it exists and runs. */
  private InspectContainerResponse runningContainer(NodeTarget.Docker d) {
    InspectContainerResponse c;
    try {
      c = docker.inspectContainerCmd(d.container()).exec();
    } catch (RuntimeException e) {
      if (shared && !(e instanceof DockerException)) {
        DockerClients.forget(docker); // the engine did not answer: the next run asks anew
      }
      if (!(e instanceof NotFoundException)) {
        throw e;
      }
      throw new AgentException(
          "NO_CONTAINER",
          d.describe()
              + ": no container named "
              + d.container()
              + "; list them with `docker ps -a`");
    }
    Boolean running = c.getState() == null ? null : c.getState().getRunning();
    if (!Boolean.TRUE.equals(running)) {
      String state = c.getState() == null ? "unknown" : c.getState().getStatus();
      throw new AgentException(
          "NOT_RUNNING",
          d.describe()
              + ": container "
              + d.container()
              + " is not running (state "
              + state
              + "); start it with `docker start "
              + d.container()
              + "` and try again");
    }
    return c;
  }

  private String create(String image, String name, String targetId, ConnectOptions o) {
    List<String> cmd = new ArrayList<>(List.of(AgentImage.JAVA));
    cmd.addAll(o.jvmArgs());
    cmd.add("-XX:SharedArchiveFile=" + ImageTraining.ARCHIVE); // ignored when the image has none
    cmd.addAll(List.of("-Djava.io.tmpdir=/tmp", "-jar", AgentImage.JAR, "--stdio"));
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode("container:" + targetId)
            .withCapAdd(Capability.NET_RAW, Capability.NET_ADMIN)
            .withPrivileged(false)
            .withReadonlyRootfs(true)
            .withTmpFs(Map.of("/tmp", "rw,exec,nosuid,size=64m"))
            .withAutoRemove(true);
    return docker
        .createContainerCmd(image)
        .withName(name)
        .withCmd(cmd)
        .withEnv("LD_LIBRARY_PATH=" + AgentImage.LIBRARY_PATH)
        .withLabels(Map.of(RUN_LABEL, o.runId(), OWNER_LABEL, Cleanup.owner()))
        .withStdinOpen(true)
        .withStdInOnce(true)
        .withAttachStdin(true)
        .withAttachStdout(true)
        .withAttachStderr(true)
        .withTty(false)
        .withHostConfig(host)
        .exec()
        .getId();
  }

  private AgentSession attachAndStart(
      String node, NodeTarget.Docker d, String id, String name, ConnectOptions o) {
    Pipe stdin = new Pipe();
    Pipe stdout = new Pipe();
    StderrTail tail = new StderrTail();
    ResultCallback.Adapter<Frame> attached =
        docker
            .attachContainerCmd(id)
            .withStdIn(stdin.in())
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(true)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Frame frame) {
                    try {
                      switch (frame.getStreamType()) {
                        case STDERR ->
                            new String(frame.getPayload(), StandardCharsets.UTF_8)
                                .lines()
                                .forEach(tail::add);
                        default -> stdout.out().write(frame.getPayload());
                      }
                    } catch (IOException e) {
                      // the session has gone; nothing reads any more
                    }
                  }

                  @Override
                  public void onComplete() {
                    stdout.end();
                  }

                  @Override
                  public void onError(Throwable t) {
                    tail.add("attach failed: " + t.getMessage());
                    stdout.end();
                  }
                });
    try {
      if (!attached.awaitStarted(o.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AgentException(
            "START_FAILED", d.describe() + ": attaching to " + name + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("INTERRUPTED", d.describe() + ": interrupted while attaching");
    }
    docker.startContainerCmd(id).exec();
    AutoCloseable transport =
        () -> {
          attached.close();
          remove(id);
        };
    AgentSession s =
        new AgentSession(
            node,
            "docker sidecar " + name + " for " + d.container(),
            stdout.in(),
            stdin.out(),
            transport,
            tail,
            o.requestTimeout());
    return Hello.await(s, o);
  }

  private void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException e) {
      // auto-removed already
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("already in progress")) {
        throw e;
      }
    }
  }

  /**
   * Closes the Docker client given to the constructor (the sessions made with it should be closed
   * first); the shared one stays open.
   */
  @Override
  public void close() {
    if (shared) {
      return;
    }
    try {
      docker.close();
    } catch (java.io.IOException e) {
      // nothing left to release
    }
  }
}
