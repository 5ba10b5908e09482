package io.netprobe.agent.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that reads every capture of this JVM, in turns: each capture's ring is read empty
 * (a batch at most), then, when none had anything, the thread rests {@value #IDLE_MS} ms, longer
 * the longer nothing comes, up to {@value #MAX_IDLE_MS} ms.
 *
 * <p>A thread per capture rested and woke on its own: the coordinator of a class graded eight at
 * once held 320 captures, 16,000 wake-ups a second, a tenth of the machine on this virtual one.
 * Reading a capture is a pcap_next_ex call that does not block; its socket belongs to the namespace
 * it was opened in, whichever thread reads it.
 *
 * <p>A turn first asks poll(2), once for all the captures, whose rings hold a packet, and reads
 * only those: pcap_next_ex on an empty ring makes a poll of its own, and a class graded eight at
 * once made some 400 of them a turn (the reader was 8% of the coordinator's CPU, most of it those
 * calls). A capture poll finds quiet has its read mark moved as an empty read would move it.
 */
final class CapturePoller {
  /** The first rest; a read that finds nothing still proves what was read, see CaptureSession. */
  private static final int IDLE_MS = 5;

  private static final int MAX_IDLE_MS = 20;

  private static final CapturePoller INSTANCE = new CapturePoller();

  /** What a capture's turn did. */
  enum Turn {
    READ,
    IDLE,
    DONE
  }

  private final Set<CaptureSession> captures = ConcurrentHashMap.newKeySet();
  private Thread thread; // guarded by this

  private CapturePoller() {}

  /** Reads {@code capture} from now on, until its turn says DONE. */
  static void read(CaptureSession capture) {
    INSTANCE.add(capture);
  }

  private synchronized void add(CaptureSession capture) {
    captures.add(capture);
    if (thread == null) {
      // made by a namespace's thread: the reader must not hold that namespace while it reads
      thread = io.netprobe.agent.net.NetNamespace.observerInOwn("np-capture-reader", this::loop);
      thread.start();
    } else {
      LockSupport.unpark(thread); // a new capture's first packets are read at once
    }
  }

  /** True when the thread may end: no capture is left (decided with {@link #add}'s lock). */
  private synchronized boolean done() {
    if (captures.isEmpty()) {
      thread = null;
      return true;
    }
    return false;
  }

  private void loop() {
    int idle = 0;
    List<CaptureSession> turn = new ArrayList<>();
    while (!done()) {
      turn.clear();
      turn.addAll(captures);
      boolean[] ready = ready(turn);
      boolean read = false;
      for (int i = 0; i < turn.size(); i++) {
        CaptureSession c = turn.get(i);
        Turn t;
        try {
          t = ready == null || ready[i] ? c.poll() : c.quiet(beforeMicros);
        } catch (RuntimeException e) {
          t = Turn.DONE; // poll reports its own failures; never lose the reader to one
        }
        if (t == Turn.DONE) {
          captures.remove(c);
        } else if (t == Turn.READ) {
          read = true;
        }
      }
      if (read) {
        idle = 0;
      } else {
        LockSupport.parkNanos(Math.min(MAX_IDLE_MS, IDLE_MS << Math.min(idle++, 2)) * 1_000_000L);
      }
    }
  }

  /** When the last {@link #ready} asked, in epoch µs: before its poll(2). */
  private long beforeMicros;

  /** struct pollfd[], reused while big enough. */
  private Memory pollFds;

  /**
   * Which of {@code turn}'s captures have a packet (or an error) waiting, by one poll(2) that does
   * not block; null when poll cannot tell (no binding, a failure): then every capture is read.
   */
  private boolean[] ready(List<CaptureSession> turn) {
    int n = turn.size();
    if (Poll.BOUND != Boolean.TRUE || n == 0) {
      return null;
    }
    if (pollFds == null || pollFds.size() < 8L * n) {
      pollFds = new Memory(8L * Math.max(n, 64));
    }
    for (int i = 0; i < n; i++) {
      int fd = turn.get(i).fd();
      if (fd < 0) {
        return null;
      }
      pollFds.setInt(8L * i, fd);
      pollFds.setShort(8L * i + 4, Poll.POLLIN);
      pollFds.setShort(8L * i + 6, (short) 0);
    }
    beforeMicros = System.currentTimeMillis() * 1000L;
    if (Poll.poll(pollFds, n, 0) < 0) {
      return null;
    }
    boolean[] ready = new boolean[n];
    for (int i = 0; i < n; i++) {
      ready[i] = pollFds.getShort(8L * i + 6) != 0; // POLLIN, or POLLERR/POLLHUP/POLLNVAL: read it
    }
    return ready;
  }

  /** libc's poll(2). */
  private static final class Poll {
    static final short POLLIN = 1;
    static final Object BOUND = bind();

    private static Object bind() {
      try {
        Native.register(Poll.class, NativeLibrary.getInstance("c"));
        return Boolean.TRUE;
      } catch (LinkageError | RuntimeException e) {
        return e;
      }
    }

    static native int poll(Pointer fds, long nfds, int timeout);
  }
}
