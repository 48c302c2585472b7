package io.kafkube.agent.proxy;

import io.kafkube.registry.client.CachedSchemaRegistryClient;
import io.kafkube.registry.serde.AvroSerde;
import io.kafkube.schemas.topic.KafkubeTopics;
import io.kafkube.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxies as their own process, one per machine as kube-proxy runs: {@code java
 * io.kafkube.agent.proxy.ProxyMain --bootstrap-servers H:P --registry-url URL [--prefix kafkube]
 * [--partitions 6] [--node-address 127.0.0.1] [--ingress-host 127.0.0.1] [--ingress-port -1|0|PORT]}.
 */
public final class ProxyMain {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyMain.class);

  private ProxyMain() {}

  public static void main(String[] args) throws Exception {
    ProxyConfig cfg = ProxyConfig.parse(System.getenv(), args);
    CachedSchemaRegistryClient registry = new CachedSchemaRegistryClient(cfg.registryUrl());
    TopicCatalog topics = KafkubeTopics.catalog(cfg.prefix(), cfg.partitions(),
        schema -> AvroSerde.generic(registry, schema, false));
    ProxyHost host = ProxyHost.start(cfg, topics, Duration.ofMinutes(5));
    LOG.info("[proxy] serving Services{}", host.ingressPort() < 0 ? ""
        : " and Ingresses on " + cfg.ingressHost() + ":" + host.ingressPort());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      host.close();
      stop.countDown();
    }, "proxy-shutdown"));
    stop.await();
  }
}
