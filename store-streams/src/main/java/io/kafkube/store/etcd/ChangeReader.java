package io.kafkube.store.etcd;

import io.kafkube.registry.serde.AvroDeserializer;
import io.kafkube.registry.serde.WireFormat;
import io.kafkube.schemas.envelope.KeyValues;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what the etcd view needs of a history value without decoding the objects: the revision, and
 * the object after the change, left encoded ({@link EncodedObject}) unless it is a raw {@code KeyValue}
 * (small, and its revisions and lease are needed at once). The encoded Change is walked field by field
 * with its writer schema: the fields before {@code after}, the object before the change included, are
 * skipped without being built. With a deserializer other than the registry's Avro one, the value is
 * decoded whole. Used by the view's thread only.
 */
final class ChangeReader {
  /**
   * What the view keeps of one change: the object after it, {@code decoded} (a raw KeyValue) or
   * {@code encoded} (a Kubernetes object), or neither for a delete.
   */
  record Read(long revision, GenericRecord decoded, EncodedObject encoded) {
    boolean deletes() {
      return decoded == null && encoded == null;
    }
  }

  private final Deserializer<GenericRecord> changes;
  /** Per writer schema id, the reader of its {@code after} union. */
  private final Map<Integer, DatumReader<Object>> unionReaders = new HashMap<>();

  ChangeReader(Deserializer<GenericRecord> changes) {
    this.changes = changes;
  }

  /** The change in {@code value}, or null for a tombstone. */
  Read read(String topic, byte[] value) {
    if (value == null) {
      return null;
    }
    if (!(changes instanceof AvroDeserializer<GenericRecord> avro)) {
      return whole(changes.deserialize(topic, value));
    }
    try {
      Schema writer = avro.writerSchema(value);
      BinaryDecoder in = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE,
          value.length - WireFormat.HEADER_SIZE, null);
      long revision = -1;
      for (Schema.Field f : writer.getFields()) {
        if (f.name().equals("revision")) {
          revision = in.readLong();
        } else if (f.name().equals("after")) {
          return after(revision, WireFormat.schemaId(value), f.schema(), value, in);
        } else {
          GenericDatumReader.skip(f.schema(), in);
        }
      }
      throw new IOException("no \"after\" field in " + writer.getFullName());
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot read a value of topic " + topic + ": " + e.getMessage(), e);
    }
  }

  /** {@code in} is at the start of the {@code after} union of {@code value}. */
  private Read after(long revision, int schemaId, Schema union, byte[] value, BinaryDecoder in) throws IOException {
    // a decoder over an array reads from the array itself: what it has not read is the rest of the value
    int start = value.length - in.inputStream().available();
    Schema branch = union.getTypes().get(in.readIndex());
    if (branch.getType() == Schema.Type.NULL) {
      return new Read(revision, null, null);
    }
    DatumReader<Object> reader = unionReaders.computeIfAbsent(schemaId, id -> new GenericDatumReader<>(union, union));
    EncodedObject object = new EncodedObject(reader, Arrays.copyOfRange(value, start, value.length));
    if (KeyValues.isKeyValue(branch)) {
      return new Read(revision, object.decode(), null);
    }
    return new Read(revision, null, object);
  }

  private static Read whole(GenericRecord change) {
    if (change == null) {
      return null;
    }
    return new Read(((Number) change.get("revision")).longValue(), (GenericRecord) change.get("after"), null);
  }
}
