package io.netprobe.cli.lab;

import io.netprobe.cli.error.UserException;
import io.netprobe.report.model.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the namespace half of the demo lab, {@code demo-lab.sh}, fed to bash on its stdin so that no
 * copy of it is left on disk.
 */
final class LabScript {
  private static final String RESOURCE = "demo-lab.sh";

  private LabScript() {}

  /** Fails, as a bad invocation, unless netprobe runs as root: a lab needs it. */
  static void requireRoot(String lab, String needs) {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new UserException(lab + " needs root (" + needs + "); run as root", ExitCode.USAGE);
    }
  }

  /** Runs {@code demo-lab.sh ACTION}, copying its output to {@code out}; returns its exit code. */
  static int run(String action, PrintWriter out, String... args) {
    return run(RESOURCE, action, out, args);
  }

  /** Runs the lab script {@code resource} (beside this class) with {@code ACTION ARGS...}. */
  static int run(String resource, String action, PrintWriter out, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "-s", "--", action));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    try (InputStream script = LabScript.class.getResourceAsStream(resource)) {
      if (script == null) {
        throw new IllegalStateException("the jar lacks " + resource + "; rebuild netprobe");
      }
      Process p = pb.start();
      try (OutputStream stdin = p.getOutputStream()) {
        script.transferTo(stdin);
      }
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          out.println(line);
          out.flush();
        }
      }
      return p.waitFor();
    } catch (IOException e) {
      throw new UserException(
          "cannot run bash for the demo lab: " + e.getMessage(), ExitCode.ERROR, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserException(
          "interrupted while running the demo lab script", ExitCode.INTERRUPTED);
    }
  }
}
