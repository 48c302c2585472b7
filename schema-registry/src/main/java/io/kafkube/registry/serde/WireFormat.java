package io.kafkube.registry.serde;

import org.apache.kafka.common.errors.SerializationException;

/** Confluent's wire format: magic byte 0, a 4-byte big-endian schema id, then the Avro binary. */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The schema id of an encoded value. */
  public static int schemaId(byte[] data) {
    if (data.length < HEADER_SIZE) {
      throw new SerializationException("Value of " + data.length + " bytes is too short for the Confluent wire format");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new SerializationException("Unknown magic byte " + data[0] + ": not in the Confluent wire format");
    }
    return ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
  }
}
