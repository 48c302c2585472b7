package io.kafkube.store;

import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.Topic;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.schemas.topic.TransactionalWrites;
import io.kafkube.store.client.CommandClient;
import io.kafkube.store.internal.ObjectRules;
import io.kafkube.store.internal.ObjectSize;
import io.kafkube.store.internal.StateRestore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the store topology as a Kafka Streams application and, once it runs, makes sure the
 * namespaces every cluster has ({@code default}, {@code kube-system}, {@code kube-public},
 * {@code kube-node-lease}) exist.
 */
public final class StoreService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreService.class);
  public static final List<String> DEFAULT_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  /** Longer than Streams' transaction timeout under exactly-once (10 s), after which an open transaction ends. */
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(2);

  private final KafkaStreams streams;

  private StoreService(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The Streams configuration of the store: exactly-once, low commit interval, explicit handlers. */
  public static Properties streamsConfig(StoreConfig cfg, TopicCatalog topics) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.applicationId("store"));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(cfg.commitIntervalMs()));
    p.put(StreamsConfig.POLL_MS_CONFIG, Long.toString(cfg.pollMs()));
    p.put(StreamsConfig.STATE_DIR_CONFIG, cfg.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(cfg.threads()));
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(cfg.replicationFactor()));
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailProcessingExceptionHandler.class);
    p.put("processing.exception.handler.global.enabled", "true");
    TransactionalWrites.producerSettings(cfg.commitIntervalMs())
        .forEach((k, v) -> p.put(StreamsConfig.producerPrefix(k), v));
    // Compression costs the single-writer thread more than it saves on a local or LAN broker.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        Integer.toString(4 * TopicCatalog.MAX_MESSAGE_BYTES));
    p.put(StreamsConfig.topicPrefix("max.message.bytes"), Integer.toString(TopicCatalog.MAX_MESSAGE_BYTES));
    return p;
  }

  /**
   * Starts the store on existing topics and waits until it runs.
   *
   * @param values serializes kafkube values to any topic (the registry serde)
   */
  public static StoreService start(StoreConfig cfg, TopicCatalog topics, Serializer<GenericRecord> values,
      ObjectRules rules, Duration timeout) throws InterruptedException, TimeoutException {
    ObjectSize sizes = new ObjectSize(KafkubeSchemas.command().getField("object").schema());
    List<Topic<String, GenericRecord>> stateTopics = new ArrayList<>(topics.stateTopics().values());
    stateTopics.add(topics.kv());
    StateRestore restore = new StateRestore(cfg.bootstrapServers(), stateTopics, RESTORE_TIMEOUT);
    KafkaStreams streams = new KafkaStreams(
        StoreTopology.build(topics, ResourceRegistry.kubernetes(), sizes, values, rules, restore::load),
        streamsConfig(cfg, topics));
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      LOG.info("[store] {} -> {}", before, now);
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("[store] stream thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.start();
    if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      streams.close(Duration.ofSeconds(10));
      throw new TimeoutException("the store did not reach RUNNING within " + timeout);
    }
    return new StoreService(streams);
  }

  /** Creates the default namespaces that do not exist yet (a CREATE of an existing one is refused). */
  public static void bootstrapNamespaces(CommandClient client, Duration timeout)
      throws InterruptedException, TimeoutException {
    ResourceType ns = ResourceRegistry.kubernetes().byGroupResource("namespaces").orElseThrow();
    for (String name : DEFAULT_NAMESPACES) {
      GenericRecord obj = new GenericData.Record(KafkubeSchemas.kind(ns));
      Meta.set(obj, "name", name);
      GenericRecord cmd = Envelopes.command(Op.CREATE, ns.key(null, name).toString(), ns.groupResource(),
          User.STORE, client.newRequestId()).object(obj).replyPartition(client.replyPartition()).build();
      ReplyView reply = client.call(cmd, timeout);
      if (reply.code() == 201) {
        LOG.info("[store] created namespace {}", name);
      } else if (reply.code() != 409) {
        throw new IllegalStateException("cannot create namespace " + name + ": " + reply.message());
      }
    }
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
