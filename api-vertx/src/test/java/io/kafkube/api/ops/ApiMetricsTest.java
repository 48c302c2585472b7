package io.kafkube.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.schemas.resource.ResourceRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Max-in-flight limits and the Prometheus exposition, on a real Vert.x server on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiMetricsTest {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch entered = new CountDownLatch(1);
  private String base;

  @BeforeEach
  void start() throws Exception {
    ApiMetrics metrics = new ApiMetrics(ResourceRegistry.kubernetes(), () -> 3, 2, 1);
    Router router = Router.router(vertx);
    router.route().handler(metrics::measure);
    router.get("/metrics").handler(metrics::scrape);
    router.post("/api/v1/namespaces/:ns/pods").handler(ctx -> {
      entered.countDown();
      vertx.executeBlocking(() -> release.await(30, TimeUnit.SECONDS))
          .onComplete(v -> ctx.response().setStatusCode(201).end("{}"));
    });
    router.get("/api/v1/namespaces/:ns/pods").handler(ctx -> ctx.response().end("{}"));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> send(String method, String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(base + path))
        .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
            : HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aWriteBeyondTheMutatingLimitGets429WhileReadsStillPass() throws Exception {
    CompletableFuture<HttpResponse<String>> first = send("POST", "/api/v1/namespaces/default/pods");
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> second = send("POST", "/api/v1/namespaces/default/pods").get(10, TimeUnit.SECONDS);
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(second.body()).contains("\"reason\":\"TooManyRequests\"", "\"code\":429");

    assertThat(send("GET", "/api/v1/namespaces/default/pods").get(10, TimeUnit.SECONDS).statusCode())
        .as("reads have their own limit").isEqualTo(200);

    String during = send("GET", "/metrics").get(10, TimeUnit.SECONDS).body();
    assertThat(during).contains("apiserver_current_inflight_requests{request_kind=\"mutating\"} 1.0",
        "apiserver_longrunning_requests{verb=\"WATCH\"} 3.0");

    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    assertThat(send("POST", "/api/v1/namespaces/default/pods").get(10, TimeUnit.SECONDS).statusCode())
        .as("the slot is free again").isEqualTo(201);

    String after = send("GET", "/metrics").get(10, TimeUnit.SECONDS).body();
    assertThat(after).contains(
        "apiserver_request_total{code=\"429\",resource=\"pods\",subresource=\"\",verb=\"POST\"} 1.0",
        "apiserver_request_total{code=\"201\",resource=\"pods\",subresource=\"\",verb=\"POST\"} 2.0",
        "apiserver_request_total{code=\"200\",resource=\"pods\",subresource=\"\",verb=\"LIST\"} 1.0",
        "apiserver_request_duration_seconds_bucket{resource=\"pods\",subresource=\"\",verb=\"POST\",le=\"",
        "apiserver_current_inflight_requests{request_kind=\"mutating\"} 0.0");
  }

  @Test
  void verbsAsKubeApiserverLabelsThem() {
    assertThat(ApiMetrics.verb(io.vertx.core.http.HttpMethod.GET, true, false, true)).isEqualTo("WATCH");
    assertThat(ApiMetrics.verb(io.vertx.core.http.HttpMethod.GET, false, false, true)).isEqualTo("LIST");
    assertThat(ApiMetrics.verb(io.vertx.core.http.HttpMethod.GET, false, true, true)).isEqualTo("GET");
    assertThat(ApiMetrics.verb(io.vertx.core.http.HttpMethod.DELETE, false, false, true))
        .isEqualTo("DELETECOLLECTION");
    assertThat(ApiMetrics.verb(io.vertx.core.http.HttpMethod.GET, false, false, false)).isEqualTo("GET");
  }
}
