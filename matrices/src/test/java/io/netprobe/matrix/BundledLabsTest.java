package io.netprobe.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundledLabsTest {

  @Test
  void bundledNamesAreExactlyTheLabLibrary() throws IOException {
    assertThat(LabLibraryTest.labFiles().map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrderElementsOf(BundledLabs.NAMES);
  }

  @Test
  void bundledLabsAreTheFilesOfTheLibrary() throws IOException {
    for (String name : BundledLabs.NAMES) {
      assertThat(BundledLabs.text(name)).isEqualTo(Files.readString(Path.of("labs", name)));
    }
    assertThat(BundledLabs.schema()).isEqualTo(Files.readString(MatrixSchemaTest.SCHEMA));
  }

  @Test
  void bundledDemoLoadsWithItsNameInMessages() throws MatrixException {
    Matrix demo = BundledLabs.load("demo.yaml", Map.of());
    assertThat(demo.source().file()).isEqualTo("labs/demo.yaml");
    assertThat(demo.checks()).isNotEmpty();
  }

  @Test
  void unknownBundledLabListsTheBundledOnes() {
    assertThatThrownBy(() -> BundledLabs.load("insa.yaml", Map.of()))
        .isInstanceOf(MatrixException.class)
        .hasMessageContaining("no bundled lab 'insa.yaml'; bundled labs are: demo.yaml");
  }
}
