package io.kafkube.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.agent.runtime.SimulatedRuntime;
import io.kafkube.schemas.envelope.ReplyView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --simulate 20}: twenty virtual nodes in one agent, sharing one consumer and one command client. */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SimulatedNodesIntegrationTest {
  private static final int NODES = 20;
  private static final Duration WAIT = Duration.ofSeconds(180);

  @TempDir
  static Path dir;
  static TestCluster cluster;
  static AgentHost agent;

  @BeforeAll
  static void start() throws Exception {
    cluster = new TestCluster(dir);
    agent = AgentHost.start(cluster.agentConfig(dir.resolve("agent"), "sim").simulate(NODES)
        .simStartDelay(Duration.ofMillis(100)).build(), cluster.topics, Duration.ofMinutes(2));
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

  private static String pod(String name, String restartPolicy, String annotations) {
    return """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "%s", "namespace": "default", "annotations": {%s}},
         "spec": {"restartPolicy": "%s", "containers": [{"name": "main", "image": "registry.example/app:1",
                  "resources": {"requests": {"cpu": "100m"}}}]}}
        """.formatted(name, annotations, restartPolicy);
  }

  @Test
  void virtualNodesRegisterRunPodsFinishJobsAndRemoveDeletedPods() throws Exception {
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(cluster.nodes).hasSize(NODES);
      assertThat(cluster.leases).hasSize(NODES);
    });
    for (int i = 0; i < 60; i++) {
      ReplyView r = cluster.create(TestCluster.PODS, "default", "p-" + i, pod("p-" + i, "Always", ""));
      assertThat(r.code()).as(r.message()).isEqualTo(201);
    }
    String done = "\"" + SimulatedRuntime.RUN_ANNOTATION + "\": \"200\", \"" + SimulatedRuntime.EXIT_CODE_ANNOTATION;
    assertThat(cluster.create(TestCluster.PODS, "default", "job-ok", pod("job-ok", "Never", done + "\": \"0\""))
        .code()).isEqualTo(201);
    assertThat(cluster.create(TestCluster.PODS, "default", "job-bad", pod("job-bad", "Never", done + "\": \"2\""))
        .code()).isEqualTo(201);

    await().atMost(WAIT).untilAsserted(() -> {
      for (int i = 0; i < 60; i++) {
        JsonNode p = cluster.pod("p-" + i);
        assertThat(p.path("status").path("phase").asText()).as("p-" + i).isEqualTo("Running");
        assertThat(p.path("status").path("containerStatuses").path(0).path("ready").asBoolean()).isTrue();
      }
      assertThat(cluster.pod("job-ok").path("status").path("phase").asText()).isEqualTo("Succeeded");
      assertThat(cluster.pod("job-bad").path("status").path("phase").asText()).isEqualTo("Failed");
    });
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      JsonNode p = cluster.pod("p-" + i);
      used.add(p.path("spec").path("nodeName").asText());
      assertThat(p.path("status").path("containerStatuses").path(0).path("containerID").asText())
          .startsWith("simulated://");
    }
    assertThat(used).as("pods spread over the virtual nodes").hasSizeGreaterThan(1)
        .allSatisfy(n -> assertThat(n).startsWith("sim-"));
    assertThat(cluster.pod("job-bad").path("status").path("containerStatuses").path(0).path("state")
        .path("terminated").path("exitCode").asInt()).isEqualTo(2);

    assertThat(cluster.deletePod("p-0", 30).code()).isEqualTo(200);
    await().atMost(WAIT).until(() -> cluster.pod("p-0").isMissingNode());
    int total = agent.nodes().values().stream().mapToInt(n -> n.podKeys().size()).sum();
    assertThat(total).isEqualTo(61);
  }
}
