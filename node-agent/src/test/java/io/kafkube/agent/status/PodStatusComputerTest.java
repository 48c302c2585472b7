package io.kafkube.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.agent.runtime.ContainerInstance;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodStatusComputerTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = T0.plusSeconds(60);

  private static JsonNode spec(String restartPolicy, String... containers) throws Exception {
    StringBuilder cs = new StringBuilder();
    for (String c : containers) {
      cs.append(cs.length() == 0 ? "" : ",").append("{\"name\":\"").append(c).append("\",\"image\":\"busybox\"}");
    }
    return M.readTree("{\"restartPolicy\":\"" + restartPolicy + "\",\"containers\":[" + cs + "]}");
  }

  private static ContainerInstance running(String name, int attempt) {
    return ContainerInstance.running(name, attempt, "process://" + (100 + attempt), T0, T0.plusSeconds(attempt));
  }

  private static ContainerInstance exited(String name, int attempt, int code) {
    return running(name, attempt).exited(code, T0.plusSeconds(attempt + 1), null);
  }

  private static ObjectNode compute(JsonNode spec, JsonNode old, Map<String, ContainerView> views, boolean terminal) {
    return PodStatusComputer.compute(new PodStatusComputer.Input(spec, old, views, "127.2.0.2", "127.0.0.1", T0,
        terminal, NOW));
  }

  private static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return null;
  }

  @Test
  void aRunningReadyContainerMakesARunningReadyPod() throws Exception {
    Map<String, ContainerView> v = Map.of("web",
        new ContainerView("web", "busybox", running("web", 0), null, null, null, true, true));
    ObjectNode st = compute(spec("Always", "web"), null, v, false);
    assertThat(st.path("phase").asText()).isEqualTo("Running");
    assertThat(st.path("podIP").asText()).isEqualTo("127.2.0.2");
    assertThat(st.path("podIPs").get(0).path("ip").asText()).isEqualTo("127.2.0.2");
    assertThat(st.path("hostIP").asText()).isEqualTo("127.0.0.1");
    assertThat(st.path("startTime").asText()).isEqualTo("2026-01-01T00:00:00Z");
    JsonNode cs = st.path("containerStatuses").get(0);
    assertThat(cs.path("state").path("running").path("startedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(cs.path("ready").asBoolean()).isTrue();
    assertThat(cs.path("started").asBoolean()).isTrue();
    assertThat(cs.path("restartCount").asInt()).isZero();
    assertThat(cs.path("containerID").asText()).isEqualTo("process://100");
    assertThat(condition(st, "Ready").path("status").asText()).isEqualTo("True");
    assertThat(condition(st, "ContainersReady").path("status").asText()).isEqualTo("True");
    assertThat(condition(st, "Initialized").path("status").asText()).isEqualTo("True");
    assertThat(condition(st, "PodReadyToStartContainers").path("status").asText()).isEqualTo("True");
    assertThat(condition(st, "PodScheduled").path("status").asText()).isEqualTo("True");
  }

  @Test
  void anUnreadyContainerIsNamedInTheReadyCondition() throws Exception {
    Map<String, ContainerView> v = new LinkedHashMap<>();
    v.put("a", new ContainerView("a", "busybox", running("a", 0), null, null, null, true, true));
    v.put("b", new ContainerView("b", "busybox", running("b", 0), null, null, null, false, true));
    ObjectNode st = compute(spec("Always", "a", "b"), null, v, false);
    assertThat(st.path("phase").asText()).isEqualTo("Running");
    JsonNode ready = condition(st, "Ready");
    assertThat(ready.path("status").asText()).isEqualTo("False");
    assertThat(ready.path("reason").asText()).isEqualTo("ContainersNotReady");
    assertThat(ready.path("message").asText()).isEqualTo("containers with unready status: [b]");
  }

  @Test
  void crashLoopShowsWaitingWithTheLastTerminationAndKeepsThePodRunning() throws Exception {
    Map<String, ContainerView> v = Map.of("main", new ContainerView("main", "busybox", exited("main", 2, 3),
        exited("main", 1, 3), "CrashLoopBackOff", "back-off 20s restarting failed container=main pod=p_default(u)",
        false, false));
    ObjectNode st = compute(spec("Always", "main"), null, v, false);
    JsonNode cs = st.path("containerStatuses").get(0);
    assertThat(cs.path("state").path("waiting").path("reason").asText()).isEqualTo("CrashLoopBackOff");
    assertThat(cs.path("lastState").path("terminated").path("exitCode").asInt()).isEqualTo(3);
    assertThat(cs.path("lastState").path("terminated").path("reason").asText()).isEqualTo("Error");
    assertThat(cs.path("lastState").path("terminated").path("finishedAt").asText()).isEqualTo("2026-01-01T00:00:03Z");
    assertThat(cs.path("restartCount").asInt()).isEqualTo(2);
    assertThat(cs.path("ready").asBoolean()).isFalse();
    assertThat(st.path("phase").asText()).as("kubelet counts a waiting container with a last termination as stopped")
        .isEqualTo("Running");
  }

  @Test
  void phaseFollowsRestartPolicyWhenAllContainersStopped() throws Exception {
    Map<String, ContainerView> failed = Map.of("m",
        new ContainerView("m", "busybox", exited("m", 0, 1), null, null, null, false, false));
    Map<String, ContainerView> ok = Map.of("m",
        new ContainerView("m", "busybox", exited("m", 0, 0), null, null, null, false, false));
    assertThat(compute(spec("Never", "m"), null, failed, false).path("phase").asText()).isEqualTo("Failed");
    assertThat(compute(spec("OnFailure", "m"), null, failed, false).path("phase").asText()).isEqualTo("Running");
    assertThat(compute(spec("Always", "m"), null, failed, false).path("phase").asText()).isEqualTo("Running");
    ObjectNode done = compute(spec("Never", "m"), null, ok, false);
    assertThat(done.path("phase").asText()).isEqualTo("Succeeded");
    assertThat(compute(spec("OnFailure", "m"), null, ok, false).path("phase").asText()).isEqualTo("Succeeded");
    assertThat(condition(done, "Ready").path("reason").asText()).isEqualTo("PodCompleted");
    JsonNode t = done.path("containerStatuses").get(0).path("state").path("terminated");
    assertThat(t.path("reason").asText()).isEqualTo("Completed");
    assertThat(t.path("exitCode").asInt()).isZero();
  }

  @Test
  void aContainerNotYetStartedKeepsThePodPending() throws Exception {
    Map<String, ContainerView> v = Map.of("m", ContainerView.notStarted("m", "nginx", "ErrImagePull", "no such image"));
    ObjectNode st = compute(spec("Always", "m"), null, v, false);
    assertThat(st.path("phase").asText()).isEqualTo("Pending");
    JsonNode w = st.path("containerStatuses").get(0).path("state").path("waiting");
    assertThat(w.path("reason").asText()).isEqualTo("ErrImagePull");
    assertThat(w.path("message").asText()).isEqualTo("no such image");
    assertThat(st.path("containerStatuses").get(0).has("containerID")).isFalse();
  }

  @Test
  void initContainersGateTheRestAndAFailedOneFailsANeverPod() throws Exception {
    JsonNode spec = M.readTree("""
        {"restartPolicy": "Never", "initContainers": [{"name": "init", "image": "busybox"}],
         "containers": [{"name": "main", "image": "busybox"}]}""");
    Map<String, ContainerView> running = new LinkedHashMap<>();
    running.put("init", new ContainerView("init", "busybox", running("init", 0), null, null, null, false, false));
    running.put("main", ContainerView.notStarted("main", "busybox", "PodInitializing", null));
    ObjectNode st = compute(spec, null, running, false);
    assertThat(st.path("phase").asText()).isEqualTo("Pending");
    JsonNode init = condition(st, "Initialized");
    assertThat(init.path("status").asText()).isEqualTo("False");
    assertThat(init.path("reason").asText()).isEqualTo("ContainersNotInitialized");
    assertThat(init.path("message").asText()).isEqualTo("containers with incomplete status: [init]");
    assertThat(st.path("initContainerStatuses").get(0).path("state").has("running")).isTrue();

    Map<String, ContainerView> failed = new LinkedHashMap<>(running);
    failed.put("init", new ContainerView("init", "busybox", exited("init", 0, 2), null, null, null, false, false));
    assertThat(compute(spec, null, failed, false).path("phase").asText()).isEqualTo("Failed");

    Map<String, ContainerView> done = new LinkedHashMap<>();
    done.put("init", new ContainerView("init", "busybox", exited("init", 0, 0), null, null, null, false, false));
    done.put("main", new ContainerView("main", "busybox", running("main", 0), null, null, null, true, true));
    ObjectNode ok = compute(spec, null, done, false);
    assertThat(ok.path("phase").asText()).isEqualTo("Running");
    assertThat(condition(ok, "Initialized").path("status").asText()).isEqualTo("True");
  }

  @Test
  void unchangedConditionsKeepTheirTransitionTimeAndTerminalPhasesStick() throws Exception {
    Map<String, ContainerView> v = Map.of("m",
        new ContainerView("m", "busybox", running("m", 0), null, null, null, true, true));
    ObjectNode first = compute(spec("Always", "m"), null, v, false);
    ObjectNode later = PodStatusComputer.compute(new PodStatusComputer.Input(spec("Always", "m"), first, v,
        "127.2.0.2", "127.0.0.1", T0, false, NOW.plusSeconds(600)));
    assertThat(later).as("nothing changed, so the status is equal (no needless update)").isEqualTo(first);

    ObjectNode failedOld = M.createObjectNode().put("phase", "Failed");
    assertThat(compute(spec("Always", "m"), failedOld, v, false).path("phase").asText()).isEqualTo("Failed");
  }

  @Test
  void aDeletedPodWhoseContainersStoppedIsTerminal() throws Exception {
    Map<String, ContainerView> killed = Map.of("m",
        new ContainerView("m", "busybox", exited("m", 0, 143), null, null, null, false, false));
    ObjectNode st = compute(spec("Always", "m"), null, killed, true);
    assertThat(st.path("phase").asText()).isEqualTo("Failed");
    assertThat(condition(st, "PodReadyToStartContainers").path("status").asText()).isEqualTo("False");
    Map<String, ContainerView> clean = Map.of("m",
        new ContainerView("m", "busybox", exited("m", 0, 0), null, null, null, false, false));
    assertThat(compute(spec("Always", "m"), null, clean, true).path("phase").asText()).isEqualTo("Succeeded");
  }
}
