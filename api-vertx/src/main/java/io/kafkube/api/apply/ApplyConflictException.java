package io.kafkube.api.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An apply would change fields other managers own: kube-apiserver's 409 with reason Conflict, one
 * {@code FieldManagerConflict} cause per field and its message
 * ({@code Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas}).
 */
public final class ApplyConflictException extends RuntimeException {
  /** One field another manager owns. */
  public record Conflict(ManagedEntry manager, FieldPath path) {}

  private final transient List<Conflict> conflicts;

  public ApplyConflictException(List<Conflict> conflicts) {
    super(message(conflicts), null, false, false);
    this.conflicts = List.copyOf(conflicts);
  }

  public List<Conflict> conflicts() {
    return conflicts;
  }

  static String message(List<Conflict> conflicts) {
    if (conflicts.size() == 1) {
      Conflict c = conflicts.get(0);
      return "Apply failed with 1 conflict: conflict with " + c.manager().describe() + ": " + c.path();
    }
    Map<String, List<FieldPath>> byManager = new LinkedHashMap<>();
    for (Conflict c : conflicts) {
      byManager.computeIfAbsent(c.manager().describe(), k -> new ArrayList<>()).add(c.path());
    }
    List<String> lines = new ArrayList<>();
    byManager.forEach((m, paths) -> {
      lines.add("conflicts with " + m + ":");
      paths.forEach(p -> lines.add("- " + p));
    });
    return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
  }
}
