package io.netprobe.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The JSON Schema that editors read and the loader accept the same files. */
class MatrixSchemaTest {
  static final Path SCHEMA = Path.of("schema/matrix.schema.json");
  static final String MODELINE = "# yaml-language-server: $schema=../schema/matrix.schema.json";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static JsonNode schemaTree;
  private static JsonSchema schema;

  @BeforeAll
  static void readSchema() throws IOException {
    schemaTree = new ObjectMapper().readTree(SCHEMA.toFile());
    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaTree);
  }

  static Stream<Path> labFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("labs"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void schemaListsExactlyTheFieldsTheLoaderAccepts() {
    Fields.byDefinition()
        .forEach(
            (definition, fields) -> {
              JsonNode node =
                  definition.equals("matrix")
                      ? schemaTree
                      : schemaTree.at("/definitions/" + definition);
              List<String> inSchema = new ArrayList<>();
              node.path("properties").fieldNames().forEachRemaining(inSchema::add);
              assertThat(inSchema)
                  .as("properties of schema definition '%s' vs the loader's fields", definition)
                  .containsExactlyInAnyOrderElementsOf(fields);
              assertThat(node.path("additionalProperties").asBoolean(true))
                  .as(
                      "schema definition '%s' must reject unknown fields, as the loader does",
                      definition)
                  .isFalse();
            });
  }

  @Test
  void schemaEnumsAreTheLoadersNames() {
    assertThat(texts(schemaTree.at("/definitions/node/properties/kind/enum")))
        .containsExactlyElementsOf(NodeKind.yamlNames());
    assertThat(texts(schemaTree.at("/definitions/address/properties/path/enum")))
        .containsExactlyElementsOf(PathKind.yamlNames());
    assertThat(texts(schemaTree.at("/definitions/expectation/enum")))
        .containsExactlyElementsOf(Expectation.yamlNames());
  }

  @ParameterizedTest
  @MethodSource("labFiles")
  void labFileValidatesAgainstTheSchema(Path lab) throws IOException {
    assertThat(schemaErrors(Files.readString(lab))).as(lab.toString()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("labFiles")
  void labFileStartsWithTheSchemaModeline(Path lab) throws IOException {
    assertThat(Files.readAllLines(lab).get(0)).isEqualTo(MODELINE);
  }

  @Test
  void baseMatrixIsValidForBoth() throws Exception {
    assertThat(schemaErrors(Yamls.BASE)).isEmpty();
    assertThat(Yamls.load(Yamls.BASE).checks()).isNotEmpty();
  }

  /** Structural mistakes: the editor flags them, and so does the loader. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "    ssh: { host: 127.0.0.1, port: 2222, user: lab, password: x }",
        "    ssh: { host: 127.0.0.1, port: 70000, user: lab }",
        "    ssh: [127.0.0.1]",
        "  pc: { kind: vm }",
        "  pc: { kind: local, colour: blue }",
        "  - { from: vm, to: internet, probe: ftp, expect: pass }",
        "  - { from: vm, to: internet, probe: icmp, expect: maybe }",
        "  - { from: vm, to: internet, probe: icmp }",
        "  - { from: vm, to: internet, probe: icmp, expect: pass, timeout: 5 }",
      })
  void structuralMistakeIsRejectedByBoth(String line) {
    int lineNo = line.startsWith("    ssh") ? 7 : line.startsWith("  pc") ? 4 : 14;
    String yaml = Yamls.baseWithLine(lineNo, line);
    assertThat(schemaErrors(yaml)).as("schema errors for: " + line).isNotEmpty();
    assertThat(Yamls.problems(yaml)).as("loader problems for: " + line).isNotEmpty();
  }

  private static Set<ValidationMessage> schemaErrors(String yaml) {
    try {
      return schema.validate(YAML.readTree(yaml));
    } catch (IOException e) {
      throw new AssertionError("not YAML: " + e.getMessage(), e);
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
