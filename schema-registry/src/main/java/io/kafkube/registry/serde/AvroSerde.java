package io.kafkube.registry.serde;

import io.kafkube.registry.client.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} of Avro records in Confluent's wire format: an {@link AvroSerializer} and
 * an {@link AvroDeserializer} sharing a registry client.
 *
 * <pre>{@code
 * SchemaRegistryClient registry = new CachedSchemaRegistryClient("http://127.0.0.1:8081");
 * Serde<Pod> pods = AvroSerde.specific(registry, Pod.class, false);          // generated classes
 * Serde<GenericRecord> any = AvroSerde.generic(registry, false);             // writer's schema
 * Serde<GenericRecord> fixed = AvroSerde.generic(registry, schema, false);   // write and read with schema
 * }</pre>
 *
 * Kafka can also create it with the no-arg constructor and configure it with
 * {@link AvroSerdeConfig} keys ({@code schema.registry.url}, {@code auto.register.schemas}, …).
 */
public final class AvroSerde<T extends GenericRecord> implements Serde<T> {
  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;
  private boolean isKey;

  /** For Kafka: configure with {@link AvroSerdeConfig} keys before use. */
  public AvroSerde() {
    this(new AvroSerializer<>(), new AvroDeserializer<>(), false);
  }

  public AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer, boolean isKey) {
    this.serializer = serializer;
    this.deserializer = deserializer;
    this.isKey = isKey;
  }

  /** Generic records: written with their own schema, read with the writer's schema. */
  public static AvroSerde<GenericRecord> generic(SchemaRegistryClient client, boolean isKey) {
    return new AvroSerde<>(AvroSerializer.generic(client, isKey), AvroDeserializer.generic(client), isKey);
  }

  /** Generic records written with {@code schema} and read into {@code schema} (resolving older writers). */
  public static AvroSerde<GenericRecord> generic(SchemaRegistryClient client, Schema schema, boolean isKey) {
    return new AvroSerde<>(AvroSerializer.generic(client, schema, isKey),
        AvroDeserializer.generic(client, schema), isKey);
  }

  /** Generated (specific) records of one class. */
  public static <T extends SpecificRecordBase> AvroSerde<T> specific(
      SchemaRegistryClient client, Class<T> type, boolean isKey) {
    return new AvroSerde<>(AvroSerializer.specific(client, type, isKey),
        AvroDeserializer.specific(client, type), isKey);
  }

  /** Whether this serde is for keys (subjects {@code <topic>-key}). */
  public boolean isKey() {
    return isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
