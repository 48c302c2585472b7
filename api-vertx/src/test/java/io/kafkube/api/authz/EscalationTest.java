package io.kafkube.api.authz;

import static io.kafkube.api.authz.RbacAuthorizerTest.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.api.ApiException;
import io.kafkube.schemas.envelope.User;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Privilege-escalation prevention against a table of roles and bindings. */
class EscalationTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final User DEV = new User("dev", List.of("team", "system:authenticated"), "u1");
  private static final User ROOT = new User("root", List.of("system:masters"), "u0");
  private static final User BINDER = new User("binder", List.of("system:authenticated"), "u2");

  private static final RbacAuthorizerTest.Table TABLE = new RbacAuthorizerTest.Table()
      .role("apps", "developer",
          rule(List.of("get", "list", "watch", "create", "update"), List.of("", "apps"), List.of("pods", "deployments")),
          rule(List.of("get"), List.of(""), List.of("configmaps"), "settings"),
          rule(List.of("*"), List.of("apps"), List.of("*/scale")))
      .bind("apps", "dev", "Role", "developer", Subject.user("dev"))
      .clusterRole("secret-reader", rule(List.of("get"), List.of(""), List.of("secrets")))
      .clusterRole("pod-reader", rule(List.of("get", "list"), List.of(""), List.of("pods")))
      .role("apps", "role-binder", rule(List.of("bind"), List.of("rbac.authorization.k8s.io"),
          List.of("clusterroles"), "secret-reader"),
          rule(List.of("create"), List.of("rbac.authorization.k8s.io"), List.of("rolebindings")))
      .bind("apps", "binder", "Role", "role-binder", Subject.user("binder"))
      .role("apps", "escalator", rule(List.of("escalate", "create"), List.of("rbac.authorization.k8s.io"),
          List.of("roles")))
      .bind("apps", "escalator", "Role", "escalator", Subject.user("binder"));
  private static final Escalation ESCALATION = new Escalation(new RbacAuthorizer(TABLE), TABLE);

  private static JsonNode role(String rulesJson) throws Exception {
    return M.readTree("{\"rules\": " + rulesJson.replace('\'', '"') + "}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a subset of held rules                     | [{'verbs':['get','list'],'apiGroups':['apps'],'resources':['deployments']}]",
      "a named subset                             | [{'verbs':['get'],'apiGroups':[''],'resources':['configmaps'],'resourceNames':['settings']}]",
      "a subresource through */scale              | [{'verbs':['patch'],'apiGroups':['apps'],'resources':['deployments/scale']}]",
      "no rules at all                            | []",
  })
  void heldPermissionsMayBeGranted(String name, String rules) throws Exception {
    assertThatCode(() -> ESCALATION.check(DEV, "roles", "apps", "r", role(rules))).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a verb not held      | [{'verbs':['delete'],'apiGroups':['apps'],'resources':['deployments']}]                          | {APIGroups:[\"apps\"], Resources:[\"deployments\"], Verbs:[\"delete\"]}",
      "a resource not held  | [{'verbs':['get'],'apiGroups':[''],'resources':['secrets']}]                                     | {APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}",
      "all names of a named | [{'verbs':['get'],'apiGroups':[''],'resources':['configmaps']}]                                  | {APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"get\"]}",
      "a wildcard verb      | [{'verbs':['*'],'apiGroups':[''],'resources':['pods']}]                                          | {APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"*\"]}",
      "a URL                | [{'verbs':['get'],'nonResourceURLs':['/metrics']}]                                               | {NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}",
  })
  void morePermissionsAreRefusedNamingWhatIsNotHeld(String name, String rules, String missing) throws Exception {
    assertThatThrownBy(() -> ESCALATION.check(DEV, "roles", "apps", "r", role(rules)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"dev\" (groups=[\"team\" "
            + "\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n" + missing);
  }

  @Test
  void missingVerbsOfOneResourceAreListedTogether() throws Exception {
    assertThatThrownBy(() -> ESCALATION.check(DEV, "roles", "apps", "r",
        role("[{'verbs':['get','delete','patch'],'apiGroups':[''],'resources':['pods','secrets']}]")))
        .hasMessageEndingWith("""
            not currently held:
            {APIGroups:[""], Resources:["pods"], Verbs:["delete", "patch"]}
            {APIGroups:[""], Resources:["secrets"], Verbs:["get", "delete", "patch"]}""");
  }

  @Test
  void rolesHeldInAnotherNamespaceDoNotCount() throws Exception {
    assertThatThrownBy(() -> ESCALATION.check(DEV, "roles", "other", "r",
        role("[{'verbs':['get'],'apiGroups':[''],'resources':['pods']}]"))).isInstanceOf(ApiException.class);
  }

  @Test
  void bindingARoleNeedsItsPermissionsOrTheBindVerb() throws Exception {
    JsonNode toSecretReader = M.readTree("""
        {"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "secret-reader"}}""");
    JsonNode toPodReader = M.readTree("""
        {"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "pod-reader"}}""");
    // dev holds get/list on pods in apps, not secrets
    assertThatCode(() -> ESCALATION.check(DEV, "rolebindings", "apps", "b", toPodReader)).doesNotThrowAnyException();
    assertThatThrownBy(() -> ESCALATION.check(DEV, "rolebindings", "apps", "b", toSecretReader))
        .hasMessageContaining("rolebindings.rbac.authorization.k8s.io \"b\" is forbidden")
        .hasMessageContaining("{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}");
    // binder holds nothing of secret-reader, but may bind it by name in apps
    assertThatCode(() -> ESCALATION.check(BINDER, "rolebindings", "apps", "b", toSecretReader))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> ESCALATION.check(BINDER, "rolebindings", "apps", "b", toPodReader))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> ESCALATION.check(BINDER, "clusterrolebindings", null, "b", toSecretReader))
        .isInstanceOf(ApiException.class); // the bind grant is namespaced
    assertThatCode(() -> ESCALATION.check(ROOT, "clusterrolebindings", null, "b", toSecretReader))
        .doesNotThrowAnyException();
  }

  @Test
  void theEscalateVerbAllowsAnyRules() throws Exception {
    JsonNode everything = role("[{'verbs':['*'],'apiGroups':['*'],'resources':['*']}]");
    assertThatCode(() -> ESCALATION.check(BINDER, "roles", "apps", "r", everything)).doesNotThrowAnyException();
    assertThatThrownBy(() -> ESCALATION.check(BINDER, "roles", "other", "r", everything))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void anAggregationRuleNeedsClusterAdmin() throws Exception {
    JsonNode aggregated = M.readTree("""
        {"aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"x": "y"}}]}, "rules": []}""");
    assertThatThrownBy(() -> ESCALATION.check(DEV, "clusterroles", null, "agg", aggregated))
        .hasMessageContaining("clusterroles.rbac.authorization.k8s.io \"agg\" is forbidden: "
            + "must have cluster-admin privileges to use the aggregationRule");
    assertThatCode(() -> ESCALATION.check(ROOT, "clusterroles", null, "agg", aggregated)).doesNotThrowAnyException();
  }

  @Test
  void coveringIsByWholeGrants() {
    PolicyRule owner = rule(List.of("get"), List.of(""), List.of("configmaps"), "a", "b");
    assertThat(Escalation.missing(List.of(owner), List.of(rule(List.of("get"), List.of(""), List.of("configmaps"), "a"))))
        .isEmpty();
    assertThat(Escalation.missing(List.of(owner), List.of(rule(List.of("get"), List.of(""), List.of("configmaps"), "a",
        "c")))).extracting(r -> r.resourceNames().get(0)).containsExactly("c");
    assertThat(Escalation.missing(List.of(PolicyRule.urls(List.of("get"), List.of("/logs/*"))),
        List.of(PolicyRule.urls(List.of("get"), List.of("/logs/x", "/metrics")))))
        .extracting(r -> r.nonResourceURLs().get(0)).containsExactly("/metrics");
  }
}
