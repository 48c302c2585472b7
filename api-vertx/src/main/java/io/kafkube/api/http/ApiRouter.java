package io.kafkube.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.watch.WatchSink;
import io.kafkube.api.ApiException;
import io.kafkube.api.audit.AuditEndpoint;
import io.kafkube.api.audit.AuditHandler;
import io.kafkube.api.auth.Authenticator;
import io.kafkube.api.discovery.Discovery;
import io.kafkube.api.openapi.OpenApiV3;
import io.kafkube.api.proxy.PodProxy;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.topic.TopicCatalog;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.kafkube.api.ops.ApiMetrics;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every route of the API server, wired in one place: unauthenticated {@code /version} and health
 * checks, then authentication and authorization of every other request, discovery, OpenAPI, the
 * access reviews and the resource paths, whose verbs map to one {@link ResourceHandlers} (or
 * {@link TokenRequests}) method each. Failures go to the one {@link ErrorHandler}.
 */
public final class ApiRouter {
  private static final String RESOURCE_PATHS = "/api/v1/.+|/apis/[^/]+/[^/]+/.+";

  private final StateView view;
  private final Discovery discovery;
  private final OpenApiV3 openApi;
  private final Map<Verb, Handler<RoutingContext>> verbs = new EnumMap<>(Verb.class);

  private ApiRouter(StateView view, Discovery discovery, OpenApiV3 openApi, ResourceHandlers h, TokenRequests tokens,
      PodProxy proxy) {
    this.view = view;
    this.discovery = discovery;
    this.openApi = openApi;
    verbs.put(Verb.GET, h::get);
    verbs.put(Verb.LIST, h::list);
    verbs.put(Verb.WATCH, h::watch);
    verbs.put(Verb.CREATE, h::create);
    verbs.put(Verb.UPDATE, h::update);
    verbs.put(Verb.PATCH, h::patch);
    verbs.put(Verb.DELETE, h::delete);
    verbs.put(Verb.DELETE_COLLECTION, h::deleteCollection);
    verbs.put(Verb.GET_SCALE, h::getScale);
    verbs.put(Verb.UPDATE_SCALE, h::updateScale);
    verbs.put(Verb.PATCH_SCALE, h::patchScale);
    verbs.put(Verb.CREATE_BINDING, h::createBinding);
    verbs.put(Verb.CREATE_TOKEN, tokens::create);
    verbs.put(Verb.GET_LOG, ctx -> proxy.logs(ctx, ResourceHandlers.info(ctx).namespace(), ResourceHandlers.info(ctx).name()));
    verbs.put(Verb.EXEC, ctx -> proxy.exec(ctx, ResourceHandlers.info(ctx).namespace(), ResourceHandlers.info(ctx).name()));
  }

  /** The request handlers of one API server, besides discovery and OpenAPI. */
  public record Handlers(ResourceHandlers resources, TokenRequests tokens, ReviewHandlers reviews, PodProxy proxy,
      AuditEndpoint auditEvents) {}

  /** The router of one API server. */
  public static Router create(Vertx vertx, StateView view, Discovery discovery, OpenApiV3 openApi,
      Handlers handlers, Authenticator authenticator, AuthorizationHandler authorization, ApiMetrics metrics,
      AuditHandler audit) {
    ApiRouter r = new ApiRouter(view, discovery, openApi, handlers.resources(), handlers.tokens(), handlers.proxy());
    Router router = Router.router(vertx);
    router.route().handler(audit);
    router.route().handler(metrics::measure);
    // A WebSocket watch has no body to read, and stays unread until the watch upgrades it, whatever
    // authentication waits for.
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(TopicCatalog.MAX_OBJECT_BYTES);
    router.route().handler(ctx -> {
      if (WatchSink.isUpgrade(ctx.request())) {
        ctx.request().pause();
        ctx.next();
      } else {
        bodies.handle(ctx);
      }
    });
    router.get("/version").handler(r::version);
    router.get("/version/").handler(r::version);
    router.get("/healthz").handler(r::live);
    router.get("/livez").handler(r::live);
    router.get("/readyz").handler(r::ready);
    router.route().handler(authenticator);
    router.route().handler(audit::authenticated); // the RequestReceived stage: the user is known
    router.route().handler(authorization);
    router.get("/metrics").handler(metrics::scrape);
    router.get("/api").handler(r::coreGroup);
    router.get("/api/").handler(r::coreGroup);
    router.get("/apis").handler(r::groups);
    router.get("/apis/").handler(r::groups);
    router.get("/api/v1").handler(r::coreResources);
    router.get("/apis/:group").handler(r::group);
    router.get("/apis/:group/:version").handler(r::groupResources);
    router.get("/openapi/v3").handler(r::openApiRoot);
    router.getWithRegex("/openapi/v3/(?<doc>.+)").handler(r::openApiDocument);
    router.post(ReviewHandlers.SELF_REVIEWS).handler(handlers.reviews()::selfReview);
    router.post(ReviewHandlers.ACCESS_REVIEWS).handler(handlers.reviews()::accessReview);
    router.post(ReviewHandlers.RULES_REVIEWS).handler(handlers.reviews()::rulesReview);
    router.get(AuditEndpoint.PATH).handler(handlers.auditEvents()::list);
    router.routeWithRegex(RESOURCE_PATHS).handler(r::resource);
    router.route().last().handler(ctx -> ctx.fail(ApiException.of(404, "NotFound",
        "the server could not find the requested resource")));
    router.route().failureHandler(new ErrorHandler());
    return router;
  }

  private void version(RoutingContext ctx) {
    ObjectNode v = Json.MAPPER.createObjectNode();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", "v1.32.0-kafkube");
    v.put("gitCommit", "kafkube");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2025-01-01T00:00:00Z");
    v.put("goVersion", "java" + Runtime.version().feature());
    v.put("compiler", "javac");
    v.put("platform", System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
    json(ctx, v);
  }

  private void live(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end("ok");
  }

  private void ready(RoutingContext ctx) {
    boolean ok = view.isReady();
    ctx.response().setStatusCode(ok ? 200 : 500).putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(ok ? "ok" : "[-]view failed: not ready");
  }

  private void coreGroup(RoutingContext ctx) {
    if (wantsAggregated(ctx)) {
      aggregated(ctx, discovery.aggregated(true));
    } else {
      json(ctx, discovery.apiVersions(ctx.request().localAddress().host() + ":"
          + ctx.request().localAddress().port()));
    }
  }

  private void groups(RoutingContext ctx) {
    if (wantsAggregated(ctx)) {
      aggregated(ctx, discovery.aggregated(false));
    } else {
      json(ctx, discovery.apiGroupList());
    }
  }

  private void coreResources(RoutingContext ctx) {
    json(ctx, discovery.apiResourceList(""));
  }

  private void group(RoutingContext ctx) {
    String g = ctx.pathParam("group");
    if (!discovery.servesGroup(g)) {
      ctx.next();
      return;
    }
    json(ctx, discovery.apiGroup(g));
  }

  private void groupResources(RoutingContext ctx) {
    String g = ctx.pathParam("group");
    if (!discovery.serves(g, ctx.pathParam("version")) || g.isEmpty()) {
      ctx.next();
      return;
    }
    json(ctx, discovery.apiResourceList(g));
  }

  private void openApiRoot(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", Json.CONTENT_TYPE).end(Buffer.buffer(openApi.root()));
  }

  private void openApiDocument(RoutingContext ctx) {
    var doc = openApi.document(ctx.pathParam("doc"));
    if (doc.isEmpty()) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Content-Type", Json.CONTENT_TYPE)
        .putHeader("Cache-Control", "public, immutable")
        .putHeader("Etag", "\"" + doc.get().hash() + "\"")
        .end(Buffer.buffer(doc.get().json()));
  }

  private void resource(RoutingContext ctx) {
    RequestInfo ri = RequestInfo.parse(ctx.request().path(), view.registry());
    ctx.put(ResourceHandlers.INFO, ri);
    Verb verb = Verb.of(ctx.request().method(), ri, Params.bool(ctx, "watch"));
    verbs.get(verb).handle(ctx);
  }

  private static boolean wantsAggregated(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    if (accept == null) {
      return false;
    }
    for (String part : accept.split(",")) {
      String p = part.replace(" ", "");
      if (p.contains("as=APIGroupDiscoveryList") && p.contains("g=apidiscovery.k8s.io") && p.contains("v=v2")
          && !p.contains("v=v2beta1")) {
        return true;
      }
    }
    return false;
  }

  private static void aggregated(RoutingContext ctx, ObjectNode body) {
    ctx.response().putHeader("Content-Type", Discovery.AGGREGATED_CONTENT_TYPE).putHeader("Vary", "Accept")
        .end(Json.buffer(body));
  }

  private static void json(RoutingContext ctx, ObjectNode body) {
    ctx.response().putHeader("Content-Type", Json.CONTENT_TYPE).end(Json.buffer(body));
  }
}
