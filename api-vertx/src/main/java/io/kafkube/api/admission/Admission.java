package io.kafkube.api.admission;

import io.kafkube.api.allocation.ServiceAllocator;
import io.kafkube.api.view.StateView;
import io.kafkube.schemas.envelope.ReplyView;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.avro.generic.GenericRecord;

/**
 * The mutating admission of writes, between decoding and the store's command: the ServiceAccount and
 * Priority plugins for new pods ({@link ServiceAccountAdmission}, {@link PriorityAdmission}) and the
 * Service IP and NodePort allocation
 * ({@link ServiceAllocator}). The handlers call {@link #create}/{@link #update} before sending, and
 * {@link ServiceAllocator.Claim#finish} with the store's answer; {@link #deleted} after a delete.
 */
public final class Admission {
  private final StateView view;
  private final ServiceAllocator allocator;
  private final ResourceType pods;
  private final ResourceType services;
  private final ResourceType priorityClasses;

  public Admission(StateView view, ServiceAllocator allocator) {
    this.view = view;
    this.allocator = allocator;
    this.pods = view.registry().byGroupResource("pods").orElseThrow();
    this.services = view.registry().byGroupResource("services").orElseThrow();
    this.priorityClasses = view.registry().byGroupResource("priorityclasses.scheduling.k8s.io").orElseThrow();
  }

  /** Admits a new object (changing it in place); the claim must be finished with the store's answer. */
  public Future<ServiceAllocator.Claim> create(Context ctx, ObjectKey key, GenericRecord obj, boolean dryRun) {
    if (key.type().equals(pods)) {
      ServiceAccountAdmission.admit(obj);
      return priority(ctx, obj).map(v -> allocator.none(key.toString()));
    }
    if (key.type().equals(services) && !dryRun) {
      return claimed(allocator.claim(services, key.toString(), obj, null), ctx);
    }
    return Future.succeededFuture(allocator.none(key.toString()));
  }

  /** The claim on the request's context, failing with the Status itself rather than a CompletionException. */
  private static Future<ServiceAllocator.Claim> claimed(CompletableFuture<ServiceAllocator.Claim> f, Context ctx) {
    return Future.fromCompletionStage(f, ctx).recover(e -> Future.failedFuture(
        e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
  }

  /** Admits a replacement: a Service keeps its ClusterIP and NodePorts, new ones are claimed. */
  public Future<ServiceAllocator.Claim> update(Context ctx, ObjectKey key, GenericRecord obj, boolean dryRun) {
    if (!key.type().equals(services) || dryRun) {
      return Future.succeededFuture(allocator.none(key.toString()));
    }
    return Future.fromCompletionStage(view.sync(), ctx).compose(v -> {
      GenericRecord old = view.get(key);
      return claimed(allocator.claim(services, key.toString(), obj, old), ctx);
    });
  }

  /** After a delete: a Service that is gone gives back its ClusterIP and NodePorts. */
  public void deleted(ObjectKey key, ReplyView reply, boolean dryRun) {
    if (dryRun || !key.type().equals(services) || !reply.success() || reply.object() == null
        || Meta.deletionTimestamp(reply.object()) != null) {
      return;
    }
    allocator.release(key.toString(), reply.object());
  }

  private Future<Void> priority(Context ctx, GenericRecord pod) {
    GenericRecord spec = (GenericRecord) pod.get("spec");
    Object name = spec == null ? null : spec.get("priorityClassName");
    boolean named = name != null && !name.toString().isEmpty();
    boolean known = !named || view.get(priorityClasses.key(null, name.toString())) != null
        || PriorityAdmission.SYSTEM_CLASSES.containsKey(name.toString());
    Future<Void> ready = known ? Future.succeededFuture() : Future.fromCompletionStage(view.sync(), ctx);
    return ready.map(v -> {
      List<GenericRecord> all = named ? List.of() : new ArrayList<>(view.list(priorityClasses, null, r -> true,
          null, 0).items());
      PriorityAdmission.admit(pods, pod, n -> view.get(priorityClasses.key(null, n)), all);
      return null;
    });
  }
}
