package io.netprobe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.cli.error.UserException;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.matrix.Address;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.ExitCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-check matrix of {@code netprobe check FROM TARGET PROBE}: written as a matrix document
 * and loaded by the same loader as a file, so an ad-hoc check is validated like any other.
 */
final class AdHocMatrix {
  static final String FROM_FORMS =
      "local, netns:NAME, docker:CONTAINER or ssh://[USER@]HOST[:PORT]";
  private static final Pattern SSH = Pattern.compile("ssh://(?:([^@/]+)@)?([^:/@]+)(?::(\\d+))?");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** SSH login options of the command line, as references (never a password itself). */
  record Login(
      String user, String passwordEnv, String passwordFile, String identity, String knownHosts) {
    Map<String, Object> yaml() {
      Map<String, Object> m = new LinkedHashMap<>();
      put(m, "user", user);
      put(m, "password-env", passwordEnv);
      put(m, "password-file", passwordFile);
      put(m, "identity", identity);
      put(m, "known-hosts", knownHosts);
      return m;
    }
  }

  private AdHocMatrix() {}

  static Matrix of(String from, String target, String probe, String at, Login login, String timeout)
      throws MatrixException {
    return of(from, target, List.of(probe), at, login, timeout);
  }

  /**
   * The matrix of one check per probe, all from FROM to TARGET. The nodes are named as the user
   * named them (the namespace, the container, the host name), never after internals; a bare {@code
   * tcp}, {@code udp}, {@code http} or {@code https} takes TARGET's port.
   */
  static Matrix of(
      String from, String target, List<String> probes, String at, Login login, String timeout)
      throws MatrixException {
    Map<String, Object> nodes = new LinkedHashMap<>();
    String source = node(from, login, "FROM");
    nodes.put(source, nodeYaml(from, login, "FROM"));
    String to = target;
    boolean named = Address.isHostName(ip(target));
    Integer targetPort = port(target);
    // TARGET:PORT with tcp, udp, http(s) or icmp: the port goes to the probes that take one
    // TARGET:PORT: the port of every probe that takes one (tcp, udp, http(s), ssh); a probe with
    // its own port (tcp:80) beside it says the port twice, unless every probe does (then TARGET's
    // port is where the packets go, the probe's the service's, as in a matrix)
    boolean bare = targetPort != null && probes.stream().noneMatch(p -> p.contains(":"));
    if (targetPort != null && !bare && probes.stream().anyMatch(p -> !p.contains(":"))) {
      throw new UserException(
          "TARGET "
              + target
              + " has a port and so do some probes ("
              + String.join(", ", probes.stream().filter(p -> p.contains(":")).toList())
              + "): give the port once, as TARGET:PORT with tcp, udp, http or ssh, or as tcp:PORT",
          ExitCode.USAGE);
    }
    if (at != null || named) {
      String targetNode =
          at == null ? ip(target).replaceAll("[^A-Za-z0-9_-]", "-") : node(at, login, "--at");
      if (targetNode.equals(source)) {
        targetNode = targetNode + "-target";
      }
      Map<String, Object> node =
          at == null ? new LinkedHashMap<>(Map.of("kind", "address")) : nodeYaml(at, login, "--at");
      node.put("addresses", Map.of("probed", address(target, named, !bare)));
      node.put("default-address", "probed");
      nodes.put(targetNode, node);
      to = targetNode;
    } else if (bare) {
      to = host(target);
    }
    List<Map<String, Object>> checks = new ArrayList<>();
    for (String probe : probes) {
      Map<String, Object> check = new LinkedHashMap<>();
      check.put("from", source);
      check.put("to", to);
      check.put(
          "probe",
          bare && BARE.contains(probe.toLowerCase(Locale.ROOT)) ? probe + ":" + targetPort : probe);
      check.put("expect", "pass");
      checks.add(check);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", "netprobe check " + from + " " + target + " " + String.join(" ", probes));
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("timeout", timeout);
    defaults.put("retries", 0);
    if (login.user() != null) {
      defaults.put("login", login.yaml());
    }
    doc.put("defaults", defaults);
    doc.put("nodes", nodes);
    doc.put("checks", checks);
    try {
      return MatrixLoader.load(JSON.writeValueAsString(doc), "the command line", Invocation.env());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Probes that take their port from {@code TARGET:PORT}. */
  private static final java.util.Set<String> BARE =
      java.util.Set.of("tcp", "udp", "http", "https", "ssh");

  /**
   * The probed address: ip: or host: (a name the source resolves), and the port of HOST:PORT unless
   * the probes take it ({@code withPort} false).
   */
  private static Map<String, Object> address(String target, boolean named, boolean withPort) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put(named ? "host" : "ip", ip(target));
    a.put("path", "routed");
    Integer port = port(target);
    if (port != null && withPort) {
      a.put("port", port);
    }
    return a;
  }

  /** The port of {@code HOST:PORT}, or null. */
  private static Integer port(String target) {
    String port = target.substring(host(target).length());
    if (port.startsWith(":") && port.length() > 1 && port.substring(1).matches("\\d{1,5}")) {
      return Integer.parseInt(port.substring(1));
    }
    return null;
  }

  /**
   * The host part of TARGET: {@code 10.0.2.15} of {@code 10.0.2.15:22}, {@code [fd00::2]} of {@code
   * [fd00::2]:22}, and a bare IPv6 address whole (its colons are not a port's).
   */
  private static String host(String target) {
    if (target.startsWith("[")) {
      int close = target.indexOf(']');
      return close > 0 ? target.substring(0, close + 1) : target;
    }
    if (target.indexOf(':') != target.lastIndexOf(':')) {
      return target;
    }
    int colon = target.lastIndexOf(':');
    return colon > 0 ? target.substring(0, colon) : target;
  }

  /** The host part without an IPv6 address's brackets. */
  private static String ip(String target) {
    String host = host(target);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** A node name for a FROM form: local, the namespace, the container, or the SSH host. */
  private static String node(String spec, Login login, String what) {
    if (spec.equals("local")) {
      return "local";
    }
    String name = spec.startsWith("ssh://") ? "vm" : spec.substring(spec.indexOf(':') + 1);
    return name.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  private static Map<String, Object> nodeYaml(String spec, Login login, String what) {
    Map<String, Object> node = new LinkedHashMap<>();
    if (spec.equals("local")) {
      node.put("kind", "local");
    } else if (spec.startsWith("netns:") && spec.length() > 6) {
      node.put("kind", "netns");
      node.put("netns", spec.substring(6));
    } else if (spec.startsWith("docker:") && spec.length() > 7) {
      node.put("kind", "docker");
      node.put("container", spec.substring(7));
    } else {
      Matcher m = SSH.matcher(spec);
      if (!m.matches()) {
        throw new UserException(
            what + " '" + spec + "' is not a node; give " + FROM_FORMS, ExitCode.USAGE);
      }
      Map<String, Object> ssh = new LinkedHashMap<>();
      ssh.put("host", m.group(2));
      if (m.group(3) != null) {
        ssh.put("port", Integer.parseInt(m.group(3)));
      }
      Map<String, Object> creds = login.yaml();
      if (m.group(1) != null) {
        creds.put("user", m.group(1));
      }
      ssh.putAll(creds);
      node.put("kind", "ssh");
      node.put("ssh", ssh);
    }
    return node;
  }

  private static void put(Map<String, Object> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
