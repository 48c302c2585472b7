package io.kafkube.schemas.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed .avsc files are exactly what the generator produces now. */
class GeneratedSchemasUpToDateTest {
  private static final Path RESOURCES = Path.of("src/main/resources");
  private static final String HOW = "The committed schemas are out of date; regenerate them with `"
      + SchemaGenerator.REGENERATE_COMMAND + "` and commit the result. ";

  @Test
  void committedSchemasEqualTheGeneratorOutput() throws IOException {
    SortedMap<String, String> generated = SchemaGenerator.generate();
    TreeSet<String> committed = new TreeSet<>();
    for (String dir : new String[] {SchemaGenerator.KINDS_DIR, SchemaGenerator.ENVELOPES_DIR}) {
      try (Stream<Path> files = Files.list(RESOURCES.resolve(dir))) {
        files.forEach(p -> committed.add(dir + p.getFileName()));
      }
    }
    assertThat(committed).as(HOW + "Files").containsExactlyElementsOf(generated.keySet());
    for (Map.Entry<String, String> e : generated.entrySet()) {
      String onDisk = Files.readString(RESOURCES.resolve(e.getKey()), StandardCharsets.UTF_8);
      assertThat(onDisk).as(HOW + e.getKey() + " differs").isEqualTo(e.getValue());
    }
  }

  @Test
  void generationIsDeterministic() {
    assertThat(SchemaGenerator.generate()).isEqualTo(SchemaGenerator.generate());
  }
}
