package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** run.json in both views validates against the documented schema, schema/run.schema.json. */
class JsonSchemaTest {
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void runJsonValidatesAgainstTheSchema(boolean studentView) throws Exception {
    var schema = schema();
    var json =
        Reports.render(
            Fixtures.demoRun(),
            ReportFormat.JSON,
            studentView ? Options.STUDENT : Options.INSTRUCTOR);

    assertThat(schema.validate(new ObjectMapper().readTree(json))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void runJsonWithPathTracesValidatesAgainstTheSchema(boolean studentView) throws Exception {
    var json =
        Reports.render(
            PathFixtures.faultRun(),
            ReportFormat.JSON,
            studentView ? Options.STUDENT : Options.INSTRUCTOR);

    assertThat(schema().validate(new ObjectMapper().readTree(json))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void runJsonWithMeasuredPathsValidatesAgainstTheSchema(boolean studentView) throws Exception {
    var json =
        Reports.render(
            MeasureFixtures.measuredRun(),
            ReportFormat.JSON,
            studentView ? Options.STUDENT : Options.INSTRUCTOR);
    var tree = new ObjectMapper().readTree(json);
    assertThat(schema().validate(tree)).isEmpty();
    assertThat(tree.path("paths")).hasSize(6);
    assertThat(tree.path("paths").get(4).path("bitsPerSecond").asDouble())
        .as("a bulk cell's rate, with no round-trip time")
        .isEqualTo(9.41e9);
    assertThat(tree.path("paths").get(4).path("p50Ms").isNull()).isTrue();
    assertThat(tree.path("paths").get(2).path("histogram").get(10).asInt()).isEqualTo(86);
  }

  @Test
  void schemaHoldsPathHopsToTheirKinds() throws Exception {
    var json = Reports.render(PathFixtures.faultRun(), ReportFormat.JSON, Options.INSTRUCTOR);
    var bogus = json.replace("\"kind\": \"none\"", "\"kind\": \"lost\"");

    assertThat(bogus).isNotEqualTo(json);
    assertThat(schema().validate(new ObjectMapper().readTree(bogus))).isNotEmpty();
  }

  /** Real runs' files, when given: {@code -Drun.json.files=/tmp/x/run.json,/tmp/y/run.json}. */
  @Test
  void givenRunJsonFilesValidateAgainstTheSchema() throws Exception {
    var files = System.getProperty("run.json.files", "");
    assumeTrue(!files.isBlank(), "no -Drun.json.files given");
    var schema = schema();
    for (String file : files.split(",")) {
      var json = new ObjectMapper().readTree(Files.readString(Path.of(file)));
      assertThat(schema.validate(json)).as(file).isEmpty();
    }
  }

  private static JsonSchema schema() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("schema/run.schema.json"))) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }
}
