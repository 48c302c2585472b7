package io.kafkube.api.audit;

import io.kafkube.api.ops.RequestLog;
import io.kafkube.schemas.topic.Topic;
import io.kafkube.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit events to {@code kafkube.audit} without ever blocking the caller (the event loop):
 * {@link #offer} puts the record on a bounded queue; one thread of its own turns records into
 * {@code audit.k8s.io/v1} JSON and hands them to a batching producer (linger 20 ms). When the queue is
 * full, events are dropped and counted ({@link #dropped()}), as kube's batching audit backend does
 * with its buffer. Events are keyed by user (by audit ID when there is none), so the stages of one
 * request stay in order on one partition; their record time is the request's receive time.
 */
public final class AuditSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);
  private static final Pending STOP = new Pending(null);

  private record Pending(RequestRecord record) {}

  private final Topic<String, String> topic;
  private final KafkaProducer<String, String> producer;
  private final BlockingQueue<Pending> queue;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();

  public AuditSink(String bootstrapServers, TopicCatalog topics, int capacity) {
    this.topic = topics.audit();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, topics.prefix() + "-api-audit");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, topics.prefix() + "-api-audit");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues one stage of a request: its event, and at its last stage its request log line (a record at
   * level None is only logged); never blocks.
   */
  public void offer(RequestRecord r) {
    if (!queue.offer(new Pending(r))) {
      dropped.incrementAndGet();
    }
  }

  public long dropped() {
    return dropped.get();
  }

  public long failed() {
    return failed.get();
  }

  public long sent() {
    return sent.get();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    try {
      while (true) {
        Pending first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.clear();
        batch.add(first);
        queue.drainTo(batch, 10_000);
        for (Pending p : batch) {
          if (p == STOP) {
            return;
          }
          RequestRecord r = p.record();
          if (r.last()) {
            RequestLog.log(r);
          }
          if (r.audited()) {
            send(r);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(RequestRecord r) {
    try {
      String json = RequestRecord.M.writeValueAsString(r.toEvent());
      producer.send(new ProducerRecord<>(topic.name(), null, r.received().toEpochMilli(),
          r.username() != null ? r.username() : r.auditId(), json),
          (md, e) -> {
            if (e != null) {
              if (failed.incrementAndGet() % 1000 == 1) {
                LOG.warn("[api-audit] cannot append audit events to {}: {}", topic.name(), e.toString());
              }
            } else {
              sent.incrementAndGet();
            }
          });
    } catch (Exception e) {
      failed.incrementAndGet();
      LOG.warn("[api-audit] audit event {} not written: {}", r.auditId(), e.toString());
    }
  }

  @Override
  public void close() {
    while (!queue.offer(STOP)) {
      queue.poll();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
