package io.kafkube.api.audit;

import io.kafkube.api.auth.Authenticator;
import io.kafkube.api.authz.Attributes;
import io.kafkube.schemas.envelope.User;
import io.kafkube.api.http.RequestInfo;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Early in the router: gives every request an audit ID (the client's {@code Audit-ID} header, or a new
 * UUID; returned in the {@code Audit-Id} response header as kube-apiserver does) and, once the
 * response is sent, queues its {@link RequestRecord} on the {@link AuditSink}. Only cheap work here:
 * the event is built and written on the sink's thread.
 */
public final class AuditHandler implements Handler<RoutingContext> {
  /** The routing context key under which a create puts the name of the object (known once decoded). */
  public static final String CREATED_NAME = "kafkube.audit.created-name";
  /** Set on requests whose response body may be recorded (the policy has a RequestResponse rule). */
  private static final String CAPTURE = "kafkube.audit.capture";
  private static final String RESPONSE = "kafkube.audit.response";
  private static final String REQUEST_INFO = "kafkube.request";
  private final AuditSink sink;
  private final AuditPolicy policy;

  public AuditHandler(AuditSink sink) {
    this(sink, AuditPolicy.METADATA_FOR_ALL);
  }

  public AuditHandler(AuditSink sink, AuditPolicy policy) {
    this.sink = sink;
    this.policy = policy;
  }

  /**
   * Keeps the body of a response for the audit event, when the policy may want it (RequestResponse);
   * otherwise nothing. Called by whatever writes a complete JSON response.
   */
  public static void response(RoutingContext ctx, Buffer body) {
    if (ctx.get(CAPTURE) != null) {
      ctx.put(RESPONSE, body);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Instant received = Instant.now();
    String given = req.getHeader("Audit-ID");
    String auditId = given != null && !given.isBlank() && given.length() <= 128 ? given : UUID.randomUUID().toString();
    ctx.response().putHeader("Audit-Id", auditId);
    if (policy.mayRecordResponses()) {
      ctx.put(CAPTURE, Boolean.TRUE);
    }
    ctx.addEndHandler(v -> {
      User user = ctx.get(Authenticator.USER);
      String path = req.path();
      boolean watch = "true".equals(req.getParam("watch")) || "1".equals(req.getParam("watch"))
          || "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
      Attributes a = Attributes.of(user, req.method().name(), path, watch);
      List<String> ips = new ArrayList<>();
      String forwarded = req.getHeader("X-Forwarded-For");
      if (forwarded != null) {
        for (String ip : forwarded.split(",")) {
          if (!ip.isBlank()) {
            ips.add(ip.trim());
          }
        }
      }
      if (req.remoteAddress() != null) {
        ips.add(req.remoteAddress().host());
      }
      String apiVersion = "";
      if (a.resourceRequest()) {
        String[] parts = path.split("/");
        apiVersion = path.startsWith("/api/") && parts.length > 2 ? parts[2] : parts.length > 3 ? parts[3] : "";
      }
      AuditPolicy.Decision decision = policy.decide(a);
      AuditPolicy.Level level = decision.records(AuditPolicy.Stage.ResponseComplete) ? decision.level()
          : AuditPolicy.Level.None;
      RequestRecord r = new RequestRecord(auditId, user == null ? null : user.username(),
          user == null ? List.of() : user.groups(), a.verb(), req.uri(), a.apiGroup(), apiVersion, a.resource(),
          a.subresource(), a.namespace(), a.name(), ctx.response().getStatusCode(), received, Instant.now(), ips,
          req.getHeader("User-Agent"), level, level.atLeast(AuditPolicy.Level.Request) ? bodies(ctx, level) : null);
      String created = ctx.get(CREATED_NAME);
      sink.offer(created != null && a.name().isEmpty() ? r.withName(created) : r);
    });
    ctx.next();
  }

  private static RequestRecord.Bodies bodies(RoutingContext ctx, AuditPolicy.Level level) {
    Buffer request = ctx.body() == null ? null : ctx.body().buffer();
    Buffer response = level.atLeast(AuditPolicy.Level.RequestResponse) ? ctx.get(RESPONSE) : null;
    RequestInfo ri = ctx.get(REQUEST_INFO);
    return new RequestRecord.Bodies(request == null ? null : request.getBytes(), ctx.request().getHeader("Content-Type"),
        ri == null ? null : ri.type(), response == null ? null : response.getBytes());
  }
}
