package io.netprobe.cli.connect.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An in-memory byte pipe whose ends any threads may use (java.io's piped streams fail with "write
 * end dead" once the last writing thread has ended, which pool threads do).
 */
public final class Pipe {
  private static final byte[] EOF = new byte[0];
  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  private final OutputStream out =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (closed) {
            throw new IOException("pipe closed");
          }
          if (len > 0) {
            chunks.add(Arrays.copyOfRange(b, off, off + len));
          }
        }

        @Override
        public void close() {
          end();
        }
      };

  private final InputStream in =
      new InputStream() {
        private byte[] current;
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (len == 0) {
            return 0;
          }
          while (current == null || pos == current.length) {
            if (ended) {
              return -1;
            }
            try {
              current = chunks.take();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException("pipe read interrupted");
            }
            pos = 0;
            if (current == EOF) {
              ended = true;
              current = null;
              return -1;
            }
          }
          int n = Math.min(len, current.length - pos);
          System.arraycopy(current, pos, b, off, n);
          pos += n;
          return n;
        }

        @Override
        public void close() {
          end();
        }
      };

  /** Ends the pipe: the reader sees EOF once it has read what was written. */
  public void end() {
    if (!closed) {
      closed = true;
      chunks.add(EOF);
    }
  }

  public InputStream in() {
    return in;
  }

  public OutputStream out() {
    return out;
  }
}
