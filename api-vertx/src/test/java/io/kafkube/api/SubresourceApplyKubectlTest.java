package io.kafkube.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.api.KubectlRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side apply to the {@code status} and {@code scale} subresources, with the real kubectl 1.32
 * ({@code apply --server-side --subresource=...}) and over HTTP: what each may change, the managers
 * recorded with their subresource, conflicts between the main resource's applier and the scale's,
 * 404 on a missing object. The tests build on each other in order.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SubresourceApplyKubectlTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final String APPLY = "application/apply-patch+yaml";
  private static final String DEPLOY = "/apis/apps/v1/namespaces/default/deployments/";
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static KubectlRunner runner;
  static Http api;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    runner = new KubectlRunner(cluster, dir);
    api = new Http(cluster.api.insecureUrl(), cluster.api.adminToken());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String deployment(int replicas, String image, String status) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
        spec:
          replicas: %d
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: %s
        %s""".formatted(replicas, image, status);
  }

  static JsonNode live() throws Exception {
    return M.readTree(runner.ok("get", "deploy", "web", "-o", "json", "--show-managed-fields").out());
  }

  static JsonNode entry(JsonNode obj, String manager, String operation, String subresource) {
    for (JsonNode e : obj.path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals(manager) && e.path("operation").asText().equals(operation)
          && e.path("subresource").asText("").equals(subresource == null ? "" : subresource)) {
        return e;
      }
    }
    return null;
  }

  @Test
  @Order(1)
  void applyToStatusChangesOnlyTheStatusAndRecordsTheStatusManager() throws Exception {
    Path f = Files.writeString(dir.resolve("web.yaml"), deployment(2, "nginx:1.27", ""));
    runner.ok("apply", "--server-side", "-f", f.toString());
    // the status file also says replicas 9 and another image: through status those are ignored
    Path s = Files.writeString(dir.resolve("web-status.yaml"), deployment(9, "nginx:9", """
        status:
          replicas: 2
          readyReplicas: 1
          observedGeneration: 1
        """));
    Result r = runner.ok("apply", "--server-side", "--subresource=status", "--field-manager=status-writer",
        "-f", s.toString());
    assertThat(r.out()).contains("deployment.apps/web serverside-applied");
    JsonNode obj = live();
    assertThat(obj.at("/status/replicas").asInt()).isEqualTo(2);
    assertThat(obj.at("/status/readyReplicas").asInt()).isEqualTo(1);
    assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(obj.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
    JsonNode e = entry(obj, "status-writer", "Apply", "status");
    assertThat(e).as("managedFields %s", obj.at("/metadata/managedFields")).isNotNull();
    assertThat(e.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(e.at("/fieldsV1/f:status/f:readyReplicas").isObject()).isTrue();
    assertThat(e.at("/fieldsV1").has("f:spec")).isFalse();
    // the main resource's applier still owns the spec, and nothing of the status
    JsonNode main = entry(obj, "kubectl", "Apply", null);
    assertThat(main.at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
    assertThat(main.at("/fieldsV1").has("f:status")).isFalse();
  }

  @Test
  @Order(2)
  void applyingTheStatusAgainPrunesWhatTheStatusApplierDropped() throws Exception {
    Path s = Files.writeString(dir.resolve("web-status.yaml"), deployment(2, "nginx:1.27", """
        status:
          replicas: 2
          observedGeneration: 1
        """));
    runner.ok("apply", "--server-side", "--subresource=status", "--field-manager=status-writer", "-f", s.toString());
    JsonNode obj = live();
    assertThat(obj.at("/status").has("readyReplicas")).as("status %s", obj.at("/status")).isFalse();
    assertThat(obj.at("/status/replicas").asInt()).isEqualTo(2);
    // a main-resource apply does not touch the status
    Path f = Files.writeString(dir.resolve("web.yaml"), deployment(2, "nginx:1.28", ""));
    runner.ok("apply", "--server-side", "-f", f.toString());
    obj = live();
    assertThat(obj.at("/status/replicas").asInt()).isEqualTo(2);
    assertThat(entry(obj, "status-writer", "Apply", "status")).isNotNull();
  }

  @Test
  @Order(3)
  void applyToScaleConflictsWithTheOwnerOfReplicasUnlessForced() throws Exception {
    Path f = Files.writeString(dir.resolve("web-scale.yaml"), deployment(5, "nginx:1.28", ""));
    Result conflict = runner.run("apply", "--server-side", "--subresource=scale", "--field-manager=autoscaler",
        "-f", f.toString());
    assertThat(conflict.exit()).isNotZero();
    assertThat(conflict.err()).contains("conflict").contains(".spec.replicas").contains("kubectl");
    assertThat(live().at("/spec/replicas").asInt()).isEqualTo(2);

    runner.ok("apply", "--server-side", "--subresource=scale", "--field-manager=autoscaler", "--force-conflicts",
        "-f", f.toString());
    JsonNode obj = live();
    assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(5);
    assertThat(obj.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.28");
    JsonNode e = entry(obj, "autoscaler", "Apply", "scale");
    assertThat(e).as("managedFields %s", obj.at("/metadata/managedFields")).isNotNull();
    assertThat(e.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(e.at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
    assertThat(e.at("/fieldsV1/f:spec").size()).isEqualTo(1);
    // the forced apply took spec.replicas from the main applier
    assertThat(entry(obj, "kubectl", "Apply", null).at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
  }

  @Test
  @Order(4)
  void anAutoscalingScaleBodyIsAppliedToScaleOverHttp() throws Exception {
    String scale = "apiVersion: autoscaling/v1\nkind: Scale\nmetadata:\n  name: web\nspec:\n  replicas: 7\n";
    Http.Reply r = api.call("PATCH", DEPLOY + "web/scale?fieldManager=autoscaler", APPLY, scale);
    assertThat(r.code()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("kind").asText()).isEqualTo("Scale");
    assertThat(r.body().at("/spec/replicas").asInt()).isEqualTo(7);
    assertThat(live().at("/spec/replicas").asInt()).isEqualTo(7);
    // the Scale's managedFields: the parent's owners of spec.replicas, converted as kube's scale handler does
    JsonNode managed = r.body().at("/metadata/managedFields");
    assertThat(managed.isArray()).as(r.raw()).isTrue();
    assertThat(managed).hasSize(1);
    assertThat(managed.get(0).path("manager").asText()).isEqualTo("autoscaler");
    assertThat(managed.get(0).path("operation").asText()).isEqualTo("Apply");
    assertThat(managed.get(0).path("subresource").asText()).isEqualTo("scale");
    assertThat(managed.get(0).path("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(managed.get(0).path("fieldsV1").toString()).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");

    Http.Reply other = api.call("PATCH", DEPLOY + "web/scale?fieldManager=someone", APPLY,
        scale.replace("7", "1"));
    assertThat(other.code()).as(other.raw()).isEqualTo(409);
    assertThat(other.body().path("message").asText()).contains("autoscaler").contains("subresource \"scale\"");

    Http.Reply negative = api.call("PATCH", DEPLOY + "web/scale?fieldManager=autoscaler", APPLY,
        scale.replace("7", "-1"));
    assertThat(negative.code()).as(negative.raw()).isEqualTo(422);
    assertThat(negative.causeField(0)).isEqualTo("spec.replicas");
    assertThat(live().at("/spec/replicas").asInt()).isEqualTo(7);

    Http.Reply wrongKind = api.call("PATCH", DEPLOY + "web/scale?fieldManager=autoscaler", APPLY,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n");
    assertThat(wrongKind.code()).as(wrongKind.raw()).isEqualTo(400);
  }

  @Test
  @Order(5)
  void aSubresourceApplyNeverCreates() throws Exception {
    Http.Reply status = api.call("PATCH", DEPLOY + "nope/status?fieldManager=x", APPLY,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nope\nstatus:\n  replicas: 1\n");
    assertThat(status.code()).as(status.raw()).isEqualTo(404);
    Http.Reply scale = api.call("PATCH", DEPLOY + "nope/scale?fieldManager=x", APPLY,
        "apiVersion: autoscaling/v1\nkind: Scale\nmetadata:\n  name: nope\nspec:\n  replicas: 1\n");
    assertThat(scale.code()).as(scale.raw()).isEqualTo(404);
    assertThat(api.get(DEPLOY + "nope").code()).isEqualTo(404);
  }

  @Test
  @Order(6)
  void aStatusMergePatchIsRecordedAsAnUpdateThroughStatus() throws Exception {
    Http.Reply r = api.call("PATCH", DEPLOY + "web/status?fieldManager=patcher", "application/merge-patch+json",
        "{\"status\":{\"availableReplicas\":1}}");
    assertThat(r.code()).as(r.raw()).isEqualTo(200);
    JsonNode obj = live();
    assertThat(obj.at("/status/availableReplicas").asInt()).isEqualTo(1);
    JsonNode e = entry(obj, "patcher", "Update", "status");
    assertThat(e).as("managedFields %s", obj.at("/metadata/managedFields")).isNotNull();
    assertThat(e.at("/fieldsV1/f:status/f:availableReplicas").isObject()).isTrue();
  }
}
