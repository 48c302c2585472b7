package io.kafkube.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.schemas.envelope.ReplyView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's pod features end to end on a real broker, store and scheduler: volumes from the store's
 * ConfigMaps (a missing one waits with FailedMount, an update reaches the file), preStop before
 * SIGTERM on a graceful delete, and kubelet's events written through the store.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class PodFeaturesIntegrationTest {
  private static final String NODE = "features-it";
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static AgentHost agent;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir);
    agent = AgentHost.start(cluster.agentConfig(dir.resolve("agent"), NODE).build(), cluster.topics,
        Duration.ofMinutes(2));
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.shutdown(true);
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String configMap(String value) {
    return """
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "later", "namespace": "default"},
         "data": {"value": "%s"}}
        """.formatted(value);
  }

  @Test
  void aMissingConfigMapWaitsWithFailedMountThenItsFileFollowsUpdates() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out-cm"));
    ReplyView r = cluster.create(TestCluster.PODS, "default", "cm-reader", """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "cm-reader", "namespace": "default"},
         "spec": {"terminationGracePeriodSeconds": 2, "containers": [{"name": "c", "image": "busybox",
           "command": ["sh", "-c", "while true; do cat /config/value > /out/value.tmp; mv /out/value.tmp /out/value; sleep 0.2; done"],
           "volumeMounts": [{"name": "config", "mountPath": "/config"}, {"name": "out", "mountPath": "/out"}]}],
          "volumes": [{"name": "config", "configMap": {"name": "later"}},
                      {"name": "out", "hostPath": {"path": "%s"}}]}}
        """.formatted(out));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode w = cluster.pod("cm-reader").path("status").path("containerStatuses").path(0).path("state")
          .path("waiting");
      assertThat(w.path("reason").asText()).isEqualTo("ContainerCreating");
      assertThat(cluster.eventsOf("cm-reader"))
          .contains("FailedMount: MountVolume.SetUp failed for volume \"config\" : configmap \"later\" not found");
    });
    assertThat(cluster.create(TestCluster.CONFIGMAPS, "default", "later", configMap("first")).code()).isEqualTo(201);
    await().atMost(WAIT).until(() -> Files.exists(out.resolve("value"))
        && Files.readString(out.resolve("value")).equals("first"));
    assertThat(cluster.update(TestCluster.CONFIGMAPS, "default", "later", configMap("second")).code()).isEqualTo(200);
    await().atMost(WAIT).until(() -> Files.readString(out.resolve("value")).equals("second"));
    assertThat(cluster.eventsOf("cm-reader")).contains("Pulled: Container image \"busybox\" already present on machine",
        "Created: Created container c", "Started: Started container c");
  }

  @Test
  void preStopRunsBeforeSigtermOnAGracefulDelete() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out-hook"));
    ReplyView r = cluster.create(TestCluster.PODS, "default", "hooked", """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hooked", "namespace": "default"},
         "spec": {"terminationGracePeriodSeconds": 20, "containers": [{"name": "app", "image": "busybox",
           "command": ["sh", "-c", "trap 'echo sigterm >> /out/order; exit 0' TERM; echo started > /out/order; while true; do sleep 0.2; done"],
           "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "echo prestop >> /out/order; sleep 1"]}}},
           "volumeMounts": [{"name": "out", "mountPath": "/out"}]}],
          "volumes": [{"name": "out", "hostPath": {"path": "%s"}}]}}
        """.formatted(out));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).until(() -> Files.exists(out.resolve("order"))
        && cluster.pod("hooked").path("status").path("phase").asText().equals("Running"));
    assertThat(cluster.deletePod("hooked", 20).code()).isEqualTo(200);
    await().atMost(WAIT).until(() -> cluster.pod("hooked").isMissingNode());
    assertThat(Files.readAllLines(out.resolve("order"))).containsExactly("started", "prestop", "sigterm");
    assertThat(cluster.eventsOf("hooked")).contains("Killing: Stopping container app");
  }
}
