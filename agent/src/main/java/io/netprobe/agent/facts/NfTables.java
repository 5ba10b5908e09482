package io.netprobe.agent.facts;

import java.util.OptionalInt;

/**
 * How many nf_tables tables of one family the calling thread's namespace holds, asked of the kernel
 * over nfnetlink: the tables iptables-nft makes (filter, nat...) are family ip or ip6. None means
 * iptables-nft-save would print nothing, and a snapshot need not start it (a process per namespace
 * and family: most of a class's hosts and containers have no rules at all).
 */
public final class NfTables {
  private static final int NFNL_SUBSYS_NFTABLES = 10;
  private static final int NFT_MSG_NEWTABLE = 0;
  private static final int NFT_MSG_GETTABLE = 1;

  /** The nfproto of IPv4 and IPv6 (AF_INET, AF_INET6). */
  public static final int IPV4 = 2;

  public static final int IPV6 = 10;

  private NfTables() {}

  /** The count; empty when the kernel would not say (no nf_tables, no CAP_NET_ADMIN). */
  public static OptionalInt count(int family) {
    try {
      return ask(family);
    } catch (LinkageError e) {
      return OptionalInt.empty(); // no native libc for JNA here: iptables-save will say
    }
  }

  private static OptionalInt ask(int family) {
    try (Netlink nl = Netlink.open(Netlink.NETLINK_NETFILTER).orElse(null)) {
      if (nl == null) {
        return OptionalInt.empty();
      }
      int[] tables = {0};
      boolean done =
          nl.dump(
              Netlink.nfRequest((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE, family),
              (type, b, payload, end) -> {
                if (type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE)) {
                  tables[0]++;
                }
              });
      return done ? OptionalInt.of(tables[0]) : OptionalInt.empty();
    }
  }
}
