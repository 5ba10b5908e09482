package io.netprobe.cli.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import io.netprobe.cli.error.UserException;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.report.model.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Opens the Docker engine's API: the local socket, API 1.41 (Docker 20.10, Debian 12). */
public final class DockerClients {
  /** Docker 20.10 speaks 1.41; docker-java must not ask for anything newer. */
  public static final String API_VERSION = "1.41";

  private DockerClients() {}

  /** The shared client of each engine, by its address: see {@link #shared()}. */
  private static final Map<String, DockerClient> SHARED = new HashMap<>();

  /**
   * The client of DOCKER_HOST or the local socket that every run of this JVM uses, made and pinged
   * on first use and never closed: a run used to make two (one to connect containers, one to read
   * their networks), each with its pool and a ping, and a class graded 400 of them; a quarter of
   * the Docker side of grading a student. The caller must not close it; {@link #forget} it when the
   * engine stopped answering, so that the next run makes a new one.
   */
  public static DockerClient shared() {
    DefaultDockerClientConfig config = config();
    String host = config.getDockerHost().toString();
    synchronized (SHARED) {
      DockerClient client = SHARED.get(host);
      if (client == null) {
        client = connect(config);
        SHARED.put(host, client);
      }
      return client;
    }
  }

  /** Drops {@code client} from the shared ones and closes it (an engine that stopped answering). */
  public static void forget(DockerClient client) {
    synchronized (SHARED) {
      SHARED.values().remove(client);
    }
    try {
      client.close();
    } catch (IOException | RuntimeException e) {
      // nothing left to release
    }
  }

  /** A client for DOCKER_HOST or the local socket; fails with what to do when none answers. */
  public static DockerClient connect() {
    return connect(config());
  }

  private static DockerClient connect(DefaultDockerClientConfig config) {
    DockerClient client = DockerClientImpl.getInstance(config, http(config));
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      try {
        client.close();
      } catch (IOException | RuntimeException closing) {
        e.addSuppressed(closing);
      }
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
    String host = Invocation.env().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
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
