package io.kafkube.scheduler;

import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.client.SchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler as its own process: {@code java io.kafkube.scheduler.SchedulerMain
 * --bootstrap-servers H:P --registry-url URL [--prefix kafkube] [--partitions P] [--state-dir DIR]}.
 * Expects the cluster's topics to exist (the store creates them); runs until SIGTERM.
 */
public final class SchedulerMain {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerMain.class);

  private SchedulerMain() {}

  public static void main(String[] args) throws Exception {
    SchedulerConfig cfg = SchedulerConfig.parse(System.getenv(), args);
    SchemaRegistryClient registry = new CachedSchemaRegistryClient(cfg.registryUrl());
    TopicCatalog topics = KafkubeTopics.catalog(cfg.prefix(), cfg.partitions(),
        schema -> AvroSerde.generic(registry, schema, false));
    SchedulerService scheduler = SchedulerService.start(cfg, topics, Duration.ofMinutes(5));
    LOG.info("[scheduler] running for cluster {}, state in {}", cfg.prefix(), cfg.stateDir().toAbsolutePath());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      scheduler.close();
      stop.countDown();
    }, "scheduler-shutdown"));
    stop.await();
  }
}
