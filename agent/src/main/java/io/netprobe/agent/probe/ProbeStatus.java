package io.netprobe.agent.probe;

import io.netprobe.agent.icmp.IcmpError;

/**
 * What happened to a probe's packets, as seen from the agent that sent them.
 *
 * <table>
 *   <caption>When each status is given</caption>
 *   <tr><td>REPLY</td><td>ICMP echo reply or UDP reply received</td></tr>
 *   <tr><td>CONNECTED</td><td>TCP handshake completed (SSH: logged in)</td></tr>
 *   <tr><td>REFUSED</td><td>TCP RST: nothing listens on the port</td></tr>
 *   <tr><td>CLOSED</td><td>TCP handshake completed, then the far end closed (FIN or RST) at once,
 *       before sending a byte: a relay (proxy, port forward) whose own backend refused</td></tr>
 *   <tr><td>TIMEOUT</td><td>no answer at all within the timeout</td></tr>
 *   <tr><td>NO_ROUTE</td><td>the sending kernel has no route (or a reject route)</td></tr>
 *   <tr><td>NET_UNREACHABLE</td><td>ICMP network unreachable from a router</td></tr>
 *   <tr><td>HOST_UNREACHABLE</td><td>ICMP host unreachable or no ARP answer</td></tr>
 *   <tr><td>ADMIN_PROHIBITED</td><td>ICMP administratively prohibited (a REJECT rule)</td></tr>
 *   <tr><td>PORT_UNREACHABLE</td><td>ICMP port unreachable: UDP port closed</td></tr>
 *   <tr><td>ICMP_ERROR</td><td>another ICMP error (time exceeded, ...)</td></tr>
 *   <tr><td>NOT_SSH, KEX_FAILED, HOSTKEY_MISMATCH, AUTH_FAILED</td><td>SSH steps</td></tr>
 *   <tr><td>TLS_FAILED, NOT_HTTP, HTTP_STATUS, BODY_MISMATCH</td><td>HTTP steps: the TLS
 *       handshake failed; what answered is not HTTP; the status is not the one expected; the body
 *       does not hold the expected text (an HTTP probe that passes is REPLY)</td></tr>
 *   <tr><td>NAME_UNRESOLVED</td><td>the host name did not resolve</td></tr>
 *   <tr><td>ERROR</td><td>the probe could not be run (bad local state, no permission)</td></tr>
 * </table>
 */
public enum ProbeStatus {
  REPLY(true, "reply received"),
  CONNECTED(true, "connected"),
  REFUSED(false, "refused (RST)"),
  CLOSED(false, "accepted, then closed at once"),
  TIMEOUT(false, "no answer"),
  NO_ROUTE(false, "no route on the sender"),
  NET_UNREACHABLE(false, "network unreachable"),
  HOST_UNREACHABLE(false, "host unreachable"),
  ADMIN_PROHIBITED(false, "administratively prohibited"),
  PORT_UNREACHABLE(false, "port unreachable"),
  ICMP_ERROR(false, "ICMP error"),
  NOT_SSH(false, "not an SSH server"),
  KEX_FAILED(false, "SSH key exchange failed"),
  HOSTKEY_MISMATCH(false, "SSH host key mismatch"),
  AUTH_FAILED(false, "SSH authentication failed"),
  TLS_FAILED(false, "TLS handshake failed"),
  NOT_HTTP(false, "not an HTTP server"),
  HTTP_STATUS(false, "unexpected HTTP status"),
  BODY_MISMATCH(false, "HTTP body without the expected text"),
  NAME_UNRESOLVED(false, "name did not resolve"),
  ERROR(false, "probe could not run");

  private final boolean reached;
  private final String phrase;

  ProbeStatus(boolean reached, String phrase) {
    this.reached = reached;
    this.phrase = phrase;
  }

  /** True when the target answered the probe the way a working path answers. */
  public boolean isReached() {
    return reached;
  }

  /** Plain words for evidence lines. */
  public String phrase() {
    return phrase;
  }

  /** The status a probe gets when {@code error} answers it. */
  public static ProbeStatus of(IcmpError error) {
    return error.type() == 3 ? ofUnreachableCode(error.code()) : ICMP_ERROR;
  }

  /** Maps an ICMP destination-unreachable code (RFC 792, RFC 1812) to a status. */
  public static ProbeStatus ofUnreachableCode(int code) {
    return switch (code) {
      case 0, 6, 11 -> NET_UNREACHABLE;
      case 1, 7, 12 -> HOST_UNREACHABLE;
      case 3 -> PORT_UNREACHABLE;
      case 9, 10, 13 -> ADMIN_PROHIBITED;
      default -> ICMP_ERROR;
    };
  }
}
