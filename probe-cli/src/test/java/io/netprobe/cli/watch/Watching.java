package io.netprobe.cli.watch;

/** A watch run on a thread of its own while a test breaks the lab, and stopped after. */
final class Watching implements AutoCloseable {
  private final Thread loop;

  Watching(Watcher watcher) {
    loop =
        new Thread(
            () -> {
              try {
                watcher.run();
              } catch (InterruptedException e) {
                // the end of the watch
              }
            },
            "np-watch-test");
    loop.start();
  }

  @Override
  public void close() throws InterruptedException {
    loop.interrupt();
    loop.join(10_000);
  }
}
