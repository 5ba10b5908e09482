package io.netprobe.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.function.IntUnaryOperator;

/**
 * poll(2) over sockets and an eventfd that wakes it when the set changes, for a thread that reads
 * many sockets (the echo reactors, the tap reader). The pollfd array is reused between turns.
 */
final class WakeablePoll {
  private static final LibC C = LibC.INSTANCE;
  private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};
  private final int wakeFd = C.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
  private final byte[] drain = new byte[8];
  private Memory fds = new Memory(8L * 64);

  /** Has the polling thread look again; any thread may call it. */
  void wake() {
    C.write(wakeFd, ONE, 8);
  }

  /**
   * Waits up to {@code timeoutMs} (-1: no limit) for {@code events} on the sockets {@code fdAt(0)}
   * to {@code fdAt(n - 1)}, or a wake-up; false when none came (the time ran out, EINTR). Read each
   * socket's answer with {@link #revents}.
   */
  boolean poll(int n, IntUnaryOperator fdAt, short events, int timeoutMs) {
    long size = 8L * (n + 1);
    if (fds.size() < size) {
      fds = new Memory(Math.max(size, 2 * fds.size()));
    }
    fds.clear(size);
    fds.setInt(0, wakeFd);
    fds.setShort(4, LibC.POLLIN);
    for (int i = 0; i < n; i++) {
      fds.setInt(8L * (i + 1), fdAt.applyAsInt(i));
      fds.setShort(8L * (i + 1) + 4, events);
    }
    try {
      if (C.poll(fds, n + 1, timeoutMs) <= 0) {
        return false;
      }
    } catch (LastErrorException e) {
      return false; // EINTR
    }
    if ((fds.getShort(6) & LibC.POLLIN) != 0) {
      C.read(wakeFd, drain, 8);
    }
    return true;
  }

  /** What poll said of socket {@code i} in the last turn. */
  short revents(int i) {
    return fds.getShort(8L * (i + 1) + 6);
  }
}
