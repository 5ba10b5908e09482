package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Measure;
import io.netprobe.report.model.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The paths table every format shows: one row per measuring cell (rr, bulk, and icmp with echoes),
 * and a comparison by path kind (host, netns, docker0, NAT, port-forward, as the matrix's addresses
 * name them). Its cells are text, formatted once here; each renderer only lays them out.
 */
final class PathsTable {
  static final List<String> HEADER =
      List.of(
          "path",
          "kind",
          "probe",
          "answered",
          "tps",
          "p50",
          "p90",
          "p99",
          "max",
          "loss",
          "throughput");

  static final List<String> KIND_HEADER =
      List.of("path kind", "cells", "best tps", "best p50", "worst p99", "best throughput");

  private PathsTable() {}

  /** A row of the table. */
  record Row(CheckResult cell, List<String> cells) {}

  static List<Row> rows(RunResult run) {
    List<Row> rows = new ArrayList<>();
    for (CheckResult c : run.measured()) {
      Measure m = c.measure();
      rows.add(
          new Row(
              c,
              List.of(
                  c.from() + " -> " + c.to(),
                  kind(c),
                  c.probe(),
                  m.timed() ? String.format(Locale.ROOT, "%,d", m.count()) : "-",
                  m.tps() == null ? "-" : String.format(Locale.ROOT, "%,.0f/s", m.tps()),
                  ms(m.p50Ms()),
                  ms(m.p90Ms()),
                  ms(m.p99Ms()),
                  ms(m.maxMs()),
                  m.lost() == 0 && !m.kind().equals("rr:udp") && !m.kind().equals("icmp")
                      ? "-"
                      : String.format(Locale.ROOT, "%.1f%%", m.lossPercent()),
                  rate(m.bitsPerSecond()))));
    }
    return rows;
  }

  /**
   * Per path kind, over its rr cells (echoes are paced, their rate says nothing): how many, the
   * best rate, the best median and the worst p99 (of rr and echoes), the best throughput (bulk); a
   * figure no cell of the kind measured is {@code -}.
   */
  static List<List<String>> byKind(RunResult run) {
    Map<String, List<Measure>> kinds = new LinkedHashMap<>();
    for (CheckResult c : run.measured()) {
      kinds.computeIfAbsent(kind(c), k -> new ArrayList<>()).add(c.measure());
    }
    List<List<String>> out = new ArrayList<>();
    kinds.forEach(
        (kind, measures) -> {
          double tps =
              measures.stream()
                  .filter(m -> m.tps() != null)
                  .mapToDouble(Measure::tps)
                  .max()
                  .orElse(-1);
          List<Measure> timed = measures.stream().filter(Measure::timed).toList();
          double bits =
              measures.stream()
                  .filter(m -> m.bitsPerSecond() != null)
                  .mapToDouble(Measure::bitsPerSecond)
                  .max()
                  .orElse(-1);
          out.add(
              List.of(
                  kind,
                  Integer.toString(measures.size()),
                  tps < 0 ? "-" : String.format(Locale.ROOT, "%,.0f/s", tps),
                  timed.isEmpty()
                      ? "-"
                      : ms(timed.stream().mapToDouble(Measure::p50Ms).min().orElse(0)),
                  timed.isEmpty()
                      ? "-"
                      : ms(timed.stream().mapToDouble(Measure::p99Ms).max().orElse(0)),
                  bits < 0 ? "-" : rate(bits)));
        });
    return out;
  }

  /** The path kind of a cell's address, or {@code direct} where the matrix names none. */
  static String kind(CheckResult c) {
    return c.pathKind() == null ? "direct" : c.pathKind();
  }

  /** {@code 9.41 Gbit/s}; {@code -} for a cell that measured no throughput. */
  static String rate(Double bitsPerSecond) {
    return bitsPerSecond == null ? "-" : io.netprobe.agent.probe.Throughput.rate(bitsPerSecond);
  }

  /** {@code 0.031 ms}, {@code 11.7 ms}; {@code -} for a cell that timed no round trip. */
  static String ms(Double v) {
    if (v == null) {
      return "-";
    }
    return v < 10
        ? String.format(Locale.ROOT, "%.3f ms", v)
        : String.format(Locale.ROOT, "%.1f ms", v);
  }

  /** The table as aligned text lines (terminal), header first. */
  static List<String> aligned(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> r : all) {
      for (int i = 0; i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> r : all) {
      StringBuilder line = new StringBuilder(" ");
      for (int i = 0; i < r.size(); i++) {
        String cell = r.get(i);
        boolean number = i >= 3 || header == KIND_HEADER && i >= 1;
        String pad = " ".repeat(width[i] - cell.length());
        line.append(' ').append(number ? pad + cell : cell + pad);
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  static List<List<String>> cells(List<Row> rows) {
    return rows.stream().map(Row::cells).toList();
  }

  /** The first {@code limit} rows' cells: a text report of a big mesh stays readable. */
  static List<List<String>> cells(List<Row> rows, int limit) {
    return cells(rows.subList(0, Math.min(limit, rows.size())));
  }

  /** What a shortened table says under it; empty when it shows every row. */
  static String more(List<Row> rows, int limit) {
    return rows.size() <= limit
        ? ""
        : "... and "
            + (rows.size() - limit)
            + " more paths: every one is in run.json and report.html";
  }
}
