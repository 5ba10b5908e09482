package io.netprobe.cli.daemon;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client side of {@link Daemon}: when a daemon serves this user, build, directory and
 * namespace, a {@code run}, {@code check} or {@code grade} is sent to it and this process only
 * relays its output and exit code; Ctrl-C here cancels the command there (which cleans up as the
 * command would in its own process, and the daemon then exits). Anything amiss (no daemon, a busy
 * one, a connection that fails before the command started) and the command runs here as always.
 */
public final class DaemonClient {
  /** The commands a daemon runs: those that probe, where a warm JVM is most of the time saved. */
  static final Set<String> SERVED = Set.of("run", "check", "grade");

  private DaemonClient() {}

  /**
   * Has the daemon run {@code args}, if one serves this process: its exit code, or empty to run the
   * command here.
   */
  public static OptionalInt forward(String[] args) {
    if (args.length == 0 || !SERVED.contains(args[0])) {
      return OptionalInt.empty();
    }
    Map<String, String> env = System.getenv();
    String wanted = env.getOrDefault("NETPROBE_DAEMON", "");
    if (wanted.equals("0") || wanted.equalsIgnoreCase("off")) {
      return OptionalInt.empty();
    }
    Path dir = DaemonAddress.dir(env);
    if (!Files.isDirectory(dir) || !DaemonAddress.trusted(dir)) {
      return OptionalInt.empty();
    }
    SocketChannel ch;
    try {
      Path socket = DaemonAddress.socket(dir);
      if (!Files.exists(socket)) {
        return OptionalInt.empty();
      }
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
        Wire.send(
            ch,
            Wire.encode(new Wire.Request(Wire.RUN, List.of(args), env, System.console() != null)));
      } catch (IOException e) {
        ch.close();
        return OptionalInt.empty(); // a daemon gone since: its socket is left, and this runs here
      }
    } catch (IOException e) {
      return OptionalInt.empty();
    }
    return relay(ch);
  }

  /** Copies the daemon's frames to stdout and stderr until its exit code. */
  private static OptionalInt relay(SocketChannel ch) {
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    OutputStream err = new FileOutputStream(FileDescriptor.err);
    CountDownLatch over = new CountDownLatch(1);
    Thread cancel =
        new Thread(
            () -> {
              if (over.getCount() == 0) {
                return;
              }
              try {
                Wire.send(ch, Wire.one(Wire.CANCEL));
                // the daemon cleans up (sessions, sidecars) and says so before its exit code
                over.await(60, TimeUnit.SECONDS);
              } catch (IOException | InterruptedException e) {
                // the daemon is gone: nothing left to wait for
              }
            },
            "np-daemon-cancel");
    boolean started = false;
    try {
      Wire.Reader in = new Wire.Reader(ch);
      while (true) {
        byte type = in.readByte();
        if (type == Wire.BUSY) {
          return OptionalInt.empty(); // another command has it: this one runs here
        }
        if (type == Wire.STARTED) {
          started = true;
          Runtime.getRuntime().addShutdownHook(cancel);
          continue;
        }
        if (type == Wire.EXIT) {
          int code = in.readInt();
          over.countDown();
          return OptionalInt.of(code);
        }
        byte[] bytes = in.readBytes(in.readCount());
        boolean toErr = type == Wire.ERR;
        try {
          OutputStream to = toErr ? err : out;
          to.write(bytes);
          to.flush();
        } catch (IOException closed) {
          // a reader gone (| head): the command goes on, as System.out's errors do not stop it
          if (toErr) {
            err = OutputStream.nullOutputStream();
          } else {
            out = OutputStream.nullOutputStream();
          }
        }
      }
    } catch (IOException e) {
      over.countDown();
      if (!started) {
        return OptionalInt.empty();
      }
      System.err.println(
          "netprobe: the daemon's connection broke during the command ("
              + e.getMessage()
              + "); run it again, or with NETPROBE_DAEMON=0 to run it without the daemon");
      return OptionalInt.of(io.netprobe.report.model.ExitCode.ERROR.code());
    } finally {
      try {
        ch.close();
      } catch (IOException e) {
        // closed
      }
    }
  }
}
