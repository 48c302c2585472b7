package io.kafkube.agent.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.httpproxy.HttpProxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Ingress controller: an HTTP listener that routes each request by host and path
 * ({@link IngressRules}) to a ready endpoint of the backend Service, round robin. No rule → 404;
 * a backend without ready endpoints → 503.
 */
final class IngressProxy implements AutoCloseable {
  private final ServiceView view;
  private final HttpServer server;
  private final HttpClient client;
  private final AtomicLong next = new AtomicLong();

  private IngressProxy(Vertx vertx, ServiceView view) {
    this.view = view;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000),
        new PoolOptions().setHttp1MaxSize(32));
    this.server = vertx.createHttpServer(new HttpServerOptions()).requestHandler(this::handle);
  }

  static Future<IngressProxy> start(Vertx vertx, ServiceView view, String host, int port) {
    IngressProxy p = new IngressProxy(vertx, view);
    return p.server.listen(port, host).map(s -> p);
  }

  int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    HostAndPort authority = req.authority();
    String host = authority == null ? "" : authority.host();
    Optional<IngressRules.Backend> backend = IngressRules.route(view.ingresses(), host, req.path());
    if (backend.isEmpty()) {
      req.response().setStatusCode(404).putHeader("content-type", "text/plain")
          .end("404 page not found: no Ingress rule for host " + host + " and path " + req.path() + "\n");
      return;
    }
    IngressRules.Backend b = backend.get();
    List<ServiceView.Endpoint> eps = view.service(b.namespace(), b.service())
        .flatMap(s -> s.port(b.port()).map(p -> view.endpoints(s, p))).orElse(List.of());
    if (eps.isEmpty()) {
      req.response().setStatusCode(503).putHeader("content-type", "text/plain")
          .end("503 service unavailable: no ready endpoints for service " + b.namespace() + "/" + b.service()
              + " port " + b.port() + "\n");
      return;
    }
    ServiceView.Endpoint ep = eps.get((int) (next.getAndIncrement() % eps.size()));
    req.headers().set("X-Forwarded-Host", authority == null ? host : authority.toString());
    if (req.remoteAddress() != null) {
      req.headers().add("X-Forwarded-For", req.remoteAddress().hostAddress());
    }
    HttpProxy.reverseProxy(client).origin(ep.port(), ep.ip()).handle(req);
  }

  @Override
  public void close() {
    server.close();
    client.close();
  }
}
