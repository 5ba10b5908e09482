package io.netprobe.agent.protocol;

import java.util.concurrent.CompletableFuture;

/** One protocol operation: reads its args, returns its result (a record or a map) later. */
@FunctionalInterface
public interface Operation {
  CompletableFuture<?> run(Args args) throws Exception;

  /** An operation that answers at once. */
  static Operation now(SyncOperation op) {
    return args -> CompletableFuture.completedFuture(op.run(args));
  }

  /** The synchronous form of an operation. */
  @FunctionalInterface
  interface SyncOperation {
    Object run(Args args) throws Exception;
  }
}
