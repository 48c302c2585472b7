package io.kafkube.api.http;

import io.kafkube.api.ApiException;
import io.kafkube.api.apply.FieldManager;
import io.kafkube.api.apply.ManagedEntry;
import io.kafkube.api.apply.ManagedFieldsRecords;
import io.kafkube.api.apply.Shape;
import io.kafkube.api.discovery.Subresource;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.schemas.validation.Defaulter;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericRecord;

/**
 * The seam between the write handlers and {@link FieldManager}: who the manager of a request is,
 * and the {@code metadata.managedFields} an ordinary write (operation Update) leaves on an object.
 */
final class FieldManagers {
  static final int MAX_MANAGER_LENGTH = 128;
  private static final Map<ResourceType, FieldManager> BY_TYPE = new ConcurrentHashMap<>();
  private static final Map<ResourceType, FieldManager> STATUS_BY_TYPE = new ConcurrentHashMap<>();

  private FieldManagers() {}

  static FieldManager of(ResourceType type) {
    return BY_TYPE.computeIfAbsent(type,
        t -> new FieldManager(Shape.root(KafkubeSchemas.kind(t)), t.apiVersion()));
  }

  /** The field manager of the {@code status} subresource of {@code type}'s objects. */
  static FieldManager ofStatus(ResourceType type) {
    return STATUS_BY_TYPE.computeIfAbsent(type, t -> of(t).forStatus());
  }

  /** The field manager that writes through {@code subresource} (null: the main resource). */
  static FieldManager of(ResourceType type, String subresource) {
    return Subresource.STATUS.path().equals(subresource) ? ofStatus(type) : of(type);
  }

  /**
   * The manager of a write: the {@code fieldManager} parameter, else the User-Agent up to its
   * first '/' (printable characters, at most 128), as kube-apiserver names it.
   */
  static String manager(RoutingContext ctx) {
    String m = Params.string(ctx, "fieldManager");
    if (m != null) {
      return m;
    }
    String ua = ctx.request().getHeader("User-Agent");
    if (ua == null) {
      return "";
    }
    String prefix = ua.split("/", 2)[0];
    StringBuilder b = new StringBuilder();
    prefix.codePoints().filter(c -> !Character.isISOControl(c)).forEach(b::appendCodePoint);
    return b.length() > MAX_MANAGER_LENGTH ? b.substring(0, MAX_MANAGER_LENGTH) : b.toString();
  }

  /**
   * Sets the managedFields of {@code after}, the object an Update-operation write by {@code manager}
   * makes of {@code before} (null on create). Defaults {@code after} first (as the store will), so
   * that the writer owns the defaults it brings in, as in Kubernetes. Managed fields sent in the
   * request replace the stored ones; malformed ones are a 422 naming the field.
   */
  static void recordUpdate(ResourceType type, GenericRecord before, GenericRecord after, String manager,
      String subresource, Clock clock) {
    Defaulter.applyDefaults(type, after);
    List<ManagedEntry> managed;
    try {
      managed = ManagedFieldsRecords.present(after) ? ManagedFieldsRecords.read(after)
          : before == null ? List.of() : stored(before);
    } catch (IllegalArgumentException e) {
      String name = Meta.name(after) == null ? "" : Meta.name(after);
      int colon = e.getMessage().indexOf(": ");
      throw new ApiException(Statuses.invalid(type, name, List.of(new Cause("FieldValueInvalid",
          "Invalid value: " + e.getMessage().substring(colon + 2), e.getMessage().substring(0, colon)))));
    }
    List<ManagedEntry> next = of(type, subresource).update(before == null ? null : Json.object(before), Json.object(after),
        managed, manager, subresource, clock.instant());
    ManagedFieldsRecords.write(after, next);
  }

  /** The managedFields of a stored object; unreadable ones (written by another tool) count as none. */
  static List<ManagedEntry> stored(GenericRecord obj) {
    try {
      return ManagedFieldsRecords.read(obj);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  /** {@code PatchOptions.meta.k8s.io "" is invalid: <field>: <message>}, kube-apiserver's 422. */
  static ApiException invalidPatchOptions(String field, String reason, String message) {
    GenericRecord s = Statuses.status(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: " + field + ": "
        + message, null, null, null, List.of(new Cause(reason, message, field)));
    GenericRecord d = (GenericRecord) s.get("details");
    d.put("group", "meta.k8s.io");
    d.put("kind", "PatchOptions");
    return new ApiException(s);
  }
}
