package io.kafkube.store.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.StatusRuntimeException;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.client.CommandClient;
import io.kafkube.store.internal.Partitions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;

/**
 * What the etcd services share: the view of every key, the reader of the past, the command client
 * of the write path, the leases, and etcd's response header.
 */
final class EtcdBackend {
  /** etcd's default {@code --max-request-bytes}. */
  static final int MAX_REQUEST_BYTES = TopicCatalog.MAX_OBJECT_BYTES;
  /** etcd's default {@code --max-txn-ops}. */
  static final int MAX_TXN_OPS = 128;
  static final User USER = User.system("system:kafkube-etcd");
  /** Keys the endpoint keeps for itself (granted leases), hidden from the etcd API. */
  static final String RESERVED_PREFIX = "\u0000kafkube/";
  static final String LEASE_PREFIX = RESERVED_PREFIX + "lease/";
  static final ByteString RESERVED = ByteString.copyFromUtf8(RESERVED_PREFIX);

  final EtcdConfig config;
  final TopicCatalog topics;
  final ResourceRegistry registry = ResourceRegistry.kubernetes();
  final KvView view;
  final HistoryScan history;
  final CommandClient client;
  final ExecutorService executor;
  final long clusterId;
  final long memberId;
  final String[] routingKeys;
  Leases leases;

  EtcdBackend(EtcdConfig config, TopicCatalog topics, KvView view, HistoryScan history, CommandClient client,
      ExecutorService executor) {
    this.config = config;
    this.topics = topics;
    this.view = view;
    this.history = history;
    this.client = client;
    this.executor = executor;
    this.clusterId = positive(topics.prefix().hashCode() * 0x9E3779B97F4A7C15L);
    this.memberId = positive((topics.prefix() + "/etcd").hashCode() * 0xC2B2AE3D27D4EB4FL);
    int p = topics.partitions();
    this.routingKeys = new String[p];
    int found = 0;
    for (int i = 0; found < p; i++) {
      String k = "\u0000kafkube-route-" + i;
      int part = Partitions.of(k, p);
      if (routingKeys[part] == null) {
        routingKeys[part] = k;
        found++;
      }
    }
  }

  private static long positive(long v) {
    return v & Long.MAX_VALUE;
  }

  ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setClusterId(clusterId).setMemberId(memberId).setRevision(revision)
        .setRaftTerm(1).build();
  }

  ResponseHeader header() {
    return header(view.revision());
  }

  int partitionOf(String key) {
    return Partitions.of(key, topics.partitions());
  }

  /** A key as the store's String key; etcd keys here must be UTF-8. */
  static String keyString(ByteString key) {
    if (key.isEmpty()) {
      throw EtcdErrors.emptyKey();
    }
    if (!key.isValidUtf8()) {
      throw EtcdErrors.invalid("keys must be valid UTF-8 (the store's keys are Kafka string keys)");
    }
    if (key.startsWith(RESERVED)) {
      throw EtcdErrors.invalid("keys starting with \\0kafkube/ are reserved for the endpoint's own records");
    }
    return key.toString(StandardCharsets.UTF_8);
  }

  /** Whether a key is one of the endpoint's own records, never shown through the etcd API. */
  static boolean hidden(ByteString key) {
    return key.startsWith(RESERVED);
  }

  /** Persists a granted lease (its id and TTL) as a raw key, so that a restarted endpoint knows it. */
  CompletableFuture<ReplyView> persistLease(long id, long ttl) {
    return putRaw(LEASE_PREFIX + Long.toHexString(id), Long.toString(ttl).getBytes(StandardCharsets.UTF_8), 0, null);
  }

  CompletableFuture<ReplyView> forgetLease(long id) {
    return deleteRaw(LEASE_PREFIX + Long.toHexString(id), null);
  }

  /** The leases persisted by earlier runs: id → granted TTL. */
  java.util.Map<Long, Long> persistedLeases() {
    java.util.Map<Long, Long> out = new java.util.HashMap<>();
    ByteString from = ByteString.copyFromUtf8(LEASE_PREFIX);
    ByteString to = ByteString.copyFromUtf8(RESERVED_PREFIX + "lease0");
    for (KvEntry e : view.range(from, to)) {
      String k = e.key().toString(StandardCharsets.UTF_8).substring(LEASE_PREFIX.length());
      try {
        out.put(Long.parseUnsignedLong(k, 16), Long.parseLong(e.value().toStringUtf8()));
      } catch (NumberFormatException ex) {
        // not a lease record
      }
    }
    return out;
  }

  static boolean isRegistry(String key) {
    return !KeyValues.isRawKey(key);
  }

  /** The object key of a /registry/ key, or a clear error. */
  ObjectKey objectKey(String key) {
    return ObjectKey.parse(key, registry).orElseThrow(() -> EtcdErrors.invalid("\"" + key
        + "\" is under /registry/ but is not the key of a served kind "
        + "(/registry/<resource>[.<group>]/[<namespace>/]<name>)"));
  }

  static void checkSize(int serializedSize) {
    if (serializedSize > MAX_REQUEST_BYTES) {
      throw EtcdErrors.requestTooLarge();
    }
  }

  Envelopes.CommandBuilder command(Op op, String key, String resource) {
    return Envelopes.command(op, key, resource, USER, client.newRequestId()).replyPartition(client.replyPartition());
  }

  /** Sends a command and completes with the store's reply (or a gRPC error on timeout or failure). */
  CompletableFuture<ReplyView> send(GenericRecord command) {
    return client.send(command).orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A put of a raw key: an upsert command, with the store's CAS on mod_revision when asked. */
  CompletableFuture<ReplyView> putRaw(String key, byte[] value, long lease, Long expectModRevision) {
    GenericRecord cmd = command(Op.UPDATE, key, KeyValues.RESOURCE).object(KeyValues.of(value, lease))
        .preconditions(null, expectModRevision == null ? null : Long.toString(expectModRevision)).build();
    return send(cmd);
  }

  CompletableFuture<ReplyView> deleteRaw(String key, Long expectModRevision) {
    GenericRecord cmd = command(Op.DELETE, key, KeyValues.RESOURCE)
        .preconditions(null, expectModRevision == null ? null : Long.toString(expectModRevision)).build();
    return send(cmd);
  }

  /** An etcd transaction routed to the partition of {@code routingKey}. */
  CompletableFuture<ReplyView> txn(String routingKey, byte[] txnRequest) {
    GenericRecord cmd = command(Op.UPDATE, routingKey, KeyValues.TXN_RESOURCE)
        .object(KeyValues.of(txnRequest, 0)).build();
    return send(cmd);
  }

  /** Deletes every key attached to a lease (raw keys only carry leases). */
  CompletableFuture<Void> deleteLeaseKeys(long lease) {
    List<CompletableFuture<ReplyView>> all = new ArrayList<>();
    all.add(forgetLease(lease));
    for (KvEntry e : view.withLease(lease)) {
      String key = e.key().toString(StandardCharsets.UTF_8);
      all.add(deleteRaw(key, e.modRevision()));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** Unwraps a failure of a future into the gRPC error to answer with. */
  static StatusRuntimeException error(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof StatusRuntimeException s) {
      return s;
    }
    if (c instanceof TimeoutException) {
      return EtcdErrors.timeout();
    }
    return io.grpc.Status.INTERNAL.withDescription("kafkube: " + c).withCause(c).asRuntimeException();
  }
}
