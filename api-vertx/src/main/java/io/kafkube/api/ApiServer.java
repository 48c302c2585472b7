package io.kafkube.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.admission.Admission;
import io.kafkube.api.admission.SystemPriorityClasses;
import io.kafkube.api.allocation.AllocationRepair;
import io.kafkube.api.allocation.ServiceAllocator;
import io.kafkube.api.allocation.ServiceRanges;
import io.kafkube.api.audit.AuditEndpoint;
import io.kafkube.api.audit.AuditHandler;
import io.kafkube.api.audit.AuditPolicy;
import io.kafkube.api.audit.AuditSink;
import io.kafkube.api.auth.Authenticator;
import io.kafkube.api.history.TimeTravel;
import io.kafkube.api.auth.ServiceAccountTokens;
import io.kafkube.api.auth.TokenFile;
import io.kafkube.api.authz.BootstrapPolicy;
import io.kafkube.api.authz.Escalation;
import io.kafkube.api.authz.RbacAuthorizer;
import io.kafkube.api.authz.ViewRbacSource;
import io.kafkube.api.discovery.Discovery;
import io.kafkube.api.ops.ApiMetrics;
import io.kafkube.api.http.ApiRouter;
import io.kafkube.api.http.AuthorizationHandler;
import io.kafkube.api.http.Bodies;
import io.kafkube.api.http.FieldValidation;
import io.kafkube.api.http.RbacGuard;
import io.kafkube.api.http.ResourceHandlers;
import io.kafkube.api.http.ReviewHandlers;
import io.kafkube.api.http.TokenRequests;
import io.kafkube.api.http.Writes;
import io.kafkube.api.openapi.OpenApiV3;
import io.kafkube.api.table.Tables;
import io.kafkube.api.proxy.PodProxy;
import io.kafkube.api.tls.ClusterCertificates;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
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
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kafkube's kube-apiserver: HTTPS (and optionally HTTP) on the bind address, serving the Kubernetes
 * REST API from its own view of the state and writing through Commands; bearer tokens (the static
 * token file, ServiceAccount tokens) and RBAC on every request but {@code /version} and the health
 * checks. {@link #start} is what {@code kafkube up} and {@link ApiServerMain} call; {@link #close}
 * stops everything it started.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  /** Who writes the default policy: the API server itself, a member of {@code system:masters}. */
  private static final User APISERVER = new User("system:apiserver",
      List.of(RbacAuthorizer.MASTERS, "system:authenticated"), null);

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private String url;
  private String insecureUrl;
  private Path kubeconfig;
  private String adminToken;
  private Path caCert;
  private StateView view;
  private AllocationRepair repair;

  private ApiServer() {}

  /**
   * Starts an API server on existing topics and writes {@code <dataDir>/kubeconfig}. The store must
   * be running: before serving, the server makes sure the default RBAC policy exists (creating what
   * is missing through the store, as kube-apiserver's bootstrap does) and fails to start when the
   * store does not answer within {@code timeout}.
   *
   * @param config  where to listen and keep its files
   * @param topics  the cluster's topic catalogue (with the registry serdes)
   * @param timeout how long loading the view, writing the default policy and binding the ports may take
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
    AuditPolicy policy = auditPolicy(config); // a bad policy file stops the start before anything runs
    Path dataDir = config.dataDir().toAbsolutePath();
    ClusterCertificates certs = ClusterCertificates.loadOrCreate(dataDir.resolve("pki"));
    caCert = certs.caCertPath();
    TokenFile tokens = TokenFile.loadOrCreate(dataDir.resolve("tokens.csv"));
    adminToken = tokens.adminToken();
    Clock clock = Clock.systemUTC();
    ServiceAccountTokens saTokens = ServiceAccountTokens.loadOrCreate(dataDir.resolve("pki"), clock);

    CommandClient client = new CommandClient(config.bootstrapServers(), topics, -1);
    running.push(client);
    view = StateView.start(config.bootstrapServers(), topics, ResourceRegistry.kubernetes(), config.watchWindow(),
        timeout);
    running.push(view);
    ensureDefaultPolicy(client, view.registry(), timeout);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
    running.push(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    AuditSink audit = new AuditSink(config.bootstrapServers(), topics, 100_000);
    running.push(audit);
    ApiMetrics metrics = new ApiMetrics(ResourceRegistry.kubernetes(), view::listenerCount,
        ApiMetrics.DEFAULT_MAX_READ_ONLY, ApiMetrics.DEFAULT_MAX_MUTATING);
    metrics.bindViewLag(view::lagRecords, view::lagMillis);
    metrics.bindAudit(audit::sent, audit::dropped, audit::failed);
    ViewRbacSource rbac = new ViewRbacSource(view);
    RbacAuthorizer authorizer = new RbacAuthorizer(rbac);
    ServiceAllocator allocator = new ServiceAllocator(client, ServiceRanges.DEFAULT);
    repair = new AllocationRepair(config.bootstrapServers(), topics, view, allocator, config.allocationRepairGrace(),
        clock).start(config.allocationRepairInterval());
    running.push(repair);
    ResourceHandlers handlers = new ResourceHandlers(view, new Writes(client, view, config.requestTimeout(),
            new RbacGuard(new Escalation(authorizer, rbac), view.registry())),
        new Tables(clock), config.bookmarkInterval(),
        new Admission(view, allocator),
        new TimeTravel(config.bootstrapServers(), topics));
    Router router = ApiRouter.create(vertx, view, new Discovery(ResourceRegistry.kubernetes()),
        new OpenApiV3(ResourceRegistry.kubernetes()),
        new ApiRouter.Handlers(handlers, new TokenRequests(saTokens, view, clock),
            new ReviewHandlers(authorizer, view, clock),
            new PodProxy(vertx, view, certs.caCertPath(), certs.kubeletClientCertPath(), certs.kubeletClientKeyPath()),
            new AuditEndpoint(config.bootstrapServers(), topics)),
        new Authenticator(tokens, saTokens, view), new AuthorizationHandler(authorizer, view), metrics,
        new AuditHandler(audit, policy));

    HttpServerOptions tls = new HttpServerOptions().setHost(config.bindAddress()).setPort(config.securePort())
        .setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(certs.servingCertPath().toString()).setKeyPath(certs.servingKeyPath().toString()))
        .setCompressionSupported(true).setWebSocketSubProtocols(PodProxy.EXEC_PROTOCOLS);
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

  /** The audit policy of the configuration's file; none: every request at level Metadata. */
  static AuditPolicy auditPolicy(ApiConfig config) throws java.io.IOException {
    if (config.auditPolicy() == null) {
      return AuditPolicy.METADATA_FOR_ALL;
    }
    try {
      AuditPolicy p = AuditPolicy.load(config.auditPolicy());
      LOG.info("[api] audit policy {}: {} rules", config.auditPolicy(), p.rules().size());
      return p;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid audit policy " + config.auditPolicy() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates the default ClusterRoles and ClusterRoleBindings through the store, as the API server's
   * own identity; objects that exist already (409) are left as they are.
   */
  private static void ensureDefaultPolicy(CommandClient client, ResourceRegistry registry, Duration timeout)
      throws Exception {
    List<CompletableFuture<ReplyView>> replies = new ArrayList<>();
    List<ObjectKey> keys = new ArrayList<>();
    List<ObjectNode> objects = new ArrayList<>(BootstrapPolicy.objects());
    objects.addAll(SystemPriorityClasses.objects());
    for (ObjectNode o : objects) {
      ResourceType type = registry.byKind(o.get("apiVersion").asText(), o.get("kind").asText())
          .orElseThrow();
      GenericRecord record = Bodies.toRecord(o, List.of(), type, FieldValidation.STRICT).record();
      ObjectKey key = type.key(null, o.path("metadata").path("name").asText());
      keys.add(key);
      replies.add(client.send(Envelopes.command(Op.CREATE, key.toString(), type.groupResource(), APISERVER,
          client.newRequestId()).replyPartition(client.replyPartition()).object(record).build()));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int created = 0;
    for (int i = 0; i < replies.size(); i++) {
      ReplyView reply;
      try {
        reply = replies.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new TimeoutException("the store did not answer within " + timeout + " while the default RBAC policy "
            + "was written (" + keys.get(i) + "): is it running?");
      }
      if (reply.success()) {
        created++;
      } else if (reply.code() != 409) {
        throw new IllegalStateException("cannot create the default " + keys.get(i) + ": " + reply.code() + " "
            + reply.reason());
      }
    }
    LOG.info("[api] default RBAC policy and system priority classes: {} objects created, {} already there", created, replies.size() - created);
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

  /** The repair loop of ClusterIP and NodePort claims (for tests). */
  public AllocationRepair allocationRepair() {
    return repair;
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
