package io.kafkube.api.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.ApiException;
import io.kafkube.api.audit.AuditHandler;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Statuses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pods/log} and {@code pods/exec}: the API server finds the pod, its container and its node,
 * and relays the request to the node agent's server (kubelet's {@code /containerLogs} and {@code /exec})
 * over TLS with its kubelet-client certificate, verifying the agent's certificate against the cluster CA.
 * Logs stream through as the agent writes them (chunked for {@code follow}); exec is a WebSocket relayed
 * message by message with the subprotocol both ends agreed on.
 */
public final class PodProxy {
  private static final Logger LOG = LoggerFactory.getLogger(PodProxy.class);
  /** The exec subprotocols relayed, preferred first (what node agents serve). */
  public static final List<String> EXEC_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
  private static final List<String> LOG_PARAMS = List.of("follow", "previous", "tailLines", "sinceSeconds",
      "sinceTime", "timestamps", "limitBytes", "insecureSkipTLSVerifyBackend");

  private final StateView view;
  private final ResourceType pods;
  private final ResourceType nodes;
  private final HttpClient http;
  private final WebSocketClient ws;

  /**
   * @param caCert     the cluster CA, which signs the agents' serving certificates
   * @param clientCert the API server's client certificate for agents, and its key
   */
  public PodProxy(Vertx vertx, StateView view, Path caCert, Path clientCert, Path clientKey) {
    this.view = view;
    ResourceRegistry registry = view.registry();
    this.pods = registry.byGroupResource("pods").orElseThrow();
    this.nodes = registry.byGroupResource("nodes").orElseThrow();
    PemKeyCertOptions key = new PemKeyCertOptions().setCertPath(clientCert.toString()).setKeyPath(clientKey.toString());
    PemTrustOptions trust = new PemTrustOptions().addCertPath(caCert.toString());
    this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setKeyCertOptions(key)
        .setTrustOptions(trust).setVerifyHost(true));
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setKeyCertOptions(key)
        .setTrustOptions(trust).setVerifyHost(true).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
  }

  /** {@code GET .../pods/<name>/log}: the container's log from its node agent. */
  public void logs(RoutingContext ctx, String namespace, String name) {
    boolean previous = "true".equals(ctx.request().getParam("previous"));
    Future.fromCompletionStage(view.sync(), ctx.vertx().getOrCreateContext()).map(v -> {
      JsonNode pod = pod(namespace, name);
      String container = PodTarget.container(pod, ctx.request().getParam("container"));
      PodTarget.checkLogs(pod, container, previous);
      return PodTarget.of(pod, node(pod), container);
    }).compose(t -> {
      StringBuilder uri = new StringBuilder("/containerLogs/").append(enc(namespace)).append('/').append(enc(name))
          .append('/').append(enc(t.container()));
      String sep = "?";
      for (String p : LOG_PARAMS) {
        String v = ctx.request().getParam(p);
        if (v != null) {
          uri.append(sep).append(p).append('=').append(enc(v));
          sep = "&";
        }
      }
      return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(t.host()).setPort(t.port())
          .setURI(uri.toString())).compose(req -> req.send());
    }).onSuccess(resp -> {
      var out = ctx.response().setStatusCode(resp.statusCode());
      String type = resp.getHeader("Content-Type");
      out.putHeader("Content-Type", type == null ? "text/plain" : type);
      out.setChunked(true);
      out.closeHandler(v -> resp.request().reset()); // the client left: so does the agent's reader
      resp.pipeTo(out);
    }).onFailure(e -> fail(ctx, e));
  }

  /** {@code GET|POST .../pods/<name>/exec} with a WebSocket upgrade: relayed to the node agent's exec. */
  public void exec(RoutingContext ctx, String namespace, String name) {
    HttpServerRequest req = ctx.request();
    List<String> commands = req.params().getAll("command");
    Future.fromCompletionStage(view.sync(), ctx.vertx().getOrCreateContext()).map(v -> {
      JsonNode pod = pod(namespace, name);
      String container = PodTarget.container(pod, req.getParam("container"));
      if (commands.isEmpty()) {
        throw ApiException.badRequest("you must specify at least 1 command");
      }
      if (pod.path("spec").path("nodeName").asText().isEmpty()) {
        throw ApiException.badRequest("pod " + name + " does not have a host assigned");
      }
      PodTarget.checkRunning(pod, container);
      PodTarget t = PodTarget.of(pod, node(pod), container);
      if (!"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
        throw ApiException.badRequest("exec is served over WebSocket only (" + String.join(", ", EXEC_PROTOCOLS)
            + "); upgrade to one of them");
      }
      return t;
    }).compose(t -> {
      String protocol = protocol(req.getHeader("Sec-WebSocket-Protocol"));
      if (protocol == null) {
        throw ApiException.badRequest("none of the requested WebSocket protocols is served: use one of "
            + EXEC_PROTOCOLS);
      }
      StringBuilder uri = new StringBuilder("/exec/").append(enc(namespace)).append('/').append(enc(name))
          .append('/').append(enc(t.container())).append('?');
      for (String c : commands) {
        uri.append("command=").append(enc(c)).append('&');
      }
      for (String p : List.of("stdin", "stdout", "stderr", "tty")) {
        String v = req.getParam(p);
        uri.append(p).append('=').append(v == null ? "false" : enc(v)).append('&');
      }
      uri.setLength(uri.length() - 1);
      return ws.connect(new WebSocketConnectOptions().setHost(t.host()).setPort(t.port()).setSsl(true)
          .setURI(uri.toString()).setSubProtocols(List.of(protocol)));
    }).onSuccess(agent -> {
      agent.pause();
      req.toWebSocket().onFailure(e -> {
        agent.close();
        fail(ctx, e);
      }).onSuccess(client -> {
        relay(client, agent, AuditHandler.upgraded(ctx));
        relay(agent, client, () -> {});
        agent.resume();
        LOG.info("[api] exec {}/{} {} relayed ({})", namespace, name, commands, client.subProtocol());
      });
    }).onFailure(e -> fail(ctx, e));
  }

  /**
   * Messages of {@code from} go to {@code to}, as they are; either end closing closes the other.
   * {@code closed} runs when {@code from} closes.
   */
  private static void relay(WebSocketBase from, WebSocketBase to, Runnable closed) {
    from.binaryMessageHandler(b -> {
      if (!to.isClosed()) {
        to.writeBinaryMessage(b);
      }
    });
    from.textMessageHandler(s -> {
      if (!to.isClosed()) {
        to.writeTextMessage(s);
      }
    });
    from.closeHandler(v -> {
      if (!to.isClosed()) {
        Short code = from.closeStatusCode();
        to.close(code == null || code == 1005 || code == 1006 ? (short) 1000 : code);
      }
      closed.run();
    });
  }

  /** The first of the client's protocols that is served (what the WebSocket handshake will agree on). */
  static String protocol(String header) {
    if (header == null) {
      return null;
    }
    for (String p : header.split(",")) {
      String s = p.trim().toLowerCase(Locale.ROOT);
      if (EXEC_PROTOCOLS.contains(s)) {
        return s;
      }
    }
    return null;
  }

  private JsonNode pod(String namespace, String name) {
    GenericRecord r = view.get(pods.key(namespace, name));
    if (r == null) {
      throw new ApiException(Statuses.notFound(pods, name));
    }
    return KubeJson.toJson(r);
  }

  private JsonNode node(JsonNode pod) {
    String nodeName = pod.path("spec").path("nodeName").asText();
    GenericRecord n = nodeName.isEmpty() ? null : view.get(nodes.key(null, nodeName));
    if (n == null) {
      throw ApiException.of(503, "ServiceUnavailable", "node \"" + nodeName + "\" of pod "
          + pod.path("metadata").path("name").asText() + " is not registered");
    }
    return KubeJson.toJson(n);
  }

  /** An agent's refusal (its Status) is the answer as it is; anything else goes to the router's error handler. */
  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof UpgradeRejectedException u && !ctx.response().headWritten()) {
      ctx.response().setStatusCode(u.getStatus()).putHeader("Content-Type", "application/json")
          .end(u.getBody() == null ? io.vertx.core.buffer.Buffer.buffer() : u.getBody());
      return;
    }
    if (e instanceof ApiException) {
      ctx.fail(e);
      return;
    }
    LOG.warn("[api] relaying {} to the node agent failed: {}", ctx.request().path(), e.toString());
    ctx.fail(ApiException.of(502, "BadGateway", "cannot reach the node agent: " + e.getMessage()));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
