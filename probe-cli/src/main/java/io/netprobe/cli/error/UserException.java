package io.netprobe.cli.error;

import io.netprobe.report.model.ExitCode;

/**
 * A failure the user can act on: its message says what failed, what was tried and what to do next,
 * and the CLI prints it without a stack trace.
 */
public class UserException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ExitCode exitCode;

  public UserException(String message, ExitCode exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public UserException(String message, ExitCode exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The process's exit status. */
  public int exitCode() {
    return exitCode.code();
  }
}
