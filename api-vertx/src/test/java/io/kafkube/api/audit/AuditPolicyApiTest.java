package io.kafkube.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.ApiConfig;
import io.kafkube.api.Http;
import io.kafkube.api.KubectlRunner;
import io.kafkube.api.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * An API server started with an audit policy file, on a real broker: each level's events as
 * {@code kafkube.audit} holds them (requestObject at Request, responseObject too at RequestResponse,
 * nothing at None), rules chosen by verb, resource and non-resource URL; kubectl's protobuf bodies
 * recorded as JSON.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AuditPolicyApiTest {
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  private static final String POLICY = """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      rules:
      - level: None
        nonResourceURLs: ["/version", "/healthz*"]
      - level: None
        resources:
        - group: ""
          resources: ["secrets"]
      - level: RequestResponse
        verbs: ["create"]
        resources:
        - group: ""
          resources: ["configmaps"]
      - level: Request
        verbs: ["update", "patch"]
        resources:
        - group: ""
          resources: ["configmaps"]
      - level: Metadata
      """;
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Http api;

  @BeforeAll
  static void start() throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
    cluster = TestCluster.start(dir, ApiConfig.defaults().withAuditPolicy(policy));
    api = new Http(cluster.api.insecureUrl(), cluster.api.adminToken());
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
    List<JsonNode> out = new ArrayList<>();
    r.body().path("items").forEach(out::add);
    return out;
  }

  static JsonNode await(String query, String verb) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> events(query).stream().anyMatch(e -> e.path("verb").asText().equals(verb)));
    try {
      return events(query).stream().filter(e -> e.path("verb").asText().equals(verb)).findFirst().orElseThrow();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void eachLevelRecordsWhatItShould() throws Exception {
    Http.Reply created = api.post(CMS, "{'metadata':{'name':'full'},'data':{'a':'1'}}");
    assertThat(created.code()).isEqualTo(201);
    String rv = created.body().path("metadata").path("resourceVersion").asText();
    assertThat(api.put(CMS + "/full", "{'metadata':{'name':'full','resourceVersion':'" + rv + "'},'data':{'a':'2'}}")
        .code()).isEqualTo(200);
    assertThat(api.get(CMS + "/full").code()).isEqualTo(200);
    assertThat(api.post("/api/v1/namespaces/default/secrets", "{'metadata':{'name':'hidden'},'stringData':{'p':'x'}}")
        .code()).isEqualTo(201);
    assertThat(api.get("/version").code()).isEqualTo(200);
    // the last request: once its event is there, every earlier one's is (one writer, in order)
    assertThat(api.delete(CMS + "/full").code()).isEqualTo(200);
    String byObject = "?resource=configmaps&name=full";
    await(byObject, "delete");

    JsonNode create = await(byObject, "create");
    assertThat(create.path("level").asText()).isEqualTo("RequestResponse");
    assertThat(create.at("/requestObject/data/a").asText()).isEqualTo("1");
    assertThat(create.at("/responseObject/kind").asText()).isEqualTo("ConfigMap");
    assertThat(create.at("/responseObject/metadata/uid").asText()).isNotEmpty();
    assertThat(create.at("/responseStatus/code").asInt()).isEqualTo(201);

    JsonNode update = await(byObject, "update");
    assertThat(update.path("level").asText()).isEqualTo("Request");
    assertThat(update.at("/requestObject/data/a").asText()).isEqualTo("2");
    assertThat(update.has("responseObject")).isFalse();

    JsonNode get = await(byObject, "get");
    assertThat(get.path("level").asText()).isEqualTo("Metadata");
    assertThat(get.has("requestObject")).isFalse();
    assertThat(get.has("responseObject")).isFalse();

    assertThat(events("?resource=secrets")).as("secrets are audited at None").isEmpty();
    assertThat(events("").stream().filter(e -> e.path("requestURI").asText().startsWith("/version")))
        .as("/version is audited at None").isEmpty();
  }

  @Test
  void aFailedCreateRecordsTheStatusAsItsResponse() throws Exception {
    assertThat(api.post(CMS, "{'metadata':{'name':'twice'}}").code()).isEqualTo(201);
    assertThat(api.post(CMS, "{'metadata':{'name':'twice'}}").code()).isEqualTo(409);
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> events("?resource=configmaps&name=twice").size() >= 2);
    JsonNode refused = events("?resource=configmaps&name=twice").stream()
        .filter(e -> e.at("/responseStatus/code").asInt() == 409).findFirst().orElseThrow();
    assertThat(refused.at("/responseObject/kind").asText()).isEqualTo("Status");
    assertThat(refused.at("/responseObject/reason").asText()).isEqualTo("AlreadyExists");
  }

  @Test
  void kubectlsProtobufBodiesAreRecordedAsJson() throws Exception {
    KubectlRunner kubectl = new KubectlRunner(cluster, dir);
    kubectl.ok("create", "configmap", "from-kubectl", "--from-literal=k=v");
    JsonNode create = await("?resource=configmaps&name=from-kubectl", "create");
    assertThat(create.path("level").asText()).isEqualTo("RequestResponse");
    assertThat(create.at("/requestObject/data/k").asText()).as("event %s", create).isEqualTo("v");
    assertThat(create.at("/responseObject/data/k").asText()).isEqualTo("v");
  }
}
