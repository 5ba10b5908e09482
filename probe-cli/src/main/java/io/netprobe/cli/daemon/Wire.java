package io.netprobe.cli.daemon;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's protocol, on a Unix socket. The client sends one request: {@code MAGIC}, a kind
 * ({@link #RUN}, {@link #STATUS}, {@link #STOP}) and for a run the arguments, the environment and
 * whether it sits at a terminal; later, on Ctrl-C, the one byte {@link #CANCEL}. The daemon answers
 * with frames: {@link #OUT} and {@link #ERR} (bytes for the client's stdout and stderr), {@link
 * #BUSY} (another command is running: the client runs its own), {@link #STARTED} (the command
 * runs), {@link #TEXT} (status) and last {@link #EXIT} with the exit code. Reads and writes go
 * straight to the channel: {@code Channels.newInputStream} and {@code newOutputStream} share one
 * lock, and the daemon reads a cancel while it writes output.
 */
final class Wire {
  static final int MAGIC = 0x6e706401; // "npd", version 1
  static final byte RUN = 1;
  static final byte STATUS = 2;
  static final byte STOP = 3;
  static final byte CANCEL = 9;

  static final byte OUT = 1;
  static final byte ERR = 2;
  static final byte EXIT = 3;
  static final byte BUSY = 4;
  static final byte TEXT = 5;
  static final byte STARTED = 6;

  private Wire() {}

  /** A run's request. */
  record Request(byte kind, List<String> args, Map<String, String> env, boolean console) {}

  static ByteBuffer encode(Request r) {
    Encoder e = new Encoder();
    e.putInt(MAGIC);
    e.put(r.kind());
    if (r.kind() == RUN) {
      e.putInt(r.args().size());
      r.args().forEach(e::putString);
      e.putInt(r.env().size());
      r.env()
          .forEach(
              (k, v) -> {
                e.putString(k);
                e.putString(v);
              });
      e.put((byte) (r.console() ? 1 : 0));
    }
    return e.done();
  }

  static Request readRequest(Reader in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a netprobe client of this version");
    }
    byte kind = in.readByte();
    if (kind != RUN) {
      return new Request(kind, List.of(), Map.of(), false);
    }
    int argc = in.readCount();
    List<String> args = new ArrayList<>(argc);
    for (int i = 0; i < argc; i++) {
      args.add(in.readString());
    }
    int envc = in.readCount();
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < envc; i++) {
      env.put(in.readString(), in.readString());
    }
    return new Request(kind, args, env, in.readByte() == 1);
  }

  /** A frame of {@code type} carrying {@code bytes}. */
  static ByteBuffer frame(byte type, byte[] bytes, int off, int len) {
    ByteBuffer b = ByteBuffer.allocate(5 + len);
    b.put(type).putInt(len).put(bytes, off, len);
    return b.flip();
  }

  static ByteBuffer exit(int code) {
    return ByteBuffer.allocate(5).put(EXIT).putInt(code).flip();
  }

  static ByteBuffer text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return frame(TEXT, b, 0, b.length);
  }

  static ByteBuffer one(byte b) {
    return ByteBuffer.allocate(1).put(b).flip();
  }

  /** Writes all of {@code b} (one writer at a time: callers hold the channel's write side). */
  static void send(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /** An output stream that sends what is written as frames of {@code type}. */
  static OutputStream frames(SocketChannel ch, byte type, Object lock) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return;
        }
        synchronized (lock) {
          send(ch, frame(type, b, off, len));
        }
      }
    };
  }

  /** Reads a channel through a buffer. */
  static final class Reader {
    private final SocketChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).flip();

    Reader(SocketChannel ch) {
      this.ch = ch;
    }

    private void need(int n) throws IOException {
      if (buf.remaining() >= n) {
        return;
      }
      buf.compact();
      try {
        while (buf.position() < n) {
          if (ch.read(buf) < 0) {
            throw new EOFException("the other end closed the connection");
          }
        }
      } finally {
        buf.flip();
      }
    }

    byte readByte() throws IOException {
      need(1);
      return buf.get();
    }

    int readInt() throws IOException {
      need(4);
      return buf.getInt();
    }

    int readCount() throws IOException {
      int n = readInt();
      if (n < 0 || n > 1_000_000) {
        throw new IOException("bad count " + n);
      }
      return n;
    }

    /** {@code len} bytes, in pieces of at most the buffer's size. */
    byte[] readBytes(int len) throws IOException {
      byte[] out = new byte[len];
      int at = 0;
      while (at < len) {
        need(1);
        int n = Math.min(buf.remaining(), len - at);
        buf.get(out, at, n);
        at += n;
      }
      return out;
    }

    String readString() throws IOException {
      return new String(readBytes(readCount()), StandardCharsets.UTF_8);
    }
  }

  private static final class Encoder {
    private ByteBuffer b = ByteBuffer.allocate(16 * 1024);

    private void room(int n) {
      if (b.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n));
        bigger.put(b.flip());
        b = bigger;
      }
    }

    void put(byte v) {
      room(1);
      b.put(v);
    }

    void putInt(int v) {
      room(4);
      b.putInt(v);
    }

    void putString(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      putInt(bytes.length);
      room(bytes.length);
      b.put(bytes);
    }

    ByteBuffer done() {
      return b.flip();
    }
  }
}
