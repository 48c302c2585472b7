package io.kafkube.schemas.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §8: the build fails if a schema is not BACKWARD compatible with the last release's
 * (src/test/resources/compat/baseline): the current schema must read data the baseline wrote.
 */
class BackwardCompatibilityTest {
  private static final Path BASELINE = Path.of("src/test/resources/compat/baseline");

  @Test
  void currentSchemasReadDataWrittenWithTheBaseline() throws IOException {
    SortedMap<String, String> current = new TreeMap<>();
    SchemaGenerator.generate().forEach((path, json) ->
        current.put(path.substring(SchemaGenerator.ROOT.length()), json));
    SortedMap<String, String> baseline = baseline();
    assertThat(baseline).containsKeys("kinds/Pod.avsc", "envelopes/Command.avsc");
    List<String> problems = incompatibilities(current, baseline);
    assertThat(problems)
        .as("schemas not backward compatible with the last release (reader = current, writer = baseline)")
        .isEmpty();
  }

  @Test
  void theGateCatchesBreakingChanges() throws IOException {
    SortedMap<String, String> baseline = baseline();
    SortedMap<String, String> changed = new TreeMap<>(baseline);
    // a required field added without default, at the top level ...
    String userInfo = baseline.get("envelopes/UserInfo.avsc");
    changed.put("envelopes/UserInfo.avsc", replaceOnce(userInfo, "\"fields\" : [ {",
        "\"fields\" : [ { \"name\" : \"tenant\", \"type\" : \"string\" }, {"));
    // ... and nested (ObjectMeta, defined inline in Pod): Avro reports the enclosing union
    String pod = baseline.get("kinds/Pod.avsc");
    changed.put("kinds/Pod.avsc", replaceOnce(pod, "\"name\" : \"generateName\",",
        "\"name\" : \"tenant\", \"type\" : \"string\" }, { \"name\" : \"generateName\","));
    // a removed enum symbol
    changed.put("envelopes/Op.avsc", replaceOnce(baseline.get("envelopes/Op.avsc"), ", \"BIND\"", ""));

    List<String> problems = incompatibilities(changed, baseline);

    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).startsWith("envelopes/Op.avsc").contains("MISSING_ENUM_SYMBOLS", "BIND");
    assertThat(problems.get(1)).startsWith("envelopes/UserInfo.avsc")
        .contains("READER_FIELD_MISSING_DEFAULT", "tenant");
    assertThat(problems.get(2)).startsWith("kinds/Pod.avsc").contains("MISSING_UNION_BRANCH at /fields/0");
  }

  @Test
  void addingAnOptionalFieldIsCompatible() throws IOException {
    SortedMap<String, String> baseline = baseline();
    SortedMap<String, String> changed = new TreeMap<>(baseline);
    changed.put("kinds/Pod.avsc", replaceOnce(baseline.get("kinds/Pod.avsc"), "\"name\" : \"generateName\",",
        "\"name\" : \"tenant\", \"type\" : [\"null\", \"string\"], \"default\" : null }, "
            + "{ \"name\" : \"generateName\","));
    assertThat(incompatibilities(changed, baseline)).isEmpty();
  }

  private static String replaceOnce(String text, String target, String replacement) {
    int i = text.indexOf(target);
    assertThat(i).as("test setup: %s not found", target).isNotNegative();
    return text.substring(0, i) + replacement + text.substring(i + target.length());
  }

  @Test
  void theGateCatchesARemovedSchema() throws IOException {
    SortedMap<String, String> changed = new TreeMap<>(baseline());
    changed.remove("kinds/Lease.avsc");
    assertThat(incompatibilities(changed, baseline()))
        .containsExactly("kinds/Lease.avsc: removed since the last release");
  }

  /** One line per incompatible schema, naming the file and Avro's incompatibilities. */
  static List<String> incompatibilities(Map<String, String> current, Map<String, String> baseline) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : baseline.entrySet()) {
      String now = current.get(e.getKey());
      if (now == null) {
        problems.add(e.getKey() + ": removed since the last release");
        continue;
      }
      Schema reader = new Schema.Parser().parse(now);
      Schema writer = new Schema.Parser().parse(e.getValue());
      SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
        problems.add(e.getKey() + ": " + result.getResult().getIncompatibilities().stream()
            .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
            .toList());
      }
    }
    return problems;
  }

  private static SortedMap<String, String> baseline() throws IOException {
    SortedMap<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(BASELINE)) {
      for (Path p : paths.filter(p -> p.toString().endsWith(".avsc")).toList()) {
        files.put(BASELINE.relativize(p).toString().replace('\\', '/'),
            Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
