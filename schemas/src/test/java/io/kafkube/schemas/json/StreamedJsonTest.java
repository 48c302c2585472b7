package io.kafkube.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link KubeJson#toJsonBytes} writes a record's JSON without building the tree: byte for byte what Jackson
 * writes for {@link KubeJson#toJson}'s tree, for every kind's realistic manifest, read back from Avro binary
 * too (Utf8 strings, ByteBuffers), and for embedded JSON of every shape.
 */
class StreamedJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static Stream<ResourceType> kinds() {
    return ResourceRegistry.kubernetes().all().stream();
  }

  private static String treeJson(GenericRecord record) throws IOException {
    return MAPPER.writeValueAsString(KubeJson.toJson(record));
  }

  private static String streamedJson(GenericRecord record) {
    return new String(KubeJson.toJsonBytes(record), StandardCharsets.UTF_8);
  }

  private static GenericRecord manifestRecord(ResourceType type) throws IOException {
    Schema schema = KafkubeSchemas.kind(type);
    return KubeJson.toAvro(KubeJson.parse(ManifestRoundTripTest.manifest(type)).json(), schema).record();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyKindsManifestStreamsAsItsTreeWrites(ResourceType type) throws IOException {
    GenericRecord record = manifestRecord(type);

    assertThat(streamedJson(record)).isEqualTo(treeJson(record)).startsWith("{\"apiVersion\":");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void readBackFromAvroBinaryWithUtf8StringsToo(ResourceType type) throws IOException {
    Schema schema = KafkubeSchemas.kind(type);
    GenericRecord record = manifestRecord(type);
    Schema plain = new Schema.Parser().parse(schema.toString().replace(",\"avro.java.string\":\"String\"", ""));
    GenericRecord decoded = ManifestRoundTripTest.decode(plain, ManifestRoundTripTest.encode(schema, record));

    assertThat(streamedJson(decoded)).isEqualTo(treeJson(decoded)).isEqualTo(treeJson(record));
  }

  @Test
  void embeddedJsonOfEveryShapeIsCopiedAsTheTreeWritesIt() throws IOException {
    String manifest = """
        {"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"r","namespace":"default",
         "managedFields":[{"manager":"m","operation":"Update","apiVersion":"apps/v1","fieldsType":"FieldsV1",
          "fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}]},
         "revision":3,
         "data":{"s":"caf\\u00e9 \\"q\\" \\\\ \\n \\u0001 日本","i":7,"big":12345678901234567890123,"neg":-42,
          "f":1.5,"e":1e21,"small":1.0E-7,"t":true,"n":null,"a":[[],{},[1,[2,{"x":[]}]]],"o":{"":0}}}
        """;
    Schema schema = KafkubeSchemas.kind(ResourceRegistry.kubernetes().byGroupResource("controllerrevisions.apps")
        .orElseThrow());
    Conversion c = KubeJson.toAvro(KubeJson.parse(manifest.getBytes(StandardCharsets.UTF_8)).json(), schema);
    assertThat(c.problems()).isEmpty();

    assertThat(streamedJson(c.record())).isEqualTo(treeJson(c.record()))
        .contains("\"big\":12345678901234567890123", "\"e\":1.0E21", "\"f:app\":{}");
  }

  @Test
  void aScalarDataValueIsEmbeddedJsonToo() throws IOException {
    Schema schema = KafkubeSchemas.kind(ResourceRegistry.kubernetes().byGroupResource("controllerrevisions.apps")
        .orElseThrow());
    for (String data : new String[] {"\"text\"", "12", "-0.5", "false", "[]"}) {
      String manifest = "{\"apiVersion\":\"apps/v1\",\"kind\":\"ControllerRevision\",\"metadata\":{\"name\":\"r\"},"
          + "\"revision\":1,\"data\":" + data + "}";
      GenericRecord record = KubeJson.toAvro(KubeJson.parse(manifest.getBytes(StandardCharsets.UTF_8)).json(),
          schema).record();

      assertThat(streamedJson(record)).as(data).isEqualTo(treeJson(record)).contains("\"data\":" + data + ",");
    }
  }
}
