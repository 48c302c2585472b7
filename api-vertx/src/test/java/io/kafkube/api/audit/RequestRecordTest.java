package io.kafkube.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.api.ops.RequestLog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit event, the request log line and the query filters, without a cluster. */
class RequestRecordTest {
  static final Instant T0 = Instant.parse("2026-11-29T23:00:00.123456Z");
  static final RequestRecord CREATE = new RequestRecord("id-1", "alice", List.of("dev", "system:authenticated"),
      "create", "/apis/apps/v1/namespaces/team/deployments", "apps", "v1", "deployments", "", "team", "web", 201,
      T0, T0.plusMillis(12), List.of("127.0.0.1"), "kubectl/v1.32.0");

  @Test
  void anAuditK8sIoV1EventAtMetadataLevel() {
    ObjectNode e = CREATE.toEvent();
    assertThat(e.path("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
    assertThat(e.path("stage").asText()).isEqualTo("ResponseComplete");
    assertThat(e.path("objectRef").toString()).isEqualTo("{\"resource\":\"deployments\",\"namespace\":\"team\","
        + "\"name\":\"web\",\"apiGroup\":\"apps\",\"apiVersion\":\"v1\"}");
    assertThat(e.path("requestReceivedTimestamp").asText()).isEqualTo("2026-11-29T23:00:00.123456Z");
    assertThat(e.path("stageTimestamp").asText()).isEqualTo("2026-11-29T23:00:00.135456Z");
    assertThat(e.path("responseStatus").path("code").asInt()).isEqualTo(201);
    assertThat(e.has("requestObject")).isFalse();
  }

  @Test
  void eachStageHasItsOwnTimeAndOnlyAnsweredStagesHaveAStatus() {
    ObjectNode received = CREATE.at(AuditPolicy.Stage.RequestReceived, 0, T0.plusNanos(3_000),
        AuditPolicy.Level.Metadata, null, false, null).toEvent();
    assertThat(received.path("stage").asText()).isEqualTo("RequestReceived");
    assertThat(received.has("responseStatus")).isFalse();
    assertThat(received.path("auditID").asText()).isEqualTo("id-1");
    assertThat(received.path("requestReceivedTimestamp").asText()).isEqualTo("2026-11-29T23:00:00.123456Z");
    assertThat(received.path("stageTimestamp").asText()).isEqualTo("2026-11-29T23:00:00.123459Z");
    ObjectNode started = CREATE.at(AuditPolicy.Stage.ResponseStarted, 101, T0.plusMillis(1),
        AuditPolicy.Level.Metadata, null, false, null).toEvent();
    assertThat(started.path("responseStatus").path("code").asInt()).isEqualTo(101);
    ObjectNode panic = CREATE.at(AuditPolicy.Stage.Panic, 500, T0.plusMillis(2), AuditPolicy.Level.Metadata, null,
        false, "java.lang.NullPointerException: boom").toEvent();
    assertThat(panic.path("stage").asText()).isEqualTo("Panic");
    assertThat(panic.path("responseStatus").path("code").asInt()).isEqualTo(500);
    assertThat(panic.path("responseStatus").path("reason").asText()).isEqualTo("InternalError");
    assertThat(panic.path("responseStatus").path("message").asText())
        .isEqualTo("APIServer panic'd: java.lang.NullPointerException: boom");
    assertThat(CREATE.last()).isTrue();
    assertThat(panic.path("requestReceivedTimestamp")).isEqualTo(received.path("requestReceivedTimestamp"));
  }

  @Test
  void aFailedAuthenticationsEventHasNoUserAndItsStatusSaysWhatWasTried() {
    RequestRecord anonymous = new RequestRecord("id-2", null, List.of(), "list", "/api/v1/pods", "", "v1", "pods", "",
        "", "", 0, T0, T0, List.of("127.0.0.1"), "curl/8");
    RequestRecord started = anonymous.at(AuditPolicy.Stage.ResponseStarted, 401, T0.plusMillis(1),
        AuditPolicy.Level.Metadata, null, false, "Authentication failed, attempted: bearer");
    ObjectNode e = started.toEvent();
    assertThat(e.path("stage").asText()).isEqualTo("ResponseStarted");
    assertThat(e.path("user").toString()).isEqualTo("{}");
    assertThat(e.path("responseStatus").toString())
        .isEqualTo("{\"metadata\":{},\"message\":\"Authentication failed, attempted: bearer\",\"code\":401}");
    assertThat(started.last()).as("not the stage a request log line is written for").isFalse();
    assertThat(RequestLog.line(anonymous.at(AuditPolicy.Stage.ResponseComplete, 401, T0.plusMillis(1),
        AuditPolicy.Level.None, null, false, null))).contains("verb=list").contains("code=401")
        .doesNotContain("user=");
  }

  static final String MANAGED = "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','managedFields':"
      + "[{'manager':'kubectl','operation':'Update'}]},'data':{'a':'1'}}";

  @Test
  void omitManagedFieldsDropsThemFromRequestResponseAndListItems() {
    byte[] request = MANAGED.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] list = ("{'apiVersion':'v1','kind':'ConfigMapList','metadata':{'resourceVersion':'7'},'items':[" + MANAGED
        + "," + MANAGED + "]}").replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8);
    RequestRecord.Bodies bodies = new RequestRecord.Bodies(request, "application/json", null, list);
    ObjectNode kept = CREATE.at(AuditPolicy.Stage.ResponseComplete, 201, T0, AuditPolicy.Level.RequestResponse,
        bodies, false, null).toEvent();
    assertThat(kept.at("/requestObject/metadata/managedFields/0/manager").asText()).isEqualTo("kubectl");
    assertThat(kept.at("/responseObject/items/1/metadata/managedFields/0/manager").asText()).isEqualTo("kubectl");
    ObjectNode omitted = CREATE.at(AuditPolicy.Stage.ResponseComplete, 201, T0, AuditPolicy.Level.RequestResponse,
        bodies, true, null).toEvent();
    assertThat(omitted.at("/requestObject/metadata").has("managedFields")).isFalse();
    assertThat(omitted.at("/requestObject/metadata/name").asText()).isEqualTo("c");
    assertThat(omitted.at("/requestObject/data/a").asText()).isEqualTo("1");
    assertThat(omitted.at("/responseObject/items/0/metadata").has("managedFields")).isFalse();
    assertThat(omitted.at("/responseObject/items/1/metadata").has("managedFields")).isFalse();
    assertThat(omitted.at("/responseObject/items/1/metadata/name").asText()).isEqualTo("c");
    assertThat(omitted.at("/responseObject/metadata/resourceVersion").asText()).isEqualTo("7");
    byte[] table = ("{'apiVersion':'meta.k8s.io/v1','kind':'Table','columnDefinitions':[],'rows':[{'cells':['c'],"
        + "'object':" + MANAGED.replace("'kind':'ConfigMap'", "'kind':'PartialObjectMetadata'") + "}]}")
        .replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8);
    RequestRecord.Bodies tableBodies = new RequestRecord.Bodies(null, null, null, table);
    assertThat(CREATE.at(AuditPolicy.Stage.ResponseComplete, 200, T0, AuditPolicy.Level.RequestResponse,
        tableBodies, false, null).toEvent().at("/responseObject/rows/0/object/metadata/managedFields/0/manager")
        .asText()).isEqualTo("kubectl");
    ObjectNode tableOmitted = CREATE.at(AuditPolicy.Stage.ResponseComplete, 200, T0,
        AuditPolicy.Level.RequestResponse, tableBodies, true, null).toEvent();
    assertThat(tableOmitted.at("/responseObject/rows/0/object/metadata").has("managedFields")).isFalse();
    assertThat(tableOmitted.at("/responseObject/rows/0/object/metadata/name").asText()).isEqualTo("c");
    ObjectNode metadataOnly = CREATE.at(AuditPolicy.Stage.ResponseComplete, 201, T0, AuditPolicy.Level.Metadata,
        bodies, true, null).toEvent();
    assertThat(metadataOnly.has("requestObject")).isFalse();
    assertThat(metadataOnly.has("responseObject")).isFalse();
  }

  @Test
  void readersShowOneEventPerRequestItsLatestStageUnlessAskedForAStage() {
    RequestRecord other = new RequestRecord("id-2", "alice", List.of(), "watch", "/api/v1/pods?watch=1", "", "v1",
        "pods", "", "", "", 200, T0.plusSeconds(1), T0.plusSeconds(5), List.of(), null);
    List<com.fasterxml.jackson.databind.JsonNode> events = List.of(
        CREATE.at(AuditPolicy.Stage.RequestReceived, 0, T0, AuditPolicy.Level.Metadata, null, false, null).toEvent(),
        other.at(AuditPolicy.Stage.RequestReceived, 0, T0.plusSeconds(1), AuditPolicy.Level.Metadata, null, false, null)
            .toEvent(),
        CREATE.toEvent(),
        other.at(AuditPolicy.Stage.ResponseStarted, 200, T0.plusSeconds(2), AuditPolicy.Level.Metadata, null, false,
            null).toEvent());
    assertThat(AuditReader.latestStages(events)).extracting(e -> e.path("auditID").asText() + " "
        + e.path("stage").asText()).containsExactlyInAnyOrder("id-1 ResponseComplete", "id-2 ResponseStarted");
    AuditQuery received = new AuditQuery(null, null, null, null, null, null, 0, "RequestReceived");
    assertThat(events.stream().filter(received::matches)).hasSize(2);
    assertThat(received.perRequest()).isFalse();
    AuditQuery all = new AuditQuery(null, null, null, null, null, null, 0, AuditQuery.ALL_STAGES);
    assertThat(events.stream().filter(all::matches)).hasSize(4);
    assertThat(new AuditQuery(null, null, null, null, null, null, 0).perRequest()).isTrue();
    assertThatThrownBy(() -> new AuditQuery(null, null, null, null, null, null, 0, "Later"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stage: Unsupported value: \"Later\"");
  }

  @Test
  void oneKeyValueLinePerRequest() {
    assertThat(RequestLog.line(CREATE)).isEqualTo("user=alice verb=create resource=deployments ns=team name=web "
        + "code=201 latency_ms=12 source=127.0.0.1 audit_id=id-1");
    RequestRecord version = new RequestRecord("id-2", null, List.of(), "get", "/version?x=a b", "", "", "", "", "",
        "", 200, T0, T0, List.of(), null);
    assertThat(RequestLog.line(version)).isEqualTo("verb=get uri=\"/version?x=a b\" code=200 latency_ms=0 "
        + "audit_id=id-2");
  }

  @Test
  void queriesByUserObjectAndTime() {
    ObjectNode e = CREATE.toEvent();
    assertThat(new AuditQuery("alice", "deployments", "team", "web", null, null, 0).matches(e)).isTrue();
    assertThat(new AuditQuery("bob", null, null, null, null, null, 0).matches(e)).isFalse();
    assertThat(new AuditQuery(null, "pods", null, null, null, null, 0).matches(e)).isFalse();
    assertThat(new AuditQuery(null, null, "other", null, null, null, 0).matches(e)).isFalse();
    assertThat(new AuditQuery(null, null, null, null, T0, T0.plusSeconds(1), 0).matches(e)).isTrue();
    assertThat(new AuditQuery(null, null, null, null, T0.plusMillis(1), null, 0).matches(e)).isFalse();
    assertThat(new AuditQuery(null, null, null, null, null, T0, 0).matches(e)).isFalse();
    Instant now = Instant.parse("2026-11-30T00:00:00Z");
    assertThat(AuditQuery.parseTime("10m", now)).isEqualTo(Instant.parse("2026-11-29T23:50:00Z"));
    assertThat(AuditQuery.parseTime("1d", now)).isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
    assertThat(AuditQuery.parseTime("2026-11-29T23:00:00Z", now)).isEqualTo(Instant.parse("2026-11-29T23:00:00Z"));
    assertThat(AuditQuery.parseTime("", now)).isNull();
    assertThatThrownBy(() -> AuditQuery.parseTime("yesterday", now)).isInstanceOf(IllegalArgumentException.class);
  }
}
