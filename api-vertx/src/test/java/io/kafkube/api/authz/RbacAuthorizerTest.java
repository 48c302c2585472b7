package io.kafkube.api.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.api.auth.Authenticator;
import io.kafkube.schemas.envelope.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The RBAC authorizer against a table of roles and bindings, case by case. */
class RbacAuthorizerTest {
  static final User ALICE = new User("alice", List.of("dev", "system:authenticated"), "u1");
  static final User BOB = new User("bob", List.of("system:authenticated"), "u2");
  static final User ROOT = new User("root", List.of("system:masters", "system:authenticated"), "u0");
  static final User READER = Authenticator.serviceAccountUser("default", "reader", "sa1");
  static final User OTHER_SA = Authenticator.serviceAccountUser("team", "reader", "sa2");

  /** Roles and bindings in memory. */
  static final class Table implements RbacSource {
    final Map<String, List<PolicyRule>> clusterRoles = new HashMap<>();
    final Map<String, List<PolicyRule>> roles = new HashMap<>();
    final List<Binding> bindings = new ArrayList<>();

    Table clusterRole(String name, PolicyRule... rules) {
      clusterRoles.put(name, List.of(rules));
      return this;
    }

    Table role(String ns, String name, PolicyRule... rules) {
      roles.put(ns + "/" + name, List.of(rules));
      return this;
    }

    Table bind(String ns, String name, String roleKind, String role, Subject... subjects) {
      bindings.add(new Binding(ns, name, roleKind, role, List.of(subjects)));
      return this;
    }

    @Override
    public List<Binding> clusterRoleBindings() {
      return bindings.stream().filter(Binding::clusterWide).toList();
    }

    @Override
    public List<Binding> roleBindings(String namespace) {
      return bindings.stream().filter(b -> b.namespace().equals(namespace)).toList();
    }

    @Override
    public Optional<List<PolicyRule>> clusterRole(String name) {
      return Optional.ofNullable(clusterRoles.get(name));
    }

    @Override
    public Optional<List<PolicyRule>> role(String namespace, String name) {
      return Optional.ofNullable(roles.get(namespace + "/" + name));
    }
  }

  static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources, String... names) {
    return PolicyRule.resources(verbs, groups, resources, List.of(names));
  }

  static final RbacAuthorizer AUTHORIZER = new RbacAuthorizer(new Table()
      .role("default", "pod-reader", rule(List.of("get", "list"), List.of(""), List.of("pods")))
      .bind("default", "read-pods", "Role", "pod-reader", Subject.serviceAccount("default", "reader"))
      // a ServiceAccount subject without namespace means the binding's namespace
      .role("team", "pod-reader", rule(List.of("get", "list"), List.of(""), List.of("pods")))
      .bind("team", "read-pods", "Role", "pod-reader", Subject.serviceAccount("", "reader"))
      .role("default", "one-cm", rule(List.of("get", "update"), List.of(""), List.of("configmaps"), "settings"))
      .bind("default", "alice-cm", "Role", "one-cm", Subject.user("alice"))
      .clusterRole("scaler", rule(List.of("get", "patch"), List.of("apps"), List.of("deployments/scale")),
          rule(List.of("get"), List.of(""), List.of("pods/log")))
      .bind("default", "dev-scaler", "ClusterRole", "scaler", Subject.group("dev"))
      .clusterRole("any-scale", rule(List.of("get"), List.of("*"), List.of("*/scale")))
      .bind("", "bob-any-scale", "ClusterRole", "any-scale", Subject.user("bob"))
      .clusterRole("node-reader", rule(List.of("*"), List.of(""), List.of("nodes")))
      .bind("", "sas-nodes", "ClusterRole", "node-reader", Subject.group("system:serviceaccounts:team"))
      .clusterRole("metrics", PolicyRule.urls(List.of("get"), List.of("/metrics", "/logs/*")))
      .bind("", "bob-metrics", "ClusterRole", "metrics", Subject.user("bob"))
      // a RoleBinding does not grant non-resource URLs nor cluster-scoped resources
      .bind("default", "alice-metrics", "ClusterRole", "metrics", Subject.user("alice"))
      .bind("default", "alice-nodes", "ClusterRole", "node-reader", Subject.user("alice"))
      // a ClusterRoleBinding may not refer to a Role; a binding to a missing role grants nothing
      .bind("", "bad-ref", "Role", "pod-reader", Subject.user("bob"))
      .bind("", "dangling", "ClusterRole", "nope", Subject.user("bob"))
      .clusterRole("all-in-apps", rule(List.of("*"), List.of("apps"), List.of("*")))
      .bind("", "every-sa-apps", "ClusterRole", "all-in-apps", Subject.group("system:serviceaccounts")));

  static Attributes res(User u, String verb, String group, String ns, String resource, String sub, String name) {
    return Attributes.resource(u, verb, group, ns, resource, sub, name);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("role grants list pods", res(READER, "list", "", "default", "pods", "", ""), true),
        Arguments.of("role grants get pod", res(READER, "get", "", "default", "pods", "", "x"), true),
        Arguments.of("verb not in rule", res(READER, "delete", "", "default", "pods", "", "x"), false),
        Arguments.of("resource not in rule", res(READER, "list", "", "default", "secrets", "", ""), false),
        Arguments.of("other namespace", res(READER, "list", "", "kube-system", "pods", "", ""), false),
        Arguments.of("cluster-wide list", res(READER, "list", "", "", "pods", "", ""), false),
        Arguments.of("subresource needs its own rule", res(READER, "get", "", "default", "pods", "log", "x"), false),
        Arguments.of("group must match", res(READER, "list", "batch", "default", "pods", "", ""), false),
        Arguments.of("SA subject defaults to binding ns", res(OTHER_SA, "list", "", "team", "pods", "", ""), true),
        Arguments.of("same SA name, other ns", res(OTHER_SA, "list", "", "default", "pods", "", ""), false),
        Arguments.of("resourceNames: named", res(ALICE, "get", "", "default", "configmaps", "", "settings"), true),
        Arguments.of("resourceNames: other name", res(ALICE, "get", "", "default", "configmaps", "", "x"), false),
        Arguments.of("resourceNames: list has no name", res(ALICE, "list", "", "default", "configmaps", "", ""),
            false),
        Arguments.of("group subject, subresource", res(ALICE, "patch", "apps", "default", "deployments", "scale",
            "web"), true),
        Arguments.of("subresource rule is not the resource", res(ALICE, "patch", "apps", "default", "deployments",
            "", "web"), false),
        Arguments.of("pods/log", res(ALICE, "get", "", "default", "pods", "log", "x"), true),
        Arguments.of("*/scale any group", res(BOB, "get", "apps", "team", "statefulsets", "scale", "db"), true),
        Arguments.of("*/scale not status", res(BOB, "get", "apps", "team", "statefulsets", "status", "db"), false),
        Arguments.of("verb * and SA namespace group", res(OTHER_SA, "delete", "", "", "nodes", "", "n1"), true),
        Arguments.of("SA namespace group of another ns", res(READER, "get", "", "", "nodes", "", "n1"), false),
        Arguments.of("system:serviceaccounts group, resource *", res(READER, "create", "apps", "x", "deployments",
            "", ""), true),
        Arguments.of("users are not service accounts", res(ALICE, "create", "apps", "x", "deployments", "", ""),
            false),
        Arguments.of("RoleBinding to ClusterRole is namespaced", res(ALICE, "get", "", "", "nodes", "", "n1"), false),
        Arguments.of("ClusterRoleBinding to Role grants nothing", res(BOB, "list", "", "default", "pods", "", ""),
            false),
        Arguments.of("non-resource exact", Attributes.nonResource(BOB, "get", "/metrics"), true),
        Arguments.of("non-resource prefix *", Attributes.nonResource(BOB, "get", "/logs/kubelet.log"), true),
        Arguments.of("non-resource other path", Attributes.nonResource(BOB, "get", "/metricsx"), false),
        Arguments.of("non-resource verb", Attributes.nonResource(BOB, "post", "/metrics"), false),
        Arguments.of("non-resource via RoleBinding", Attributes.nonResource(ALICE, "get", "/metrics"), false),
        Arguments.of("masters may do anything", res(ROOT, "deletecollection", "x.io", "", "widgets", "", ""), true),
        Arguments.of("masters, non-resource", Attributes.nonResource(ROOT, "put", "/anything"), true),
        Arguments.of("nobody", res(new User("eve", List.of("system:authenticated"), "e"), "get", "", "default",
            "pods", "", "x"), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void authorizes(String title, Attributes request, boolean allowed) {
    assertThat(AUTHORIZER.authorize(request).allowed()).as(title).isEqualTo(allowed);
  }

  @Test
  void reasonNamesTheBindingRoleAndSubject() {
    assertThat(AUTHORIZER.authorize(res(READER, "get", "", "default", "pods", "", "x")).reason())
        .isEqualTo("RBAC: allowed by RoleBinding \"read-pods/default\" of Role \"pod-reader\" to ServiceAccount "
            + "\"reader/default\"");
    // a ServiceAccount subject without namespace is named with the binding's
    assertThat(AUTHORIZER.authorize(res(OTHER_SA, "list", "", "team", "pods", "", "")).reason())
        .isEqualTo("RBAC: allowed by RoleBinding \"read-pods/team\" of Role \"pod-reader\" to ServiceAccount "
            + "\"reader/team\"");
    assertThat(AUTHORIZER.authorize(res(OTHER_SA, "get", "", "", "nodes", "", "n1")).reason())
        .isEqualTo("RBAC: allowed by ClusterRoleBinding \"sas-nodes\" of ClusterRole \"node-reader\" to Group "
            + "\"system:serviceaccounts:team\"");
    assertThat(AUTHORIZER.authorize(res(READER, "delete", "", "default", "pods", "", "x")))
        .isEqualTo(Decision.deny());
  }

  @Test
  void defaultPolicyBindsDiscoveryAndSelfReviewsToEveryAuthenticatedUser() {
    Table t = new Table();
    for (var o : BootstrapPolicy.objects()) {
      String name = o.path("metadata").path("name").asText();
      if (o.path("kind").asText().equals("ClusterRole")) {
        t.clusterRoles.put(name, PolicyRule.fromRole(o));
      } else {
        t.bindings.add(Binding.fromJson(o));
      }
    }
    RbacAuthorizer a = new RbacAuthorizer(t);
    assertThat(a.authorize(Attributes.nonResource(READER, "get", "/apis/apps/v1")).allowed()).isTrue();
    assertThat(a.authorize(Attributes.nonResource(READER, "get", "/openapi/v3")).allowed()).isTrue();
    assertThat(a.authorize(Attributes.nonResource(READER, "get", "/metrics")).allowed()).isFalse();
    assertThat(a.authorize(res(READER, "create", "authorization.k8s.io", "", "selfsubjectaccessreviews", "", ""))
        .allowed()).isTrue();
    assertThat(a.authorize(res(READER, "list", "", "default", "pods", "", "")).allowed()).isFalse();
    // cluster-admin: everything, bound to system:masters (as in Kubernetes, besides the privileged group)
    assertThat(t.clusterRole("cluster-admin").orElseThrow()).containsExactly(
        rule(List.of("*"), List.of("*"), List.of("*")), PolicyRule.urls(List.of("*"), List.of("*")));
    assertThat(t.clusterRoleBindings()).contains(new Binding("", "cluster-admin", "ClusterRole", "cluster-admin",
        List.of(Subject.group("system:masters"))));
    // view reads deployments but not secrets; edit writes secrets
    RbacAuthorizer viewer = new RbacAuthorizer(t.bind("default", "v", "ClusterRole", "view", Subject.user("bob"))
        .bind("default", "e", "ClusterRole", "edit", Subject.user("alice")));
    assertThat(viewer.authorize(res(BOB, "list", "apps", "default", "deployments", "", "")).allowed()).isTrue();
    assertThat(viewer.authorize(res(BOB, "get", "", "default", "secrets", "", "s")).allowed()).isFalse();
    assertThat(viewer.authorize(res(ALICE, "update", "", "default", "secrets", "", "s")).allowed()).isTrue();
    assertThat(viewer.authorize(res(ALICE, "create", "rbac.authorization.k8s.io", "default", "roles", "", ""))
        .allowed()).isFalse();
  }

  @Test
  void rulesOfAUserInANamespace() {
    assertThat(AUTHORIZER.rules(READER, "default")).containsExactlyInAnyOrder(
        rule(List.of("get", "list"), List.of(""), List.of("pods")),
        rule(List.of("*"), List.of("apps"), List.of("*")));
    assertThat(AUTHORIZER.rules(ALICE, "default")).contains(
            rule(List.of("get", "update"), List.of(""), List.of("configmaps"), "settings"),
            rule(List.of("*"), List.of(""), List.of("nodes")))
        .noneMatch(r -> !r.nonResourceURLs().isEmpty());
    assertThat(AUTHORIZER.rules(BOB, "default")).contains(PolicyRule.urls(List.of("get"), List.of("/metrics",
        "/logs/*")));
  }

  @Test
  void attributesFromRequests() {
    assertThat(Attributes.of(BOB, "GET", "/api/v1/namespaces/default/pods", false))
        .isEqualTo(res(BOB, "list", "", "default", "pods", "", ""));
    assertThat(Attributes.of(BOB, "GET", "/api/v1/namespaces/default/pods", true).verb()).isEqualTo("watch");
    assertThat(Attributes.of(BOB, "GET", "/api/v1/namespaces/default/pods/x/log", false))
        .isEqualTo(res(BOB, "get", "", "default", "pods", "log", "x"));
    assertThat(Attributes.of(BOB, "PATCH", "/apis/apps/v1/namespaces/team/deployments/web/scale", false))
        .isEqualTo(res(BOB, "patch", "apps", "team", "deployments", "scale", "web"));
    assertThat(Attributes.of(BOB, "DELETE", "/apis/apps/v1/namespaces/team/deployments", false).verb())
        .isEqualTo("deletecollection");
    assertThat(Attributes.of(BOB, "POST", "/api/v1/namespaces/default/serviceaccounts/r/token", false))
        .isEqualTo(res(BOB, "create", "", "default", "serviceaccounts", "token", "r"));
    // a namespace is in its own namespace, and namespaces/x/status is the namespace's subresource
    assertThat(Attributes.of(BOB, "GET", "/api/v1/namespaces/team", false))
        .isEqualTo(res(BOB, "get", "", "team", "namespaces", "", "team"));
    assertThat(Attributes.of(BOB, "PUT", "/api/v1/namespaces/team/status", false))
        .isEqualTo(res(BOB, "update", "", "team", "namespaces", "status", "team"));
    assertThat(Attributes.of(BOB, "GET", "/api/v1/nodes", false)).isEqualTo(res(BOB, "list", "", "", "nodes", "", ""));
    assertThat(Attributes.of(BOB, "GET", "/apis/apps/v1", false)).isEqualTo(Attributes.nonResource(BOB, "get",
        "/apis/apps/v1"));
    assertThat(Attributes.of(BOB, "GET", "/openapi/v3/apis/apps/v1", false).resourceRequest()).isFalse();
  }

  @Test
  void aListOrWatchPinnedToOneNameIsAuthorizedWithThatName() {
    String cms = "/api/v1/namespaces/default/configmaps";
    assertThat(Attributes.of(ALICE, "GET", cms, true, "metadata.name=settings"))
        .isEqualTo(res(ALICE, "watch", "", "default", "configmaps", "", "settings"));
    assertThat(Attributes.of(ALICE, "GET", cms, false, "a=b,metadata.name==settings").name()).isEqualTo("settings");
    assertThat(Attributes.of(ALICE, "GET", cms, false, "metadata.name!=settings").name()).isEmpty();
    assertThat(Attributes.of(ALICE, "GET", cms, false, "metadata.namespace=default").name()).isEmpty();
    assertThat(Attributes.of(ALICE, "GET", cms, false, "metadata.name=..").name()).as("not a valid name").isEmpty();
    assertThat(Attributes.of(ALICE, "DELETE", cms, false, "metadata.name=settings").name())
        .as("only list and watch").isEmpty();
    // a rule with resourceNames allows the pinned list, never the whole collection
    RbacAuthorizer a = new RbacAuthorizer(new Table()
        .role("default", "one-cm", rule(List.of("list", "watch"), List.of(""), List.of("configmaps"), "settings"))
        .bind("default", "alice-cm", "Role", "one-cm", Subject.user("alice")));
    assertThat(a.authorize(Attributes.of(ALICE, "GET", cms, true, "metadata.name=settings")).allowed()).isTrue();
    assertThat(a.authorize(Attributes.of(ALICE, "GET", cms, true, "metadata.name=other")).allowed()).isFalse();
    assertThat(a.authorize(Attributes.of(ALICE, "GET", cms, false, null)).allowed()).isFalse();
  }

  @Test
  void forbiddenMessagesAsKubeApiserverWritesThem() {
    assertThat(Forbidden.of(res(READER, "list", "", "default", "secrets", "", "")).getMessage())
        .isEqualTo("secrets is forbidden: User \"system:serviceaccount:default:reader\" cannot list resource "
            + "\"secrets\" in API group \"\" in the namespace \"default\"");
    assertThat(Forbidden.of(res(BOB, "patch", "apps", "team", "deployments", "scale", "web")).getMessage())
        .isEqualTo("deployments.apps \"web\" is forbidden: User \"bob\" cannot patch resource \"deployments/scale\" "
            + "in API group \"apps\" in the namespace \"team\"");
    assertThat(Forbidden.of(res(BOB, "list", "", "", "nodes", "", "")).getMessage())
        .isEqualTo("nodes is forbidden: User \"bob\" cannot list resource \"nodes\" in API group \"\" at the "
            + "cluster scope");
    assertThat(Forbidden.of(Attributes.nonResource(BOB, "get", "/metrics")).getMessage())
        .isEqualTo("forbidden: User \"bob\" cannot get path \"/metrics\"");
    assertThat(Forbidden.of(res(BOB, "list", "", "", "nodes", "", "")).code()).isEqualTo(403);
    // StatusDetails as errors.NewForbidden fills them, empty fields left out
    assertThat(io.kafkube.api.http.Json.status(Forbidden.of(res(READER, "delete", "", "default", "pods", "", "x"))
        .status()).path("details").toString()).isEqualTo("{\"name\":\"x\",\"kind\":\"pods\"}");
    assertThat(io.kafkube.api.http.Json.status(Forbidden.of(res(BOB, "list", "apps", "team", "deployments", "", ""))
        .status()).path("details").toString()).isEqualTo("{\"group\":\"apps\",\"kind\":\"deployments\"}");
  }
}
