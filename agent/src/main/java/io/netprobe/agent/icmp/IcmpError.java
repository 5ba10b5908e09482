package io.netprobe.agent.icmp;

/**
 * An ICMP error that came back for a probe: its type, code and who sent it. After NAT the sender
 * may be a translated address, so say "at or in front of" rather than "by".
 */
public record IcmpError(int type, int code, String from, String description) {
  public IcmpError {
    if (type < 0 || type > 255 || code < 0 || code > 255) {
      throw new IllegalArgumentException(
          "icmp type/code out of range 0..255: " + type + "/" + code);
    }
  }

  /**
   * The ICMP (v4) type and code that mean what an ICMPv6 error means: no route (1/0) and a reject
   * route (1/6) are a network unreachable, an address unreachable (1/3: nobody answered neighbour
   * discovery) a host unreachable, admin-prohibited and a failed policy (1/1, 1/5) administratively
   * prohibited, a port unreachable (1/4) the same, packet too big (2) fragmentation needed, time
   * exceeded (3) and parameter problem (4) their ICMP twins.
   */
  public static int[] asIcmp4(int type, int code) {
    return switch (type) {
      case 1 ->
          switch (code) {
            case 1, 5 -> new int[] {3, 13};
            case 3 -> new int[] {3, 1};
            case 4 -> new int[] {3, 3};
            default -> new int[] {3, 0};
          };
      case 2 -> new int[] {3, 4};
      case 3 -> new int[] {11, code};
      case 4 -> new int[] {12, 0};
      default -> new int[] {type, code};
    };
  }

  public static IcmpError of(int type, int code, String from) {
    return new IcmpError(type, code, from, describe(type, code));
  }

  public static String describe(int type, int code) {
    if (type == 3) {
      return switch (code) {
        case 0 -> "network unreachable";
        case 1 -> "host unreachable";
        case 2 -> "protocol unreachable";
        case 3 -> "port unreachable";
        case 4 -> "fragmentation needed";
        case 9, 10 -> "administratively prohibited (network/host)";
        case 13 -> "communication administratively prohibited";
        default -> "destination unreachable, code " + code;
      };
    }
    return switch (type) {
      case 11 -> code == 0 ? "TTL exceeded in transit" : "fragment reassembly time exceeded";
      case 12 -> "parameter problem";
      case 5 -> "redirect";
      case 4 -> "source quench";
      default -> "ICMP type " + type + " code " + code;
    };
  }
}
