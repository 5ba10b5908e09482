package io.netprobe.cli.connect.session;

import io.netprobe.cli.connect.ConnectOptions;

/** The first exchange with a new agent: it answers hello within the connect timeout, or goes. */
public final class Hello {
  private Hello() {}

  /** Returns the session once its agent said hello; closes it and throws otherwise. */
  public static AgentSession await(AgentSession session, ConnectOptions o) {
    try {
      session.hello(o.connectTimeout());
      return session;
    } catch (AgentException e) {
      session.close();
      String why = e.getMessage();
      String prefix = "agent on " + session.node() + " (" + session.describe() + "): ";
      if (why.startsWith(prefix)) {
        why = why.substring(prefix.length());
      }
      throw new AgentException(
          e.code(),
          session.describe()
              + ": the agent did not say hello within "
              + o.connectTimeout().toMillis()
              + " ms: "
              + why,
          e);
    }
  }
}
