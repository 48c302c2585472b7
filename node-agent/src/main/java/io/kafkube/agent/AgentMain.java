package io.kafkube.agent;

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
 * The node agent as its own process: {@code java io.kafkube.agent.AgentMain --bootstrap-servers H:P
 * --registry-url URL [--node-name N] [--data-dir DIR] [--runtime process|simulated] [--simulate N]
 * [--pod-cidr 127.2.0.0/16] [--cpu C] [--memory M] [--max-pods 110] [--tls-cert-file F --tls-private-key-file F
 * --client-ca-file F [--address 127.0.0.1] [--port 0]]}: with the three files it serves container logs and exec
 * (see {@link io.kafkube.agent.server.AgentServer}). Runs until SIGTERM; the
 * containers keep running (a restarted agent adopts them) unless {@code --stop-containers-on-exit true}.
 */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    AgentConfig cfg = AgentConfig.parse(System.getenv(), args);
    SchemaRegistryClient registry = new CachedSchemaRegistryClient(cfg.registryUrl());
    TopicCatalog topics = KafkubeTopics.catalog(cfg.prefix(), cfg.partitions(),
        schema -> AvroSerde.generic(registry, schema, false));
    AgentHost host = AgentHost.start(cfg, topics, Duration.ofMinutes(5));
    LOG.info("[agent] data in {}", cfg.dataDir().toAbsolutePath());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      host.close();
      stop.countDown();
    }, "agent-shutdown"));
    stop.await();
  }
}
