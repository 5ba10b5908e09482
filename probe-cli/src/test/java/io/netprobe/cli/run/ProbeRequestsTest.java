package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An ssh check's login, its password read at the last moment from where the run says. */
class ProbeRequestsTest {
  private static final String MATRIX =
      """
      name: logins
      nodes:
        pc: { kind: local }
        vm:
          kind: address
          addresses: { lan: 10.1.5.91 }
          login: { user: lab, password-env: VM_PASSWORD }
      checks:
        - { from: pc, to: vm, probe: ssh, expect: pass }
      """;

  @Test
  void aGradedStudentsPasswordComesFromTheirFileNotTheProcesssEnvironment() throws Exception {
    Matrix m = MatrixLoader.load(MATRIX, "logins.yaml");
    Map<String, String> student = Map.of("VM_PASSWORD", "alice-s3cret");

    var request = ProbeRequests.of(m, m.checks().get(0), "np0", student::get);

    assertThat(request.options().ssh().user()).isEqualTo("lab");
    assertThat(request.options().ssh().password()).isEqualTo("alice-s3cret");
  }

  @Test
  void aPasswordVariableSetNowhereIsNamedWithoutAValue() throws Exception {
    Matrix m = MatrixLoader.load(MATRIX, "logins.yaml");

    assertThatThrownBy(() -> ProbeRequests.of(m, m.checks().get(0), "np0", name -> null))
        .hasMessageContaining("password-env VM_PASSWORD is not set")
        .hasMessageContaining("student's file");
  }
}
