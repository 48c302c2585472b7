package io.kafkube.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.ApiException;
import io.kafkube.api.admission.Admission;
import io.kafkube.api.allocation.ServiceAllocator;
import io.kafkube.api.audit.AuditHandler;
import io.kafkube.api.history.TimeTravel;
import io.kafkube.api.discovery.Subresource;
import io.kafkube.api.patch.PatchException;
import io.kafkube.api.select.FieldSelector;
import io.kafkube.api.select.LabelSelector;
import io.kafkube.api.table.Tables;
import io.kafkube.api.view.KeyPage;
import io.kafkube.api.view.Position;
import io.kafkube.api.view.RenderedObjects;
import io.kafkube.api.view.ResourceExpiredException;
import io.kafkube.api.view.StateView;
import io.kafkube.api.watch.WatchFilter;
import io.kafkube.api.watch.WatchSession;
import io.kafkube.api.watch.WatchSink;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.status.Statuses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The handlers of resource requests, one method per verb (wired in {@link ApiRouter}). Reads come
 * from the {@link StateView} (after a consistent-read barrier unless {@code resourceVersion=0});
 * writes become Commands through {@link Writes}; patches are resolved here against the current
 * object and sent as UPDATE with its resourceVersion, retried from the fresh object on Conflict.
 * Nothing here blocks the event loop: waits are futures, large renders run on workers.
 */
public final class ResourceHandlers {
  static final String INFO = "kafkube.request";
  static final String USER = io.kafkube.api.auth.Authenticator.USER;
  private static final int PATCH_ATTEMPTS = 5;

  private final StateView view;
  private final Writes writes;
  private final Tables tables;
  private final ResourceType namespaces;
  private final Duration bookmarkInterval;
  private final Admission admission;
  private final TimeTravel timeTravel;
  private final Clock clock = Clock.systemUTC();
  private final ServerSideApply apply;

  public ResourceHandlers(StateView view, Writes writes, Tables tables, Duration bookmarkInterval,
      Admission admission, TimeTravel timeTravel) {
    this.view = view;
    this.writes = writes;
    this.admission = admission;
    this.timeTravel = timeTravel;
    this.tables = tables;
    this.namespaces = view.registry().byGroupResource("namespaces").orElseThrow();
    this.bookmarkInterval = bookmarkInterval;
    this.apply = new ServerSideApply(view, writes, this, clock);
  }

  /** The admission of writes (for server-side apply's creates and updates). */
  Admission admission() {
    return admission;
  }

  // ---------------------------------------------------------------- reads

  void get(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    boolean table = Params.wantsTable(ctx);
    Tables.Include include = Params.include(ctx);
    readPoint(ctx).map(v -> existing(ri))
        .map(obj -> table ? Json.buffer(tables.table(ri.type().kind(), List.of(Json.object(obj)), include, null, null,
            null)) : Buffer.buffer(RenderedObjects.json(obj)))
        .onSuccess(b -> respond(ctx, 200, b, List.of()))
        .onFailure(ctx::fail);
  }

  void list(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    WatchFilter filter = filter(ctx, ri);
    Long limit = Params.number(ctx, "limit");
    ContinueToken cont = ContinueToken.decode(Params.string(ctx, "continue"));
    boolean table = Params.wantsTable(ctx);
    Tables.Include include = Params.include(ctx);
    String atRv = Params.string(ctx, "resourceVersion");
    TimeTravel.Match match = TimeTravel.match(Params.string(ctx, "resourceVersionMatch"), atRv);
    if (match == TimeTravel.Match.EXACT || cont != null && cont.exact()) {
      listAt(ctx, ri, filter, limit, cont, table, include, atRv);
      return;
    }
    readPoint(ctx)
        .compose(v -> ctx.vertx().executeBlocking(() -> {
          if (match == TimeTravel.Match.NOT_OLDER_THAN && !"0".equals(atRv)) {
            TimeTravel.checkReached(atRv, view.position());
          }
          StateView.Page page = view.list(ri.type(), ri.namespace(), filter, cont == null ? null : cont.lastKey(),
              pageSize(limit));
          String rv = cont != null ? cont.resourceVersion() : page.position().encode();
          String next = page.lastKey() == null ? null : new ContinueToken(rv, page.lastKey()).encode();
          return listBody(ri, filter, page.items(), page.remaining(), rv, next, table, include);
        }, false))
        .onSuccess(b -> respond(ctx, 200, b, List.of()))
        .onFailure(ctx::fail);
  }

  /**
   * A LIST at a past point ({@code resourceVersionMatch=Exact}, or the continuation of one: its token
   * carries the point), rebuilt from history by {@link TimeTravel}, paginated like any LIST.
   */
  private void listAt(RoutingContext ctx, RequestInfo ri, WatchFilter filter, Long limit, ContinueToken cont,
      boolean table, Tables.Include include, String atRv) {
    if (cont != null && atRv != null && !atRv.equals("0")) {
      throw ApiException.badRequest("specifying resource version is not allowed when using continue");
    }
    String rv = cont != null ? cont.resourceVersion() : atRv;
    ctx.vertx().executeBlocking(() -> {
      KeyPage page = timeTravel.listAt(ri.type(), ri.namespace(), filter, rv,
          cont == null ? null : cont.lastKey(), pageSize(limit));
      String next = page.lastKey() == null ? null : ContinueToken.exact(rv, page.lastKey()).encode();
      return listBody(ri, filter, page.items(), page.remaining(), rv, next, table, include);
    }, false).onSuccess(b -> respond(ctx, 200, b, List.of())).onFailure(ctx::fail);
  }

  /** The {@code limit} parameter as a page size (0: no limit). */
  private static int pageSize(Long limit) {
    return limit == null ? 0 : (int) Math.max(0, Math.min(limit, Integer.MAX_VALUE));
  }

  /**
   * The body of one page of a LIST (a List, or a Table): {@code remainingItemCount} only when more follow
   * and no selector filtered them, as kube-apiserver counts it.
   */
  private Buffer listBody(RequestInfo ri, WatchFilter filter, List<GenericRecord> records, long remainingCount,
      String rv, String next, boolean table, Tables.Include include) {
    Long remaining = next != null && filter.labels().isEverything() && filter.fields().isEverything()
        ? remainingCount : null;
    if (table) {
      List<ObjectNode> items = new ArrayList<>(records.size());
      for (GenericRecord r : records) {
        items.add(Json.object(r));
      }
      return Json.buffer(tables.table(ri.type().kind(), items, include, rv, next, remaining));
    }
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("resourceVersion", rv);
    md.put("continue", next);
    md.put("remainingItemCount", remaining);
    return Json.listBuffer(ri.type(), records, md);
  }

  void watch(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    WatchFilter filter = filter(ctx, ri);
    String rv = Params.string(ctx, "resourceVersion");
    boolean sendInitial = Params.bool(ctx, "sendInitialEvents");
    WatchSession.Start start = startOf(rv, sendInitial);
    Long timeoutSeconds = Params.number(ctx, "timeoutSeconds");
    Duration timeout = timeoutSeconds != null ? Duration.ofSeconds(Math.max(1, timeoutSeconds))
        : Duration.ofSeconds(1800 + ThreadLocalRandom.current().nextInt(1800));
    WatchSession.Options options = new WatchSession.Options(ri.type(), filter,
        Params.wantsTable(ctx) ? tables : null, Params.include(ctx), Params.bool(ctx, "allowWatchBookmarks"),
        sendInitial, timeout, bookmarkInterval, 10_000);
    Future<Void> ready = rv == null ? readPoint(ctx) : Future.succeededFuture();
    boolean upgrade = WatchSink.isUpgrade(ctx.request());
    ready.compose(v -> upgrade ? ctx.request().toWebSocket().map(ws -> WatchSink.webSocket(ws,
            AuditHandler.upgraded(ctx)))
            : Future.succeededFuture(WatchSink.chunked(ctx.response())))
        .onSuccess(sink -> {
          try {
            WatchSession.start(ctx.vertx().getOrCreateContext(), sink, view, options, start);
          } catch (ResourceExpiredException e) {
            WatchSession.expired(sink, e.getMessage());
          }
        }).onFailure(e -> {
          if (!ctx.response().ended()) {
            ctx.fail(e);
          }
        });
  }

  private WatchSession.Start startOf(String rv, boolean sendInitial) {
    if (rv == null || rv.equals("0") || sendInitial) {
      return new WatchSession.Start(true, null, -1);
    }
    if (Position.isPosition(rv)) {
      Position p = Position.decode(rv, view.partitions())
          .orElseThrow(() -> ApiException.badRequest("invalid resource version: " + rv));
      return new WatchSession.Start(false, p, -1);
    }
    try {
      return new WatchSession.Start(false, null, Long.parseLong(rv));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version: " + rv);
    }
  }

  // ---------------------------------------------------------------- writes

  void create(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    FieldValidation fv = FieldValidation.parse(Params.string(ctx, "fieldValidation"));
    boolean dryRun = Params.dryRun(ctx);
    Bodies.Decoded d = Bodies.decode(body(ctx), Params.contentType(ctx), ri.type(), fv);
    GenericRecord obj = d.record();
    String ns = namespaceOf(ri, obj);
    String name = Meta.name(obj);
    String generate = Meta.generateName(obj);
    if (isEmpty(name) && isEmpty(generate)) {
      throw new ApiException(Statuses.invalid(ri.type(), "", List.of(new Cause("FieldValueRequired",
          "Required value: name or generateName is required", "metadata.name"))));
    }
    EarlyValidation.checkCreate(ri.type(), obj, ns);
    String manager = FieldManagers.manager(ctx);
    ObjectKey key = ri.type().key(ns, isEmpty(name) ? generate : name);
    ctx.put(AuditHandler.CREATED_NAME, isEmpty(name) ? null : name);
    admitNamespace(ctx, ri.type(), ns, isEmpty(name) ? generate : name)
        .compose(v -> admission.create(ctx.vertx().getOrCreateContext(), key, obj, dryRun))
        .compose(claim -> {
          // after admission: the managers' bookkeeping applies the defaults, and Priority admission must
          // see the pod as the client sent it
          try {
            FieldManagers.recordUpdate(ri.type(), null, obj, manager, null, clock);
          } catch (RuntimeException e) {
            claim.finish(false);
            throw e;
          }
          return writes.send(ctx, writes.command(Op.CREATE, key, user(ctx)).object(obj).dryRun(dryRun))
              .onComplete(ar -> claim.finish(ar.succeeded() && ar.result().success()));
        })
        .onSuccess(reply -> {
          if (reply.success() && reply.object() != null) {
            ctx.put(AuditHandler.CREATED_NAME, Meta.name(reply.object()));
          }
          answer(ctx, reply, d.warnings());
        })
        .onFailure(ctx::fail);
  }

  void update(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    FieldValidation fv = FieldValidation.parse(Params.string(ctx, "fieldValidation"));
    boolean dryRun = Params.dryRun(ctx);
    Bodies.Decoded d = Bodies.decode(body(ctx), Params.contentType(ctx), ri.type(), fv);
    GenericRecord obj = d.record();
    identify(ri, obj);
    if (ri.subresource() == Subresource.STATUS) {
      GenericRecord cur = view.get(ri.key());
      if (cur != null) {
        FieldManagers.recordUpdate(ri.type(), cur, obj, FieldManagers.manager(ctx), Subresource.STATUS.path(), clock);
      }
      writes.send(ctx, writes.command(Op.UPDATE_STATUS, ri.key(), user(ctx)).object(obj).dryRun(dryRun))
          .onSuccess(reply -> answer(ctx, reply, d.warnings()))
          .onFailure(ctx::fail);
      return;
    }
    String manager = FieldManagers.manager(ctx);
    patchLoop(ctx, ri, 1, !dryRun, cur -> {
      GenericRecord next = AvroPaths.copy(obj);
      FieldManagers.recordUpdate(ri.type(), cur, next, manager, null, clock);
      return new Bodies.Decoded(next, d.warnings());
    }, (cur, dd) -> writes.command(Op.UPDATE, ri.key(), user(ctx)).object(dd.record()).dryRun(dryRun))
        .onSuccess(r -> answer(ctx, r.reply(), r.warnings()))
        .onFailure(ctx::fail);
  }

  void patch(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    if (ServerSideApply.CONTENT_TYPE.equals(Params.contentType(ctx))) {
      apply.apply(ctx, body(ctx));
      return;
    }
    if (ctx.request().getParam("force") != null) {
      throw FieldManagers.invalidPatchOptions("force", "FieldValueForbidden",
          "Forbidden: may not be specified for non-apply patch");
    }
    PatchType type = PatchType.of(Params.contentType(ctx));
    JsonNode patch = PatchType.parse(body(ctx));
    FieldValidation fv = FieldValidation.parse(Params.string(ctx, "fieldValidation"));
    boolean dryRun = Params.dryRun(ctx);
    Op op = ri.subresource() == Subresource.STATUS ? Op.UPDATE_STATUS : Op.UPDATE;
    String manager = FieldManagers.manager(ctx);
    patchLoop(ctx, ri, 1, op == Op.UPDATE && !dryRun, cur -> {
      JsonNode patched = applyPatch(type, Json.object(cur), patch, KafkubeSchemas.kind(ri.type()), ri);
      Bodies.Decoded d = Bodies.toRecord(patched, List.of(), ri.type(), fv);
      identify(ri, d.record());
      FieldManagers.recordUpdate(ri.type(), cur, d.record(), manager,
          op == Op.UPDATE ? null : Subresource.STATUS.path(), clock);
      return d;
    }, (cur, d) -> writes.command(op, ri.key(), user(ctx)).object(d.record()).dryRun(dryRun))
        .onSuccess(r -> answer(ctx, r.reply(), r.warnings()))
        .onFailure(ctx::fail);
  }

  void delete(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    ObjectNode opts = Bodies.options(body(ctx));
    deleteOne(ctx, ri.key(), opts)
        .onSuccess(reply -> {
          if (!reply.success()) {
            ctx.fail(new ApiException(reply.status()));
          } else if (reply.object() != null && Meta.deletionTimestamp(reply.object()) != null) {
            respond(ctx, 200, Json.objectBuffer(reply.object()), List.of());
          } else {
            respond(ctx, 200, Json.deleted(ri.type(), ri.name(), reply.object() == null ? null
                : Meta.uid(reply.object())), List.of());
          }
        })
        .onFailure(ctx::fail);
  }

  void deleteCollection(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    WatchFilter filter = filter(ctx, ri);
    ObjectNode opts = Bodies.options(body(ctx));
    readPoint(ctx).compose(v -> {
      List<GenericRecord> items = view.list(ri.type(), ri.namespace(), filter, null, 0).items();
      List<Future<ReplyView>> all = new ArrayList<>();
      for (GenericRecord obj : items) {
        all.add(deleteOne(ctx, ri.type().key(Meta.namespace(obj), Meta.name(obj)), opts));
      }
      return Future.all(all).map(cf -> {
        List<ObjectNode> out = new ArrayList<>();
        for (Future<ReplyView> f : all) {
          if (f.result().success() && f.result().object() != null) {
            out.add(Json.object(f.result().object()));
          }
        }
        return Json.list(ri.type(), out, Map.of("resourceVersion", view.position().encode()));
      });
    }).onSuccess(n -> respond(ctx, 200, n, List.of())).onFailure(ctx::fail);
  }

  private Future<ReplyView> deleteOne(RoutingContext ctx, ObjectKey key, ObjectNode opts) {
    Long grace = opts.hasNonNull("gracePeriodSeconds") ? Long.valueOf(opts.get("gracePeriodSeconds").asLong())
        : Params.number(ctx, "gracePeriodSeconds");
    String policy = opts.hasNonNull("propagationPolicy") ? opts.get("propagationPolicy").asText()
        : Params.string(ctx, "propagationPolicy");
    if (policy != null && !List.of("Orphan", "Background", "Foreground").contains(policy)) {
      throw ApiException.badRequest("DeleteOptions.propagationPolicy: Unsupported value: \"" + policy
          + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
    }
    if (policy == null && opts.path("orphanDependents").asBoolean(false)) {
      policy = "Orphan";
    }
    JsonNode pre = opts.path("preconditions");
    String uid = pre.path("uid").isTextual() ? pre.path("uid").asText() : null;
    String rv = pre.path("resourceVersion").isTextual() ? pre.path("resourceVersion").asText() : null;
    boolean dryRun = Params.dryRun(ctx);
    for (JsonNode n : opts.path("dryRun")) {
      dryRun |= n.asText().equals("All");
    }
    boolean dry = dryRun;
    return writes.send(ctx, writes.command(Op.DELETE, key, user(ctx)).gracePeriodSeconds(grace)
        .propagationPolicy(policy).preconditions(uid, rv).dryRun(dryRun))
        .onSuccess(reply -> admission.deleted(key, reply, dry));
  }

  // ---------------------------------------------------------------- subresources

  void getScale(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    readPoint(ctx).map(v -> Scales.toScale(existing(ri)))
        .onSuccess(n -> respond(ctx, 200, n, List.of()))
        .onFailure(ctx::fail);
  }

  void updateScale(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    JsonNode scale = PatchType.parse(body(ctx));
    boolean dryRun = Params.dryRun(ctx);
    int replicas = Scales.replicas(ri, scale);
    String rv = scale.path("metadata").path("resourceVersion").asText("");
    String manager = FieldManagers.manager(ctx);
    readPoint(ctx).map(v -> {
      GenericRecord cur = existing(ri);
      GenericRecord next = Scales.withReplicas(cur, replicas);
      FieldManagers.recordUpdate(ri.type(), cur, next, manager, Subresource.SCALE.path(), clock);
      return next;
    })
        .compose(obj -> writes.send(ctx, writes.command(Op.UPDATE, ri.key(), user(ctx)).object(obj)
            .preconditions(null, rv.isEmpty() ? Meta.resourceVersion(obj) : rv).dryRun(dryRun)))
        .onSuccess(reply -> answerScale(ctx, reply))
        .onFailure(ctx::fail);
  }

  void patchScale(RoutingContext ctx) {
    if (ServerSideApply.CONTENT_TYPE.equals(Params.contentType(ctx))) {
      apply.apply(ctx, body(ctx));
      return;
    }
    RequestInfo ri = info(ctx);
    PatchType type = PatchType.of(Params.contentType(ctx));
    JsonNode patch = PatchType.parse(body(ctx));
    boolean dryRun = Params.dryRun(ctx);
    String manager = FieldManagers.manager(ctx);
    patchLoop(ctx, ri, 1, false, cur -> {
      JsonNode scale = applyPatch(type, Scales.toScale(cur), patch, null, ri);
      GenericRecord next = Scales.withReplicas(cur, Scales.replicas(ri, scale));
      FieldManagers.recordUpdate(ri.type(), cur, next, manager, Subresource.SCALE.path(), clock);
      return new Bodies.Decoded(next, List.of());
    }, (cur, d) -> writes.command(Op.UPDATE, ri.key(), user(ctx)).object(d.record()).dryRun(dryRun))
        .onSuccess(r -> answerScale(ctx, r.reply()))
        .onFailure(ctx::fail);
  }

  void createBinding(RoutingContext ctx) {
    RequestInfo ri = info(ctx);
    JsonNode binding = Bodies.parse(body(ctx), Params.contentType(ctx), ri.type()).json();
    String node = binding.path("target").path("name").asText("");
    String uid = binding.path("metadata").path("uid").asText("");
    writes.send(ctx, writes.command(Op.BIND, ri.key(), user(ctx)).nodeName(node)
            .preconditions(uid.isEmpty() ? null : uid, null).dryRun(Params.dryRun(ctx)))
        .onSuccess(reply -> {
          if (reply.success()) {
            respond(ctx, 201, Json.success(201), List.of());
          } else {
            ctx.fail(new ApiException(reply.status()));
          }
        })
        .onFailure(ctx::fail);
  }

  // ---------------------------------------------------------------- helpers

  /** A patch resolved against the current object, ready to send, and the warnings of its decoding. */
  private record Resolved(ReplyView reply, List<String> warnings) {}

  @FunctionalInterface
  private interface Resolver {
    Bodies.Decoded resolve(GenericRecord current);
  }

  @FunctionalInterface
  private interface CommandFor {
    io.kafkube.schemas.envelope.Envelopes.CommandBuilder build(GenericRecord current, Bodies.Decoded decoded);
  }

  /**
   * Reads the current object (consistently), resolves the patch against it, sends it with the
   * current resourceVersion as precondition and, on Conflict, tries again from the fresh object
   * (unless the patch itself named a resourceVersion).
   */
  private Future<Resolved> patchLoop(RoutingContext ctx, RequestInfo ri, int attempt, boolean admit,
      Resolver resolver, CommandFor command) {
    return readPoint(ctx).compose(v -> {
      GenericRecord cur = existing(ri);
      Bodies.Decoded d = resolver.resolve(cur);
      String wanted = Meta.resourceVersion(d.record());
      boolean pinned = wanted != null && !wanted.equals(Meta.resourceVersion(cur));
      String precondition = wanted != null ? wanted : Meta.resourceVersion(cur);
      Meta.set(d.record(), "resourceVersion", null);
      // a replaced or patched Service keeps its ClusterIP and NodePorts and claims any new one
      Future<ServiceAllocator.Claim> claim = admit
          ? admission.update(ctx.vertx().getOrCreateContext(), ri.key(), d.record(), false)
          : Future.succeededFuture(null);
      return claim.compose(c -> writes.send(ctx, command.build(cur, d).preconditions(null, precondition))
          .onComplete(ar -> {
            if (c != null) {
              c.finish(ar.succeeded() && ar.result().success());
            }
          })).compose(reply -> {
            if (reply.code() == 409 && "Conflict".equals(reply.reason()) && !pinned && attempt < PATCH_ATTEMPTS) {
              return patchLoop(ctx, ri, attempt + 1, admit, resolver, command);
            }
            return Future.succeededFuture(new Resolved(reply, d.warnings()));
          });
    });
  }

  private static JsonNode applyPatch(PatchType type, JsonNode current, JsonNode patch, Schema schema,
      RequestInfo ri) {
    try {
      return type.apply(current, patch, schema);
    } catch (PatchException e) {
      throw new ApiException(Statuses.status(422, "Invalid", e.getMessage(), ri.type(), ri.name(),
          ri.type().kind(), List.of()));
    }
  }

  Future<Void> readPoint(RoutingContext ctx) {
    if ("0".equals(Params.string(ctx, "resourceVersion"))) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(view.sync(), ctx.vertx().getOrCreateContext());
  }

  private GenericRecord existing(RequestInfo ri) {
    GenericRecord obj = view.get(ri.key());
    if (obj == null) {
      throw new ApiException(Statuses.notFound(ri.type(), ri.name()));
    }
    return obj;
  }

  /** Admission: the namespace must exist (404) and not be terminating (403). */
  Future<Void> admitNamespace(RoutingContext ctx, ResourceType type, String ns, String name) {
    if (!type.namespaced()) {
      return Future.succeededFuture();
    }
    ObjectKey nsKey = namespaces.key(null, ns);
    Future<GenericRecord> found = view.get(nsKey) != null ? Future.succeededFuture(view.get(nsKey))
        : Future.fromCompletionStage(view.sync(), ctx.vertx().getOrCreateContext()).map(v -> view.get(nsKey));
    return found.map(n -> {
      if (n == null) {
        throw new ApiException(Statuses.notFound(namespaces, ns));
      }
      String phase = AvroPaths.string(AvroPaths.record(n, "status"), "phase");
      if (Meta.deletionTimestamp(n) != null || "Terminating".equals(phase)) {
        throw new ApiException(Statuses.status(403, "Forbidden", type.groupResource() + " \"" + name
            + "\" is forbidden: unable to create new content in namespace " + ns + " because it is being terminated",
            type, name, type.plural(), List.of(new Cause("NamespaceTerminating",
                "namespace " + ns + " is being terminated", "metadata.namespace"))));
      }
      return null;
    });
  }

  private String namespaceOf(RequestInfo ri, GenericRecord obj) {
    if (!ri.type().namespaced()) {
      Meta.set(obj, "namespace", null);
      return null;
    }
    String body = Meta.namespace(obj);
    String ns = ri.namespace() != null ? ri.namespace() : body;
    if (isEmpty(ns)) {
      throw ApiException.badRequest("the namespace of the object must be given in the request path");
    }
    if (!isEmpty(body) && !body.equals(ns)) {
      throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
          + "the request");
    }
    Meta.set(obj, "namespace", ns);
    return ns;
  }

  /** Name and namespace come from the URL; a body that names another object is a 400. */
  void identify(RequestInfo ri, GenericRecord obj) {
    String name = Meta.name(obj);
    if (isEmpty(name)) {
      Meta.set(obj, "name", ri.name());
    } else if (!name.equals(ri.name())) {
      throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
          + ri.name() + ")");
    }
    namespaceOf(ri, obj);
  }

  private WatchFilter filter(RoutingContext ctx, RequestInfo ri) {
    FieldSelector fields = FieldSelector.parse(Params.string(ctx, "fieldSelector"), ri.type());
    if (ri.named()) {
      fields = FieldSelector.parse(joinSelector("metadata.name=" + ri.name(), Params.string(ctx, "fieldSelector")),
          ri.type());
    }
    return new WatchFilter(ri.namespace(), LabelSelector.parse(Params.string(ctx, "labelSelector")), fields);
  }

  private static String joinSelector(String a, String b) {
    return b == null ? a : a + "," + b;
  }

  private void answer(RoutingContext ctx, ReplyView reply, List<String> warnings) {
    if (reply.success()) {
      respond(ctx, reply.code(), Json.objectBuffer(reply.object()), warnings);
    } else {
      ctx.fail(new ApiException(reply.status()));
    }
  }

  private void answerScale(RoutingContext ctx, ReplyView reply) {
    if (reply.success()) {
      respond(ctx, 200, Scales.toScale(reply.object()), List.of());
    } else {
      ctx.fail(new ApiException(reply.status()));
    }
  }

  static void respond(RoutingContext ctx, int code, JsonNode body, List<String> warnings) {
    respond(ctx, code, Json.buffer(body), warnings);
  }

  static void respond(RoutingContext ctx, int code, Buffer body, List<String> warnings) {
    var r = ctx.response();
    r.setStatusCode(code);
    r.putHeader("Content-Type", Json.CONTENT_TYPE);
    for (String w : warnings) {
      r.headers().add("Warning", "299 - \"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }
    AuditHandler.response(ctx, body);
    r.end(body);
  }

  static RequestInfo info(RoutingContext ctx) {
    return Objects.requireNonNull(ctx.get(INFO), "request info");
  }

  static User user(RoutingContext ctx) {
    return Objects.requireNonNull(ctx.get(USER), "user");
  }

  static byte[] body(RoutingContext ctx) {
    Buffer b = ctx.body() == null ? null : ctx.body().buffer();
    return b == null ? new byte[0] : b.getBytes();
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
