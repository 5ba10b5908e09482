package io.netprobe.agent.facts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The VLAN table of an Open vSwitch that runs in this agent's network namespace: each port's
 * bridge, access VLAN ({@code tag}) or trunked VLANs, and the MAC addresses known to be behind it
 * (the {@code attached-mac} an orchestrator such as OpenStack or libvirt writes, and what the
 * switch learned). Read over OVSDB's JSON-RPC (RFC 7047) from the ovsdb-server of this namespace,
 * and the learned addresses from ovs-vswitchd's control socket ({@code fdb/show}), both unix
 * sockets found from the daemons' command lines. No switch: an empty list.
 */
public final class OvsSwitch {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path PROC = Path.of("/proc");
  private static final String DEFAULT_DB = "/run/openvswitch/db.sock";

  private OvsSwitch() {}

  /** The ports of every bridge of this namespace's switch; empty when it runs none. */
  public static List<Facts.SwitchPort> ports() {
    Optional<String> here = namespace(PROC.resolve("thread-self"));
    if (here.isEmpty()) {
      return List.of();
    }
    Optional<Daemon> db = daemon("ovsdb-server", here.get());
    if (db.isEmpty()) {
      return List.of();
    }
    String dbSocket = db.get().option("--remote=punix:").orElse(DEFAULT_DB);
    try {
      List<Facts.SwitchPort> ports = read(Path.of(dbSocket));
      Optional<Daemon> vswitchd = daemon("ovs-vswitchd", here.get());
      return vswitchd.isEmpty() ? ports : learned(ports, vswitchd.get());
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A daemon of the machine: its name, pid, network namespace and command line. */
  private record Daemon(String name, long pid, String netns, List<String> args) {
    Optional<String> option(String prefix) {
      return args.stream()
          .filter(a -> a.startsWith(prefix))
          .map(a -> a.substring(prefix.length()))
          .findFirst();
    }
  }

  private static Optional<String> namespace(Path process) {
    try {
      return Optional.of(Files.readSymbolicLink(process.resolve("ns/net")).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** How long one look through /proc for the switch's daemons serves every namespace's facts. */
  private static final long DAEMONS_FRESH_NANOS = 2_000_000_000L;

  private static List<Daemon> daemons = List.of();
  private static long daemonsAt;

  /**
   * The Open vSwitch daemons of the machine. A run reads the facts of a hundred namespaces, each in
   * its thread of this one JVM: one walk through /proc (some 15 ms) serves them all.
   */
  private static synchronized List<Daemon> daemons() {
    long now = System.nanoTime();
    if (daemonsAt != 0 && now - daemonsAt < DAEMONS_FRESH_NANOS) {
      return daemons;
    }
    List<Daemon> found = new ArrayList<>();
    try (Stream<Path> all = Files.list(PROC)) {
      all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(
              p -> {
                String name = text(p.resolve("comm")).strip();
                if (name.equals("ovsdb-server") || name.equals("ovs-vswitchd")) {
                  namespace(p)
                      .ifPresent(
                          ns ->
                              found.add(
                                  new Daemon(
                                      name,
                                      Long.parseLong(p.getFileName().toString()),
                                      ns,
                                      List.of(text(p.resolve("cmdline")).split("\0")))));
                }
              });
    } catch (IOException e) {
      // no /proc to read: no switch
    }
    daemons = List.copyOf(found);
    daemonsAt = now;
    return daemons;
  }

  private static Optional<Daemon> daemon(String name, String netns) {
    return daemons().stream()
        .filter(d -> d.name().equals(name) && d.netns().equals(netns))
        .findFirst();
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  /** One JSON-RPC call over a unix socket: the request, then the first whole reply. */
  static JsonNode call(Path socket, ObjectNode request) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap(JSON.writeValueAsBytes(request));
      while (out.hasRemaining()) {
        ch.write(out);
      }
      InputStream in = Channels.newInputStream(ch);
      JsonNode reply = JSON.readTree(JSON.getFactory().createParser(in));
      if (reply == null) {
        throw new IOException("no reply on " + socket);
      }
      if (reply.hasNonNull("error")) {
        throw new IOException(socket + ": " + reply.get("error"));
      }
      return reply.get("result");
    }
  }

  /** Bridges, ports and interfaces from OVSDB. */
  static List<Facts.SwitchPort> read(Path socket) throws IOException {
    ObjectNode req = JSON.createObjectNode().put("method", "transact").put("id", 1);
    ArrayNode params = req.putArray("params").add("Open_vSwitch");
    select(params, "Bridge", "_uuid", "name", "ports");
    select(params, "Port", "_uuid", "name", "tag", "trunks", "interfaces");
    select(params, "Interface", "_uuid", "name", "ofport", "external_ids");
    JsonNode result = call(socket, req);
    Map<String, String> bridgeOf = new HashMap<>();
    for (JsonNode b : result.get(0).get("rows")) {
      for (String port : uuids(b.get("ports"))) {
        bridgeOf.put(port, b.get("name").asText());
      }
    }
    Map<String, JsonNode> interfaces = new HashMap<>();
    for (JsonNode i : result.get(2).get("rows")) {
      interfaces.put(i.get("_uuid").get(1).asText(), i);
    }
    List<Facts.SwitchPort> out = new ArrayList<>();
    for (JsonNode p : result.get(1).get("rows")) {
      String uuid = p.get("_uuid").get(1).asText();
      List<Integer> tag = integers(p.get("tag"));
      Set<String> macs = new LinkedHashSet<>();
      int ofport = -1;
      for (String i : uuids(p.get("interfaces"))) {
        JsonNode row = interfaces.get(i);
        if (row == null) {
          continue;
        }
        List<Integer> of = integers(row.get("ofport"));
        ofport = of.isEmpty() ? ofport : of.get(0);
        map(row.get("external_ids")).entrySet().stream()
            .filter(e -> e.getKey().equals("attached-mac"))
            .forEach(e -> macs.add(e.getValue().toLowerCase(java.util.Locale.ROOT)));
      }
      out.add(
          new Facts.SwitchPort(
              bridgeOf.getOrDefault(uuid, "?"),
              p.get("name").asText(),
              tag.isEmpty() ? null : tag.get(0),
              integers(p.get("trunks")),
              ofport,
              List.copyOf(macs)));
    }
    out.sort(
        java.util.Comparator.comparing(Facts.SwitchPort::bridge)
            .thenComparing(Facts.SwitchPort::port));
    return out;
  }

  private static void select(ArrayNode params, String table, String... columns) {
    ObjectNode op = params.addObject().put("op", "select").put("table", table);
    op.putArray("where");
    ArrayNode cols = op.putArray("columns");
    for (String c : columns) {
      cols.add(c);
    }
  }

  /** An OVSDB uuid, or set of them: {@code ["uuid","..."]}, {@code ["set",[["uuid","..."]]]}. */
  private static List<String> uuids(JsonNode v) {
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v.get(0).asText().equals("uuid")) {
      out.add(v.get(1).asText());
    } else if (v.get(0).asText().equals("set")) {
      v.get(1).forEach(u -> out.add(u.get(1).asText()));
    }
    return out;
  }

  /** An OVSDB integer or set of integers: {@code 7}, {@code ["set",[7,8]]}, {@code ["set",[]]}. */
  private static List<Integer> integers(JsonNode v) {
    List<Integer> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v.isNumber()) {
      out.add(v.asInt());
    } else if (v.isArray() && v.get(0).asText().equals("set")) {
      v.get(1).forEach(n -> out.add(n.asInt()));
    }
    return out;
  }

  private static Map<String, String> map(JsonNode v) {
    Map<String, String> out = new HashMap<>();
    if (v != null && v.isArray() && v.get(0).asText().equals("map")) {
      v.get(1).forEach(kv -> out.put(kv.get(0).asText(), kv.get(1).asText()));
    }
    return out;
  }

  /** The ports with the MAC addresses the switch learned on them ({@code fdb/show}). */
  private static List<Facts.SwitchPort> learned(List<Facts.SwitchPort> ports, Daemon vswitchd) {
    Path ctl =
        Path.of(
            vswitchd
                .option("--unixctl=")
                .orElse("/run/openvswitch/ovs-vswitchd." + vswitchd.pid() + ".ctl"));
    Map<String, Map<Integer, Set<String>>> byBridge = new HashMap<>();
    for (String bridge : ports.stream().map(Facts.SwitchPort::bridge).distinct().toList()) {
      ObjectNode req = JSON.createObjectNode().put("method", "fdb/show").put("id", 2);
      req.putArray("params").add(bridge);
      try {
        byBridge.put(bridge, fdb(call(ctl, req).asText()));
      } catch (IOException e) {
        // no learned addresses: the configured ones stand
      }
    }
    List<Facts.SwitchPort> out = new ArrayList<>();
    for (Facts.SwitchPort p : ports) {
      Set<String> macs = new LinkedHashSet<>(p.macs());
      macs.addAll(byBridge.getOrDefault(p.bridge(), Map.of()).getOrDefault(p.ofport(), Set.of()));
      out.add(
          new Facts.SwitchPort(
              p.bridge(), p.port(), p.tag(), p.trunks(), p.ofport(), List.copyOf(macs)));
    }
    return out;
  }

  /** {@code fdb/show}'s table: {@code port VLAN MAC Age}, one row per address. */
  static Map<Integer, Set<String>> fdb(String table) {
    Map<Integer, Set<String>> out = new HashMap<>();
    for (String line : table.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && f[0].chars().allMatch(Character::isDigit) && f[2].contains(":")) {
        out.computeIfAbsent(Integer.parseInt(f[0]), k -> new LinkedHashSet<>())
            .add(f[2].toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }
}
