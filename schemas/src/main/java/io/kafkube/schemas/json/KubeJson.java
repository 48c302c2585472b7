package io.kafkube.schemas.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Kubernetes JSON (and YAML) ⇄ Avro generic records, driven by the generated schemas (their field
 * names and the {@code k8s.*} schema properties, see {@link io.kafkube.schemas.avro.SchemaProps}).
 * Stateless and thread-safe; the per-schema lookups are cached.
 *
 * <ul>
 *   <li>JSON {@code null} means absent. Unknown fields are dropped and reported; values of the
 *       wrong type are reported and left absent.
 *   <li>Quantity: string, or a number stored in its string form ({@code cpu: 1} → {@code "1"}).
 *       IntOrString: number or string. Time: RFC3339, kept to the second and printed
 *       {@code 2024-05-01T10:00:00Z}; MicroTime: printed with 6 fraction digits. Bytes: base64.
 *       RawExtension/FieldsV1: any JSON value.
 *   <li>Output: {@code apiVersion}, {@code kind} first for kind records, then the fields in
 *       schema order, absent fields omitted, empty lists and maps kept, map keys sorted.
 * </ul>
 */
public final class KubeJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private KubeJson() {}

  /**
   * Parses one JSON or YAML document, reporting duplicate keys with their paths.
   *
   * @throws MalformedDocumentException when the input is not one well-formed document
   */
  public static ParsedDocument parse(byte[] jsonOrYaml) {
    return DocumentReader.read(jsonOrYaml);
  }

  /** Converts a JSON object to a record of {@code recordSchema} (a kind or any other record). */
  public static Conversion toAvro(JsonNode json, Schema recordSchema) {
    Context ctx = new Context();
    GenericData.Record record = Codecs.record(recordSchema).toAvro(json, ctx);
    return new Conversion(record, ctx.problems);
  }

  /**
   * {@link #parse} then {@link #toAvro}: the problems of both (duplicates first).
   *
   * @throws MalformedDocumentException when the input is not one well-formed document
   */
  public static Conversion decode(byte[] jsonOrYaml, Schema recordSchema) {
    ParsedDocument doc = parse(jsonOrYaml);
    Conversion c = toAvro(doc.json(), recordSchema);
    if (doc.problems().isEmpty()) {
      return c;
    }
    List<FieldProblem> all = new ArrayList<>(doc.problems());
    all.addAll(c.problems());
    return new Conversion(c.record(), all);
  }

  /** The Kubernetes JSON of a record (generic data, as built here or read back from Kafka). */
  public static ObjectNode toJson(GenericRecord record) {
    return Codecs.record(record.getSchema()).toJson(record);
  }

  /**
   * Writes the Kubernetes JSON of a record: the same text as {@link #toJson}'s tree written by Jackson,
   * without building the tree. The generator must come from an {@code ObjectMapper}'s factory.
   */
  public static void write(GenericRecord record, JsonGenerator out) throws IOException {
    Codecs.record(record.getSchema()).write(record, out);
  }

  /** The compact Kubernetes JSON bytes of a record ({@link #write}). */
  public static byte[] toJsonBytes(GenericRecord record) {
    try (ByteArrayBuilder bytes = new ByteArrayBuilder();
        JsonGenerator out = MAPPER.getFactory().createGenerator(bytes)) {
      write(record, out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
