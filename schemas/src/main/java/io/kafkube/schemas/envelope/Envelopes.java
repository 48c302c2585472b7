package io.kafkube.schemas.envelope;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.meta.AvroPaths;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Builds the envelope records (Command, Change, Reply) that travel on kafkube's topics. */
public final class Envelopes {
  private Envelopes() {}

  /** Starts a command; {@code resource} is the group resource, e.g. {@code deployments.apps}. */
  public static CommandBuilder command(Op op, String key, String resource, User user, String requestId) {
    return new CommandBuilder(op, key, resource, user, requestId);
  }

  public static GenericRecord userRecord(User user) {
    GenericRecord u = new GenericData.Record(KafkubeSchemas.userInfo());
    u.put("username", user.username());
    u.put("groups", new GenericData.Array<>(
        Schema.createArray(Schema.create(Schema.Type.STRING)), user.groups()));
    u.put("uid", user.uid());
    return u;
  }

  public static GenericData.EnumSymbol op(Op op) {
    return new GenericData.EnumSymbol(KafkubeSchemas.op(), op.name());
  }

  /** A change as history keeps it. */
  public static GenericRecord change(long revision, Op verb, String key, String resource, GenericRecord user,
      long time, String requestId, GenericRecord before, GenericRecord after) {
    GenericRecord c = new GenericData.Record(KafkubeSchemas.change());
    c.put("revision", revision);
    c.put("verb", op(verb));
    c.put("key", key);
    c.put("resource", resource);
    c.put("user", user);
    c.put("time", time);
    c.put("requestId", requestId);
    c.put("before", before);
    c.put("after", after);
    return c;
  }

  /** The answer to a command: the object on success, a meta.v1.Status on failure. */
  public static GenericRecord reply(String requestId, int code, long revision, GenericRecord object,
      GenericRecord status, Integer replyPartition) {
    GenericRecord r = new GenericData.Record(KafkubeSchemas.reply());
    r.put("requestId", requestId);
    r.put("code", code);
    r.put("revision", revision);
    r.put("object", object);
    r.put("status", status);
    if (AvroPaths.hasField(r, "replyPartition")) {
      r.put("replyPartition", replyPartition);
    }
    return r;
  }

  /** Fluent construction of a {@code Command} record. */
  public static final class CommandBuilder {
    private final GenericRecord record = new GenericData.Record(KafkubeSchemas.command());

    private CommandBuilder(Op op, String key, String resource, User user, String requestId) {
      record.put("op", op(op));
      record.put("key", key);
      record.put("resource", resource);
      record.put("user", userRecord(user));
      record.put("requestId", requestId);
      record.put("dryRun", false);
      record.put("timestamp", System.currentTimeMillis());
      record.put("replyInHistory", false);
    }

    public CommandBuilder object(GenericRecord object) {
      record.put("object", object);
      return this;
    }

    public CommandBuilder preconditions(String uid, String resourceVersion) {
      if (uid == null && resourceVersion == null) {
        record.put("preconditions", null);
        return this;
      }
      GenericRecord p = AvroPaths.recordOrCreate(record, "preconditions");
      p.put("uid", uid);
      p.put("resourceVersion", resourceVersion);
      return this;
    }

    public CommandBuilder nodeName(String nodeName) {
      record.put("nodeName", nodeName);
      return this;
    }

    public CommandBuilder gracePeriodSeconds(Long seconds) {
      record.put("gracePeriodSeconds", seconds);
      return this;
    }

    public CommandBuilder propagationPolicy(String policy) {
      record.put("propagationPolicy", policy);
      return this;
    }

    public CommandBuilder dryRun(boolean dryRun) {
      record.put("dryRun", dryRun);
      return this;
    }

    public CommandBuilder replyPartition(Integer partition) {
      record.put("replyPartition", partition);
      return this;
    }

    /** The sender reads no reply, so the store writes none ({@link CommandView#NO_REPLY}). */
    public CommandBuilder noReply() {
      record.put("replyPartition", CommandView.NO_REPLY);
      return this;
    }

    /**
     * The sender reads history: a create or an update that is written is answered by its Change
     * ({@link ReplyView#fromChange}), and every other outcome by a Reply as usual.
     */
    public CommandBuilder replyInHistory() {
      record.put("replyInHistory", true);
      return this;
    }

    public CommandBuilder timestamp(long epochMillis) {
      record.put("timestamp", epochMillis);
      return this;
    }

    public GenericRecord build() {
      return record;
    }
  }
}
