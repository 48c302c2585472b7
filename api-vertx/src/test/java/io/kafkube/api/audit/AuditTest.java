package io.kafkube.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.Http;
import io.kafkube.api.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log on a real broker: every request becomes an {@code audit.k8s.io/v1} Event on
 * {@code kafkube.audit}, read back filtered by user, object and time through the admin-only endpoint;
 * the real kubectl's requests too. Also the view-lag gauges on {@code /metrics}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AuditTest {
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Http api;
  static String robot;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    api = new Http(cluster.api.insecureUrl(), cluster.api.adminToken());
    assertThat(api.post("/api/v1/namespaces/default/serviceaccounts", "{'metadata':{'name':'robot'}}").code())
        .isEqualTo(201);
    Http.Reply tr = api.post("/api/v1/namespaces/default/serviceaccounts/robot/token",
        "{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{}}");
    assertThat(tr.code()).as(tr.raw()).isEqualTo(201);
    robot = tr.body().path("status").path("token").asText();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static List<JsonNode> events(String query) throws Exception {
    Http.Reply r = api.get(AuditEndpoint.PATH + query);
    assertThat(r.code()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().path("kind").asText()).isEqualTo("EventList");
    List<JsonNode> out = new ArrayList<>();
    r.body().path("items").forEach(out::add);
    return out;
  }

  @Test
  void everyRequestIsAuditedAndReadBackByObjectUserAndTime() throws Exception {
    Instant before = Instant.now();
    Http.Reply created = api.post(CMS, "{'metadata':{'name':'audited'},'data':{'a':'1'}}");
    assertThat(created.code()).isEqualTo(201);
    String createId = created.headers().firstValue("Audit-Id").orElseThrow();
    assertThat(api.get(CMS + "/audited").code()).isEqualTo(200);
    assertThat(api.delete(CMS + "/audited").code()).isEqualTo(200);
    assertThat(api.as(robot).get("/api/v1/namespaces/default/secrets").code()).isEqualTo(403);

    String byObject = "?resource=configmaps&namespace=default&name=audited";
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> events(byObject).size() >= 3);
    List<JsonNode> ev = events(byObject);
    assertThat(ev).extracting(e -> e.path("verb").asText()).containsExactly("create", "get", "delete");
    assertThat(ev).extracting(e -> e.path("responseStatus").path("code").asInt()).containsExactly(201, 200, 200);
    JsonNode create = ev.get(0);
    assertThat(create.path("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
    assertThat(create.path("kind").asText()).isEqualTo("Event");
    assertThat(create.path("level").asText()).isEqualTo("Metadata");
    assertThat(create.path("stage").asText()).isEqualTo("ResponseComplete");
    assertThat(create.path("auditID").asText()).isEqualTo(createId);
    assertThat(create.path("user").path("username").asText()).isEqualTo("kubernetes-admin");
    assertThat(create.path("user").path("groups").toString()).contains("system:masters");
    assertThat(create.path("objectRef").path("apiVersion").asText()).isEqualTo("v1");
    assertThat(create.path("requestURI").asText()).isEqualTo(CMS);
    assertThat(create.path("sourceIPs").path(0).asText()).isEqualTo("127.0.0.1");
    assertThat(create.path("userAgent").asText()).startsWith("Java-http-client");
    Instant received = Instant.parse(create.path("requestReceivedTimestamp").asText());
    Instant done = Instant.parse(create.path("stageTimestamp").asText());
    assertThat(received).isAfterOrEqualTo(before.minusMillis(1));
    assertThat(done).isAfterOrEqualTo(received);

    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> !events("?user=system:serviceaccount:default:robot&resource=secrets").isEmpty());
    JsonNode denied = events("?user=system:serviceaccount:default:robot&resource=secrets").get(0);
    assertThat(denied.path("responseStatus").path("code").asInt()).isEqualTo(403);
    assertThat(denied.path("verb").asText()).isEqualTo("list");
    assertThat(denied.path("user").path("groups").toString()).contains("system:serviceaccounts");

    // time: nothing of this object before the test began, all of it since
    assertThat(events(byObject + "&until=" + before.minusSeconds(1))).isEmpty();
    assertThat(events(byObject + "&since=" + before.minusSeconds(1))).hasSize(3);
    assertThat(events(byObject + "&since=" + Instant.now().plusSeconds(60))).isEmpty();
    assertThat(events(byObject + "&since=10m&limit=1")).extracting(e -> e.path("verb").asText())
        .containsExactly("delete");

    // admin-only, and bad times are a 400
    Http.Reply robotReads = api.as(robot).get(AuditEndpoint.PATH);
    assertThat(robotReads.code()).isEqualTo(403);
    assertThat(robotReads.body().path("reason").asText()).isEqualTo("Forbidden");
    Http.Reply badTime = api.get(AuditEndpoint.PATH + "?since=yesterday");
    assertThat(badTime.code()).isEqualTo(400);
    assertThat(badTime.body().path("message").asText()).contains("invalid time \"yesterday\"");
  }

  @Test
  void kubectlRequestsAreAudited() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    ProcessBuilder pb = new ProcessBuilder("kubectl", "create", "configmap", "from-kubectl", "--from-literal=a=b",
        "--cache-dir=" + home.resolve("cache")).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("KUBECONFIG", cluster.api.kubeconfigPath().toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> assertThat(events("?name=from-kubectl&resource=configmaps"))
            .as("configmap events: %s", events("?resource=configmaps")).isNotEmpty());
    JsonNode e = events("?name=from-kubectl&resource=configmaps").get(0);
    assertThat(e.path("verb").asText()).isEqualTo("create");
    assertThat(e.path("userAgent").asText()).startsWith("kubectl/");
    assertThat(e.path("responseStatus").path("code").asInt()).isEqualTo(201);
  }

  @Test
  void metricsShowTheViewLagAndTheAuditCounters() throws Exception {
    Http.Reply m = api.get("/metrics");
    assertThat(m.code()).isEqualTo(200);
    assertThat(m.raw()).contains("kafkube_api_view_lag_records ").contains("kafkube_api_view_lag_ms ")
        .contains("kafkube_api_audit_events_total{result=\"written\"}");
    // caught up at rest: no records behind
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cluster.api.view().lagRecords() == 0);
    assertThat(cluster.api.view().lagMillis()).isZero();
  }
}
