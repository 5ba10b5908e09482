package io.netprobe.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.agent.lab.JvmThreads;
import io.netprobe.agent.lab.NetnsFixture;
import io.netprobe.agent.lab.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The workers every namespace shares, in real namespaces: a task runs in its namespace, the thread
 * goes back to the process's own after (so no idle worker holds a deleted lab), a worker born
 * inside a namespace runs the process's tasks in the process's own, and closing interrupts and
 * rejects.
 */
class WorkersIT {

  /** Where a task ran, and the thread it ran on (to look at that thread again afterwards). */
  private record Seen(String net, String uts, String hostname, Path thread) {}

  private static Seen here() throws Exception {
    Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "PID/task/TID"
    return new Seen(
        link("/proc/thread-self/ns/net"),
        link("/proc/thread-self/ns/uts"),
        Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(),
        Path.of("/proc").resolve(self));
  }

  /**
   * The same without the host name: a file of /proc/sys read from inside a namespace keeps the
   * kernel from taking the deleted namespace down for a while (seen here with any thread, a
   * namespace's own ones too), which the test of deletion below must not mistake for a held thread.
   */
  private static Seen where() throws Exception {
    Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
    return new Seen(
        link("/proc/thread-self/ns/net"),
        link("/proc/thread-self/ns/uts"),
        null,
        Path.of("/proc").resolve(self));
  }

  /**
   * The namespace of kind {@code kind} a worker thread is in once its task is over: the task's
   * future completes inside the task, a moment before the thread leaves; "(ended)" for a thread
   * that is gone.
   */
  private static String waitsIn(Path thread, String kind) throws Exception {
    String own = own(kind);
    String now = "(ended)";
    for (int i = 0; i < 100; i++) {
      try {
        now = Files.readSymbolicLink(thread.resolve("ns/" + kind)).toString();
      } catch (java.nio.file.NoSuchFileException e) {
        return "(ended)";
      }
      if (now.equals(own)) {
        return now;
      }
      Thread.sleep(20);
    }
    return now;
  }

  private static String link(String path) throws Exception {
    return Files.readSymbolicLink(Path.of(path)).toString();
  }

  private static String own(String kind) throws Exception {
    return link("/proc/self/ns/" + kind);
  }

  @Test
  void aTaskRunsInItsNamespaceAndItsThreadWaitsInTheProcesssOwn() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("wk")) {
      String a = lab.create("a");
      String b = lab.create("b");
      lab.link(a, "10.89.2.1/24", b, "10.89.2.2/24");
      String aNet = "net:[" + Sh.run("stat", "-L", "-c", "%i", "/run/netns/" + a).strip() + "]";
      NetNamespace ns = NetNamespace.enter(NetNamespace.named(a));
      List<Seen> seen = new ArrayList<>();
      try {
        Workers workers = (Workers) ns.workers();
        for (int i = 0; i < 20; i++) {
          seen.add(workers.supply(WorkersIT::where).get(10, TimeUnit.SECONDS));
        }
      } finally {
        ns.close();
      }
      assertThat(seen).allSatisfy(s -> assertThat(s.net()).isEqualTo(aNet));
      assertThat(aNet).isNotEqualTo(own("net"));
      for (Seen s : seen) { // a worker idles 30 s before it ends
        assertThat(waitsIn(s.thread(), "net"))
            .as("the namespace an idle worker waits in")
            .isIn(own("net"), "(ended)");
      }
      // nothing of this JVM holds the deleted namespace: its veth goes, and the peer's with it
      assertThat(JvmThreads.all())
          .as("threads of this JVM in the namespace")
          .noneMatch(t -> t.net().equals(aNet));
      Sh.run("ip", "netns", "del", a);
      assertThat(lab.vethsAfterDelete(b)).as("the veth of a deleted namespace").isBlank();
    }
  }

  @Test
  void aWorkerBornInsideANamespaceRunsTheProcesssTasksInTheProcesssOwn() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("wb")) {
      String a = lab.create("a");
      NetNamespace ns = NetNamespace.enter(NetNamespace.named(a));
      CountDownLatch release = new CountDownLatch(1);
      List<CompletableFuture<Seen>> tasks;
      try {
        // submitted from a thread inside the namespace while every worker is busy: the pool makes
        // new threads there, born in the namespace
        tasks =
            ns.call(
                () -> {
                  List<CompletableFuture<Seen>> started = new ArrayList<>();
                  Workers process = (Workers) NetNamespace.process().workers();
                  for (int i = 0; i < 24; i++) {
                    started.add(
                        process.supply(
                            () -> {
                              release.await(10, TimeUnit.SECONDS);
                              return here();
                            }));
                  }
                  return started;
                });
        release.countDown();
        for (CompletableFuture<Seen> t : tasks) {
          assertThat(t.get(10, TimeUnit.SECONDS).net()).isEqualTo(own("net"));
        }
      } finally {
        release.countDown();
        ns.close();
      }
    }
  }

  @Test
  void aContainersHostNameIsLeftWithItsTask() throws Exception {
    String machine = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    Process box =
        new ProcessBuilder(
                "unshare", "--uts", "--net", "sh", "-c", "hostname np-at-wkbox && exec sleep 60")
            .start();
    try {
      Path uts = Path.of("/proc", Long.toString(box.pid()), "ns/uts");
      for (int i = 0; i < 50 && Files.readSymbolicLink(uts).toString().equals(own("uts")); i++) {
        Thread.sleep(50);
      }
      Thread.sleep(200); // the hostname is set right after unshare
      NetNamespace ns = NetNamespace.ofProcess(box.pid());
      Seen inBox;
      try {
        inBox = ((Workers) ns.workers()).supply(WorkersIT::here).get(10, TimeUnit.SECONDS);
      } finally {
        ns.close();
      }
      assertThat(inBox.hostname()).isEqualTo("np-at-wkbox");
      assertThat(inBox.uts()).isNotEqualTo(own("uts"));
      assertThat(waitsIn(inBox.thread(), "uts")).isIn(own("uts"), "(ended)");
      Seen after =
          ((Workers) NetNamespace.process().workers())
              .supply(WorkersIT::here)
              .get(10, TimeUnit.SECONDS);
      assertThat(after.hostname()).isEqualTo(machine);
    } finally {
      box.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void closingInterruptsTheRunningTasksAndRejectsNewOnes() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("wc")) {
      String a = lab.create("a");
      NetNamespace ns = NetNamespace.enter(NetNamespace.named(a));
      Workers workers = (Workers) ns.workers();
      CountDownLatch started = new CountDownLatch(1);
      CompletableFuture<String> blocked =
          workers.supply(
              () -> {
                started.countDown();
                try {
                  Thread.sleep(30_000);
                  return "slept";
                } catch (InterruptedException e) {
                  return "interrupted";
                }
              });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      ns.close();
      assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo("interrupted");
      assertThatThrownBy(() -> workers.execute(() -> {}))
          .isInstanceOf(RejectedExecutionException.class)
          .hasMessageContaining(a);
      // the thread that was interrupted runs the next task without the interrupt
      Seen next =
          ((Workers) NetNamespace.process().workers())
              .supply(
                  () -> {
                    assertThat(Thread.currentThread().isInterrupted()).isFalse();
                    return here();
                  })
              .get(10, TimeUnit.SECONDS);
      assertThat(next.net()).isEqualTo(own("net"));
    }
  }
}
