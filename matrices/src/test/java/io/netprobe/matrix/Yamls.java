package io.netprobe.matrix;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

/** Small matrices for tests, and a way to see what the loader says about them. */
final class Yamls {
  static final String FILE = "labs/t.yaml";

  /** A valid matrix; tests change one line of it. Line numbers are stable: see each comment. */
  static final String BASE =
      """
      name: test lab
      defaults: { timeout: 1s, points: 1 }
      nodes:
        pc: { kind: local }
        vm:
          kind: ssh
          ssh: { host: 127.0.0.1, port: 2222, user: lab, password-env: LAB_PASSWORD }
          addresses:
            nat: { ip: 10.0.2.15, path: nat }
            forward: { ip: 127.0.0.1, port-map: { 22: 1234 }, path: port-forward, from: [pc] }
        ct1: { kind: docker, container: web, addresses: { docker0: 172.17.0.2 } }
        internet: { kind: address, addresses: { public: { ip: 203.0.113.10, path: routed } } }
      checks:
        - { from: vm, to: internet, probe: icmp, expect: pass }
        - { from: pc, to: vm.nat, probe: icmp, expect: fail }
        - { from: pc, to: vm.forward, probe: ssh, expect: pass, points: 2 }
      """;

  private Yamls() {}

  static Matrix load(String yaml) throws MatrixException {
    return MatrixLoader.load(yaml, FILE, Map.of());
  }

  /** BASE with line {@code line} (1-based) replaced. */
  static String baseWithLine(int line, String replacement) {
    List<String> lines = new java.util.ArrayList<>(BASE.lines().toList());
    lines.set(line - 1, replacement);
    return String.join("\n", lines) + "\n";
  }

  /** The problems the loader reports, as file:line:column: message. */
  static List<String> problems(String yaml) {
    List<String> out = new java.util.ArrayList<>();
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOfSatisfying(
            MatrixException.class, e -> e.problems().forEach(p -> out.add(p.toString())));
    return out;
  }
}
