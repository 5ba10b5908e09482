package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import org.junit.jupiter.api.Test;

/** What `netprobe check FROM TARGET PROBE` turns into: the one check of a matrix. */
class AdHocMatrixTest {
  private static final AdHocMatrix.Login NO_LOGIN =
      new AdHocMatrix.Login(null, null, null, null, null);

  private static Check only(Matrix m) {
    assertThat(m.checks()).hasSize(1);
    return m.checks().get(0);
  }

  @Test
  void ipTargetIsALiteral() throws Exception {
    Check c =
        only(AdHocMatrix.of("netns:np-pc", "203.0.113.10:80", "tcp:80", null, NO_LOGIN, "1s"));
    assertThat(c.to().isLiteral()).isTrue();
    assertThat(c.to().ip()).isEqualTo("203.0.113.10");
  }

  @Test
  void hostNameTargetIsResolvedByTheSource() throws Exception {
    Check c =
        only(AdHocMatrix.of("netns:np-vm-nat", "www.example.net", "icmp", null, NO_LOGIN, "1s"));
    assertThat(c.to().ip()).isEqualTo("www.example.net");
    assertThat(c.to().address().orElseThrow().isHostName()).isTrue();
  }

  @Test
  void hostNameWithAPortSendsEveryProbeThere() throws Exception {
    Check c = only(AdHocMatrix.of("local", "web.lab.test:8080", "tcp:80", null, NO_LOGIN, "1s"));
    assertThat(c.to().ip()).isEqualTo("web.lab.test");
    assertThat(c.to().wirePort(80)).isEqualTo(8080);
  }

  @Test
  void targetOwnedByANodeIsWatchedThere() throws Exception {
    Check c =
        only(
            AdHocMatrix.of("netns:np-pc", "10.1.5.91", "tcp:22", "netns:np-vm-br", NO_LOGIN, "1s"));
    assertThat(c.to().node()).contains("np-vm-br");
    assertThat(c.to().ip()).isEqualTo("10.1.5.91");
  }

  @Test
  void aBareTcpTakesTheTargetsPort() throws Exception {
    Check c =
        only(AdHocMatrix.of("netns:np-pc", "192.168.37.163:50000", "tcp", null, NO_LOGIN, "1s"));
    assertThat(c.probe().label()).isEqualTo("tcp:50000");
    assertThat(c.to().ip()).isEqualTo("192.168.37.163");
    assertThat(c.wireProbe().port()).isEqualTo(50000);
    Check http =
        only(AdHocMatrix.of("netns:np-pc", "192.168.37.96:50000", "http", null, NO_LOGIN, "1s"));
    assertThat(http.probe().label()).isEqualTo("http:50000");
  }

  @Test
  void severalProbesAreSeveralChecksOfOneRun() throws Exception {
    Matrix m =
        AdHocMatrix.of(
            "netns:np-pc",
            "10.1.5.91:22",
            java.util.List.of("icmp", "tcp", "ssh"),
            null,
            NO_LOGIN,
            "1s");
    assertThat(m.checks())
        .extracting(Check::id)
        .containsExactly("np-pc->10.1.5.91 icmp", "np-pc->10.1.5.91 tcp:22", "np-pc->10.1.5.91 ssh")
        .doesNotHaveDuplicates();
  }

  @Test
  void aPortGivenTwiceIsAUsageError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                AdHocMatrix.of(
                    "netns:np-pc",
                    "10.1.5.91:22",
                    java.util.List.of("tcp", "tcp:80"),
                    null,
                    NO_LOGIN,
                    "1s"))
        .isInstanceOf(io.netprobe.cli.error.UserException.class)
        .hasMessageContaining("give the port once");
  }

  @Test
  void namesAreTheUsersNotInternals() throws Exception {
    Check at =
        only(AdHocMatrix.of("netns:np-pc", "10.0.2.15", "icmp", "netns:np-vm-nat", NO_LOGIN, "1s"));
    assertThat(at.id()).isEqualTo("np-pc->np-vm-nat icmp").doesNotContain("probed", "target");
    Check named =
        only(AdHocMatrix.of("netns:np-vm-nat", "www.example.net", "icmp", null, NO_LOGIN, "1s"));
    assertThat(named.id()).doesNotContain("probed", "target");
  }
}
