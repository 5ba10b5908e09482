package io.netprobe.agent.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

/**
 * Once {@link ReceiveTimestamps#keepOn} has run, a socket opened afterwards gets its first packet's
 * real arrival time, not the time it was read: the kernel stamps packets only while a socket of the
 * machine asks, and turns that on a moment after the first one does, so a new socket's first packet
 * read 200 ms late came stamped 200 ms late (on this machine nothing else keeps the stamps on).
 */
class ReceiveTimestampsIT {
  @Test
  void aFreshSocketsFirstPacketIsStampedWhenItArrivedNotWhenItWasRead() throws Exception {
    ReceiveTimestamps.keepOn();
    for (int round = 0; round < 3; round++) {
      int fd = LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
      try {
        Memory one = new Memory(4);
        one.setInt(0, 1);
        LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_TIMESTAMP, one, 4);
        Memory self = new Memory(16);
        self.clear();
        self.setShort(0, (short) LibC.AF_INET);
        self.write(4, new byte[] {127, 0, 0, 1}, 0, 4);
        LibC.INSTANCE.bind(fd, self, 16);
        Memory len = new Memory(4);
        len.setInt(0, 16);
        LibC.INSTANCE.getsockname(fd, self, len);
        java.time.Instant sent = java.time.Instant.now();
        LibC.INSTANCE.sendto(fd, new byte[] {7}, 1, 0, self, 16);
        Thread.sleep(200);
        Message m = Message.receive(fd, 0, 64);
        assertThat(m).isNotNull();
        long sentMicros = sent.getEpochSecond() * 1_000_000L + sent.getNano() / 1000;
        assertThat(m.receivedAtMicros() - sentMicros)
            .as("microseconds from the send to the kernel's stamp, read 200 ms later")
            .isBetween(0L, 50_000L);
      } finally {
        LibC.INSTANCE.close(fd);
      }
      // with no socket left asking, the kernel would turn the stamps off again by the next round
      Thread.sleep(300);
    }
  }
}
