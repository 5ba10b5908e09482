package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.DemoLab;
import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo lab's Kubernetes (LABS.md 5): nodes, pods on cni0 bridges joined by VXLAN, kube-proxy's
 * iptables rules. Each test breaks it as a cluster breaks (the Service loses its endpoints, a pod's
 * server stops) and puts it back, even when it fails.
 */
class KubernetesIT {
  private static final DemoLab LAB = new DemoLab(new PrintWriter(System.err, true));
  private static final String MATRIX =
      """
      name: kubernetes
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        pc: { kind: netns, netns: np-pc, addresses: { lan: { ip: 10.1.5.90, path: direct } } }
        k8s-master: { kind: netns, netns: np-k8s-m, addresses: { node: 10.1.8.10 } }
        worker1:
          kind: netns
          netns: np-k8s-w1
          addresses:
            node: { ip: 10.1.8.11, path: direct }
            nodeport: { ip: 10.1.8.11, path: nodeport, port-map: { 5000: 31377 } }
            empty-nodeport: { ip: 10.1.8.11, path: nodeport, port-map: { 5000: 31378 } }
          default-address: node
        hello-1: { kind: netns, netns: np-k8s-h1, addresses: { pod: { ip: 10.244.1.2, path: pod } } }
        hello-2: { kind: netns, netns: np-k8s-h2, addresses: { pod: { ip: 10.244.1.3, path: pod } } }
        hello-3: { kind: netns, netns: np-k8s-h3, addresses: { pod: { ip: 10.244.1.4, path: pod } } }
        test-pod: { kind: netns, netns: np-k8s-t, addresses: { pod: { ip: 10.244.0.2, path: pod } } }
        hello-svc: { kind: address, addresses: { cip: { ip: 10.96.0.100, path: cluster-ip } } }
      watch: [k8s-master, hello-1, hello-2, hello-3]
      checks:
      """;

  @BeforeAll
  static void labUp() {
    LAB.up();
  }

  private static RunResult run(String... checks) throws Exception {
    return LabRun.run(MATRIX, checks);
  }

  private static void is(CheckResult c, Disposition d) {
    assertThat(c.verdict().disposition()).as(said(c)).isEqualTo(d);
  }

  @Test
  void podsNodesAndServicesReachThePodsAcrossTheOverlay() throws Exception {
    RunResult r =
        run(
            "{ from: k8s-master, to: hello-1, probe: http:5000, body: world, expect: pass }",
            "{ from: test-pod, to: hello-svc, probe: http:5000, body: world, expect: pass }",
            "{ from: pc, to: worker1.nodeport, probe: http:5000, body: world, expect: pass }",
            "{ from: pc, to: hello-1, probe: tcp:5000, expect: fail }");
    is(cell(r, "k8s-master->hello-1 http:5000"), Disposition.REACHED);
    is(cell(r, "test-pod->hello-svc http:5000"), Disposition.REACHED);
    is(cell(r, "pc->worker1.nodeport http:5000"), Disposition.REACHED);
    CheckResult outside = cell(r, "pc->hello-1 tcp:5000");
    is(outside, Disposition.DROPPED_ON_PATH);
    assertThat(outside.verdict().reason()).contains("hello-1 saw nothing arrive");
  }

  @Test
  void aServiceThatLosesItsEndpointsIsRejectedByKubeProxyAndSaysSo() throws Exception {
    String check = "{ from: pc, to: worker1.nodeport, probe: tcp:5000, expect: pass }";
    is(cell(run(check), "pc->worker1.nodeport tcp:5000"), Disposition.REACHED);
    Path saved = Files.createTempFile("np-k8s-rules", ".txt");
    LabFixture.sh("bash", "-c", "ip netns exec np-k8s-w1 iptables-save > " + saved);
    try {
      // what kube-proxy does when the last pod of the Service goes: no DNAT, a REJECT instead
      LabFixture.sh(
          "bash",
          "-c",
          "ip netns exec np-k8s-w1 iptables -w -t nat -F KUBE-NODEPORTS && ip netns exec"
              + " np-k8s-w1 iptables -w -A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment"
              + " 'default/hello has no endpoints' -m addrtype --dst-type LOCAL -m tcp --dport"
              + " 31377 -j REJECT --reject-with icmp-port-unreachable");
      CheckResult gone = cell(run(check), "pc->worker1.nodeport tcp:5000");
      is(gone, Disposition.REFUSED);
      assertThat(gone.verdict().reason())
          .contains("the Kubernetes Service default/hello has no endpoints: kube-proxy rejects");
      assertThat(gone.verdict().hint()).contains("kubectl get endpoints hello");
    } finally {
      LabFixture.sh("bash", "-c", "ip netns exec np-k8s-w1 iptables-restore < " + saved);
      Files.deleteIfExists(saved);
    }
  }

  @Test
  void aServiceWhoseTargetPortIsWrongSaysWhereTheConnectionWentAndWhatListensThere()
      throws Exception {
    String check = "{ from: pc, to: worker1.nodeport, probe: tcp:5000, expect: pass }";
    Path saved = Files.createTempFile("np-k8s-rules", ".txt");
    LabFixture.sh("bash", "-c", "ip netns exec np-k8s-w1 iptables-save > " + saved);
    try {
      // the Service edited to targetPort 5001: kube-proxy rewrites the DNAT of every endpoint
      LabFixture.sh(
          "bash",
          "-c",
          "sed 's/--to-destination \\(10\\.244\\.1\\.[0-9]*\\):5000/--to-destination \\1:5001/' "
              + saved
              + " | ip netns exec np-k8s-w1 iptables-restore");
      CheckResult c = cell(run(check), "pc->worker1.nodeport tcp:5000");
      is(c, Disposition.REFUSED);
      assertThat(c.verdict().reason())
          .contains("worker1 translated the connection to worker1.nodeport (10.1.8.11) port 31377")
          .contains("port 5001 (its rule nat KUBE-SEP-HELLO")
          .contains("(it listens on 5000)");
      assertThat(c.verdict().hint()).contains("set the Service's targetPort to the pods' port");
    } finally {
      LabFixture.sh("bash", "-c", "ip netns exec np-k8s-w1 iptables-restore < " + saved);
      Files.deleteIfExists(saved);
    }
  }

  @Test
  void theLabsServiceWithATargetPortNoPodListensOnIsExplained() throws Exception {
    CheckResult c =
        cell(
            run("{ from: test-pod, to: 10.96.0.102, probe: tcp:5000, expect: refused }"),
            "test-pod->10.96.0.102 tcp:5000");
    is(c, Disposition.REFUSED);
    assertThat(c.verdict().reason())
        .contains("k8s-master translated the connection", "hello-1 (10.244.1.2) port 5001");
  }

  @Test
  void theLabsServiceWithoutEndpointsIsRefusedByKubeProxy() throws Exception {
    CheckResult c =
        cell(
            run("{ from: pc, to: worker1.empty-nodeport, probe: tcp:5000, expect: refused }"),
            "pc->worker1.empty-nodeport tcp:5000");
    is(c, Disposition.REFUSED);
    assertThat(c.verdict().reason()).contains("default/empty has no endpoints");
  }

  @Test
  void aPodWhoseServerStoppedRefusesAndThePathIsFine() throws Exception {
    String check = "{ from: k8s-master, to: hello-1, probe: tcp:5000, expect: pass }";
    try {
      LabFixture.sh(
          "bash", "-c", "for p in $(ip netns pids np-k8s-h1); do kill $p; done; sleep 0.2");
      CheckResult c = cell(run(check), "k8s-master->hello-1 tcp:5000");
      is(c, Disposition.REFUSED);
      assertThat(c.verdict().reason()).contains("nothing listens on port 5000 at hello-1");
    } finally {
      LabFixture.sh(
          "bash",
          "-c",
          // started in a session of its own, its output nowhere: nothing holds this JVM's pipes
          "for ns in np-k8s-h1 np-k8s-h2 np-k8s-h3; do [ -n \"$(ip netns pids $ns)\" ] || ip netns"
              + " exec $ns setsid -f busybox httpd -f -p 5000 -h /run/np-lab/k8s-www </dev/null"
              + " >/dev/null 2>&1; done; sleep 0.3");
    }
  }
}
