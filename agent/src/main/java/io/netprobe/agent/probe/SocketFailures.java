package io.netprobe.agent.probe;

import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

/**
 * The one place where a socket failure becomes a {@link ProbeStatus}. JDK NIO (and Netty's NIO
 * transport on top of it) keeps the kernel's errno text in the message, so ENETUNREACH ("Network is
 * unreachable") and EHOSTUNREACH ("No route to host") stay apart; Netty's epoll transport would
 * not, which is why the agent uses NIO.
 */
public final class SocketFailures {
  private SocketFailures() {}

  /** A classified failure: the status and a message naming what failed, where and after what. */
  public record Failure(ProbeStatus status, String message) {}

  /**
   * A socket address as Java writes it into an exception's message ({@code /10.0.0.5:80}, {@code
   * host/[fd00:10:0:0:0:0:0:6d]:50000}): the failure names the address itself, compressed.
   */
  private static final java.util.regex.Pattern JAVA_ADDRESS =
      java.util.regex.Pattern.compile(":?\\s*[\\w.-]*/(\\[[0-9a-fA-F:.%\\w]+]|[0-9.]+):\\d+");

  public static Failure classify(Throwable error, SocketAddress remote, int timeoutMs) {
    Throwable cause = unwrap(error);
    ProbeStatus status = statusOf(cause);
    String what =
        switch (status) {
          case TIMEOUT -> "no answer within " + timeoutMs + " ms";
          case REFUSED -> "connection refused (RST)";
          case CLOSED ->
              "the far end closed the connection (RST) right after the handshake, before"
                  + " sending a byte";
          case NET_UNREACHABLE -> "network unreachable";
          case HOST_UNREACHABLE -> "no route to host (host unreachable)";
          case ADMIN_PROHIBITED -> "administratively prohibited";
          case PORT_UNREACHABLE -> "port unreachable (ICMP)";
          case NO_ROUTE -> "no usable route";
          case NAME_UNRESOLVED -> "name did not resolve";
          default ->
              noBufferSpace(cause)
                  ? NO_BUFFER_SPACE
                  : "socket error: " + cause.getClass().getSimpleName();
        };
    String message =
        cause.getMessage() == null
            ? ""
            : JAVA_ADDRESS.matcher(cause.getMessage()).replaceAll("").strip();
    boolean repeats = status == ProbeStatus.TIMEOUT && message.startsWith("connection timed out");
    String detail = message.isEmpty() || repeats ? "" : " [" + message + "]";
    return new Failure(status, what + ": " + describe(remote) + detail);
  }

  /**
   * ENOBUFS on a send: the sender's own kernel had no room for it. On Linux that is nearly always
   * its neighbour (ARP) table, full: one table for every namespace of the machine, bounded by
   * {@code net.ipv4.neigh.default.gc_thresh3} (1,024 by default), which a big lab of namespaces
   * overflows. The cell says nothing about the network.
   */
  public static final String NO_BUFFER_SPACE =
      "the sending kernel refused the packet (ENOBUFS, no buffer space): usually its neighbour"
          + " (ARP) table is full, one table for every namespace of the machine"
          + " (net.ipv4.neigh.default.gc_thresh3); nothing was learnt about the network";

  /**
   * Whether a text (a probe's evidence line, a verdict's reason) carries {@link #NO_BUFFER_SPACE}:
   * the one test of it, for the explainer, the run and its findings.
   */
  public static boolean saysNoBufferSpace(String text) {
    return text != null && text.contains("ENOBUFS");
  }

  /** Whether a failure is ENOBUFS (see {@link #NO_BUFFER_SPACE}). */
  public static boolean noBufferSpace(Throwable error) {
    return String.valueOf(unwrap(error).getMessage())
        .toLowerCase(Locale.ROOT)
        .contains("no buffer space available");
  }

  /** The status for a failure, from its type and the kernel's errno text. */
  public static ProbeStatus statusOf(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof SocketTimeoutException
        || cause.getClass().getSimpleName().equals("ConnectTimeoutException")) {
      return ProbeStatus.TIMEOUT;
    }
    if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
      return ProbeStatus.NAME_UNRESOLVED;
    }
    if (cause instanceof PortUnreachableException) {
      return ProbeStatus.PORT_UNREACHABLE;
    }
    String text = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    if (text.contains("connection refused")) {
      return ProbeStatus.REFUSED;
    }
    if (text.contains("network is unreachable")) {
      return ProbeStatus.NET_UNREACHABLE;
    }
    if (text.contains("no route to host") || cause instanceof NoRouteToHostException) {
      return ProbeStatus.HOST_UNREACHABLE;
    }
    if (text.contains("permission denied") || text.contains("operation not permitted")) {
      return ProbeStatus.ADMIN_PROHIBITED;
    }
    if (text.contains("timed out")) {
      return ProbeStatus.TIMEOUT;
    }
    if (text.contains("invalid argument") && !(cause instanceof BindException)) {
      return ProbeStatus.NO_ROUTE; // a blackhole route
    }
    if (text.contains("connection reset")) {
      // a reset answering the SYN is "refused"; a reset is one that came after the handshake
      return ProbeStatus.CLOSED;
    }
    return ProbeStatus.ERROR;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(SocketAddress remote) {
    if (remote instanceof java.net.InetSocketAddress isa && isa.getAddress() != null) {
      return io.netprobe.agent.address.Addresses.withPort(
          io.netprobe.agent.address.Addresses.text(isa.getAddress()), isa.getPort());
    }
    return String.valueOf(remote);
  }
}
