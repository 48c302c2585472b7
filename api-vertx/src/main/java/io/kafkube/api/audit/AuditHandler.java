package io.kafkube.api.audit;

import io.kafkube.api.ApiException;
import io.kafkube.api.auth.Authenticator;
import io.kafkube.api.authz.Attributes;
import io.kafkube.schemas.envelope.User;
import io.kafkube.api.http.RequestInfo;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The audit of every request, in kube-apiserver's stages. First in the router ({@link #handle}): gives
 * the request an audit ID (the client's {@code Audit-ID} header, or a new UUID; returned in the
 * {@code Audit-Id} response header as kube-apiserver does). Right after authentication
 * ({@link #authenticated}): decides the request's level and stages from the policy and queues its
 * {@code RequestReceived} event, before it is authorized or handled. For a long-running request
 * ({@link #longRunning}): {@code ResponseStarted} when the response headers are sent, or, for a
 * WebSocket, when the upgrade is ({@link #upgraded}, called by whoever upgrades). When the response
 * ends (a WebSocket: when it closes): {@code ResponseComplete}, or {@code Panic} when the handler threw
 * an unchecked exception other than an {@link ApiException} (Java's counterpart of a Go panic; the
 * client gets a 500). A request that ends before authentication ({@code /version}, health checks) has
 * its {@code RequestReceived} event, if its policy wants one, queued when it ends. A request whose
 * authentication fails (a 401: no token, or one that is not valid) is recorded as kube-apiserver's
 * failed-authentication audit records it: one event only, at {@code ResponseStarted}, with no user, the
 * 401 and a message naming the credentials tried ({@code Authentication failed, attempted: bearer}, or
 * {@code Authentication failed, no credentials provided}); its level is the policy's for the request
 * without a user, and its stage is dropped if the policy omits {@code ResponseStarted}.
 *
 * <p>Only cheap work here, on the event loop: one small state object per request, the policy decision,
 * and one queued {@link RequestRecord} per recorded stage; events are built (and bodies turned into
 * JSON, at Request level and above only) on the {@link AuditSink}'s thread.
 */
public final class AuditHandler implements Handler<RoutingContext> {
  /** The routing context key under which a create puts the name of the object (known once decoded). */
  public static final String CREATED_NAME = "kafkube.audit.created-name";
  /** Set on requests whose response body may be recorded (the policy has a RequestResponse rule). */
  private static final String CAPTURE = "kafkube.audit.capture";
  private static final String RESPONSE = "kafkube.audit.response";
  private static final String STATE = "kafkube.audit.state";
  private static final String REQUEST_INFO = "kafkube.request";
  /** kube's {@code BasicLongRunningRequestCheck} of kube-apiserver: these verbs and subresources. */
  private static final Set<String> LONG_RUNNING_VERBS = Set.of("watch", "proxy");
  private static final Set<String> LONG_RUNNING_SUBRESOURCES = Set.of("attach", "exec", "proxy", "log",
      "portforward");

  /** What is known of one request while it runs; touched on its event loop only. */
  private static final class InFlight {
    final AuditHandler owner;
    final String auditId;
    final Instant received;
    /** The request's attributes and the policy's decision, once the user is known. */
    Attributes attributes;
    AuditPolicy.Decision decision;
    RequestRecord base;
    boolean started;
    boolean upgraded;
    boolean ended;

    InFlight(AuditHandler owner, String auditId, Instant received) {
      this.owner = owner;
      this.auditId = auditId;
      this.received = received;
    }
  }

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

  /**
   * Whether kube-apiserver counts a request as long-running (its audit has a ResponseStarted stage):
   * watch and proxy, and the attach, exec, proxy, log and portforward subresources.
   */
  public static boolean longRunning(Attributes a) {
    return LONG_RUNNING_VERBS.contains(a.verb())
        || a.resourceRequest() && LONG_RUNNING_SUBRESOURCES.contains(a.subresource());
  }

  /**
   * Whether a request's failure is a panic: an unchecked exception the handler threw (or failed with)
   * that is not an API error ({@link ApiException}) nor an HTTP error of the router.
   */
  public static boolean panicked(Throwable failure) {
    return (failure instanceof RuntimeException || failure instanceof Error) && !(failure instanceof ApiException)
        && !(failure instanceof HttpException);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Instant received = Instant.now();
    String given = ctx.request().getHeader("Audit-ID");
    String auditId = given != null && !given.isBlank() && given.length() <= 128 ? given : UUID.randomUUID().toString();
    ctx.response().putHeader("Audit-Id", auditId);
    if (policy.mayRecordResponses()) {
      ctx.put(CAPTURE, Boolean.TRUE);
    }
    InFlight f = new InFlight(this, auditId, received);
    ctx.put(STATE, f);
    ctx.addEndHandler(v -> ended(ctx, f));
    ctx.next();
  }

  /**
   * Right after authentication: the request's level and stages, its RequestReceived event, and for a
   * long-running request the hook of its ResponseStarted event.
   */
  public void authenticated(RoutingContext ctx) {
    InFlight f = ctx.get(STATE);
    if (f != null && f.decision == null) {
      decide(ctx, f);
      if (f.decision.records(AuditPolicy.Stage.RequestReceived)) {
        sink.offer(f.base.at(AuditPolicy.Stage.RequestReceived, 0, Instant.now(), f.decision.level(), null, false,
            null));
      }
      if (longRunning(f.attributes) && f.decision.records(AuditPolicy.Stage.ResponseStarted)) {
        ctx.addHeadersEndHandler(v -> started(f, ctx.response().getStatusCode()));
      }
    }
    ctx.next();
  }

  /**
   * A long-running request upgraded to a WebSocket (a watch, exec): its ResponseStarted event now.
   * Returns what its owner must run when the socket closes (from the socket's close handler, which the
   * owner holds): the ResponseComplete event, since the router's end of the response never comes for
   * an upgraded request. Idempotent.
   */
  public static Runnable upgraded(RoutingContext ctx) {
    InFlight f = ctx.get(STATE);
    if (f == null || f.ended) {
      return () -> {};
    }
    f.upgraded = true;
    f.owner.started(f, 101);
    return () -> f.owner.ended(ctx, f);
  }

  private void started(InFlight f, int code) {
    if (f.started || f.decision == null || !f.decision.records(AuditPolicy.Stage.ResponseStarted)) {
      return;
    }
    f.started = true;
    sink.offer(f.base.at(AuditPolicy.Stage.ResponseStarted, code, Instant.now(), f.decision.level(), null, false,
        null));
  }

  private void ended(RoutingContext ctx, InFlight f) {
    if (f.ended) {
      return;
    }
    f.ended = true;
    Instant now = Instant.now();
    if (f.decision == null && ctx.get(Authenticator.FAILED) != null) {
      failedAuthentication(ctx, f, now);
      return;
    }
    if (f.decision == null) { // ended before authentication: its RequestReceived stage now, if wanted
      decide(ctx, f);
      if (f.decision.records(AuditPolicy.Stage.RequestReceived)) {
        sink.offer(f.base.at(AuditPolicy.Stage.RequestReceived, 0, f.received, f.decision.level(), null, false, null));
      }
    }
    Throwable failure = ctx.failure();
    boolean panic = ctx.failed() && panicked(failure);
    AuditPolicy.Stage stage = panic ? AuditPolicy.Stage.Panic : AuditPolicy.Stage.ResponseComplete;
    AuditPolicy.Decision d = f.decision;
    AuditPolicy.Level level = d.records(stage) ? d.level() : AuditPolicy.Level.None;
    int code = f.upgraded ? 101 : ctx.response().getStatusCode();
    RequestRecord r = f.base.at(stage, panic ? 500 : code, now, level,
        level.atLeast(AuditPolicy.Level.Request) ? bodies(ctx, level, panic) : null,
        d.omitManagedFields(), panic ? String.valueOf(failure) : null);
    String created = ctx.get(CREATED_NAME);
    sink.offer(created != null && r.name().isEmpty() ? r.withName(created) : r);
  }

  /**
   * A request whose authentication failed, recorded as kube's failed-authentication audit filter does:
   * its level decided by the policy for the request as it came (without a user, so rules that name users
   * or groups do not match it); one event, at ResponseStarted (the 401 being written; none if the policy
   * omits that stage), with an empty user and a {@code responseStatus} whose message names the
   * credentials that were tried; no RequestReceived nor ResponseComplete event, as kube never lets such
   * a request reach its audit filter. Its request log line is still written (a record at level None).
   */
  private void failedAuthentication(RoutingContext ctx, InFlight f, Instant now) {
    decide(ctx, f);
    int code = ctx.response().getStatusCode();
    AuditPolicy.Decision d = f.decision;
    if (d.records(AuditPolicy.Stage.ResponseStarted)) {
      sink.offer(f.base.at(AuditPolicy.Stage.ResponseStarted, code, now, d.level(), null, false,
          attemptedAuthentication(ctx)));
    }
    sink.offer(f.base.at(AuditPolicy.Stage.ResponseComplete, code, now, AuditPolicy.Level.None, null, false, null));
  }

  /**
   * The message of a failed authentication's audit event, as kube writes it: the kinds of credentials the
   * request carried ({@code basic}: an {@code Authorization: Basic} header with a user and password;
   * {@code bearer}: an {@code Authorization: Bearer} header with something after the scheme;
   * {@code access_token}: that query parameter; {@code x509}: a TLS client certificate), or that it
   * carried none.
   */
  static String attemptedAuthentication(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    List<String> methods = new ArrayList<>(4);
    String authorization = req.getHeader("Authorization");
    if (basicCredentials(authorization)) {
      methods.add("basic");
    }
    String[] parts = (authorization == null ? "" : authorization.strip()).split(" ", -1);
    if (parts.length > 1 && parts[0].equalsIgnoreCase("bearer")) {
      methods.add("bearer");
    }
    List<String> accessToken = ctx.queryParam("access_token");
    if (!accessToken.isEmpty() && !accessToken.get(0).strip().isEmpty()) {
      methods.add("access_token");
    }
    if (clientCertificate(req)) {
      methods.add("x509");
    }
    return methods.isEmpty() ? "Authentication failed, no credentials provided"
        : "Authentication failed, attempted: " + String.join(", ", methods);
  }

  /** Whether a header is {@code Basic} (any case) then the padded base64 of a {@code user:password}. */
  private static boolean basicCredentials(String authorization) {
    if (authorization == null || authorization.length() < 6 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String encoded = authorization.substring(6);
    if (encoded.length() % 4 != 0) {
      return false;
    }
    try {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).indexOf(':') >= 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean clientCertificate(HttpServerRequest req) {
    if (!req.isSSL()) {
      return false;
    }
    try {
      SSLSession session = req.sslSession();
      return session != null && session.getPeerCertificates().length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  /** The request's attributes, the policy's decision and the metadata its events share. */
  private void decide(RoutingContext ctx, InFlight f) {
    HttpServerRequest req = ctx.request();
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
    f.attributes = a;
    f.decision = policy.decide(a);
    f.base = new RequestRecord(f.auditId, user == null ? null : user.username(),
        user == null ? List.of() : user.groups(), a.verb(), req.uri(), a.apiGroup(), apiVersion, a.resource(),
        a.subresource(), a.namespace(), a.name(), 0, f.received, f.received, ips, req.getHeader("User-Agent"),
        f.decision.level(), null);
  }

  private static RequestRecord.Bodies bodies(RoutingContext ctx, AuditPolicy.Level level, boolean panic) {
    Buffer request = ctx.body() == null ? null : ctx.body().buffer();
    Buffer response = level.atLeast(AuditPolicy.Level.RequestResponse) && !panic ? ctx.get(RESPONSE) : null;
    RequestInfo ri = ctx.get(REQUEST_INFO);
    return new RequestRecord.Bodies(request == null ? null : request.getBytes(), ctx.request().getHeader("Content-Type"),
        ri == null ? null : ri.type(), response == null ? null : response.getBytes());
  }
}
