package io.netprobe.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;

/**
 * poll(2) over sockets and an eventfd that wakes it when the set changes, for a thread that reads
 * many sockets (the echo reactors, the tap reader). The pollfd array is reused between turns.
 *
 * <p>When the JVM exits, its pollers leave poll(2) for good ({@link #quiesce}): HotSpot's exit
 * waits, 10 ms at a time and up to 300 ms, for every thread in native code to come back, and a
 * reader blocked in poll(2) with no timeout never does. That wait was a fifth of a 1,140-check
 * run's wall time.
 */
final class WakeablePoll {
  private static final LibC C = LibC.INSTANCE;
  private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

  /** Every poll of the JVM, to wake when it exits. */
  private static final Set<WakeablePoll> ALL = ConcurrentHashMap.newKeySet();

  private static volatile boolean jvmExiting;

  static {
    try {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    jvmExiting = true;
                    quiesce(ALL);
                  },
                  "np-poll-quiesce"));
    } catch (IllegalStateException alreadyExiting) {
      jvmExiting = true;
    }
  }

  /** The threads inside poll(2) now (one, the owner's, or none). */
  private final AtomicInteger inPoll = new AtomicInteger();

  private volatile boolean quiesced;
  private final int wakeFd = C.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
  private final byte[] drain = new byte[8];
  private Memory fds = new Memory(8L * 64);

  WakeablePoll() {
    ALL.add(this);
  }

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
    if (quiesced || jvmExiting) {
      parkForGood();
    }
    inPoll.incrementAndGet();
    try {
      if (C.poll(fds, n + 1, timeoutMs) <= 0) {
        return false;
      }
    } catch (LastErrorException e) {
      return false; // EINTR
    } finally {
      inPoll.decrementAndGet();
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

  /**
   * The JVM exits: each of {@code polls} is woken and its thread, at its next poll, parks in Java
   * for good instead (a parked thread does not hold the exit up). Waits up to 100 ms for them all
   * to be out of poll(2).
   */
  static void quiesce(Iterable<WakeablePoll> polls) {
    polls.forEach(
        p -> {
          p.quiesced = true;
          p.wake();
        });
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    for (WakeablePoll p : polls) {
      while (p.inPoll.get() > 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
      }
    }
  }

  /** Whether a thread is inside this poll's poll(2) now (tests). */
  boolean polling() {
    return inPoll.get() > 0;
  }

  private static void parkForGood() {
    while (true) {
      LockSupport.park(WakeablePoll.class);
    }
  }
}
