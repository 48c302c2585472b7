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
