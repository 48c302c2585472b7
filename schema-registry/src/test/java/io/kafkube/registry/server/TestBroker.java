package io.kafkube.registry.server;

import io.kafkube.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers for tests with one embedded broker per test class. */
public final class TestBroker {
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private TestBroker() {}

  public static EmbeddedKafka start(Path dir) {
    return EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
  }

  /** A fresh registry topic name, so that tests sharing a broker do not share a registry. */
  public static String freshTopic() {
    return "test" + TOPICS.incrementAndGet() + "._schemas";
  }

  public static RegistryConfig.Builder config(EmbeddedKafka kafka, String topic) {
    return RegistryConfig.builder(kafka.bootstrapServers(), topic)
        .sessionTimeout(Duration.ofSeconds(6))
        .forwardTimeout(Duration.ofSeconds(15));
  }

  public static SchemaRegistryServer startRegistry(EmbeddedKafka kafka, String topic) throws Exception {
    return SchemaRegistryServer.startAndWait(config(kafka, topic).build(), Duration.ofSeconds(60));
  }
}
