package io.netprobe.cli.connect.ssh;

/** Keeps secrets out of messages: whatever text we did not write ourselves passes through here. */
final class Secrets {
  private Secrets() {}

  static String scrub(String text, String secret) {
    if (text == null || secret == null || secret.isEmpty()) {
      return text;
    }
    return text.replace(secret, "***");
  }
}
