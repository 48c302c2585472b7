package io.kafkube.registry.server;

import io.kafkube.registry.server.internals.KafkaRegistryLog;
import io.kafkube.registry.server.internals.RegistryRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running registry instance: a Confluent-API HTTP server over a compacted Kafka topic. Several
 * instances on the same topic elect one writer; the others serve reads and forward writes to it.
 *
 * <pre>{@code
 * SchemaRegistryServer registry = SchemaRegistryServer.start(
 *     RegistryConfig.builder(kafka.bootstrapServers(), "kafkube._schemas").build())
 *   .toCompletionStage().toCompletableFuture().get();
 * String url = registry.url();   // http://127.0.0.1:<port>
 * registry.close();
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final KafkaRegistryLog log;
  private final RegistryRoutes routes;
  private final HttpServer http;
  private final String url;
  private Future<Void> stopped;
  private volatile boolean closed;

  private SchemaRegistryServer(Vertx vertx, boolean ownsVertx, KafkaRegistryLog log, RegistryRoutes routes,
      HttpServer http, String url) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.log = log;
    this.routes = routes;
    this.http = http;
    this.url = url;
  }

  /** Starts an instance on its own Vert.x; {@link #close()} closes that Vert.x too. */
  public static Future<SchemaRegistryServer> start(RegistryConfig config) {
    Vertx vertx = Vertx.vertx();
    return start(vertx, config, true).onFailure(e -> vertx.close());
  }

  /** Starts an instance on a caller's Vert.x (which the caller closes). */
  public static Future<SchemaRegistryServer> start(Vertx vertx, RegistryConfig config) {
    return start(vertx, config, false);
  }

  /** Starts an instance and waits for it; for {@code main}s and tests, never on an event loop. */
  public static SchemaRegistryServer startAndWait(RegistryConfig config, Duration timeout) throws Exception {
    return start(config).toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Future<SchemaRegistryServer> start(Vertx vertx, RegistryConfig config, boolean ownsVertx) {
    KafkaRegistryLog log = new KafkaRegistryLog(config);
    RegistryRoutes routes = new RegistryRoutes(vertx, log, config.forwardTimeout());
    return vertx.executeBlocking(() -> {
          log.start(Duration.ofSeconds(60));
          return log;
        }, false)
        .compose(l -> vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
            .requestHandler(routes.router())
            .listen())
        .compose(server -> {
          String url = config.advertisedUrl() != null ? config.advertisedUrl()
              : "http://" + config.host() + ":" + server.actualPort();
          return vertx.executeBlocking(() -> {
            log.startElection(url);
            return new SchemaRegistryServer(vertx, ownsVertx, log, routes, server, url);
          }, false);
        })
        .onSuccess(s -> LOG.info("Schema registry {} serving {} from topic {}", s.log.instanceId(), s.url, config.topic()))
        .onFailure(e -> {
          LOG.error("Schema registry failed to start on topic {}", config.topic(), e);
          vertx.executeBlocking(() -> {
            log.close();
            return null;
          }, false);
          routes.close();
        });
  }

  /** Base URL of this instance, e.g. {@code http://127.0.0.1:8081}. */
  public String url() {
    return url;
  }

  public int port() {
    return http.actualPort();
  }

  /** Whether this instance is currently the elected writer. */
  public boolean isLeader() {
    return log.isLeader();
  }

  /**
   * Stops serving, leaves the writer election and closes the Kafka clients (and then the Vert.x
   * this instance created, if any). Idempotent.
   */
  public Future<Void> stop() {
    Future<Void> f = stopServing();
    if (ownsVertx) {
      f.onComplete(ar -> vertx.close().onComplete(c -> closed = true));
    }
    return f;
  }

  /** Stops and waits; never call it on an event loop. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      stopServing().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      if (ownsVertx) {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      closed = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("Closing schema registry {} failed", url, e);
    }
  }

  private synchronized Future<Void> stopServing() {
    if (stopped == null) {
      stopped = http.close()
          .eventually(() -> routes.close())
          .eventually(() -> vertx.executeBlocking(() -> {
            log.close();
            return null;
          }, false))
          .mapEmpty();
    }
    return stopped;
  }
}
