package io.netprobe.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of {@code netprobe-agent.jar}.
 *
 * <pre>
 *   java -jar netprobe-agent.jar --stdio
 *   NETPROBE_AGENT_TOKEN=... java -jar netprobe-agent.jar --listen PORT [--bind ADDR]
 *   java -jar netprobe-agent.jar --listen PORT --token-file FILE
 * </pre>
 *
 * The token comes from the environment or a file, never the command line, where {@code ps} would
 * show it. Exit codes: 0 done, 2 bad invocation.
 */
public final class AgentMain {
  private static final String USAGE =
      "usage: netprobe-agent --stdio | --listen PORT [--bind ADDR] [--token-file FILE]\n"
          + "  --listen takes its token from NETPROBE_AGENT_TOKEN or --token-file";

  private AgentMain() {}

  public static void main(String[] args) {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false"); // Netty's JFR events cost ~0.1 CPU-s
    }
    io.netprobe.agent.rules.Commands.startByVfork();
    PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    System.setOut(System.err); // nothing but protocol replies may reach stdout
    try {
      System.exit(run(args, stdout));
    } catch (IllegalArgumentException e) {
      System.err.println("netprobe-agent: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
    } catch (InterruptedException e) {
      System.exit(130);
    } catch (IOException | RuntimeException e) {
      System.err.println("netprobe-agent: " + e);
      System.exit(1);
    }
  }

  static int run(String[] args, PrintStream stdout) throws IOException, InterruptedException {
    if (args.length == 1 && args[0].equals("--stdio")) {
      new StdioServer(System.in, stdout).serve(new ObjectMapper());
      return 0;
    }
    if (args.length >= 2 && args[0].equals("--listen")) {
      int port = parsePort(args[1]);
      String bind = "127.0.0.1";
      String token = System.getenv("NETPROBE_AGENT_TOKEN");
      for (int i = 2; i + 1 < args.length; i += 2) {
        switch (args[i]) {
          case "--bind" -> bind = args[i + 1];
          case "--token-file" -> token = Files.readString(Path.of(args[i + 1])).strip();
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (token == null || token.length() < 16) {
        throw new IllegalArgumentException(
            "--listen needs a token of 16+ characters in NETPROBE_AGENT_TOKEN or --token-file");
      }
      try (TcpAgentServer server = TcpAgentServer.start(bind, port, token, new ObjectMapper())) {
        System.err.println("netprobe-agent: listening on " + server.address());
        server.awaitClose();
      }
      return 0;
    }
    throw new IllegalArgumentException("unknown invocation " + String.join(" ", args));
  }

  private static int parsePort(String raw) {
    try {
      int port = Integer.parseInt(raw);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--listen PORT: expected 0..65535, got " + raw);
  }
}
