package io.netprobe.agent.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The iptables-save -c outputs in src/test/resources/io/netprobe/agent/rules. */
final class Samples {
  private Samples() {}

  /** Real: the build machine's root namespace, Docker's chains (nf_tables backend). */
  static final String DOCKER = "docker-nft.txt";

  /** Real: a fresh namespace with rules of many kinds, all counters 0. */
  static final String NAMESPACE = "ns-nft.txt";

  /** Handwritten in the legacy format: policies with counters, fail2ban's chain. */
  static final String LEGACY = "legacy.txt";

  static String text(String name) {
    try (InputStream in = Samples.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static RuleSet parse(String name) {
    String text = text(name);
    return IptablesSave.parse(text, IptablesSave.backendOf(text));
  }
}
