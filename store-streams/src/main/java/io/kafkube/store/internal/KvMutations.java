package io.kafkube.store.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;

/**
 * The store's decisions for raw etcd-style keys (everything outside {@code /registry/}): single-key
 * CREATE / UPDATE (an upsert, as etcd's Put) / DELETE of {@code KeyValue} records with a
 * compare-and-swap on the key's mod_revision, and etcd transactions (compares, then the success or
 * failure ops) evaluated atomically against the partition's current keys. Every key changed by one
 * command gets the command's revision as mod_revision, as every key changed by one etcd txn gets one
 * revision. Pure: the current keys are read through {@link Keys}.
 */
public final class KvMutations {
  /** One key changed by a command. */
  public record Change(String key, GenericRecord before, GenericRecord after, Op verb) {}

  /**
   * @param code    HTTP-style code of the reply
   * @param reply   the reply's object: the previous KeyValue of a single-key command, the serialized
   *                TxnResponse (wrapped in a KeyValue) of a txn; null when there is none
   * @param status  a meta.v1.Status on failure
   * @param changes the keys that change, in order
   */
  public record Result(int code, GenericRecord reply, GenericRecord status, List<Change> changes) {
    static Result failure(GenericRecord status) {
      return new Result(((Number) status.get("code")).intValue(), null, status, List.of());
    }
  }

  /** Read access to the partition's current keys. */
  public interface Keys {
    GenericRecord get(String key);

    /** The keys in [from, to) in byte order; {@code to} null: no upper bound. */
    List<String> range(String from, String to);
  }

  private final int partitions;

  public KvMutations(int partitions) {
    this.partitions = partitions;
  }

  /** Whether a command is for this class rather than {@link Mutations}. */
  public static boolean handles(CommandView cmd) {
    String r = cmd.resource();
    return KeyValues.RESOURCE.equals(r) || KeyValues.TXN_RESOURCE.equals(r);
  }

  public Result apply(CommandView cmd, Keys keys, long revision, int partition) {
    if (KeyValues.TXN_RESOURCE.equals(cmd.resource())) {
      return txn(cmd, keys, revision, partition);
    }
    String key = cmd.key();
    if (!KeyValues.isRawKey(key) || key.isEmpty()) {
      return Result.failure(Statuses.badRequest("invalid key \"" + key + "\" for a KeyValue"));
    }
    if (Partitions.of(key, partitions) != partition) {
      return Result.failure(Statuses.badRequest("the key " + key + " does not belong to partition " + partition));
    }
    GenericRecord cur = keys.get(key);
    String wantRev = cmd.preconditionResourceVersion();
    if (wantRev != null && !wantRev.isEmpty()) {
      long want;
      try {
        want = Long.parseLong(wantRev);
      } catch (NumberFormatException e) {
        return Result.failure(Statuses.badRequest("invalid mod_revision precondition \"" + wantRev + "\""));
      }
      long have = cur == null ? 0 : KeyValues.modRevision(cur);
      if (want != have) {
        return Result.failure(Statuses.status(409, "Conflict", "the key " + key + " is at mod_revision " + have
            + ", not " + want, null, key, null, List.of()));
      }
    }
    Op op = cmd.op();
    switch (op) {
      case CREATE, UPDATE -> {
        GenericRecord sent = cmd.object();
        if (!KeyValues.isKeyValue(sent)) {
          return Result.failure(Statuses.badRequest("a put of " + key + " needs a KeyValue object"));
        }
        if (op == Op.CREATE && cur != null) {
          return Result.failure(Statuses.status(409, "AlreadyExists", "the key " + key + " already exists",
              null, key, null, List.of()));
        }
        GenericRecord tooLarge = checkSize(key, KeyValues.value(sent).length);
        if (tooLarge != null) {
          return Result.failure(tooLarge);
        }
        GenericRecord next = put(cur, sent, revision);
        return new Result(cur == null ? 201 : 200, cur, null,
            List.of(new Change(key, cur, next, cur == null ? Op.CREATE : Op.UPDATE)));
      }
      case DELETE -> {
        if (cur == null) {
          return Result.failure(Statuses.status(404, "NotFound", "the key " + key + " does not exist", null, key,
              null, List.of()));
        }
        return new Result(200, cur, null, List.of(new Change(key, cur, null, Op.DELETE)));
      }
      default -> {
        return Result.failure(Statuses.badRequest(op + " is not an operation on a KeyValue"));
      }
    }
  }

  private static GenericRecord put(GenericRecord cur, GenericRecord sent, long revision) {
    return cur == null
        ? KeyValues.stored(sent, revision, revision, 1)
        : KeyValues.stored(sent, KeyValues.createRevision(cur), revision, KeyValues.version(cur) + 1);
  }

  private static GenericRecord checkSize(String key, int size) {
    if (size > TopicCatalog.MAX_OBJECT_BYTES) {
      return Statuses.status(413, "RequestEntityTooLarge", "the value of " + key + " is " + size
          + " bytes, the limit is " + TopicCatalog.MAX_OBJECT_BYTES + " bytes", null, key, null, List.of());
    }
    return null;
  }

  // ---- transactions ---------------------------------------------------------------------------

  /** Raised for a txn that cannot be applied; nothing of it is written. */
  private static final class Refused extends RuntimeException {
    private final transient GenericRecord status;

    Refused(GenericRecord status) {
      super(null, null, false, false);
      this.status = status;
    }
  }

  /** The keys as the txn sees them: the partition's keys overlaid with the txn's own writes. */
  private final class Overlay {
    final Keys base;
    final int partition;
    final Map<String, GenericRecord> writes = new LinkedHashMap<>();
    final Map<String, GenericRecord> firstBefore = new HashMap<>();

    Overlay(Keys base, int partition) {
      this.base = base;
      this.partition = partition;
    }

    GenericRecord get(String key) {
      checkPartition(key);
      if (writes.containsKey(key)) {
        return writes.get(key);
      }
      return base.get(key);
    }

    void set(String key, GenericRecord value) {
      checkPartition(key);
      if (!firstBefore.containsKey(key)) {
        firstBefore.put(key, base.get(key));
      }
      writes.put(key, value);
    }

    List<String> range(String from, String to) {
      TreeSet<String> all = new TreeSet<>(KvMutations::compareBytes);
      for (String k : base.range(from, to)) {
        if (KeyValues.isRawKey(k)) {
          all.add(k);
        }
      }
      for (String k : writes.keySet()) {
        if (compareBytes(k, from) >= 0 && (to == null || compareBytes(k, to) < 0)) {
          all.add(k);
        }
      }
      all.removeIf(k -> get(k) == null);
      return new ArrayList<>(all);
    }

    void checkPartition(String key) {
      if (!KeyValues.isRawKey(key) || key.isEmpty()) {
        throw new Refused(Statuses.badRequest("a transaction cannot touch \"" + key
            + "\": only raw keys outside /registry/ take part in transactions"));
      }
      if (Partitions.of(key, partitions) != partition) {
        throw new Refused(Statuses.badRequest("the key " + key + " is not in partition " + partition
            + " of this transaction: a transaction is atomic only over keys of one partition"));
      }
    }
  }

  private Result txn(CommandView cmd, Keys keys, long revision, int partition) {
    GenericRecord obj = cmd.object();
    if (!KeyValues.isKeyValue(obj)) {
      return Result.failure(Statuses.badRequest("a transaction needs a KeyValue holding the TxnRequest"));
    }
    TxnRequest req;
    try {
      req = TxnRequest.parseFrom(KeyValues.value(obj));
    } catch (InvalidProtocolBufferException e) {
      return Result.failure(Statuses.badRequest("malformed TxnRequest: " + e.getMessage()));
    }
    Overlay o = new Overlay(keys, partition);
    TxnResponse resp;
    try {
      resp = evaluate(req, o, revision);
    } catch (Refused r) {
      return Result.failure(r.status);
    }
    List<Change> changes = new ArrayList<>();
    for (Map.Entry<String, GenericRecord> e : o.writes.entrySet()) {
      GenericRecord before = o.firstBefore.get(e.getKey());
      GenericRecord after = e.getValue();
      if (before == null && after == null) {
        continue;
      }
      Op verb = after == null ? Op.DELETE : before == null ? Op.CREATE : Op.UPDATE;
      changes.add(new Change(e.getKey(), before, after, verb));
    }
    return new Result(200, KeyValues.of(resp.toByteArray(), 0), null, changes);
  }

  private TxnResponse evaluate(TxnRequest req, Overlay o, long revision) {
    boolean ok = true;
    for (Compare c : req.getCompareList()) {
      if (!compare(c, o)) {
        ok = false;
        break;
      }
    }
    TxnResponse.Builder b = TxnResponse.newBuilder().setSucceeded(ok);
    for (RequestOp op : ok ? req.getSuccessList() : req.getFailureList()) {
      b.addResponses(apply(op, o, revision));
    }
    return b.build();
  }

  private ResponseOp apply(RequestOp op, Overlay o, long revision) {
    return switch (op.getRequestCase()) {
      case REQUEST_RANGE -> ResponseOp.newBuilder().setResponseRange(range(op.getRequestRange(), o)).build();
      case REQUEST_PUT -> ResponseOp.newBuilder().setResponsePut(put(op.getRequestPut(), o, revision)).build();
      case REQUEST_DELETE_RANGE -> ResponseOp.newBuilder()
          .setResponseDeleteRange(delete(op.getRequestDeleteRange(), o)).build();
      case REQUEST_TXN -> ResponseOp.newBuilder().setResponseTxn(evaluate(op.getRequestTxn(), o, revision)).build();
      default -> throw new Refused(Statuses.badRequest("empty request op in transaction"));
    };
  }

  private static boolean compare(Compare c, Overlay o) {
    if (!c.getRangeEnd().isEmpty()) {
      throw new Refused(Statuses.badRequest("compares over key ranges are not supported"));
    }
    GenericRecord kv = o.get(string(c.getKey()));
    if (kv == null && c.getTarget() == Compare.CompareTarget.VALUE) {
      return false; // etcd: comparing the value of a missing key always fails
    }
    int cmp;
    switch (c.getTarget()) {
      case VERSION -> cmp = Long.compare(kv == null ? 0 : KeyValues.version(kv), c.getVersion());
      case CREATE -> cmp = Long.compare(kv == null ? 0 : KeyValues.createRevision(kv), c.getCreateRevision());
      case MOD -> cmp = Long.compare(kv == null ? 0 : KeyValues.modRevision(kv), c.getModRevision());
      case VALUE -> cmp = ByteString.unsignedLexicographicalComparator()
          .compare(ByteString.copyFrom(KeyValues.value(kv)), c.getValue());
      default -> throw new Refused(Statuses.badRequest("unknown compare target " + c.getTargetValue()));
    }
    return switch (c.getResult()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case GREATER -> cmp > 0;
      case LESS -> cmp < 0;
      default -> throw new Refused(Statuses.badRequest("unknown compare result " + c.getResultValue()));
    };
  }

  private static RangeResponse range(RangeRequest r, Overlay o) {
    RangeResponse.Builder b = RangeResponse.newBuilder();
    List<String> found = keysOf(r.getKey(), r.getRangeEnd(), o);
    b.setCount(found.size());
    long limit = r.getLimit();
    int n = 0;
    for (String k : found) {
      if (r.getCountOnly()) {
        break;
      }
      if (limit > 0 && n >= limit) {
        b.setMore(true);
        break;
      }
      b.addKvs(toProto(k, o.get(k), r.getKeysOnly()));
      n++;
    }
    return b.build();
  }

  private static List<String> keysOf(ByteString key, ByteString rangeEnd, Overlay o) {
    if (rangeEnd.isEmpty()) {
      String k = string(key);
      return o.get(k) == null ? List.of() : List.of(k);
    }
    boolean fromKey = rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0;
    String from = string(key);
    if (!fromKey && ByteString.unsignedLexicographicalComparator().compare(key, rangeEnd) >= 0) {
      return List.of();
    }
    return o.range(from, fromKey ? null : string(rangeEnd));
  }

  private PutResponse put(PutRequest p, Overlay o, long revision) {
    String key = string(p.getKey());
    GenericRecord cur = o.get(key);
    if ((p.getIgnoreValue() || p.getIgnoreLease()) && cur == null) {
      throw new Refused(Statuses.status(404, "NotFound", "etcdserver: key not found", null, key, null, List.of()));
    }
    byte[] value = p.getIgnoreValue() ? KeyValues.value(cur) : p.getValue().toByteArray();
    long lease = p.getIgnoreLease() ? KeyValues.lease(cur) : p.getLease();
    GenericRecord tooLarge = checkSize(key, value.length);
    if (tooLarge != null) {
      throw new Refused(tooLarge);
    }
    o.set(key, put(cur, KeyValues.of(value, lease), revision));
    PutResponse.Builder b = PutResponse.newBuilder();
    if (p.getPrevKv() && cur != null) {
      b.setPrevKv(toProto(key, cur, false));
    }
    return b.build();
  }

  private static DeleteRangeResponse delete(DeleteRangeRequest d, Overlay o) {
    DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder();
    List<String> found = keysOf(d.getKey(), d.getRangeEnd(), o);
    for (String k : found) {
      GenericRecord cur = o.get(k);
      if (d.getPrevKv()) {
        b.addPrevKvs(toProto(k, cur, false));
      }
      o.set(k, null);
    }
    return b.setDeleted(found.size()).build();
  }

  /** A stored KeyValue as etcd's mvccpb.KeyValue. */
  public static KeyValue toProto(String key, GenericRecord kv, boolean keysOnly) {
    KeyValue.Builder b = KeyValue.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))
        .setCreateRevision(KeyValues.createRevision(kv))
        .setModRevision(KeyValues.modRevision(kv))
        .setVersion(KeyValues.version(kv))
        .setLease(KeyValues.lease(kv));
    if (!keysOnly) {
      b.setValue(ByteString.copyFrom(KeyValues.value(kv)));
    }
    return b.build();
  }

  static String string(ByteString b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  /** etcd's key order: unsigned bytes of the UTF-8 encoding. */
  public static int compareBytes(String a, String b) {
    return ByteString.unsignedLexicographicalComparator()
        .compare(ByteString.copyFromUtf8(a), ByteString.copyFromUtf8(b));
  }
}
