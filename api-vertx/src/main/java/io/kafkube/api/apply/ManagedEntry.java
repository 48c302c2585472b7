package io.kafkube.api.apply;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One {@code metadata.managedFields} entry: a manager, the operation it used (Apply or Update), the
 * API version and subresource it wrote through, when, and the fields it owns.
 */
public record ManagedEntry(String manager, String operation, String apiVersion, Instant time, String subresource,
    FieldSet fields) {
  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";

  /** Kubernetes' order of entries: by operation, time (seconds), manager, apiVersion, subresource. */
  public static final Comparator<ManagedEntry> ORDER = Comparator.comparing(ManagedEntry::operation)
      .thenComparing(e -> e.time() == null ? 0L : e.time().getEpochSecond())
      .thenComparing(ManagedEntry::manager)
      .thenComparing(e -> Objects.toString(e.apiVersion(), ""))
      .thenComparing(e -> Objects.toString(e.subresource(), ""));

  public ManagedEntry {
    subresource = subresource == null || subresource.isEmpty() ? null : subresource;
    fields = fields == null ? FieldSet.EMPTY : fields;
  }

  /**
   * Whether {@code other} is the same manager: appliers are one manager whatever their apiVersion;
   * updaters are one per apiVersion and subresource (as kube-apiserver's manager identifiers).
   */
  public boolean sameManager(ManagedEntry other) {
    return manager.equals(other.manager) && operation.equals(other.operation)
        && Objects.equals(subresource, other.subresource)
        && (operation.equals(APPLY) || Objects.equals(apiVersion, other.apiVersion));
  }

  public ManagedEntry withFields(FieldSet f) {
    return new ManagedEntry(manager, operation, apiVersion, time, subresource, f);
  }

  /** As kube-apiserver names a manager in a conflict: {@code "kubectl-scale" with subresource "scale" using apps/v1}. */
  public String describe() {
    String s = "\"" + manager + "\"";
    if (subresource != null) {
      s += " with subresource \"" + subresource + "\"";
    }
    if (operation.equals(UPDATE)) {
      s += " using " + apiVersion;
    }
    return s;
  }
}
