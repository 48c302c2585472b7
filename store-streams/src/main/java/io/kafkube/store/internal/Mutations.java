package io.kafkube.store.internal;

import io.kafkube.registry.serde.EncodedOnce;
import io.kafkube.schemas.envelope.CommandView;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.meta.PodConditions;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.status.Cause;
import io.kafkube.schemas.status.Statuses;
import io.kafkube.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The store's decisions: applies one command to the current object with compare-and-swap and the
 * Kubernetes object lifecycle (uid, creation time, resourceVersion, generation, finalizers, graceful
 * deletion, binding). Pure: it reads the current objects through a function and returns an
 * {@link Outcome}; it never touches Kafka, so every rule is tested without a broker.
 */
public final class Mutations {
  static final String FOREGROUND = "foregroundDeletion";
  static final String ORPHAN = "orphan";
  private static final long DEFAULT_POD_GRACE_SECONDS = 30;

  private final ResourceRegistry registry;
  private final int partitions;
  private final ObjectRules rules;
  private final ToIntFunction<GenericRecord> sizeOf;

  /**
   * @param partitions P, the partition count of the commands topic
   * @param sizeOf     the stored size of an object in bytes
   */
  public Mutations(ResourceRegistry registry, int partitions, ObjectRules rules,
      ToIntFunction<GenericRecord> sizeOf) {
    this.registry = registry;
    this.partitions = partitions;
    this.rules = rules;
    this.sizeOf = sizeOf;
  }

  /**
   * @param cmd       the command
   * @param current   the current object of a key, or null
   * @param revision  the command's revision (offset · P + partition)
   * @param partition the partition of the command
   * @param now       the command's time in epoch millis (the same when processed again)
   */
  public Outcome apply(CommandView cmd, Function<String, GenericRecord> current, long revision, int partition,
      long now) {
    ObjectKey key = ObjectKey.parse(cmd.key(), registry).orElse(null);
    if (key == null) {
      return Outcome.failure(Statuses.badRequest("invalid object key \"" + cmd.key() + "\""), cmd.key());
    }
    ResourceType type = key.type();
    if (!type.groupResource().equals(cmd.resource())) {
      return Outcome.failure(Statuses.badRequest("the key " + cmd.key() + " is not of resource " + cmd.resource()),
          cmd.key());
    }
    Op op = cmd.op();
    return switch (op) {
      case CREATE -> create(cmd, key, current, revision, partition, now);
      case UPDATE -> update(cmd, key, current, revision, now, false);
      case UPDATE_STATUS -> update(cmd, key, current, revision, now, true);
      case DELETE -> delete(cmd, key, current.apply(cmd.key()), revision, now);
      case BIND -> bind(cmd, key, current.apply(cmd.key()), revision, now);
    };
  }

  private Outcome create(CommandView cmd, ObjectKey key, Function<String, GenericRecord> current,
      long revision, int partition, long now) {
    ResourceType type = key.type();
    GenericRecord obj = objectOf(cmd, type);
    if (obj == null) {
      return Outcome.failure(Statuses.badRequest(
          "a create of " + type.groupResource() + " needs an object of kind " + type.kind()), cmd.key());
    }
    String name = Meta.name(obj);
    String finalKey = cmd.key();
    if (isEmpty(name) && !isEmpty(Meta.generateName(obj))) {
      String base = Meta.generateName(obj);
      name = NameGenerator.generate(base, n -> type.key(key.namespace(), n).toString(), partition,
          partitions, revision, k -> current.apply(k) != null);
      if (name == null) {
        return Outcome.failure(Statuses.status(409, "AlreadyExists",
            type.groupResource() + " \"" + base + "\" already exists, the server was not able to generate a unique name for the object",
            type, base, type.plural(), List.of()), cmd.key());
      }
      Meta.set(obj, "name", name);
      finalKey = type.key(key.namespace(), name).toString();
    } else {
      Outcome mismatch = checkIdentity(obj, key);
      if (mismatch != null) {
        return mismatch;
      }
    }
    placeNamespace(obj, key);
    rules.applyDefaults(type, obj);
    GenericRecord m = Meta.metadataOrCreate(obj);
    m.put("uid", uid(finalKey, revision));
    rules.prepareForCreate(type, obj);
    List<Cause> causes = rules.validateCreate(type, obj);
    if (!causes.isEmpty()) {
      return Outcome.failure(Statuses.invalid(type, displayName(obj, key), causes), finalKey);
    }
    if (current.apply(finalKey) != null) {
      return Outcome.failure(Statuses.alreadyExists(type, name), finalKey);
    }
    m.put("creationTimestamp", now);
    m.put("resourceVersion", Long.toString(revision));
    m.put("deletionTimestamp", null);
    m.put("deletionGracePeriodSeconds", null);
    if (AvroPaths.hasField(obj, "spec")) {
      m.put("generation", 1L);
    }
    Outcome tooLarge = checkSize(type, obj, key);
    if (tooLarge != null) {
      return tooLarge;
    }
    return Outcome.changed(201, finalKey, null, obj, Op.CREATE, obj);
  }

  private Outcome update(CommandView cmd, ObjectKey key, Function<String, GenericRecord> current,
      long revision, long now, boolean statusOnly) {
    ResourceType type = key.type();
    GenericRecord cur = current.apply(cmd.key());
    GenericRecord obj = objectOf(cmd, type);
    if (obj == null) {
      return Outcome.failure(Statuses.badRequest(
          "an update of " + type.groupResource() + " needs an object of kind " + type.kind()), cmd.key());
    }
    Outcome mismatch = checkIdentity(obj, key);
    if (mismatch != null) {
      return mismatch;
    }
    if (cur == null) {
      return Outcome.failure(Statuses.notFound(type, key.name()), cmd.key());
    }
    String wantRv = firstNonEmpty(cmd.preconditionResourceVersion(), Meta.resourceVersion(obj));
    if (wantRv != null && !wantRv.equals(Meta.resourceVersion(cur))) {
      return Outcome.failure(Statuses.modified(type, key.name()), cmd.key());
    }
    String wantUid = firstNonEmpty(cmd.preconditionUid(), Meta.uid(obj));
    if (wantUid != null && !wantUid.equals(Meta.uid(cur))) {
      return Outcome.failure(Statuses.conflict(type, key.name(),
          "Precondition failed: UID in precondition: " + wantUid + ", UID in object meta: " + Meta.uid(cur)),
          cmd.key());
    }
    GenericRecord next;
    if (statusOnly) {
      next = AvroPaths.copy(cur);
      if (AvroPaths.hasField(next, "status")) {
        next.put("status", obj.get("status"));
      }
      // the API server records who owns the status (field managers with subresource "status")
      GenericRecord sentMeta = Meta.metadata(obj);
      if (sentMeta != null && sentMeta.get("managedFields") != null) {
        Meta.metadataOrCreate(next).put("managedFields", sentMeta.get("managedFields"));
      }
    } else {
      next = obj;
      placeNamespace(next, key);
      if (AvroPaths.hasField(next, "status")) {
        next.put("status", AvroPaths.copy(AvroPaths.record(cur, "status")));
      }
      GenericRecord m = Meta.metadataOrCreate(next);
      m.put("uid", Meta.uid(cur));
      m.put("creationTimestamp", Meta.creationTimestamp(cur));
      m.put("deletionTimestamp", Meta.deletionTimestamp(cur));
      m.put("deletionGracePeriodSeconds", Meta.deletionGracePeriodSeconds(cur));
      m.put("generation", Meta.generation(cur));
      rules.applyDefaults(type, next);
    }
    Meta.set(next, "resourceVersion", Meta.resourceVersion(cur));
    List<Cause> causes = new ArrayList<>(rules.validateUpdate(type, next, cur));
    if (Meta.deletionTimestamp(cur) != null
        && !Meta.finalizers(cur).containsAll(Meta.finalizers(next))) {
      causes.add(new Cause("FieldValueForbidden",
          "Forbidden: no new finalizers can be added if the object is being deleted", "metadata.finalizers"));
    }
    if (!causes.isEmpty()) {
      return Outcome.failure(Statuses.invalid(type, key.name(), causes), cmd.key());
    }
    if (equal(next, cur)) {
      return Outcome.unchanged(cur, cmd.key());
    }
    if (!statusOnly && AvroPaths.hasField(next, "spec") && !sameSpec(next, cur)) {
      Long gen = Meta.generation(cur);
      Meta.set(next, "generation", gen == null ? 1L : gen + 1);
    }
    // kube-apiserver removes an object on update only once nothing holds it: no finalizers left and a
    // grace period of 0 (a pod being deleted gracefully stays, with its status updates, until its kubelet
    // deletes it with grace 0)
    Long deletionGrace = Meta.deletionGracePeriodSeconds(cur);
    if (Meta.deletionTimestamp(cur) != null && Meta.finalizers(next).isEmpty()
        && (deletionGrace == null || deletionGrace == 0) && !hasSpecFinalizers(type, next)) {
      return Outcome.changed(200, cmd.key(), cur, null, Op.DELETE, next);
    }
    Meta.set(next, "resourceVersion", Long.toString(revision));
    Outcome tooLarge = checkSize(type, next, key);
    if (tooLarge != null) {
      return tooLarge;
    }
    return Outcome.changed(200, cmd.key(), cur, next, statusOnly ? Op.UPDATE_STATUS : Op.UPDATE, next);
  }

  private Outcome delete(CommandView cmd, ObjectKey key, GenericRecord cur, long revision, long now) {
    ResourceType type = key.type();
    if (cur == null) {
      return Outcome.failure(Statuses.notFound(type, key.name()), cmd.key());
    }
    String wantUid = cmd.preconditionUid();
    if (!isEmpty(wantUid) && !wantUid.equals(Meta.uid(cur))) {
      return Outcome.failure(Statuses.conflict(type, key.name(),
          "Precondition failed: UID in precondition: " + wantUid + ", UID in object meta: " + Meta.uid(cur)),
          cmd.key());
    }
    String wantRv = cmd.preconditionResourceVersion();
    if (!isEmpty(wantRv) && !wantRv.equals(Meta.resourceVersion(cur))) {
      return Outcome.failure(Statuses.conflict(type, key.name(),
          "Precondition failed: ResourceVersion in precondition: " + wantRv
              + ", ResourceVersion in object meta: " + Meta.resourceVersion(cur)), cmd.key());
    }
    GenericRecord next = AvroPaths.copy(cur);
    List<String> finalizers = new ArrayList<>(Meta.finalizers(next));
    boolean deleting = Meta.deletionTimestamp(cur) != null;
    if (!deleting) {
      String policy = cmd.propagationPolicy();
      if ("Orphan".equals(policy) && !finalizers.contains(ORPHAN)) {
        finalizers.add(ORPHAN);
      } else if ("Foreground".equals(policy) && !finalizers.contains(FOREGROUND)) {
        finalizers.add(FOREGROUND);
      }
    }
    long grace = graceSeconds(type, cur, cmd.gracePeriodSeconds());
    boolean namespaceFinalizing = hasSpecFinalizers(type, cur);
    if (finalizers.isEmpty() && grace == 0 && !namespaceFinalizing) {
      return Outcome.changed(200, cmd.key(), cur, null, Op.DELETE, cur);
    }
    if (deleting) {
      Long curGrace = Meta.deletionGracePeriodSeconds(cur);
      if (curGrace == null || grace >= curGrace) {
        return Outcome.unchanged(cur, cmd.key());
      }
    }
    GenericRecord m = Meta.metadataOrCreate(next);
    m.put("finalizers", finalizers.isEmpty() ? null : stringArray(m, "finalizers", finalizers));
    m.put("deletionTimestamp", now + grace * 1000);
    m.put("deletionGracePeriodSeconds", grace);
    m.put("resourceVersion", Long.toString(revision));
    if (type.kind().equals("Namespace")) {
      AvroPaths.recordOrCreate(next, "status").put("phase", "Terminating");
    }
    return Outcome.changed(200, cmd.key(), cur, next, Op.DELETE, next);
  }

  private Outcome bind(CommandView cmd, ObjectKey key, GenericRecord cur, long revision, long now) {
    ResourceType type = key.type();
    if (!type.kind().equals("Pod")) {
      return Outcome.failure(Statuses.badRequest("only pods can be bound, not " + type.groupResource()),
          cmd.key());
    }
    if (isEmpty(cmd.nodeName())) {
      return Outcome.failure(Statuses.invalid(type, key.name(),
          List.of(new Cause("FieldValueRequired", "Required value", "target.name"))), cmd.key());
    }
    if (cur == null) {
      return Outcome.failure(Statuses.notFound(type, key.name()), cmd.key());
    }
    String wantUid = cmd.preconditionUid();
    if (!isEmpty(wantUid) && !wantUid.equals(Meta.uid(cur))) {
      return Outcome.failure(Statuses.conflict(type, key.name(),
          "Precondition failed: UID in precondition: " + wantUid + ", UID in object meta: " + Meta.uid(cur)),
          cmd.key());
    }
    GenericRecord spec = AvroPaths.record(cur, "spec");
    String bound = AvroPaths.string(spec, "nodeName");
    if (!isEmpty(bound)) {
      return Outcome.failure(Statuses.conflict(type, key.name(),
          "pod " + key.name() + " is already assigned to node \"" + bound + "\""), cmd.key());
    }
    if (Meta.deletionTimestamp(cur) != null) {
      return Outcome.failure(Statuses.conflict(type, key.name(),
          "pod " + key.name() + " is being deleted, cannot be assigned to a host"), cmd.key());
    }
    // The bound pod shares with the current one all it does not change (current objects never change in
    // place): its own top record, spec, status and metadata, a new conditions list, the rest as it was.
    GenericRecord next = AvroPaths.shallowCopy(cur);
    AvroPaths.ownRecord(next, "spec").put("nodeName", cmd.nodeName());
    AvroPaths.ownRecord(next, "status");
    PodConditions.set(next, "PodScheduled", "True", null, null, now);
    AvroPaths.ownRecord(next, "metadata").put("resourceVersion", Long.toString(revision));
    return Outcome.changed(201, cmd.key(), cur, next, Op.BIND, next);
  }

  /** The grace period a delete waits for; only bound pods that have not finished wait. */
  private static long graceSeconds(ResourceType type, GenericRecord cur, Long requested) {
    if (!type.kind().equals("Pod")) {
      return 0;
    }
    GenericRecord spec = AvroPaths.record(cur, "spec");
    String phase = AvroPaths.string(AvroPaths.record(cur, "status"), "phase");
    if (isEmpty(AvroPaths.string(spec, "nodeName")) || "Succeeded".equals(phase) || "Failed".equals(phase)) {
      return 0;
    }
    if (requested != null) {
      return Math.max(0, requested);
    }
    Long fromSpec = AvroPaths.longValue(spec, "terminationGracePeriodSeconds");
    return fromSpec == null ? DEFAULT_POD_GRACE_SECONDS : fromSpec;
  }

  /** A Namespace is removed only when its spec.finalizers are gone (the namespace controller's job). */
  private static boolean hasSpecFinalizers(ResourceType type, GenericRecord obj) {
    if (!type.kind().equals("Namespace")) {
      return false;
    }
    Object f = AvroPaths.record(obj, "spec") == null ? null : AvroPaths.record(obj, "spec").get("finalizers");
    return f instanceof List<?> l && !l.isEmpty();
  }

  /**
   * The command's object, which becomes the object written: a command is decoded afresh from its
   * record each time it is processed, and nothing else holds it, so it is not copied.
   */
  private GenericRecord objectOf(CommandView cmd, ResourceType type) {
    GenericRecord obj = cmd.object();
    if (obj == null || !obj.getSchema().getFullName().equals(type.avroFullName())) {
      return null;
    }
    return obj;
  }

  private static Outcome checkIdentity(GenericRecord obj, ObjectKey key) {
    String name = Meta.name(obj);
    if (!isEmpty(name) && !name.equals(key.name())) {
      return Outcome.failure(Statuses.badRequest(
          "the name of the object (" + name + ") does not match the name on the URL (" + key.name() + ")"),
          key.toString());
    }
    String ns = Meta.namespace(obj);
    if (key.type().namespaced() && !isEmpty(ns) && !ns.equals(key.namespace())) {
      return Outcome.failure(Statuses.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request"),
          key.toString());
    }
    if (isEmpty(name)) {
      return Outcome.failure(Statuses.invalid(key.type(), key.name(), List.of(new Cause("FieldValueRequired",
          "Required value: name or generateName is required", "metadata.name"))), key.toString());
    }
    return null;
  }

  private static void placeNamespace(GenericRecord obj, ObjectKey key) {
    Meta.set(obj, "namespace", key.type().namespaced() ? key.namespace() : null);
  }

  /**
   * The last step of a create or update: {@code obj} is final from here (marked so, the size's encoding is
   * the one the store, the state topic, the history and the reply copy).
   */
  private Outcome checkSize(ResourceType type, GenericRecord obj, ObjectKey key) {
    EncodedOnce.mark(obj);
    int size = sizeOf.applyAsInt(obj);
    if (size > TopicCatalog.MAX_OBJECT_BYTES) {
      return Outcome.failure(Statuses.tooLarge(type, Meta.name(obj), size, TopicCatalog.MAX_OBJECT_BYTES),
          key.toString());
    }
    return null;
  }

  /** Whether everything but metadata and status is the same. */
  static boolean sameSpec(GenericRecord a, GenericRecord b) {
    for (Schema.Field f : a.getSchema().getFields()) {
      if (f.name().equals(Meta.METADATA) || f.name().equals("status")) {
        continue;
      }
      if (!Objects.equals(a.get(f.pos()), b.get(f.pos()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean equal(GenericRecord a, GenericRecord b) {
    return a.equals(b);
  }

  static String uid(String key, long revision) {
    return UUID.nameUUIDFromBytes((key + "@" + revision).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String displayName(GenericRecord obj, ObjectKey key) {
    String n = Meta.name(obj);
    return isEmpty(n) ? key.name() : n;
  }

  private static GenericData.Array<String> stringArray(GenericRecord parent, String field, List<String> values) {
    Schema s = AvroPaths.nonNull(parent.getSchema().getField(field).schema());
    return new GenericData.Array<>(s, values);
  }

  private static String firstNonEmpty(String a, String b) {
    if (!isEmpty(a)) {
      return a;
    }
    return isEmpty(b) ? null : b;
  }

  static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  /** Used by tests and the processor to know whether an outcome moves a pod on a node. */
  static String nodeOf(GenericRecord pod) {
    return pod == null ? null : AvroPaths.string(AvroPaths.record(pod, "spec"), "nodeName");
  }

}
