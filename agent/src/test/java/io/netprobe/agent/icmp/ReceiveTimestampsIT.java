package io.netprobe.agent.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import io.netprobe.agent.lab.NetnsFixture;
import io.netprobe.agent.lab.Sh;
import io.netprobe.agent.net.NetNamespace;
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

  /**
   * The kept socket is the process's, whichever namespace asked first: a socket holds its
   * namespace, and one opened in a lab namespace kept it, and its links, alive after {@code ip
   * netns del} (a veth whose other end is elsewhere stayed there) for as long as the JVM ran.
   */
  @Test
  void theKeptSocketIsInTheProcesssOwnNamespaceAndHoldsNoLabNamespace() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("rt")) {
      String ns = lab.create("a");
      String other = lab.create("b");
      lab.link(ns, "10.89.1.1/24", other, "10.89.1.2/24");
      String peer = lab.exec(other, "ip", "-o", "link", "show", "type", "veth");
      assertThat(peer).contains("np");
      NetNamespace a = NetNamespace.enter(NetNamespace.named(ns));
      try {
        // asked from the namespace's own thread, as a probe asks: the JVM's first echo reactor,
        // if no test made one before
        a.call(a::echoes);
      } finally {
        a.close();
      }
      int port = ReceiveTimestamps.port();
      assertThat(port).isPositive();
      // bound to 127.0.0.1 in the namespace this process started in
      assertThat(Sh.run("ss", "-Huan", "src", "127.0.0.1:" + port)).contains(":" + port);
      assertThat(lab.exec(ns, "ss", "-Huan", "src", "127.0.0.1:" + port)).isBlank();
      Sh.run("ip", "netns", "del", ns);
      // the namespace is gone, and with it its end of the veth and so the other end
      assertThat(lab.vethsAfterDelete(other)).as("the veth of a deleted namespace").isBlank();
    }
  }
}
