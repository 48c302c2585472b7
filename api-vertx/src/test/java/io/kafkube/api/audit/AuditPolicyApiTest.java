package io.kafkube.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.api.ApiConfig;
import io.kafkube.api.Http;
import io.kafkube.api.KubectlRunner;
import io.kafkube.api.TestCluster;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * recorded as JSON; the stages of a create, a get and a watch (chunked and WebSocket), omitStages,
 * omitManagedFields (the policy's, and a rule's override), a handler that throws recorded at Panic, and a
 * request whose authentication fails (401) recorded as kube's failed-authentication audit records it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AuditPolicyApiTest {
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  private static final String POLICY = """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitManagedFields: true
      rules:
      - level: None
        nonResourceURLs: ["/version", "/healthz*"]
      - level: None
        resources:
        - group: ""
          resources: ["secrets"]
      - level: RequestResponse
        userGroups: ["system:masters"]
        resources:
        - group: ""
          resources: ["services"]
      - level: Request
        resources:
        - group: ""
          resources: ["services"]
      - level: Metadata
        resources:
        - group: ""
          resources: ["endpoints"]
        omitStages: ["ResponseStarted"]
      - level: RequestResponse
        verbs: ["create", "list"]
        namespaces: ["stripped"]
        resources:
        - group: ""
          resources: ["configmaps"]
      - level: RequestResponse
        verbs: ["create"]
        resources:
        - group: ""
          resources: ["configmaps"]
        omitManagedFields: false
      - level: Request
        verbs: ["update", "patch"]
        resources:
        - group: ""
          resources: ["configmaps"]
      - level: Metadata
        verbs: ["get"]
        omitStages: ["RequestReceived"]
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

  /** Every event of one request (its stages, in order), once {@code count} of them are there. */
  static List<JsonNode> stages(String query, String auditId, int count) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .until(() -> ofRequest(query, auditId).size() >= count);
    try {
      return ofRequest(query, auditId);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static List<JsonNode> ofRequest(String query, String auditId) throws Exception {
    return events(query + "&stage=all").stream().filter(e -> e.path("auditID").asText().equals(auditId)).toList();
  }

  static List<String> stageNames(List<JsonNode> events) {
    return events.stream().map(e -> e.path("stage").asText()).toList();
  }

  static Instant stageTime(JsonNode e) {
    return Instant.parse(e.path("stageTimestamp").asText());
  }

  @Test
  void aCreateIsRecordedWhenReceivedAndWhenCompleteAndAGetOnlyWhenCompleteAsItsRuleSays() throws Exception {
    Http.Reply created = api.post(CMS, "{'metadata':{'name':'staged'},'data':{'a':'1'}}");
    assertThat(created.code()).isEqualTo(201);
    String createId = created.headers().firstValue("Audit-Id").orElseThrow();
    Http.Reply got = api.get(CMS + "/staged");
    assertThat(got.code()).isEqualTo(200);
    String getId = got.headers().firstValue("Audit-Id").orElseThrow();
    assertThat(api.delete(CMS + "/staged").code()).isEqualTo(200);
    await("?resource=configmaps&name=staged", "delete");

    List<JsonNode> create = stages("?resource=configmaps", createId, 2);
    assertThat(stageNames(create)).containsExactly("RequestReceived", "ResponseComplete");
    JsonNode received = create.get(0);
    JsonNode complete = create.get(1);
    assertThat(received.path("level").asText()).isEqualTo("RequestResponse");
    assertThat(received.has("responseStatus")).as("no response yet: %s", received).isFalse();
    assertThat(received.has("requestObject")).isFalse();
    assertThat(received.path("verb").asText()).isEqualTo("create");
    assertThat(received.at("/user/username").asText()).isEqualTo("kubernetes-admin");
    assertThat(complete.at("/responseStatus/code").asInt()).isEqualTo(201);
    assertThat(complete.at("/requestObject/data/a").asText()).isEqualTo("1");
    assertThat(complete.at("/objectRef/name").asText()).isEqualTo("staged");
    assertThat(complete.path("requestReceivedTimestamp")).isEqualTo(received.path("requestReceivedTimestamp"));
    assertThat(stageTime(complete)).isAfter(stageTime(received));
    assertThat(stageTime(received)).isAfterOrEqualTo(Instant.parse(received.path("requestReceivedTimestamp").asText()));

    List<JsonNode> get = stages("?resource=configmaps&name=staged", getId, 1);
    assertThat(stageNames(get)).as("the get rule omits RequestReceived").containsExactly("ResponseComplete");

    // by default one event per request: the create's ResponseComplete
    List<JsonNode> perRequest = events("?resource=configmaps").stream()
        .filter(e -> e.path("auditID").asText().equals(createId)).toList();
    assertThat(stageNames(perRequest)).containsExactly("ResponseComplete");
    assertThat(stageNames(events("?resource=configmaps&stage=RequestReceived").stream()
        .filter(e -> e.path("auditID").asText().equals(createId)).toList())).containsExactly("RequestReceived");
    Http.Reply badStage = api.get(AuditEndpoint.PATH + "?stage=Later");
    assertThat(badStage.code()).isEqualTo(400);
    assertThat(badStage.body().path("message").asText()).contains("stage: Unsupported value: \"Later\"");
  }

  @Test
  void aWatchIsRecordedWhenReceivedWhenItsResponseStartsAndWhenItEnds() throws Exception {
    Http.Reply watch = api.get(CMS + "?watch=true&timeoutSeconds=1");
    assertThat(watch.code()).isEqualTo(200);
    String watchId = watch.headers().firstValue("Audit-Id").orElseThrow();
    List<JsonNode> chunked = stages("?resource=configmaps", watchId, 3);
    assertThat(stageNames(chunked)).containsExactly("RequestReceived", "ResponseStarted", "ResponseComplete");
    assertThat(chunked).allSatisfy(e -> {
      assertThat(e.path("verb").asText()).isEqualTo("watch");
      assertThat(e.path("requestReceivedTimestamp")).isEqualTo(chunked.get(0).path("requestReceivedTimestamp"));
    });
    assertThat(chunked.get(1).at("/responseStatus/code").asInt()).isEqualTo(200);
    assertThat(chunked.get(2).at("/responseStatus/code").asInt()).isEqualTo(200);
    assertThat(stageTime(chunked.get(1))).isAfterOrEqualTo(stageTime(chunked.get(0)));
    assertThat(stageTime(chunked.get(2))).as("the watch lasted its timeout").isAfter(stageTime(chunked.get(1)));

    // the same watch over a WebSocket: the upgrade starts the response, the socket's close ends it
    String wsId = "ws-watch-" + UUID.randomUUID();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", "Bearer " + cluster.api.adminToken()).header("Audit-ID", wsId)
        .buildAsync(URI.create(cluster.api.insecureUrl().replaceFirst("^http", "ws") + CMS
            + "?watch=true&timeoutSeconds=1"), new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
              }

              @Override
              public void onError(WebSocket socket, Throwable error) {
                closed.completeExceptionally(error);
              }
            }).get(30, TimeUnit.SECONDS);
    assertThat(closed.get(30, TimeUnit.SECONDS)).isNotNull();
    ws.abort();
    List<JsonNode> upgraded = stages("?resource=configmaps", wsId, 3);
    assertThat(stageNames(upgraded)).containsExactly("RequestReceived", "ResponseStarted", "ResponseComplete");
    assertThat(upgraded.get(1).at("/responseStatus/code").asInt()).isEqualTo(101);
    assertThat(upgraded.get(2).at("/responseStatus/code").asInt()).isEqualTo(101);
    assertThat(upgraded.get(2).path("verb").asText()).isEqualTo("watch");
  }

  @Test
  void managedFieldsAreLeftOutWhereThePolicyOrItsRuleSaysSo() throws Exception {
    int ns = api.post("/api/v1/namespaces", "{'metadata':{'name':'stripped'}}").code();
    assertThat(ns).isIn(201, 409);
    String body = "{'metadata':{'name':'managed','managedFields':[{'manager':'tester','operation':'Update',"
        + "'apiVersion':'v1','fieldsType':'FieldsV1','fieldsV1':{'f:data':{'f:a':{}}}}]},'data':{'a':'1'}}";
    Http.Reply kept = api.post(CMS, body);
    assertThat(kept.code()).as(kept.raw()).isEqualTo(201);
    assertThat(kept.body().at("/metadata/managedFields").size()).as("the API answers with managedFields")
        .isPositive();
    Http.Reply stripped = api.post("/api/v1/namespaces/stripped/configmaps", body);
    assertThat(stripped.code()).as(stripped.raw()).isEqualTo(201);
    Http.Reply list = api.get("/api/v1/namespaces/stripped/configmaps");
    assertThat(list.body().at("/items/0/metadata/managedFields").size()).isPositive();

    // the rule says omitManagedFields: false, over the policy's true
    JsonNode keptEvent = await("?resource=configmaps&namespace=default&name=managed", "create");
    assertThat(keptEvent.at("/requestObject/metadata/managedFields/0/manager").asText()).isEqualTo("tester");
    assertThat(keptEvent.at("/responseObject/metadata/managedFields").size()).isPositive();
    // the rule says nothing: the policy's true
    JsonNode strippedEvent = await("?resource=configmaps&namespace=stripped&name=managed", "create");
    assertThat(strippedEvent.path("level").asText()).isEqualTo("RequestResponse");
    assertThat(strippedEvent.at("/requestObject/metadata").has("managedFields")).as("%s", strippedEvent).isFalse();
    assertThat(strippedEvent.at("/requestObject/metadata/name").asText()).isEqualTo("managed");
    assertThat(strippedEvent.at("/requestObject/data/a").asText()).isEqualTo("1");
    assertThat(strippedEvent.at("/responseObject/metadata").has("managedFields")).isFalse();
    assertThat(strippedEvent.at("/responseObject/metadata/uid").asText()).isNotEmpty();
    JsonNode listEvent = await("?resource=configmaps&namespace=stripped", "list");
    assertThat(listEvent.at("/responseObject/kind").asText()).isEqualTo("ConfigMapList");
    assertThat(listEvent.at("/responseObject/items/0/metadata/name").asText()).isEqualTo("managed");
    assertThat(listEvent.at("/responseObject/items/0/metadata").has("managedFields")).isFalse();
  }

  /**
   * No handler of the API throws on purpose, so a router wired as the API's (audit first, then the
   * audit's authenticated step) with one handler that throws stands for a bug; its events go to the
   * same topic through a real sink and are read back through the API.
   */
  @Test
  void aHandlerThatThrowsIsRecordedAtStagePanic() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (AuditSink sink = new AuditSink(cluster.bootstrap, cluster.topics, 100)) {
      AuditHandler audit = new AuditHandler(sink, AuditPolicy.parse(POLICY));
      Router router = Router.router(vertx);
      router.route().handler(audit);
      router.route().handler(BodyHandler.create(false));
      router.route().handler(audit::authenticated);
      router.post(CMS).handler(ctx -> {
        throw new IllegalStateException("a bug");
      });
      router.route().failureHandler(ctx -> ctx.response().setStatusCode(500).end());
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Http.Reply r = new Http("http://127.0.0.1:" + server.actualPort(), null)
          .post(CMS, "{'metadata':{'name':'boom'},'data':{'a':'1'}}");
      assertThat(r.code()).isEqualTo(500);
      String id = r.headers().firstValue("Audit-Id").orElseThrow();
      List<JsonNode> events = stages("?resource=configmaps", id, 2);
      assertThat(stageNames(events)).containsExactly("RequestReceived", "Panic");
      JsonNode panic = events.get(1);
      assertThat(panic.at("/responseStatus/code").asInt()).isEqualTo(500);
      assertThat(panic.at("/responseStatus/reason").asText()).isEqualTo("InternalError");
      assertThat(panic.at("/responseStatus/message").asText()).contains("APIServer panic'd")
          .contains("IllegalStateException: a bug");
      assertThat(panic.at("/requestObject/metadata/name").asText()).isEqualTo("boom");
      assertThat(panic.has("responseObject")).isFalse();
      assertThat(stageNames(events("?resource=configmaps").stream()
          .filter(e -> e.path("auditID").asText().equals(id)).toList())).containsExactly("Panic");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The one event of a request, read with every stage; fails if it has any other. */
  static JsonNode onlyEvent(String query, String auditId) throws Exception {
    List<JsonNode> events = ofRequest(query, auditId);
    assertThat(events).as("the events of request %s", auditId).hasSize(1);
    return events.get(0);
  }

  /** What every failed authentication's event says, whatever the request. */
  static void failedAuthentication(JsonNode e, String auditId, String verb, String uri, String message) {
    assertThat(e.path("kind").asText()).isEqualTo("Event");
    assertThat(e.path("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
    assertThat(e.path("auditID").asText()).isEqualTo(auditId);
    assertThat(e.path("stage").asText()).as("%s", e).isEqualTo("ResponseStarted");
    assertThat(e.path("verb").asText()).isEqualTo(verb);
    assertThat(e.path("requestURI").asText()).isEqualTo(uri);
    assertThat(e.path("user").toString()).as("no user is known").isEqualTo("{}");
    assertThat(e.path("responseStatus").toString()).isEqualTo("{\"metadata\":{},\"message\":\"" + message
        + "\",\"code\":401}");
    assertThat(e.has("requestObject")).isFalse();
    assertThat(e.has("responseObject")).isFalse();
    assertThat(e.path("sourceIPs").path(0).asText()).isEqualTo("127.0.0.1");
  }

  @Test
  void aRequestThatFailsAuthenticationIsRecordedOnceWhenIts401Starts() throws Exception {
    Http.Reply noToken = new Http(cluster.api.insecureUrl(), null).get(CMS + "/nobody");
    assertThat(noToken.code()).isEqualTo(401);
    String noTokenId = noToken.headers().firstValue("Audit-Id").orElseThrow();
    Http.Reply badToken = api.as("not-a-token").get(CMS + "?limit=5");
    assertThat(badToken.code()).isEqualTo(401);
    String badTokenId = badToken.headers().firstValue("Audit-Id").orElseThrow();
    // basic credentials and an access_token parameter, neither of which kafkube accepts
    String basicUri = "/api/v1/namespaces/default/services?access_token=abc";
    HttpResponse<String> basic = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(cluster.api.insecureUrl() + basicUri)).header("Authorization", "Basic "
            + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(basic.statusCode()).isEqualTo(401);
    String basicId = basic.headers().firstValue("Audit-Id").orElseThrow();
    // the services rule for system:masters does not match a request without a user: the next one does
    Http.Reply badService = api.as("not-a-token").get("/api/v1/namespaces/default/services");
    assertThat(badService.code()).isEqualTo(401);
    String badServiceId = badService.headers().firstValue("Audit-Id").orElseThrow();
    // the endpoints rule omits ResponseStarted: no event at all
    Http.Reply omitted = api.as("not-a-token").get("/api/v1/namespaces/default/endpoints");
    assertThat(omitted.code()).isEqualTo(401);
    String omittedId = omitted.headers().firstValue("Audit-Id").orElseThrow();
    // a successful request, unchanged; its events are written after all of the above
    Http.Reply admin = api.get("/api/v1/namespaces/default/services");
    assertThat(admin.code()).isEqualTo(200);
    String adminId = admin.headers().firstValue("Audit-Id").orElseThrow();
    List<JsonNode> ok = stages("?resource=services", adminId, 2);

    assertThat(stageNames(ok)).containsExactly("RequestReceived", "ResponseComplete");
    assertThat(ok.get(1).path("level").asText()).isEqualTo("RequestResponse");
    assertThat(ok.get(1).at("/user/username").asText()).isEqualTo("kubernetes-admin");
    assertThat(ok.get(1).path("responseStatus").toString()).isEqualTo("{\"metadata\":{},\"code\":200}");
    assertThat(ok.get(1).at("/responseObject/kind").asText()).isEqualTo("ServiceList");

    JsonNode none = onlyEvent("?resource=configmaps", noTokenId);
    failedAuthentication(none, noTokenId, "get", CMS + "/nobody", "Authentication failed, no credentials provided");
    assertThat(none.path("level").asText()).isEqualTo("Metadata");
    assertThat(none.path("objectRef").toString()).isEqualTo("{\"resource\":\"configmaps\",\"namespace\":"
        + "\"default\",\"name\":\"nobody\",\"apiVersion\":\"v1\"}");
    assertThat(Instant.parse(none.path("stageTimestamp").asText()))
        .isAfterOrEqualTo(Instant.parse(none.path("requestReceivedTimestamp").asText()));

    JsonNode bad = onlyEvent("?resource=configmaps", badTokenId);
    failedAuthentication(bad, badTokenId, "list", CMS + "?limit=5", "Authentication failed, attempted: bearer");
    assertThat(bad.path("level").asText()).isEqualTo("Metadata");

    JsonNode tried = onlyEvent("?resource=services", basicId);
    failedAuthentication(tried, basicId, "list", basicUri, "Authentication failed, attempted: basic, access_token");

    JsonNode service = onlyEvent("?resource=services", badServiceId);
    failedAuthentication(service, badServiceId, "list", "/api/v1/namespaces/default/services",
        "Authentication failed, attempted: bearer");
    assertThat(service.path("level").asText()).as("the first rule that matches without a user").isEqualTo("Request");

    assertThat(ofRequest("?resource=endpoints", omittedId)).isEmpty();
    // the default view (one event per request) shows a failed authentication's one event
    assertThat(events("?resource=configmaps").stream().filter(e -> e.path("auditID").asText().equals(badTokenId)))
        .extracting(e -> e.path("stage").asText()).containsExactly("ResponseStarted");
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
