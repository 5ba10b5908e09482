package io.netprobe.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * Keeps the kernel stamping every packet it receives, for as long as this JVM lives.
 *
 * <p>A socket with SO_TIMESTAMP reads when the kernel received each packet, which tells a reply
 * that came in time from one that came late while the reader was held up ({@code
 * IcmpProbe.readLate}). But the kernel stamps packets only while some socket of the machine asks
 * for it, and it turns the stamping on a moment after the first such socket opens (a deferred work
 * item, about 2 ms here). A packet received in between has no stamp, and the kernel gives it the
 * time it is read instead: an echo reply that came 50 us after its request, read a second later by
 * a held-up thread, looked a second late and was thrown away (LateEchoIT failed that way when it
 * ran first in a fresh JVM, on a machine where nothing else kept the stamps on).
 *
 * <p>So the first echo of the JVM opens one UDP socket with SO_TIMESTAMP and never closes it, and
 * waits until a datagram it sends itself over the loopback comes back stamped with its real arrival
 * time (a few ms, once). Where the loopback is down the socket is kept all the same.
 */
public final class ReceiveTimestamps {
  private static final LibC C = LibC.INSTANCE;
  private static final int TRIES = 50;
  private static boolean on;
  private static int port = -1;

  private ReceiveTimestamps() {}

  /** The kept socket's UDP port on 127.0.0.1, -1 before {@link #keepOn} or when it has none. */
  static synchronized int port() {
    return port;
  }

  /** True once {@link #keepOn} has run in this JVM. */
  public static synchronized boolean kept() {
    return on;
  }

  /**
   * Turns the stamps on for good, once per JVM; a failure leaves them as they were. The socket
   * belongs to the calling thread's namespace and keeps it alive: call it in the process's own.
   */
  public static synchronized void keepOn() {
    if (on) {
      return;
    }
    on = true;
    int fd;
    try {
      fd = C.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      return;
    }
    try {
      Memory one = new Memory(4);
      one.setInt(0, 1);
      C.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_TIMESTAMP, one, 4);
      Memory self = new Memory(16);
      self.clear();
      self.setShort(0, (short) LibC.AF_INET);
      self.write(4, new byte[] {127, 0, 0, 1}, 0, 4);
      C.bind(fd, self, 16);
      Memory len = new Memory(4);
      len.setInt(0, 16);
      C.getsockname(fd, self, len); // now with the port the kernel chose
      port = (self.getByte(2) & 0xff) << 8 | (self.getByte(3) & 0xff);
      for (int i = 0; i < TRIES && !stampedOnArrival(fd, self); i++) {
        // the kernel has not turned the stamps on yet: try again
      }
    } catch (LastErrorException e) {
      // no loopback to test on: the socket still keeps the stamps on once the kernel gets to it
    }
  }

  /**
   * Sends a byte to {@code self}, reads it 2 ms later: true when its stamp is its arrival (well
   * before the read), false when the kernel had no stamp and gave the read's time.
   */
  private static boolean stampedOnArrival(int fd, Memory self) {
    java.time.Instant now = java.time.Instant.now();
    long sentMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    C.sendto(fd, new byte[] {1}, 1, 0, self, 16);
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
    Message m = Message.receive(fd, 0, 16);
    return m == null || m.receivedAtMicros() <= 0 || m.receivedAtMicros() - sentMicros < 1500;
  }
}
