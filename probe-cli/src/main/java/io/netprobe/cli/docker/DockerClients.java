package io.netprobe.cli.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import io.netprobe.cli.error.UserException;
import io.netprobe.report.model.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Opens the Docker engine's API: the local socket, API 1.41 (Docker 20.10, Debian 12). */
public final class DockerClients {
  /** Docker 20.10 speaks 1.41; docker-java must not ask for anything newer. */
  public static final String API_VERSION = "1.41";

  private DockerClients() {}

  /** A client for DOCKER_HOST or the local socket; fails with what to do when none answers. */
  public static DockerClient connect() {
    DefaultDockerClientConfig config = config();
    DockerClient client = DockerClientImpl.getInstance(config, http(config));
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new UserException(
          "no Docker engine answers at "
              + config.getDockerHost()
              + " ("
              + e.getClass().getSimpleName()
              + "); run scripts/setup, which starts dockerd, or set DOCKER_HOST",
          ExitCode.ERROR,
          e);
    }
    return client;
  }

  /**
   * {@code docker import}: an image from a root file system tar. Sent straight through the
   * transport because docker-java's createImageCmd sends no tar content type and Docker 20.10 then
   * fails with "unexpected EOF".
   */
  public static void importImage(String repository, String tag, byte[] rootfsTar)
      throws IOException {
    Request request =
        Request.builder()
            .method(Request.Method.POST)
            .path(
                "/v" + API_VERSION + "/images/create?fromSrc=-&repo=" + repository + "&tag=" + tag)
            .putHeader("Content-Type", "application/x-tar")
            .body(new ByteArrayInputStream(rootfsTar))
            .build();
    try (DockerHttpClient http = http(config());
        DockerHttpClient.Response response = http.execute(request)) {
      String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
      if (response.getStatusCode() != 200 || body.contains("\"error")) {
        throw new IOException("docker import of " + repository + ":" + tag + " failed: " + body);
      }
    }
  }

  private static DefaultDockerClientConfig config() {
    String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    return DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host)
        .withApiVersion(API_VERSION)
        .build();
  }

  private static DockerHttpClient http(DefaultDockerClientConfig config) {
    return new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(60))
        .maxConnections(32)
        .build();
  }
}
