package io.netprobe.cli.connect;

import io.netprobe.agent.net.NetNamespace;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Runs code inside a network namespace: a fresh thread enters the namespace with setns(2), so every
 * socket it opens belongs there (and stays there). The thread is thrown away afterwards. The lab
 * tests' and the SSH connector's door into a namespace; the agent's {@link NetNamespace} does the
 * work.
 */
public final class Netns {
  private Netns() {}

  /** The file of a namespace made by {@code ip netns add NAME}. */
  public static Path named(String name) {
    return NetNamespace.named(name);
  }

  /** The network namespace of a process, e.g. a container's init. */
  public static Path ofPid(long pid) {
    return Path.of("/proc", Long.toString(pid), "ns", "net");
  }

  /** Calls {@code task} on a thread inside the namespace {@code nsFile}; rethrows its failure. */
  public static <T> T call(Path nsFile, Callable<T> task) throws Exception {
    NetNamespace ns = NetNamespace.enter(nsFile);
    try {
      return ns.call(
          () -> {
            try {
              return task.call();
            } catch (Exception e) {
              throw new Wrapped(e);
            }
          });
    } catch (Wrapped w) {
      throw w.exception;
    } finally {
      ns.close();
    }
  }

  private static final class Wrapped extends RuntimeException {
    private final Exception exception;

    Wrapped(Exception e) {
      super(e);
      this.exception = e;
    }
  }
}
