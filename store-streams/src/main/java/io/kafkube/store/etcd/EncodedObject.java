package io.kafkube.store.etcd;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;

/**
 * A Kubernetes object as a history Change holds it: the Avro encoding of the Change's {@code after}
 * (its union index, then the record), decoded only when an etcd client reads the key. The etcd view
 * keeps every key of the cluster; kept encoded, an object costs its bytes rather than a tree of
 * records and strings, and a change no etcd client reads is never decoded.
 *
 * @param reader reads the writer's {@code after} union (shared by the objects of one writer schema)
 * @param bytes  the encoded union value
 */
record EncodedObject(DatumReader<Object> reader, byte[] bytes) {
  GenericRecord decode() {
    try {
      return (GenericRecord) reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode an object of history", e);
    }
  }
}
