package io.kafkube.api.authz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A RoleBinding ({@code namespace} set) or ClusterRoleBinding ({@code namespace} ""): its subjects
 * and the role it grants ({@code roleKind} Role or ClusterRole).
 */
public record Binding(String namespace, String name, String roleKind, String roleName, List<Subject> subjects) {
  public static final String ROLE = "Role";
  public static final String CLUSTER_ROLE = "ClusterRole";

  public Binding {
    namespace = namespace == null ? "" : namespace;
    subjects = List.copyOf(subjects);
  }

  public boolean clusterWide() {
    return namespace.isEmpty();
  }

  /** A binding in Kubernetes JSON. */
  public static Binding fromJson(JsonNode b) {
    List<Subject> subjects = new ArrayList<>();
    for (JsonNode s : b.path("subjects")) {
      subjects.add(Subject.fromJson(s));
    }
    return new Binding(b.path("metadata").path("namespace").asText(""), b.path("metadata").path("name").asText(""),
        b.path("roleRef").path("kind").asText(""), b.path("roleRef").path("name").asText(""), subjects);
  }

  /**
   * {@code ClusterRoleBinding "x"} or {@code RoleBinding "x/ns"}: name, then namespace, as the reasons
   * of Kubernetes' RBAC authorizer name bindings.
   */
  String describe() {
    return clusterWide() ? "ClusterRoleBinding \"" + name + "\"" : "RoleBinding \"" + name + "/" + namespace + "\"";
  }
}
