package io.kafkube.api.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkube.api.Http;
import io.kafkube.api.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escalation prevention and ClusterRole aggregation through the API: a ServiceAccount that may
 * manage roles in its namespace cannot grant itself more, by create, by patch or by binding; a
 * ClusterRole labelled to aggregate into {@code view} extends what {@code view}'s holders may do.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RbacEscalationApiTest {
  private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Http admin;
  static Http robot;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    admin = new Http(cluster.api.insecureUrl(), cluster.api.adminToken());
    assertThat(admin.post("/api/v1/namespaces", "{'metadata':{'name':'team'}}").code()).isEqualTo(201);
    assertThat(admin.post("/api/v1/namespaces/team/serviceaccounts", "{'metadata':{'name':'robot'}}").code())
        .isEqualTo(201);
    Http.Reply tr = admin.post("/api/v1/namespaces/team/serviceaccounts/robot/token",
        "{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{}}");
    assertThat(tr.code()).as(tr.raw()).isEqualTo(201);
    robot = admin.as(tr.body().path("status").path("token").asText());
    // robot may read pods and manage roles and bindings in team (not with '*': that would include the
    // escalate and bind verbs)
    assertThat(admin.post(RBAC + "/namespaces/team/roles", """
        {'metadata':{'name':'role-manager'},'rules':[
          {'verbs':['get','list'],'apiGroups':[''],'resources':['pods']},
          {'verbs':['get','list','create','update','patch','delete'],'apiGroups':['rbac.authorization.k8s.io'],
           'resources':['roles','rolebindings']}]}
        """).code()).isEqualTo(201);
    assertThat(admin.post(RBAC + "/namespaces/team/rolebindings", """
        {'metadata':{'name':'robot'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'Role','name':'role-manager'},
         'subjects':[{'kind':'ServiceAccount','name':'robot','namespace':'team'}]}
        """).code()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static int count(String path) throws Exception {
    return admin.get(path).body().path("items").size();
  }

  @Test
  void aRoleWithHeldPermissionsIsCreatedOneWithMoreIsRefusedAndNothingWritten() throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(robot.get("/api/v1/namespaces/team/pods").code()).isEqualTo(200));
    Http.Reply ok = robot.post(RBAC + "/namespaces/team/roles", """
        {'metadata':{'name':'pod-reader'},'rules':[{'verbs':['get'],'apiGroups':[''],'resources':['pods']}]}""");
    assertThat(ok.code()).as(ok.raw()).isEqualTo(201);

    int before = count(RBAC + "/namespaces/team/roles");
    Http.Reply denied = robot.post(RBAC + "/namespaces/team/roles", """
        {'metadata':{'name':'secret-reader'},'rules':[{'verbs':['get','list'],'apiGroups':[''],'resources':['secrets']}]}""");
    assertThat(denied.code()).as(denied.raw()).isEqualTo(403);
    assertThat(denied.body().path("reason").asText()).isEqualTo("Forbidden");
    assertThat(denied.body().path("message").asText()).isEqualTo(
        "roles.rbac.authorization.k8s.io \"secret-reader\" is forbidden: user \"system:serviceaccount:team:robot\" "
            + "(groups=[\"system:serviceaccounts\" \"system:serviceaccounts:team\" \"system:authenticated\"]) is "
            + "attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\", \"list\"]}");
    Http.Reply dry = robot.call("POST", RBAC + "/namespaces/team/roles?dryRun=All", "application/json", """
        {'metadata':{'name':'dry'},'rules':[{'verbs':['delete'],'apiGroups':[''],'resources':['pods']}]}""");
    assertThat(dry.code()).isEqualTo(403);
    assertThat(count(RBAC + "/namespaces/team/roles")).isEqualTo(before);
  }

  @Test
  void aPatchCannotWidenARole() throws Exception {
    Http.Reply ok = robot.post(RBAC + "/namespaces/team/roles", """
        {'metadata':{'name':'narrow'},'rules':[{'verbs':['get'],'apiGroups':[''],'resources':['pods']}]}""");
    assertThat(ok.code()).as(ok.raw()).isEqualTo(201);
    Http.Reply widened = robot.call("PATCH", RBAC + "/namespaces/team/roles/narrow", "application/merge-patch+json",
        "{'rules':[{'verbs':['*'],'apiGroups':['*'],'resources':['*']}]}");
    assertThat(widened.code()).as(widened.raw()).isEqualTo(403);
    assertThat(admin.get(RBAC + "/namespaces/team/roles/narrow").body().path("rules").path(0).path("verbs")
        .toString()).isEqualTo("[\"get\"]");
  }

  @Test
  void bindingClusterAdminIsRefused() throws Exception {
    Http.Reply denied = robot.post(RBAC + "/namespaces/team/rolebindings", """
        {'metadata':{'name':'take-over'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'ClusterRole','name':'cluster-admin'},
         'subjects':[{'kind':'ServiceAccount','name':'robot','namespace':'team'}]}""");
    assertThat(denied.code()).as(denied.raw()).isEqualTo(403);
    assertThat(denied.body().path("message").asText())
        .startsWith("rolebindings.rbac.authorization.k8s.io \"take-over\" is forbidden: user "
            + "\"system:serviceaccount:team:robot\"");
    assertThat(admin.get(RBAC + "/namespaces/team/rolebindings/take-over").code()).isEqualTo(404);
  }

  @Test
  void aClusterRoleLabelledToAggregateIntoViewExtendsView() throws Exception {
    assertThat(admin.post("/api/v1/namespaces", "{'metadata':{'name':'watchers'}}").code()).isEqualTo(201);
    assertThat(admin.post("/api/v1/namespaces/watchers/serviceaccounts", "{'metadata':{'name':'viewer'}}").code())
        .isEqualTo(201);
    Http viewer = admin.as(admin.post("/api/v1/namespaces/watchers/serviceaccounts/viewer/token",
        "{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{}}").body().path("status")
        .path("token").asText());
    assertThat(admin.post(RBAC + "/namespaces/watchers/rolebindings", """
        {'metadata':{'name':'viewer'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'ClusterRole','name':'view'},
         'subjects':[{'kind':'ServiceAccount','name':'viewer','namespace':'watchers'}]}""").code()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(viewer.get("/api/v1/namespaces/watchers/configmaps").code()).isEqualTo(200));
    assertThat(viewer.get("/api/v1/namespaces/watchers/secrets").code()).isEqualTo(403); // view has no secrets

    assertThat(admin.post(RBAC + "/clusterroles", """
        {'metadata':{'name':'secret-viewer','labels':{'rbac.authorization.k8s.io/aggregate-to-view':'true'}},
         'rules':[{'verbs':['list'],'apiGroups':[''],'resources':['secrets']}]}""").code()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(viewer.get("/api/v1/namespaces/watchers/secrets").code()).isEqualTo(200));
  }
}
