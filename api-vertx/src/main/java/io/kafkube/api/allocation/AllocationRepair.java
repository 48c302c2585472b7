package io.kafkube.api.allocation;

import io.kafkube.api.view.StateView;
import io.kafkube.schemas.envelope.KeyValues;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.Topic;
import io.kafkube.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-apiserver's ClusterIP and NodePort repair loops ({@code pkg/registry/core/service/ipallocator/controller/repair.go},
 * {@code portallocator/controller/repair.go}) for kafkube's claims: every {@code interval} it compares
 * the allocation keys in the store ({@link ServiceAllocator#IP_KEYS}, {@link ServiceAllocator#PORT_KEYS},
 * read from {@code state.kv}) with the Services of the view (after a consistent read). A claim no
 * Service holds (its API server died between the claim and the Service's write) is a leak: seen as one
 * for {@code grace}, it is released, only if it still names the same owner. A Service whose address or
 * port is not claimed is reported and claimed for it again; one whose key names another Service is
 * reported. Each API instance runs one; their releases are conditional, so they do not conflict.
 */
public final class AllocationRepair implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllocationRepair.class);

  /** What one pass found and did (keys are allocation keys). */
  public record Report(int claims, int services, List<String> released, List<String> leaking,
      List<String> unclaimed, List<String> reclaimed, List<String> conflicts) {}

  private final String bootstrapServers;
  private final Topic<String, GenericRecord> kv;
  private final Deserializer<GenericRecord> values;
  private final StateView view;
  private final ServiceAllocator allocator;
  private final ResourceType services;
  private final Duration grace;
  private final Clock clock;
  private final String clientId;
  /** Claims no Service held at the last passes: key → (owner, first seen). */
  private final Map<String, Suspect> suspects = new HashMap<>();
  private final ScheduledExecutorService timer;
  private volatile Report last;

  private record Suspect(String owner, Instant since) {}

  public AllocationRepair(String bootstrapServers, TopicCatalog topics, StateView view, ServiceAllocator allocator,
      Duration grace, Clock clock) {
    this.bootstrapServers = bootstrapServers;
    this.kv = topics.kv();
    this.values = kv.valueSerde().deserializer();
    this.view = view;
    this.allocator = allocator;
    this.services = view.registry().byGroupResource("services").orElseThrow();
    this.grace = grace;
    this.clock = clock;
    this.clientId = topics.prefix() + "-api-allocation-repair";
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, clientId);
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs a pass every {@code interval}, the first one after {@code interval}. */
  public AllocationRepair start(Duration interval) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        runOnce();
      } catch (Exception e) {
        LOG.warn("[api allocation-repair] pass failed: {}", e.toString());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** The report of the last pass, or null before the first. */
  public Report lastReport() {
    return last;
  }

  /** One pass: blocking (reads the store's claims, waits for releases and claims). */
  public synchronized Report runOnce() throws Exception {
    view.sync().get(60, TimeUnit.SECONDS);
    Map<String, String> claims = claims();
    Map<String, String> held = new TreeMap<>();
    List<GenericRecord> all = view.list(services, null, o -> true, null, 0).items();
    List<String> conflicts = new ArrayList<>();
    for (GenericRecord svc : all) {
      String owner = services.key(Meta.namespace(svc), Meta.name(svc)).toString();
      for (String key : heldBy(svc)) {
        String other = held.putIfAbsent(key, owner);
        if (other != null) {
          conflicts.add(key + " (held by " + other + " and " + owner + ")");
        }
      }
    }
    Instant now = clock.instant();
    List<String> released = new ArrayList<>();
    List<String> leaking = new ArrayList<>();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (Map.Entry<String, String> c : claims.entrySet()) {
      String key = c.getKey();
      String owner = c.getValue();
      String holder = held.get(key);
      if (holder != null) {
        suspects.remove(key);
        if (!holder.equals(owner)) {
          conflicts.add(key + " (claimed by " + owner + ", held by " + holder + ")");
        }
        continue;
      }
      Suspect s = suspects.get(key);
      if (s == null || !s.owner().equals(owner)) {
        suspects.put(key, new Suspect(owner, now));
        leaking.add(key);
      } else if (!now.isBefore(s.since().plus(grace))) {
        pending.add(allocator.releaseKey(owner, key));
        released.add(key);
        suspects.remove(key);
        LOG.warn("[api allocation-repair {}] released: claimed by {} since at least {}, which no Service holds",
            key, owner, s.since());
      } else {
        leaking.add(key);
      }
    }
    suspects.keySet().retainAll(claims.keySet());
    List<String> unclaimed = new ArrayList<>();
    List<String> reclaimed = new ArrayList<>();
    for (Map.Entry<String, String> h : held.entrySet()) {
      if (claims.containsKey(h.getKey())) {
        continue;
      }
      unclaimed.add(h.getKey());
      LOG.warn("[api allocation-repair {}] {} uses it but it is not claimed; claiming it for it", h.getKey(),
          h.getValue());
      pending.add(allocator.claimKey(h.getValue(), h.getKey()).thenAccept(ok -> {
        if (ok) {
          synchronized (reclaimed) {
            reclaimed.add(h.getKey());
          }
        } else {
          synchronized (conflicts) {
            conflicts.add(h.getKey() + " (used by " + h.getValue() + ", taken by another meanwhile)");
          }
        }
      }));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    for (String c : conflicts) {
      LOG.warn("[api allocation-repair] conflict: {}", c);
    }
    Report r = new Report(claims.size(), all.size(), List.copyOf(released), List.copyOf(leaking),
        List.copyOf(unclaimed), List.copyOf(reclaimed), List.copyOf(conflicts));
    last = r;
    return r;
  }

  /** The allocation keys a Service uses: its ClusterIP (unless headless) and its NodePorts. */
  static List<String> heldBy(GenericRecord svc) {
    List<String> out = new ArrayList<>();
    GenericRecord spec = (GenericRecord) svc.get("spec");
    if (spec == null) {
      return out;
    }
    if (!ServiceAllocator.typeOf(spec).equals("ExternalName")) {
      List<String> ips = ServiceAllocator.clusterIPs(spec);
      if (!ips.isEmpty() && !ips.get(0).equals("None")) {
        out.add(ServiceAllocator.IP_KEYS + ips.get(0));
      }
    }
    if (ServiceAllocator.needsNodePorts(spec)) {
      for (int n : ServiceAllocator.nodePorts(spec)) {
        out.add(ServiceAllocator.PORT_KEYS + n);
      }
    }
    return out;
  }

  /** The allocation keys in the store now, and the owner each names: {@code state.kv} read to its end. */
  public Map<String, String> claims() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    Map<String, String> out = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < kv.partitions(); i++) {
        parts.add(new TopicPartition(kv.name(), i));
      }
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      List<TopicPartition> reading = new ArrayList<>(parts);
      reading.removeIf(tp -> end.get(tp) == 0);
      c.assign(reading);
      c.seekToBeginning(reading);
      while (!reading.isEmpty()) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          String key = r.key();
          if (key == null || !(key.startsWith(ServiceAllocator.IP_KEYS) || key.startsWith(ServiceAllocator.PORT_KEYS))) {
            continue;
          }
          if (r.value() == null) {
            out.remove(key);
          } else {
            out.put(key, new String(KeyValues.value(values.deserialize(r.topic(), r.value())), StandardCharsets.UTF_8));
          }
        }
        reading.removeIf(tp -> c.position(tp) >= end.get(tp));
      }
    }
    return out;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
