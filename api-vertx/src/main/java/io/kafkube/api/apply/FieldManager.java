package io.kafkube.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Field ownership as kube-apiserver's field manager keeps it, on Kubernetes JSON: {@link #apply}
 * merges an applied configuration into the live object, prunes what the applier stopped
 * specifying (unless another manager owns it) and refuses, unless forced, to change fields other
 * managers own; {@link #update} attributes what an ordinary write changed to its manager.
 * Pure: the caller reads and writes {@code metadata.managedFields}.
 */
public final class FieldManager {
  /** Fields no manager owns: set by the server, or identity (stripMeta of the apiserver). */
  private static final Set<String> STRIPPED_META = Set.of("name", "namespace", "uid", "resourceVersion",
      "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields",
      "selfLink");

  /**
   * The Update manager that owns every field of an object nobody managed yet, when it is first
   * applied to (kube-apiserver's name): changing those values then needs {@code force}.
   */
  public static final String BEFORE_FIRST_APPLY = "before-first-apply";

  private final Shape shape;
  private final String apiVersion;
  /** Whether this manager is the status subresource's: it owns {@code status} and nothing else. */
  private final boolean statusOnly;

  /** @param shape the shape of the kind's objects; {@code apiVersion} the version written through */
  public FieldManager(Shape shape, String apiVersion) {
    this(shape, apiVersion, false);
  }

  private FieldManager(Shape shape, String apiVersion, boolean statusOnly) {
    this.shape = shape;
    this.apiVersion = apiVersion;
    this.statusOnly = statusOnly;
  }

  /**
   * The field manager of the {@code status} subresource: applies and updates see only {@code status}
   * (kube's status strategies reset everything else), and everything else of the live object is kept.
   */
  public FieldManager forStatus() {
    return new FieldManager(shape, apiVersion, true);
  }

  /** The object an apply produces and the managed fields it should carry. */
  public record Applied(ObjectNode object, List<ManagedEntry> managed, boolean changed) {}

  /**
   * Applies {@code config} for {@code manager} to {@code live} (null: the object does not exist).
   * Status, identity and server-set metadata of the configuration are ignored (they are reset, as
   * for the main resource in Kubernetes).
   *
   * @throws ApplyConflictException when, without {@code force}, a value another manager owns would change
   */
  public Applied apply(ObjectNode live, List<ManagedEntry> managed, ObjectNode config, String manager,
      boolean force, Instant now) {
    return apply(live, managed, config, manager, force, now, null);
  }

  /**
   * {@link #apply(ObjectNode, List, ObjectNode, String, boolean, Instant)} through {@code subresource}
   * (null for the main resource): the applier's entry is recorded with it, as kube-apiserver's are
   * ({@code kubectl} with subresource {@code status} is another manager than {@code kubectl}).
   */
  public Applied apply(ObjectNode live, List<ManagedEntry> managed, ObjectNode config, String manager,
      boolean force, Instant now, String subresource) {
    if (statusOnly && live == null) {
      throw new IllegalArgumentException("the status of an object that does not exist cannot be applied");
    }
    if (live != null && managed.isEmpty()) {
      managed = update(null, live, List.of(), BEFORE_FIRST_APPLY, null, now);
    }
    ObjectNode liveS = live == null ? PathElement.MAPPER.createObjectNode() : scoped(live);
    ObjectNode cfgS = scoped(config);
    ManagedEntry me = new ManagedEntry(manager, ManagedEntry.APPLY, apiVersion, now, subresource, FieldSet.EMPTY);
    ManagedEntry previous = find(managed, me);
    FieldSet last = previous == null ? FieldSet.EMPTY : previous.fields();
    FieldSet mine = Structured.fieldsOf(cfgS, shape);

    FieldSet others = FieldSet.EMPTY;
    for (ManagedEntry e : managed) {
      if (!e.sameManager(me)) {
        others = others.union(e.fields());
      }
    }
    JsonNode merged = Structured.merge(liveS, cfgS, shape);
    merged = Structured.remove(merged, last.difference(mine).difference(others), shape);
    Structured.Comparison cmp = Structured.compare(liveS, merged, shape);
    FieldSet changed = cmp.changed();

    List<ApplyConflictException.Conflict> conflicts = new ArrayList<>();
    List<ManagedEntry> out = new ArrayList<>();
    for (ManagedEntry e : managed) {
      if (e.sameManager(me)) {
        continue;
      }
      FieldSet lost = e.fields().intersection(changed);
      for (FieldPath p : lost.paths()) {
        conflicts.add(new ApplyConflictException.Conflict(e, p));
      }
      FieldSet kept = e.fields().difference(lost).difference(cmp.removed());
      if (!kept.isEmpty()) {
        out.add(e.withFields(kept));
      }
    }
    if (!conflicts.isEmpty() && !force) {
      conflicts.sort(Comparator.comparing((ApplyConflictException.Conflict c) -> c.manager().describe())
          .thenComparing(ApplyConflictException.Conflict::path));
      throw new ApplyConflictException(conflicts);
    }
    boolean same = cmp.isSame() && previous != null && previous.fields().equals(mine)
        && apiVersion.equals(previous.apiVersion());
    if (!mine.isEmpty()) {
      out.add(same ? previous : me.withFields(mine));
    }
    out.sort(ManagedEntry.ORDER);
    ObjectNode object = statusOnly ? withStatusOf(live, merged)
        : restore((ObjectNode) merged, live != null ? live : config, live == null);
    return new Applied(object, List.copyOf(out), !cmp.isSame());
  }

  /**
   * The managed fields after an ordinary write (create, update, patch) by {@code manager} through
   * {@code subresource} (null for the main resource) turned {@code before} (null on create) into
   * {@code after}: the writer owns what it added or changed, and takes it from any other manager;
   * fields the write removed are owned by nobody.
   */
  public List<ManagedEntry> update(ObjectNode before, ObjectNode after, List<ManagedEntry> managed, String manager,
      String subresource, Instant now) {
    Structured.Comparison cmp = Structured.compare(
        before == null ? PathElement.MAPPER.createObjectNode() : scoped(before), scoped(after), shape);
    ManagedEntry me = new ManagedEntry(manager, ManagedEntry.UPDATE, apiVersion, now, subresource, FieldSet.EMPTY);
    ManagedEntry previous = find(managed, me);
    FieldSet changed = cmp.changed();
    List<ManagedEntry> out = new ArrayList<>();
    for (ManagedEntry e : managed) {
      if (e.sameManager(me)) {
        continue;
      }
      FieldSet kept = e.fields().difference(changed).difference(cmp.removed());
      if (!kept.isEmpty()) {
        out.add(kept.equals(e.fields()) ? e : e.withFields(kept));
      }
    }
    FieldSet mine = (previous == null ? FieldSet.EMPTY : previous.fields()).difference(cmp.removed()).union(changed);
    if (!mine.isEmpty()) {
      out.add(previous != null && cmp.isSame() ? previous : me.withFields(mine));
    }
    out.sort(ManagedEntry.ORDER);
    return List.copyOf(out);
  }

  /** What this manager can own of {@code obj}: {@link #strip} for the main resource, the status for status. */
  private ObjectNode scoped(ObjectNode obj) {
    if (!statusOnly) {
      return strip(obj);
    }
    ObjectNode c = PathElement.MAPPER.createObjectNode();
    if (obj.hasNonNull("status")) {
      c.set("status", obj.get("status").deepCopy());
    }
    return c;
  }

  /** {@code live} with the status of {@code merged} (none if merged has none). */
  private static ObjectNode withStatusOf(ObjectNode live, JsonNode merged) {
    ObjectNode out = live.deepCopy();
    JsonNode status = merged.get("status");
    if (status == null || status.isNull()) {
      out.remove("status");
    } else {
      out.set("status", status.deepCopy());
    }
    return out;
  }

  /**
   * The object without what no manager owns: apiVersion, kind, status and server-set metadata. The
   * result shares the rest with {@code obj} (not a deep copy): what reads it ({@link Structured}) never
   * modifies its inputs, and what is returned from it is copied.
   */
  static ObjectNode strip(ObjectNode obj) {
    ObjectNode c = PathElement.MAPPER.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      switch (e.getKey()) {
        case "apiVersion", "kind", "status" -> { }
        case "metadata" -> {
          if (e.getValue() instanceof ObjectNode m) {
            ObjectNode kept = PathElement.MAPPER.createObjectNode();
            m.fields().forEachRemaining(f -> {
              if (!STRIPPED_META.contains(f.getKey())) {
                kept.set(f.getKey(), f.getValue());
              }
            });
            if (!kept.isEmpty()) {
              c.set("metadata", kept);
            }
          } else {
            c.set("metadata", e.getValue());
          }
        }
        default -> c.set(e.getKey(), e.getValue());
      }
    }
    return c;
  }

  /** Puts back into a stripped object the parts of {@code source} that strip removed. */
  private static ObjectNode restore(ObjectNode stripped, ObjectNode source, boolean creating) {
    ObjectNode out = stripped.deepCopy();
    for (String f : List.of("apiVersion", "kind")) {
      if (source.hasNonNull(f)) {
        out.set(f, source.get(f).deepCopy());
      }
    }
    if (!creating && source.hasNonNull("status")) {
      out.set("status", source.get("status").deepCopy());
    }
    JsonNode md = source.get("metadata");
    if (md instanceof ObjectNode m) {
      ObjectNode target = out.has("metadata") && out.get("metadata").isObject() ? (ObjectNode) out.get("metadata")
          : out.putObject("metadata");
      for (String f : STRIPPED_META) {
        if (m.hasNonNull(f) && !f.equals("managedFields")) {
          target.set(f, m.get(f).deepCopy());
        }
      }
    }
    return out;
  }

  private static ManagedEntry find(List<ManagedEntry> managed, ManagedEntry me) {
    for (ManagedEntry e : managed) {
      if (e.sameManager(me)) {
        return e;
      }
    }
    return null;
  }
}
