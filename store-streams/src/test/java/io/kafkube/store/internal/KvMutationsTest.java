package io.kafkube.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.store.TestObjects;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The store's rules for raw etcd keys and transactions, without a broker. */
class KvMutationsTest {
  private static final int P = 1; // every key in partition 0
  private final KvMutations kv = new KvMutations(P);
  private final TreeMap<String, GenericRecord> store = new TreeMap<>(KvMutations::compareBytes);
  private long offset;

  private final KvMutations.Keys keys = new KvMutations.Keys() {
    @Override
    public GenericRecord get(String key) {
      return store.get(key);
    }

    @Override
    public List<String> range(String from, String to) {
      return new ArrayList<>((to == null ? store.tailMap(from, true) : store.subMap(from, true, to, false)).keySet());
    }
  };

  private KvMutations.Result run(GenericRecord command) {
    long rev = ++offset * P;
    KvMutations.Result r = kv.apply(new CommandView(command), keys, rev, 0);
    for (KvMutations.Change c : r.changes()) {
      if (c.after() == null) {
        store.remove(c.key());
      } else {
        store.put(c.key(), c.after());
      }
    }
    return r;
  }

  private static GenericRecord put(String key, String value, String expectModRevision) {
    return Envelopes.command(Op.UPDATE, key, KeyValues.RESOURCE, TestObjects.ALICE, "r")
        .object(KeyValues.of(value.getBytes(StandardCharsets.UTF_8), 0))
        .preconditions(null, expectModRevision).build();
  }

  private static GenericRecord txn(TxnRequest t) {
    return Envelopes.command(Op.UPDATE, "k", KeyValues.TXN_RESOURCE, TestObjects.ALICE, "r")
        .object(KeyValues.of(t.toByteArray(), 0)).build();
  }

  private static String value(GenericRecord kv) {
    return new String(KeyValues.value(kv), StandardCharsets.UTF_8);
  }

  @Test
  void putKeepsEtcdRevisionsAndVersion() {
    KvMutations.Result first = run(put("k", "a", null));
    assertThat(first.code()).isEqualTo(201);
    assertThat(first.reply()).as("no previous value").isNull();
    KvMutations.Result second = run(put("k", "b", null));
    assertThat(second.code()).isEqualTo(200);
    assertThat(value(second.reply())).isEqualTo("a");
    GenericRecord now = store.get("k");
    assertThat(value(now)).isEqualTo("b");
    assertThat(KeyValues.createRevision(now)).isEqualTo(1);
    assertThat(KeyValues.modRevision(now)).isEqualTo(2);
    assertThat(KeyValues.version(now)).isEqualTo(2);
    assertThat(second.changes()).singleElement().satisfies(c -> assertThat(c.verb()).isEqualTo(Op.UPDATE));
  }

  @Test
  void compareAndSwapOnModRevision() {
    run(put("k", "a", null));
    KvMutations.Result stale = run(put("k", "b", "7"));
    assertThat(stale.code()).isEqualTo(409);
    assertThat(stale.changes()).isEmpty();
    KvMutations.Result fresh = run(put("k", "b", "1"));
    assertThat(fresh.code()).isEqualTo(200);
    KvMutations.Result mustNotExist = run(put("other", "x", "0"));
    assertThat(mustNotExist.code()).isEqualTo(201);
  }

  @Test
  void deleteOfAMissingKeyIsNotFoundAndChangesNothing() {
    GenericRecord del = Envelopes.command(Op.DELETE, "nope", KeyValues.RESOURCE, TestObjects.ALICE, "r").build();
    KvMutations.Result r = run(del);
    assertThat(r.code()).isEqualTo(404);
    assertThat(r.changes()).isEmpty();
  }

  @Test
  void valuesOverTheLimitAreRefused() {
    byte[] big = new byte[1536 * 1024 + 1];
    GenericRecord cmd = Envelopes.command(Op.UPDATE, "big", KeyValues.RESOURCE, TestObjects.ALICE, "r")
        .object(KeyValues.of(big, 0)).build();
    KvMutations.Result r = run(cmd);
    assertThat(r.code()).isEqualTo(413);
    assertThat(store).isEmpty();
  }

  @Test
  void registryKeysAreNotKeyValues() {
    KvMutations.Result r = run(put("/registry/pods/default/x", "{}", null));
    assertThat(r.code()).isEqualTo(400);
    assertThat(store).isEmpty();
  }

  @Test
  void txnTakesTheFailureBranchWhenACompareFailsAndAllItsWritesShareOneRevision() {
    run(put("k", "a", null));
    TxnRequest t = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(bs("k")).setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.EQUAL).setValue(bs("not-a")))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("k")).setValue(bs("S"))))
        .addFailure(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("k")).setValue(bs("F"))
            .setPrevKv(true)))
        .addFailure(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("k2")).setValue(bs("F2"))))
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs("k"))))
        .build();
    KvMutations.Result r = run(txn(t));
    assertThat(r.code()).isEqualTo(200);
    TxnResponse resp = parse(r);
    assertThat(resp.getSucceeded()).isFalse();
    assertThat(resp.getResponses(0).getResponsePut().getPrevKv().getValue().toStringUtf8()).isEqualTo("a");
    assertThat(resp.getResponses(2).getResponseRange().getKvs(0).getValue().toStringUtf8())
        .as("a read in a txn sees the txn's own writes").isEqualTo("F");
    assertThat(value(store.get("k"))).isEqualTo("F");
    assertThat(value(store.get("k2"))).isEqualTo("F2");
    assertThat(KeyValues.modRevision(store.get("k"))).isEqualTo(KeyValues.modRevision(store.get("k2")));
    assertThat(r.changes()).hasSize(2);
  }

  @Test
  void txnCompareOnVersionAndCreateRevisionOfAMissingKey() {
    TxnRequest t = TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(bs("lock")).setTarget(Compare.CompareTarget.CREATE)
            .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
        .addCompare(Compare.newBuilder().setKey(bs("lock")).setTarget(Compare.CompareTarget.VERSION)
            .setResult(Compare.CompareResult.LESS).setVersion(1))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("lock")).setValue(bs("me"))))
        .build();
    assertThat(parse(run(txn(t))).getSucceeded()).isTrue();
    assertThat(parse(run(txn(t))).getSucceeded()).as("the second taker finds it created").isFalse();
    assertThat(KeyValues.version(store.get("lock"))).isEqualTo(1);
  }

  @Test
  void txnDeleteRangeDeletesTheRawKeysOfThePartition() {
    run(put("a/1", "x", null));
    run(put("a/2", "y", null));
    run(put("b", "z", null));
    TxnRequest t = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestDeleteRange(
        DeleteRangeRequest.newBuilder().setKey(bs("a/")).setRangeEnd(bs("a0")).setPrevKv(true))).build();
    TxnResponse resp = parse(run(txn(t)));
    assertThat(resp.getResponses(0).getResponseDeleteRange().getDeleted()).isEqualTo(2);
    assertThat(store).containsOnlyKeys("b");
  }

  @Test
  void ignoreValueOfAMissingKeyIsRefusedAndNothingIsWritten() {
    TxnRequest t = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(
        PutRequest.newBuilder().setKey(bs("ghost")).setIgnoreValue(true))).addSuccess(RequestOp.newBuilder()
        .setRequestPut(PutRequest.newBuilder().setKey(bs("other")).setValue(bs("v")))).build();
    KvMutations.Result r = run(txn(t));
    assertThat(r.code()).isEqualTo(404);
    assertThat(r.status().get("message").toString()).isEqualTo("etcdserver: key not found");
    assertThat(store).isEmpty();
  }

  @Test
  void txnKeysOutsideThePartitionAreRefused() {
    KvMutations two = new KvMutations(2);
    String inOne = null;
    for (int i = 0; inOne == null; i++) {
      if (Partitions.of("key" + i, 2) == 1) {
        inOne = "key" + i;
      }
    }
    TxnRequest t = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(
        PutRequest.newBuilder().setKey(bs(inOne)).setValue(bs("v")))).build();
    KvMutations.Result r = two.apply(new CommandView(txn(t)), keys, 2, 0);
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.changes()).isEmpty();
  }

  private static TxnResponse parse(KvMutations.Result r) {
    try {
      return TxnResponse.parseFrom(KeyValues.value(r.reply()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** What the API's Service IP/port allocator relies on: one CREATE wins, only the owner's release deletes. */
  @Test
  void anAllocationKeyIsClaimedOnceAndReleasedOnlyByItsOwner() {
    String key = "/kafkube/allocations/clusterips/127.1.0.9";
    GenericRecord first = Envelopes.command(Op.CREATE, key, KeyValues.RESOURCE, TestObjects.ALICE, "r1")
        .object(KeyValues.of("/registry/services/default/a".getBytes(StandardCharsets.UTF_8), 0)).build();
    GenericRecord second = Envelopes.command(Op.CREATE, key, KeyValues.RESOURCE, TestObjects.ALICE, "r2")
        .object(KeyValues.of("/registry/services/default/b".getBytes(StandardCharsets.UTF_8), 0)).build();
    assertThat(run(first).code()).isEqualTo(201);
    KvMutations.Result lost = run(second);
    assertThat(lost.code()).isEqualTo(409);
    assertThat(lost.changes()).isEmpty();
    assertThat(value(store.get(key))).isEqualTo("/registry/services/default/a");

    ByteString k = ByteString.copyFromUtf8(key);
    java.util.function.Function<String, TxnRequest> release = owner -> TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(k).setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.EQUAL).setValue(ByteString.copyFromUtf8(owner)))
        .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(k)))
        .build();
    assertThat(run(txn(release.apply("/registry/services/default/b"))).changes()).isEmpty();
    assertThat(store).containsKey(key);
    assertThat(run(txn(release.apply("/registry/services/default/a"))).changes()).singleElement()
        .satisfies(c -> assertThat(c.verb()).isEqualTo(Op.DELETE));
    assertThat(store).doesNotContainKey(key);
  }
}
