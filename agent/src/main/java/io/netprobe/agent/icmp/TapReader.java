package io.netprobe.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.netprobe.agent.net.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads every {@link IcmpErrorTap} of the JVM on one thread, with one poll(2) over all their
 * sockets: a tap opens for a namespace's first TCP or UDP probe and closes after its last, and a
 * thread each was a third of a graded student's thread starts. The thread lives in the process's
 * own namespace (a socket's namespace is the one it was opened in, whoever reads it), waits on an
 * eventfd when there is nothing to read, and closes a released tap's socket.
 */
final class TapReader {
  private static final LibC C = LibC.INSTANCE;
  private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

  /** The messages a tap's turn reads at most, so that one busy namespace cannot starve the rest. */
  private static final int TURN = 64;

  private static final Set<IcmpErrorTap> TAPS = ConcurrentHashMap.newKeySet();
  private static int wakeFd = -1; // guarded by TapReader.class

  private TapReader() {}

  /** Reads {@code tap} from now on, until it is closed. */
  static synchronized void add(IcmpErrorTap tap) {
    TAPS.add(tap);
    if (wakeFd < 0) {
      wakeFd = C.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
      int fd = wakeFd;
      NetNamespace.threadInOwn("np-icmp-taps", () -> loop(fd)).start();
    } else {
      wake();
    }
  }

  /** Has the reader look again: a tap came, or one was released. */
  static synchronized void wake() {
    if (wakeFd >= 0) {
      C.write(wakeFd, ONE, 8);
    }
  }

  private static void loop(int wake) {
    List<IcmpErrorTap> turn = new ArrayList<>();
    byte[] drain = new byte[8];
    Memory fds = new Memory(8L * 16);
    while (true) {
      turn.clear();
      for (IcmpErrorTap tap : TAPS) {
        if (tap.closed()) {
          TAPS.remove(tap);
          C.close(tap.fd());
        } else {
          turn.add(tap);
        }
      }
      int n = turn.size() + 1;
      if (fds.size() < 8L * n) {
        fds = new Memory(8L * Math.max(n, 2 * (fds.size() / 8)));
      }
      fds.clear(8L * n);
      fds.setInt(0, wake);
      fds.setShort(4, LibC.POLLIN);
      for (int i = 0; i < turn.size(); i++) {
        fds.setInt(8L * (i + 1), turn.get(i).fd());
        fds.setShort(8L * (i + 1) + 4, LibC.POLLIN);
      }
      try {
        if (C.poll(fds, n, -1) <= 0) {
          continue;
        }
      } catch (LastErrorException e) {
        continue; // EINTR
      }
      if ((fds.getShort(6) & LibC.POLLIN) != 0) {
        C.read(wake, drain, 8);
      }
      for (int i = 0; i < turn.size(); i++) {
        if ((fds.getShort(8L * (i + 1) + 6) & LibC.POLLIN) != 0) {
          turn.get(i).drain(TURN);
        }
      }
    }
  }
}
