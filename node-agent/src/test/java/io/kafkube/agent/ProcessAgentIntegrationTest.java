package io.kafkube.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkube.agent.runtime.ProcessRuntime;
import io.kafkube.schemas.envelope.ReplyView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker, the store, the scheduler and one agent with the process runtime: pods created
 * through the store are bound by the scheduler and run as real processes of this machine; their status
 * comes back through the store.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessAgentIntegrationTest {
  private static final String NODE = "agent-it";
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

  private static String pod(String name, String restartPolicy, String containerJson) {
    return """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "%s", "namespace": "default"},
         "spec": {"restartPolicy": "%s", "terminationGracePeriodSeconds": 5, "containers": [%s]}}
        """.formatted(name, restartPolicy, containerJson);
  }

  private static JsonNode container(JsonNode pod, int i) {
    return pod.path("status").path("containerStatuses").path(i);
  }

  @Test
  @Order(1)
  void nodeIsRegisteredReadyAndRenewsItsLease() {
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(cluster.nodes).containsKey(NodeAgent.NODES.key(null, NODE).toString());
      assertThat(cluster.leases).containsKey(NodeAgent.LEASES.key("kube-node-lease", NODE).toString());
    });
    JsonNode node = io.kafkube.schemas.json.KubeJson.toJson(cluster.nodes.get(NodeAgent.NODES.key(null, NODE).toString()));
    assertThat(node.path("metadata").path("labels").path("kubernetes.io/hostname").asText()).isEqualTo(NODE);
    assertThat(node.path("status").path("addresses").toString()).contains("127.0.0.1");
    assertThat(node.path("status").path("conditions").toString()).contains("KubeletReady", "KubeletHasSufficientPID");
    String key = NodeAgent.LEASES.key("kube-node-lease", NODE).toString();
    String first = io.kafkube.schemas.json.KubeJson.toJson(cluster.leases.get(key)).path("spec").path("renewTime")
        .asText();
    await().atMost(WAIT).until(() -> !io.kafkube.schemas.json.KubeJson.toJson(cluster.leases.get(key)).path("spec")
        .path("renewTime").asText().equals(first));
  }

  @Test
  @Order(2)
  void pythonServerRunsAndAnswersOnItsPodIp() throws Exception {
    ReplyView r = cluster.create(TestCluster.PODS, "default", "web", pod("web", "Always", """
        {"name": "web", "image": "python:3", "ports": [{"name": "http", "containerPort": 8080}],
         "args": ["python3", "-m", "http.server", "$(PORT)", "--bind", "$(POD_IP)"],
         "startupProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 1, "failureThreshold": 30},
         "readinessProbe": {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 1}}
        """));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode p = cluster.pod("web");
      assertThat(p.path("spec").path("nodeName").asText()).isEqualTo(NODE);
      assertThat(p.path("status").path("phase").asText()).isEqualTo("Running");
      assertThat(container(p, 0).path("ready").asBoolean()).as(p.path("status").toString()).isTrue();
      assertThat(container(p, 0).path("started").asBoolean()).isTrue();
    });
    JsonNode p = cluster.pod("web");
    String ip = p.path("status").path("podIP").asText();
    assertThat(ip).startsWith("127.2.");
    assertThat(p.path("status").path("hostIP").asText()).isEqualTo("127.0.0.1");
    assertThat(p.path("status").path("startTime").asText()).isNotEmpty();
    assertThat(p.path("status").path("conditions").toString())
        .contains("\"type\":\"Ready\",\"status\":\"True\"", "\"type\":\"ContainersReady\",\"status\":\"True\"",
            "\"type\":\"Initialized\",\"status\":\"True\"", "\"type\":\"PodScheduled\",\"status\":\"True\"");
    assertThat(container(p, 0).path("state").path("running").path("startedAt").asText()).isNotEmpty();
    HttpResponse<String> res = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void crashingContainerIsRestartedWithBackOff() throws Exception {
    ReplyView r = cluster.create(TestCluster.PODS, "default", "crash", pod("crash", "Always", """
        {"name": "main", "image": "busybox", "command": ["sh", "-c", "echo going down; exit 3"]}
        """));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode c = container(cluster.pod("crash"), 0);
      assertThat(c.path("restartCount").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(c.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(3);
      assertThat(c.path("lastState").path("terminated").path("reason").asText()).isEqualTo("Error");
    });
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode c = container(cluster.pod("crash"), 0);
      assertThat(c.path("state").path("waiting").path("reason").asText()).isEqualTo("CrashLoopBackOff");
      assertThat(c.path("state").path("waiting").path("message").asText())
          .startsWith("back-off ").contains("restarting failed container=main pod=crash_default(");
    });
    assertThat(cluster.pod("crash").path("status").path("phase").asText()).isEqualTo("Running");
  }

  @Test
  @Order(4)
  void neverPodExitingOneIsFailed() throws Exception {
    ReplyView r = cluster.create(TestCluster.PODS, "default", "once", pod("once", "Never", """
        {"name": "main", "image": "busybox", "command": ["sh", "-c", "exit 1"]}
        """));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(cluster.pod("once").path("status").path("phase").asText()).isEqualTo("Failed"));
    JsonNode c = container(cluster.pod("once"), 0);
    assertThat(c.path("state").path("terminated").path("exitCode").asInt()).isEqualTo(1);
    assertThat(c.path("state").path("terminated").path("reason").asText()).isEqualTo("Error");
    assertThat(c.path("restartCount").asInt()).isZero();
  }

  @Test
  @Order(5)
  void missingConfigMapWaitsThenStartsWhenItExists() throws Exception {
    Path out = dir.resolve("greeting.txt");
    ReplyView r = cluster.create(TestCluster.PODS, "default", "configured", pod("configured", "Never", """
        {"name": "main", "image": "busybox", "command": ["sh", "-c", "echo \\"$GREETING $ME\\" > %s"],
         "env": [{"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "greeting"}}},
                 {"name": "ME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}
        """.formatted(out)));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode w = container(cluster.pod("configured"), 0).path("state").path("waiting");
      assertThat(w.path("reason").asText()).isEqualTo("CreateContainerConfigError");
      assertThat(w.path("message").asText()).isEqualTo("configmap \"settings\" not found");
    });
    assertThat(cluster.create(TestCluster.CONFIGMAPS, "default", "settings", """
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "default"},
         "data": {"greeting": "hello"}}
        """).code()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(cluster.pod("configured").path("status").path("phase").asText()).isEqualTo("Succeeded"));
    assertThat(Files.readString(out).trim()).isEqualTo("hello configured");
  }

  @Test
  @Order(6)
  void unknownImageWaitsWithErrImagePull() throws Exception {
    ReplyView r = cluster.create(TestCluster.PODS, "default", "nginx", pod("nginx", "Always", """
        {"name": "main", "image": "nginx:1.27"}
        """));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode w = container(cluster.pod("nginx"), 0).path("state").path("waiting");
      assertThat(w.path("reason").asText()).isIn("ErrImagePull", "ImagePullBackOff");
      assertThat(cluster.pod("nginx").path("status").path("phase").asText()).isEqualTo("Pending");
    });
  }

  @Test
  @Order(7)
  void deletedPodIsStoppedWithGraceAndRemoved() throws Exception {
    ReplyView r = cluster.create(TestCluster.PODS, "default", "sleeper", pod("sleeper", "Always", """
        {"name": "main", "image": "busybox", "command": ["sleep", "600"]}
        """));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).until(() -> cluster.pod("sleeper").path("status").path("phase").asText().equals("Running"));
    String uid = cluster.pod("sleeper").path("metadata").path("uid").asText();
    ProcessRuntime rt = (ProcessRuntime) agent.node(NODE).runtime();
    long pid = rt.pid(uid, "main").orElseThrow();
    assertThat(ProcessHandle.of(pid)).isPresent();
    ReplyView deleted = cluster.deletePod("sleeper", 5);
    assertThat(deleted.code()).as(deleted.message()).isEqualTo(200);
    assertThat(deleted.object()).as("a running pod is deleted gracefully, not at once").isNotNull();
    await().atMost(WAIT).until(() -> cluster.pod("sleeper").isMissingNode());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
  }

  @Test
  @Order(8)
  void initContainerRunsFirstAndAFailingLivenessProbeRestartsTheContainer() throws Exception {
    ReplyView r = cluster.create(TestCluster.PODS, "default", "probed", """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "probed", "namespace": "default"},
         "spec": {"restartPolicy": "Always", "terminationGracePeriodSeconds": 1,
          "initContainers": [{"name": "prepare", "image": "busybox", "command": ["sh", "-c", "echo prepared > state"]}],
          "containers": [{"name": "main", "image": "busybox",
            "command": ["sh", "-c", "grep -q prepared state && exec sleep 600"],
            "livenessProbe": {"exec": {"command": ["test", "-f", "alive"]}, "periodSeconds": 1,
                              "failureThreshold": 2}}]}}
        """);
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode p = cluster.pod("probed");
      JsonNode init = p.path("status").path("initContainerStatuses").path(0).path("state").path("terminated");
      assertThat(init.path("exitCode").asInt()).isZero();
      assertThat(init.path("reason").asText()).isEqualTo("Completed");
      JsonNode c = container(p, 0);
      assertThat(c.path("restartCount").asInt()).as(p.path("status").toString()).isGreaterThanOrEqualTo(1);
      assertThat(c.path("lastState").path("terminated").path("exitCode").asInt()).as("killed by SIGTERM")
          .isEqualTo(143);
    });
  }

  @Test
  @Order(9)
  void restartedAgentAdoptsTheRunningProcessInsteadOfStartingAnother() throws Exception {
    Path starts = dir.resolve("starts.txt");
    ReplyView r = cluster.create(TestCluster.PODS, "default", "adopted", pod("adopted", "Always", """
        {"name": "main", "image": "busybox", "command": ["sh", "-c", "echo $$ >> %s; exec sleep 600"]}
        """.formatted(starts)));
    assertThat(r.code()).as(r.message()).isEqualTo(201);
    await().atMost(WAIT).until(() -> cluster.pod("adopted").path("status").path("phase").asText().equals("Running"));
    String uid = cluster.pod("adopted").path("metadata").path("uid").asText();
    String containerId = container(cluster.pod("adopted"), 0).path("containerID").asText();
    long pid = ((ProcessRuntime) agent.node(NODE).runtime()).pid(uid, "main").orElseThrow();

    agent.shutdown(false); // the agent dies; its containers keep running
    agent = AgentHost.start(cluster.agentConfig(dir.resolve("agent"), NODE).build(), cluster.topics,
        Duration.ofMinutes(2));
    ProcessRuntime rt = (ProcessRuntime) agent.node(NODE).runtime();
    assertThat(rt.pid(uid, "main")).as("the new agent found the running container").contains(pid);
    await().atMost(WAIT).until(() -> agent.node(NODE).podKeys().contains(TestCluster.podKey("adopted")));
    assertThat(Files.readAllLines(starts)).hasSize(1);
    assertThat(container(cluster.pod("adopted"), 0).path("containerID").asText()).isEqualTo(containerId);

    // The adopted process is still watched: when it dies, the new agent restarts it (once).
    ProcessHandle.of(pid).orElseThrow().descendants().forEach(ProcessHandle::destroyForcibly);
    await().atMost(WAIT).untilAsserted(() -> {
      JsonNode c = container(cluster.pod("adopted"), 0);
      assertThat(c.path("restartCount").asInt()).isEqualTo(1);
      assertThat(c.path("state").has("running")).isTrue();
    });
    assertThat(Files.readAllLines(starts)).hasSize(2);
    assertThat(List.of(cluster.pod("web").path("status").path("phase").asText())).containsExactly("Running");
  }
}
