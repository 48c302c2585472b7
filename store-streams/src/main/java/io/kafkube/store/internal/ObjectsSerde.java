package io.kafkube.store.internal;

import io.kafkube.registry.serde.KafkubeDatumWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes an object of any kind as Avro binary of the union of every kind, the same union the
 * envelopes carry, with no registry round trip: the store measures an object's size with it (the
 * 1.5 MiB limit).
 */
public final class ObjectsSerde implements Serde<GenericRecord> {
  private final Schema union;
  private final KafkubeDatumWriter<Object> writer;
  private final GenericDatumReader<Object> reader;
  private final ThreadLocal<ByteArrayOutputStream> buffers = ThreadLocal.withInitial(ByteArrayOutputStream::new);

  /** @param union the union of every kind record (the {@code object} field of {@code Command}) */
  public ObjectsSerde(Schema union) {
    this.union = union;
    this.writer = new KafkubeDatumWriter<>(union);
    this.reader = new GenericDatumReader<>(union);
  }

  public byte[] toBytes(GenericRecord record) {
    if (record == null) {
      return null;
    }
    ByteArrayOutputStream out = buffers.get();
    out.reset();
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, enc);
      enc.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public GenericRecord fromBytes(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    BinaryDecoder dec = DecoderFactory.get().binaryDecoder(bytes, null);
    try {
      return (GenericRecord) reader.read(null, dec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int sizeOf(GenericRecord record) {
    return toBytes(record).length;
  }

  public Schema schema() {
    return union;
  }

  @Override
  public Serializer<GenericRecord> serializer() {
    return (topic, data) -> toBytes(data);
  }

  @Override
  public Deserializer<GenericRecord> deserializer() {
    return (topic, data) -> fromBytes(data);
  }
}
