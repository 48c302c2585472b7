package io.kafkube.agent.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.agent.runtime.ContainerInstance;
import io.kafkube.agent.runtime.LogFile;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's HTTPS server, what kubelet serves on its port 10250 for the API server:
 * {@code GET /containerLogs/<ns>/<pod>/<container>} and {@code /exec/<ns>/<pod>/<container>} (a WebSocket
 * with the {@link ExecProtocol} channels). Every request needs a client certificate signed by the
 * cluster CA (the API server's kubelet-client certificate), as kubelet with {@code --client-ca-file}:
 * without one the answer is 401. Log reading and exec streams run on threads of their own, never on
 * the event loop.
 */
public final class AgentServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);

  private final PodDirectory pods;
  private final ContainerLogReader logs;
  private final ExecutorService threads;
  private final Vertx vertx;
  private HttpServer server;

  private AgentServer(PodDirectory pods, Clock clock) {
    this.pods = pods;
    this.logs = new ContainerLogReader(clock, Duration.ofMillis(100));
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "agent-server-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
  }

  /** Starts the server; returns once it listens. */
  public static AgentServer start(ServerConfig cfg, PodDirectory pods, Duration timeout) throws Exception {
    AgentServer s = new AgentServer(pods, Clock.systemUTC());
    try {
      HttpServerOptions o = new HttpServerOptions().setHost(cfg.bindAddress()).setPort(cfg.port()).setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cfg.certFile().toString())
              .setKeyPath(cfg.keyFile().toString()))
          .setTrustOptions(new PemTrustOptions().addCertPath(cfg.clientCaFile().toString()))
          .setClientAuth(ClientAuth.REQUEST)
          .setWebSocketSubProtocols(ExecProtocol.PROTOCOLS)
          .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 20);
      s.server = s.vertx.createHttpServer(o).requestHandler(s.router()).listen()
          .toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("[agent-server] serving container logs and exec on https://{}:{}", cfg.bindAddress(), s.port());
      return s;
    } catch (Exception e) {
      s.close();
      throw e;
    }
  }

  public int port() {
    return server.actualPort();
  }

  private Router router() {
    Router r = Router.router(vertx);
    r.route().handler(this::authenticate);
    r.get("/containerLogs/:namespace/:pod/:container").handler(this::containerLogs);
    r.route("/exec/:namespace/:pod/:container").handler(this::exec);
    r.route().last().handler(ctx -> status(ctx.response(), 404, "NotFound", "the server could not find the "
        + "requested resource"));
    r.route().failureHandler(ctx -> {
      LOG.warn("[agent-server] {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      if (!ctx.response().headWritten()) {
        status(ctx.response(), 500, "InternalError", String.valueOf(ctx.failure()));
      }
    });
    return r;
  }

  /** A verified client certificate from the cluster CA, else 401. */
  private void authenticate(RoutingContext ctx) {
    try {
      if (ctx.request().connection().isSsl() && !ctx.request().connection().peerCertificates().isEmpty()) {
        ctx.next();
        return;
      }
    } catch (SSLPeerUnverifiedException e) {
      // no client certificate
    }
    status(ctx.response(), 401, "Unauthorized", "Unauthorized");
  }

  private void containerLogs(RoutingContext ctx) {
    String ns = ctx.pathParam("namespace");
    String pod = ctx.pathParam("pod");
    String container = ctx.pathParam("container");
    LogOptions options;
    try {
      options = LogOptions.parse(ctx.request()::getParam);
    } catch (IllegalArgumentException e) {
      status(ctx.response(), 400, "BadRequest", e.getMessage());
      return;
    }
    Optional<PodDirectory.Target> target = pods.find(ns, pod);
    if (target.isEmpty() || !target.get().containers().contains(container)) {
      status(ctx.response(), 404, "NotFound", target.isEmpty() ? "pod \"" + pod + "\" not found on this node"
          : "container \"" + container + "\" in pod \"" + pod + "\" not found");
      return;
    }
    HttpServerResponse response = ctx.response();
    AtomicBoolean gone = new AtomicBoolean(); // set on the event loop, read by the reader's thread
    response.closeHandler(v -> gone.set(true));
    threads.execute(() -> {
      Optional<LogFile> file = target.get().runtime().logFile(target.get().uid(), container, options.previous());
      if (file.isEmpty()) {
        Optional<String> text = target.get().runtime().logs(target.get().uid(), container, options.previous());
        if (text.isPresent()) {
          response.putHeader("Content-Type", "text/plain").end(text.get()); // a runtime without log files
        } else {
          status(response, 400, "BadRequest", options.previous()
              ? "previous terminated container \"" + container + "\" in pod \"" + pod + "\" not found"
              : "container \"" + container + "\" in pod \"" + pod + "\" is not available");
        }
        return;
      }
      response.setChunked(true).putHeader("Content-Type", "text/plain");
      try {
        logs.copy(file.get(), options, new ContainerLogReader.Sink() {
          @Override
          public boolean write(byte[] bytes) {
            if (gone.get()) {
              return false;
            }
            try {
              response.write(Buffer.buffer(bytes)).toCompletionStage().toCompletableFuture()
                  .get(60, TimeUnit.SECONDS);
              return true;
            } catch (Exception e) {
              return false;
            }
          }

          @Override
          public boolean open() {
            return !gone.get();
          }
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("[agent-server] reading the log of {}/{}/{} failed", ns, pod, container, e);
      }
      if (!gone.get()) {
        response.end();
      }
    });
  }

  private void exec(RoutingContext ctx) {
    String ns = ctx.pathParam("namespace");
    String pod = ctx.pathParam("pod");
    String container = ctx.pathParam("container");
    List<String> command = ctx.request().params().getAll("command");
    boolean stdin = flag(ctx, "stdin");
    boolean stdout = flag(ctx, "stdout");
    boolean stderr = flag(ctx, "stderr");
    boolean tty = flag(ctx, "tty");
    if (command.isEmpty()) {
      status(ctx.response(), 400, "BadRequest", "you must specify at least 1 command");
      return;
    }
    if (!stdin && !stdout && !stderr) {
      status(ctx.response(), 400, "BadRequest", "you must specify at least 1 of stdin, stdout, stderr");
      return;
    }
    Optional<PodDirectory.Target> target = pods.find(ns, pod);
    if (target.isEmpty() || !target.get().containers().contains(container)) {
      status(ctx.response(), 404, "NotFound", target.isEmpty() ? "pod \"" + pod + "\" not found on this node"
          : "container \"" + container + "\" in pod \"" + pod + "\" not found");
      return;
    }
    PodDirectory.Target t = target.get();
    boolean running = t.runtime().containers(t.uid()).stream()
        .anyMatch(i -> i.name().equals(container) && i.state() == ContainerInstance.State.RUNNING);
    if (!running) {
      status(ctx.response(), 400, "BadRequest", "container \"" + container + "\" in pod \"" + pod
          + "\" is not running");
      return;
    }
    if (!ctx.request().canUpgradeToWebSocket()) {
      status(ctx.response(), 400, "BadRequest", "exec needs a WebSocket upgrade with one of the protocols "
          + ExecProtocol.PROTOCOLS);
      return;
    }
    ctx.request().toWebSocket().onFailure(ctx::fail).onSuccess(ws -> {
      if (ws.subProtocol() == null || !ExecProtocol.PROTOCOLS.contains(ws.subProtocol())) {
        ws.writeBinaryMessage(Buffer.buffer(ExecProtocol.failure("none of the requested protocols is supported: "
            + ExecProtocol.PROTOCOLS))).onComplete(x -> ws.close());
        return;
      }
      ws.pause();
      threads.execute(() -> {
        Process p;
        try {
          p = t.runtime().startExec(t.uid(), container, command, tty);
        } catch (Exception e) {
          ws.writeBinaryMessage(Buffer.buffer(ExecProtocol.failure("cannot exec in container \"" + container
              + "\": " + e.getMessage()))).onComplete(x -> ws.close());
          return;
        }
        LOG.info("[agent-server] exec in {}/{}/{}: {} (pid {}, tty {}, {})", ns, pod, container, command, p.pid(), tty,
            ws.subProtocol());
        ExecSession.Resizer resizer = tty ? (w, h) -> t.runtime().resizeTerminal(p, w, h) : null;
        new ExecSession(ws, p, command, threads, resizer).start(stdin, stdout, stderr && !tty);
        ws.resume();
      });
    });
  }

  private static boolean flag(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v != null && (v.equals("true") || v.equals("1"));
  }

  static void status(HttpServerResponse response, int code, String reason, String message) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", message);
    s.put("reason", reason);
    s.put("code", code);
    response.setStatusCode(code).putHeader("Content-Type", "application/json").end(s.toString());
  }

  @Override
  public void close() {
    threads.shutdownNow();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("closing the agent server's Vert.x", e);
    }
  }
}
