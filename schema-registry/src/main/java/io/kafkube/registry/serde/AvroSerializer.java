package io.kafkube.registry.serde;

import io.kafkube.registry.client.SchemaRegistryClient;
import io.kafkube.registry.client.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in Confluent's wire format (magic 0, 4-byte schema id, Avro binary). The
 * schema is the record's own, or a fixed writer schema; its id comes from the registry under the
 * subject the naming strategy gives ({@code <topic>-value} / {@code <topic>-key} by default),
 * registering it unless {@code auto.register.schemas=false}. Ids and datum writers are cached, so
 * after the first record of a schema a write costs no registry call. Null is written as null
 * (tombstones). Thread-safe.
 *
 * <p>Either built with a client ({@link #generic}, {@link #specific}) or created by Kafka with the
 * no-arg constructor and configured with {@link AvroSerdeConfig} keys.
 */
public final class AvroSerializer<T extends GenericRecord> implements Serializer<T> {
  private static final ThreadLocal<ByteSink> SINK = ThreadLocal.withInitial(ByteSink::new);
  private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();

  private SchemaRegistryClient client;
  private Schema writerSchema;
  private GenericData data;
  private boolean isKey;
  private boolean autoRegister = true;
  private SubjectNameStrategy strategy = SubjectNameStrategy.TOPIC_NAME;
  private final Map<String, Map<Schema, Integer>> ids = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  /** For Kafka: configure with {@link AvroSerdeConfig} keys before use. */
  public AvroSerializer() {}

  private AvroSerializer(SchemaRegistryClient client, Schema writerSchema, GenericData data, boolean isKey) {
    this.client = Objects.requireNonNull(client, "client");
    this.writerSchema = writerSchema;
    this.data = data;
    this.isKey = isKey;
  }

  /** Generic records, each written with its own schema. */
  public static AvroSerializer<GenericRecord> generic(SchemaRegistryClient client, boolean isKey) {
    return new AvroSerializer<>(client, null, null, isKey);
  }

  /** Generic records, all written with {@code writerSchema}. */
  public static AvroSerializer<GenericRecord> generic(SchemaRegistryClient client, Schema writerSchema, boolean isKey) {
    return new AvroSerializer<>(client, Objects.requireNonNull(writerSchema, "writerSchema"), null, isKey);
  }

  /** Generated (specific) records of one class, written with the class's schema. */
  public static <T extends SpecificRecordBase> AvroSerializer<T> specific(
      SchemaRegistryClient client, Class<T> type, boolean isKey) {
    SpecificData data = SpecificData.getForClass(type);
    return new AvroSerializer<>(client, data.getSchema(type), data, isKey);
  }

  /** Whether unknown schemas are registered (default) or must already be registered. */
  public AvroSerializer<T> autoRegister(boolean autoRegister) {
    this.autoRegister = autoRegister;
    return this;
  }

  /** How subjects are named (default {@code <topic>-value} / {@code <topic>-key}). */
  public AvroSerializer<T> subjectNameStrategy(SubjectNameStrategy strategy) {
    this.strategy = Objects.requireNonNull(strategy);
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    if (client == null) {
      client = AvroSerdeConfig.client(configs);
    }
    autoRegister = AvroSerdeConfig.bool(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, autoRegister);
    Object strategyConfig = configs.get(isKey
        ? AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY : AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY);
    if (strategyConfig != null) {
      strategy = SubjectNameStrategy.parse(strategyConfig);
    }
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (client == null) {
      throw new SerializationException("AvroSerializer is not configured: no schema registry client");
    }
    Schema schema = writerSchema != null ? writerSchema : record.getSchema();
    int id = schemaId(topic, schema);
    DatumWriter<Object> writer = writers.get(schema);
    if (writer == null) {
      writer = newWriter(schema, record);
      writers.putIfAbsent(schema, writer);
    }
    ByteSink sink = SINK.get();
    sink.reset();
    sink.write(WireFormat.MAGIC_BYTE);
    sink.writeInt(id);
    try {
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(sink, ENCODER.get());
      ENCODER.set(encoder);
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot serialize a " + schema.getFullName() + " for topic " + topic
          + " with schema id " + id + ": " + e.getMessage(), e);
    }
    return sink.toByteArray();
  }

  private int schemaId(String topic, Schema schema) {
    String subject = strategy.subject(topic, isKey, schema);
    Map<Schema, Integer> bySchema = ids.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer id = bySchema.get(schema);
    if (id != null) {
      return id;
    }
    try {
      if (autoRegister) {
        id = client.register(subject, schema);
      } else {
        id = client.lookup(subject, schema).orElseThrow(() -> new SerializationException(
            "Schema " + schema.getFullName() + " is not registered under subject " + subject
                + " and auto.register.schemas is false")).id();
      }
    } catch (SchemaRegistryException e) {
      throw new SerializationException("Schema registry refused schema " + schema.getFullName()
          + " for subject " + subject + ": " + e.getMessage(), e);
    }
    bySchema.put(schema, id);
    return id;
  }

  @SuppressWarnings("unchecked")
  private DatumWriter<Object> newWriter(Schema schema, T record) {
    if (data instanceof SpecificData sd) {
      return new SpecificDatumWriter<>(schema, sd);
    }
    if (record instanceof SpecificRecord) {
      return new SpecificDatumWriter<>(schema, SpecificData.getForClass(record.getClass()));
    }
    return new KafkubeDatumWriter<>(schema);
  }

  @Override
  public void close() {
    // the client is shared; nothing to release
  }
}
