package io.kafkube.api.view;

import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.Topic;
import io.kafkube.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's materialized view of the cluster (kube-apiserver's watch cache, fed by Kafka).
 *
 * <p>One consumer, {@code read_committed}, on one thread. At start it reads every {@code state.*}
 * topic (compacted: the current objects) to its end, then follows {@code history}, whose partitions
 * hold every accepted change in revision order with the object before and after. History is what it
 * follows because a state tombstone carries no revision and no object, while a watch must send
 * DELETED with the object and a resourceVersion; and because its P partitions give a position of
 * P offsets ({@link Position}) for list resourceVersions, bookmarks and consistent reads. History
 * changes are applied only when newer than the object the view holds, so replaying the part already
 * in the state topics is harmless.
 *
 * <p>Consistent reads: {@link #sync()} completes once the view has reached the history end offsets
 * as of the call; the end offsets of all waiting callers are looked up together, once per loop.
 * The last {@code windowSize} changes are kept for watches that resume from a resourceVersion.
 */
public final class StateView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateView.class);

  private final ResourceRegistry registry;
  private final TopicCatalog topics;
  private final int partitions;
  private final int windowSize;
  private final String bootstrapServers;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Deserializer<GenericRecord>> deserializers = new HashMap<>();
  private final Deserializer<GenericRecord> changes;
  private final List<TopicPartition> historyPartitions = new ArrayList<>();
  private final Map<ResourceType, ConcurrentSkipListMap<String, GenericRecord>> objects = new HashMap<>();
  private final Map<ResourceType, CopyOnWriteArrayList<ChangeListener>> listeners = new HashMap<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ArrayDeque<ViewEvent> window = new ArrayDeque<>();
  /** Per partition: offset + 1 of the newest change no longer in the window (0: none missing). */
  private final long[] missingUpTo;
  /** Per partition: revision of the newest change no longer in the window (-1: none missing). */
  private final long[] missingRevision;
  private final long[] positions;
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> syncRequests = new ConcurrentLinkedQueue<>();
  private final List<SyncTarget> targets = new ArrayList<>();
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;
  /** Given each change followed (after it is applied, outside the lock): answers the API's own writes. */
  private volatile Consumer<GenericRecord> applied = change -> { };
  private long skipped;
  private volatile long lagRecords;
  /** When the view was last caught up with history (epoch ms). */
  private volatile long caughtUpAt = System.currentTimeMillis();

  private record SyncTarget(long[] ends, List<CompletableFuture<Void>> waiting) {}

  private StateView(String bootstrapServers, TopicCatalog topics, ResourceRegistry registry, int windowSize) {
    this.registry = registry;
    this.topics = topics;
    this.partitions = topics.history().partitions();
    this.windowSize = windowSize;
    this.missingUpTo = new long[partitions];
    this.missingRevision = new long[partitions];
    this.positions = new long[partitions];
    java.util.Arrays.fill(missingRevision, -1);
    this.bootstrapServers = bootstrapServers;
    this.consumer = new KafkaConsumer<>(consumerProperties(bootstrapServers, topics.prefix() + "-api-view"),
        new StringDeserializer(), new ByteArrayDeserializer());
    for (Map.Entry<ResourceType, Topic<String, GenericRecord>> e : topics.stateTopics().entrySet()) {
      deserializers.put(e.getValue().name(), e.getValue().valueSerde().deserializer());
      objects.put(e.getKey(), new ConcurrentSkipListMap<>());
      listeners.put(e.getKey(), new CopyOnWriteArrayList<>());
    }
    this.changes = topics.history().valueSerde().deserializer();
    for (int i = 0; i < partitions; i++) {
      historyPartitions.add(new TopicPartition(topics.history().name(), i));
    }
    this.thread = new Thread(this::run, topics.prefix() + "-api-view");
    thread.setDaemon(true);
  }

  private static Properties consumerProperties(String bootstrapServers, String clientId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * TopicCatalog.MAX_MESSAGE_BYTES));
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    return p;
  }

  /**
   * Starts the view and waits until it holds the current state.
   *
   * @param windowSize how many recent changes a watch can resume from
   */
  public static StateView start(String bootstrapServers, TopicCatalog topics, ResourceRegistry registry,
      int windowSize, Duration timeout) throws InterruptedException, TimeoutException {
    StateView v = new StateView(bootstrapServers, topics, registry, windowSize);
    v.thread.start();
    if (!v.ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      v.close();
      throw new TimeoutException("the API view did not load the state within " + timeout);
    }
    if (v.failure != null) {
      v.close();
      throw new IllegalStateException("the API view failed to start", v.failure);
    }
    return v;
  }

  public ResourceRegistry registry() {
    return registry;
  }

  public int partitions() {
    return partitions;
  }

  public boolean isReady() {
    return ready.getCount() == 0 && failure == null && running;
  }

  /**
   * Gives {@code observer} every change the view follows, once it is applied and visible to reads (on
   * the view's thread, outside its lock): the API server completes its writes with it
   * ({@link io.kafkube.store.client.CommandClient#answer}).
   */
  public void onApplied(Consumer<GenericRecord> observer) {
    this.applied = observer;
  }

  /** Completes when the view has applied every change committed before this call. */
  public CompletableFuture<Void> sync() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    if (!running) {
      f.completeExceptionally(new IllegalStateException("the view is closed"));
      return f;
    }
    syncRequests.add(f);
    consumer.wakeup();
    return f;
  }

  /** The current object of a key, or null. */
  public GenericRecord get(ObjectKey key) {
    return objects.get(key.type()).get(key.toString());
  }

  /** The view's position now. */
  public Position position() {
    lock.readLock().lock();
    try {
      return new Position(positions);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A consistent page of a list: the objects and the position they reflect. */
  public record Page(List<GenericRecord> items, Position position, String lastKey, long remaining) {}

  /**
   * Lists the objects of a kind (in one namespace, or all when {@code namespace} is null) that pass
   * {@code filter}, in key order, starting after {@code afterKey}, at most {@code limit} (0: all).
   */
  public Page list(ResourceType type, String namespace, Predicate<GenericRecord> filter, String afterKey,
      int limit) {
    lock.readLock().lock();
    try {
      KeyPage page = KeyPage.of(scope(type, namespace), filter, afterKey, limit);
      return new Page(page.items(), new Position(positions), page.lastKey(), page.remaining());
    } finally {
      lock.readLock().unlock();
    }
  }

  private NavigableMap<String, GenericRecord> scope(ResourceType type, String namespace) {
    ConcurrentSkipListMap<String, GenericRecord> m = objects.get(type);
    if (namespace == null || !type.namespaced()) {
      return m;
    }
    return KeyPage.scope(m, type.keyPrefix() + namespace + "/");
  }

  /** A registered watch: the changes it must send first, and the handle that ends it. */
  public record Subscription(List<ViewEvent> backlog, List<GenericRecord> initial, Position position,
      AutoCloseable handle) {}

  /**
   * Registers a listener for the changes of a kind. Exactly one of the starting points applies:
   * {@code initial} true sends the current objects first (a watch without resourceVersion);
   * {@code from} resumes after a position; otherwise {@code fromRevision} resumes after a revision.
   *
   * @throws ResourceExpiredException when the changes after the starting point left the window
   */
  public Subscription subscribe(ResourceType type, String namespace, Predicate<GenericRecord> initialFilter,
      boolean initial, Position from, long fromRevision, ChangeListener listener)
      throws ResourceExpiredException {
    lock.readLock().lock();
    try {
      List<ViewEvent> backlog = new ArrayList<>();
      List<GenericRecord> current = List.of();
      if (initial) {
        current = new ArrayList<>();
        for (GenericRecord r : scope(type, namespace).values()) {
          if (initialFilter.test(r)) {
            current.add(r);
          }
        }
      } else if (from != null) {
        for (int p = 0; p < partitions; p++) {
          if (from.offset(p) < missingUpTo[p]) {
            throw new ResourceExpiredException("too old resource version: " + from.encode() + " ("
                + new Position(positions).encode() + ")");
          }
        }
        for (ViewEvent e : window) {
          if (e.type() == type && e.offset() >= from.offset(e.partition())) {
            backlog.add(e);
          }
        }
      } else {
        for (int p = 0; p < partitions; p++) {
          if (missingRevision[p] > fromRevision) {
            throw new ResourceExpiredException("too old resource version: " + fromRevision + " ("
                + new Position(positions).encode() + ")");
          }
        }
        for (ViewEvent e : window) {
          if (e.type() == type && e.revision() > fromRevision) {
            backlog.add(e);
          }
        }
      }
      CopyOnWriteArrayList<ChangeListener> ls = listeners.get(type);
      ls.add(listener);
      return new Subscription(backlog, current, new Position(positions), () -> ls.remove(listener));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** History records the view has not applied yet, as of its last fetch. */
  public long lagRecords() {
    return lagRecords;
  }

  /** Milliseconds since the view was last caught up with history; 0 when it is. */
  public long lagMillis() {
    return lagRecords == 0 ? 0 : Math.max(0, System.currentTimeMillis() - caughtUpAt);
  }

  /** How many listeners are registered (for tests and metrics). */
  public int listenerCount() {
    return listeners.values().stream().mapToInt(Collection::size).sum();
  }

  private void run() {
    try {
      bootstrap();
      ready.countDown();
      while (running) {
        loop();
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
        LOG.error("[api-view] unexpected wakeup", e);
      }
    } catch (Throwable e) {
      failure = e;
      LOG.error("[api-view] the view stopped", e);
    } finally {
      ready.countDown();
      running = false;
      failAll(new IllegalStateException("the view stopped", failure));
      try {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
      } catch (RuntimeException e) {
        LOG.debug("[api-view] error closing the consumer", e);
      }
    }
  }

  /** Reads the state topics to their end, then history up to its end, before serving anything. */
  private void bootstrap() {
    Map<TopicPartition, Long> historyEnd = endOffsets(historyPartitions);
    List<TopicPartition> stateParts = new ArrayList<>();
    for (Topic<String, GenericRecord> t : topics.stateTopics().values()) {
      for (int i = 0; i < t.partitions(); i++) {
        stateParts.add(new TopicPartition(t.name(), i));
      }
    }
    int loaded = 0;
    try (KafkaConsumer<String, byte[]> loader = new KafkaConsumer<>(consumerProperties(bootstrapServers,
        topics.prefix() + "-api-view-loader"), new StringDeserializer(), new ByteArrayDeserializer())) {
      Map<TopicPartition, Long> stateEnd = loader.endOffsets(stateParts, Duration.ofSeconds(30));
      loader.assign(stateParts);
      loader.seekToBeginning(stateParts);
      while (running && !reached(loader, stateEnd)) {
        for (ConsumerRecord<String, byte[]> r : loader.poll(Duration.ofMillis(200))) {
          loaded += loadState(r);
        }
      }
    }
    // Follow history from a little before the state's point, to fill the watch window.
    long perPartition = Math.max(1, windowSize / Math.max(1, partitions));
    consumer.assign(historyPartitions);
    long[] floor = new long[partitions];
    for (TopicPartition tp : historyPartitions) {
      long end = historyEnd.getOrDefault(tp, 0L);
      long start = Math.max(0, end - perPartition - 1);
      consumer.seek(tp, start);
      floor[tp.partition()] = start;
      missingUpTo[tp.partition()] = start;
    }
    boolean[] floorSeen = new boolean[partitions];
    for (int p = 0; p < partitions; p++) {
      floorSeen[p] = floor[p] == 0;
    }
    Map<TopicPartition, Long> caughtUp = endOffsets(historyPartitions);
    while (running && !reached(consumer, caughtUp)) {
      ConsumerRecords<String, byte[]> records = pollQuietly();
      lock.writeLock().lock();
      try {
        for (ConsumerRecord<String, byte[]> r : records) {
          if (!floorSeen[r.partition()]) {
            floorSeen[r.partition()] = true;
            GenericRecord change = decodeChange(r);
            missingUpTo[r.partition()] = r.offset() + 1;
            missingRevision[r.partition()] = change == null ? -1 : ((Number) change.get("revision")).longValue();
            continue;
          }
          applyChange(r, false);
        }
        updatePositions();
      } finally {
        lock.writeLock().unlock();
      }
    }
    LOG.info("[api-view] loaded {} objects from the state topics; following {} from {}", loaded,
        topics.history().name(), new Position(positions).encode());
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
    ConsumerRecords<String, byte[]> records = pollQuietly();
    List<GenericRecord> appliedChanges = new ArrayList<>(records.count());
    lock.writeLock().lock();
    try {
      for (ConsumerRecord<String, byte[]> r : records) {
        GenericRecord change = applyChange(r, true);
        if (change != null) {
          appliedChanges.add(change);
        }
      }
      updatePositions();
    } finally {
      lock.writeLock().unlock();
    }
    Consumer<GenericRecord> observer = applied;
    for (GenericRecord change : appliedChanges) {
      try {
        observer.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("[api-view rev={}] a change observer failed", change.get("revision"), e);
      }
    }
    updateLag();
    completeTargets();
  }

  private ConsumerRecords<String, byte[]> pollQuietly() {
    try {
      return consumer.poll(Duration.ofMillis(targets.isEmpty() ? 200 : 20));
    } catch (WakeupException e) {
      if (!running) {
        throw e;
      }
      return ConsumerRecords.empty();
    }
  }

  private Map<TopicPartition, Long> endOffsets(List<TopicPartition> parts) {
    while (true) {
      try {
        return consumer.endOffsets(parts, Duration.ofSeconds(30));
      } catch (WakeupException e) {
        if (!running) {
          throw e;
        }
      }
    }
  }

  private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (e.getValue() > 0 && c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void updatePositions() {
    for (TopicPartition tp : historyPartitions) {
      positions[tp.partition()] = consumer.position(tp);
    }
  }

  /** From the consumer's own fetch metadata: no request to the broker. */
  private void updateLag() {
    long lag = 0;
    for (TopicPartition tp : historyPartitions) {
      java.util.OptionalLong l = consumer.currentLag(tp);
      lag += l.isPresent() ? l.getAsLong() : 0;
    }
    if (lag == 0) {
      caughtUpAt = System.currentTimeMillis();
    }
    lagRecords = lag;
  }

  private void completeTargets() {
    if (targets.isEmpty()) {
      return;
    }
    targets.removeIf(t -> {
      for (int p = 0; p < partitions; p++) {
        if (positions[p] < t.ends()[p]) {
          return false;
        }
      }
      t.waiting().forEach(f -> f.complete(null));
      return true;
    });
  }

  private int loadState(ConsumerRecord<String, byte[]> r) {
    ResourceType type = topics.resourceOfStateTopic(r.topic());
    if (type == null || r.key() == null) {
      return 0;
    }
    if (r.value() == null) {
      objects.get(type).remove(r.key());
      return 0;
    }
    try {
      GenericRecord obj = deserializers.get(r.topic()).deserialize(r.topic(), r.value());
      objects.get(type).put(r.key(), obj);
      return 1;
    } catch (RuntimeException e) {
      skip(r, e);
      return 0;
    }
  }

  private GenericRecord decodeChange(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return null;
    }
    try {
      return changes.deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      skip(r, e);
      return null;
    }
  }

  /** Applies one history record (under the write lock); returns the change, or null when it is not applied. */
  private GenericRecord applyChange(ConsumerRecord<String, byte[]> r, boolean notify) {
    GenericRecord change = decodeChange(r);
    if (change == null || r.key() == null) {
      return null;
    }
    if (KeyValues.isRawKey(r.key())) {
      return null; // an etcd key outside /registry/ (the etcd endpoint's): not a Kubernetes object
    }
    ObjectKey key = ObjectKey.parse(r.key(), registry).orElse(null);
    if (key == null || !objects.containsKey(key.type())) {
      LOG.warn("Skipping change of an unknown resource. key=[{}] topic=[{}] partition=[{}] offset=[{}]",
          r.key(), r.topic(), r.partition(), r.offset());
      return null;
    }
    long revision = ((Number) change.get("revision")).longValue();
    GenericRecord before = (GenericRecord) change.get("before");
    GenericRecord after = (GenericRecord) change.get("after");
    ConcurrentSkipListMap<String, GenericRecord> m = objects.get(key.type());
    GenericRecord cur = m.get(r.key());
    long beforeRevision = before == null ? -1 : revisionOf(before);
    if (cur != null && beforeRevision >= 0 && revisionOf(cur) == beforeRevision) {
      // the change's "before" is the object the view already holds: keep one copy, not two (the window
      // would otherwise hold a second decoding of every updated object)
      before = cur;
    }
    boolean newer = cur == null ? after != null : revisionOf(cur) < revision;
    if (newer) {
      if (after == null) {
        m.remove(r.key());
      } else {
        m.put(r.key(), after);
      }
    }
    ViewEvent event = new ViewEvent(key.type(), r.key(), before, after, revision, r.partition(), r.offset());
    window.addLast(event);
    while (window.size() > windowSize) {
      ViewEvent old = window.removeFirst();
      missingUpTo[old.partition()] = Math.max(missingUpTo[old.partition()], old.offset() + 1);
      missingRevision[old.partition()] = Math.max(missingRevision[old.partition()], old.revision());
    }
    if (notify && newer) {
      for (ChangeListener l : listeners.get(key.type())) {
        try {
          l.onChange(event);
        } catch (RuntimeException e) {
          LOG.warn("[api-view {} rev={}] a watch listener failed", r.key(), revision, e);
        }
      }
    }
    return change;
  }

  private static long revisionOf(GenericRecord obj) {
    String rv = Meta.resourceVersion(obj);
    try {
      return rv == null ? -1 : Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void skip(ConsumerRecord<String, byte[]> r, RuntimeException e) {
    skipped++;
    LOG.warn("Skipping record that cannot be read. topic=[{}] partition=[{}] offset=[{}] skipped=[{}]: {}",
        r.topic(), r.partition(), r.offset(), skipped, e.toString());
  }

  private void failAll(Throwable t) {
    for (CompletableFuture<Void> f; (f = syncRequests.poll()) != null; ) {
      f.completeExceptionally(t);
    }
    for (SyncTarget target : targets) {
      target.waiting().forEach(f -> f.completeExceptionally(t));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
