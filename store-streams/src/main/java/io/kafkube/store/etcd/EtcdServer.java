package io.kafkube.store.etcd;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.kafkube.schemas.topic.TopicCatalog;
import io.kafkube.store.client.CommandClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An etcd v3 gRPC endpoint (KV, Watch, Lease, Maintenance, Cluster member list) over kafkube: every
 * write is a command to the store (raw keys as {@code KeyValue} records in {@code state.kv}, keys
 * under {@code /registry/} as the Kubernetes objects they name, validated by the store), every read
 * comes from a view that follows {@code history}, and the past is read back from {@code history}.
 */
public final class EtcdServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdServer.class);

  private final Server server;
  private final KvView view;
  private final CommandClient client;
  private final Leases leases;
  private final ExecutorService executor;
  private final ScheduledExecutorService timer;
  private final String url;

  private EtcdServer(Server server, KvView view, CommandClient client, Leases leases, ExecutorService executor,
      ScheduledExecutorService timer, String url) {
    this.server = server;
    this.view = view;
    this.client = client;
    this.leases = leases;
    this.executor = executor;
    this.timer = timer;
    this.url = url;
  }

  /**
   * Starts the endpoint on existing topics: loads the view from history, then listens.
   *
   * @param topics the cluster's topic catalogue (its serdes read history and write commands)
   */
  public static EtcdServer start(EtcdConfig config, TopicCatalog topics, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    ExecutorService executor = Executors.newCachedThreadPool(daemon("kafkube-etcd-worker"));
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, daemon("kafkube-etcd-timer"));
    KvView view = new KvView(config.bootstrapServers(), topics);
    AtomicReference<String> memberUrl = new AtomicReference<>("");
    CommandClient client = null;
    Leases leases = null;
    try {
      view.start(timeout);
      client = new CommandClient(config.bootstrapServers(), topics, -1);
      EtcdBackend backend = new EtcdBackend(config, topics, view, new HistoryScan(config.bootstrapServers(), topics),
          client, executor);
      leases = new Leases(System::nanoTime, id -> backend.deleteLeaseKeys(id).whenComplete((v, e) -> {
        if (e != null) {
          LOG.warn("[etcd] deleting the keys of expired lease {} failed", id, e);
        }
      }), timer);
      backend.leases = leases;
      Leases restored = leases;
      backend.persistedLeases().forEach(restored::restore);
      ServerCredentials creds = config.tls()
          ? TlsServerCredentials.create(config.tlsCertChain().toFile(), config.tlsPrivateKey().toFile())
          : InsecureServerCredentials.create();
      Server server = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()), creds)
          .maxInboundMessageSize(EtcdBackend.MAX_REQUEST_BYTES + 512 * 1024)
          .executor(executor)
          .addService(new KvService(backend))
          .addService(new WatchService(backend, timer))
          .addService(new LeaseService(backend))
          .addService(new MaintenanceService(backend))
          .addService(new MaintenanceService.Cluster(backend, memberUrl::get))
          .build().start();
      int port = server.getPort();
      String url = (config.tls() ? "https://" : "http://") + config.host() + ":" + port;
      memberUrl.set(url);
      LOG.info("[etcd] etcd v3 endpoint on {} (revision {})", url, view.revision());
      return new EtcdServer(server, view, client, leases, executor, timer, url);
    } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
      if (leases != null) {
        leases.close();
      }
      if (client != null) {
        client.close();
      }
      view.close();
      executor.shutdownNow();
      timer.shutdownNow();
      throw e;
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** How many watches are registered (for tests and metrics). */
  public int watchers() {
    return view.listenerCount();
  }

  /** The port it listens on. */
  public int port() {
    return server.getPort();
  }

  /** {@code http://127.0.0.1:<port>} (or https with TLS), as etcdctl's {@code --endpoints} takes it. */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    leases.close();
    client.close();
    view.close();
    executor.shutdownNow();
    timer.shutdownNow();
  }
}
