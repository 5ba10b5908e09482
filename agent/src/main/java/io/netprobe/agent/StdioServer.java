package io.netprobe.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.net.NetNamespace;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The protocol over stdin/stdout: the coordinator writes one request per line, the agent one reply
 * per line. When stdin closes (the coordinator is gone) or after {@code bye}, the agent stops its
 * captures and listeners and returns.
 */
public final class StdioServer {
  private final BufferedReader in;
  private final BufferedWriter out;

  /** How long replies still owed may take once stdin has closed. */
  static final long DRAIN_MS = 10_000;

  private volatile boolean running = true;

  public StdioServer(InputStream in, OutputStream out) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
  }

  /** Serves until stdin closes or {@code bye}; returns the number of requests read. */
  public int serve(ObjectMapper json) throws IOException {
    return serve(json, NetNamespace.process());
  }

  /**
   * The same for an agent working in {@code netns}; call it on a thread of that namespace ({@link
   * NetNamespace#thread}). The namespace's threads stop when this returns.
   */
  public int serve(ObjectMapper json, NetNamespace netns) throws IOException {
    return serve(json, netns, agent -> {});
  }

  /** The same, handing the session's {@link Agent} to {@code started} before the first request. */
  public int serve(
      ObjectMapper json, NetNamespace netns, java.util.function.Consumer<Agent> started)
      throws IOException {
    int requests = 0;
    try (Agent agent = new Agent(json, this::write, () -> running = false, netns)) {
      started.accept(agent);
      String line;
      while (running && (line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        requests++;
        agent.handle(line);
      }
      // stdin closed after the last request: let the probes in flight answer, bounded.
      agent.awaitReplies(DRAIN_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return requests;
  }

  private void write(String line) {
    synchronized (out) {
      try {
        out.write(line);
        out.write('\n');
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("stdout closed: the coordinator is gone", e);
      }
    }
  }
}
