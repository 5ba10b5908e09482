package io.netprobe.agent.facts;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Byte buffers of one size kept for the next read: the facts read a namespace with a dozen netlink
 * dumps (64 KB to receive each) and tables of up to 256 KB, and a class's grading read 41
 * namespaces a student; a fresh buffer each time was a quarter of everything it allocated. At most
 * {@code keep} are kept; a buffer must not be used after {@link #give}.
 */
final class BufferPool {
  private final int size;
  private final ArrayBlockingQueue<byte[]> spare;

  BufferPool(int size, int keep) {
    this.size = size;
    this.spare = new ArrayBlockingQueue<>(keep);
  }

  /** A buffer of the pool's size: a kept one (its old contents still in it) or a new one. */
  byte[] take() {
    byte[] b = spare.poll();
    return b != null ? b : new byte[size];
  }

  /** Hands {@code b} back for a later {@link #take}. */
  void give(byte[] b) {
    if (b.length == size) {
      spare.offer(b);
    }
  }
}
