package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.DemoLab;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code netprobe check} against the demo lab, read as the student reads it: one block per probe,
 * in the user's words, with no grid, score or expectation, and its exit codes.
 */
class CheckIT {
  private StringWriter out;
  private StringWriter err;

  @BeforeAll
  static void labUp() {
    new DemoLab(new PrintWriter(System.err, true)).up();
  }

  private int check(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    all[0] = "check";
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--no-progress";
    return cli.execute(all);
  }

  @Test
  void severalProbesToTargetPortAreOneAnswerEachInTheUsersWords() {
    int code = check("netns:np-pc", "192.168.37.96:50000", "tcp", "http", "icmp");
    String said = out.toString();
    assertThat(code).as(said + err).isZero();
    assertThat(said)
        .contains("netns:np-pc -> 192.168.37.96:50000 tcp:50000: reached")
        .contains("netns:np-pc -> 192.168.37.96:50000 http:50000: reached")
        .contains("answered GET / with 200 OK")
        .contains("netns:np-pc -> 192.168.37.96:50000 icmp: reached")
        .doesNotContain("Score", "expected", "points", "from \\ to", "probed", "target.");
    // the handshake's time, not the probe's: it then held the connection for its settle window
    // (250 ms at the default timeout of 1 s), which the headline once counted in
    java.util.regex.Matcher handshake =
        java.util.regex.Pattern.compile(
                "completed the TCP handshake \\(([0-9.]+) ms(?: by the probe's clock)?\\)")
            .matcher(said);
    assertThat(handshake.find()).as(said).isTrue();
    assertThat(Double.parseDouble(handshake.group(1))).isLessThan(250.0);
  }

  @Test
  void aCellThatDoesNotReachSaysWhyWithItsEvidenceAndHintOnceAndExitsOne() {
    int code = check("netns:np-pc", "10.0.2.15", "icmp", "--at", "netns:np-vm-nat");
    String said = out.toString();
    assertThat(code).isEqualTo(1);
    assertThat(said)
        .startsWith("netns:np-pc -> 10.0.2.15 (at netns:np-vm-nat) icmp: did not reach")
        .contains("| np-pc probe:", "np-vm-nat saw nothing arrive")
        .doesNotContain("probed", "expected");
    assertThat(said.split("hint: ", -1)).as("the hint, once").hasSize(2);
  }

  @Test
  void ipv6TargetsBareAndBracketedOnTheDualStackCampus() {
    int code = check("netns:np-pc", "fd00:10::6d", "icmp");
    assertThat(code).as(out.toString() + err).isZero();
    assertThat(out.toString())
        .contains("netns:np-pc -> fd00:10::6d icmp v6: reached")
        .contains("echo reply 1 from fd00:10::6d");
    out.getBuffer().setLength(0);
    int dropped = check("netns:np-pc2", "[fd00:1::5b]:22", "tcp", "--at", "netns:np-vm-br");
    String said = out.toString();
    assertThat(dropped).as(said + err).isEqualTo(1);
    assertThat(said)
        .contains("[fd00:1::5b]:22 (at netns:np-vm-br) tcp:22 v6: did not reach")
        .contains("ip6tables INPUT rule 1 `-p tcp --dport 22 -j DROP`");
  }

  @Test
  void sshWithoutCredentialsChecksTheTransportAndSaysNoLoginWasAttempted() {
    int code = check("netns:np-pc", "10.1.5.91", "ssh");
    String said = out.toString();
    assertThat(code).as(said + err).isZero();
    assertThat(said)
        .contains("answered as an SSH server (SSH-2.0-OpenSSH")
        .contains("host key ssh-ed25519 SHA256:")
        .contains("no login attempted")
        .doesNotContain("args.password", "keyFile");
  }

  @Test
  void usageErrorsExitTwoWithAMessage() {
    assertThat(check("netns:np-pc", "10.1.5.91")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'PROBE'", "Usage:");
    assertThat(check("netns:np-pc", "10.1.5.91:22", "tcp", "tcp:80")).isEqualTo(2);
    assertThat(err.toString()).contains("give the port once");
  }
}
