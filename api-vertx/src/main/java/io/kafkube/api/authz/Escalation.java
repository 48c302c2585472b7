package io.kafkube.api.authz;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.ApiException;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.status.Statuses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * RBAC's privilege-escalation prevention, as kube-apiserver's RBAC registry enforces it: a user may
 * create or update a Role or ClusterRole only with permissions the user already holds (or with the
 * {@code escalate} verb on it), may bind a role only when holding its permissions (or with the
 * {@code bind} verb on it), and may use a ClusterRole's {@code aggregationRule} only with
 * cluster-admin's privileges. Holding is checked as {@code validation.Covers} does: every rule
 * broken into single verb/group/resource/name grants, each covered by one rule the user holds.
 */
public final class Escalation {
  static final String GROUP = "rbac.authorization.k8s.io";

  private final RbacAuthorizer authorizer;
  private final RbacSource source;

  public Escalation(RbacAuthorizer authorizer, RbacSource source) {
    this.authorizer = authorizer;
    this.source = source;
  }

  /**
   * Checks a Role, ClusterRole, RoleBinding or ClusterRoleBinding that {@code user} writes;
   * {@code resource} is its plural, {@code namespace} null for the cluster-scoped ones.
   */
  public void check(User user, String resource, String namespace, String name, JsonNode object) {
    String ns = namespace == null ? "" : namespace;
    switch (resource) {
      case "roles", "clusterroles" -> {
        if (authorizer.authorize(Attributes.resource(user, "escalate", GROUP, ns, resource, "", name)).allowed()) {
          return;
        }
        if (resource.equals("clusterroles") && object.path("aggregationRule").isObject()
            && !authorizer.authorize(Attributes.resource(user, "*", "*", "", "*", "", "")).allowed()) {
          throw forbidden(resource, name, "must have cluster-admin privileges to use the aggregationRule");
        }
        confirm(user, resource, ns, name, PolicyRule.fromRole(object));
      }
      case "rolebindings", "clusterrolebindings" -> {
        JsonNode ref = object.path("roleRef");
        String kind = ref.path("kind").asText();
        String roleName = ref.path("name").asText();
        String roleResource = kind.equals(Binding.CLUSTER_ROLE) ? "clusterroles" : "roles";
        if (authorizer.authorize(Attributes.resource(user, "bind", GROUP, ns, roleResource, "", roleName)).allowed()) {
          return;
        }
        Optional<List<PolicyRule>> rules = kind.equals(Binding.CLUSTER_ROLE) ? source.clusterRole(roleName)
            : source.role(ns, roleName);
        confirm(user, resource, ns, name, rules.orElse(List.of()));
      }
      default -> {
        // not an RBAC object
      }
    }
  }

  private void confirm(User user, String resource, String ns, String name, List<PolicyRule> requested) {
    List<PolicyRule> missing = missing(authorizer.rules(user, ns), requested);
    if (missing.isEmpty()) {
      return;
    }
    String groups = user.groups().stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(" ", "[", "]"));
    TreeSet<String> lines = new TreeSet<>();
    compact(missing).forEach(r -> lines.add(compactString(r)));
    throw forbidden(resource, name, "user \"" + user.username() + "\" (groups=" + groups
        + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", lines));
  }

  private static ApiException forbidden(String resource, String name, String why) {
    String subject = resource + "." + GROUP + " \"" + name + "\" is forbidden: ";
    return new ApiException(Statuses.status(403, "Forbidden", subject + why, null, null, null, List.of()));
  }

  /** The single grants of {@code requested} that no rule of {@code owner} covers. */
  static List<PolicyRule> missing(List<PolicyRule> owner, List<PolicyRule> requested) {
    List<PolicyRule> out = new ArrayList<>();
    for (PolicyRule r : requested) {
      for (PolicyRule atom : atoms(r)) {
        if (owner.stream().noneMatch(o -> covers(o, atom))) {
          out.add(atom);
        }
      }
    }
    return out;
  }

  private static List<PolicyRule> atoms(PolicyRule r) {
    List<PolicyRule> out = new ArrayList<>();
    for (String verb : r.verbs()) {
      for (String url : r.nonResourceURLs()) {
        out.add(PolicyRule.urls(List.of(verb), List.of(url)));
      }
      for (String group : r.apiGroups()) {
        for (String res : r.resources()) {
          if (r.resourceNames().isEmpty()) {
            out.add(PolicyRule.resources(List.of(verb), List.of(group), List.of(res), List.of()));
          }
          for (String n : r.resourceNames()) {
            out.add(PolicyRule.resources(List.of(verb), List.of(group), List.of(res), List.of(n)));
          }
        }
      }
    }
    return out;
  }

  /** Whether {@code owner} grants the single grant {@code atom}. */
  static boolean covers(PolicyRule owner, PolicyRule atom) {
    if (!has(owner.verbs(), atom.verbs().get(0))) {
      return false;
    }
    if (!atom.nonResourceURLs().isEmpty()) {
      String url = atom.nonResourceURLs().get(0);
      for (String u : owner.nonResourceURLs()) {
        if (u.equals(PolicyRule.ALL) || u.equals(url)
            || (u.endsWith("*") && url.startsWith(u.substring(0, u.length() - 1)))) {
          return true;
        }
      }
      return false;
    }
    if (!has(owner.apiGroups(), atom.apiGroups().get(0))) {
      return false;
    }
    String res = atom.resources().get(0);
    boolean resource = has(owner.resources(), res);
    int slash = res.indexOf('/');
    if (!resource && slash > 0) {
      // "*/scale" covers every scale subresource, "deployments/*" every subresource of deployments
      resource = owner.resources().contains("*" + res.substring(slash))
          || owner.resources().contains(res.substring(0, slash) + "/*");
    }
    if (!resource) {
      return false;
    }
    return owner.resourceNames().isEmpty()
        || (!atom.resourceNames().isEmpty() && owner.resourceNames().contains(atom.resourceNames().get(0)));
  }

  private static boolean has(List<String> allowed, String requested) {
    return allowed.contains(PolicyRule.ALL) || allowed.contains(requested);
  }

  /** Single grants merged back by everything but the verb, as kube's CompactRules does. */
  private static List<PolicyRule> compact(List<PolicyRule> atoms) {
    Map<String, PolicyRule> merged = new TreeMap<>();
    for (PolicyRule a : atoms) {
      String k = String.join(",", a.apiGroups()) + "|" + String.join(",", a.resources()) + "|"
          + String.join(",", a.resourceNames()) + "|" + String.join(",", a.nonResourceURLs());
      PolicyRule prev = merged.get(k);
      if (prev == null) {
        merged.put(k, a);
      } else if (!prev.verbs().contains(a.verbs().get(0))) {
        List<String> verbs = new ArrayList<>(prev.verbs());
        verbs.add(a.verbs().get(0));
        merged.put(k, new PolicyRule(verbs, a.apiGroups(), a.resources(), a.resourceNames(), a.nonResourceURLs()));
      }
    }
    return List.copyOf(merged.values());
  }

  /** kube's {@code CompactString}: {@code {APIGroups:["apps"], Resources:["deployments"], Verbs:["create"]}}. */
  static String compactString(PolicyRule r) {
    List<String> parts = new ArrayList<>();
    if (!r.apiGroups().isEmpty()) {
      parts.add("APIGroups:" + quoted(r.apiGroups()));
    }
    if (!r.resources().isEmpty()) {
      parts.add("Resources:" + quoted(r.resources()));
    }
    if (!r.resourceNames().isEmpty()) {
      parts.add("ResourceNames:" + quoted(r.resourceNames()));
    }
    if (!r.nonResourceURLs().isEmpty()) {
      parts.add("NonResourceURLs:" + quoted(r.nonResourceURLs()));
    }
    parts.add("Verbs:" + quoted(r.verbs()));
    return "{" + String.join(", ", parts) + "}";
  }

  private static String quoted(List<String> l) {
    return l.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
  }
}
