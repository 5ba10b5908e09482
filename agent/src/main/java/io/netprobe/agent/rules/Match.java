package io.netprobe.agent.rules;

/**
 * Whether a rule matches a flow, as far as its spec tells.
 *
 * <table>
 *   <tr><th>value</th><th>given when</th></tr>
 *   <tr><td>YES</td><td>every match of the rule was checked against the flow and holds</td></tr>
 *   <tr><td>MAYBE</td><td>none was found false, but some could not be checked: a field of the
 *       flow is unknown, or a match is not understood here (-m set, conntrack state, marks, ...)
 *       </td></tr>
 *   <tr><td>NO</td><td>at least one match is false for this flow</td></tr>
 * </table>
 *
 * Declared best first: sorting by it puts YES before MAYBE.
 */
public enum Match {
  YES,
  MAYBE,
  NO;

  /** Both: NO wins, then MAYBE. */
  public Match and(Match other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /** Either: YES wins, then MAYBE. */
  public Match or(Match other) {
    return compareTo(other) <= 0 ? this : other;
  }

  /** For a negated match ({@code ! -s ...}): YES and NO swap, MAYBE stays. */
  public Match not() {
    return switch (this) {
      case YES -> NO;
      case NO -> YES;
      case MAYBE -> MAYBE;
    };
  }

  /** Whether the rule may match: YES or MAYBE. */
  public boolean possible() {
    return this != NO;
  }

  static Match of(boolean value) {
    return value ? YES : NO;
  }
}
