package io.netprobe.agent.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * Where on the path one flow goes, hop by hop: what answered each TTL up to the first that reached
 * the destination (or was answered unreachable, or maxHops), and the verdict in plain words.
 *
 * @param destination the address traced
 * @param type icmp, tcp or udp
 * @param sourceAddress the address the kernel's route gives (null when there is no route)
 * @param sourcePort the flow's source port (tcp, udp)
 * @param reached whether the destination itself answered
 * @param lastAnswered the hop with the highest TTL that answered; null when none did
 * @param firstSilent the TTL after {@code lastAnswered}, when it got no answer: where the flow is
 *     lost, at or after {@code lastAnswered}'s router; null when the trace reached its end
 * @param unavailable why no trace could be sent (no raw socket); null when it was
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceResult(
    String destination,
    String type,
    String mark,
    String sourceAddress,
    Integer sourcePort,
    List<Hop> hops,
    boolean reached,
    @JsonInclude(JsonInclude.Include.ALWAYS) Hop lastAnswered,
    @JsonInclude(JsonInclude.Include.ALWAYS) Integer firstSilent,
    List<String> evidence,
    String unavailable,
    double elapsedMs) {

  public TraceResult {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(type, "type");
    hops = hops == null ? List.of() : List.copyOf(hops);
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
  }
}
