package io.kafkube.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkube.api.audit.AuditPolicy.Level;
import io.kafkube.api.audit.AuditPolicy.Stage;
import io.kafkube.api.authz.Attributes;
import io.kafkube.schemas.envelope.User;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading an {@code audit.k8s.io/v1 Policy} and matching requests to its rules as kube's policy checker does. */
class AuditPolicyTest {
  static final User ALICE = new User("alice", List.of("dev", "system:authenticated"), null);
  static final User BOB = new User("bob", List.of("ops", "system:authenticated"), null);

  static Attributes req(User u, String method, String path) {
    return Attributes.of(u, method, path, false);
  }

  static Level level(AuditPolicy p, User u, String method, String path) {
    return p.decide(req(u, method, path)).level();
  }

  @Test
  void theFirstMatchingRuleDecidesAndNoMatchMeansNone() {
    AuditPolicy p = AuditPolicy.parse("""
        apiVersion: audit.k8s.io/v1
        kind: Policy
        rules:
        - level: None
          users: ["bob"]
          verbs: ["get"]
        - level: RequestResponse
          resources:
          - group: ""
            resources: ["secrets"]
        - level: Metadata
          userGroups: ["ops"]
        """);
    assertThat(level(p, BOB, "GET", "/api/v1/namespaces/a/secrets/s")).isEqualTo(Level.None);
    assertThat(level(p, BOB, "DELETE", "/api/v1/namespaces/a/secrets/s")).isEqualTo(Level.RequestResponse);
    assertThat(level(p, ALICE, "GET", "/api/v1/namespaces/a/secrets/s")).isEqualTo(Level.RequestResponse);
    assertThat(level(p, BOB, "GET", "/api/v1/namespaces/a/pods/web")).isEqualTo(Level.None);
    assertThat(level(p, BOB, "GET", "/api/v1/namespaces/a/pods")).as("a list is not a get").isEqualTo(Level.Metadata);
    assertThat(level(p, BOB, "POST", "/api/v1/namespaces/a/pods")).isEqualTo(Level.Metadata);
    assertThat(level(p, ALICE, "POST", "/api/v1/namespaces/a/pods")).as("no rule matches").isEqualTo(Level.None);
  }

  @Test
  void resourcesMatchByGroupNameSubresourceWildcardAndResourceName() {
    AuditPolicy p = AuditPolicy.parse("""
        apiVersion: audit.k8s.io/v1
        kind: Policy
        rules:
        - level: RequestResponse
          resources:
          - group: "apps"
            resources: ["deployments/scale"]
        - level: Request
          resources:
          - group: ""
            resources: ["pods/*"]
        - level: Metadata
          resources:
          - group: ""
            resources: ["configmaps"]
            resourceNames: ["settings"]
          - group: "batch"
        - level: Request
          resources:
          - group: ""
            resources: ["*/status"]
        - level: RequestResponse
          namespaces: ["kube-system"]
        """);
    assertThat(level(p, ALICE, "PATCH", "/apis/apps/v1/namespaces/a/deployments/web/scale"))
        .isEqualTo(Level.RequestResponse);
    assertThat(level(p, ALICE, "PATCH", "/apis/apps/v1/namespaces/a/deployments/web")).isEqualTo(Level.None);
    assertThat(level(p, ALICE, "GET", "/api/v1/namespaces/a/pods/web/log")).isEqualTo(Level.Request);
    // kube's checker: "resource/*" compares the resource alone, so it matches the pod itself too
    assertThat(level(p, ALICE, "GET", "/api/v1/namespaces/a/pods/web")).isEqualTo(Level.Request);
    assertThat(level(p, ALICE, "GET", "/api/v1/namespaces/a/services/web")).isEqualTo(Level.None);
    assertThat(level(p, ALICE, "GET", "/api/v1/namespaces/a/configmaps/settings")).isEqualTo(Level.Metadata);
    assertThat(level(p, ALICE, "GET", "/api/v1/namespaces/a/configmaps/other")).isEqualTo(Level.None);
    assertThat(level(p, ALICE, "GET", "/apis/batch/v1/namespaces/a/jobs")).as("a group with no resources: all")
        .isEqualTo(Level.Metadata);
    assertThat(level(p, ALICE, "PUT", "/api/v1/namespaces/a/services/s/status")).isEqualTo(Level.Request);
    assertThat(level(p, ALICE, "GET", "/api/v1/namespaces/kube-system/services")).isEqualTo(Level.RequestResponse);
    assertThat(level(p, ALICE, "GET", "/api/v1/namespaces/default/services")).isEqualTo(Level.None);
    // a resource rule never matches a non-resource request
    assertThat(level(p, ALICE, "GET", "/healthz")).isEqualTo(Level.None);
  }

  @Test
  void nonResourceUrlsMatchExactlyOrByPrefixAndStagesAreOmitted() {
    AuditPolicy p = AuditPolicy.parse("""
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: ["RequestReceived"]
        rules:
        - level: None
          nonResourceURLs: ["/healthz*", "/version"]
        - level: Metadata
          nonResourceURLs: ["/apis"]
          omitStages: ["ResponseComplete"]
        - level: Request
        """);
    assertThat(level(p, ALICE, "GET", "/healthz/ready")).isEqualTo(Level.None);
    assertThat(level(p, ALICE, "GET", "/version")).isEqualTo(Level.None);
    assertThat(level(p, ALICE, "GET", "/versions")).isEqualTo(Level.Request);
    AuditPolicy.Decision apis = p.decide(req(ALICE, "GET", "/apis"));
    assertThat(apis.level()).isEqualTo(Level.Metadata);
    assertThat(apis.omitStages()).containsExactlyInAnyOrder(Stage.RequestReceived, Stage.ResponseComplete);
    assertThat(apis.records(Stage.ResponseComplete)).isFalse();
    AuditPolicy.Decision pods = p.decide(req(ALICE, "GET", "/api/v1/pods"));
    assertThat(pods.level()).isEqualTo(Level.Request);
    assertThat(pods.records(Stage.ResponseComplete)).isTrue();
    assertThat(pods.records(Stage.RequestReceived)).isFalse();
    assertThat(p.mayRecordResponses()).isFalse();
  }

  @Test
  void withoutAPolicyEverythingIsMetadata() {
    assertThat(level(AuditPolicy.METADATA_FOR_ALL, null, "GET", "/version")).isEqualTo(Level.Metadata);
    assertThat(level(AuditPolicy.METADATA_FOR_ALL, ALICE, "DELETE", "/api/v1/namespaces/a/pods/p"))
        .isEqualTo(Level.Metadata);
  }

  /** The stages a request ending normally is recorded at: what the handler checks, stage by stage. */
  static List<Stage> stages(AuditPolicy p, User u, String method, String path, boolean watch) {
    Attributes a = Attributes.of(u, method, path, watch);
    AuditPolicy.Decision d = p.decide(a);
    return java.util.Arrays.stream(Stage.values()).filter(d::records)
        .filter(s -> s != Stage.ResponseStarted || AuditHandler.longRunning(a)).filter(s -> s != Stage.Panic)
        .toList();
  }

  record StageCase(String what, String method, String path, boolean watch, List<Stage> expected) {}

  @Test
  void eachRequestIsRecordedAtTheStagesItHasAndThePolicyAndItsRuleDoNotOmit() {
    AuditPolicy p = AuditPolicy.parse("""
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: ["Panic"]
        rules:
        - level: None
          nonResourceURLs: ["/healthz*"]
        - level: Metadata
          verbs: ["get"]
          omitStages: ["RequestReceived"]
        - level: Request
          resources:
          - group: ""
            resources: ["pods/exec"]
          omitStages: ["ResponseStarted"]
        - level: Metadata
        """);
    List<StageCase> cases = List.of(
        new StageCase("a create", "POST", "/api/v1/namespaces/a/configmaps", false,
            List.of(Stage.RequestReceived, Stage.ResponseComplete)),
        new StageCase("a list", "GET", "/api/v1/namespaces/a/configmaps", false,
            List.of(Stage.RequestReceived, Stage.ResponseComplete)),
        new StageCase("a watch is long-running", "GET", "/api/v1/namespaces/a/configmaps", true,
            List.of(Stage.RequestReceived, Stage.ResponseStarted, Stage.ResponseComplete)),
        new StageCase("a get: its rule omits RequestReceived", "GET", "/api/v1/namespaces/a/configmaps/c", false,
            List.of(Stage.ResponseComplete)),
        new StageCase("a log is long-running (kube: whether it follows or not); it is a get", "GET",
            "/api/v1/namespaces/a/pods/p/log", false, List.of(Stage.ResponseStarted, Stage.ResponseComplete)),
        new StageCase("exec: its rule omits ResponseStarted", "POST", "/api/v1/namespaces/a/pods/p/exec", false,
            List.of(Stage.RequestReceived, Stage.ResponseComplete)),
        new StageCase("attach", "POST", "/api/v1/namespaces/a/pods/p/attach", false,
            List.of(Stage.RequestReceived, Stage.ResponseStarted, Stage.ResponseComplete)),
        new StageCase("port-forward", "POST", "/api/v1/namespaces/a/pods/p/portforward", false,
            List.of(Stage.RequestReceived, Stage.ResponseStarted, Stage.ResponseComplete)),
        new StageCase("a status update is not long-running", "PUT", "/api/v1/namespaces/a/pods/p/status", false,
            List.of(Stage.RequestReceived, Stage.ResponseComplete)),
        new StageCase("None: no stage at all", "GET", "/healthz", false, List.of()));
    for (StageCase c : cases) {
      assertThat(stages(p, ALICE, c.method(), c.path(), c.watch())).as(c.what()).isEqualTo(c.expected());
    }
    assertThat(p.decide(req(ALICE, "POST", "/api/v1/namespaces/a/configmaps")).records(Stage.Panic))
        .as("the policy omits Panic for every rule").isFalse();
  }

  @Test
  void withoutAPolicyEveryRequestIsOneEventAtResponseCompleteAndLongRunningOnesAlsoResponseStarted() {
    assertThat(stages(AuditPolicy.METADATA_FOR_ALL, ALICE, "POST", "/api/v1/namespaces/a/configmaps", false))
        .containsExactly(Stage.ResponseComplete);
    assertThat(stages(AuditPolicy.METADATA_FOR_ALL, null, "GET", "/version", false))
        .containsExactly(Stage.ResponseComplete);
    assertThat(stages(AuditPolicy.METADATA_FOR_ALL, ALICE, "GET", "/api/v1/pods", true))
        .containsExactly(Stage.ResponseStarted, Stage.ResponseComplete);
    assertThat(AuditPolicy.METADATA_FOR_ALL.decide(req(ALICE, "GET", "/api/v1/pods")).records(Stage.Panic)).isTrue();
    assertThat(AuditPolicy.METADATA_FOR_ALL.decide(req(ALICE, "GET", "/api/v1/pods")).omitManagedFields()).isFalse();
  }

  record ManagedCase(String policyValue, String ruleValue, boolean expected) {}

  @Test
  void omitManagedFieldsIsThePolicysUnlessTheRuleSetsItsOwn() {
    List<ManagedCase> cases = List.of(new ManagedCase(null, null, false), new ManagedCase("true", null, true),
        new ManagedCase("false", null, false), new ManagedCase(null, "true", true), new ManagedCase("true", "false", false),
        new ManagedCase("false", "true", true), new ManagedCase("true", "true", true));
    for (ManagedCase c : cases) {
      AuditPolicy p = AuditPolicy.parse("apiVersion: audit.k8s.io/v1\nkind: Policy\n"
          + (c.policyValue() == null ? "" : "omitManagedFields: " + c.policyValue() + "\n")
          + "rules:\n- level: RequestResponse\n" + (c.ruleValue() == null ? "" : "  omitManagedFields: " + c.ruleValue()
          + "\n"));
      assertThat(p.decide(req(ALICE, "POST", "/api/v1/namespaces/a/configmaps")).omitManagedFields())
          .as("policy %s, rule %s", c.policyValue(), c.ruleValue()).isEqualTo(c.expected());
    }
  }

  @Test
  void aHandlersUncheckedExceptionIsAPanicAndAnApiErrorIsNot() {
    assertThat(AuditHandler.panicked(new NullPointerException("x"))).isTrue();
    assertThat(AuditHandler.panicked(new IllegalStateException("x"))).isTrue();
    assertThat(AuditHandler.panicked(new StackOverflowError())).isTrue();
    assertThat(AuditHandler.panicked(io.kafkube.api.ApiException.badRequest("bad"))).isFalse();
    assertThat(AuditHandler.panicked(new io.vertx.ext.web.handler.HttpException(413))).isFalse();
    assertThat(AuditHandler.panicked(new java.io.IOException("x"))).as("a failed future's checked error").isFalse();
    assertThat(AuditHandler.panicked(null)).isFalse();
  }

  @Test
  void badPoliciesAreRefusedNamingTheField() {
    String head0 = "apiVersion: audit.k8s.io/v1\nkind: Policy\n";
    assertThatThrownBy(() -> AuditPolicy.parse(head0 + "omitManagedFields: maybe\nrules:\n- level: None\n"))
        .hasMessageContaining("omitManagedFields: Invalid value");
    assertThatThrownBy(() -> AuditPolicy.parse(head0 + "rules:\n- level: None\n  omitManagedFields: [x]\n"))
        .hasMessageContaining("rules[0].omitManagedFields: Invalid value");
    String head = "apiVersion: audit.k8s.io/v1\nkind: Policy\n";
    assertThatThrownBy(() -> AuditPolicy.parse(head + "rules:\n- level: Everything\n"))
        .hasMessageContaining("rules[0].level: Unsupported value: \"Everything\"");
    assertThatThrownBy(() -> AuditPolicy.parse(head + "rules:\n- users: [a]\n"))
        .hasMessageContaining("rules[0].level: Required value");
    assertThatThrownBy(() -> AuditPolicy.parse(head + "rules: []\n")).hasMessageContaining("rules: Required value");
    assertThatThrownBy(() -> AuditPolicy.parse("apiVersion: audit.k8s.io/v1beta9\nkind: Policy\nrules:\n- level: None\n"))
        .hasMessageContaining("apiVersion: Unsupported value");
    assertThatThrownBy(() -> AuditPolicy.parse(head + "rules:\n- level: None\n  nonResourceURLs: [healthz]\n"))
        .hasMessageContaining("rules[0].nonResourceURLs[0]");
    assertThatThrownBy(() -> AuditPolicy.parse(head + "rules:\n- level: None\n  nonResourceURLs: [/a]\n"
        + "  namespaces: [x]\n")).hasMessageContaining("rules[0].nonResourceURLs");
    assertThatThrownBy(() -> AuditPolicy.parse(head + "rules:\n- level: None\n  verb: [get]\n"))
        .hasMessageContaining("rules[0].verb: Invalid value: unknown field");
    assertThatThrownBy(() -> AuditPolicy.parse(head + "rules:\n- level: None\n  omitStages: [Later]\n"))
        .hasMessageContaining("rules[0].omitStages[0]: Unsupported value: \"Later\"");
    assertThatThrownBy(() -> AuditPolicy.parse(head + "rules:\n- level: None\n  resources:\n  - group: \"\"\n"
        + "    resources: [\"*\"]\n    resourceNames: [a]\n")).hasMessageContaining("rules[0].resources[0].resources[0]");
    assertThatThrownBy(() -> AuditPolicy.parse("{not yaml")).hasMessageContaining("not valid YAML");
  }
}
