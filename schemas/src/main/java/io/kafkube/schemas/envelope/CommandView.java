package io.kafkube.schemas.envelope;

import io.kafkube.schemas.meta.AvroPaths;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** Typed read access to an {@code io.kafkube.v1.Command} record. */
public record CommandView(GenericRecord record) {
  /**
   * The {@code replyPartition} of a command whose sender reads no reply (the scheduler learns the
   * outcome of its bindings from the pods' state topic): the store applies it and writes no reply.
   */
  public static final int NO_REPLY = -1;

  public Op op() {
    return Op.valueOf(record.get("op").toString());
  }

  public String key() {
    return record.get("key").toString();
  }

  public String resource() {
    return record.get("resource").toString();
  }

  /** The object carried by the command (a kind record, or a KeyValue), or null. */
  public GenericRecord object() {
    return (GenericRecord) record.get("object");
  }

  public String preconditionUid() {
    return AvroPaths.string(AvroPaths.record(record, "preconditions"), "uid");
  }

  public String preconditionResourceVersion() {
    return AvroPaths.string(AvroPaths.record(record, "preconditions"), "resourceVersion");
  }

  public String nodeName() {
    return AvroPaths.string(record, "nodeName");
  }

  public Long gracePeriodSeconds() {
    return AvroPaths.longValue(record, "gracePeriodSeconds");
  }

  public String propagationPolicy() {
    return AvroPaths.string(record, "propagationPolicy");
  }

  public boolean dryRun() {
    return Boolean.TRUE.equals(record.get("dryRun"));
  }

  public GenericRecord userRecord() {
    return (GenericRecord) record.get("user");
  }

  public User user() {
    GenericRecord u = userRecord();
    List<String> groups = new ArrayList<>();
    Object g = u.get("groups");
    if (g instanceof List<?> l) {
      for (Object o : l) {
        groups.add(o.toString());
      }
    }
    return new User(u.get("username").toString(), groups, AvroPaths.string(u, "uid"));
  }

  public String requestId() {
    return record.get("requestId").toString();
  }

  public Integer replyPartition() {
    Object p = record.get("replyPartition");
    return p == null ? null : ((Number) p).intValue();
  }

  /** False when the sender asked for no reply ({@link #NO_REPLY}). */
  public boolean wantsReply() {
    Integer p = replyPartition();
    return p == null || p != NO_REPLY;
  }

  /**
   * True when the sender learns a written create or update from its history Change
   * ({@link ReplyView#fromChange}), so the store writes no Reply for it.
   */
  public boolean replyInHistory() {
    return AvroPaths.hasField(record, "replyInHistory") && Boolean.TRUE.equals(record.get("replyInHistory"));
  }

  public long timestamp() {
    return ((Number) record.get("timestamp")).longValue();
  }
}
