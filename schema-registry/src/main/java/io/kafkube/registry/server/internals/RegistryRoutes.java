package io.kafkube.registry.server.internals;

import io.kafkube.registry.client.CompatibilityLevel;
import io.kafkube.registry.client.SchemaRegistryException;
import io.kafkube.registry.internals.Errors;
import io.kafkube.registry.internals.RegistryOps;
import io.kafkube.registry.internals.RegistryOps.Plan;
import io.kafkube.registry.internals.RegistryState;
import io.kafkube.registry.internals.RegistryState.Entry;
import io.kafkube.registry.internals.Schemas;
import io.kafkube.registry.server.internals.KafkaRegistryLog.WriteResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST API over a {@link KafkaRegistryLog}. Reads answer from the
 * local view on the event loop (in-memory, no I/O). Writes go to the log's writer thread when this
 * instance is the elected writer; otherwise they are forwarded over HTTP to the writer announced in
 * the topic, retried while a writer is being elected (up to the forward timeout), and the answer is
 * relayed once the local view has caught up with the write (read-your-writes on every instance).
 * Every failure goes through {@link #failure} which renders Confluent's error JSON.
 */
public final class RegistryRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  /** Marks a request forwarded by another instance: the receiver never forwards it again. */
  public static final String FORWARDED_HEADER = "X-Kafkube-Registry-Forwarded";
  /** Offset of a write in the registry topic, so that the forwarding instance can wait for it. */
  public static final String OFFSET_HEADER = "X-Kafkube-Registry-Offset";

  private final Vertx vertx;
  private final KafkaRegistryLog log;
  private final RegistryState state;
  private final Duration forwardTimeout;
  private final HttpClient http;

  public RegistryRoutes(Vertx vertx, KafkaRegistryLog log, Duration forwardTimeout) {
    this.vertx = vertx;
    this.log = log;
    this.state = log.state();
    this.forwardTimeout = forwardTimeout;
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2000).setKeepAlive(true));
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create().setBodyLimit(16L * 1024 * 1024));
    r.get("/").handler(ctx -> json(ctx, new JsonObject()));
    r.get("/schemas/types").handler(ctx -> json(ctx, new JsonArray().add(Schemas.AVRO)));
    r.get("/schemas/ids/:id").handler(this::getSchemaById);
    r.get("/schemas/ids/:id/schema").handler(this::getRawSchemaById);
    r.get("/schemas/ids/:id/versions").handler(this::getVersionsOfId);
    r.get("/schemas/ids/:id/subjects").handler(this::getSubjectsOfId);
    r.get("/subjects").handler(this::listSubjects);
    r.post("/subjects/:subject/versions").handler(this::register);
    r.get("/subjects/:subject/versions").handler(this::listVersions);
    r.get("/subjects/:subject/versions/:version").handler(this::getVersion);
    r.get("/subjects/:subject/versions/:version/schema").handler(this::getRawVersion);
    r.get("/subjects/:subject/versions/:version/referencedby").handler(this::referencedBy);
    r.delete("/subjects/:subject/versions/:version").handler(this::deleteVersion);
    r.post("/subjects/:subject").handler(this::lookup);
    r.delete("/subjects/:subject").handler(this::deleteSubject);
    r.post("/compatibility/subjects/:subject/versions/:version").handler(this::testCompatibility);
    r.post("/compatibility/subjects/:subject/versions").handler(this::testCompatibility);
    r.get("/config").handler(this::getGlobalConfig);
    r.put("/config").handler(this::putGlobalConfig);
    r.delete("/config").handler(this::deleteGlobalConfig);
    r.get("/config/:subject").handler(this::getSubjectConfig);
    r.put("/config/:subject").handler(this::putSubjectConfig);
    r.delete("/config/:subject").handler(this::deleteSubjectConfig);
    r.get("/mode").handler(this::getMode);
    r.get("/mode/:subject").handler(this::getMode);
    r.put("/mode").handler(this::putMode);
    r.put("/mode/:subject").handler(this::putMode);
    r.route().failureHandler(this::failure);
    r.errorHandler(404, ctx -> error(ctx, 404, 404, "HTTP 404 Not Found"));
    r.errorHandler(405, ctx -> error(ctx, 405, 405, "HTTP 405 Method Not Allowed"));
    return r;
  }

  public Future<Void> close() {
    return http.close();
  }

  // ---------------------------------------------------------------- schemas

  private void getSchemaById(RoutingContext ctx) {
    RegistryState.StoredSchema s = RegistryOps.byId(state, idParam(ctx));
    json(ctx, new JsonObject().put("schema", s.canonical()));
  }

  private void getRawSchemaById(RoutingContext ctx) {
    raw(ctx, RegistryOps.byId(state, idParam(ctx)).canonical());
  }

  private void getVersionsOfId(RoutingContext ctx) {
    int id = idParam(ctx);
    RegistryOps.byId(state, id);
    JsonArray out = new JsonArray();
    for (Entry e : state.usagesOf(id, flag(ctx, "deleted"))) {
      out.add(new JsonObject().put("subject", e.subject()).put("version", e.version()));
    }
    json(ctx, out);
  }

  private void getSubjectsOfId(RoutingContext ctx) {
    int id = idParam(ctx);
    RegistryOps.byId(state, id);
    JsonArray out = new JsonArray();
    state.usagesOf(id, flag(ctx, "deleted")).stream().map(Entry::subject).distinct().forEach(out::add);
    json(ctx, out);
  }

  // ---------------------------------------------------------------- subjects

  private void listSubjects(RoutingContext ctx) {
    String prefix = ctx.request().getParam("subjectPrefix");
    JsonArray out = new JsonArray();
    state.subjects(flag(ctx, "deleted")).stream()
        .filter(s -> prefix == null || s.startsWith(prefix)).forEach(out::add);
    json(ctx, out);
  }

  private void listVersions(RoutingContext ctx) {
    json(ctx, new JsonArray(RegistryOps.versionNumbers(state, subject(ctx), flag(ctx, "deleted"))));
  }

  private void getVersion(RoutingContext ctx) {
    Entry e = RegistryOps.version(state, subject(ctx), versionParam(ctx), flag(ctx, "deleted"));
    json(ctx, versionJson(e));
  }

  private void getRawVersion(RoutingContext ctx) {
    raw(ctx, RegistryOps.version(state, subject(ctx), versionParam(ctx), flag(ctx, "deleted")).canonical());
  }

  private void referencedBy(RoutingContext ctx) {
    RegistryOps.version(state, subject(ctx), versionParam(ctx), false);
    json(ctx, new JsonArray());
  }

  private void lookup(RoutingContext ctx) {
    Schema schema = schemaBody(ctx);
    Entry e = RegistryOps.lookup(state, subject(ctx), schema, flag(ctx, "deleted"));
    json(ctx, versionJson(e));
  }

  private void register(RoutingContext ctx) {
    String subject = subject(ctx);
    Schema schema = schemaBody(ctx);
    write(ctx, s -> RegistryOps.register(s, subject, schema), id -> new JsonObject().put("id", id));
  }

  private void deleteSubject(RoutingContext ctx) {
    String subject = subject(ctx);
    boolean permanent = flag(ctx, "permanent");
    write(ctx, s -> RegistryOps.deleteSubject(s, subject, permanent), JsonArray::new);
  }

  private void deleteVersion(RoutingContext ctx) {
    String subject = subject(ctx);
    int version = versionParam(ctx);
    boolean permanent = flag(ctx, "permanent");
    write(ctx, s -> RegistryOps.deleteVersion(s, subject, version, permanent), v -> v);
  }

  private void testCompatibility(RoutingContext ctx) {
    String subject = subject(ctx);
    String versionSpec = ctx.pathParam("version");
    Integer version = versionSpec == null ? null : RegistryOps.parseVersion(versionSpec);
    Schema schema = schemaBody(ctx);
    List<String> problems = RegistryOps.compatibility(state, subject, version, schema);
    JsonObject out = new JsonObject().put("is_compatible", problems.isEmpty());
    if (flag(ctx, "verbose")) {
      out.put("messages", new JsonArray(problems));
    }
    json(ctx, out);
  }

  // ---------------------------------------------------------------- config and mode

  private void getGlobalConfig(RoutingContext ctx) {
    json(ctx, new JsonObject().put("compatibilityLevel", state.globalLevel().name()));
  }

  private void putGlobalConfig(RoutingContext ctx) {
    CompatibilityLevel level = levelBody(ctx);
    write(ctx, s -> RegistryOps.setConfig(s, null, level), l -> new JsonObject().put("compatibility", l.name()));
  }

  private void deleteGlobalConfig(RoutingContext ctx) {
    write(ctx, s -> new Plan<>(s.globalLevel(), List.of(new io.kafkube.registry.internals.RegistryRecord.Config(null, null))),
        l -> new JsonObject().put("compatibilityLevel", l.name()));
  }

  private void getSubjectConfig(RoutingContext ctx) {
    CompatibilityLevel level = RegistryOps.subjectConfig(state, subject(ctx), flag(ctx, "defaultToGlobal"));
    json(ctx, new JsonObject().put("compatibilityLevel", level.name()));
  }

  private void putSubjectConfig(RoutingContext ctx) {
    String subject = subject(ctx);
    CompatibilityLevel level = levelBody(ctx);
    write(ctx, s -> RegistryOps.setConfig(s, subject, level), l -> new JsonObject().put("compatibility", l.name()));
  }

  private void deleteSubjectConfig(RoutingContext ctx) {
    String subject = subject(ctx);
    write(ctx, s -> RegistryOps.deleteConfig(s, subject), l -> new JsonObject().put("compatibilityLevel", l.name()));
  }

  private void getMode(RoutingContext ctx) {
    json(ctx, new JsonObject().put("mode", "READWRITE"));
  }

  private void putMode(RoutingContext ctx) {
    String mode = body(ctx).getString("mode");
    if (!"READWRITE".equals(mode)) {
      throw Errors.invalidMode(mode);
    }
    json(ctx, new JsonObject().put("mode", mode));
  }

  // ---------------------------------------------------------------- writes and forwarding

  private <R> void write(RoutingContext ctx, Function<RegistryState, Plan<R>> planner, Function<R, Object> render) {
    attempt(ctx, planner, render, System.nanoTime() + forwardTimeout.toNanos());
  }

  private <R> void attempt(RoutingContext ctx, Function<RegistryState, Plan<R>> planner, Function<R, Object> render,
      long deadline) {
    boolean forwarded = ctx.request().getHeader(FORWARDED_HEADER) != null;
    if (log.isLeader()) {
      Future.fromCompletionStage(log.write(planner), vertx.getOrCreateContext())
          .onSuccess(r -> respondWritten(ctx, r, render))
          .onFailure(err -> {
            if (isUnknownLeader(err) && !forwarded && System.nanoTime() < deadline) {
              retry(ctx, planner, render, deadline);
            } else {
              ctx.fail(err);
            }
          });
      return;
    }
    if (forwarded) {
      ctx.fail(Errors.unknownLeader("This instance is not the schema registry writer"));
      return;
    }
    String leader = log.leaderUrl().orElse(null);
    if (leader == null) {
      if (System.nanoTime() < deadline) {
        retry(ctx, planner, render, deadline);
      } else {
        ctx.fail(Errors.unknownLeader("No schema registry writer is elected"));
      }
      return;
    }
    forward(ctx, leader).onComplete(ar -> {
      if (ar.succeeded() && !isUnknownLeader(ar.result())) {
        relay(ctx, ar.result());
      } else if (System.nanoTime() < deadline) {
        retry(ctx, planner, render, deadline);
      } else if (ar.failed()) {
        ctx.fail(Errors.forwarding("Error while forwarding the request to the writer " + leader + ": "
            + ar.cause().getMessage(), ar.cause()));
      } else {
        relay(ctx, ar.result());
      }
    });
  }

  private <R> void retry(RoutingContext ctx, Function<RegistryState, Plan<R>> planner, Function<R, Object> render,
      long deadline) {
    vertx.setTimer(100, t -> attempt(ctx, planner, render, deadline));
  }

  private <R> void respondWritten(RoutingContext ctx, WriteResult<R> r, Function<R, Object> render) {
    ctx.response().putHeader(OFFSET_HEADER, Long.toString(r.offset()));
    json(ctx, render.apply(r.result()));
  }

  private record Forwarded(int status, MultiMap headers, Buffer body) {}

  private Future<Forwarded> forward(RoutingContext ctx, String leaderUrl) {
    RequestOptions options = new RequestOptions().setMethod(ctx.request().method())
        .setAbsoluteURI(leaderUrl + ctx.request().uri()).setTimeout(forwardTimeout.toMillis())
        .putHeader(FORWARDED_HEADER, "1")
        .putHeader("Accept", CONTENT_TYPE)
        .putHeader("Content-Type", CONTENT_TYPE);
    Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    return http.request(options)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> new Forwarded(resp.statusCode(), resp.headers(), b)));
  }

  private static boolean isUnknownLeader(Forwarded f) {
    if (f.status() != 500) {
      return false;
    }
    try {
      return new JsonObject(f.body()).getInteger("error_code", 0) == SchemaRegistryException.UNKNOWN_LEADER;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean isUnknownLeader(Throwable t) {
    Throwable c = t;
    while (c != null) {
      if (c instanceof SchemaRegistryException e && e.errorCode() == SchemaRegistryException.UNKNOWN_LEADER) {
        return true;
      }
      c = c.getCause();
    }
    return false;
  }

  private void relay(RoutingContext ctx, Forwarded f) {
    String offset = f.headers().get(OFFSET_HEADER);
    Future<Void> caughtUp = Future.succeededFuture();
    if (offset != null && f.status() / 100 == 2) {
      caughtUp = Future.fromCompletionStage(log.awaitApplied(Long.parseLong(offset)), vertx.getOrCreateContext());
    }
    caughtUp.onComplete(ar -> {
      if (ctx.response().ended()) {
        return;
      }
      if (offset != null) {
        ctx.response().putHeader(OFFSET_HEADER, offset);
      }
      String type = f.headers().get("Content-Type");
      ctx.response().setStatusCode(f.status()).putHeader("Content-Type", type != null ? type : CONTENT_TYPE)
          .end(f.body());
    });
  }

  // ---------------------------------------------------------------- request parsing

  private static String subject(RoutingContext ctx) {
    return ctx.pathParam("subject");
  }

  private static int idParam(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    try {
      return Integer.parseInt(id);
    } catch (NumberFormatException e) {
      throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }
  }

  private static int versionParam(RoutingContext ctx) {
    return RegistryOps.parseVersion(ctx.pathParam("version"));
  }

  private static boolean flag(RoutingContext ctx, String name) {
    return "true".equalsIgnoreCase(ctx.request().getParam(name));
  }

  private static JsonObject body(RoutingContext ctx) {
    JsonObject json;
    try {
      json = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new SchemaRegistryException(400, 400, "Malformed JSON request body: " + e.getMessage());
    }
    if (json == null) {
      throw new SchemaRegistryException(400, 400, "Request body is required");
    }
    return json;
  }

  private static Schema schemaBody(RoutingContext ctx) {
    JsonObject body = body(ctx);
    JsonArray refs = body.getJsonArray("references");
    if (refs != null && !refs.isEmpty()) {
      throw Errors.invalidSchema("Schema references are not supported by this registry");
    }
    Object schema = body.getValue("schema");
    if (!(schema instanceof String s)) {
      throw Errors.invalidSchema("Empty schema: the request needs a \"schema\" string");
    }
    return Schemas.parse(s, body.getString("schemaType"));
  }

  private static CompatibilityLevel levelBody(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String name = body.getString("compatibility", body.getString("compatibilityLevel"));
    return CompatibilityLevel.parse(name).orElseThrow(() -> Errors.invalidCompatibilityLevel(name));
  }

  // ---------------------------------------------------------------- responses

  private static JsonObject versionJson(Entry e) {
    return new JsonObject().put("subject", e.subject()).put("version", e.version()).put("id", e.id())
        .put("schema", e.canonical());
  }

  private static void json(RoutingContext ctx, Object body) {
    String text = body instanceof JsonObject o ? o.encode()
        : body instanceof JsonArray a ? a.encode() : String.valueOf(body);
    ctx.response().setStatusCode(200).putHeader("Content-Type", CONTENT_TYPE).end(text);
  }

  private static void raw(RoutingContext ctx, String schema) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", CONTENT_TYPE).end(schema);
  }

  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof SchemaRegistryException e) {
      if (e.httpStatus() >= 500) {
        LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().uri(), e.getMessage());
      }
      error(ctx, e.httpStatus(), e.errorCode(), e.getMessage());
    } else if (t == null) {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      error(ctx, status, status == 500 ? SchemaRegistryException.STORE_ERROR : status, "HTTP " + status);
    } else {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), t);
      error(ctx, 500, SchemaRegistryException.STORE_ERROR, "Internal error: " + t);
    }
  }

  private static void error(RoutingContext ctx, int status, int code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE)
        .end(new JsonObject().put("error_code", code).put("message", message).encode());
  }
}
