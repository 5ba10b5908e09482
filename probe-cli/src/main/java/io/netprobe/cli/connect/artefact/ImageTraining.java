package io.netprobe.cli.connect.artefact;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import io.netprobe.cli.connect.DockerNodeConnector;
import io.netprobe.cli.connect.session.Pipe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Bakes the AppCDS archive into the sidecar image (see ClassDataArchive): one training container
 * (no network) says hello and exits with {@code -XX:ArchiveClassesAtExit}, and is committed as the
 * final image. When training fails, the image is used without the archive.
 */
public final class ImageTraining {
  public static final String ARCHIVE = AgentImage.HOME + "/agent.jsa";

  private ImageTraining() {}

  /** Makes {@code repository:tag} from {@code base}, with the archive when training works. */
  static boolean finish(DockerClient docker, String base, String repository, String tag) {
    List<String> cmd = new ArrayList<>(List.of(AgentImage.JAVA, "-Dnetprobe.run=image-training"));
    cmd.addAll(List.of("-Xms8m", "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + ARCHIVE, "-Djava.io.tmpdir=/tmp"));
    cmd.addAll(List.of("-jar", AgentImage.JAR, "--stdio"));
    String id =
        docker
            .createContainerCmd(base)
            .withName(DockerNodeConnector.PREFIX + "training-" + tag)
            .withCmd(cmd)
            .withEnv("LD_LIBRARY_PATH=" + AgentImage.LIBRARY_PATH)
            .withLabels(Map.of(DockerNodeConnector.RUN_LABEL, "image-training"))
            .withStdinOpen(true)
            .withStdInOnce(true)
            .withAttachStdin(true)
            .withAttachStdout(true)
            .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
            .exec()
            .getId();
    try {
      boolean trained = train(docker, id);
      if (trained) {
        docker.commitCmd(id).withRepository(repository).withTag(tag).exec();
      } else {
        docker.tagImageCmd(base, repository, tag).exec();
      }
      return trained;
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
      docker.removeImageCmd(base).exec();
    }
  }

  private static boolean train(DockerClient docker, String id) {
    Pipe stdin = new Pipe();
    CountDownLatch replied = new CountDownLatch(1);
    ResultCallback.Adapter<Frame> attached =
        docker
            .attachContainerCmd(id)
            .withStdIn(stdin.in())
            .withStdOut(true)
            .withFollowStream(true)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Frame frame) {
                    replied.countDown();
                  }
                });
    try {
      if (!attached.awaitStarted(10, TimeUnit.SECONDS)) {
        return false;
      }
      docker.startContainerCmd(id).exec();
      stdin.out().write((ClassDataArchive.TRAINING_SCRIPT + "\n").getBytes(StandardCharsets.UTF_8));
      if (!replied.await(20, TimeUnit.SECONDS)) {
        return false;
      }
      stdin.end();
      attached.close();
      Integer exit = docker.waitContainerCmd(id).start().awaitStatusCode(20, TimeUnit.SECONDS);
      return exit != null && exit == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
