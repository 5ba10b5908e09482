package io.netprobe.cli.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs code inside a network namespace: a fresh thread enters the namespace with setns(2), so every
 * socket it opens belongs there (and stays there). The thread is thrown away afterwards.
 */
public final class Netns {
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;

  private Netns() {}

  /** The file of a namespace made by {@code ip netns add NAME}. */
  public static Path named(String name) {
    return Path.of("/run/netns", name);
  }

  /** The network namespace of a process, e.g. a container's init. */
  public static Path ofPid(long pid) {
    return Path.of("/proc", Long.toString(pid), "ns", "net");
  }

  /** Calls {@code task} on a thread inside the namespace {@code nsFile}; rethrows its failure. */
  public static <T> T call(Path nsFile, Callable<T> task) throws Exception {
    ExecutorService thread =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "netns-" + nsFile.getFileName()));
    try {
      return thread.submit(() -> enterThenCall(nsFile, task)).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      thread.shutdownNow();
    }
  }

  private static <T> T enterThenCall(Path nsFile, Callable<T> task) throws Exception {
    int fd;
    try {
      fd = LibC.INSTANCE.open(nsFile.toString(), O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IllegalStateException(
          "cannot open network namespace " + nsFile + " (errno " + e.getErrorCode() + ")", e);
    }
    try {
      LibC.INSTANCE.setns(fd, CLONE_NEWNET);
    } catch (LastErrorException e) {
      throw new IllegalStateException(
          "cannot enter network namespace " + nsFile + " (errno " + e.getErrorCode() + ")", e);
    } finally {
      LibC.INSTANCE.close(fd);
    }
    return task.call();
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int open(String path, int flags) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }
}
