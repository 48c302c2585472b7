package io.kafkube.store.etcd;

import com.google.protobuf.ByteString;
import io.kafkube.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the past from {@code history}: the keys as they were at a revision ({@code Range} with
 * {@code revision}), and the changes since a revision ({@code Watch} with {@code start_revision}).
 * History keeps every change (retention forever by default), so nothing is ever compacted away.
 * A key's changes all live in the history partition of the key, in revision order.
 */
final class HistoryScan {
  private final String bootstrapServers;
  private final TopicCatalog topics;
  private final Deserializer<GenericRecord> changes;

  HistoryScan(String bootstrapServers, TopicCatalog topics) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.changes = topics.history().valueSerde().deserializer();
  }

  /**
   * The entries in the range as of {@code revision}: per key, the newest change at or below it.
   *
   * @param partitions the history partitions to read (all, or the one of a single key)
   * @param upTo       per partition, the offset to stop at (exclusive)
   */
  TreeMap<ByteString, KvEntry> at(long revision, List<Integer> partitions, long[] upTo,
      Predicate<ByteString> inRange) {
    TreeMap<ByteString, KvEntry> state = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
    scan(partitions, upTo, (key, rev, after) -> {
      if (rev > revision || !inRange.test(key)) {
        return;
      }
      KvEntry before = state.get(key);
      if (after == null) {
        state.remove(key);
      } else {
        state.put(key, KvEntry.next(key, before, after, rev));
      }
    });
    return state;
  }

  /** The changes in the range with revision ≥ {@code from}, in revision order, with the entry before each. */
  List<KvView.Change> since(long from, List<Integer> partitions, long[] upTo, Predicate<ByteString> inRange) {
    Map<ByteString, KvEntry> state = new HashMap<>();
    List<KvView.Change> out = new ArrayList<>();
    scan(partitions, upTo, (key, rev, after) -> {
      if (!inRange.test(key)) {
        return;
      }
      KvEntry before = state.get(key);
      KvEntry next = after == null ? null : KvEntry.next(key, before, after, rev);
      if (next == null) {
        state.remove(key);
      } else {
        state.put(key, next);
      }
      if (rev >= from) {
        out.add(new KvView.Change(key, rev, before, next));
      }
    });
    out.sort(Comparator.comparingLong(KvView.Change::revision));
    return out;
  }

  private interface Visitor {
    void visit(ByteString key, long revision, GenericRecord after);
  }

  private void scan(List<Integer> partitions, long[] upTo, Visitor v) {
    List<TopicPartition> parts = new ArrayList<>();
    for (int p : partitions) {
      if (upTo[p] > 0) {
        parts.add(new TopicPartition(topics.history().name(), p));
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
        KvView.consumerProperties(bootstrapServers, topics.prefix() + "-etcd-history"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      c.assign(parts);
      c.seekToBeginning(parts);
      List<TopicPartition> open = new ArrayList<>(parts);
      while (!open.isEmpty()) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() >= upTo[r.partition()] || r.key() == null) {
            continue;
          }
          GenericRecord change = changes.deserialize(r.topic(), r.value());
          if (change == null) {
            continue;
          }
          v.visit(ByteString.copyFrom(r.key(), StandardCharsets.UTF_8),
              ((Number) change.get("revision")).longValue(), (GenericRecord) change.get("after"));
        }
        open.removeIf(tp -> c.position(tp) >= upTo[tp.partition()]);
        List<TopicPartition> done = new ArrayList<>(parts);
        done.removeAll(open);
        if (!done.isEmpty() && !open.isEmpty()) {
          c.pause(done);
        }
      }
    }
  }
}
