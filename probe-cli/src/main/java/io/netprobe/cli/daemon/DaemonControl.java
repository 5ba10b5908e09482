package io.netprobe.cli.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Asks daemons for their status or to stop. */
final class DaemonControl {
  private DaemonControl() {}

  /**
   * Sends {@code kind} ({@link Wire#STATUS} or {@link Wire#STOP}) to the daemon at {@code socket}:
   * its status line ("" for a stop), or null when none answers there.
   */
  static String ask(Path socket, byte kind) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      Wire.send(ch, Wire.encode(new Wire.Request(kind, List.of(), java.util.Map.of(), false)));
      Wire.Reader in = new Wire.Reader(ch);
      String text = "";
      while (true) {
        byte type = in.readByte();
        if (type == Wire.EXIT) {
          in.readInt();
          return text;
        }
        byte[] bytes = in.readBytes(in.readCount());
        if (type == Wire.TEXT) {
          text = new String(bytes, StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      return null;
    }
  }

  /** The sockets in {@code dir}, oldest name first. */
  static List<Path> sockets(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return new ArrayList<>(
          files.filter(f -> f.getFileName().toString().endsWith(".sock")).sorted().toList());
    }
  }
}
