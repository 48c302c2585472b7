package io.kafkube.store.etcd;

import com.google.protobuf.ByteString;
import io.kafkube.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd endpoint's view of every key: it follows {@code history} ({@code read_committed}) from its
 * beginning, so that etcd's create_revision and version of every key — raw keys and Kubernetes objects
 * alike — are known, and offers each change to the watchers. {@link #sync()} completes once the view
 * has applied everything committed before the call (linearizable reads).
 */
final class KvView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KvView.class);

  /** One change as a watcher receives it; {@code after} null for a delete. */
  record Change(ByteString key, long revision, KvEntry before, KvEntry after) {}

  interface Listener {
    void onChange(Change change);
  }

  private final TopicCatalog topics;
  private final int partitions;
  private final KafkaConsumer<String, byte[]> consumer;
  private final ChangeReader changes;
  private final List<TopicPartition> historyPartitions = new ArrayList<>();
  private final ConcurrentSkipListMap<ByteString, KvEntry> entries =
      new ConcurrentSkipListMap<>(ByteString.unsignedLexicographicalComparator());
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final long[] positions;
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> syncRequests = new ConcurrentLinkedQueue<>();
  private final List<SyncTarget> targets = new ArrayList<>();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Thread thread;
  private volatile long revision;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private record SyncTarget(long[] ends, List<CompletableFuture<Void>> waiting) {}

  KvView(String bootstrapServers, TopicCatalog topics) {
    this.topics = topics;
    this.partitions = topics.history().partitions();
    this.positions = new long[partitions];
    this.consumer = new KafkaConsumer<>(consumerProperties(bootstrapServers, topics.prefix() + "-etcd-view"),
        new StringDeserializer(), new ByteArrayDeserializer());
    this.changes = new ChangeReader(topics.history().valueSerde().deserializer());
    for (int i = 0; i < partitions; i++) {
      historyPartitions.add(new TopicPartition(topics.history().name(), i));
    }
    this.thread = new Thread(this::run, topics.prefix() + "-etcd-view");
    thread.setDaemon(true);
  }

  static Properties consumerProperties(String bootstrapServers, String clientId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * TopicCatalog.MAX_MESSAGE_BYTES));
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    return p;
  }

  void start(Duration timeout) throws InterruptedException, TimeoutException {
    thread.start();
    if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("the etcd view did not load history within " + timeout);
    }
    if (failure != null) {
      throw new IllegalStateException("the etcd view failed to start", failure);
    }
  }

  int partitions() {
    return partitions;
  }

  /** The newest revision applied (the header revision of reads). */
  long revision() {
    return revision;
  }

  long[] positions() {
    lock.readLock().lock();
    try {
      return positions.clone();
    } finally {
      lock.readLock().unlock();
    }
  }

  KvEntry get(ByteString key) {
    return entries.get(key);
  }

  /** The entries in [key, rangeEnd) (etcd's range rules: empty end = the key alone, "\0" = from key). */
  List<KvEntry> range(ByteString key, ByteString rangeEnd) {
    if (rangeEnd.isEmpty()) {
      KvEntry e = entries.get(key);
      return e == null ? List.of() : List.of(e);
    }
    NavigableMap<ByteString, KvEntry> m;
    if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) {
      m = entries.tailMap(key, true);
    } else if (ByteString.unsignedLexicographicalComparator().compare(key, rangeEnd) >= 0) {
      return List.of();
    } else {
      m = entries.subMap(key, true, rangeEnd, false);
    }
    return new ArrayList<>(m.values());
  }

  /** Every entry attached to a lease. */
  List<KvEntry> withLease(long lease) {
    List<KvEntry> out = new ArrayList<>();
    for (KvEntry e : entries.values()) {
      if (e.lease() == lease && !EtcdBackend.hidden(e.key())) {
        out.add(e);
      }
    }
    return out;
  }

  long approximateBytes() {
    long n = 0;
    for (KvEntry e : entries.values()) {
      n += e.key().size() + 64;
    }
    return n;
  }

  /**
   * Registers a listener and returns the history position it starts after: every change the view
   * applies from then on is offered to it (on the view's thread).
   */
  long[] subscribe(Listener l) {
    lock.writeLock().lock();
    try {
      listeners.add(l);
      return positions.clone();
    } finally {
      lock.writeLock().unlock();
    }
  }

  int listenerCount() {
    return listeners.size();
  }

  void unsubscribe(Listener l) {
    listeners.remove(l);
  }

  /** Completes when the view has applied every change committed before this call. */
  CompletableFuture<Void> sync() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(new IllegalStateException("the etcd view is closed", failure));
      return f;
    }
    syncRequests.add(f);
    consumer.wakeup();
    return f;
  }

  private void run() {
    try {
      consumer.assign(historyPartitions);
      consumer.seekToBeginning(historyPartitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(historyPartitions);
      long loaded = 0;
      while (running && !reached(end)) {
        loaded += apply(consumer.poll(Duration.ofMillis(200)));
      }
      LOG.info("[etcd] view loaded {} changes from {}, revision {}, {} keys", loaded, topics.history().name(),
          revision, entries.size());
      ready.countDown();
      while (running) {
        try {
          loop();
        } catch (WakeupException e) {
          // a sync request arrived: handled by the next loop
        }
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (Throwable e) {
      failure = e;
      LOG.error("[etcd] the view stopped", e);
    } finally {
      running = false;
      ready.countDown();
      IllegalStateException stopped = new IllegalStateException("the etcd view stopped", failure);
      for (CompletableFuture<Void> f; (f = syncRequests.poll()) != null; ) {
        f.completeExceptionally(stopped);
      }
      for (SyncTarget t : targets) {
        t.waiting().forEach(f -> f.completeExceptionally(stopped));
      }
      try {
        consumer.close(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        LOG.debug("[etcd] error closing the view consumer", e);
      }
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (TopicPartition tp : historyPartitions) {
      if (consumer.position(tp) < end.getOrDefault(tp, 0L)) {
        return false;
      }
    }
    return true;
  }

  private void loop() {
    if (!syncRequests.isEmpty()) {
      List<CompletableFuture<Void>> batch = new ArrayList<>();
      for (CompletableFuture<Void> f; (f = syncRequests.poll()) != null; ) {
        batch.add(f);
      }
      Map<TopicPartition, Long> ends;
      try {
        ends = consumer.endOffsets(historyPartitions);
      } catch (WakeupException e) {
        syncRequests.addAll(batch);
        return;
      }
      long[] e = new long[partitions];
      for (Map.Entry<TopicPartition, Long> en : ends.entrySet()) {
        e[en.getKey().partition()] = en.getValue();
      }
      targets.add(new SyncTarget(e, batch));
    }
    completeTargets();
    if (!targets.isEmpty() || syncRequests.isEmpty()) {
      ConsumerRecords<String, byte[]> records;
      try {
        records = consumer.poll(Duration.ofMillis(targets.isEmpty() ? 200 : 5));
      } catch (WakeupException e) {
        return;
      }
      apply(records);
      completeTargets();
    }
  }

  private void completeTargets() {
    if (targets.isEmpty()) {
      return;
    }
    long[] pos = new long[partitions];
    for (TopicPartition tp : historyPartitions) {
      pos[tp.partition()] = consumer.position(tp);
    }
    targets.removeIf(t -> {
      for (int p = 0; p < partitions; p++) {
        if (pos[p] < t.ends()[p]) {
          return false;
        }
      }
      t.waiting().forEach(f -> f.complete(null));
      return true;
    });
  }

  private int apply(ConsumerRecords<String, byte[]> records) {
    if (records.isEmpty()) {
      updatePositions();
      return 0;
    }
    int n = 0;
    lock.writeLock().lock();
    try {
      for (ConsumerRecord<String, byte[]> r : records) {
        ChangeReader.Read change;
        try {
          change = changes.read(r.topic(), r.value());
        } catch (RuntimeException e) {
          LOG.warn("[etcd] skipping undecodable change at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
              e.toString());
          continue;
        }
        if (change == null || r.key() == null) {
          continue;
        }
        applyChange(r.key(), change);
        n++;
      }
      updatePositionsLocked();
    } finally {
      lock.writeLock().unlock();
    }
    return n;
  }

  private void applyChange(String keyString, ChangeReader.Read change) {
    long rev = change.revision();
    ByteString key = ByteString.copyFrom(keyString, StandardCharsets.UTF_8);
    KvEntry before = entries.get(key);
    if (before != null && before.modRevision() >= rev) {
      return; // already applied
    }
    KvEntry next = change.deletes() ? null : KvEntry.next(key, before, change.decoded(), change.encoded(), rev);
    if (next == null) {
      entries.remove(key);
    } else {
      entries.put(key, next);
    }
    if (rev > revision) {
      revision = rev;
    }
    if (!listeners.isEmpty()) {
      Change c = new Change(key, rev, before, next);
      for (Listener l : listeners) {
        try {
          l.onChange(c);
        } catch (RuntimeException e) {
          LOG.warn("[etcd] a watcher failed", e);
        }
      }
    }
  }

  private void updatePositions() {
    lock.writeLock().lock();
    try {
      updatePositionsLocked();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void updatePositionsLocked() {
    for (TopicPartition tp : historyPartitions) {
      positions[tp.partition()] = consumer.position(tp);
    }
  }

  /** Stops the view; pending syncs fail. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String describe(long[] positions) {
    return Arrays.toString(positions);
  }
}
