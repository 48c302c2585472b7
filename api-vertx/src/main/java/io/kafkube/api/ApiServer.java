package io.kafkube.api;

import io.kafkube.api.auth.Authenticator;
import io.kafkube.api.auth.TokenFile;
import io.kafkube.api.discovery.Discovery;
import io.kafkube.api.http.ApiRouter;
import io.kafkube.api.http.ResourceHandlers;
import io.kafkube.api.http.Writes;
import io.kafkube.api.openapi.OpenApiV3;
import io.kafkube.api.table.Tables;
import io.kafkube.api.tls.ClusterCertificates;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.client.CommandClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kafkube's kube-apiserver: HTTPS (and optionally HTTP) on the bind address, serving the Kubernetes
 * REST API from its own view of the state and writing through Commands. {@link #start} is what
 * {@code kafkube up} and {@link ApiServerMain} call; {@link #close} stops everything it started.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private String url;
  private String insecureUrl;
  private Path kubeconfig;
  private String adminToken;
  private Path caCert;
  private StateView view;

  private ApiServer() {}

  /**
   * Starts an API server on existing topics (the store must be running for writes to be answered)
   * and writes {@code <dataDir>/kubeconfig}.
   *
   * @param config  where to listen and keep its files
   * @param topics  the cluster's topic catalogue (with the registry serdes)
   * @param timeout how long loading the view and binding the ports may take
   */
  public static ApiServer start(ApiConfig config, TopicCatalog topics, Duration timeout) throws Exception {
    ApiServer s = new ApiServer();
    try {
      s.startAll(config, topics, timeout);
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  private void startAll(ApiConfig config, TopicCatalog topics, Duration timeout) throws Exception {
    Path dataDir = config.dataDir().toAbsolutePath();
    ClusterCertificates certs = ClusterCertificates.loadOrCreate(dataDir.resolve("pki"));
    caCert = certs.caCertPath();
    TokenFile tokens = TokenFile.loadOrCreate(dataDir.resolve("tokens.csv"));
    adminToken = tokens.adminToken();

    CommandClient client = new CommandClient(config.bootstrapServers(), topics, -1);
    running.push(client);
    view = StateView.start(config.bootstrapServers(), topics, ResourceRegistry.kubernetes(), config.watchWindow(),
        timeout);
    running.push(view);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    running.push(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    ResourceHandlers handlers = new ResourceHandlers(view, new Writes(client, config.requestTimeout()),
        new Tables(Clock.systemUTC()), config.bookmarkInterval());
    Router router = ApiRouter.create(vertx, view, new Discovery(ResourceRegistry.kubernetes()),
        new OpenApiV3(ResourceRegistry.kubernetes()), handlers, new Authenticator(tokens));

    HttpServerOptions tls = new HttpServerOptions().setHost(config.bindAddress()).setPort(config.securePort())
        .setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(certs.servingCertPath().toString()).setKeyPath(certs.servingKeyPath().toString()))
        .setCompressionSupported(true);
    HttpServer https = listen(vertx, tls, router, timeout);
    url = "https://" + config.bindAddress() + ":" + https.actualPort();
    if (config.insecurePort() >= 0) {
      HttpServer http = listen(vertx, new HttpServerOptions().setHost(config.bindAddress())
          .setPort(config.insecurePort()), router, timeout);
      insecureUrl = "http://" + config.bindAddress() + ":" + http.actualPort();
    }
    kubeconfig = Kubeconfig.write(dataDir.resolve("kubeconfig"), url, certs.caPem(), adminToken);
    LOG.info("[api] serving {}{}; kubeconfig {}", url, insecureUrl == null ? "" : " and " + insecureUrl, kubeconfig);
  }

  private HttpServer listen(Vertx vertx, HttpServerOptions options, Router router, Duration timeout)
      throws Exception {
    HttpServer server = vertx.createHttpServer(options).requestHandler(router);
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot listen on " + options.getHost() + ":" + options.getPort() + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TimeoutException("binding " + options.getHost() + ":" + options.getPort() + " took over " + timeout);
    }
    running.push(() -> server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    return server;
  }

  /** {@code https://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  /** The plain-HTTP URL, or null when no insecure port was asked for. */
  public String insecureUrl() {
    return insecureUrl;
  }

  /** The kubeconfig written at start (CA data, server URL, admin token). */
  public Path kubeconfigPath() {
    return kubeconfig;
  }

  public String adminToken() {
    return adminToken;
  }

  public Path caCertPath() {
    return caCert;
  }

  /** The server's materialized view (for tests and metrics). */
  public StateView view() {
    return view;
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      AutoCloseable c = running.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("[api] error while stopping {}", c.getClass().getSimpleName(), e);
      }
    }
  }
}
