package io.kafkube.store.etcd;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.registry.serde.AvroSerializer;
import io.kafkube.registry.server.RegistryConfig;
import io.kafkube.registry.server.SchemaRegistryServer;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicAdmin;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.SharedObjectRules;
import io.kafkube.store.StoreConfig;
import io.kafkube.store.StoreService;
import io.kafkube.store.client.CommandClient;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/** A broker, the registry, the store and the etcd endpoint, for one test class. */
final class EtcdCluster implements AutoCloseable {
  final EmbeddedKafka kafka;
  final SchemaRegistryServer registry;
  final TopicCatalog topics;
  final StoreService store;
  final EtcdServer etcd;
  final CommandClient client;

  EtcdCluster(Path dir, int partitions) throws Exception {
    kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
    registry = SchemaRegistryServer.startAndWait(
        RegistryConfig.builder(kafka.bootstrapServers(), "kafkube._schemas").port(0).build(), Duration.ofSeconds(60));
    CachedSchemaRegistryClient rc = new CachedSchemaRegistryClient(registry.url());
    topics = KafkubeTopics.catalog(KafkubeTopics.DEFAULT_PREFIX, partitions, s -> AvroSerde.generic(rc, s, false));
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      TopicAdmin.ensureCreated(admin, topics.all(), (short) 1);
    }
    store = StoreService.start(StoreConfig.defaults().withBootstrapServers(kafka.bootstrapServers())
            .withRegistryUrl(registry.url()).withPartitions(partitions).withStateDir(dir.resolve("store")),
        topics, AvroSerializer.generic(rc, false), new SharedObjectRules(), Duration.ofSeconds(90));
    client = new CommandClient(kafka.bootstrapServers(), topics, -1);
    StoreService.bootstrapNamespaces(client, Duration.ofSeconds(60));
    etcd = EtcdServer.start(EtcdConfig.defaults(kafka.bootstrapServers()).withPort(0)
        .withProgressInterval(Duration.ofSeconds(1)), topics, Duration.ofSeconds(60));
  }

  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {etcd, client, store, registry, kafka}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // best effort
        }
      }
    }
  }
}
