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
 * The create phase's clients: C clients, each with its own keep-alive HTTPS connection (verified against
 * the cluster CA, bearer token) and one request in flight, all on one Vert.x event loop of their own.
 * The JDK's HTTP client, with a thread per client and its own worker and selector threads, took a tenth
 * of the machine's two cores in this benchmark; the clients are not what is measured, and real ones run
 * elsewhere.
 */
final class AsyncCreates {
  /** What one run did, and the CPU its event loop used. */
  record Outcome(ApiBenchmark.Result result, long clientCpuNanos) {}

  private AsyncCreates() {}

  /** {@code total} POSTs of {@code body.apply(i)} to {@code path}, by {@code clients} clients. */
  static Outcome run(String baseUrl, Path caCert, String token, String path, int clients, int total,
      IntFunction<String> body) throws Exception {
    URI uri = URI.create(baseUrl);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
              .setTrustOptions(new PemTrustOptions().addCertPath(caCert.toString()))
              .setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()).setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(clients).setMaxWaitQueueSize(-1));
      Context loop = vertx.getOrCreateContext();
      Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
      AtomicInteger next = new AtomicInteger();
      AtomicLong ok = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      AtomicInteger running = new AtomicInteger(clients);
      CompletableFuture<Long> done = new CompletableFuture<>();
      long[] cpu0 = new long[1];
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
          send(http, path, token, total, body, next, h, ok, errors, client);
        }
      });
      long cpu = done.get(30, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Outcome(new ApiBenchmark.Result("create", ok.get(), seconds, h, errors.get()), cpu);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** One client: the next create, then (on its answer) the one after, until none are left. */
  private static void send(HttpClient http, String path, String token, int total, IntFunction<String> body,
      AtomicInteger next, Histogram h, AtomicLong ok, AtomicLong errors, Promise<Void> client) {
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
          send(http, path, token, total, body, next, h, ok, errors, client);
        });
  }
}
