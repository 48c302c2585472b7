package io.kafkube.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.api.KubectlRunner.Result;
import java.io.IOException;
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
 * Server-side apply with the machine's real kubectl (1.32) against a real cluster: create and
 * update by {@code apply --server-side}, managers in {@code --show-managed-fields}, conflicts with
 * {@code kubectl scale} and with another field manager, {@code --force-conflicts}, pruning of fields
 * a manager stops applying, dry run. The tests build on each other in order.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerSideApplyKubectlTest {
  private static final ObjectMapper M = new ObjectMapper();
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static KubectlRunner runner;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    runner = new KubectlRunner(cluster, dir);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static Result kubectl(String... args) throws Exception {
    return runner.run(args);
  }

  static Result ok(String... args) throws Exception {
    return runner.ok(args);
  }

  static Path manifest(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  static String deployment(int replicas, String image, String extraLabel) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
          labels:
            app: web
        %s
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
                ports:
                - containerPort: 80
        """.formatted(extraLabel == null ? "" : "    " + extraLabel, replicas, image);
  }

  static JsonNode live() throws Exception {
    return M.readTree(ok("get", "deploy", "web", "-o", "json", "--show-managed-fields").out());
  }

  static JsonNode entry(JsonNode obj, String manager, String operation) {
    for (JsonNode e : obj.path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals(manager) && e.path("operation").asText().equals(operation)) {
        return e;
      }
    }
    return null;
  }

  @Test
  @Order(1)
  void firstApplyCreatesAndRecordsTheApplier() throws Exception {
    Path f = manifest("web.yaml", deployment(2, "nginx:1.27", "tier: fe"));
    assertThat(ok("apply", "--server-side", "-f", f.toString()).out()).contains("deployment.apps/web serverside-applied");
    JsonNode obj = live();
    assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode e = entry(obj, "kubectl", "Apply");
    assertThat(e).as("managedFields %s", obj.at("/metadata/managedFields")).isNotNull();
    assertThat(e.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(e.path("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(e.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(e.at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
    assertThat(e.at("/fieldsV1/f:spec/f:template/f:spec/f:containers").has("k:{\"name\":\"nginx\"}")).isTrue();
    assertThat(e.at("/fieldsV1/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"nginx\"}/f:ports")
        .has("k:{\"containerPort\":80,\"protocol\":\"TCP\"}")).isTrue();
    Result plain = ok("get", "deploy", "web", "-o", "yaml");
    assertThat(plain.out()).doesNotContain("managedFields");
    assertThat(ok("get", "deploy", "web", "-o", "yaml", "--show-managed-fields").out())
        .contains("managedFields:").contains("manager: kubectl").contains("operation: Apply")
        .contains("f:replicas: {}");
  }

  @Test
  @Order(2)
  void applyingAgainUpdatesAndPrunesWhatIsNoLongerApplied() throws Exception {
    Path f = manifest("web.yaml", deployment(2, "nginx:1.28", null));
    assertThat(ok("apply", "--server-side", "-f", f.toString()).out()).contains("deployment.apps/web serverside-applied");
    JsonNode obj = live();
    assertThat(obj.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.28");
    assertThat(obj.at("/metadata/labels").has("tier")).as("label pruned: %s", obj.at("/metadata/labels")).isFalse();
    assertThat(obj.at("/metadata/labels/app").asText()).isEqualTo("web");
  }

  @Test
  @Order(3)
  void aScaleMakesKubectlScaleTheOwnerOfReplicasAndApplyConflicts() throws Exception {
    ok("scale", "deployment", "web", "--replicas=3");
    JsonNode obj = live();
    JsonNode scaler = null;
    for (JsonNode e : obj.path("metadata").path("managedFields")) {
      if (e.at("/fieldsV1/f:spec").has("f:replicas") && e.path("operation").asText().equals("Update")) {
        scaler = e;
      }
    }
    assertThat(scaler).as("managedFields %s", obj.at("/metadata/managedFields")).isNotNull();
    assertThat(scaler.path("subresource").asText()).isEqualTo("scale");
    assertThat(entry(obj, "kubectl", "Apply").at("/fieldsV1/f:spec").has("f:replicas")).isFalse();

    Path f = manifest("web.yaml", deployment(5, "nginx:1.28", null));
    Result r = kubectl("apply", "--server-side", "-f", f.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("Apply failed with 1 conflict: conflict with \"" + scaler.path("manager").asText()
        + "\" with subresource \"scale\" using apps/v1: .spec.replicas")
        .contains("--force-conflicts");
    assertThat(live().at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  @Order(4)
  void forceConflictsTakesTheField() throws Exception {
    Path f = manifest("web.yaml", deployment(5, "nginx:1.28", null));
    ok("apply", "--server-side", "--force-conflicts", "-f", f.toString());
    JsonNode obj = live();
    assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(5);
    assertThat(entry(obj, "kubectl", "Apply").at("/fieldsV1/f:spec").has("f:replicas")).isTrue();
  }

  @Test
  @Order(5)
  void anotherFieldManagerConflictsOnADifferentValueAndSharesTheSameValue() throws Exception {
    Path f = manifest("other.yaml", deployment(7, "nginx:1.28", null));
    Result r = kubectl("apply", "--server-side", "--field-manager=other", "-f", f.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");

    manifest("other.yaml", deployment(5, "nginx:1.28", null));
    ok("apply", "--server-side", "--field-manager=other", "-f", f.toString());
    JsonNode obj = live();
    assertThat(entry(obj, "other", "Apply").at("/fieldsV1/f:spec").has("f:replicas")).isTrue();
    assertThat(entry(obj, "kubectl", "Apply").at("/fieldsV1/f:spec").has("f:replicas")).isTrue();
  }

  @Test
  @Order(6)
  void dryRunChangesNothing() throws Exception {
    String rv = live().at("/metadata/resourceVersion").asText();
    Path f = manifest("web.yaml", deployment(5, "nginx:1.28", "tier: be"));
    assertThat(ok("apply", "--server-side", "--dry-run=server", "-o", "yaml", "-f", f.toString()).out())
        .contains("tier: be");
    JsonNode obj = live();
    assertThat(obj.at("/metadata/labels").has("tier")).isFalse();
    assertThat(obj.at("/metadata/resourceVersion").asText()).isEqualTo(rv);
  }

  @Test
  @Order(7)
  void clientSideWritesAreRecordedAsUpdates() throws Exception {
    ok("label", "deploy", "web", "team=blue");
    JsonNode e = entry(live(), "kubectl-label", "Update");
    assertThat(e).isNotNull();
    assertThat(e.at("/fieldsV1/f:metadata/f:labels").has("f:team")).isTrue();
  }
}
