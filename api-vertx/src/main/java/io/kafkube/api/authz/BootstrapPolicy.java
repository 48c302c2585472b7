package io.kafkube.api.authz;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The default ClusterRoles and ClusterRoleBindings, after Kubernetes' bootstrap policy
 * ({@code plugin/pkg/auth/authorizer/rbac/bootstrappolicy}) restricted to the kinds kafkube serves:
 * {@code cluster-admin}, the user-facing {@code admin}/{@code edit}/{@code view} (kube's aggregated
 * defaults flattened into each, and an {@code aggregationRule} for roles added later), {@code system:discovery}, {@code system:basic-user} and
 * {@code system:public-info-viewer}, with their bindings. Pure: the objects in Kubernetes JSON,
 * written at start-up through the normal write path.
 */
public final class BootstrapPolicy {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String RBAC = "rbac.authorization.k8s.io";
  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
  private static final List<String> READ_WRITE =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> DISCOVERY_URLS = List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz",
      "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/");
  private static final List<String> PUBLIC_INFO_URLS = List.of("/healthz", "/livez", "/readyz", "/version",
      "/version/");

  private BootstrapPolicy() {}

  /** Every default object: the ClusterRoles first, then the ClusterRoleBindings. */
  public static List<ObjectNode> objects() {
    List<ObjectNode> out = new ArrayList<>();
    out.add(clusterRole("cluster-admin", List.of(
        rule(List.of("*"), List.of("*"), List.of("*")),
        PolicyRule.urls(List.of("*"), List.of("*")))));
    out.add(aggregated(clusterRole("admin", admin()), "admin"));
    out.add(aggregated(clusterRole("edit", edit()), "edit"));
    out.add(aggregated(clusterRole("view", view()), "view"));
    out.add(clusterRole("system:discovery", List.of(PolicyRule.urls(List.of("get"), DISCOVERY_URLS))));
    out.add(clusterRole("system:public-info-viewer", List.of(PolicyRule.urls(List.of("get"), PUBLIC_INFO_URLS))));
    out.add(clusterRole("system:basic-user", List.of(
        rule(List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews")),
        rule(List.of("create"), List.of("authorization.k8s.io"),
            List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews")))));
    out.add(binding("cluster-admin", "system:masters"));
    out.add(binding("system:discovery", "system:authenticated"));
    out.add(binding("system:basic-user", "system:authenticated"));
    out.add(binding("system:public-info-viewer", "system:authenticated", "system:unauthenticated"));
    return out;
  }

  static List<PolicyRule> view() {
    return List.of(
        rule(READ, List.of(""), List.of("configmaps", "endpoints", "persistentvolumeclaims",
            "persistentvolumeclaims/status", "pods", "serviceaccounts", "services", "services/status")),
        rule(READ, List.of(""), List.of("events", "namespaces/status", "pods/log", "pods/status")),
        rule(READ, List.of(""), List.of("namespaces")),
        rule(READ, List.of("discovery.k8s.io"), List.of("endpointslices")),
        rule(READ, List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
            "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status",
            "statefulsets", "statefulsets/scale", "statefulsets/status")),
        rule(READ, List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status")),
        rule(READ, List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status")),
        rule(READ, List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status")));
  }

  static List<PolicyRule> edit() {
    List<PolicyRule> rules = new ArrayList<>(List.of(
        rule(WRITE, List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy")),
        rule(WRITE, List.of(""), List.of("configmaps", "events", "persistentvolumeclaims", "secrets",
            "serviceaccounts", "services", "services/proxy")),
        rule(List.of("create"), List.of(""), List.of("serviceaccounts/token")),
        rule(WRITE, List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback", "deployments/scale",
            "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale")),
        rule(WRITE, List.of("batch"), List.of("cronjobs", "jobs")),
        rule(WRITE, List.of("networking.k8s.io"), List.of("ingresses")),
        rule(WRITE, List.of("policy"), List.of("poddisruptionbudgets")),
        rule(WRITE, List.of("coordination.k8s.io"), List.of("leases")),
        rule(READ, List.of("coordination.k8s.io"), List.of("leases")),
        rule(READ, List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets",
            "services/proxy")),
        rule(List.of("impersonate"), List.of(""), List.of("serviceaccounts"))));
    rules.addAll(view());
    return rules;
  }

  static List<PolicyRule> admin() {
    List<PolicyRule> rules = new ArrayList<>(List.of(
        rule(List.of("create"), List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews")),
        rule(READ_WRITE, List.of(RBAC), List.of("rolebindings", "roles"))));
    rules.addAll(edit());
    return rules;
  }

  private static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources) {
    return PolicyRule.resources(verbs, groups, resources, List.of());
  }

  private static ObjectNode metadata(ObjectNode o, String kind, String name) {
    o.put("apiVersion", RBAC + "/v1");
    o.put("kind", kind);
    ObjectNode md = o.putObject("metadata");
    md.put("name", name);
    md.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
    md.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
    return o;
  }

  static ObjectNode clusterRole(String name, List<PolicyRule> rules) {
    ObjectNode o = metadata(F.objectNode(), "ClusterRole", name);
    ArrayNode rs = o.putArray("rules");
    for (PolicyRule r : rules) {
      ObjectNode n = rs.addObject();
      strings(n, "verbs", r.verbs());
      strings(n, "apiGroups", r.apiGroups());
      strings(n, "resources", r.resources());
      strings(n, "resourceNames", r.resourceNames());
      strings(n, "nonResourceURLs", r.nonResourceURLs());
    }
    return o;
  }

  /**
   * The user-facing roles aggregate, as in Kubernetes, every ClusterRole labelled
   * {@code rbac.authorization.k8s.io/aggregate-to-<role>: "true"} (the rules of such roles are added
   * when the role is evaluated, besides the flattened defaults).
   */
  private static ObjectNode aggregated(ObjectNode role, String to) {
    role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels")
        .put(RBAC + "/aggregate-to-" + to, "true");
    return role;
  }

  private static ObjectNode binding(String role, String... groups) {
    ObjectNode o = metadata(F.objectNode(), "ClusterRoleBinding", role);
    ObjectNode ref = o.putObject("roleRef");
    ref.put("apiGroup", RBAC);
    ref.put("kind", "ClusterRole");
    ref.put("name", role);
    ArrayNode subjects = o.putArray("subjects");
    for (String g : groups) {
      ObjectNode s = subjects.addObject();
      s.put("apiGroup", RBAC);
      s.put("kind", "Group");
      s.put("name", g);
    }
    return o;
  }

  private static void strings(ObjectNode n, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode a = n.putArray(field);
      values.forEach(a::add);
    }
  }
}
