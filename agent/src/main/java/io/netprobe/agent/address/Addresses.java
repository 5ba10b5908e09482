package io.netprobe.agent.address;

import io.netty.util.NetUtil;
import java.net.InetAddress;

/**
 * Addresses as the agent writes them everywhere (results, evidence, facts, captures), so that the
 * coordinator can compare them as text: IPv4 dotted, IPv6 compressed ({@code fd00:6::2}, never
 * {@code fd00:6:0:0:0:0:0:2}), and with a port in brackets ({@code [fd00:6::2]:22}).
 */
public final class Addresses {
  private Addresses() {}

  public static String text(InetAddress address) {
    return address == null ? null : NetUtil.toAddressString(address);
  }

  /** {@code 10.0.2.15:22}, {@code [fd00:6::2]:22}. */
  public static String withPort(String address, int port) {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }
}
