package io.netprobe.cli;

import java.util.List;

/**
 * Loads and initializes, on the second core, the classes a run needs after it has read its matrix:
 * Jackson's mappers, JNA and the C library, libpcap, Netty's transport. The main thread meanwhile
 * parses the command line and the matrix (a few hundred ms of a cold JVM on one core), so what the
 * agents' start would wait for is ready when they start. Nothing here has an effect beyond its
 * class; a class that fails to load is left to fail where it is used, with that code's message.
 */
final class Preload {
  /** In the order a run needs them. */
  private static final List<String> CLASSES =
      List.of(
          "io.netprobe.report.JsonRenderer",
          "io.netprobe.cli.run.RunEngine",
          "io.netprobe.cli.connect.session.AgentSession",
          "io.netprobe.cli.connect.session.InProcessAgents",
          "io.netprobe.agent.net.NetNamespace$LibC",
          "io.netty.channel.nio.NioIoHandler",
          "io.netty.channel.MultiThreadIoEventLoopGroup",
          "io.netty.channel.socket.nio.NioSocketChannel",
          "io.netty.bootstrap.Bootstrap",
          "io.netty.buffer.ByteBufUtil",
          "io.netprobe.agent.facts.Netlink$LibC",
          "io.netprobe.agent.icmp.LibC",
          "org.pcap4j.core.NativeMappings",
          "org.pcap4j.core.PcapHandle");

  /** The commands that run checks, and so gain from it. */
  private static final List<String> RUNNERS = List.of("run", "demo", "check", "grade", "watch");

  private Preload() {}

  static void startFor(String[] args) {
    if (args.length == 0 || !RUNNERS.contains(args[0]) || List.of(args).contains("--help")) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              ClassLoader loader = Preload.class.getClassLoader();
              for (String name : CLASSES) {
                try {
                  Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                  // left to the code that uses it, which says what failed
                }
              }
            },
            "np-preload");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }
}
