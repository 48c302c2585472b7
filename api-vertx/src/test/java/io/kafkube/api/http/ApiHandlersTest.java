package io.kafkube.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.api.ApiConfig;
import io.kafkube.api.TestCluster;
import io.kubernetes.client.proto.Meta.ObjectMeta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1.ConfigMap;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS with Vert.x clients, on a real broker, store and registry: discovery, CRUD,
 * Status bodies, field validation, selectors, pagination, consistent reads, watch, patches,
 * protobuf bodies, ServiceAccount tokens, RBAC denials and the self reviews. The watch window is 8 changes so that 410 Expired can be provoked.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ApiHandlersTest {
  private static final ObjectMapper M = new ObjectMapper();
  @TempDir
  static Path dir;
  static TestCluster cluster;
  static Vertx vertx;
  static WebClient client;
  static HttpClient streaming;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, ApiConfig.defaults().withWatchWindow(8).withBookmarkInterval(Duration.ofSeconds(1)));
    vertx = Vertx.vertx();
    java.net.URI uri = java.net.URI.create(cluster.api.url());
    PemTrustOptions trust = new PemTrustOptions().addCertPath(cluster.api.caCertPath().toString());
    client = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustOptions(trust)
        .setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()));
    streaming = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustOptions(trust)
        .setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()));
    token = cluster.api.adminToken();
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

  record Reply(int code, JsonNode body, List<String> warnings, String contentType) {}

  static Reply call(HttpMethod method, String uri, String contentType, Buffer body, String accept) throws Exception {
    return callAs(token, method, uri, contentType, body, accept);
  }

  static Reply callAs(String bearer, HttpMethod method, String uri, String contentType, Buffer body, String accept)
      throws Exception {
    HttpRequest<Buffer> req = client.request(method, uri).bearerTokenAuthentication(bearer);
    if (contentType != null) {
      req.putHeader("Content-Type", contentType);
    }
    if (accept != null) {
      req.putHeader("Accept", accept);
    }
    HttpResponse<Buffer> r = (body == null ? req.send() : req.sendBuffer(body))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    JsonNode json = r.body() == null || r.body().length() == 0 ? M.nullNode() : M.readTree(r.body().getBytes());
    return new Reply(r.statusCode(), json, r.headers().getAll("Warning"), r.getHeader("Content-Type"));
  }

  static Reply get(String uri) throws Exception {
    return call(HttpMethod.GET, uri, null, null, null);
  }

  static Reply send(HttpMethod m, String uri, String json) throws Exception {
    return call(m, uri, "application/json", Buffer.buffer(json.replace('\'', '"')), null);
  }

  static Reply patch(String uri, String type, String json) throws Exception {
    return call(HttpMethod.PATCH, uri, type, Buffer.buffer(json.replace('\'', '"')), null);
  }

  static String cm(String ns, String name, String extra) {
    return "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'" + name + "','namespace':'" + ns
        + "','labels':{'app':'" + name + "'}},'data':{'k':'v'}" + extra + "}";
  }

  @Test
  void versionAndHealthNeedNoToken() throws Exception {
    HttpResponse<Buffer> v = client.get("/version/").send().toCompletionStage().toCompletableFuture().get();
    assertThat(v.statusCode()).isEqualTo(200);
    assertThat(M.readTree(v.body().getBytes()).path("minor").asText()).isEqualTo("32");
    for (String health : List.of("/readyz", "/livez", "/healthz")) {
      assertThat(client.get(health).send().toCompletionStage().toCompletableFuture().get().bodyAsString())
          .as(health).isEqualTo("ok");
    }
    assertThat(client.get("/apis").send().toCompletionStage().toCompletableFuture().get().statusCode())
        .as("discovery needs a token").isEqualTo(401);
    HttpResponse<Buffer> denied = client.get("/api/v1/namespaces").send().toCompletionStage().toCompletableFuture().get();
    assertThat(denied.statusCode()).isEqualTo(401);
    assertThat(M.readTree(denied.body().getBytes()).path("reason").asText()).isEqualTo("Unauthorized");
  }

  @Test
  void discoveryAggregatedAndLegacy() throws Exception {
    Reply agg = call(HttpMethod.GET, "/apis", null, null,
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
    assertThat(agg.contentType()).isEqualTo("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    JsonNode apps = null;
    for (JsonNode g : agg.body().path("items")) {
      if (g.path("metadata").path("name").asText().equals("apps")) {
        apps = g;
      }
    }
    assertThat(apps).isNotNull();
    JsonNode deploy = null;
    for (JsonNode r : apps.path("versions").get(0).path("resources")) {
      if (r.path("resource").asText().equals("deployments")) {
        deploy = r;
      }
    }
    assertThat(deploy.path("scope").asText()).isEqualTo("Namespaced");
    assertThat(deploy.path("shortNames").toString()).contains("deploy");
    assertThat(deploy.path("subresources").toString()).contains("\"scale\"").contains("autoscaling");

    Reply core = get("/api");
    assertThat(core.body().path("kind").asText()).isEqualTo("APIVersions");
    Reply v1 = get("/api/v1");
    List<String> names = new ArrayList<>();
    v1.body().path("resources").forEach(r -> names.add(r.path("name").asText()));
    assertThat(names).contains("pods", "pods/status", "pods/binding", "namespaces", "configmaps");
    Reply appsV1 = get("/apis/apps/v1");
    assertThat(appsV1.body().path("groupVersion").asText()).isEqualTo("apps/v1");
    assertThat(appsV1.body().toString()).contains("deployments/scale");
    assertThat(get("/apis").body().path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(get("/apis/nope.io/v1").code()).isEqualTo(404);
  }

  @Test
  void openApiAdvertisesFieldValidation() throws Exception {
    Reply root = get("/openapi/v3");
    String url = root.body().path("paths").path("apis/apps/v1").path("serverRelativeURL").asText();
    assertThat(url).startsWith("/openapi/v3/apis/apps/v1?hash=");
    Reply doc = get(url);
    JsonNode patch = doc.body().path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("Deployment");
    assertThat(patch.path("parameters").toString()).contains("fieldValidation");
    JsonNode podSpec = doc.body().path("components").path("schemas").path("io.k8s.api.core.v1.PodSpec");
    assertThat(podSpec.path("properties").path("containers").path("x-kubernetes-patch-merge-key").asText())
        .isEqualTo("name");
  }

  @Test
  void crudOfNamespacedAndClusterScopedKindsWithStatuses() throws Exception {
    Reply created = send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps", cm("default", "crud", ""));
    assertThat(created.code()).isEqualTo(201);
    String rv = created.body().path("metadata").path("resourceVersion").asText();
    // consistent read right after the write
    Reply read = get("/api/v1/namespaces/default/configmaps/crud");
    assertThat(read.code()).isEqualTo(200);
    assertThat(read.body().path("metadata").path("resourceVersion").asText()).isEqualTo(rv);

    Reply again = send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps", cm("default", "crud", ""));
    assertThat(again.code()).isEqualTo(409);
    assertThat(again.body().path("reason").asText()).isEqualTo("AlreadyExists");
    assertThat(again.body().path("kind").asText()).isEqualTo("Status");

    Reply updated = send(HttpMethod.PUT, "/api/v1/namespaces/default/configmaps/crud",
        "{'metadata':{'name':'crud','resourceVersion':'" + rv + "'},'data':{'k':'v2'}}");
    assertThat(updated.code()).isEqualTo(200);
    assertThat(updated.body().path("data").path("k").asText()).isEqualTo("v2");
    Reply stale = send(HttpMethod.PUT, "/api/v1/namespaces/default/configmaps/crud",
        "{'metadata':{'name':'crud','resourceVersion':'" + rv + "'},'data':{'k':'v3'}}");
    assertThat(stale.code()).isEqualTo(409);
    assertThat(stale.body().path("message").asText()).contains("the object has been modified");

    Reply cluster = send(HttpMethod.POST, "/apis/scheduling.k8s.io/v1/priorityclasses",
        "{'metadata':{'name':'high'},'value':1000}");
    assertThat(cluster.code()).isEqualTo(201);
    assertThat(get("/apis/scheduling.k8s.io/v1/priorityclasses/high").body().path("value").asInt()).isEqualTo(1000);

    Reply invalid = send(HttpMethod.POST, "/apis/apps/v1/namespaces/default/deployments",
        "{'metadata':{'name':'bad'},'spec':{'replicas':-1,'selector':{'matchLabels':{'a':'b'}},"
            + "'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
    assertThat(invalid.code()).isEqualTo(422);
    assertThat(invalid.body().path("reason").asText()).isEqualTo("Invalid");
    assertThat(invalid.body().path("message").asText()).contains("spec.replicas");

    Reply generated = send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps",
        "{'metadata':{'generateName':'gen-'}}");
    assertThat(generated.code()).isEqualTo(201);
    assertThat(generated.body().path("metadata").path("name").asText()).startsWith("gen-").hasSize(9);

    Reply dry = send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps?dryRun=All", cm("default", "dry", ""));
    assertThat(dry.code()).isEqualTo(201);
    assertThat(get("/api/v1/namespaces/default/configmaps/dry").code()).isEqualTo(404);

    Reply noNs = send(HttpMethod.POST, "/api/v1/namespaces/nowhere/configmaps", cm("nowhere", "x", ""));
    assertThat(noNs.code()).isEqualTo(404);
    assertThat(noNs.body().path("message").asText()).isEqualTo("namespaces \"nowhere\" not found");

    Reply deleted = call(HttpMethod.DELETE, "/api/v1/namespaces/default/configmaps/crud", "application/json",
        Buffer.buffer("{\"propagationPolicy\":\"Background\"}"), null);
    assertThat(deleted.code()).isEqualTo(200);
    assertThat(deleted.body().path("status").asText()).isEqualTo("Success");
    Reply gone = get("/api/v1/namespaces/default/configmaps/crud");
    assertThat(gone.code()).isEqualTo(404);
    assertThat(gone.body().path("message").asText()).isEqualTo("configmaps \"crud\" not found");
    assertThat(call(HttpMethod.DELETE, "/api/v1/namespaces/default/configmaps/crud", null, null, null).code())
        .isEqualTo(404);
  }

  @Test
  void writtenCreatesAndUpdatesAreAnsweredFromHistoryAndTheRestByReplies() throws Exception {
    String cms = "/api/v1/namespaces/default/configmaps";
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> replies = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < cluster.topics.replies().partitions(); i++) {
        parts.add(new TopicPartition(cluster.topics.replies().name(), i));
      }
      replies.assign(parts);
      replies.seekToEnd(parts);
      parts.forEach(replies::position);
      Reply created = send(HttpMethod.POST, cms, cm("default", "answered", ""));
      assertThat(created.code()).as(created.body().toString()).isEqualTo(201);
      String rv = created.body().path("metadata").path("resourceVersion").asText();
      // answered once this instance's view holds the write: a read that follows sees it, at that version
      assertThat(get(cms + "/answered?resourceVersion=0").body().path("metadata").path("resourceVersion").asText())
          .isEqualTo(rv);
      Reply patched = patch(cms + "/answered", "application/merge-patch+json", "{'data':{'k':'w'}}");
      assertThat(patched.code()).as(patched.body().toString()).isEqualTo(200);
      assertThat(patched.body().path("data").path("k").asText()).isEqualTo("w");
      assertThat(Long.parseLong(patched.body().path("metadata").path("resourceVersion").asText()))
          .isGreaterThan(Long.parseLong(rv));
      assertThat(readToEnd(replies, parts)).as("replies written for a create and an update").isZero();

      Reply again = send(HttpMethod.POST, cms, cm("default", "answered", ""));
      assertThat(again.code()).isEqualTo(409);
      assertThat(again.body().path("reason").asText()).isEqualTo("AlreadyExists");
      Reply deleted = call(HttpMethod.DELETE, cms + "/answered", null, null, null);
      assertThat(deleted.code()).isEqualTo(200);
      assertThat(readToEnd(replies, parts)).as("replies written for a refusal and a delete").isEqualTo(2);
    }
  }

  /** How many records the consumer reads up to the partitions' (committed) ends. */
  private static int readToEnd(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts) {
    Map<TopicPartition, Long> end = c.endOffsets(parts);
    int n = 0;
    while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
      n += c.poll(Duration.ofMillis(200)).count();
    }
    return n;
  }

  @Test
  void fieldValidationStrictWarnIgnore() throws Exception {
    Reply strict = send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
        cm("default", "fv1", ",'spec':{'foo':1}"));
    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.body().path("message").asText()).isEqualTo("strict decoding error: unknown field \"spec\"");
    assertThat(get("/api/v1/namespaces/default/configmaps/fv1").code()).isEqualTo(404);
    Reply dup = call(HttpMethod.POST, "/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
        "application/json", Buffer.buffer("{\"metadata\":{\"name\":\"fv2\",\"name\":\"fv2\"}}"), null);
    assertThat(dup.code()).isEqualTo(400);
    assertThat(dup.body().path("message").asText()).contains("duplicate field");
    Reply warn = send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps?fieldValidation=Warn",
        cm("default", "fv3", ",'spec':{'foo':1}"));
    assertThat(warn.code()).isEqualTo(201);
    assertThat(warn.warnings()).containsExactly("299 - \"unknown field \\\"spec\\\"\"");
    Reply ignore = send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps?fieldValidation=Ignore",
        cm("default", "fv4", ",'spec':{'foo':1}"));
    assertThat(ignore.code()).isEqualTo(201);
    assertThat(ignore.warnings()).isEmpty();
    Reply wrongKind = send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps",
        "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'x'}}");
    assertThat(wrongKind.code()).isEqualTo(400);
    Reply yaml = call(HttpMethod.POST, "/api/v1/namespaces/default/configmaps", "application/yaml",
        Buffer.buffer("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromyaml\ndata:\n  a: b\n"), null);
    assertThat(yaml.code()).isEqualTo(201);
    Reply tooLarge = call(HttpMethod.POST, "/api/v1/namespaces/default/configmaps", "application/json",
        Buffer.buffer("{\"data\":{\"a\":\"" + "x".repeat(1600 * 1024) + "\"}}"), null);
    assertThat(tooLarge.code()).isEqualTo(413);
  }

  @Test
  void selectorsPaginationAndTables() throws Exception {
    send(HttpMethod.POST, "/api/v1/namespaces", "{'metadata':{'name':'sel'}}");
    for (int i = 0; i < 5; i++) {
      String extra = i % 2 == 0 ? "" : "";
      Reply r = send(HttpMethod.POST, "/api/v1/namespaces/sel/configmaps",
          "{'metadata':{'name':'c" + i + "','labels':{'n':'" + i + "','even':'" + (i % 2 == 0) + "'}}" + extra + "}");
      assertThat(r.code()).isEqualTo(201);
    }
    assertThat(names(get("/api/v1/namespaces/sel/configmaps?labelSelector=even%3Dtrue"))).containsExactly("c0", "c2", "c4");
    assertThat(names(get("/api/v1/namespaces/sel/configmaps?labelSelector=n%20in%20(1,3)"))).containsExactly("c1", "c3");
    assertThat(names(get("/api/v1/namespaces/sel/configmaps?labelSelector=n%20notin%20(1,3),even!%3Dfalse")))
        .containsExactly("c0", "c2", "c4");
    assertThat(names(get("/api/v1/namespaces/sel/configmaps?labelSelector=!n"))).isEmpty();
    assertThat(names(get("/api/v1/configmaps?fieldSelector=metadata.name%3Dc3"))).containsExactly("c3");
    assertThat(names(get("/api/v1/configmaps?fieldSelector=metadata.namespace%3Dsel"))).hasSize(5);
    assertThat(get("/api/v1/configmaps?fieldSelector=spec.nodeName%3Dx").code()).isEqualTo(400);
    assertThat(get("/api/v1/namespaces/sel/configmaps?labelSelector=a%20in%20b").code()).isEqualTo(400);

    Reply page1 = get("/api/v1/namespaces/sel/configmaps?limit=2");
    assertThat(names(page1)).containsExactly("c0", "c1");
    assertThat(page1.body().path("metadata").path("remainingItemCount").asLong()).isEqualTo(3);
    String cont = page1.body().path("metadata").path("continue").asText();
    Reply page2 = get("/api/v1/namespaces/sel/configmaps?limit=2&continue=" + cont);
    assertThat(names(page2)).containsExactly("c2", "c3");
    Reply page3 = get("/api/v1/namespaces/sel/configmaps?limit=2&continue="
        + page2.body().path("metadata").path("continue").asText());
    assertThat(names(page3)).containsExactly("c4");
    assertThat(page3.body().path("metadata").has("continue")).isFalse();

    Reply table = call(HttpMethod.GET, "/api/v1/namespaces/sel/configmaps?labelSelector=n%3D1", null, null,
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    assertThat(table.body().path("kind").asText()).isEqualTo("Table");
    assertThat(table.body().path("columnDefinitions").toString()).contains("\"Data\"");
    JsonNode row = table.body().path("rows").get(0);
    assertThat(row.path("cells").get(0).asText()).isEqualTo("c1");
    assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(row.path("object").path("metadata").path("namespace").asText()).isEqualTo("sel");
  }

  @Test
  void patchesOfEveryTypeAndScale() throws Exception {
    String deploy = "{'metadata':{'name':'p'},'spec':{'replicas':1,'selector':{'matchLabels':{'app':'p'}},"
        + "'template':{'metadata':{'labels':{'app':'p'}},'spec':{'containers':[{'name':'a','image':'nginx:1',"
        + "'env':[{'name':'X','value':'1'}]},{'name':'b','image':'busybox'}]}}}}";
    assertThat(send(HttpMethod.POST, "/apis/apps/v1/namespaces/default/deployments", deploy).code()).isEqualTo(201);
    String uri = "/apis/apps/v1/namespaces/default/deployments/p";
    Reply merge = patch(uri, "application/merge-patch+json", "{'metadata':{'labels':{'m':'1'}}}");
    assertThat(merge.code()).isEqualTo(200);
    assertThat(merge.body().path("metadata").path("labels").path("m").asText()).isEqualTo("1");
    Reply json = patch(uri, "application/json-patch+json",
        "[{'op':'replace','path':'/spec/template/spec/containers/1/image','value':'busybox:2'}]");
    assertThat(json.code()).isEqualTo(200);
    assertThat(json.body().at("/spec/template/spec/containers/1/image").asText()).isEqualTo("busybox:2");
    Reply failedTest = patch(uri, "application/json-patch+json", "[{'op':'test','path':'/spec/replicas','value':9}]");
    assertThat(failedTest.code()).isEqualTo(422);
    Reply smp = patch(uri, "application/strategic-merge-patch+json",
        "{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'nginx:2','env':[{'name':'Y','value':'2'}]},"
            + "{'name':'b','$patch':'delete'}]}}}}");
    assertThat(smp.code()).isEqualTo(200);
    JsonNode containers = smp.body().at("/spec/template/spec/containers");
    assertThat(containers).hasSize(1);
    assertThat(containers.get(0).path("image").asText()).isEqualTo("nginx:2");
    assertThat(containers.get(0).path("env")).hasSize(2);
    Reply strict = call(HttpMethod.PATCH, uri + "?fieldValidation=Strict", "application/merge-patch+json",
        Buffer.buffer("{\"spec\":{\"bogus\":1}}"), null);
    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.body().path("message").asText()).contains("unknown field \"spec.bogus\"");
    assertThat(patch(uri, "application/apply-patch+yaml", "{}").code()).isEqualTo(422); // no fieldManager
    assertThat(patch("/apis/apps/v1/namespaces/default/deployments/nope", "application/merge-patch+json", "{}").code())
        .isEqualTo(404);

    Reply scale = get(uri + "/scale");
    assertThat(scale.body().path("kind").asText()).isEqualTo("Scale");
    assertThat(scale.body().path("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(scale.body().at("/status/selector").asText()).isEqualTo("app=p");
    Reply scaled = patch(uri + "/scale", "application/merge-patch+json", "{'spec':{'replicas':5}}");
    assertThat(scaled.code()).isEqualTo(200);
    assertThat(scaled.body().at("/spec/replicas").asInt()).isEqualTo(5);
    // managedFields of a Scale: the parent's owners of spec.replicas, in autoscaling/v1 (kube's scale handler)
    JsonNode scaleManaged = scaled.body().at("/metadata/managedFields");
    assertThat(scaleManaged.isArray() && !scaleManaged.isEmpty()).as(scaled.body().toString()).isTrue();
    for (JsonNode e : scaleManaged) {
      assertThat(e.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
      assertThat(e.path("fieldsV1").toString()).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
    }
    assertThat(scaleManaged.findValuesAsText("subresource")).contains("scale");
    Reply put = send(HttpMethod.PUT, uri + "/scale", "{'metadata':{'name':'p'},'spec':{'replicas':2}}");
    assertThat(put.body().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(get(uri).body().at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void statusSubresourceAndBinding() throws Exception {
    String pod = "{'metadata':{'name':'bind-me'},'spec':{'containers':[{'name':'c','image':'i'}]}}";
    assertThat(send(HttpMethod.POST, "/api/v1/namespaces/default/pods", pod).code()).isEqualTo(201);
    Reply bound = send(HttpMethod.POST, "/api/v1/namespaces/default/pods/bind-me/binding",
        "{'apiVersion':'v1','kind':'Binding','metadata':{'name':'bind-me'},'target':{'kind':'Node','name':'n1'}}");
    assertThat(bound.code()).isEqualTo(201);
    assertThat(get("/api/v1/namespaces/default/pods/bind-me").body().at("/spec/nodeName").asText()).isEqualTo("n1");
    Reply status = patch("/api/v1/namespaces/default/pods/bind-me/status", "application/merge-patch+json",
        "{'status':{'phase':'Running','podIP':'10.0.0.1'},'spec':{'nodeName':'ignored'}}");
    assertThat(status.code()).isEqualTo(200);
    assertThat(status.body().at("/status/phase").asText()).isEqualTo("Running");
    assertThat(status.body().at("/spec/nodeName").asText()).isEqualTo("n1");
    assertThat(names(get("/api/v1/pods?fieldSelector=status.phase%3DRunning,spec.nodeName%3Dn1")))
        .containsExactly("bind-me");
  }

  @Test
  void protobufBodiesAreDecoded() throws Exception {
    ConfigMap cm = ConfigMap.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("proto"))
        .putData("a", "b").build();
    Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("ConfigMap"))
        .setRaw(cm.toByteString()).setContentType("application/vnd.kubernetes.protobuf").build();
    Buffer body = Buffer.buffer(new byte[] {'k', '8', 's', 0}).appendBytes(unknown.toByteArray());
    Reply r = call(HttpMethod.POST, "/api/v1/namespaces/default/configmaps", "application/vnd.kubernetes.protobuf",
        body, "application/vnd.kubernetes.protobuf, */*");
    assertThat(r.code()).isEqualTo(201);
    assertThat(r.body().path("data").path("a").asText()).isEqualTo("b");
    Reply garbage = call(HttpMethod.POST, "/api/v1/namespaces/default/configmaps",
        "application/vnd.kubernetes.protobuf", Buffer.buffer("nope"), null);
    assertThat(garbage.code()).isEqualTo(400);
  }

  @Test
  void watchInitialEventsResumeBookmarksAndExpiry() throws Exception {
    send(HttpMethod.POST, "/api/v1/namespaces", "{'metadata':{'name':'w'}}");
    send(HttpMethod.POST, "/api/v1/namespaces/w/configmaps", cm("w", "first", ""));
    // initial events
    Watch initial = watch("/api/v1/namespaces/w/configmaps?watch=true");
    assertThat(initial.next().path("type").asText()).isEqualTo("ADDED");
    initial.close();
    // resume from a list resourceVersion: exactly the changes after it
    Reply list = get("/api/v1/namespaces/w/configmaps");
    String rv = list.body().path("metadata").path("resourceVersion").asText();
    Reply second = send(HttpMethod.POST, "/api/v1/namespaces/w/configmaps", cm("w", "second", ""));
    Watch resumed = watch("/api/v1/namespaces/w/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion=" + rv);
    Watch alsoResumed = watch("/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=" + rv);
    JsonNode ev = resumed.next();
    assertThat(ev.path("type").asText()).isEqualTo("ADDED");
    assertThat(ev.at("/object/metadata/name").asText()).isEqualTo("second");
    // the object as the create answered it (its rendering is shared by every watcher)
    assertThat(ev.path("object")).isEqualTo(second.body());
    assertThat(alsoResumed.next()).isEqualTo(ev);
    alsoResumed.close();
    assertThat(call(HttpMethod.DELETE, "/api/v1/namespaces/w/configmaps/second", null, null, null).code())
        .isEqualTo(200);
    JsonNode deleted = resumed.nextOf("DELETED");
    assertThat(deleted.at("/object/metadata/name").asText()).isEqualTo("second");
    // the last state, stamped with the delete's revision
    assertThat(Long.parseLong(deleted.at("/object/metadata/resourceVersion").asText()))
        .isGreaterThan(Long.parseLong(second.body().at("/metadata/resourceVersion").asText()));
    JsonNode bookmark = resumed.nextOf("BOOKMARK");
    assertThat(bookmark.at("/object/metadata/resourceVersion").asText()).startsWith("k1-");
    resumed.close();
    // single object watch by name, with a Table
    Watch one = watch("/api/v1/namespaces/w/configmaps?watch=true&fieldSelector=metadata.name%3Dfirst",
        "application/json;as=Table;v=v1;g=meta.k8s.io");
    JsonNode first = one.next();
    assertThat(first.at("/object/kind").asText()).isEqualTo("Table");
    assertThat(first.at("/object/rows/0/cells/0").asText()).isEqualTo("first");
    one.close();
    // too old: more changes than the window holds since rv
    for (int i = 0; i < 10; i++) {
      send(HttpMethod.POST, "/api/v1/namespaces/w/configmaps", cm("w", "fill" + i, ""));
    }
    Watch old = watch("/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=" + rv);
    JsonNode error = old.next();
    assertThat(error.path("type").asText()).isEqualTo("ERROR");
    assertThat(error.at("/object/code").asInt()).isEqualTo(410);
    assertThat(error.at("/object/reason").asText()).isEqualTo("Expired");
    old.close();
    // timeoutSeconds ends the stream
    Watch timed = watch("/api/v1/namespaces/w/configmaps?watch=true&timeoutSeconds=1&resourceVersion="
        + get("/api/v1/namespaces/w/configmaps").body().path("metadata").path("resourceVersion").asText());
    assertThat(timed.ended.get(10, TimeUnit.SECONDS)).isTrue();
  }

  private static List<String> names(Reply r) {
    assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    r.body().path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }

  /** An open watch stream read line by line. */
  static final class Watch {
    final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final java.util.concurrent.CompletableFuture<Boolean> ended = new java.util.concurrent.CompletableFuture<>();
    io.vertx.core.http.HttpClientResponse response;
    private final StringBuilder partial = new StringBuilder();

    JsonNode next() throws InterruptedException {
      JsonNode n = events.poll(20, TimeUnit.SECONDS);
      assertThat(n).as("a watch event").isNotNull();
      return n;
    }

    JsonNode nextOf(String type) throws InterruptedException {
      while (true) {
        JsonNode n = next();
        if (n.path("type").asText().equals(type)) {
          return n;
        }
      }
    }

    synchronized void feed(Buffer b) {
      partial.append(b.toString());
      int nl;
      while ((nl = partial.indexOf("\n")) >= 0) {
        String line = partial.substring(0, nl);
        partial.delete(0, nl + 1);
        try {
          events.add(M.readTree(line));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }

    void close() {
      response.request().connection().close();
    }
  }

  static Watch watch(String uri) throws Exception {
    return watch(uri, null);
  }

  static Watch watch(String uri, String accept) throws Exception {
    Watch w = new Watch();
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI(uri)
        .putHeader("Authorization", "Bearer " + token);
    if (accept != null) {
      o.putHeader("Accept", accept);
    }
    w.response = streaming.request(o).compose(req -> req.send()).map(resp -> {
      resp.handler(w::feed);
      resp.endHandler(v -> w.ended.complete(true));
      return resp;
    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(w.response.statusCode()).isEqualTo(200);
    return w;
  }

  static Buffer protobuf(String apiVersion, String kind, com.google.protobuf.Message m) {
    Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(m.toByteString()).setContentType("application/vnd.kubernetes.protobuf").build();
    return Buffer.buffer(new byte[] {'k', '8', 's', 0}).appendBytes(unknown.toByteArray());
  }

  static Buffer accessReview(String verb, String resource, String namespace) {
    return protobuf("authorization.k8s.io/v1", "SelfSubjectAccessReview",
        V1Authorization.SelfSubjectAccessReview.newBuilder().setSpec(
            V1Authorization.SelfSubjectAccessReviewSpec.newBuilder().setResourceAttributes(
                V1Authorization.ResourceAttributes.newBuilder().setVerb(verb).setResource(resource)
                    .setNamespace(namespace))).build());
  }

  @Test
  void tokenRequestsAccessReviewsAndForbiddenOverProtobuf() throws Exception {
    String proto = "application/vnd.kubernetes.protobuf";
    String ssar = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    Reply admin = call(HttpMethod.POST, ssar, proto, accessReview("delete", "secrets", "default"), null);
    assertThat(admin.code()).isEqualTo(201);
    assertThat(admin.body().path("status").path("allowed").asBoolean()).isTrue();
    assertThat(admin.body().path("spec").path("resourceAttributes").path("resource").asText()).isEqualTo("secrets");

    assertThat(send(HttpMethod.POST, "/api/v1/namespaces/default/serviceaccounts",
        "{'metadata':{'name':'robot'}}").code()).isEqualTo(201);
    Buffer tr = protobuf("authentication.k8s.io/v1", "TokenRequest", V1Authentication.TokenRequest.newBuilder()
        .setSpec(V1Authentication.TokenRequestSpec.newBuilder().setExpirationSeconds(700)).build());
    Reply issued = call(HttpMethod.POST, "/api/v1/namespaces/default/serviceaccounts/robot/token", proto, tr, null);
    assertThat(issued.code()).as(issued.body().toString()).isEqualTo(201);
    assertThat(issued.body().path("kind").asText()).isEqualTo("TokenRequest");
    assertThat(issued.body().path("spec").path("expirationSeconds").asLong()).isEqualTo(700);
    java.time.Instant exp = java.time.Instant.parse(issued.body().path("status").path("expirationTimestamp").asText());
    assertThat(exp).isBetween(java.time.Instant.now().plusSeconds(600), java.time.Instant.now().plusSeconds(701));
    String robot = issued.body().path("status").path("token").asText();

    Reply denied = callAs(robot, HttpMethod.GET, "/api/v1/namespaces/default/secrets", null, null, null);
    assertThat(denied.code()).isEqualTo(403);
    assertThat(denied.body().path("reason").asText()).isEqualTo("Forbidden");
    assertThat(denied.body().path("message").asText()).isEqualTo("secrets is forbidden: User "
        + "\"system:serviceaccount:default:robot\" cannot list resource \"secrets\" in API group \"\" in the "
        + "namespace \"default\"");
    assertThat(denied.body().path("details").path("kind").asText()).isEqualTo("secrets");
    assertThat(denied.body().path("details").has("group")).as("omitted for the core group").isFalse();
    Reply deniedWrite = callAs(robot, HttpMethod.POST, "/api/v1/namespaces/default/configmaps", "application/json",
        Buffer.buffer(cm("default", "robot-cm", "").replace('\'', '"')), null);
    assertThat(deniedWrite.code()).isEqualTo(403);
    assertThat(deniedWrite.body().path("message").asText()).isEqualTo("configmaps is forbidden: User "
        + "\"system:serviceaccount:default:robot\" cannot create resource \"configmaps\" in API group \"\" in the "
        + "namespace \"default\"");
    assertThat(get("/api/v1/namespaces/default/configmaps/robot-cm").code()).as("nothing was written").isEqualTo(404);
    assertThat(send(HttpMethod.POST, "/api/v1/namespaces/default/configmaps", cm("default", "kept", "")).code())
        .isEqualTo(201);
    String rv = get("/api/v1/namespaces/default/configmaps/kept").body().path("metadata").path("resourceVersion")
        .asText();
    Reply deniedDelete = callAs(robot, HttpMethod.DELETE, "/api/v1/namespaces/default/configmaps/kept", null, null,
        null);
    assertThat(deniedDelete.code()).isEqualTo(403);
    assertThat(deniedDelete.body().path("message").asText()).startsWith("configmaps \"kept\" is forbidden: User "
        + "\"system:serviceaccount:default:robot\" cannot delete resource \"configmaps\"");
    assertThat(deniedDelete.body().path("details").toString()).isEqualTo("{\"name\":\"kept\",\"kind\":\"configmaps\"}");
    Reply deniedPatch = callAs(robot, HttpMethod.PATCH, "/api/v1/namespaces/default/configmaps/kept",
        "application/merge-patch+json", Buffer.buffer("{\"data\":{\"k\":\"changed\"}}"), null);
    assertThat(deniedPatch.code()).isEqualTo(403);
    JsonNode kept = get("/api/v1/namespaces/default/configmaps/kept").body();
    assertThat(kept.path("metadata").path("resourceVersion").asText()).as("unchanged").isEqualTo(rv);
    assertThat(kept.path("data").path("k").asText()).isEqualTo("v");

    Reply mine = callAs(robot, HttpMethod.POST, ssar, proto, accessReview("list", "secrets", "default"), null);
    assertThat(mine.code()).isEqualTo(201);
    assertThat(mine.body().path("status").path("allowed").asBoolean()).isFalse();
    Reply rules = callAs(robot, HttpMethod.POST, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
        "application/json", Buffer.buffer("{\"spec\":{\"namespace\":\"default\"}}"), null);
    assertThat(rules.code()).isEqualTo(201);
    assertThat(rules.body().path("status").path("resourceRules").toString()).contains("selfsubjectrulesreviews")
        .doesNotContain("secrets");
    assertThat(rules.body().path("status").path("nonResourceRules").toString()).contains("/apis/*");
    assertThat(callAs(robot, HttpMethod.GET, "/apis/apps/v1", null, null, null).code()).as("discovery").isEqualTo(200);
    Reply whoami = callAs(robot, HttpMethod.POST, "/apis/authentication.k8s.io/v1/selfsubjectreviews", proto,
        protobuf("authentication.k8s.io/v1", "SelfSubjectReview", V1Authentication.SelfSubjectReview.newBuilder()
            .build()), null);
    assertThat(whoami.code()).as(whoami.body().toString()).isEqualTo(201);
    assertThat(whoami.body().path("kind").asText()).isEqualTo("SelfSubjectReview");
    JsonNode userInfo = whoami.body().path("status").path("userInfo");
    assertThat(userInfo.path("username").asText()).isEqualTo("system:serviceaccount:default:robot");
    assertThat(userInfo.path("uid").asText()).isEqualTo(get("/api/v1/namespaces/default/serviceaccounts/robot")
        .body().path("metadata").path("uid").asText());
    assertThat(userInfo.path("groups").toString()).isEqualTo("[\"system:serviceaccounts\","
        + "\"system:serviceaccounts:default\",\"system:authenticated\"]");

    Reply noNamespace = callAs(robot, HttpMethod.POST, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
        "application/json", Buffer.buffer("{\"spec\":{}}"), null);
    assertThat(noNamespace.code()).isEqualTo(400);
    assertThat(noNamespace.body().path("message").asText()).isEqualTo("no namespace on request");
    Reply neither = callAs(robot, HttpMethod.POST, ssar, "application/json", Buffer.buffer("{\"spec\":{}}"), null);
    assertThat(neither.code()).isEqualTo(422);
    assertThat(neither.body().path("message").asText()).contains("exactly one of nonResourceAttributes or "
        + "resourceAttributes must be specified");

    Reply tooShort = call(HttpMethod.POST, "/api/v1/namespaces/default/serviceaccounts/robot/token",
        "application/json", Buffer.buffer("{\"spec\":{\"expirationSeconds\":60}}"), null);
    assertThat(tooShort.code()).isEqualTo(422);
    assertThat(tooShort.body().path("message").asText()).contains("may not specify a duration less than 10 minutes");

    assertThat(get("/apis/authorization.k8s.io/v1").body().toString()).contains("selfsubjectaccessreviews")
        .contains("selfsubjectrulesreviews");
    assertThat(get("/apis/authentication.k8s.io/v1").body().toString()).contains("selfsubjectreviews");
    assertThat(get("/api/v1").body().toString()).contains("serviceaccounts/token");
    Reply agg = call(HttpMethod.GET, "/apis", null, null,
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
    assertThat(agg.body().toString()).contains("\"name\":\"authorization.k8s.io\"")
        .contains("SelfSubjectAccessReview");
  }

  static String issueToken(String sa) throws Exception {
    Reply r = call(HttpMethod.POST, "/api/v1/namespaces/default/serviceaccounts/" + sa + "/token", "application/json",
        Buffer.buffer("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}"), null);
    assertThat(r.code()).as(r.body().toString()).isEqualTo(201);
    assertThat(r.body().path("spec").path("expirationSeconds").asLong()).isEqualTo(3600);
    assertThat(r.body().path("spec").path("audiences").toString()).isEqualTo("[\"https://kubernetes.default.svc\"]");
    return r.body().path("status").path("token").asText();
  }

  static int whoCan(String bearer) throws Exception {
    return callAs(bearer, HttpMethod.POST, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", "application/json",
        Buffer.buffer("{\"spec\":{\"namespace\":\"default\"}}"), null).code();
  }

  @Test
  void serviceAccountTokensOfDeletedAccountsOrPastExpiryAreUnauthorized() throws Exception {
    assertThat(call(HttpMethod.POST, "/api/v1/namespaces/default/serviceaccounts/ghost/token", "application/json",
        Buffer.buffer("{}"), null).code()).as("no such ServiceAccount").isEqualTo(404);
    assertThat(send(HttpMethod.POST, "/api/v1/namespaces/default/serviceaccounts", "{'metadata':{'name':'temp'}}")
        .code()).isEqualTo(201);
    String uid = get("/api/v1/namespaces/default/serviceaccounts/temp").body().path("metadata").path("uid").asText();
    String live = issueToken("temp");
    assertThat(whoCan(live)).isEqualTo(201);
    Reply discovery = callAs(live, HttpMethod.POST, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "application/json",
        Buffer.buffer("{\"spec\":{\"nonResourceAttributes\":{\"verb\":\"get\",\"path\":\"/apis\"}}}"), null);
    assertThat(discovery.body().path("status").path("allowed").asBoolean()).isTrue();
    assertThat(discovery.body().path("status").path("reason").asText()).isEqualTo("RBAC: allowed by ClusterRoleBinding "
        + "\"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\"");

    // signed with the server's own key, for the live ServiceAccount, but expired an hour ago
    io.kafkube.api.auth.ServiceAccountTokens past = io.kafkube.api.auth.ServiceAccountTokens.loadOrCreate(
        dir.resolve("api").resolve("pki"), java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-2)));
    String expired = past.issue("default", "temp", uid, io.kafkube.api.auth.ServiceAccountTokens.API_AUDIENCES,
        Duration.ofHours(1)).token();
    String fresh = past.issue("default", "temp", uid, io.kafkube.api.auth.ServiceAccountTokens.API_AUDIENCES,
        Duration.ofHours(3)).token();
    assertThat(whoCan(fresh)).as("the same key and claims, not expired").isEqualTo(201);
    Reply stale = callAs(expired, HttpMethod.GET, "/api/v1/namespaces/default/pods", null, null, null);
    assertThat(stale.code()).isEqualTo(401);
    assertThat(stale.body().path("reason").asText()).isEqualTo("Unauthorized");

    assertThat(call(HttpMethod.DELETE, "/api/v1/namespaces/default/serviceaccounts/temp", null, null, null).code())
        .isEqualTo(200);
    assertThat(whoCan(live)).as("the ServiceAccount is gone").isEqualTo(401);
    assertThat(whoCan(fresh)).isEqualTo(401);
  }
}
