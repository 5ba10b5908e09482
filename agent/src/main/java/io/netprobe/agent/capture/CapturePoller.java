package io.netprobe.agent.capture;

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
      thread = new Thread(this::loop, "np-capture-reader");
      thread.setDaemon(true);
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
    while (!done()) {
      boolean read = false;
      for (CaptureSession c : captures) {
        Turn turn;
        try {
          turn = c.poll();
        } catch (RuntimeException e) {
          turn = Turn.DONE; // poll reports its own failures; never lose the reader to one
        }
        if (turn == Turn.DONE) {
          captures.remove(c);
        } else if (turn == Turn.READ) {
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
}
