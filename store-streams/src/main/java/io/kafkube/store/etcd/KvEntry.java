package io.kafkube.store.etcd;

import com.google.protobuf.ByteString;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etcd.jetcd.api.KeyValue;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericRecord;

/**
 * One key as etcd shows it: the raw value (a {@code KeyValue}) or a Kubernetes object (shown as its
 * Kubernetes JSON), with etcd's create_revision, mod_revision, version and lease. The value is held
 * {@code decoded} (a KeyValue, or an object read from history whole) or {@code encoded} (an object the
 * view follows, decoded when read).
 */
record KvEntry(ByteString key, GenericRecord decoded, EncodedObject encoded, long createRevision, long modRevision,
    long version, long lease) {

  /** The etcd value: the raw bytes, or the object's Kubernetes JSON. */
  ByteString value() {
    GenericRecord record = decoded != null ? decoded : encoded.decode();
    if (KeyValues.isKeyValue(record)) {
      return ByteString.copyFrom(KeyValues.value(record));
    }
    return ByteString.copyFrom(kubernetesJson(record), StandardCharsets.UTF_8);
  }

  static String kubernetesJson(GenericRecord object) {
    ObjectNode json = KubeJson.toJson(object);
    ResourceType type = KafkubeSchemas.typeOf(object);
    ObjectNode out = json.objectNode();
    out.put("apiVersion", type.apiVersion());
    out.put("kind", type.kind());
    json.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("apiVersion") && !e.getKey().equals("kind")) {
        out.set(e.getKey(), e.getValue());
      }
    });
    return out.toString();
  }

  KeyValue toProto(boolean keysOnly) {
    KeyValue.Builder b = KeyValue.newBuilder().setKey(key).setCreateRevision(createRevision)
        .setModRevision(modRevision).setVersion(version).setLease(lease);
    if (!keysOnly) {
      b.setValue(value());
    }
    return b.build();
  }

  /** The entry after a change of revision {@code rev} to {@code after}, given the entry before (or null). */
  static KvEntry next(ByteString key, KvEntry before, GenericRecord after, long rev) {
    return next(key, before, after, null, rev);
  }

  /**
   * The entry after a change of revision {@code rev} to the object {@code decoded} or {@code encoded}
   * (one of them set; a KeyValue is always decoded), given the entry before (or null).
   */
  static KvEntry next(ByteString key, KvEntry before, GenericRecord decoded, EncodedObject encoded, long rev) {
    if (KeyValues.isKeyValue(decoded)) {
      long create = KeyValues.createRevision(decoded);
      long version = KeyValues.version(decoded);
      if (create == 0) { // written before the store kept revisions in the record
        create = before == null ? rev : before.createRevision();
        version = before == null ? 1 : before.version() + 1;
      }
      return new KvEntry(key, decoded, null, create, rev, version, KeyValues.lease(decoded));
    }
    return before == null
        ? new KvEntry(key, decoded, encoded, rev, rev, 1, 0)
        : new KvEntry(key, decoded, encoded, before.createRevision(), rev, before.version() + 1, 0);
  }
}
