package io.kafkube.store.etcd;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.FieldProblem;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.json.MalformedDocumentException;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.store.internal.KvMutations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;

/**
 * etcd's KV service over kafkube: reads from the view (linearizable unless {@code serializable}),
 * the past from history, writes as commands to the store.
 */
final class KvService extends KVGrpc.KVImplBase {
  private final EtcdBackend b;

  KvService(EtcdBackend backend) {
    this.b = backend;
  }

  // ---- Range ----------------------------------------------------------------------------------

  @Override
  public void range(RangeRequest req, StreamObserver<RangeResponse> obs) {
    try {
      if (req.getKey().isEmpty()) {
        throw EtcdErrors.emptyKey();
      }
      CompletableFuture<Void> ready = req.getSerializable() ? CompletableFuture.completedFuture(null) : b.view.sync();
      ready.thenApplyAsync(v -> rangeNow(req), b.executor).whenComplete((r, e) -> reply(obs, r, e));
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  private RangeResponse rangeNow(RangeRequest req) {
    long current = b.view.revision();
    long rev = req.getRevision();
    List<KvEntry> found;
    long headerRev = current;
    if (rev > current) {
      throw EtcdErrors.futureRevision();
    }
    if (rev > 0 && rev < current) {
      found = new ArrayList<>(past(req.getKey(), req.getRangeEnd(), rev).values());
    } else {
      found = new ArrayList<>(b.view.range(req.getKey(), req.getRangeEnd()));
    }
    found.removeIf(e -> EtcdBackend.hidden(e.key()));
    return rangeResponse(req, found, headerRev);
  }

  /** The keys of a range as of a past revision, from history. */
  TreeMap<ByteString, KvEntry> past(ByteString key, ByteString rangeEnd, long rev) {
    long[] upTo = b.view.positions();
    List<Integer> parts = new ArrayList<>();
    if (rangeEnd.isEmpty()) {
      parts.add(b.partitionOf(EtcdBackend.keyString(key)));
    } else {
      for (int p = 0; p < upTo.length; p++) {
        parts.add(p);
      }
    }
    return b.history.at(rev, parts, upTo, inRange(key, rangeEnd));
  }

  static Predicate<ByteString> inRange(ByteString key, ByteString rangeEnd) {
    Comparator<ByteString> cmp = ByteString.unsignedLexicographicalComparator();
    if (rangeEnd.isEmpty()) {
      return k -> k.equals(key);
    }
    if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) {
      return k -> cmp.compare(k, key) >= 0;
    }
    return k -> cmp.compare(k, key) >= 0 && cmp.compare(k, rangeEnd) < 0;
  }

  private RangeResponse rangeResponse(RangeRequest req, List<KvEntry> all, long headerRev) {
    List<KvEntry> found = new ArrayList<>();
    for (KvEntry e : all) {
      if (req.getMinModRevision() > 0 && e.modRevision() < req.getMinModRevision()
          || req.getMaxModRevision() > 0 && e.modRevision() > req.getMaxModRevision()
          || req.getMinCreateRevision() > 0 && e.createRevision() < req.getMinCreateRevision()
          || req.getMaxCreateRevision() > 0 && e.createRevision() > req.getMaxCreateRevision()) {
        continue;
      }
      found.add(e);
    }
    RangeRequest.SortOrder order = req.getSortOrder();
    RangeRequest.SortTarget target = req.getSortTarget();
    if (order == RangeRequest.SortOrder.NONE && target != RangeRequest.SortTarget.KEY) {
      order = RangeRequest.SortOrder.ASCEND;
    }
    if (order != RangeRequest.SortOrder.NONE) {
      Comparator<KvEntry> c = switch (target) {
        case VERSION -> Comparator.comparingLong(KvEntry::version);
        case CREATE -> Comparator.comparingLong(KvEntry::createRevision);
        case MOD -> Comparator.comparingLong(KvEntry::modRevision);
        case VALUE -> (x, y) -> ByteString.unsignedLexicographicalComparator().compare(x.value(), y.value());
        default -> (x, y) -> ByteString.unsignedLexicographicalComparator().compare(x.key(), y.key());
      };
      if (order == RangeRequest.SortOrder.DESCEND) {
        c = c.reversed();
      }
      found.sort(c);
    }
    RangeResponse.Builder r = RangeResponse.newBuilder().setHeader(b.header(headerRev)).setCount(found.size());
    if (!req.getCountOnly()) {
      long limit = req.getLimit();
      int n = 0;
      for (KvEntry e : found) {
        if (limit > 0 && n >= limit) {
          break;
        }
        r.addKvs(e.toProto(req.getKeysOnly()));
        n++;
      }
      r.setMore(limit > 0 && found.size() > limit);
    }
    return r.build();
  }

  // ---- Put ------------------------------------------------------------------------------------

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> obs) {
    try {
      EtcdBackend.checkSize(req.getSerializedSize());
      String key = EtcdBackend.keyString(req.getKey());
      if (req.getIgnoreValue() && !req.getValue().isEmpty()) {
        throw io.grpc.Status.INVALID_ARGUMENT.withDescription("etcdserver: value is provided").asRuntimeException();
      }
      if (req.getIgnoreLease() && req.getLease() != 0) {
        throw io.grpc.Status.INVALID_ARGUMENT.withDescription("etcdserver: lease is provided").asRuntimeException();
      }
      if (EtcdBackend.isRegistry(key)) {
        putObject(key, req, obs);
        return;
      }
      if (req.getLease() != 0 && !b.leases.exists(req.getLease())) {
        throw EtcdErrors.leaseNotFound();
      }
      if (req.getIgnoreValue() || req.getIgnoreLease()) {
        TxnRequest t = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(req)).build();
        b.txn(key, t.toByteArray()).thenApply(r -> {
          TxnResponse tr = txnResponse(r);
          return tr.getResponses(0).getResponsePut().toBuilder().setHeader(b.header(r.revision())).build();
        }).whenComplete((r, e) -> reply(obs, r, e));
        return;
      }
      b.putRaw(key, req.getValue().toByteArray(), req.getLease(), null).thenApply(r -> {
        if (!r.success()) {
          throw EtcdErrors.fromStore(r.code(), r.message());
        }
        PutResponse.Builder pr = PutResponse.newBuilder().setHeader(b.header(r.revision()));
        if (req.getPrevKv() && r.object() != null) {
          pr.setPrevKv(KvMutations.toProto(key, r.object(), false));
        }
        return pr.build();
      }).whenComplete((r, e) -> reply(obs, r, e));
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  /** A put of a Kubernetes object: its JSON, decoded and sent as CREATE or UPDATE; the store validates. */
  private void putObject(String key, PutRequest req, StreamObserver<PutResponse> obs) {
    ObjectKey ok = b.objectKey(key);
    if (req.getLease() != 0 || req.getIgnoreLease() || req.getIgnoreValue()) {
      throw EtcdErrors.invalid("Kubernetes objects (/registry/) take neither leases nor ignore_value/ignore_lease");
    }
    GenericRecord obj = decodeObject(ok, req.getValue());
    KvEntry cur = b.view.get(req.getKey());
    Op op = cur == null ? Op.CREATE : Op.UPDATE;
    GenericRecord cmd = b.command(op, key, ok.type().groupResource()).object(obj).build();
    b.send(cmd).thenApply(r -> {
      if (!r.success()) {
        throw EtcdErrors.fromStore(r.code(), r.message());
      }
      PutResponse.Builder pr = PutResponse.newBuilder().setHeader(b.header(r.revision()));
      if (req.getPrevKv() && cur != null) {
        pr.setPrevKv(cur.toProto(false));
      }
      return pr.build();
    }).whenComplete((r, e) -> reply(obs, r, e));
  }

  static GenericRecord decodeObject(ObjectKey ok, ByteString value) {
    Conversion c;
    try {
      c = KubeJson.decode(value.toByteArray(), KafkubeSchemas.kind(ok.type()));
    } catch (MalformedDocumentException e) {
      throw EtcdErrors.invalid("the value of " + ok + " is not a JSON object: " + e.getMessage());
    }
    if (c.record() == null) {
      throw EtcdErrors.invalid("the value of " + ok + " is not a JSON object");
    }
    if (!c.clean()) {
      List<String> problems = new ArrayList<>();
      for (FieldProblem p : c.problems()) {
        problems.add(p.toString());
      }
      throw io.grpc.Status.INVALID_ARGUMENT.withDescription("The " + ok.type().kind() + " \"" + ok.name()
          + "\" is invalid: " + String.join(", ", problems)).asRuntimeException();
    }
    return c.record();
  }

  // ---- DeleteRange ----------------------------------------------------------------------------

  @Override
  public void deleteRange(DeleteRangeRequest req, StreamObserver<DeleteRangeResponse> obs) {
    try {
      String key = EtcdBackend.keyString(req.getKey());
      if (req.getRangeEnd().isEmpty()) {
        deleteOne(key, req.getPrevKv()).whenComplete((r, e) -> reply(obs, r, e));
        return;
      }
      b.view.sync().thenComposeAsync(v -> deleteMany(req), b.executor).whenComplete((r, e) -> reply(obs, r, e));
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  private CompletableFuture<DeleteRangeResponse> deleteOne(String key, boolean prevKv) {
    if (EtcdBackend.isRegistry(key)) {
      ObjectKey ok = b.objectKey(key);
      KvEntry cur = b.view.get(ByteString.copyFromUtf8(key));
      GenericRecord cmd = b.command(Op.DELETE, key, ok.type().groupResource()).gracePeriodSeconds(0L).build();
      return b.send(cmd).thenApply(r -> {
        if (r.code() == 404) {
          return DeleteRangeResponse.newBuilder().setHeader(b.header()).build();
        }
        if (!r.success()) {
          throw EtcdErrors.fromStore(r.code(), r.message());
        }
        DeleteRangeResponse.Builder d = DeleteRangeResponse.newBuilder().setHeader(b.header(r.revision()))
            .setDeleted(1);
        if (prevKv && cur != null) {
          d.addPrevKvs(cur.toProto(false));
        }
        return d.build();
      });
    }
    return b.deleteRaw(key, null).thenApply(r -> {
      if (r.code() == 404) {
        return DeleteRangeResponse.newBuilder().setHeader(b.header()).build();
      }
      if (!r.success()) {
        throw EtcdErrors.fromStore(r.code(), r.message());
      }
      DeleteRangeResponse.Builder d = DeleteRangeResponse.newBuilder().setHeader(b.header(r.revision()))
          .setDeleted(1);
      if (prevKv && r.object() != null) {
        d.addPrevKvs(KvMutations.toProto(key, r.object(), false));
      }
      return d.build();
    });
  }

  /**
   * A range delete: the raw keys by one transaction per partition that holds some (atomic within
   * the partition), the Kubernetes objects one DELETE each.
   */
  private CompletableFuture<DeleteRangeResponse> deleteMany(DeleteRangeRequest req) {
    List<KvEntry> found = new ArrayList<>(b.view.range(req.getKey(), req.getRangeEnd()));
    found.removeIf(e -> EtcdBackend.hidden(e.key()));
    java.util.Map<Integer, TxnRequest.Builder> perPartition = new java.util.TreeMap<>();
    List<CompletableFuture<DeleteRangeResponse>> parts = new ArrayList<>();
    for (KvEntry e : found) {
      String k = e.key().toString(StandardCharsets.UTF_8);
      if (EtcdBackend.isRegistry(k)) {
        parts.add(deleteOne(k, req.getPrevKv()));
      } else {
        perPartition.computeIfAbsent(b.partitionOf(k), p -> TxnRequest.newBuilder()).addSuccess(RequestOp.newBuilder()
            .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(e.key()).setPrevKv(req.getPrevKv())));
      }
    }
    for (java.util.Map.Entry<Integer, TxnRequest.Builder> p : perPartition.entrySet()) {
      parts.add(b.txn(b.routingKeys[p.getKey()], p.getValue().build().toByteArray()).thenApply(r -> {
        DeleteRangeResponse.Builder d = DeleteRangeResponse.newBuilder().setHeader(b.header(r.revision()));
        for (io.etcd.jetcd.api.ResponseOp op : txnResponse(r).getResponsesList()) {
          d.setDeleted(d.getDeleted() + op.getResponseDeleteRange().getDeleted());
          d.addAllPrevKvs(op.getResponseDeleteRange().getPrevKvsList());
        }
        return d.build();
      }));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
      long deleted = 0;
      long rev = b.view.revision();
      List<KeyValue> prev = new ArrayList<>();
      for (CompletableFuture<DeleteRangeResponse> f : parts) {
        DeleteRangeResponse d = f.join();
        deleted += d.getDeleted();
        prev.addAll(d.getPrevKvsList());
        rev = Math.max(rev, d.getHeader().getRevision());
      }
      prev.sort((x, y) -> ByteString.unsignedLexicographicalComparator().compare(x.getKey(), y.getKey()));
      return DeleteRangeResponse.newBuilder().setHeader(b.header(rev)).setDeleted(deleted).addAllPrevKvs(prev)
          .build();
    });
  }

  // ---- Txn ------------------------------------------------------------------------------------

  @Override
  public void txn(TxnRequest req, StreamObserver<TxnResponse> obs) {
    try {
      EtcdBackend.checkSize(req.getSerializedSize());
      Set<Integer> partitions = new TreeSet<>();
      List<String> keys = new ArrayList<>();
      check(req, partitions, keys);
      if (partitions.size() > 1) {
        throw EtcdErrors.failedPrecondition("the keys of this transaction live in partitions " + partitions
            + " of " + b.topics.partitions() + "; a transaction is applied atomically only when all its keys "
            + "live in one partition");
      }
      String routing = keys.isEmpty() ? b.routingKeys[0] : keys.get(0);
      b.txn(routing, req.toByteArray()).thenApply(r -> txnResponse(r).toBuilder().setHeader(b.header(r.revision()))
          .build()).whenComplete((r, e) -> reply(obs, r, e));
    } catch (StatusRuntimeException e) {
      obs.onError(e);
    }
  }

  /** Checks a transaction as etcd does, and that kafkube can apply it atomically. */
  private void check(TxnRequest req, Set<Integer> partitions, List<String> keys) {
    if (req.getCompareCount() > EtcdBackend.MAX_TXN_OPS || req.getSuccessCount() > EtcdBackend.MAX_TXN_OPS
        || req.getFailureCount() > EtcdBackend.MAX_TXN_OPS) {
      throw EtcdErrors.tooManyOps();
    }
    for (Compare c : req.getCompareList()) {
      if (!c.getRangeEnd().isEmpty()) {
        throw EtcdErrors.invalid("compares over key ranges are not supported in transactions");
      }
      txnKey(c.getKey(), partitions, keys);
    }
    checkOps(req.getSuccessList(), partitions, keys);
    checkOps(req.getFailureList(), partitions, keys);
  }

  private void checkOps(List<RequestOp> ops, Set<Integer> partitions, List<String> keys) {
    Set<ByteString> written = new HashSet<>();
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> {
          RangeRequest r = op.getRequestRange();
          noRange(r.getRangeEnd());
          txnKey(r.getKey(), partitions, keys);
        }
        case REQUEST_PUT -> {
          PutRequest p = op.getRequestPut();
          txnKey(p.getKey(), partitions, keys);
          if (!written.add(p.getKey())) {
            throw EtcdErrors.duplicateKey();
          }
          if (p.getLease() != 0 && !b.leases.exists(p.getLease())) {
            throw EtcdErrors.leaseNotFound();
          }
        }
        case REQUEST_DELETE_RANGE -> {
          DeleteRangeRequest d = op.getRequestDeleteRange();
          noRange(d.getRangeEnd());
          txnKey(d.getKey(), partitions, keys);
          if (!written.add(d.getKey())) {
            throw EtcdErrors.duplicateKey();
          }
        }
        case REQUEST_TXN -> check(op.getRequestTxn(), partitions, keys);
        default -> throw io.grpc.Status.INVALID_ARGUMENT.withDescription("etcdserver: empty request op")
            .asRuntimeException();
      }
    }
  }

  private static void noRange(ByteString rangeEnd) {
    if (!rangeEnd.isEmpty()) {
      throw EtcdErrors.invalid("ranges (range_end) are not supported inside transactions: a transaction is "
          + "applied by the partition of its keys, and a range spans every partition");
    }
  }

  private void txnKey(ByteString k, Set<Integer> partitions, List<String> keys) {
    String key = EtcdBackend.keyString(k);
    if (EtcdBackend.isRegistry(key)) {
      throw EtcdErrors.invalid("transactions over Kubernetes objects (/registry/) are not supported; "
          + "put or delete them one at a time");
    }
    partitions.add(b.partitionOf(key));
    keys.add(key);
  }

  private static TxnResponse txnResponse(ReplyView r) {
    if (!r.success()) {
      if (r.code() == 404 && "etcdserver: key not found".equals(r.message())) {
        throw EtcdErrors.keyNotFound();
      }
      throw EtcdErrors.fromStore(r.code(), r.message());
    }
    try {
      return TxnResponse.parseFrom(KeyValues.value(r.object()));
    } catch (InvalidProtocolBufferException e) {
      throw io.grpc.Status.INTERNAL.withDescription("kafkube: malformed TxnResponse from the store")
          .asRuntimeException();
    }
  }

  // ---- Compact --------------------------------------------------------------------------------

  /** kafkube keeps all of history; a compaction is accepted and changes nothing. */
  @Override
  public void compact(CompactionRequest req, StreamObserver<CompactionResponse> obs) {
    if (req.getRevision() > b.view.revision()) {
      obs.onError(EtcdErrors.futureRevision());
      return;
    }
    obs.onNext(CompactionResponse.newBuilder().setHeader(b.header()).build());
    obs.onCompleted();
  }

  static <T> void reply(StreamObserver<T> obs, T value, Throwable error) {
    if (error != null) {
      obs.onError(EtcdBackend.error(error));
    } else {
      obs.onNext(value);
      obs.onCompleted();
    }
  }
}
