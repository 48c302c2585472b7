package io.kafkube.scheduler;

import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.schemas.topic.TransactionalWrites;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the scheduler topology as a Kafka Streams application (exactly-once). */
public final class SchedulerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

  private final KafkaStreams streams;

  private SchedulerService(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The Streams configuration: exactly-once, low commit interval, explicit handlers, one thread. */
  public static Properties streamsConfig(SchedulerConfig cfg, TopicCatalog topics) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.applicationId("scheduler"));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(cfg.commitIntervalMs()));
    p.put(StreamsConfig.POLL_MS_CONFIG, Long.toString(cfg.pollMs()));
    // The routing tasks read a partition of a dozen topics each. With task idling on, every processing
    // round asks each empty partition whether to wait for it, and Kafka Streams 4.3 formats a message for
    // each answer whether or not it is logged: a sixth of the scheduler thread's CPU under load. Waiting
    // buys nothing here: the scheduler acts on the latest pod and node states in whatever order they come.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, Long.toString(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED));
    p.put(StreamsConfig.STATE_DIR_CONFIG, cfg.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(cfg.standbyReplicas()));
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(cfg.replicationFactor()));
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailProcessingExceptionHandler.class);
    p.put("processing.exception.handler.global.enabled", "true");
    TransactionalWrites.producerSettings(cfg.commitIntervalMs())
        .forEach((k, v) -> p.put(StreamsConfig.producerPrefix(k), v));
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        Integer.toString(cfg.sessionTimeoutMs()));
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        Integer.toString(Math.max(500, cfg.sessionTimeoutMs() / 5)));
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        Integer.toString(4 * TopicCatalog.MAX_MESSAGE_BYTES));
    p.put(StreamsConfig.topicPrefix("max.message.bytes"), Integer.toString(TopicCatalog.MAX_MESSAGE_BYTES));
    return p;
  }

  /**
   * Starts the scheduler on existing topics (the catalogue carries the value serdes) and waits until
   * it runs. The handle closes it.
   */
  public static SchedulerService start(SchedulerConfig cfg, TopicCatalog topics, Duration timeout)
      throws InterruptedException, TimeoutException {
    KafkaStreams streams = new KafkaStreams(SchedulerTopology.build(topics, cfg), streamsConfig(cfg, topics));
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      LOG.info("[scheduler] {} -> {}", before, now);
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      LOG.error("[scheduler] stream thread failed; replacing it", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.start();
    if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      streams.close(Duration.ofSeconds(10));
      throw new TimeoutException("the scheduler did not reach RUNNING within " + timeout);
    }
    return new SchedulerService(streams);
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
