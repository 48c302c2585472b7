package io.kafkube.schemas.gen;

import io.kafkube.schemas.proto.ProtoCatalog;
import io.kafkube.schemas.avro.SchemaProps;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * Generates the Avro schemas of kafkube from the protobuf descriptors of client-java-proto: one
 * self-contained {@code .avsc} per kind and per envelope. The output is committed; regenerate with
 *
 * <pre>mvn -o -q -pl schemas compile exec:java</pre>
 *
 * (the exec plugin is configured in schemas/pom.xml to run this class with
 * {@code schemas/src/main/resources} as output directory).
 */
public final class SchemaGenerator {
  /** Where the schemas live, relative to a resources root (and on the classpath). */
  public static final String ROOT = "io/kafkube/schemas/avro/";
  public static final String KINDS_DIR = ROOT + "kinds/";
  public static final String ENVELOPES_DIR = ROOT + "envelopes/";
  public static final String REGENERATE_COMMAND = "mvn -o -q -pl schemas compile exec:java  (from the repository root)";

  static final String STATUS_PROTO = "k8s.io.apimachinery.pkg.apis.meta.v1.Status";

  private SchemaGenerator() {}

  /** Path (relative to a resources root) → pretty-printed schema JSON, in a stable order. */
  public static SortedMap<String, String> generate() {
    return generate(ResourceRegistry.kubernetes());
  }

  static SortedMap<String, String> generate(ResourceRegistry registry) {
    Generated g = build(registry);
    SortedMap<String, String> files = new TreeMap<>();
    for (Map.Entry<ResourceType, Schema> e : g.kinds().entrySet()) {
      files.put(KINDS_DIR + e.getKey().kind() + ".avsc", print(e.getValue()));
    }
    EnvelopeSchemas.Envelopes env = g.envelopes();
    files.put(ENVELOPES_DIR + "Command.avsc", print(env.command()));
    files.put(ENVELOPES_DIR + "Change.avsc", print(env.change()));
    files.put(ENVELOPES_DIR + "Reply.avsc", print(env.reply()));
    files.put(ENVELOPES_DIR + "KeyValue.avsc", print(env.keyValue()));
    files.put(ENVELOPES_DIR + "Op.avsc", print(env.op()));
    files.put(ENVELOPES_DIR + "UserInfo.avsc", print(env.userInfo()));
    return Collections.unmodifiableSortedMap(files);
  }

  /** The generated schema objects, before printing. */
  record Generated(Map<ResourceType, Schema> kinds, Schema status, EnvelopeSchemas.Envelopes envelopes,
      int recordTypes) {}

  static Generated build(ResourceRegistry registry) {
    ProtoCatalog catalog = ProtoCatalog.kubernetes();
    ProtoToAvro mapper = new ProtoToAvro();
    Map<ResourceType, Schema> kinds = new LinkedHashMap<>();
    List<Schema> kindRecords = new ArrayList<>();
    for (ResourceType t : registry.all()) {
      Schema record = mapper.record(catalog.message(t.protoName()));
      if (!record.getFullName().equals(t.avroFullName())) {
        throw new IllegalStateException(record.getFullName() + " != " + t.avroFullName());
      }
      record.addProp(SchemaProps.KIND, t.kind());
      record.addProp(SchemaProps.API_VERSION, t.apiVersion());
      record.addProp(SchemaProps.RESOURCE, t.groupResource());
      kinds.put(t, record);
      kindRecords.add(record);
    }
    Schema status = mapper.record(catalog.message(STATUS_PROTO));
    status.addProp(SchemaProps.KIND, "Status");
    status.addProp(SchemaProps.API_VERSION, "v1");
    if (!mapper.inlineFieldsUsed().equals(ProtoToAvro.INLINE_FIELDS)) {
      throw new IllegalStateException("inline fields never met (typo or removed from the protos?): "
          + ProtoToAvro.INLINE_FIELDS.stream().filter(f -> !mapper.inlineFieldsUsed().contains(f)).toList());
    }
    EnvelopeSchemas.Envelopes envelopes = EnvelopeSchemas.build(kindRecords, status);
    // + the envelope records: KeyValue, UserInfo, Preconditions, Command, Change, Reply
    return new Generated(kinds, status, envelopes, mapper.recordCount() + 6);
  }

  static String print(Schema schema) {
    return schema.toString(true).replace("\r\n", "\n") + "\n";
  }

  /** Writes the schemas under {@code args[0]} (a resources root), removing stale files. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: SchemaGenerator <resources-root>");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    SortedMap<String, String> files = generate();
    for (String dir : List.of(KINDS_DIR, ENVELOPES_DIR)) {
      Path d = root.resolve(dir);
      Files.createDirectories(d);
      try (Stream<Path> existing = Files.list(d)) {
        existing.filter(p -> p.toString().endsWith(".avsc"))
            .filter(p -> !files.containsKey(dir + p.getFileName()))
            .forEach(SchemaGenerator::delete);
      }
    }
    for (Map.Entry<String, String> e : files.entrySet()) {
      Files.writeString(root.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
    }
    System.out.println("wrote " + files.size() + " schema files under " + root.toAbsolutePath());
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
