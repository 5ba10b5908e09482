package io.netprobe.agent.facts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nf_tables rules of one family (ip, ip6) in the calling thread's namespace, read over
 * nfnetlink without a process: per table and chain the policy's counters and each rule's, in order,
 * and a fingerprint of everything else (tables, chains, hooks, policies, every rule's expressions
 * but its counters). iptables-nft keeps each iptables rule as one nf_tables rule of the chain of
 * the same name, with one counter: with the rules that iptables-save printed for the same
 * fingerprint, these counters are what {@code iptables-save -c} would print now.
 */
public final class NftRules {
  private static final int SUBSYS = 10 << 8; // NFNL_SUBSYS_NFTABLES
  private static final int NEWTABLE = SUBSYS;
  private static final int GETTABLE = SUBSYS | 1;
  private static final int NEWCHAIN = SUBSYS | 3;
  private static final int GETCHAIN = SUBSYS | 4;
  private static final int NEWRULE = SUBSYS | 6;
  private static final int GETRULE = SUBSYS | 7;
  private static final int CHAIN_TABLE = 1;
  private static final int CHAIN_NAME = 3;
  private static final int CHAIN_COUNTERS = 8;
  private static final int RULE_TABLE = 1;
  private static final int RULE_CHAIN = 2;
  private static final int RULE_EXPRESSIONS = 4;
  private static final int LIST_ELEM = 1;
  private static final int EXPR_NAME = 1;
  private static final int EXPR_DATA = 2;
  private static final int COUNTER_BYTES = 1;
  private static final int COUNTER_PACKETS = 2;

  /** A counter: packets and bytes. */
  public record Counter(long packets, long bytes) {}

  /**
   * One chain: its policy's counter (null for a chain without, one no hook calls) and each rule's
   * first counter in order (null for a rule without one).
   */
  public record ChainCounters(Counter policy, List<Counter> rules) {}

  /**
   * The family's rules now.
   *
   * @param fingerprint SHA-256 of everything the kernel said of them but the counters
   * @param chains by table, then chain name
   */
  public record State(String fingerprint, Map<String, Map<String, ChainCounters>> chains) {
    /** The chain's counters; null when the table or the chain is not here. */
    public ChainCounters chain(String table, String chain) {
      Map<String, ChainCounters> t = chains.get(table);
      return t == null ? null : t.get(chain);
    }
  }

  private NftRules() {}

  /** The rules of {@code family} (nfproto: 2 ip, 10 ip6); empty when the kernel would not say. */
  public static Optional<State> read(int family) {
    try {
      return ask(family);
    } catch (LinkageError e) {
      return Optional.empty(); // no native libc for JNA here
    }
  }

  private static Optional<State> ask(int family) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      return Optional.empty();
    }
    Map<String, Map<String, Building>> chains = new LinkedHashMap<>();
    try (Netlink nl = Netlink.open(Netlink.NETLINK_NETFILTER).orElse(null)) {
      if (nl == null) {
        return Optional.empty();
      }
      boolean ok =
          nl.dump(
                  Netlink.nfRequest(GETTABLE, family),
                  (type, b, msg, end) -> {
                    if (type == NEWTABLE) {
                      hash(digest, 'T', b, msg, end, -1);
                    }
                  })
              && nl.dump(
                  Netlink.nfRequest(GETCHAIN, family),
                  (type, b, msg, end) -> {
                    if (type == NEWCHAIN) {
                      hash(digest, 'C', b, msg, end, CHAIN_COUNTERS);
                      chain(b, msg + 4, end, chains);
                    }
                  })
              && nl.dump(
                  Netlink.nfRequest(GETRULE, family),
                  (type, b, msg, end) -> {
                    if (type == NEWRULE) {
                      rule(b, msg + 4, end, chains, digest);
                    }
                  });
      if (!ok) {
        return Optional.empty();
      }
    }
    Map<String, Map<String, ChainCounters>> out = new LinkedHashMap<>();
    chains.forEach(
        (table, byName) -> {
          Map<String, ChainCounters> t = new LinkedHashMap<>();
          byName.forEach(
              (name, c) -> t.put(name, new ChainCounters(c.policy, List.copyOf(c.rules))));
          out.put(table, t);
        });
    return Optional.of(new State(HexFormat.of().formatHex(digest.digest()), out));
  }

  /** A chain being read: a list that may hold nulls (List.copyOf may not). */
  private static final class Building {
    private Counter policy;
    private final List<Counter> rules = new ArrayList<>();
  }

  private static void chain(
      ByteBuffer b, int from, int end, Map<String, Map<String, Building>> chains) {
    String table = null;
    String name = null;
    Counter counters = null;
    for (int at = from; at + 4 <= end; at = Netlink.nextAttr(b, at)) {
      int len = Netlink.attrLength(b, at);
      if (len < 4 || at + len > end) {
        break;
      }
      int type = Netlink.attrType(b, at);
      if (type == CHAIN_TABLE) {
        table = Netlink.string(b, at + 4, len - 4);
      } else if (type == CHAIN_NAME) {
        name = Netlink.string(b, at + 4, len - 4);
      } else if (type == CHAIN_COUNTERS) {
        counters = counter(b, at + 4, at + len);
      }
    }
    if (table != null && name != null) {
      chains
              .computeIfAbsent(table, k -> new LinkedHashMap<>())
              .computeIfAbsent(name, k -> new Building())
              .policy =
          counters;
    }
  }

  private static void rule(
      ByteBuffer b,
      int from,
      int end,
      Map<String, Map<String, Building>> chains,
      MessageDigest digest) {
    String table = null;
    String chain = null;
    Counter counter = null;
    digest.update((byte) 'R');
    for (int at = from; at + 4 <= end; at = Netlink.nextAttr(b, at)) {
      int len = Netlink.attrLength(b, at);
      if (len < 4 || at + len > end) {
        break;
      }
      int type = Netlink.attrType(b, at);
      if (type == RULE_TABLE) {
        table = Netlink.string(b, at + 4, len - 4);
      } else if (type == RULE_CHAIN) {
        chain = Netlink.string(b, at + 4, len - 4);
      }
      if (type != RULE_EXPRESSIONS) {
        update(digest, b, at, len);
        continue;
      }
      // each expression but a counter's data, which is what changes as packets pass
      for (int e = at + 4; e + 4 <= at + len; e = Netlink.nextAttr(b, e)) {
        int elen = Netlink.attrLength(b, e);
        if (elen < 4 || e + elen > at + len || Netlink.attrType(b, e) != LIST_ELEM) {
          break;
        }
        String name = null;
        int data = -1;
        for (int x = e + 4; x + 4 <= e + elen; x = Netlink.nextAttr(b, x)) {
          int xlen = Netlink.attrLength(b, x);
          if (xlen < 4 || x + xlen > e + elen) {
            break;
          }
          if (Netlink.attrType(b, x) == EXPR_NAME) {
            name = Netlink.string(b, x + 4, xlen - 4);
          } else if (Netlink.attrType(b, x) == EXPR_DATA) {
            data = x;
          }
        }
        if ("counter".equals(name)) {
          digest.update("counter".getBytes(StandardCharsets.US_ASCII));
          if (counter == null && data >= 0) {
            counter = counter(b, data + 4, data + Netlink.attrLength(b, data));
          }
        } else {
          update(digest, b, e, elen);
        }
      }
    }
    if (table != null && chain != null) {
      chains
          .computeIfAbsent(table, k -> new LinkedHashMap<>())
          .computeIfAbsent(chain, k -> new Building())
          .rules
          .add(counter);
    }
  }

  /** A nested NFTA_COUNTER_*: 64-bit big-endian values. */
  private static Counter counter(ByteBuffer b, int from, int end) {
    long bytes = 0;
    long packets = 0;
    for (int at = from; at + 4 <= end; at = Netlink.nextAttr(b, at)) {
      int len = Netlink.attrLength(b, at);
      if (len < 12 || at + len > end) {
        break;
      }
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = value << 8 | (b.get(at + 4 + i) & 0xff);
      }
      if (Netlink.attrType(b, at) == COUNTER_BYTES) {
        bytes = value;
      } else if (Netlink.attrType(b, at) == COUNTER_PACKETS) {
        packets = value;
      }
    }
    return new Counter(packets, bytes);
  }

  /** Every attribute of a message into the digest, but the one of type {@code skip}. */
  private static void hash(
      MessageDigest digest, char kind, ByteBuffer b, int msg, int end, int skip) {
    digest.update((byte) kind);
    for (int at = msg + 4; at + 4 <= end; at = Netlink.nextAttr(b, at)) {
      int len = Netlink.attrLength(b, at);
      if (len < 4 || at + len > end) {
        break;
      }
      if (Netlink.attrType(b, at) != skip) {
        update(digest, b, at, len);
      }
    }
  }

  private static void update(MessageDigest digest, ByteBuffer b, int at, int len) {
    digest.update(b.array(), b.arrayOffset() + at, len);
  }
}
