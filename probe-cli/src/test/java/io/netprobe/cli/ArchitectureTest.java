package io.netprobe.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The architecture every module keeps, checked on the main classes of all four (this module's tests
 * see them all): the modules depend one way, agent <- matrices <- reports <- probe-cli, and no
 * package depends on itself through others.
 */
@AnalyzeClasses(packages = "io.netprobe", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String AGENT = "io.netprobe.agent..";
  private static final String MATRICES = "io.netprobe.matrix..";
  private static final String REPORTS = "io.netprobe.report..";
  private static final String CLI = "io.netprobe.cli..";

  /**
   * cli.connect's sub-packages (session, artefact, ssh, cleanup) split one component by job and
   * still use its vocabulary (ConnectOptions, NodeTarget) while its connectors use them: they count
   * as one package here. Every other package is its own.
   */
  private static final String CONNECT = "io.netprobe.cli.connect";

  @ArchTest
  static final ArchRule agentDependsOnNoOtherModule =
      noClasses()
          .that()
          .resideInAPackage(AGENT)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(MATRICES, REPORTS, CLI);

  @ArchTest
  static final ArchRule matricesDependOnTheAgentOnly =
      noClasses()
          .that()
          .resideInAPackage(MATRICES)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(REPORTS, CLI);

  @ArchTest
  static final ArchRule reportsDoNotDependOnTheCli =
      noClasses()
          .that()
          .resideInAPackage(REPORTS)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(CLI);

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().assignedFrom(new NetprobePackages()).should().beFreeOfCycles();

  private static final class NetprobePackages implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      String p = c.getPackageName();
      if (!p.startsWith("io.netprobe.")) {
        return SliceIdentifier.ignore();
      }
      return SliceIdentifier.of(p.startsWith(CONNECT + ".") ? CONNECT : p);
    }

    @Override
    public String getDescription() {
      return "the packages of io.netprobe (cli.connect with its sub-packages as one)";
    }
  }
}
