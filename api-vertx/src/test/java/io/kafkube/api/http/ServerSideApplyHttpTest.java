package io.kafkube.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.api.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side apply over HTTPS on a real broker and store: kube-apiserver's Status bodies for a
 * missing field manager, a misplaced {@code force}, a conflict; create on apply with namespace
 * admission; YAML bodies; no-op applies; managedFields kept and validated on PUT.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ServerSideApplyHttpTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final String APPLY = "application/apply-patch+yaml";
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Vertx vertx;
  static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir);
    vertx = Vertx.vertx();
    java.net.URI uri = java.net.URI.create(cluster.api.url());
    client = WebClient.create(vertx, new WebClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(cluster.api.caCertPath().toString()))
        .setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  record Reply(int code, JsonNode body) {}

  static Reply call(HttpMethod method, String uri, String contentType, String body) throws Exception {
    HttpRequest<Buffer> req = client.request(method, uri).bearerTokenAuthentication(cluster.api.adminToken());
    if (contentType != null) {
      req.putHeader("Content-Type", contentType);
    }
    HttpResponse<Buffer> r = (body == null ? req.send() : req.sendBuffer(Buffer.buffer(body)))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new Reply(r.statusCode(), r.body() == null ? M.nullNode() : M.readTree(r.body().getBytes()));
  }

  static String cm(String name, String data) {
    return ("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'" + name + "'},'data':{" + data + "}}")
        .replace('\'', '"');
  }

  static JsonNode entry(JsonNode obj, String manager) {
    for (JsonNode e : obj.at("/metadata/managedFields")) {
      if (e.path("manager").asText().equals(manager)) {
        return e;
      }
    }
    return null;
  }

  @Test
  void applyWithoutFieldManagerIsInvalidPatchOptions() throws Exception {
    Reply r = call(HttpMethod.PATCH, CMS + "/x", APPLY, cm("x", "'a':'1'"));
    assertThat(r.code()).isEqualTo(422);
    assertThat(r.body().path("reason").asText()).isEqualTo("Invalid");
    assertThat(r.body().path("message").asText())
        .isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    assertThat(r.body().at("/details/kind").asText()).isEqualTo("PatchOptions");
    assertThat(r.body().at("/details/group").asText()).isEqualTo("meta.k8s.io");
    assertThat(r.body().at("/details/causes/0/field").asText()).isEqualTo("fieldManager");
    assertThat(call(HttpMethod.GET, CMS + "/x", null, null).code()).isEqualTo(404);
  }

  @Test
  void forceOnAnotherPatchTypeIsInvalid() throws Exception {
    assertThat(call(HttpMethod.POST, CMS, "application/json", cm("forced", "'a':'1'")).code()).isEqualTo(201);
    Reply r = call(HttpMethod.PATCH, CMS + "/forced?force=true", "application/merge-patch+json", "{\"data\":{\"a\":\"2\"}}");
    assertThat(r.code()).isEqualTo(422);
    assertThat(r.body().path("message").asText())
        .isEqualTo("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
    assertThat(call(HttpMethod.GET, CMS + "/forced", null, null).body().at("/data/a").asText()).isEqualTo("1");
  }

  @Test
  void applyCreatesFromYamlThenANoOpApplyWritesNothing() throws Exception {
    String yaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          mode: fast
        """;
    Reply created = call(HttpMethod.PATCH, CMS + "/settings?fieldManager=tool", APPLY, yaml);
    assertThat(created.code()).isEqualTo(201);
    assertThat(created.body().at("/metadata/namespace").asText()).isEqualTo("default");
    JsonNode e = entry(created.body(), "tool");
    assertThat(e.path("operation").asText()).isEqualTo("Apply");
    assertThat(e.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(e.path("fieldsV1")).isEqualTo(M.readTree("{\"f:data\":{\"f:mode\":{}}}"));
    Reply again = call(HttpMethod.PATCH, CMS + "/settings?fieldManager=tool", APPLY, yaml);
    assertThat(again.code()).isEqualTo(200);
    assertThat(again.body().at("/metadata/resourceVersion")).isEqualTo(created.body().at("/metadata/resourceVersion"));
  }

  @Test
  void applyIntoAMissingNamespaceIsNotFound() throws Exception {
    Reply r = call(HttpMethod.PATCH, "/api/v1/namespaces/nowhere/configmaps/c?fieldManager=tool", APPLY, cm("c", ""));
    assertThat(r.code()).isEqualTo(404);
    assertThat(r.body().path("message").asText()).isEqualTo("namespaces \"nowhere\" not found");
  }

  @Test
  void badAppliedConfigurationsAreBadRequests() throws Exception {
    Reply version = call(HttpMethod.PATCH, CMS + "/v?fieldManager=tool", APPLY,
        cm("v", "").replace("\"v1\"", "\"v2\""));
    assertThat(version.code()).isEqualTo(400);
    assertThat(version.body().path("message").asText()).isEqualTo(
        "Incorrect version specified in apply patch. Specified patch version: v2, expected: v1");
    Reply managed = call(HttpMethod.PATCH, CMS + "/v?fieldManager=tool", APPLY,
        cm("v", "").replace("{\"name\":\"v\"}", "{\"name\":\"v\",\"managedFields\":[{\"manager\":\"x\"}]}"));
    assertThat(managed.code()).isEqualTo(400);
    assertThat(managed.body().path("message").asText()).isEqualTo("metadata.managedFields must be nil");
    Reply name = call(HttpMethod.PATCH, CMS + "/v?fieldManager=tool", APPLY, cm("w", ""));
    assertThat(name.code()).isEqualTo(400);
    assertThat(call(HttpMethod.GET, CMS + "/v", null, null).code()).isEqualTo(404);
  }

  @Test
  void aConflictIsKubeApiserversStatusAndForceWins() throws Exception {
    assertThat(call(HttpMethod.POST, CMS + "?fieldManager=kubectl-client-side-apply", "application/json",
        cm("owned", "'a':'1','b':'1'")).code()).isEqualTo(201);
    Reply r = call(HttpMethod.PATCH, CMS + "/owned?fieldManager=kubectl", APPLY, cm("owned", "'a':'2','b':'1'"));
    assertThat(r.code()).isEqualTo(409);
    assertThat(r.body().path("reason").asText()).isEqualTo("Conflict");
    assertThat(r.body().path("message").asText()).isEqualTo(
        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .data.a");
    JsonNode cause = r.body().at("/details/causes/0");
    assertThat(cause.path("reason").asText()).isEqualTo("FieldManagerConflict");
    assertThat(cause.path("field").asText()).isEqualTo(".data.a");
    assertThat(cause.path("message").asText()).isEqualTo("conflict with \"kubectl-client-side-apply\" using v1");
    assertThat(call(HttpMethod.GET, CMS + "/owned", null, null).body().at("/data/a").asText()).isEqualTo("1");

    Reply forced = call(HttpMethod.PATCH, CMS + "/owned?fieldManager=kubectl&force=true", APPLY,
        cm("owned", "'a':'2','b':'1'"));
    assertThat(forced.code()).isEqualTo(200);
    assertThat(forced.body().at("/data/a").asText()).isEqualTo("2");
    assertThat(entry(forced.body(), "kubectl").at("/fieldsV1/f:data").has("f:a")).isTrue();
    JsonNode csa = entry(forced.body(), "kubectl-client-side-apply");
    assertThat(csa.at("/fieldsV1/f:data").has("f:a")).isFalse();
    assertThat(csa.at("/fieldsV1/f:data").has("f:b")).isTrue();
  }

  @Test
  void putKeepsManagedFieldsItDoesNotSendAndRefusesMalformedOnes() throws Exception {
    assertThat(call(HttpMethod.PATCH, CMS + "/kept?fieldManager=tool", APPLY, cm("kept", "'a':'1'")).code())
        .isEqualTo(201);
    Reply put = call(HttpMethod.PUT, CMS + "/kept?fieldManager=editor", "application/json", cm("kept", "'a':'1','b':'2'"));
    assertThat(put.code()).isEqualTo(200);
    assertThat(entry(put.body(), "tool").at("/fieldsV1/f:data").has("f:a")).isTrue();
    assertThat(entry(put.body(), "editor").path("operation").asText()).isEqualTo("Update");
    assertThat(entry(put.body(), "editor").at("/fieldsV1/f:data").has("f:b")).isTrue();

    String bad = cm("kept", "'a':'3'").replace("{\"name\":\"kept\"}",
        "{\"name\":\"kept\",\"managedFields\":[{\"manager\":\"x\",\"operation\":\"Sideways\",\"fieldsV1\":{}}]}");
    Reply refused = call(HttpMethod.PUT, CMS + "/kept", "application/json", bad);
    assertThat(refused.code()).isEqualTo(422);
    assertThat(refused.body().at("/details/causes/0/field").asText()).isEqualTo("metadata.managedFields[0].operation");
    assertThat(call(HttpMethod.GET, CMS + "/kept", null, null).body().at("/data/a").asText()).isEqualTo("1");
  }
}
