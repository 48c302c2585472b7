package io.kafkube.registry.serde;

import io.kafkube.registry.client.SchemaRegistryClient;
import io.kafkube.registry.client.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values in Confluent's wire format: the writer schema is fetched by the id in the header
 * (cached), and the record is resolved to the configured reader schema (schema evolution) or, with
 * none, returned as a generic record of the writer schema. Null is read as null (tombstones).
 * Datum readers are cached per writer schema id. Short strings are {@link SharedStrings shared} between the
 * records read. Thread-safe.
 */
public final class AvroDeserializer<T extends GenericRecord> implements Deserializer<T> {
  private static final ThreadLocal<SharingDecoder> DECODER = ThreadLocal.withInitial(SharingDecoder::new);

  private SchemaRegistryClient client;
  private Schema readerSchema;
  private SpecificData specificData;
  private boolean specificByName;
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

  /** For Kafka: configure with {@link AvroSerdeConfig} keys before use. */
  public AvroDeserializer() {}

  private AvroDeserializer(SchemaRegistryClient client, Schema readerSchema, SpecificData specificData) {
    this.client = Objects.requireNonNull(client, "client");
    this.readerSchema = readerSchema;
    this.specificData = specificData;
  }

  /** Generic records of the writer's schema. */
  public static AvroDeserializer<GenericRecord> generic(SchemaRegistryClient client) {
    return new AvroDeserializer<>(client, null, null);
  }

  /** Generic records resolved to {@code readerSchema}. */
  public static AvroDeserializer<GenericRecord> generic(SchemaRegistryClient client, Schema readerSchema) {
    return new AvroDeserializer<>(client, Objects.requireNonNull(readerSchema, "readerSchema"), null);
  }

  /** Generated (specific) records of one class, resolved to the class's schema. */
  public static <T extends SpecificRecordBase> AvroDeserializer<T> specific(SchemaRegistryClient client, Class<T> type) {
    SpecificData data = SpecificData.getForClass(type);
    return new AvroDeserializer<>(client, data.getSchema(type), data);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = AvroSerdeConfig.client(configs);
    }
    if (specificData == null && readerSchema == null) {
      specificByName = AvroSerdeConfig.bool(configs, AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
    }
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (client == null) {
      throw new SerializationException("AvroDeserializer is not configured: no schema registry client");
    }
    int id = WireFormat.schemaId(bytes);
    DatumReader<T> reader = readers.get(id);
    if (reader == null) {
      reader = newReader(id);
      readers.putIfAbsent(id, reader);
    }
    try {
      SharingDecoder decoder = DECODER.get();
      decoder.reset(DecoderFactory.get()
          .binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, decoder.binary()));
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot deserialize a value of topic " + topic + " written with schema id "
          + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * The schema a value in the wire format was written with, for readers that walk the encoded value
   * themselves (the registry client keeps the schemas it has fetched).
   */
  public Schema writerSchema(byte[] bytes) {
    if (client == null) {
      throw new SerializationException("AvroDeserializer is not configured: no schema registry client");
    }
    return writerSchema(WireFormat.schemaId(bytes));
  }

  private Schema writerSchema(int id) {
    try {
      return client.getById(id);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("Cannot fetch the writer schema with id " + id + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private DatumReader<T> newReader(int id) {
    Schema writer = writerSchema(id);
    if (specificData != null) {
      return new SpecificDatumReader<>(writer, readerSchema, specificData);
    }
    if (specificByName) {
      SpecificData data = SpecificData.get();
      Class<?> type = data.getClass(writer);
      if (type != null && type != Object.class) {
        SpecificData forClass = SpecificData.getForClass(type);
        return new SpecificDatumReader<>(writer, forClass.getSchema(type), forClass);
      }
    }
    return (DatumReader<T>) new GenericDatumReader<GenericRecord>(
        writer, readerSchema != null ? readerSchema : writer, GenericData.get());
  }

  @Override
  public void close() {
    // the client is shared; nothing to release
  }
}
