package io.kafkube.registry.server.internals;

import io.kafkube.registry.client.SchemaRegistryException;
import io.kafkube.registry.internals.Errors;
import io.kafkube.registry.internals.RecordCodec;
import io.kafkube.registry.internals.RegistryOps.Plan;
import io.kafkube.registry.internals.RegistryRecord;
import io.kafkube.registry.internals.RegistryRecord.Leader;
import io.kafkube.registry.internals.RegistryState;
import io.kafkube.registry.server.RegistryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's storage: one compacted single-partition topic.
 *
 * <ul>
 *   <li><b>Reader</b> (one thread per instance): consumes the whole topic with
 *       {@code read_committed} into a {@link RegistryState}; every instance serves reads from it.
 *   <li><b>Election</b> (one thread): a consumer group on the topic; the member assigned partition
 *       0 is the writer. The cooperative-sticky assignor keeps the writer in place when others join.
 *   <li><b>Writer</b> (one thread, on the elected instance only): a transactional producer with a
 *       fixed {@code transactional.id}; {@code initTransactions()} fences any earlier writer, so a
 *       deposed writer that has not noticed yet cannot append. After fencing, the writer announces
 *       its URL in a LEADER record and waits until its reader has applied it: its view then holds
 *       everything any earlier writer committed, so ids are allocated from the complete history.
 *       Each write is planned against the view, appended in one transaction and acknowledged only
 *       once the reader has applied it (read-your-writes).
 * </ul>
 */
public final class KafkaRegistryLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRegistryLog.class);

  /** The answer of a write and the offset of its last record (or the view's position if none). */
  public record WriteResult<R>(R result, long offset) {}

  private final RegistryConfig config;
  private final String instanceId = UUID.randomUUID().toString();
  private final TopicPartition partition;
  private final RegistryState state = new RegistryState();
  private final AtomicLong skipped = new AtomicLong();

  private final Object waitLock = new Object();
  private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
  private volatile long position;
  private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();

  private final ScheduledExecutorService writer;
  private KafkaConsumer<byte[], byte[]> reader;
  private Thread readerThread;
  private KafkaConsumer<byte[], byte[]> election;
  private Thread electionThread;
  private KafkaProducer<byte[], byte[]> producer; // writer thread only
  private volatile boolean running = true;
  private volatile boolean elected;
  private volatile boolean leaderReady;
  private volatile String url;

  public KafkaRegistryLog(RegistryConfig config) {
    this.config = config;
    this.partition = new TopicPartition(config.topic(), 0);
    this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "registry-writer-" + config.topic());
      t.setDaemon(true);
      return t;
    });
  }

  public RegistryState state() {
    return state;
  }

  public String instanceId() {
    return instanceId;
  }

  /** Whether this instance is the elected writer and ready to write. */
  public boolean isLeader() {
    return leaderReady;
  }

  /** The URL of the writer when it is another instance. */
  public Optional<String> leaderUrl() {
    return state.leader().filter(l -> !instanceId.equals(l.instanceId())).map(Leader::url);
  }

  /** Records that could not be understood and were skipped. */
  public long skippedRecords() {
    return skipped.get();
  }

  /** The next offset the reader will apply: everything before it is in the view. */
  public long position() {
    return position;
  }

  /** Creates the topic if missing and reads it to its end. Blocking; call from a worker. */
  public void start(Duration timeout) throws Exception {
    ensureTopic();
    reader = new KafkaConsumer<>(consumerProps("reader"));
    reader.assign(List.of(partition));
    reader.seekToBeginning(List.of(partition));
    readerThread = new Thread(this::readLoop, "registry-reader-" + config.topic());
    readerThread.setDaemon(true);
    readerThread.start();
    try {
      caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("registry topic " + config.topic() + " not read within " + timeout, e);
    }
    LOG.info("Registry view of {} loaded: {} subjects, max id {}, position {} (instance {})",
        config.topic(), state.subjects(true).size(), state.maxId(), position, instanceId);
  }

  /** Joins the writer election, announcing {@code url} if elected. */
  public void startElection(String url) {
    this.url = url;
    Map<String, Object> props = consumerProps("election");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int) Math.max(100, config.sessionTimeout().toMillis() / 10));
    election = new KafkaConsumer<>(props);
    electionThread = new Thread(this::electionLoop, "registry-election-" + config.topic());
    electionThread.setDaemon(true);
    electionThread.start();
  }

  // ---------------------------------------------------------------- reader

  private void readLoop() {
    try {
      long end = reader.endOffsets(List.of(partition)).get(partition);
      advance(reader.position(partition), end);
      while (running) {
        ConsumerRecords<byte[], byte[]> records = reader.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          apply(r);
        }
        advance(reader.position(partition), end);
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("Registry reader of {} failed; this instance stops serving writes", config.topic(), e);
      caughtUp.completeExceptionally(e);
      leaderReady = false;
    } finally {
      reader.close(Duration.ofSeconds(5));
      failWaiters(new IllegalStateException("registry reader stopped"));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      skip(r, "null key");
      return;
    }
    try {
      state.apply(RecordCodec.decode(r.key(), r.value()));
    } catch (RuntimeException e) {
      skip(r, e.getMessage());
    }
  }

  private void skip(ConsumerRecord<byte[], byte[]> r, String why) {
    skipped.incrementAndGet();
    LOG.warn("Skipping registry record: {}. topic=[{}] partition=[{}] offset=[{}]",
        why, r.topic(), r.partition(), r.offset());
  }

  private void advance(long newPosition, long initialEnd) {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    synchronized (waitLock) {
      position = newPosition;
      var head = waiters.headMap(newPosition, false);
      head.values().forEach(done::addAll);
      head.clear();
    }
    done.forEach(f -> f.complete(null));
    if (!caughtUp.isDone() && newPosition >= initialEnd) {
      caughtUp.complete(null);
    }
  }

  /** Completes once the view has applied the record at {@code offset}. */
  public CompletableFuture<Void> awaitApplied(long offset) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (waitLock) {
      if (position > offset) {
        f.complete(null);
      } else if (!running) {
        f.completeExceptionally(new IllegalStateException("registry closed"));
      } else {
        waiters.computeIfAbsent(offset, o -> new ArrayList<>()).add(f);
      }
    }
    return f;
  }

  private void failWaiters(Throwable t) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    synchronized (waitLock) {
      waiters.values().forEach(all::addAll);
      waiters.clear();
    }
    all.forEach(f -> f.completeExceptionally(t));
  }

  // ---------------------------------------------------------------- election

  private void electionLoop() {
    try {
      election.subscribe(List.of(config.topic()), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
          election.pause(assigned);
          if (assigned.contains(partition)) {
            LOG.info("Elected schema registry writer for {} (instance {}, {})", config.topic(), instanceId, url);
            elected = true;
            writer.execute(KafkaRegistryLog.this::becomeLeader);
          }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
          if (revoked.contains(partition)) {
            deposed("revoked");
          }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
          if (lost.contains(partition)) {
            deposed("lost");
          }
        }
      });
      while (running) {
        election.poll(Duration.ofMillis(200));
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("Registry writer election of {} failed", config.topic(), e);
      deposed("election failed");
    } finally {
      try {
        election.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("Closing the election consumer of {} failed", config.topic(), e);
      }
    }
  }

  private void deposed(String why) {
    if (elected || leaderReady) {
      LOG.info("No longer the schema registry writer for {} ({}; instance {})", config.topic(), why, instanceId);
    }
    elected = false;
    leaderReady = false;
    if (!writer.isShutdown()) {
      writer.execute(this::closeProducer);
    }
  }

  // ---------------------------------------------------------------- writer (writer thread only)

  private void becomeLeader() {
    if (!elected || leaderReady || !running) {
      return;
    }
    try {
      closeProducer();
      producer = new KafkaProducer<>(producerProps());
      producer.initTransactions();
      long offset = append(List.of(new Leader(instanceId, url)));
      awaitApplied(offset).get(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (elected) {
        leaderReady = true;
        LOG.info("Schema registry writer ready for {} at offset {} (max id {}, instance {})",
            config.topic(), offset, state.maxId(), instanceId);
      }
    } catch (Exception e) {
      LOG.warn("Becoming the schema registry writer for {} failed; retrying", config.topic(), e);
      closeProducer();
      if (running && elected) {
        writer.schedule(this::becomeLeader, 1, TimeUnit.SECONDS);
      }
    }
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("Closing the registry producer failed", e);
      }
      producer = null;
    }
  }

  /** Appends records in one transaction; returns the offset of the last one. */
  private long append(List<RegistryRecord> records) throws InterruptedException, ExecutionException {
    producer.beginTransaction();
    Future<RecordMetadata> last = null;
    try {
      for (RegistryRecord r : records) {
        RecordCodec.Encoded e = RecordCodec.encode(r);
        last = producer.send(new ProducerRecord<>(config.topic(), 0, e.key(), e.value()));
      }
      producer.commitTransaction();
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      throw e;
    } catch (KafkaException e) {
      try {
        producer.abortTransaction();
      } catch (KafkaException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
    return last.get().offset();
  }

  /**
   * Plans a write against the view and appends it: completes with the answer once the records are
   * in the topic and applied, or fails with 50004 when this instance is not the writer.
   */
  public <R> CompletableFuture<WriteResult<R>> write(Function<RegistryState, Plan<R>> planner) {
    CompletableFuture<WriteResult<R>> result = new CompletableFuture<>();
    try {
      writer.execute(() -> {
        try {
          result.complete(writeNow(planner));
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(Errors.unknownLeader("registry is closing"));
    }
    return result;
  }

  private <R> WriteResult<R> writeNow(Function<RegistryState, Plan<R>> planner) throws Exception {
    if (!leaderReady || producer == null) {
      throw Errors.unknownLeader("This instance is not the schema registry writer");
    }
    Plan<R> plan = planner.apply(state);
    if (plan.records().isEmpty()) {
      return new WriteResult<>(plan.result(), position - 1);
    }
    long offset;
    try {
      offset = append(plan.records());
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      LOG.warn("Schema registry writer for {} was fenced by a newer writer (instance {})", config.topic(), instanceId);
      leaderReady = false;
      closeProducer();
      throw Errors.unknownLeader("This instance was fenced by a newer schema registry writer");
    } catch (ExecutionException | KafkaException e) {
      LOG.warn("Registry write to {} failed", config.topic(), e);
      leaderReady = false;
      closeProducer();
      if (elected && running) {
        writer.schedule(this::becomeLeader, 200, TimeUnit.MILLISECONDS);
      }
      throw Errors.store("Error while writing to the registry topic: " + e.getMessage(), e);
    }
    try {
      awaitApplied(offset).get(config.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw Errors.timeout("Write to the registry topic was not read back within " + config.writeTimeout());
    }
    return new WriteResult<>(plan.result(), offset);
  }

  // ---------------------------------------------------------------- setup

  private void ensureTopic() throws Exception {
    Map<String, Object> props = new HashMap<>(config.kafkaProperties());
    props.put("bootstrap.servers", config.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      NewTopic topic = new NewTopic(config.topic(), 1, config.replicationFactor())
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      try {
        admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        LOG.info("Created registry topic {} (1 partition, compact, RF {})", config.topic(), config.replicationFactor());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      TopicDescription d = describeWhenKnown(admin);
      if (d.partitions().size() != 1) {
        throw new IllegalStateException("registry topic " + config.topic() + " must have exactly 1 partition, has "
            + d.partitions().size());
      }
    }
  }

  /**
   * A topic just created may not be in the broker's metadata yet: its describe answers
   * UnknownTopicOrPartition for a moment. Retried until it is known, within 30 s.
   */
  private TopicDescription describeWhenKnown(Admin admin) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin.describeTopics(List.of(config.topic())).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(config.topic());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private Map<String, Object> consumerProps(String role) {
    Map<String, Object> p = new HashMap<>(config.kafkaProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafkube-registry-" + role + "-" + instanceId);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }

  private Map<String, Object> producerProps() {
    Map<String, Object> p = new HashMap<>(config.kafkaProperties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "kafkube-registry-writer-" + instanceId);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.writeTimeout().toMillis());
    return p;
  }

  @Override
  public void close() {
    running = false;
    leaderReady = false;
    if (election != null) {
      election.wakeup();
      join(electionThread);
    }
    writer.execute(this::closeProducer);
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reader != null) {
      reader.wakeup();
      join(readerThread);
    }
    failWaiters(new IllegalStateException("registry closed"));
    LOG.info("Registry instance {} on {} closed", instanceId, config.topic());
  }

  private static void join(Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
