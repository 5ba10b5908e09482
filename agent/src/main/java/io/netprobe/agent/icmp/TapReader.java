package io.netprobe.agent.icmp;

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

  /** The messages a tap's turn reads at most, so that one busy namespace cannot starve the rest. */
  private static final int TURN = 64;

  private static final Set<IcmpErrorTap> TAPS = ConcurrentHashMap.newKeySet();
  private static WakeablePoll poll; // guarded by TapReader.class; made with the thread

  private TapReader() {}

  /** Reads {@code tap} from now on, until it is closed; the first starts the reader's thread. */
  static synchronized void add(IcmpErrorTap tap, java.util.concurrent.ThreadFactory threads) {
    TAPS.add(tap);
    if (poll == null) {
      poll = new WakeablePoll();
      WakeablePoll reader = poll;
      threads.newThread(() -> loop(reader)).start();
    } else {
      poll.wake();
    }
  }

  /** Has the reader look again: a tap came, or one was released. */
  static synchronized void wake() {
    if (poll != null) {
      poll.wake();
    }
  }

  private static void loop(WakeablePoll poll) {
    List<IcmpErrorTap> turn = new ArrayList<>();
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
      if (!poll.poll(turn.size(), i -> turn.get(i).fd(), LibC.POLLIN, -1)) {
        continue;
      }
      for (int i = 0; i < turn.size(); i++) {
        if ((poll.revents(i) & LibC.POLLIN) != 0) {
          turn.get(i).drain(TURN);
        }
      }
    }
  }
}
