package io.kafkube.api.ops;

import io.kafkube.api.http.RequestInfo;
import io.kafkube.api.watch.WatchSink;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The API server's own metrics in Prometheus' text format, named as kube-apiserver names them
 * ({@code apiserver_request_total}, {@code apiserver_request_duration_seconds},
 * {@code apiserver_current_inflight_requests}, {@code apiserver_longrunning_requests}), and its
 * max-in-flight limits: beyond {@code maxReadOnly} reads or {@code maxMutating} writes at once, a request
 * is refused with 429 and {@code Retry-After}, as kube-apiserver's {@code --max-requests-inflight} and
 * {@code --max-mutating-requests-inflight} do. Watches are long-running and not counted against them.
 */
public final class ApiMetrics {
  /** kube-apiserver's defaults. */
  public static final int DEFAULT_MAX_READ_ONLY = 400;
  public static final int DEFAULT_MAX_MUTATING = 200;
  private static final Set<String> UNMEASURED = Set.of("/healthz", "/livez", "/readyz", "/metrics");
  private static final Duration[] SLO_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ResourceRegistry resources;
  private final AtomicInteger readOnly = new AtomicInteger();
  private final AtomicInteger mutating = new AtomicInteger();
  private final int maxReadOnly;
  private final int maxMutating;

  /**
   * @param watchers the number of open watches (a gauge read at scrape time)
   */
  public ApiMetrics(ResourceRegistry resources, IntSupplier watchers, int maxReadOnly, int maxMutating) {
    this.resources = resources;
    this.maxReadOnly = maxReadOnly;
    this.maxMutating = maxMutating;
    Gauge.builder("apiserver.current.inflight.requests", readOnly, AtomicInteger::get)
        .description("requests being served, by kind").tag("request_kind", "readOnly").register(registry);
    Gauge.builder("apiserver.current.inflight.requests", mutating, AtomicInteger::get)
        .description("requests being served, by kind").tag("request_kind", "mutating").register(registry);
    Gauge.builder("apiserver.longrunning.requests", watchers, s -> s.getAsInt())
        .description("open watches").tag("verb", "WATCH").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  /**
   * How far the API's view is behind the history topic it follows: records not yet applied, and
   * milliseconds since the view was last caught up (0 when it is; an upper bound of the staleness of
   * what it serves).
   */
  public void bindViewLag(LongSupplier records, LongSupplier millis) {
    Gauge.builder("kafkube.api.view.lag.records", records, s -> s.getAsLong())
        .description("history records the API view has not applied yet").register(registry);
    Gauge.builder("kafkube.api.view.lag.ms", millis, s -> s.getAsLong())
        .description("milliseconds since the API view was last caught up with history (0: caught up)")
        .register(registry);
  }

  /** The audit log's counters: events written, dropped on a full queue, failed to write. */
  public void bindAudit(LongSupplier sent, LongSupplier dropped, LongSupplier failed) {
    FunctionCounter.builder("kafkube.api.audit.events", sent, s -> s.getAsLong()).tag("result", "written")
        .description("audit events by outcome").register(registry);
    FunctionCounter.builder("kafkube.api.audit.events", dropped, s -> s.getAsLong()).tag("result", "dropped")
        .description("audit events by outcome").register(registry);
    FunctionCounter.builder("kafkube.api.audit.events", failed, s -> s.getAsLong()).tag("result", "failed")
        .description("audit events by outcome").register(registry);
  }

  /** The first handler of the router: counts, times and limits every request. */
  public void measure(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String path = req.path();
    if (UNMEASURED.contains(path)) {
      ctx.next();
      return;
    }
    long start = System.nanoTime();
    boolean watch = WatchSink.isUpgrade(req) || "true".equals(req.getParam("watch"))
        || "1".equals(req.getParam("watch"));
    String resource = "";
    String subresource = "";
    boolean named = false;
    try {
      RequestInfo ri = RequestInfo.parse(path, resources);
      if (ri != null && ri.type() != null) {
        resource = ri.type().plural();
        subresource = ri.subresource() == null ? "" : ri.subresource().path();
        named = ri.named();
      }
    } catch (RuntimeException e) {
      // not a resource path (discovery, OpenAPI, …): measured without a resource
    }
    String verb = verb(req.method(), watch, named, !resource.isEmpty());
    boolean isMutating = !(req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD
        || req.method() == HttpMethod.OPTIONS);
    String res = resource;
    String sub = subresource;
    if (!watch) {
      AtomicInteger inFlight = isMutating ? mutating : readOnly;
      int limit = isMutating ? maxMutating : maxReadOnly;
      if (inFlight.incrementAndGet() > limit) {
        inFlight.decrementAndGet();
        record(verb, res, sub, 429, System.nanoTime() - start);
        ctx.response().setStatusCode(429).putHeader("Retry-After", "1").putHeader("Content-Type", "application/json")
            .end("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"Too many requests, please try again later.\",\"reason\":\"TooManyRequests\","
                + "\"details\":{\"retryAfterSeconds\":1},\"code\":429}");
        return;
      }
      ctx.addEndHandler(v -> inFlight.decrementAndGet());
    }
    ctx.addEndHandler(v -> record(verb, res, sub, ctx.response().getStatusCode(), System.nanoTime() - start));
    ctx.next();
  }

  /** {@code GET /metrics}: the text exposition format. */
  public void scrape(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
  }

  private void record(String verb, String resource, String subresource, int code, long nanos) {
    Counter.builder("apiserver.request").description("requests by verb, resource and HTTP code")
        .tags("verb", verb, "resource", resource, "subresource", subresource, "code", Integer.toString(code))
        .register(registry).increment();
    Timer.builder("apiserver.request.duration").description("request latency by verb and resource")
        .tags("verb", verb, "resource", resource, "subresource", subresource)
        .serviceLevelObjectives(SLO_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** kube-apiserver's verb label: LIST and WATCH apart from GET, POST, PUT, PATCH, DELETE. */
  static String verb(HttpMethod method, boolean watch, boolean named, boolean resource) {
    if (method == HttpMethod.GET && resource) {
      return watch ? "WATCH" : named ? "GET" : "LIST";
    }
    if (method == HttpMethod.DELETE && resource && !named) {
      return "DELETECOLLECTION";
    }
    return method.name();
  }
}
