package io.kafkube.api;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A real cluster in the test JVM: embedded KRaft broker, schema registry, topics, the store and one
 * API server (HTTPS and plain HTTP on 127.0.0.1). One per test class.
 */
public final class TestCluster implements AutoCloseable {
  public static final int PARTITIONS = 3;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String REGISTRY_TOPIC = "kafkube._schemas";

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  public final TopicCatalog topics;
  public final ApiServer api;
  public final String bootstrap;
  public final String registryUrl;

  private TestCluster(Path dir, ApiConfig base) throws Exception {
    try {
      EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
      running.push(kafka);
      bootstrap = kafka.bootstrapServers();
      createAndAwait(kafka.clientProperties(), REGISTRY_TOPIC);
      SchemaRegistryServer registry = SchemaRegistryServer.startAndWait(
          RegistryConfig.builder(bootstrap, REGISTRY_TOPIC).port(0).build(), TIMEOUT);
      running.push(registry);
      registryUrl = registry.url();
      CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.url());
      topics = KafkubeTopics.catalog(KafkubeTopics.DEFAULT_PREFIX, PARTITIONS, s -> AvroSerde.generic(client, s, false));
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        TopicAdmin.ensureCreated(admin, topics.all(), (short) 1);
      }
      StoreConfig storeConfig = StoreConfig.defaults().withBootstrapServers(bootstrap).withRegistryUrl(registry.url())
          .withPartitions(PARTITIONS).withStateDir(dir.resolve("store"));
      StoreService store = StoreService.start(storeConfig, topics, AvroSerializer.generic(client, false),
          new SharedObjectRules(), TIMEOUT);
      running.push(store);
      try (CommandClient commands = new CommandClient(bootstrap, topics, -1)) {
        StoreService.bootstrapNamespaces(commands, TIMEOUT);
      }
      ApiConfig config = base.withBootstrapServers(bootstrap).withRegistryUrl(registry.url())
          .withDataDir(dir.resolve("api")).withPorts(0, 0);
      api = ApiServer.start(config, topics, TIMEOUT);
      running.push(api);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Creates the registry's topic (1 partition, compacted, as the registry would) and waits until the
   * broker describes it. The registry describes its topic right after creating it, and a fresh
   * KRaft broker sometimes answers that describe with UnknownTopicOrPartition; with the topic
   * already there, the registry finds it instead of racing the broker's metadata.
   */
  private static void createAndAwait(Properties client, String topic) throws Exception {
    try (Admin admin = Admin.create(client)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
          .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (true) {
        try {
          admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
          return;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(20);
        }
      }
    }
  }

  public static TestCluster start(Path dir) throws Exception {
    return new TestCluster(dir, ApiConfig.defaults());
  }

  public static TestCluster start(Path dir, ApiConfig base) throws Exception {
    return new TestCluster(dir, base);
  }

  /**
   * Starts a second API instance on the same cluster, with a copy of the first one's data directory
   * (the same CA, serving certificate, token keys and admin token) under {@code dir}; plain HTTP on
   * {@code insecurePort} (-1: none). The caller closes it.
   */
  public ApiServer startSecondApi(Path dir, int insecurePort) throws Exception {
    Path first = api.kubeconfigPath().getParent();
    Path copy = dir.resolve("api-2");
    try (Stream<Path> files = Files.walk(first)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(first.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("kubeconfig")) {
          Files.copy(p, target);
        }
      }
    }
    ApiServer second = ApiServer.start(ApiConfig.defaults().withBootstrapServers(bootstrap)
        .withRegistryUrl(registryUrl).withDataDir(copy).withPorts(0, insecurePort), topics, TIMEOUT);
    return second;
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        // best effort
      }
    }
  }
}
