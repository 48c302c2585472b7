package io.kafkube.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kafkube.schemas.validation.Defaulter;
import io.kafkube.schemas.validation.ObjectValidator;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeObjectsTest {
  private static final ResourceType NODES = ResourceRegistry.kubernetes().byGroupResource("nodes").orElseThrow();
  private static final ResourceType LEASES =
      ResourceRegistry.kubernetes().byGroupResource("leases.coordination.k8s.io").orElseThrow();
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00.123456789Z");

  @TempDir
  Path dir;

  private static Conversion valid(ObjectNode json, ResourceType type) {
    Conversion c = KubeJson.toAvro(json, KafkubeSchemas.kind(type));
    assertThat(c.problems()).isEmpty();
    Defaulter.applyDefaults(type, c.record());
    assertThat(ObjectValidator.validateCreate(type, c.record())).isEmpty();
    return c;
  }

  @Test
  void theNodeCarriesKubeletsLabelsCapacityConditionsAndInfo() {
    NodeObjects.Machine m = NodeObjects.Machine.measure(dir, null, null, 110);
    ObjectNode node = NodeObjects.node("n1", "127.2.0.0/16", "process", m, NOW, null, 10250);
    JsonNode back = KubeJson.toJson(valid(node, NODES).record());
    assertThat(back.path("metadata").path("labels").path("kubernetes.io/hostname").asText()).isEqualTo("n1");
    assertThat(back.path("metadata").path("labels").path("kubernetes.io/os").asText()).isEqualTo("linux");
    assertThat(back.path("status").path("capacity").path("cpu").asText())
        .isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
    assertThat(back.path("status").path("allocatable").path("pods").asText()).isEqualTo("110");
    assertThat(back.path("spec").path("podCIDR").asText()).isEqualTo("127.2.0.0/16");
    assertThat(back.path("status").path("nodeInfo").path("kubeletVersion").asText()).startsWith("v1.");
    assertThat(back.path("status").path("addresses").get(0).path("address").asText()).isEqualTo("127.0.0.1");
    JsonNode ready = back.path("status").path("conditions").get(3);
    assertThat(ready.path("type").asText()).isEqualTo("Ready");
    assertThat(ready.path("status").asText()).isEqualTo("True");
    assertThat(ready.path("reason").asText()).isEqualTo("KubeletReady");
    assertThat(back.path("status").path("conditions").toString())
        .contains("MemoryPressure", "DiskPressure", "PIDPressure");
  }

  @Test
  void flagsOverrideTheMachineAndTransitionTimesStayWhileTheStatusHolds() {
    NodeObjects.Machine m = NodeObjects.Machine.simulated("4", "8Gi", 20);
    ObjectNode first = NodeObjects.node("n1", null, "simulated", m, NOW, null, 10250);
    ObjectNode old = first.objectNode();
    first.path("status").path("conditions").forEach(c -> old.set(c.path("type").asText(), c));
    ObjectNode later = NodeObjects.node("n1", null, "simulated", m, NOW.plusSeconds(60), old, 10250);
    JsonNode c = later.path("status").path("conditions").get(3);
    assertThat(c.path("lastHeartbeatTime").asText()).isEqualTo("2026-01-01T10:01:00Z");
    assertThat(c.path("lastTransitionTime").asText()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(later.path("status").path("capacity").path("memory").asText()).isEqualTo("8Gi");
    valid(later, NODES);
  }

  @Test
  void theLeaseIsOwnedByTheNodeAndRenewedWithMicroseconds() {
    ObjectNode lease = NodeObjects.lease("n1", "uid-n1", 40, NOW);
    assertThat(lease.path("spec").path("renewTime").asText()).isEqualTo("2026-01-01T10:00:00.123456Z");
    JsonNode back = KubeJson.toJson(valid(lease, LEASES).record());
    assertThat(back.path("metadata").path("namespace").asText()).isEqualTo("kube-node-lease");
    assertThat(back.path("metadata").path("ownerReferences").get(0).path("uid").asText()).isEqualTo("uid-n1");
    assertThat(back.path("spec").path("holderIdentity").asText()).isEqualTo("n1");
    assertThat(back.path("spec").path("leaseDurationSeconds").asInt()).isEqualTo(40);
    assertThat(back.path("spec").path("renewTime").asText()).isEqualTo("2026-01-01T10:00:00.123456Z");
  }
}
