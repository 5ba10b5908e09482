package io.netprobe.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's protocol over a real Unix socket pair. */
class WireTest {
  @TempDir Path dir;

  @Test
  void aRequestArrivesWholeEvenPastTheReadersBuffer() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PORT", "8080");
    env.put("BIG", "x".repeat(200_000)); // three times the reader's buffer
    env.put("ÜMLAUT", "é ∑");
    Wire.Request sent =
        new Wire.Request(Wire.RUN, List.of("run", "mesh.yaml", "--only", "a->b icmp"), env, true);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(dir.resolve("t.sock")));
      try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel accepted = server.accept()) {
        Thread writer =
            new Thread(
                () -> {
                  try {
                    Wire.send(client, Wire.encode(sent));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        writer.start();
        Wire.Request got = Wire.readRequest(new Wire.Reader(accepted));
        writer.join();
        assertThat(got).isEqualTo(sent);
      }
    }
  }

  @Test
  void outputGoesAsFramesAndTheExitCodeLast() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(dir.resolve("t.sock")));
      try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel daemon = server.accept()) {
        Object lock = new Object();
        OutputStream out = Wire.frames(daemon, Wire.OUT, lock);
        OutputStream err = Wire.frames(daemon, Wire.ERR, lock);
        out.write("grid\n".getBytes(StandardCharsets.UTF_8));
        err.write("warning\n".getBytes(StandardCharsets.UTF_8));
        out.write(new byte[0]); // nothing: no frame
        Wire.send(daemon, Wire.exit(3));

        Wire.Reader in = new Wire.Reader(client);
        assertThat(in.readByte()).isEqualTo(Wire.OUT);
        assertThat(new String(in.readBytes(in.readCount()), StandardCharsets.UTF_8))
            .isEqualTo("grid\n");
        assertThat(in.readByte()).isEqualTo(Wire.ERR);
        assertThat(new String(in.readBytes(in.readCount()), StandardCharsets.UTF_8))
            .isEqualTo("warning\n");
        assertThat(in.readByte()).isEqualTo(Wire.EXIT);
        assertThat(in.readInt()).isEqualTo(3);
      }
    }
  }
}
