package io.netprobe.cli.run;

import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.agent.rules.RulesSnapshot;
import io.netprobe.cli.explain.FactAnswers;
import io.netprobe.cli.explain.FactAnswers.Reading;
import io.netprobe.matrix.Fact;
import io.netprobe.matrix.FactCheck;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The checks of configuration of a run: one {@code facts} request per node that has some (with the
 * networks of its route facts and the names of its dns facts to look up) and one {@code rules}
 * request where a nat fact needs the nat table, all sent at once while the probes run; then a
 * result per fact, lowest layer first ({@link FactAnswers} decides each).
 */
final class FactChecks {
  private static final long WAIT_MS = 15_000;

  private final List<FactCheck> facts;
  private final Map<String, CompletableFuture<Reading>> readings = new LinkedHashMap<>();

  private FactChecks(List<FactCheck> facts) {
    this.facts = facts;
  }

  /** Asks every node with a fact for what the facts need, now. */
  static FactChecks start(Map<String, AgentCalls> agents, List<FactCheck> facts) {
    FactChecks out = new FactChecks(facts);
    Map<String, List<FactCheck>> byNode = new LinkedHashMap<>();
    facts.forEach(f -> byNode.computeIfAbsent(f.node(), k -> new ArrayList<>()).add(f));
    byNode.forEach(
        (node, mine) -> {
          AgentCalls agent = agents.get(node);
          if (agent != null) {
            out.readings.put(node, read(agent, mine));
          }
        });
    return out;
  }

  private static CompletableFuture<Reading> read(AgentCalls agent, List<FactCheck> mine) {
    Set<String> asked = new LinkedHashSet<>();
    boolean nat = false;
    for (FactCheck f : mine) {
      String key = FactAnswers.asked(f.fact());
      if (key != null && !(f.fact() instanceof Fact.RouteFact r && r.prefix() == 0)) {
        asked.add(key);
      }
      nat |= f.fact() instanceof Fact.NatFact;
    }
    List<String> routeTo = List.copyOf(asked);
    CompletableFuture<Facts> facts =
        agent
            .call("facts", Map.of("routeTo", routeTo))
            .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
            .thenApply(json -> RunEngine.read(json, Facts.class));
    CompletableFuture<RulesSnapshot> rules =
        nat
            ? agent
                .call("rules", Map.of())
                .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
                .thenApply(json -> RunEngine.read(json, RulesSnapshot.class))
                .exceptionally(e -> null)
            : CompletableFuture.completedFuture(null);
    return facts.thenCombine(
        rules,
        (f, r) -> {
          // the agent answers a route choice per address asked, in the order asked
          Map<String, RouteChoice> choices = new HashMap<>();
          for (int i = 0; i < routeTo.size() && i < f.routeChoices().size(); i++) {
            choices.put(routeTo.get(i), f.routeChoices().get(i));
          }
          return new Reading(f, choices, r);
        });
  }

  /** A result per fact, lowest layer first, in file order within a layer. */
  List<CheckResult> results(Map<String, RunNode> nodes) {
    List<FactCheck> ordered = new ArrayList<>(facts);
    ordered.sort(Comparator.comparingInt(f -> f.fact().layer()));
    List<CheckResult> out = new ArrayList<>();
    for (FactCheck f : ordered) {
      out.add(result(f, verdict(f, nodes)));
    }
    return out;
  }

  private Verdict verdict(FactCheck f, Map<String, RunNode> nodes) {
    CompletableFuture<Reading> reading = readings.get(f.node());
    if (reading == null) {
      RunNode node = nodes.get(f.node());
      return Verdict.notChecked(
          f.node() + " could not be reached: " + (node == null ? "no agent there" : node.error()),
          List.of(),
          "fix the connection to " + f.node() + " and run again; this is not a network result");
    }
    try {
      return FactAnswers.answer(f.node(), f.fact(), reading.join());
    } catch (RuntimeException e) {
      return Verdict.notChecked(
          "the agent on " + f.node() + " could not read its configuration: " + RunEngine.cause(e),
          List.of(),
          "");
    }
  }

  private static CheckResult result(FactCheck f, Verdict verdict) {
    Outcome outcome =
        verdict.disposition() == null
            ? Outcome.ERROR
            : f.expect().isMetBy(verdict.disposition()) ? Outcome.OK : Outcome.UNEXPECTED;
    if (!f.hint().isEmpty() && outcome != Outcome.ERROR) {
      verdict =
          verdict.withHint(
              outcome == Outcome.OK || verdict.hint().isEmpty()
                  ? f.hint()
                  : verdict.hint() + ". Lab note: " + f.hint());
    }
    return CheckResult.builder(f.id(), f.node(), f.fact().text(), f.fact().kind())
        .title(f.displayTitle())
        .layer(CheckResult.CONFIG)
        .expected(f.expect().label())
        .outcome(outcome)
        .verdict(verdict)
        .points(f.points())
        .attempts(verdict.disposition() == null ? 0 : 1, false, 0)
        .build();
  }
}
