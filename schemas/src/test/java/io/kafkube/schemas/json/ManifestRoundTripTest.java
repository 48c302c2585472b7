package io.kafkube.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One realistic manifest per served kind (src/test/resources/manifests/<Kind>.yaml, in the shape
 * {@code kubectl get -o yaml} prints): YAML → JSON → Avro → JSON is the identity, also through
 * Avro binary.
 */
class ManifestRoundTripTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static Stream<ResourceType> kinds() {
    return ResourceRegistry.kubernetes().all().stream();
  }

  static byte[] manifest(ResourceType type) throws IOException {
    try (InputStream in = ManifestRoundTripTest.class.getResourceAsStream("/manifests/" + type.kind() + ".yaml")) {
      assertThat(in).as("manifests/%s.yaml", type.kind()).isNotNull();
      return in.readAllBytes();
    }
  }

  /**
   * The JSON value with only what Kubernetes itself normalises removed: {@code field: null}
   * ({@code lastProbeTime: null}, {@code creationTimestamp: null} in templates) is the same as an
   * absent field. The text round trip makes the comparison independent of Jackson's numeric node
   * classes (IntNode vs LongNode).
   */
  static JsonNode canonical(JsonNode node) throws IOException {
    return withoutNullFields(MAPPER.readTree(MAPPER.writeValueAsString(node)));
  }

  private static JsonNode withoutNullFields(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      List<String> nulls = new ArrayList<>();
      o.fields().forEachRemaining(e -> {
        if (e.getValue().isNull()) {
          nulls.add(e.getKey());
        } else {
          withoutNullFields(e.getValue());
        }
      });
      o.remove(nulls);
    } else if (node.isArray()) {
      node.forEach(ManifestRoundTripTest::withoutNullFields);
    }
    return node;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void yamlToAvroToJsonIsTheIdentity(ResourceType type) throws IOException {
    ParsedDocument doc = KubeJson.parse(manifest(type));
    assertThat(doc.problems()).isEmpty();
    assertThat(doc.json().get("kind").asText()).isEqualTo(type.kind());
    assertThat(doc.json().size()).as("a realistic manifest").isGreaterThanOrEqualTo(3);
    Schema schema = KafkubeSchemas.kind(type);

    Conversion c = KubeJson.toAvro(doc.json(), schema);

    assertThat(c.problems()).isEmpty();
    ObjectNode back = KubeJson.toJson(c.record());
    assertThat(fieldNames(back)).startsWith("apiVersion", "kind");
    assertThat(canonical(back)).isEqualTo(canonical(doc.json()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void throughAvroBinaryToo(ResourceType type) throws IOException {
    ParsedDocument doc = KubeJson.parse(manifest(type));
    Schema schema = KafkubeSchemas.kind(type);
    GenericData.Record record = KubeJson.toAvro(doc.json(), schema).record();

    GenericRecord decoded = decode(schema, encode(schema, record));

    assertThat(decoded).isEqualTo(record);
    assertThat(canonical(KubeJson.toJson(decoded))).isEqualTo(canonical(doc.json()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void readBackWithoutTheJavaStringPropertyGivesUtf8AndTheSameJson(ResourceType type) throws IOException {
    ParsedDocument doc = KubeJson.parse(manifest(type));
    Schema schema = KafkubeSchemas.kind(type);
    byte[] bytes = encode(schema, KubeJson.toAvro(doc.json(), schema).record());
    // as a consumer with a schema from the registry, without the Java-specific property, reads it
    Schema plain = new Schema.Parser().parse(schema.toString().replace(",\"avro.java.string\":\"String\"", ""));
    assertThat(plain.toString()).doesNotContain("avro.java.string");

    GenericRecord decoded = decode(plain, bytes);

    assertThat(decoded.get("metadata")).isInstanceOf(GenericRecord.class);
    assertThat(((GenericRecord) decoded.get("metadata")).get("name")).isInstanceOf(org.apache.avro.util.Utf8.class);
    assertThat(canonical(KubeJson.toJson(decoded))).isEqualTo(canonical(doc.json()));
  }

  static byte[] encode(Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, enc);
    enc.flush();
    return out.toByteArray();
  }

  static GenericRecord decode(Schema schema, byte[] bytes) throws IOException {
    return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
