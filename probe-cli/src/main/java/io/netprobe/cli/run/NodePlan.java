package io.netprobe.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.agent.capture.CaptureSession;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.cli.connect.Connections;
import io.netprobe.cli.connect.NodeTarget;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Credentials;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.Node;
import io.netprobe.matrix.NodeAccess;
import io.netprobe.matrix.SecretRef;
import io.netprobe.report.model.NodeReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The nodes a run needs and how to reach each: the matrix's node model mapped onto the connectors'
 * targets, and, once connected, the engine's view and the report's.
 */
public final class NodePlan {
  private final Matrix matrix;
  private final Map<String, NodeTarget> targets = new LinkedHashMap<>();

  private NodePlan(Matrix matrix, List<Check> checks, boolean acceptNewHostKeys) {
    this.matrix = matrix;
    Set<String> used = new LinkedHashSet<>();
    for (Check c : checks) {
      used.add(c.from());
      c.to().node().ifPresent(used::add);
    }
    matrix.factsFor(checks).forEach(f -> used.add(f.node()));
    if (!checks.isEmpty() && checks.equals(matrix.checks())) {
      // the whole matrix: every node with an agent reads its facts, so that the topology drawn
      // is the lab's (a router no check names is still on the way)
      matrix.nodes().values().stream()
          .filter(n -> n.kind().hasAgent())
          .forEach(n -> used.add(n.name()));
    }
    if (!used.isEmpty()) {
      used.addAll(matrix.watch()); // a router's captures and rules tell where a flow was lost
    }
    for (String name : used) {
      Node node = matrix.nodes().get(name);
      NodeTarget target = target(node.access(), acceptNewHostKeys);
      if (target != null) {
        targets.put(name, target);
      }
    }
  }

  /** Every node of the matrix with an agent: what {@code netprobe topology} reads. */
  public static NodePlan everyAgent(Matrix matrix, boolean acceptNewHostKeys) {
    return new NodePlan(matrix, matrix.checks(), acceptNewHostKeys);
  }

  /** The nodes the {@code checks} start from or go to, with an agent where the kind has one. */
  public static NodePlan of(Matrix matrix, List<Check> checks, boolean acceptNewHostKeys) {
    return new NodePlan(matrix, checks, acceptNewHostKeys);
  }

  public Map<String, NodeTarget> targets() {
    return targets;
  }

  /** The engine's nodes: each connected one with its agent, each other with why not. */
  public List<RunNode> runNodes(Connections connections) {
    return runNodes(connections.sessions(), errors(connections));
  }

  /**
   * The same from sessions opened by more than one {@link Connections} (a watch reconnects the
   * nodes it lost): {@code errors} says why a node without a session has none.
   */
  public List<RunNode> runNodes(Map<String, AgentSession> sessions, Map<String, String> errors) {
    List<RunNode> nodes = new ArrayList<>();
    targets.forEach(
        (name, target) -> {
          AgentSession session = sessions.get(name);
          if (session != null) {
            nodes.add(RunNode.connected(name, calls(session), captureWhyNot(session.hello())));
          } else {
            nodes.add(RunNode.failed(name, errors.getOrDefault(name, "not connected")));
          }
        });
    return nodes;
  }

  /** Why each node {@code connections} could not reach was not, as words. */
  public static Map<String, String> errors(Connections connections) {
    Map<String, String> out = new LinkedHashMap<>();
    connections.errors().forEach((name, e) -> out.put(name, e.getMessage()));
    return out;
  }

  /** The session's requests; probes straight to the agent when it lives in this JVM. */
  private static AgentCalls calls(AgentSession session) {
    var direct = session.direct();
    if (direct == null) {
      return session::request;
    }
    return new AgentCalls() {
      @Override
      public CompletableFuture<JsonNode> call(String op, Map<String, Object> args) {
        return session.requestObject(op, args); // a run reads every reply as its type
      }

      @Override
      public CompletableFuture<ProbeResult> probe(ProbeArgs request) {
        return direct.probe(request);
      }

      @Override
      public CompletableFuture<CaptureSession.Peek> peek(String id, int since) {
        return direct.peek(id, since);
      }
    };
  }

  /** Every node of the matrix the run used, for the reports. */
  public List<NodeReport> reports(Connections connections) {
    return reports(connections.sessions(), errors(connections));
  }

  /** The same from sessions opened by more than one {@link Connections}. */
  public List<NodeReport> reports(Map<String, AgentSession> sessions, Map<String, String> errors) {
    List<NodeReport> reports = new ArrayList<>();
    for (Node node : matrix.nodes().values()) {
      NodeTarget target = targets.get(node.name());
      List<String> addresses =
          node.addresses().values().stream().map(a -> a.name() + "=" + a.ip()).toList();
      String kind = node.kind().name().toLowerCase();
      if (target == null) {
        reports.add(new NodeReport(node.name(), kind, "", false, null, List.of(), addresses));
        continue;
      }
      AgentSession session = sessions.get(node.name());
      reports.add(
          new NodeReport(
              node.name(),
              kind,
              target.describe(),
              session != null,
              session != null ? null : errors.getOrDefault(node.name(), "not connected"),
              session == null ? List.of() : capabilities(session.hello()),
              addresses));
    }
    return reports;
  }

  static String captureWhyNot(JsonNode hello) {
    JsonNode capture = hello.path("capabilities").path("capture");
    if (capture.path("allowed").asBoolean(false)) {
      return null;
    }
    return "no capture: " + capture.path("reason").asText("the agent cannot capture");
  }

  private static List<String> capabilities(JsonNode hello) {
    List<String> out = new ArrayList<>();
    JsonNode caps = hello.path("capabilities");
    boolean icmp =
        caps.path("pingSocket").path("allowed").asBoolean(false)
            || caps.path("rawSocket").path("allowed").asBoolean(false);
    out.add(icmp ? "icmp" : "no icmp");
    String capture = captureWhyNot(hello);
    out.add(capture == null ? "capture" : capture);
    return out;
  }

  /**
   * Whether local and netns agents run in this JVM (the default: one JVM for every namespace of
   * this machine) or as separate JVMs ({@code NETPROBE_AGENTS=process}: a child process, {@code ip
   * netns exec NAME java ...}), e.g. to tell a fault of the shared JVM from one of the node.
   */
  static boolean agentsInProcess(String setting) {
    if (setting == null || setting.isBlank() || setting.equals("in-process")) {
      return true;
    }
    if (setting.equals("process")) {
      return false;
    }
    throw new IllegalArgumentException(
        "NETPROBE_AGENTS=\""
            + setting
            + "\" is not valid: use in-process (the default: the agents of local, netns and"
            + " local Docker nodes in this JVM)"
            + " or process (each its own JVM)");
  }

  private static NodeTarget target(NodeAccess access, boolean acceptNew) {
    boolean inProcess = agentsInProcess(Invocation.getenv("NETPROBE_AGENTS"));
    if (access instanceof NodeAccess.Local) {
      return new NodeTarget.Local(inProcess);
    } else if (access instanceof NodeAccess.Netns n) {
      return new NodeTarget.Netns(n.name(), inProcess);
    } else if (access instanceof NodeAccess.Docker d) {
      return new NodeTarget.Docker(d.container(), inProcess);
    } else if (access instanceof NodeAccess.Ssh s) {
      return ssh(s, acceptNew);
    }
    return null;
  }

  private static NodeTarget ssh(NodeAccess.Ssh s, boolean acceptNew) {
    Credentials login = s.login();
    NodeTarget.Ssh target = NodeTarget.Ssh.to(s.host(), s.port(), login.user());
    if (login.secret().isPresent()) {
      SecretRef secret = login.secret().get();
      if (secret instanceof SecretRef.IdentityFile id) {
        target = target.withIdentityFile(Path.of(id.path()));
      } else if (secret instanceof SecretRef.PasswordEnv env) {
        target = target.withPasswordEnv(env.variable());
      } else if (secret instanceof SecretRef.PasswordFile file) {
        target = target.withPasswordFile(Path.of(file.path()));
      }
    }
    Path known = login.knownHosts().map(Path::of).orElse(null);
    return target.withKnownHosts(known, acceptNew);
  }
}
