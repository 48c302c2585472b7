package io.kafkube.api.authz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One rule of a Role or ClusterRole ({@code rbac.authorization.k8s.io/v1 PolicyRule}), matched
 * exactly as Kubernetes' RBAC authorizer does ({@code rbac/v1 helpers}: VerbMatches,
 * APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches).
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
    List<String> resourceNames, List<String> nonResourceURLs) {
  public static final String ALL = "*";

  public PolicyRule {
    verbs = List.copyOf(verbs);
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
    nonResourceURLs = List.copyOf(nonResourceURLs);
  }

  /** A resource rule. */
  public static PolicyRule resources(List<String> verbs, List<String> apiGroups, List<String> resources,
      List<String> resourceNames) {
    return new PolicyRule(verbs, apiGroups, resources, resourceNames, List.of());
  }

  /** A non-resource rule. */
  public static PolicyRule urls(List<String> verbs, List<String> nonResourceURLs) {
    return new PolicyRule(verbs, List.of(), List.of(), List.of(), nonResourceURLs);
  }

  /** Whether this rule allows the request. */
  public boolean allows(Attributes a) {
    if (!matches(verbs, a.verb())) {
      return false;
    }
    if (!a.resourceRequest()) {
      return urlMatches(a.path());
    }
    return matches(apiGroups, a.apiGroup()) && resourceMatches(a) && nameMatches(a.name());
  }

  private boolean resourceMatches(Attributes a) {
    String combined = a.resourceWithSubresource();
    for (String r : resources) {
      if (r.equals(ALL) || r.equals(combined)) {
        return true;
      }
      // "*/scale" matches the scale subresource of every resource
      if (!a.subresource().isEmpty() && r.startsWith("*/") && r.substring(2).equals(a.subresource())) {
        return true;
      }
    }
    return false;
  }

  private boolean nameMatches(String name) {
    return resourceNames.isEmpty() || resourceNames.contains(name);
  }

  private boolean urlMatches(String path) {
    for (String u : nonResourceURLs) {
      if (u.equals(ALL) || u.equals(path)
          || (u.endsWith(ALL) && path.startsWith(u.substring(0, u.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(List<String> allowed, String requested) {
    return allowed.contains(ALL) || allowed.contains(requested);
  }

  /** The rules of a Role or ClusterRole in Kubernetes JSON. */
  public static List<PolicyRule> fromRole(JsonNode role) {
    List<PolicyRule> out = new ArrayList<>();
    for (JsonNode r : role.path("rules")) {
      out.add(new PolicyRule(strings(r.path("verbs")), strings(r.path("apiGroups")), strings(r.path("resources")),
          strings(r.path("resourceNames")), strings(r.path("nonResourceURLs"))));
    }
    return out;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(n.asText());
    }
    return out;
  }
}
