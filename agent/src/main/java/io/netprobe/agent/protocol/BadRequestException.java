package io.netprobe.agent.protocol;

/** A request the agent cannot run; the reply names the code and, where known, the field. */
public final class BadRequestException extends RuntimeException {
  private final String code;
  private final String field;

  public BadRequestException(String code, String field, String message) {
    super(message);
    this.code = code;
    this.field = field;
  }

  public static BadRequestException field(String field, String message) {
    return new BadRequestException("BAD_REQUEST", field, message);
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
