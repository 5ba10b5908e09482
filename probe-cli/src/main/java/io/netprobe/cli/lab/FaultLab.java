package io.netprobe.cli.lab;

import io.netprobe.cli.error.UserException;
import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault lab ({@code faults-lab.sh}): a small company network, unlike the demo lab, whose faults
 * are switched on and off one by one, so that what netprobe says about each can be seen and tested.
 * Its matrix is {@code matrices/labs/faults.yaml}; healthy, every check passes.
 */
public final class FaultLab {
  private static final String SCRIPT = "faults-lab.sh";
  private final PrintWriter log;

  public FaultLab(PrintWriter log) {
    this.log = log;
  }

  /** Builds the lab healthy (does nothing when it is up). */
  public void up() {
    requireRoot();
    if (LabScript.run(SCRIPT, "up", log) != 0) {
      LabScript.run(SCRIPT, "down", log);
      throw new UserException("the fault lab did not come up; see the lines above", ExitCode.ERROR);
    }
  }

  /** Removes everything the lab made (namespaces np-f-*, its processes, its root route). */
  public void down() {
    requireRoot();
    LabScript.run(SCRIPT, "down", log);
  }

  public boolean status(PrintWriter out) {
    return LabScript.run(SCRIPT, "status", out) == 0;
  }

  /** Breaks the named faults ({@code all}: every one). */
  public void breakFaults(List<String> faults) {
    switchFaults("break", faults);
  }

  /** Restores the named faults ({@code all}: every one). */
  public void restore(List<String> faults) {
    switchFaults("restore", faults);
  }

  /** Prints every fault with what it breaks. */
  public void list(PrintWriter out) {
    LabScript.run(SCRIPT, "faults", out);
  }

  private void switchFaults(String action, List<String> faults) {
    requireRoot();
    List<String> args = new ArrayList<>(faults);
    int rc = LabScript.run(SCRIPT, action, log, args.toArray(String[]::new));
    if (rc != 0) {
      throw new UserException(
          "could not " + action + " " + String.join(" ", faults) + " (see above)",
          rc == 2 ? ExitCode.USAGE : ExitCode.ERROR);
    }
  }

  private static void requireRoot() {
    LabScript.requireRoot("the fault lab", "network namespaces, iptables, sshd");
  }
}
