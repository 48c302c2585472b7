package io.kafkube.api;

import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Runs one API server on an existing cluster: {@code --bootstrap-servers --registry-url [--secure-port …]}. */
public final class ApiServerMain {
  private ApiServerMain() {}

  public static void main(String[] args) throws Exception {
    ApiConfig config = ApiConfig.parse(System.getenv(), args);
    CachedSchemaRegistryClient registry = new CachedSchemaRegistryClient(config.registryUrl());
    TopicCatalog topics = KafkubeTopics.catalog(config.prefix(), partitions(config),
        schema -> AvroSerde.generic(registry, schema, false));
    CountDownLatch stop = new CountDownLatch(1);
    try (ApiServer server = ApiServer.start(config, topics, Duration.ofMinutes(2))) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "api-shutdown"));
      System.out.println("export KUBECONFIG=" + server.kubeconfigPath());
      stop.await();
    }
  }

  /** P, read from the commands topic the store created. */
  private static int partitions(ApiConfig config) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    String commands = TopicCatalog.commandsTopicName(config.prefix());
    try (Admin admin = Admin.create(p)) {
      return admin.describeTopics(List.of(commands)).allTopicNames().get().get(commands).partitions().size();
    }
  }
}
