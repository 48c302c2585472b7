package io.kafkube.store.internal;

import io.kafkube.registry.serde.KafkubeDatumWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The size of an object of any kind as Avro binary of the union of every kind (the union the envelopes
 * carry), with no registry round trip: what the store checks against the 1.5 MiB limit. Inside an
 * {@code EncodedOnce} scope the encoding is the one the object's later writes reuse.
 */
public final class ObjectSize {
  private final KafkubeDatumWriter<Object> writer;
  private final ThreadLocal<ByteArrayOutputStream> buffers = ThreadLocal.withInitial(ByteArrayOutputStream::new);

  /** @param union the union of every kind record (the {@code object} field of {@code Command}) */
  public ObjectSize(Schema union) {
    this.writer = new KafkubeDatumWriter<>(union);
  }

  /** The object's encoded size in bytes. */
  public int of(GenericRecord record) {
    ByteArrayOutputStream out = buffers.get();
    out.reset();
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, enc);
      enc.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.size();
  }
}
