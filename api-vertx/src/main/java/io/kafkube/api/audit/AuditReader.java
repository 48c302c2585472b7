package io.kafkube.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads audit events back from {@code kafkube.audit}: from {@code since} (found with the records'
 * timestamps, which are the requests' receive times) or the beginning, to the end offsets as of the
 * call; filtered by an {@link AuditQuery}; oldest first (a request's stages in their order). Unless
 * the query asks for a stage (or all of them), one event per request: the latest stage it reached.
 * Blocking: the API calls it on a worker, the CLI directly.
 */
public final class AuditReader {
  private AuditReader() {}

  public static List<JsonNode> read(String bootstrapServers, TopicCatalog topics, AuditQuery q) {
    String topic = topics.audit().name();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, topics.prefix() + "-audit-reader");
    List<JsonNode> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < topics.audit().partitions(); i++) {
        parts.add(new TopicPartition(topic, i));
      }
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      c.assign(parts);
      c.seekToBeginning(parts);
      if (q.since() != null) {
        Map<TopicPartition, Long> at = new HashMap<>();
        parts.forEach(tp -> at.put(tp, q.since().toEpochMilli()));
        for (Map.Entry<TopicPartition, OffsetAndTimestamp> e : c.offsetsForTimes(at, Duration.ofSeconds(30))
            .entrySet()) {
          c.seek(e.getKey(), e.getValue() == null ? end.get(e.getKey()) : e.getValue().offset());
        }
      }
      List<TopicPartition> open = new ArrayList<>(parts);
      open.removeIf(tp -> c.position(tp) >= end.get(tp));
      while (!open.isEmpty()) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(tp) || r.value() == null) {
            continue;
          }
          if (q.until() != null && r.timestamp() >= q.until().toEpochMilli() + 1) {
            continue;
          }
          JsonNode e;
          try {
            e = RequestRecord.M.readTree(r.value());
          } catch (IOException ex) {
            continue; // not an event: skipped
          }
          if (q.matches(e)) {
            out.add(e);
          }
        }
        open.removeIf(tp -> c.position(tp) >= end.get(tp));
      }
    }
    if (q.perRequest()) {
      out = latestStages(out);
    }
    out.sort(Comparator.comparing((JsonNode e) -> {
      Instant t = AuditQuery.received(e);
      return t == null ? Instant.EPOCH : t;
    }).thenComparingInt(AuditQuery::stageRank));
    if (q.limit() > 0 && out.size() > q.limit()) {
      return new ArrayList<>(out.subList(out.size() - q.limit(), out.size()));
    }
    return out;
  }

  /** One event per audit ID: the one of the latest stage (events without an ID are kept as they are). */
  static List<JsonNode> latestStages(List<JsonNode> events) {
    Map<String, JsonNode> latest = new LinkedHashMap<>();
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : events) {
      String id = e.path("auditID").asText("");
      if (id.isEmpty()) {
        out.add(e);
        continue;
      }
      latest.merge(id, e, (a, b) -> AuditQuery.stageRank(b) >= AuditQuery.stageRank(a) ? b : a);
    }
    out.addAll(latest.values());
    return out;
  }
}
