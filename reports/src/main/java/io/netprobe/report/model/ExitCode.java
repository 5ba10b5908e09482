package io.netprobe.report.model;

/**
 * How netprobe ends, the same for every command (README.md, "Exit codes"; each command's {@code
 * --help} lists those it gives). A run's is {@link RunResult#exitCode()}.
 *
 * <table>
 *   <caption>when each is given</caption>
 *   <tr><th>code</th><th>given when</th></tr>
 *   <tr><td>0 OK</td><td>every check as expected (check: reached); a command did its job</td></tr>
 *   <tr><td>1 UNEXPECTED</td><td>some check unexpected (check: not reached)</td></tr>
 *   <tr><td>2 USAGE</td><td>bad invocation or matrix: nothing ran</td></tr>
 *   <tr><td>3 ERROR</td><td>some checks could not be run, none unexpected; or the command failed</td></tr>
 *   <tr><td>130 INTERRUPTED</td><td>interrupted</td></tr>
 * </table>
 */
public enum ExitCode {
  OK(0),
  UNEXPECTED(1),
  USAGE(2),
  ERROR(3),
  INTERRUPTED(130);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The process's exit status. */
  public int code() {
    return code;
  }
}
