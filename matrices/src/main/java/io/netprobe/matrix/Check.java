package io.netprobe.matrix;

import io.netprobe.agent.probe.ProbeSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One cell of the matrix: a probe from a node to a target, what it should give, and what it is
 * worth.
 *
 * @param id stable name used in messages and reports: {@code pc->vm.nat icmp}
 * @param probe the probe as written (its port is the service port, before any port-map)
 * @param source where the check was written (a mesh's cells point at the mesh)
 */
public record Check(
    String id,
    String from,
    Target to,
    ProbeSpec probe,
    Expectation expect,
    int points,
    Duration timeout,
    int retries,
    String title,
    String hint,
    Optional<Credentials> login,
    Location source) {

  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
  public static final int MAX_POINTS = 1000;
  public static final int MAX_RETRIES = 10;

  /**
   * The id's hash (a String keeps it): runs key their maps by check, and a record's own hash walked
   * every field, the target, the probe and the expectation, at each lookup. Equal checks have equal
   * ids, so {@code equals} stays the record's.
   */
  @Override
  public int hashCode() {
    return id.hashCode();
  }

  public Check {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(expect, "expect");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(source, "source");
    title = title == null ? "" : title;
    hint = hint == null ? "" : hint;
    requireTimeout(timeout, id);
    requireRange("points", points, 0, MAX_POINTS, id);
    requireRange("retries", retries, 0, MAX_RETRIES, id);
  }

  /** The id a check from {@code from} to {@code toRef} with {@code probe} gets. */
  public static String idOf(String from, String toRef, ProbeSpec probe) {
    return from + "->" + toRef + " " + probe.label();
  }

  /** The probe with the port the packets really go to (after port-maps and literal ports). */
  public ProbeSpec wireProbe() {
    return probe.port() == 0 ? probe : probe.toPort(to.wirePort(probe.port()));
  }

  /**
   * The probe's label as reports show it: {@code icmp}, {@code tcp:22}, and {@code icmp v6} when
   * the packets go to an IPv6 address, so that a dual-stack pair reads apart in a cell.
   */
  public String probeLabel() {
    return probe.label() + (to.ipv6() ? " v6" : "");
  }

  /** The title, or the id when none was written. */
  public String displayTitle() {
    return title.isEmpty() ? id : title;
  }

  static void requireTimeout(Duration timeout, String where) {
    if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "timeout out of range 1ms..10m: " + timeout.toMillis() + "ms (" + where + ")");
    }
  }

  static void requireRange(String field, int value, int min, int max, String where) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " out of range " + min + ".." + max + ": " + value + " (" + where + ")");
    }
  }
}
