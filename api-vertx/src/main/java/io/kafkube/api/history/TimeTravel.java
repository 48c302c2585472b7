package io.kafkube.api.history;

import io.kafkube.api.ApiException;
import io.kafkube.api.view.KeyPage;
import io.kafkube.api.view.Position;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.NavigableMap;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>Rebuilt states are kept (an LRU of {@link #DEFAULT_KEPT} by resource and point, at most
 * {@link #MAX_KEPT_OBJECTS} objects in all): the pages
 * of a paginated LIST ({@code limit}/{@code continue}) are slices of one kept state, and a point later
 * than a kept one is rebuilt from it by reading only the history between the two.
 */
public final class TimeTravel {
  /** Rebuilt states kept by default. */
  public static final int DEFAULT_KEPT = 16;
  /** At most this many objects in all kept states together (the newest state is kept whatever its size). */
  static final long MAX_KEPT_OBJECTS = 100_000;
  private final String bootstrapServers;
  private final TopicCatalog topics;
  private final Deserializer<GenericRecord> changes;
  /** Rebuilt states by resource and point, least recently used first. */
  private final LinkedHashMap<String, Snapshot> cache;
  private final int kept;
  private long keptObjects;
  private final AtomicLong scans = new AtomicLong();
  private final AtomicLong recordsRead = new AtomicLong();

  public TimeTravel(String bootstrapServers, TopicCatalog topics) {
    this(bootstrapServers, topics, DEFAULT_KEPT);
  }

  /** @param kept how many rebuilt states to keep (a page of a LIST at a past point is served from one) */
  public TimeTravel(String bootstrapServers, TopicCatalog topics, int kept) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.changes = topics.history().valueSerde().deserializer();
    this.kept = kept;
    this.cache = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** Puts a rebuilt state, then drops the least recently used ones beyond the count and object bounds. */
  private void keep(String id, Snapshot s) {
    synchronized (cache) {
      Snapshot old = cache.put(id, s);
      keptObjects += s.objects().size() - (old == null ? 0 : old.objects().size());
      var it = cache.entrySet().iterator();
      while (it.hasNext() && (cache.size() > kept || keptObjects > MAX_KEPT_OBJECTS && cache.size() > 1)) {
        Snapshot gone = it.next().getValue();
        if (gone == s) {
          if (cache.size() > kept) {
            it.remove();
            keptObjects -= gone.objects().size();
          }
          continue;
        }
        it.remove();
        keptObjects -= gone.objects().size();
      }
    }
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
   * resourceVersion {@code rv}, in key order: after {@code afterKey} (null: from the first) and at
   * most {@code limit} of them (0: all).
   */
  public KeyPage listAt(ResourceType type, String namespace, Predicate<GenericRecord> filter, String rv,
      String afterKey, int limit) {
    Snapshot s = snapshot(type, Point.parse(rv, topics.history().partitions()), rv);
    String prefix = type.keyPrefix() + (namespace != null && type.namespaced() ? namespace + "/" : "");
    return KeyPage.of(KeyPage.scope(s.objects(), prefix), filter, afterKey, limit);
  }

  /** The objects of {@code type} passing {@code filter} at {@code rv}, all of them. */
  public List<GenericRecord> listAt(ResourceType type, String namespace, Predicate<GenericRecord> filter, String rv) {
    return listAt(type, namespace, filter, rv, null, 0).items();
  }

  /** How many rebuilt states are kept. */
  public int cachedSnapshots() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /** How many scans of history were made (a page served from a kept state makes none). */
  public long scans() {
    return scans.get();
  }

  /** How many history records the scans read. */
  public long recordsRead() {
    return recordsRead.get();
  }

  /**
   * A point in history: a list resourceVersion (per partition, the first offset not included) or an
   * object revision (every change with a revision up to it).
   */
  private record Point(Position position, long revision) {
    static Point parse(String rv, int partitions) {
      if (Position.isPosition(rv)) {
        return new Point(Position.decode(rv, partitions)
            .orElseThrow(() -> ApiException.badRequest("invalid resource version: " + rv)), -1);
      }
      long revision;
      try {
        revision = Long.parseLong(rv);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid resource version: " + rv);
      }
      if (revision < 0) {
        throw ApiException.badRequest("invalid resource version: " + rv);
      }
      return new Point(null, revision);
    }

    String id() {
      return position != null ? position.encode() : Long.toString(revision);
    }
  }

  /**
   * The objects of one resource (every namespace) at one point; {@code end} per partition the first
   * history offset not read into it; {@code maxRevision} the newest change it holds.
   */
  private record Snapshot(String prefix, NavigableMap<String, GenericRecord> objects, long[] end,
      long maxRevision) {
    /** Whether the state at {@code p} is this one plus later changes only. */
    boolean precedes(Point p) {
      if (p.position() == null) {
        return maxRevision <= p.revision();
      }
      for (int i = 0; i < end.length; i++) {
        if (end[i] > p.position().offset(i)) {
          return false;
        }
      }
      return true;
    }

    long read() {
      long n = 0;
      for (long e : end) {
        n += e;
      }
      return n;
    }
  }

  /**
   * The state of {@code type} at {@code point}: a kept one, else rebuilt from history starting at the
   * furthest kept state of the same resource that precedes it (or at the beginning), so that the
   * pages of one LIST and LISTs at later points do not read history from the start again.
   */
  private Snapshot snapshot(ResourceType type, Point point, String rv) {
    int partitions = topics.history().partitions();
    String id = type.keyPrefix() + "@" + point.id();
    List<TopicPartition> parts = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      parts.add(new TopicPartition(topics.history().name(), p));
    }
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties(), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      Map<TopicPartition, Long> begin = c.beginningOffsets(parts, Duration.ofSeconds(30));
      Map<TopicPartition, Long> end = null;
      for (TopicPartition tp : parts) {
        if (begin.get(tp) > 0) {
          end = end == null ? c.endOffsets(parts, Duration.ofSeconds(30)) : end;
          throw new ApiException(Statuses.status(410, "Expired", "too old resource version: " + rv + " ("
              + endPosition(end, partitions) + "): history from offset " + begin.get(tp) + " of partition "
              + tp.partition() + " on only", null, null, null, List.of()));
        }
      }
      Snapshot kept;
      Snapshot base = null;
      synchronized (cache) {
        kept = cache.get(id);
        if (kept == null) {
          for (Snapshot s : cache.values()) {
            if (s.prefix().equals(type.keyPrefix()) && s.precedes(point) && (base == null || s.read() > base.read())) {
              base = s;
            }
          }
        }
      }
      if (kept != null) {
        return kept;
      }
      end = c.endOffsets(parts, Duration.ofSeconds(30));
      long[] stop = new long[partitions];
      for (TopicPartition tp : parts) {
        long e = end.get(tp);
        stop[tp.partition()] = point.position() == null ? e : point.position().offset(tp.partition());
        if (point.position() != null && point.position().offset(tp.partition()) > e) {
          throw tooLarge(rv, endPosition(end, partitions));
        }
      }
      if (point.position() == null) {
        long newest = newestRevision(c, parts, end, partitions);
        if (point.revision() > newest) {
          throw tooLarge(rv, Long.toString(newest));
        }
      }
      Snapshot built = scan(c, type.keyPrefix(), parts, base, stop, point);
      keep(id, built);
      return built;
    }
  }

  /** Reads history from {@code base}'s end (or the beginning) up to {@code stop} into a new state. */
  private Snapshot scan(KafkaConsumer<String, byte[]> c, String prefix, List<TopicPartition> parts, Snapshot base,
      long[] stop, Point point) {
    scans.incrementAndGet();
    TreeMap<String, GenericRecord> state = base == null ? new TreeMap<>() : new TreeMap<>(base.objects());
    long maxRevision = base == null ? -1 : base.maxRevision();
    List<TopicPartition> reading = new ArrayList<>();
    for (TopicPartition tp : parts) {
      long from = base == null ? 0 : base.end()[tp.partition()];
      if (stop[tp.partition()] > from) {
        reading.add(tp);
      } else {
        stop[tp.partition()] = Math.max(stop[tp.partition()], from);
      }
    }
    c.assign(reading);
    for (TopicPartition tp : reading) {
      c.seek(tp, base == null ? 0 : base.end()[tp.partition()]);
    }
    while (!reading.isEmpty()) {
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
        int p = r.partition();
        recordsRead.incrementAndGet();
        if (r.offset() >= stop[p] || r.key() == null || r.value() == null || KeyValues.isRawKey(r.key())
            || !r.key().startsWith(prefix)) {
          continue;
        }
        GenericRecord change = changes.deserialize(r.topic(), r.value());
        long rev = ((Number) change.get("revision")).longValue();
        if (point.position() == null && rev > point.revision()) {
          stop[p] = r.offset(); // later changes of this partition are all newer
          continue;
        }
        maxRevision = Math.max(maxRevision, rev);
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
    return new Snapshot(prefix, Collections.unmodifiableNavigableMap(state), stop.clone(), maxRevision);
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
