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
 * networks of its route facts and the names of its dns facts to look up), sent when the run starts;
 * nat facts read the rules the run's counters read anyway. Then a result per fact, lowest layer
 * first ({@link FactAnswers} decides each).
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
    for (FactCheck f : mine) {
      String key = FactAnswers.asked(f.fact());
      if (key != null && !(f.fact() instanceof Fact.RouteFact r && r.prefix() == 0)) {
        asked.add(key);
      }
    }
    List<String> routeTo = List.copyOf(asked);
    return agent
        .call("facts", Map.of("routeTo", routeTo))
        .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
        .thenApply(json -> RunEngine.read(json, Facts.class))
        .thenApply(
            f -> {
              // the agent answers a route choice per address asked, in the order asked
              Map<String, RouteChoice> choices = new HashMap<>();
              for (int i = 0; i < routeTo.size() && i < f.routeChoices().size(); i++) {
                choices.put(routeTo.get(i), f.routeChoices().get(i));
              }
              return new Reading(f, choices, null);
            });
  }

  /**
   * A result per fact, lowest layer first, in file order within a layer; a nat fact reads the
   * node's rules as the run's rule counters read them before the probes ({@code rules}).
   */
  List<CheckResult> results(Map<String, RunNode> nodes, Map<String, RulesSnapshot> rules) {
    List<FactCheck> ordered = new ArrayList<>(facts);
    ordered.sort(Comparator.comparingInt(f -> f.fact().layer()));
    List<CheckResult> out = new ArrayList<>();
    for (FactCheck f : ordered) {
      out.add(result(f, verdict(f, nodes, rules.get(f.node()))));
    }
    return out;
  }

  private Verdict verdict(FactCheck f, Map<String, RunNode> nodes, RulesSnapshot rules) {
    CompletableFuture<Reading> reading = readings.get(f.node());
    if (reading == null) {
      RunNode node = nodes.get(f.node());
      return Verdict.notChecked(
          f.node() + " could not be reached: " + (node == null ? "no agent there" : node.error()),
          List.of(),
          "fix the connection to " + f.node() + " and run again; this is not a network result");
    }
    try {
      Reading read = reading.join();
      return FactAnswers.answer(
          f.node(), f.fact(), new Reading(read.facts(), read.choices(), rules));
    } catch (RuntimeException e) {
      return Verdict.notChecked(
          "the agent on " + f.node() + " could not read its configuration: " + RunEngine.cause(e),
          List.of(),
          "");
    }
  }

  private static CheckResult result(FactCheck f, Verdict verdict) {
    Outcome outcome = RunEngine.outcome(f.expect(), verdict);
    verdict = RunEngine.withLabHint(verdict, outcome, f.hint());
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
