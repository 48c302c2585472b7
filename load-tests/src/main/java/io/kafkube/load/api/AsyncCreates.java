package io.kafkube.load.api;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The create phases' clients: C clients, each with its own keep-alive HTTPS connection (verified against
 * the cluster CA, bearer token) and one request in flight, all on one Vert.x event loop of their own.
 * The JDK's HTTP client, with a thread per client and its own worker and selector threads, took a tenth
 * of the machine's two cores in this benchmark; the clients are not what is measured, and real ones run
 * elsewhere. One instance serves the warm-up and the measured phase, so that the measured creates go over
 * connections the warm-up opened, as a real client's would: a fresh pool made the server do C TLS handshakes
 * (ECDHE and a signature each) at the start of the measured phase.
 */
final class AsyncCreates implements AutoCloseable {
  /** What one run did, the CPU its event loop used and the connections it had to open. */
  record Outcome(ApiBenchmark.Result result, long clientCpuNanos, int connectionsOpened) {}

  private final Vertx vertx;
  private final HttpClient http;
  private final String token;
  private final int clients;
  private final AtomicInteger connections = new AtomicInteger();

  /** C clients of the API server at {@code baseUrl}; their connections open on first use. */
  AsyncCreates(String baseUrl, Path caCert, String token, int clients) {
    URI uri = URI.create(baseUrl);
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.token = token;
    this.clients = clients;
    // kept alive between phases (the default 60 s could end them while the warm-up's pods are deleted)
    this.http = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setSsl(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(caCert.toString()))
            .setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()).setKeepAlive(true)
            .setKeepAliveTimeout(600))
        .with(new PoolOptions().setHttp1MaxSize(clients).setMaxWaitQueueSize(-1))
        .withConnectHandler(conn -> connections.incrementAndGet())
        .build();
  }

  /** {@code total} POSTs of {@code body.apply(i)} to {@code path}, by the C clients. */
  Outcome run(String path, int total, IntFunction<String> body) throws Exception {
    Context loop = vertx.getOrCreateContext();
    Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    AtomicInteger next = new AtomicInteger();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicInteger running = new AtomicInteger(clients);
    CompletableFuture<Long> done = new CompletableFuture<>();
    long[] cpu0 = new long[1];
    int connections0 = connections.get();
    long start = System.nanoTime();
    loop.runOnContext(v -> {
      cpu0[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      for (int c = 0; c < clients; c++) {
        Promise<Void> client = Promise.promise();
        client.future().onComplete(ar -> {
          if (running.decrementAndGet() == 0) {
            done.complete(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0[0]);
          }
        });
        send(path, total, body, next, h, ok, errors, client);
      }
    });
    long cpu = done.get(30, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Outcome(new ApiBenchmark.Result("create", ok.get(), seconds, h, errors.get()), cpu,
        connections.get() - connections0);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** One client: the next create, then (on its answer) the one after, until none are left. */
  private void send(String path, int total, IntFunction<String> body, AtomicInteger next, Histogram h,
      AtomicLong ok, AtomicLong errors, Promise<Void> client) {
    int i = next.getAndIncrement();
    if (i >= total) {
      client.complete();
      return;
    }
    long t0 = System.nanoTime();
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
            .putHeader("Authorization", "Bearer " + token).putHeader("Accept", "application/json")
            .putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(Buffer.buffer(body.apply(i))))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          h.recordValue(Math.min((System.nanoTime() - t0) / 1000, h.getHighestTrackableValue()));
          if (ar.succeeded() && ar.result() == 201) {
            ok.incrementAndGet();
          } else {
            errors.incrementAndGet();
          }
          send(path, total, body, next, h, ok, errors, client);
        });
  }
}
