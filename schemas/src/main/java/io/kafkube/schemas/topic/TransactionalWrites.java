package io.kafkube.schemas.topic;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The producer settings of kafkube's exactly-once Streams applications (the store and the scheduler), as
 * producer configuration keys; each application adds Streams' {@code producer.} prefix.
 */
public final class TransactionalWrites {
  /** What one partition's batch may hold: a commit's records for a partition fit in one (a pod is a few KiB). */
  public static final int BATCH_BYTES = 512 * 1024;

  private TransactionalWrites() {}

  /**
   * <ul>
   *   <li>{@code max.request.size}: the catalogue's largest record.
   *   <li>{@code linger.ms} = the commit interval, {@code batch.size} {@value #BATCH_BYTES}: under exactly-once
   *       nothing an application writes can be read before its transaction commits, so holding records until
   *       the commit's flush delays no reader. Each commit's records then go in one or a few produce requests,
   *       and the broker adds each partition to the transaction once, instead of a produce request (and
   *       partition additions) every couple of milliseconds.
   *   <li>{@code max.in.flight.requests.per.connection} 1: transactions v2 (KIP-890) bump the producer epoch
   *       with every transaction, and the broker takes only sequence 0 first from a fresh epoch (KAFKA-18202).
   *       With several produce requests in flight, a later batch overtaking the first of a transaction is
   *       refused OUT_OF_ORDER_SEQUENCE_NUMBER and retried after retry.backoff.ms, and the commit waits for
   *       it. One request in flight per broker never reorders.
   * </ul>
   */
  public static Map<String, String> producerSettings(long commitIntervalMs) {
    return Map.of(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(TopicCatalog.MAX_MESSAGE_BYTES),
        ProducerConfig.LINGER_MS_CONFIG, Long.toString(commitIntervalMs),
        ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES),
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
  }
}
