package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The threads that read what the probes did (the captures, the echo replies, the ICMP errors) run
 * with a nice value five below the process's, so that a run whose probes keep both cores busy still
 * reads a target's silence in time; the threads that set the probes up do not. Run as root, which
 * may lower a nice value.
 */
class ObserverThreadsIT {

  @Test
  void theReadersRunAheadOfTheProbesSetUp() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("ot")) {
      String src = lab.create("src");
      String dst = lab.create("dst");
      lab.link(src, "10.89.31.1/24", dst, "10.89.31.2/24");
      String device = lab.deviceOf(src, "10.89.31.1");
      try (InProcessAgent a = new InProcessAgent(src)) {
        a.request("capture.start", Map.of("id", "ot", "iface", device, "filter", "icmp or tcp"));
        JsonNode echo =
            a.request("probe", Map.of("type", "icmp", "host", "10.89.31.2", "timeoutMs", 2000));
        assertThat(echo.get("status").asText()).as(echo.toString()).isEqualTo("REPLY");
        JsonNode tcp =
            a.request(
                "probe",
                Map.of("type", "tcp", "host", "10.89.31.2", "port", 2001, "timeoutMs", 2000));
        assertThat(tcp.get("status").asText()).as(tcp.toString()).isEqualTo("REFUSED");

        int own = JvmThreads.ownNice();
        int observer = Math.max(-20, own - 5);
        for (String reader : new String[] {"np-capture-read", "np-icmp-echo-", "np-icmp-taps"}) {
          assertThat(JvmThreads.nicesOf(reader)).as(reader).isNotEmpty().containsOnly(observer);
        }
        assertThat(JvmThreads.nicesOf("np-worker-")).as("the workers").containsOnly(own);
        assertThat(JvmThreads.nicesOf("np-loop")).as("the event loops").containsOnly(own);
        a.request("capture.stop", Map.of("id", "ot"));
      }
    }
  }
}
