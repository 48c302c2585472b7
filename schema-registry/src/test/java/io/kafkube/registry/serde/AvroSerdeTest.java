package io.kafkube.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkube.registry.client.InMemorySchemaRegistryClient;
import io.kafkube.registry.client.SchemaMetadata;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  static final Schema V1 = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Pod\",\"namespace\":\"io.kafkube.test\",\"fields\":["
          + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"replicas\",\"type\":\"int\"}]}");
  /** V1 plus a field with a default: a backward-compatible evolution. */
  static final Schema V2 = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Pod\",\"namespace\":\"io.kafkube.test\",\"fields\":["
          + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"replicas\",\"type\":\"int\"},"
          + "{\"name\":\"node\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

  final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  static GenericRecord pod(Schema schema, String name, int replicas) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("name", name);
    r.put("replicas", replicas);
    return r;
  }

  @Test
  void writesConfluentWireFormatAndReadsItBack() {
    AvroSerializer<GenericRecord> ser = AvroSerializer.generic(registry, false);
    byte[] bytes = ser.serialize("kafkube.state.pods", pod(V1, "web-0", 3));

    SchemaMetadata latest = registry.getLatest("kafkube.state.pods-value");
    assertThat(bytes[0]).isEqualTo((byte) 0);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latest.id());
    assertThat(bytes).hasSize(5 + 1 + 5 + 1); // header, string length + "web-0", zig-zag 3

    GenericRecord back = AvroDeserializer.generic(registry).deserialize("kafkube.state.pods", bytes);
    assertThat(back.getSchema()).isEqualTo(V1);
    assertThat(back.get("name")).isEqualTo(new Utf8("web-0"));
    assertThat(back.get("replicas")).isEqualTo(3);
  }

  /** Every Avro type the decoder passes through, with kafkube's java.lang.String strings. */
  static final Schema ALL = new Schema.Parser().parse("""
      {"type":"record","name":"All","namespace":"io.kafkube.test","fields":[
       {"name":"s","type":{"type":"string","avro.java.string":"String"}},
       {"name":"long","type":{"type":"string","avro.java.string":"String"}},
       {"name":"opt","type":["null",{"type":"string","avro.java.string":"String"}]},
       {"name":"labels","type":{"type":"map","values":{"type":"string","avro.java.string":"String"},
        "avro.java.string":"String"}},
       {"name":"list","type":{"type":"array","items":{"type":"string","avro.java.string":"String"}}},
       {"name":"n","type":"long"},{"name":"i","type":"int"},{"name":"b","type":"boolean"},
       {"name":"d","type":"double"},{"name":"f","type":"float"},{"name":"raw","type":"bytes"},
       {"name":"fx","type":{"type":"fixed","name":"Four","size":4}},
       {"name":"e","type":{"type":"enum","name":"Phase","symbols":["Pending","Running"]}}]}""");

  static GenericRecord all(String s, String opt) {
    GenericRecord r = new GenericData.Record(ALL);
    r.put("s", s);
    r.put("long", "x".repeat(SharedStrings.MAX_BYTES + 1));
    r.put("opt", opt);
    r.put("labels", Map.of("app", "web", "tier", "fr\u00e9nt\u00e9"));
    r.put("list", java.util.List.of("IfNotPresent", s));
    r.put("n", Long.MIN_VALUE);
    r.put("i", -7);
    r.put("b", true);
    r.put("d", 2.5);
    r.put("f", 1.5f);
    r.put("raw", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    r.put("fx", new GenericData.Fixed(ALL.getField("fx").schema(), new byte[] {9, 8, 7, 6}));
    r.put("e", new GenericData.EnumSymbol(ALL.getField("e").schema(), "Running"));
    return r;
  }

  @Test
  void readsEveryTypeAndSharesShortStringsBetweenRecords() {
    AvroSerializer<GenericRecord> ser = AvroSerializer.generic(registry, false);
    AvroDeserializer<GenericRecord> de = AvroDeserializer.generic(registry);
    GenericRecord a = de.deserialize("t", ser.serialize("t", all("ClusterFirst", null)));
    GenericRecord b = de.deserialize("t", ser.serialize("t", all("ClusterFirst", "d\u00e9faut")));

    assertThat(a).isEqualTo(all("ClusterFirst", null));
    assertThat(b).isEqualTo(all("ClusterFirst", "d\u00e9faut"));
    assertThat(b.get("opt")).isEqualTo("d\u00e9faut");
    // one String for a short value, however many records (and fields, and map keys) carry it
    assertThat(b.get("s")).isSameAs(a.get("s"));
    assertThat(((java.util.List<?>) b.get("list")).get(0)).isSameAs(((java.util.List<?>) a.get("list")).get(0));
    assertThat(((java.util.List<?>) a.get("list")).get(1)).isSameAs(a.get("s"));
    String tier = ((Map<?, ?>) a.get("labels")).keySet().stream().map(String.class::cast)
        .filter("tier"::equals).findFirst().orElseThrow();
    String tierAgain = ((Map<?, ?>) b.get("labels")).keySet().stream().map(String.class::cast)
        .filter("tier"::equals).findFirst().orElseThrow();
    assertThat(tierAgain).isSameAs(tier);
    // a long value is its own
    assertThat(b.get("long")).isEqualTo(a.get("long")).isNotSameAs(a.get("long"));
  }

  @Test
  void keysUseTheKeySubjectAndTheSameSchemaKeepsItsId() {
    AvroSerializer<GenericRecord> keys = AvroSerializer.generic(registry, true);
    AvroSerializer<GenericRecord> values = AvroSerializer.generic(registry, false);
    byte[] k = keys.serialize("t", pod(V1, "a", 1));
    byte[] v = values.serialize("t", pod(V1, "b", 2));
    assertThat(registry.subjects()).containsExactly("t-key", "t-value");
    assertThat(WireFormat.schemaId(k)).isEqualTo(WireFormat.schemaId(v));
    assertThat(registry.versions("t-value")).containsExactly(1);
  }

  @Test
  void nullIsATombstoneBothWays() {
    Serde<GenericRecord> serde = AvroSerde.generic(registry, V1, false);
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
    assertThat(registry.subjects()).isEmpty();
  }

  @Test
  void readerSchemaResolvesOlderWriters() {
    byte[] old = AvroSerializer.generic(registry, V1, false).serialize("pods", pod(V1, "old", 1));
    GenericRecord v2 = pod(V2, "new", 2);
    v2.put("node", "n1");
    byte[] neu = AvroSerializer.generic(registry, V2, false).serialize("pods", v2);
    assertThat(WireFormat.schemaId(neu)).isNotEqualTo(WireFormat.schemaId(old));

    AvroDeserializer<GenericRecord> asV2 = AvroDeserializer.generic(registry, V2);
    GenericRecord fromOld = asV2.deserialize("pods", old);
    assertThat(fromOld.getSchema()).isEqualTo(V2);
    assertThat(fromOld.get("node")).as("default of the reader").isNull();
    assertThat(asV2.deserialize("pods", neu).get("node")).isEqualTo(new Utf8("n1"));

    AvroDeserializer<GenericRecord> asV1 = AvroDeserializer.generic(registry, V1);
    assertThat(asV1.deserialize("pods", neu).getSchema()).as("forward read drops the new field").isEqualTo(V1);
    assertThat(AvroDeserializer.generic(registry).deserialize("pods", neu).getSchema()).isEqualTo(V2);
  }

  @Test
  void incompatibleSchemasAreRefusedAtSerialization() {
    AvroSerializer.generic(registry, V1, false).serialize("pods", pod(V1, "a", 1));
    Schema renamed = new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"Pod\",\"namespace\":\"io.kafkube.test\",\"fields\":["
            + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"count\",\"type\":\"int\"}]}");
    GenericRecord r = new GenericData.Record(renamed);
    r.put("name", "x");
    r.put("count", 1);
    assertThatThrownBy(() -> AvroSerializer.generic(registry, false).serialize("pods", r))
        .isInstanceOf(SerializationException.class).hasMessageContaining("pods-value");
  }

  @Test
  void withoutAutoRegisterTheSchemaMustExist() {
    AvroSerializer<GenericRecord> ser = AvroSerializer.generic(registry, false).autoRegister(false);
    assertThatThrownBy(() -> ser.serialize("pods", pod(V1, "a", 1)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("not registered");
    int id = registry.register("pods-value", V1);
    assertThat(WireFormat.schemaId(ser.serialize("pods", pod(V1, "a", 1)))).isEqualTo(id);
  }

  @Test
  void configuredLikeConfluentWithAMockScope() {
    String scope = "serde-test-" + System.nanoTime();
    try {
      AvroSerde<GenericRecord> serde = new AvroSerde<>();
      serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope,
          AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "io.confluent.kafka.serializers.subject.RecordNameStrategy"),
          false);
      byte[] bytes = serde.serializer().serialize("pods", pod(V1, "a", 1));
      assertThat(InMemorySchemaRegistryClient.forScope(scope).subjects()).containsExactly("io.kafkube.test.Pod");
      assertThat(serde.deserializer().deserialize("pods", bytes).get("name")).isEqualTo(new Utf8("a"));
    } finally {
      InMemorySchemaRegistryClient.dropScope(scope);
    }
  }

  @Test
  void rejectsBytesThatAreNotInTheWireFormat() {
    AvroDeserializer<GenericRecord> de = AvroDeserializer.generic(registry);
    assertThatThrownBy(() -> de.deserialize("t", new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte");
    assertThatThrownBy(() -> de.deserialize("t", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> de.deserialize("t", new byte[] {0, 0, 0, 0, 42, 2}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("42");
  }

  @Test
  void manyThreadsShareOneSerde() throws Exception {
    Serde<GenericRecord> serde = AvroSerde.generic(registry, V1, false);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 2000; i++) {
            String name = "p" + thread + "-" + i;
            GenericRecord back = serde.deserializer().deserialize("pods",
                serde.serializer().serialize("pods", pod(V1, name, i)));
            if (!back.get("name").toString().equals(name) || (int) back.get("replicas") != i) {
              return false;
            }
          }
          return true;
        }));
      }
      for (var f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(registry.versions("pods-value")).containsExactly(1);
  }
}
