package io.kafkube.schemas.envelope;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.resource.ObjectKey;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Raw etcd-style entries ({@code io.kafkube.v1.KeyValue}): every key outside {@code /registry/}.
 * They travel in the same {@code commands} → store → {@code state.kv} + {@code history} path as the
 * Kubernetes objects; a command names them with {@link #RESOURCE} (a single key) or
 * {@link #TXN_RESOURCE} (an etcd transaction evaluated atomically in the partition of its key).
 */
public final class KeyValues {
  /** The {@code resource} of a command on a raw key. */
  public static final String RESOURCE = "kv";
  /**
   * The {@code resource} of an etcd transaction: the command's object is a KeyValue whose value is the
   * serialized {@code etcdserverpb.TxnRequest}; the reply's object a KeyValue holding the serialized
   * {@code TxnResponse}. Every key it touches lives in the partition of the command's key.
   */
  public static final String TXN_RESOURCE = "kv.txn";

  private KeyValues() {}

  /** Whether a key is a raw etcd key (not a Kubernetes object key). */
  public static boolean isRawKey(String key) {
    return !key.startsWith(ObjectKey.REGISTRY_PREFIX);
  }

  /** A KeyValue as a client sends it (the store sets the revisions). */
  public static GenericRecord of(byte[] value, long lease) {
    GenericRecord r = new GenericData.Record(KafkubeSchemas.keyValue());
    r.put("value", ByteBuffer.wrap(value));
    r.put("lease", lease == 0 ? null : lease);
    r.put("createRevision", 0L);
    r.put("modRevision", 0L);
    r.put("version", 0L);
    return r;
  }

  public static boolean isKeyValue(GenericRecord r) {
    return r != null && isKeyValue(r.getSchema());
  }

  /** Whether {@code schema} is the KeyValue record's (by name: a writer's copy counts). */
  public static boolean isKeyValue(Schema schema) {
    return schema.getFullName().equals(KafkubeSchemas.keyValue().getFullName());
  }

  public static byte[] value(GenericRecord kv) {
    ByteBuffer b = ((ByteBuffer) kv.get("value")).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  public static long lease(GenericRecord kv) {
    Object l = kv.get("lease");
    return l == null ? 0 : ((Number) l).longValue();
  }

  public static long createRevision(GenericRecord kv) {
    return longOf(kv, "createRevision");
  }

  public static long modRevision(GenericRecord kv) {
    return longOf(kv, "modRevision");
  }

  public static long version(GenericRecord kv) {
    return longOf(kv, "version");
  }

  private static long longOf(GenericRecord kv, String field) {
    Object v = kv.getSchema().getField(field) == null ? null : kv.get(field);
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** The stored entry: the value and lease of {@code sent} with the revisions the store assigns. */
  public static GenericRecord stored(GenericRecord sent, long createRevision, long modRevision, long version) {
    GenericRecord r = new GenericData.Record(KafkubeSchemas.keyValue());
    r.put("value", ByteBuffer.wrap(value(sent)));
    long lease = lease(sent);
    r.put("lease", lease == 0 ? null : lease);
    r.put("createRevision", createRevision);
    r.put("modRevision", modRevision);
    r.put("version", version);
    return r;
  }
}
