package io.netprobe.cli.connect.session;

/**
 * An agent could not be reached or did not answer: {@code code} classifies it (EOF, TIMEOUT,
 * AUTH_FAILED, HOSTKEY_UNKNOWN, HOSTKEY_CHANGED, NO_JAVA, NOT_RUNNING, ...), the message says what
 * was tried and what to do. Never carries a secret.
 */
public final class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public AgentException(String code, String message) {
    super(message);
    this.code = code;
  }

  public AgentException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
