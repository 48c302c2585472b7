package io.kafkube.schemas.envelope;

import io.kafkube.schemas.meta.AvroPaths;
import org.apache.avro.generic.GenericRecord;

/** Typed read access to an {@code io.kafkube.v1.Reply} record. */
public record ReplyView(GenericRecord record) {
  /**
   * The code of the Reply a written change of {@code verb} gets: 201 for a create, 200 for an update
   * (of the object or its status); -1 for the other verbs, whose replies do not follow from their
   * Change alone. The store leaves out the Reply of a command marked {@code replyInHistory} exactly
   * when its outcome has this code and returns the object written.
   */
  public static int codeOfChange(Op verb) {
    return switch (verb) {
      case CREATE -> 201;
      case UPDATE, UPDATE_STATUS -> 200;
      default -> -1;
    };
  }

  /** The Reply a history Change stands for ({@link #codeOfChange}), or null when its verb has none. */
  public static ReplyView fromChange(GenericRecord change) {
    int code = codeOfChange(Op.valueOf(change.get("verb").toString()));
    if (code < 0) {
      return null;
    }
    return new ReplyView(Envelopes.reply(change.get("requestId").toString(), code,
        ((Number) change.get("revision")).longValue(), (GenericRecord) change.get("after"), null, null));
  }

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
