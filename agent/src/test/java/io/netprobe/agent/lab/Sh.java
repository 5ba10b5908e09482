package io.netprobe.agent.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a lab command and fails loudly (command, exit code, output) when it fails. */
public final class Sh {
  private Sh() {}

  public static String run(String... command) {
    Result r = exec(command);
    if (r.exit != 0) {
      throw new IllegalStateException(
          "command failed (exit " + r.exit + "): " + String.join(" ", command) + "\n" + r.out);
    }
    return r.out;
  }

  /** Runs and ignores failure: for cleanup of things that may already be gone. */
  public static void quiet(String... command) {
    exec(command);
  }

  record Result(int exit, String out) {}

  static Result exec(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out + "\n(timed out)");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
