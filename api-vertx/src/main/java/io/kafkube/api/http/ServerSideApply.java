package io.kafkube.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.ApiException;
import io.kafkube.api.apply.ApplyConflictException;
import io.kafkube.api.apply.FieldManager;
import io.kafkube.api.apply.ManagedEntry;
import io.kafkube.api.apply.ManagedFieldsRecords;
import io.kafkube.api.allocation.ServiceAllocator;
import io.kafkube.api.discovery.Subresource;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.json.FieldProblem;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.api.view.StateView;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * {@code PATCH} with {@code application/apply-patch+yaml}: server-side apply. The applied
 * configuration is resolved by {@link FieldManager#apply} against the current object (or none:
 * then the apply creates, with the namespace admission of a create) and sent as CREATE, or as UPDATE
 * with the current resourceVersion; a store Conflict (or AlreadyExists) starts again from the
 * fresh object. Field conflicts with other managers are kube-apiserver's 409 unless {@code force=true}.
 * Through {@code status} the applier owns fields of {@code status} only (sent as UPDATE_STATUS);
 * through {@code scale} it owns the parent's {@code spec.replicas}; either way its managedFields entry
 * names the subresource, and a missing object is 404 (a subresource apply never creates).
 */
final class ServerSideApply {
  static final String CONTENT_TYPE = "application/apply-patch+yaml";
  private static final int ATTEMPTS = 5;

  private final StateView view;
  private final Writes writes;
  private final ResourceHandlers handlers;
  private final Clock clock;

  ServerSideApply(StateView view, Writes writes, ResourceHandlers handlers, Clock clock) {
    this.view = view;
    this.writes = writes;
    this.handlers = handlers;
    this.clock = clock;
  }

  private record Request(RequestInfo ri, ObjectNode config, List<FieldProblem> problems, String manager,
      boolean force, FieldValidation validation, boolean dryRun) {
    Subresource subresource() {
      return ri.subresource();
    }
  }

  void apply(RoutingContext ctx, byte[] body) {
    RequestInfo ri = ResourceHandlers.info(ctx);
    String manager = Params.string(ctx, "fieldManager");
    if (manager == null) {
      throw FieldManagers.invalidPatchOptions("fieldManager", "FieldValueRequired",
          "Required value: is required for apply patch");
    }
    if (manager.length() > FieldManagers.MAX_MANAGER_LENGTH) {
      throw FieldManagers.invalidPatchOptions("fieldManager", "FieldValueTooLong",
          "Too long: may not be more than " + FieldManagers.MAX_MANAGER_LENGTH + " bytes");
    }
    boolean force = Params.bool(ctx, "force");
    FieldValidation fv = FieldValidation.parse(Params.string(ctx, "fieldValidation"));
    boolean dryRun = Params.dryRun(ctx);
    Bodies.Parsed parsed = Bodies.parse(body, "application/yaml", ri.type());
    boolean scale = ri.subresource() == Subresource.SCALE;
    ObjectNode config = scale ? scaleConfig(ri, parsed.json()) : checked(ri, parsed.json());
    List<FieldProblem> problems = scale ? List.of() : parsed.problems();
    resolve(ctx, new Request(ri, config, problems, manager, force, fv, dryRun), 1)
        .onSuccess(r -> {
          if (!r.reply().success()) {
            ctx.fail(new ApiException(r.reply().status()));
          } else if (scale) {
            ResourceHandlers.respond(ctx, 200, Scales.toScale(r.reply().object()), r.warnings());
          } else {
            ResourceHandlers.respond(ctx, r.reply().code(), Json.objectBuffer(r.reply().object()), r.warnings());
          }
        })
        .onFailure(ctx::fail);
  }

  /** The checks kube-apiserver makes of an applied configuration before it looks at the object. */
  private static ObjectNode checked(RequestInfo ri, JsonNode json) {
    if (json == null || !json.isObject()) {
      throw ApiException.badRequest("the applied configuration must be an object of kind " + ri.type().kind());
    }
    ObjectNode config = (ObjectNode) json;
    String version = config.path("apiVersion").asText("");
    if (!version.equals(ri.type().apiVersion())) {
      throw ApiException.badRequest("Incorrect version specified in apply patch. Specified patch version: "
          + version + ", expected: " + ri.type().apiVersion());
    }
    String kind = config.path("kind").asText("");
    if (!kind.equals(ri.type().kind())) {
      throw ApiException.badRequest("Incorrect kind specified in apply patch. Specified patch kind: " + kind
          + ", expected: " + ri.type().kind());
    }
    checkMetadata(ri, config);
    return config;
  }

  private static void checkMetadata(RequestInfo ri, ObjectNode config) {
    JsonNode md = config.path("metadata");
    if (md.has("managedFields") && !md.get("managedFields").isNull()) {
      throw ApiException.badRequest("metadata.managedFields must be nil");
    }
    String name = md.path("name").asText("");
    if (!name.isEmpty() && !name.equals(ri.name())) {
      throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
          + ri.name() + ")");
    }
  }

  /**
   * An apply to {@code scale}: an {@code autoscaling/v1 Scale} (what kube-apiserver takes) or, as
   * {@code kubectl apply --server-side --subresource=scale -f deployment.yaml} sends it, the object of
   * the parent kind; either way only {@code spec.replicas} counts. It becomes the configuration of the
   * parent that sets {@code spec.replicas} alone (kube's ScaleHandler: the applier owns
   * {@code .spec.replicas} of the parent, recorded with subresource {@code scale}).
   */
  private static ObjectNode scaleConfig(RequestInfo ri, JsonNode json) {
    if (json == null || !json.isObject()) {
      throw ApiException.badRequest("the applied configuration must be an object of kind Scale");
    }
    ObjectNode scale = (ObjectNode) json;
    String version = scale.path("apiVersion").asText("");
    String kind = scale.path("kind").asText("");
    boolean asScale = version.equals("autoscaling/v1") && kind.equals("Scale");
    boolean asParent = version.equals(ri.type().apiVersion()) && kind.equals(ri.type().kind());
    if (!asScale && !asParent) {
      throw ApiException.badRequest("Incorrect version specified in apply patch. Specified patch version: "
          + version + ", expected: autoscaling/v1");
    }
    checkMetadata(ri, scale);
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.put("apiVersion", ri.type().apiVersion());
    config.put("kind", ri.type().kind());
    config.putObject("metadata").put("name", ri.name());
    JsonNode replicas = scale.path("spec").path("replicas");
    if (!replicas.isMissingNode() && !replicas.isNull()) {
      config.putObject("spec").put("replicas", Scales.replicas(ri, scale));
    }
    return config;
  }

  private record Outcome(ReplyView reply, List<String> warnings) {}

  private Future<Outcome> resolve(RoutingContext ctx, Request req, int attempt) {
    RequestInfo ri = req.ri();
    String subresource = req.subresource() == null ? null : req.subresource().path();
    return handlers.readPoint(ctx).compose(v -> {
      GenericRecord cur = view.get(ri.key());
      if (cur == null && subresource != null) {
        throw new ApiException(Statuses.notFound(ri.type(), ri.name()));
      }
      List<ManagedEntry> managed = cur == null ? List.of() : FieldManagers.stored(cur);
      FieldManager.Applied applied;
      try {
        applied = FieldManagers.of(ri.type(), subresource).apply(cur == null ? null : Json.object(cur), managed,
            req.config(), req.manager(), req.force(), clock.instant(), subresource);
      } catch (ApplyConflictException e) {
        throw new ApiException(conflict(e));
      }
      Bodies.Decoded d = Bodies.toRecord(applied.object(), req.problems(), ri.type(), req.validation());
      GenericRecord obj = d.record();
      handlers.identify(ri, obj);
      ManagedFieldsRecords.write(obj, applied.managed());
      if (cur == null) {
        String ns = Meta.namespace(obj);
        EarlyValidation.checkCreate(ri.type(), obj, ns);
        return handlers.admitNamespace(ctx, ri.type(), ns, ri.name())
            .compose(x -> handlers.admission().create(ctx.vertx().getOrCreateContext(), ri.key(), obj, req.dryRun()))
            .compose(claim -> writes.send(ctx, writes.command(Op.CREATE, ri.key(), ResourceHandlers.user(ctx))
                .object(obj).dryRun(req.dryRun())).onSuccess(reply -> claim.finish(reply.success())))
            .compose(reply -> reply.code() == 409 && "AlreadyExists".equals(reply.reason()) && attempt < ATTEMPTS
                ? resolve(ctx, req, attempt + 1) : Future.succeededFuture(new Outcome(reply, d.warnings())));
      }
      Meta.set(obj, "resourceVersion", null);
      Op op = req.subresource() == Subresource.STATUS ? Op.UPDATE_STATUS : Op.UPDATE;
      // a Service's addresses change only through its main resource
      Future<ServiceAllocator.Claim> admitted = subresource == null
          ? handlers.admission().update(ctx.vertx().getOrCreateContext(), ri.key(), obj, req.dryRun())
          : Future.succeededFuture(null);
      return admitted
          .compose(claim -> writes.send(ctx, writes.command(op, ri.key(), ResourceHandlers.user(ctx))
                  .object(obj).preconditions(null, Meta.resourceVersion(cur)).dryRun(req.dryRun()))
              .onSuccess(reply -> {
                if (claim != null) {
                  claim.finish(reply.success());
                }
              }))
          .compose(reply -> reply.code() == 409 && "Conflict".equals(reply.reason()) && attempt < ATTEMPTS
              ? resolve(ctx, req, attempt + 1) : Future.succeededFuture(new Outcome(reply, d.warnings())));
    });
  }

  /** kube-apiserver's apply conflict: 409, reason Conflict, a FieldManagerConflict cause per field. */
  static GenericRecord conflict(ApplyConflictException e) {
    List<Cause> causes = new ArrayList<>();
    for (ApplyConflictException.Conflict c : e.conflicts()) {
      causes.add(new Cause("FieldManagerConflict", "conflict with " + c.manager().describe(), c.path().toString()));
    }
    return Statuses.status(409, "Conflict", e.getMessage(), null, null, null, causes);
  }
}
