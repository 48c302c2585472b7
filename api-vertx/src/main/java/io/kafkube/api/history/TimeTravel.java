package io.kafkube.api.history;

import io.kafkube.api.ApiException;
import io.kafkube.api.view.Position;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * LIST at a past resourceVersion ({@code resourceVersionMatch=Exact}), rebuilt from
 * {@code kafkube.history}: every accepted change up to that point, replayed per key, the last
 * {@code after} of each key being its object then (a tombstone: gone). The point is either a list
 * resourceVersion (a {@link Position}: per history partition, the offset of the first change not
 * included) or an object's revision R (every change with revision ≤ R: a history partition holds its
 * changes in revision order). History that no longer starts at offset 0 (retention removed its
 * beginning) cannot rebuild a state: 410 Expired; a point beyond what was written: 504 Too large,
 * as kube-apiserver answers. Blocking: call it on a worker.
 */
public final class TimeTravel {
  private final String bootstrapServers;
  private final TopicCatalog topics;
  private final Deserializer<GenericRecord> changes;

  public TimeTravel(String bootstrapServers, TopicCatalog topics) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.changes = topics.history().valueSerde().deserializer();
  }

  /** {@code resourceVersionMatch} of a LIST. */
  public enum Match { NONE, EXACT, NOT_OLDER_THAN }

  /**
   * Checks {@code resourceVersionMatch} against {@code resourceVersion} as kube-apiserver's
   * ListOptions validation does (422 Invalid).
   */
  public static Match match(String match, String rv) {
    if (match == null || match.isEmpty()) {
      return Match.NONE;
    }
    String why;
    if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
      why = "Unsupported value: \"" + match + "\": supported values: \"Exact\", \"NotOlderThan\"";
      return invalid(why, "FieldValueNotSupported");
    }
    if (rv == null || rv.isEmpty()) {
      return invalid("Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
          "FieldValueForbidden");
    }
    if (match.equals("Exact") && rv.equals("0")) {
      return invalid("Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
          "FieldValueForbidden");
    }
    return match.equals("Exact") ? Match.EXACT : Match.NOT_OLDER_THAN;
  }

  private static Match invalid(String why, String reason) {
    throw new ApiException(Statuses.status(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: "
        + "resourceVersionMatch: " + why, null, "", null, List.of(new Cause(reason, why, "resourceVersionMatch"))));
  }

  /** NotOlderThan a list resourceVersion the view has not reached after a consistent read: 504. */
  public static void checkReached(String rv, Position view) {
    if (!Position.isPosition(rv)) {
      return;
    }
    Position p = Position.decode(rv, view.partitions())
        .orElseThrow(() -> ApiException.badRequest("invalid resource version: " + rv));
    for (int i = 0; i < view.partitions(); i++) {
      if (p.offset(i) > view.offset(i)) {
        throw tooLarge(rv, view.encode());
      }
    }
  }

  /**
   * The objects of {@code type} (in {@code namespace}, or all when null) passing {@code filter} at
   * resourceVersion {@code rv}, in key order.
   */
  public List<GenericRecord> listAt(ResourceType type, String namespace, Predicate<GenericRecord> filter, String rv) {
    int partitions = topics.history().partitions();
    Position position = null;
    long revision = -1;
    if (Position.isPosition(rv)) {
      position = Position.decode(rv, partitions)
          .orElseThrow(() -> ApiException.badRequest("invalid resource version: " + rv));
    } else {
      try {
        revision = Long.parseLong(rv);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid resource version: " + rv);
      }
      if (revision < 0) {
        throw ApiException.badRequest("invalid resource version: " + rv);
      }
    }
    String prefix = type.keyPrefix() + (namespace != null && type.namespaced() ? namespace + "/" : "");
    List<TopicPartition> parts = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      parts.add(new TopicPartition(topics.history().name(), p));
    }
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties(), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      Map<TopicPartition, Long> begin = c.beginningOffsets(parts, Duration.ofSeconds(30));
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      long[] stop = new long[partitions];
      for (TopicPartition tp : parts) {
        long e = end.get(tp);
        stop[tp.partition()] = position == null ? e : position.offset(tp.partition());
        if (position != null && position.offset(tp.partition()) > e) {
          throw tooLarge(rv, endPosition(end, partitions));
        }
        if (begin.get(tp) > 0) {
          throw new ApiException(Statuses.status(410, "Expired", "too old resource version: " + rv + " ("
              + endPosition(end, partitions) + "): history from offset " + begin.get(tp) + " of partition "
              + tp.partition() + " on only", null, null, null, List.of()));
        }
      }
      if (position == null) {
        long newest = newestRevision(c, parts, end, partitions);
        if (revision > newest) {
          throw tooLarge(rv, Long.toString(newest));
        }
      }
      TreeMap<String, GenericRecord> state = new TreeMap<>();
      List<TopicPartition> reading = new ArrayList<>();
      for (TopicPartition tp : parts) {
        if (stop[tp.partition()] > 0) {
          reading.add(tp);
        }
      }
      c.assign(reading);
      c.seekToBeginning(reading);
      while (!reading.isEmpty()) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          int p = r.partition();
          if (r.offset() >= stop[p] || r.key() == null || r.value() == null || KeyValues.isRawKey(r.key())
              || !r.key().startsWith(prefix)) {
            continue;
          }
          GenericRecord change = changes.deserialize(r.topic(), r.value());
          long rev = ((Number) change.get("revision")).longValue();
          if (position == null && rev > revision) {
            stop[p] = r.offset(); // later changes of this partition are all newer
            continue;
          }
          GenericRecord after = (GenericRecord) change.get("after");
          if (after == null) {
            state.remove(r.key());
          } else {
            state.put(r.key(), after);
          }
        }
        reading.removeIf(tp -> c.position(tp) >= stop[tp.partition()]);
        if (!reading.isEmpty()) {
          c.pause(c.assignment().stream().filter(tp -> !reading.contains(tp)).toList());
        }
      }
      List<GenericRecord> out = new ArrayList<>();
      for (GenericRecord obj : state.values()) {
        if (filter.test(obj)) {
          out.add(obj);
        }
      }
      return out;
    }
  }

  /** The revision of the newest command: the last offset of any commands partition, as a revision. */
  private long newestRevision(KafkaConsumer<String, byte[]> c, List<TopicPartition> historyParts,
      Map<TopicPartition, Long> historyEnd, int partitions) {
    List<TopicPartition> cmd = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      cmd.add(new TopicPartition(topics.commands().name(), p));
    }
    long newest = -1;
    for (Map.Entry<TopicPartition, Long> e : c.endOffsets(cmd, Duration.ofSeconds(30)).entrySet()) {
      if (e.getValue() > 0) {
        newest = Math.max(newest, (e.getValue() - 1) * partitions + e.getKey().partition());
      }
    }
    return newest;
  }

  private static String endPosition(Map<TopicPartition, Long> end, int partitions) {
    long[] o = new long[partitions];
    end.forEach((tp, off) -> o[tp.partition()] = off);
    return new Position(o).encode();
  }

  private static ApiException tooLarge(String rv, String current) {
    return new ApiException(Statuses.status(504, "Timeout", "Too large resource version: " + rv + ", current: "
        + current, null, null, null, List.of(new Cause("ResourceVersionTooLarge", "Too large resource version",
        ""))));
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * TopicCatalog.MAX_MESSAGE_BYTES));
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, topics.prefix() + "-api-time-travel");
    return p;
  }
}
