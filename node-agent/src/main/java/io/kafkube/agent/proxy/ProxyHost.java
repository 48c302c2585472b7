package io.kafkube.agent.proxy;

import io.kafkube.agent.TopicFollower;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.topic.TopicCatalog;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The node's kube-proxy and Ingress controller in one: follows the Services, Pods and Ingresses state
 * topics into a {@link ServiceView} and keeps the TCP listeners and the HTTP router in line with it.
 */
public final class ProxyHost implements AutoCloseable {
  private final Vertx vertx;
  private final ServiceView view = new ServiceView();
  private final ServiceProxy services;
  private final TopicFollower follower;
  private IngressProxy ingress;

  private ProxyHost(ProxyConfig cfg, TopicCatalog topics) {
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.services = new ServiceProxy(vertx, view, cfg.nodeAddress());
    Map<String, Deserializer<GenericRecord>> values = new HashMap<>();
    List<TopicPartition> parts = new ArrayList<>();
    for (ResourceType t : List.of(ServiceView.SERVICES, ServiceView.PODS, ServiceView.INGRESSES)) {
      values.put(topics.state(t).name(), topics.state(t).valueSerde().deserializer());
      for (int p = 0; p < topics.partitions(); p++) {
        parts.add(new TopicPartition(topics.state(t).name(), p));
      }
    }
    this.follower = new TopicFollower("service-proxy", cfg.bootstrapServers(), parts, values,
        new TopicFollower.Handler() {
          @Override
          public void record(String topic, String key, GenericRecord value) {
            view.apply(key, value);
          }

          @Override
          public void caughtUp() {
            view.onChange(services::reconcileSoon);
            services.reconcileSoon();
          }
        });
  }

  /** Starts the proxies; returns once the view has read the state topics and the Ingress proxy listens. */
  public static ProxyHost start(ProxyConfig cfg, TopicCatalog topics, Duration timeout) throws Exception {
    ProxyHost h = new ProxyHost(cfg, topics);
    try {
      h.follower.start();
      if (!h.follower.awaitCaughtUp(timeout)) {
        throw new TimeoutException("the service proxy did not read the state topics within " + timeout);
      }
      if (cfg.ingressPort() >= 0) {
        h.ingress = IngressProxy.start(h.vertx, h.view, cfg.ingressHost(), cfg.ingressPort())
            .toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      return h;
    } catch (Exception e) {
      h.close();
      throw e;
    }
  }

  /** The Ingress proxy's port, or -1 when it does not run. */
  public int ingressPort() {
    return ingress == null ? -1 : ingress.port();
  }

  ServiceView view() {
    return view;
  }

  ServiceProxy serviceProxy() {
    return services;
  }

  @Override
  public void close() {
    follower.close();
    if (ingress != null) {
      ingress.close();
    }
    services.close();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
        .join();
  }
}
