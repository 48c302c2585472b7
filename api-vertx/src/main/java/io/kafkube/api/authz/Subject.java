package io.kafkube.api.authz;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.schemas.envelope.User;

/**
 * A subject of a RoleBinding or ClusterRoleBinding: a User, a Group or a ServiceAccount (whose
 * namespace defaults to the binding's, as in Kubernetes' {@code appliesToUser}).
 */
public record Subject(String kind, String name, String namespace) {
  public static final String USER = "User";
  public static final String GROUP = "Group";
  public static final String SERVICE_ACCOUNT = "ServiceAccount";
  public static final String SA_PREFIX = "system:serviceaccount:";

  public static Subject user(String name) {
    return new Subject(USER, name, "");
  }

  public static Subject group(String name) {
    return new Subject(GROUP, name, "");
  }

  public static Subject serviceAccount(String namespace, String name) {
    return new Subject(SERVICE_ACCOUNT, name, namespace);
  }

  /** Whether the subject names {@code user}, in a binding of {@code bindingNamespace} ("" for cluster). */
  public boolean appliesTo(User user, String bindingNamespace) {
    return switch (kind) {
      case USER -> user.username().equals(name);
      case GROUP -> user.groups().contains(name);
      case SERVICE_ACCOUNT -> {
        String ns = namespace == null || namespace.isEmpty() ? bindingNamespace : namespace;
        yield ns != null && !ns.isEmpty() && user.username().equals(SA_PREFIX + ns + ":" + name);
      }
      default -> false;
    };
  }

  static Subject fromJson(JsonNode n) {
    return new Subject(n.path("kind").asText(""), n.path("name").asText(""), n.path("namespace").asText(""));
  }

  /**
   * {@code Group "system:masters"} or {@code ServiceAccount "name/ns"} (the binding's namespace when the
   * subject has none), as the reasons of Kubernetes' RBAC authorizer name subjects.
   */
  String describe(String bindingNamespace) {
    String ns = namespace == null || namespace.isEmpty() ? bindingNamespace : namespace;
    String who = kind.equals(SERVICE_ACCOUNT) ? name + "/" + ns : name;
    return kind + " \"" + who + "\"";
  }
}
