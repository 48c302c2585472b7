package io.kafkube.schemas.envelope;

import io.kafkube.schemas.meta.AvroPaths;
import org.apache.avro.generic.GenericRecord;

/** Typed read access to an {@code io.kafkube.v1.Reply} record. */
public record ReplyView(GenericRecord record) {
  public String requestId() {
    return record.get("requestId").toString();
  }

  public int code() {
    return ((Number) record.get("code")).intValue();
  }

  public long revision() {
    return ((Number) record.get("revision")).longValue();
  }

  public GenericRecord object() {
    return (GenericRecord) record.get("object");
  }

  /** The meta.v1.Status of a failure, or null. */
  public GenericRecord status() {
    return (GenericRecord) record.get("status");
  }

  public boolean success() {
    return code() >= 200 && code() < 300;
  }

  public String reason() {
    return AvroPaths.string(status(), "reason");
  }

  public String message() {
    return AvroPaths.string(status(), "message");
  }
}
