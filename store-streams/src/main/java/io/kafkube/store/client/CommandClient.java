package io.kafkube.store.client;

import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends commands to the store and waits for their replies: the write path every component uses
 * (API server, controllers, agents, CLI, benchmarks). Commands are produced idempotently with
 * {@code acks=all}; replies are read (read_committed) from one partition of {@code replies}, which
 * this client names in each command so the store answers there.
 */
public final class CommandClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandClient.class);

  private final TopicCatalog topics;
  private final KafkaProducer<String, GenericRecord> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<GenericRecord> replies;
  private final int replyPartition;
  private final String clientId;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Thread poller;
  private volatile boolean running = true;

  /**
   * @param bootstrapServers the Kafka cluster
   * @param topics           the catalogue (its serdes are used for commands and replies)
   * @param replyPartition   the replies partition to read; -1 picks one at random
   */
  public CommandClient(String bootstrapServers, TopicCatalog topics, int replyPartition) {
    this.topics = topics;
    this.clientId = "cmd-" + UUID.randomUUID().toString().substring(0, 8);
    this.replyPartition = replyPartition >= 0 ? replyPartition
        : ThreadLocalRandom.current().nextInt(topics.replies().partitions());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(TopicCatalog.MAX_MESSAGE_BYTES));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), topics.commands().valueSerde().serializer());
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-replies");
    // Several clients may read one partition (each picks one): a reply is decoded only by the client waiting for it.
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.replies = topics.replies().valueSerde().deserializer();
    TopicPartition tp = new TopicPartition(topics.replies().name(), this.replyPartition);
    consumer.assign(List.of(tp));
    consumer.seekToEnd(List.of(tp));
    consumer.position(tp); // fix the start before any command is sent
    this.poller = new Thread(this::pollReplies, clientId + "-replies");
    poller.setDaemon(true);
    poller.start();
  }

  /** A command waiting for its answer; {@code inHistory}: it may come from its history Change. */
  private record Pending(CompletableFuture<ReplyView> future, boolean inHistory) {}

  /** A request id unique to this client. */
  public String newRequestId() {
    return clientId + "-" + sequence.incrementAndGet();
  }

  public int replyPartition() {
    return replyPartition;
  }

  /**
   * Sends a command (its {@code replyPartition} must be {@link #replyPartition()}, its key the object
   * key) and completes with the store's reply. The future fails if the command cannot be written.
   * A command marked {@code replyInHistory} is answered by {@link #answer} when its outcome is a
   * written create or update: its sender must pass every history Change it reads to {@link #answer}.
   */
  public CompletableFuture<ReplyView> send(GenericRecord command) {
    String requestId = command.get("requestId").toString();
    String key = command.get("key").toString();
    CompletableFuture<ReplyView> f = new CompletableFuture<>();
    pending.put(requestId, new Pending(f, new CommandView(command).replyInHistory()));
    producer.send(new ProducerRecord<>(topics.commands().name(), key, command), (md, e) -> {
      if (e != null) {
        pending.remove(requestId);
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  /**
   * {@link #send}, failing with a {@link TimeoutException} when no answer comes within {@code timeout};
   * the client then stops waiting for it (a late answer is ignored).
   */
  public CompletableFuture<ReplyView> send(GenericRecord command, Duration timeout) {
    String requestId = command.get("requestId").toString();
    return send(command).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
      if (e != null) {
        pending.remove(requestId);
      }
    });
  }

  /** {@link #send} and wait at most {@code timeout}. */
  public ReplyView call(GenericRecord command, Duration timeout) throws TimeoutException, InterruptedException {
    try {
      return send(command, timeout).get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof TimeoutException t) {
        throw t;
      }
      throw new IllegalStateException("command failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Completes the command a history Change answers, when this client sent it marked
   * {@code replyInHistory} ({@link ReplyView#fromChange}); other changes are ignored.
   *
   * @return whether the change answered a command of this client
   */
  public boolean answer(GenericRecord change) {
    Object id = change.get("requestId");
    if (id == null || pending.isEmpty()) {
      return false;
    }
    Pending p = pending.get(id.toString());
    if (p == null || !p.inHistory()) {
      return false;
    }
    ReplyView reply = ReplyView.fromChange(change);
    if (reply == null || !pending.remove(id.toString(), p)) {
      return false;
    }
    p.future().complete(reply);
    return true;
  }

  /** How many commands wait for a reply. */
  public int inFlight() {
    return pending.size();
  }

  private void pollReplies() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (r.key() == null || r.value() == null) {
            continue;
          }
          Pending p = pending.remove(r.key());
          if (p != null) {
            try {
              p.future().complete(new ReplyView(replies.deserialize(r.topic(), r.headers(), r.value())));
            } catch (RuntimeException e) {
              p.future().completeExceptionally(e);
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("reply consumer of {} failed", clientId, e);
      pending.values().forEach(p -> p.future().completeExceptionally(e));
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
    pending.values().forEach(p -> p.future().completeExceptionally(new IllegalStateException("client closed")));
  }
}
