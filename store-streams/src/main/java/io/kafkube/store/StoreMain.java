package io.kafkube.store;

import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.client.SchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.registry.serde.AvroSerializer;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicAdmin;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.client.CommandClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store as its own process: {@code java io.kafkube.store.StoreMain --bootstrap-servers H:P
 * --registry-url URL [--partitions P] [--state-dir DIR]}. Creates missing topics, runs until SIGTERM.
 */
public final class StoreMain {
  private static final Logger LOG = LoggerFactory.getLogger(StoreMain.class);

  private StoreMain() {}

  public static void main(String[] args) throws Exception {
    StoreConfig cfg = StoreConfig.parse(System.getenv(), args);
    SchemaRegistryClient registry = new CachedSchemaRegistryClient(cfg.registryUrl());
    TopicCatalog topics = KafkubeTopics.catalog(cfg.prefix(), cfg.partitions(),
        schema -> AvroSerde.generic(registry, schema, false));
    try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers()))) {
      TopicAdmin.ensureCreated(admin, topics.all(), cfg.replicationFactor());
    }
    StoreService store = StoreService.start(cfg, topics, AvroSerializer.generic(registry, false),
        new SharedObjectRules(), Duration.ofMinutes(5));
    try (CommandClient client = new CommandClient(cfg.bootstrapServers(), topics, -1)) {
      StoreService.bootstrapNamespaces(client, Duration.ofSeconds(60));
    }
    LOG.info("[store] running: {} partitions, state in {}", cfg.partitions(), cfg.stateDir().toAbsolutePath());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      store.close();
      stop.countDown();
    }, "store-shutdown"));
    stop.await();
  }
}
