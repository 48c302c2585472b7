package io.kafkube.load;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.admin.Admin;

/** A broker, the registry and the store in this JVM, on fresh data, for a benchmark. */
final class BenchCluster implements AutoCloseable {
  final EmbeddedKafka kafka;
  final SchemaRegistryServer registry;
  final TopicCatalog topics;
  final StoreService store;
  final StoreConfig storeConfig;
  private final Path dir;

  BenchCluster(int partitions) throws Exception {
    this(partitions, c -> c);
  }

  /** @param tune changes to the store's default configuration a benchmark asks for */
  BenchCluster(int partitions, java.util.function.UnaryOperator<StoreConfig> tune) throws Exception {
    dir = Files.createTempDirectory("kafkube-bench-");
    kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
    registry = SchemaRegistryServer.startAndWait(
        RegistryConfig.builder(kafka.bootstrapServers(), "kafkube._schemas").port(0).build(), Duration.ofSeconds(60));
    CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.url());
    topics = KafkubeTopics.catalog(KafkubeTopics.DEFAULT_PREFIX, partitions, s -> AvroSerde.generic(client, s, false));
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      TopicAdmin.ensureCreated(admin, topics.all(), (short) 1);
    }
    storeConfig = tune.apply(StoreConfig.defaults()).withBootstrapServers(kafka.bootstrapServers())
        .withRegistryUrl(registry.url()).withPartitions(partitions).withStateDir(dir.resolve("store"));
    store = StoreService.start(storeConfig, topics, AvroSerializer.generic(client, false), new SharedObjectRules(),
        Duration.ofMinutes(2));
  }

  @Override
  public void close() {
    store.close();
    registry.close();
    kafka.closeAndDelete();
    try {
      PathUtils.deleteDirectory(dir); // the store's state
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
