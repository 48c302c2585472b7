package io.kafkube.api.authz;

import io.kafkube.schemas.envelope.User;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes' authorizer chain as kube-apiserver configures it with {@code --authorization-mode=RBAC}:
 * members of {@code system:masters} may do everything (the privileged-group authorizer), everyone
 * else what the ClusterRoleBindings and the RoleBindings of the request's namespace grant. Pure:
 * roles and bindings come from an {@link RbacSource}; denial is the absence of a grant.
 */
public final class RbacAuthorizer {
  public static final String MASTERS = "system:masters";

  private final RbacSource source;

  public RbacAuthorizer(RbacSource source) {
    this.source = source;
  }

  /** Whether the request is allowed, and by what. */
  public Decision authorize(Attributes a) {
    if (a.user().groups().contains(MASTERS)) {
      return Decision.allow("");
    }
    for (Binding b : source.clusterRoleBindings()) {
      Optional<Decision> d = check(b, "", a);
      if (d.isPresent()) {
        return d.get();
      }
    }
    if (a.resourceRequest() && !a.namespace().isEmpty()) {
      for (Binding b : source.roleBindings(a.namespace())) {
        Optional<Decision> d = check(b, a.namespace(), a);
        if (d.isPresent()) {
          return d.get();
        }
      }
    }
    return Decision.deny();
  }

  private Optional<Decision> check(Binding b, String namespace, Attributes a) {
    Subject subject = applies(b, a.user(), namespace);
    if (subject == null) {
      return Optional.empty();
    }
    for (PolicyRule r : rulesOf(b)) {
      if (r.allows(a)) {
        return Optional.of(Decision.allow("RBAC: allowed by " + b.describe() + " of " + b.roleKind() + " \""
            + b.roleName() + "\" to " + subject.describe(b.namespace())));
      }
    }
    return Optional.empty();
  }

  /**
   * The rules that apply to {@code user} in {@code namespace} (cluster-wide ones included), as
   * SelfSubjectRulesReview reports them: every rule of every role bound to the user.
   */
  public List<PolicyRule> rules(User user, String namespace) {
    Set<PolicyRule> out = new LinkedHashSet<>();
    if (user.groups().contains(MASTERS)) {
      out.add(PolicyRule.resources(List.of(PolicyRule.ALL), List.of(PolicyRule.ALL), List.of(PolicyRule.ALL),
          List.of()));
      out.add(PolicyRule.urls(List.of(PolicyRule.ALL), List.of(PolicyRule.ALL)));
    }
    List<Binding> bindings = new ArrayList<>();
    for (Binding b : source.clusterRoleBindings()) {
      if (applies(b, user, "") != null) {
        bindings.add(b);
      }
    }
    if (namespace != null && !namespace.isEmpty()) {
      for (Binding b : source.roleBindings(namespace)) {
        if (applies(b, user, namespace) != null) {
          bindings.add(b);
        }
      }
    }
    for (Binding b : bindings) {
      for (PolicyRule r : rulesOf(b)) {
        // a RoleBinding grants the resource rules of its role only within its namespace
        if (b.clusterWide() || r.nonResourceURLs().isEmpty()) {
          out.add(r);
        }
      }
    }
    return List.copyOf(out);
  }

  private static Subject applies(Binding b, User user, String namespace) {
    for (Subject s : b.subjects()) {
      if (s.appliesTo(user, namespace)) {
        return s;
      }
    }
    return null;
  }

  private List<PolicyRule> rulesOf(Binding b) {
    if (b.roleKind().equals(Binding.CLUSTER_ROLE)) {
      return source.clusterRole(b.roleName()).orElse(List.of());
    }
    if (b.roleKind().equals(Binding.ROLE) && !b.clusterWide()) {
      return source.role(b.namespace(), b.roleName()).orElse(List.of());
    }
    return List.of();
  }
}
