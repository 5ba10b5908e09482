package io.netprobe.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.icmp.IcmpError;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class SocketFailuresTest {
  private static final InetSocketAddress REMOTE = new InetSocketAddress("10.0.2.15", 22);

  private static ProbeStatus status(Throwable t) {
    return SocketFailures.classify(t, REMOTE, 1000).status();
  }

  @Test
  void errnoTextsMapToDistinctStatuses() {
    assertThat(status(new ConnectException("Connection refused"))).isEqualTo(ProbeStatus.REFUSED);
    assertThat(status(new SocketException("Network is unreachable")))
        .isEqualTo(ProbeStatus.NET_UNREACHABLE);
    assertThat(status(new NoRouteToHostException("No route to host")))
        .isEqualTo(ProbeStatus.HOST_UNREACHABLE);
    assertThat(status(new SocketException("Permission denied")))
        .isEqualTo(ProbeStatus.ADMIN_PROHIBITED);
    assertThat(status(new SocketException("Operation not permitted")))
        .isEqualTo(ProbeStatus.ADMIN_PROHIBITED);
    assertThat(status(new SocketException("Invalid argument"))).isEqualTo(ProbeStatus.NO_ROUTE);
    assertThat(status(new PortUnreachableException())).isEqualTo(ProbeStatus.PORT_UNREACHABLE);
    assertThat(status(new UnknownHostException("x"))).isEqualTo(ProbeStatus.NAME_UNRESOLVED);
    assertThat(status(new SocketException("something odd"))).isEqualTo(ProbeStatus.ERROR);
  }

  @Test
  void noBufferSpaceIsTheSendersOwnKernelNotTheNetwork() {
    SocketFailures.Failure failure =
        SocketFailures.classify(
            new CompletionException(new SocketException("No buffer space available")),
            REMOTE,
            1000);
    assertThat(failure.status()).isEqualTo(ProbeStatus.ERROR);
    assertThat(failure.message())
        .contains("ENOBUFS", "neighbour (ARP) table", "gc_thresh3", "10.0.2.15:22");
  }

  @Test
  void timeoutKeepsAddressAndTimeoutInTheMessage() {
    SocketFailures.Failure failure =
        SocketFailures.classify(new SocketTimeoutException("connect timed out"), REMOTE, 1000);
    assertThat(failure.status()).isEqualTo(ProbeStatus.TIMEOUT);
    assertThat(failure.message()).contains("1000 ms", "10.0.2.15:22");
  }

  @Test
  void nettyConnectTimeoutIsATimeout() {
    assertThat(status(new io.netty.channel.ConnectTimeoutException("connection timed out")))
        .isEqualTo(ProbeStatus.TIMEOUT);
  }

  @Test
  void wrappedFailuresAreUnwrapped() {
    assertThat(status(new CompletionException(new ConnectException("Connection refused"))))
        .isEqualTo(ProbeStatus.REFUSED);
  }

  @Test
  void icmpCodesMapToStatuses() {
    assertThat(ProbeStatus.of(IcmpError.of(3, 13, "10.0.0.1")))
        .isEqualTo(ProbeStatus.ADMIN_PROHIBITED);
    assertThat(ProbeStatus.of(IcmpError.of(3, 3, "10.0.0.1")))
        .isEqualTo(ProbeStatus.PORT_UNREACHABLE);
    assertThat(ProbeStatus.of(IcmpError.of(3, 0, "10.0.0.1")))
        .isEqualTo(ProbeStatus.NET_UNREACHABLE);
    assertThat(ProbeStatus.of(IcmpError.of(3, 1, "10.0.0.1")))
        .isEqualTo(ProbeStatus.HOST_UNREACHABLE);
    assertThat(ProbeStatus.of(IcmpError.of(11, 0, "10.0.0.1"))).isEqualTo(ProbeStatus.ICMP_ERROR);
  }

  @Test
  void javasRenderingOfTheAddressIsLeftOutOfTheDetail() {
    var remote = new java.net.InetSocketAddress("fd00:10::6d", 50000);
    SocketFailures.Failure timeout =
        SocketFailures.classify(
            new io.netty.channel.ConnectTimeoutException(
                "connection timed out after 2000 ms: /[fd00:10:0:0:0:0:0:6d]:50000"),
            remote,
            2000);
    assertThat(timeout.message()).isEqualTo("no answer within 2000 ms: [fd00:10::6d]:50000");
    SocketFailures.Failure refused =
        SocketFailures.classify(
            new java.net.ConnectException("Connection refused: /10.0.0.109:50000"),
            new java.net.InetSocketAddress("10.0.0.109", 50000),
            1000);
    assertThat(refused.message())
        .isEqualTo("connection refused (RST): 10.0.0.109:50000 [Connection refused]");
  }
}
