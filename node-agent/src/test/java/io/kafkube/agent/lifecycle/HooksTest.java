package io.kafkube.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkube.agent.cgroup.Cgroups;
import io.kafkube.agent.probe.Prober;
import io.kafkube.agent.runtime.ContainerInstance;
import io.kafkube.agent.runtime.PodRef;
import io.kafkube.agent.runtime.ProcessRuntime;
import io.kafkube.agent.runtime.StartSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** preStop runs (in the container's environment) before SIGTERM; postStart runs after the start. Real processes. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HooksTest {
  static final ObjectMapper M = new ObjectMapper();
  @TempDir
  Path dir;
  ProcessRuntime rt;
  final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  final PodRef pod = new PodRef("uid-hooks", "default", "p", Map.of());

  @AfterEach
  void stop() {
    if (rt != null) {
      rt.stopAll(Duration.ofSeconds(1));
    }
    timer.shutdownNow();
  }

  @Test
  void preStopRunsBeforeSigtermAndItsFailureIsReported() throws Exception {
    rt = new ProcessRuntime(dir, "127.3.0.0/16", Cgroups.disabled("not needed"), false);
    Path log = dir.resolve("order");
    // the container notes, when SIGTERM comes, whether the preStop hook has already left its mark
    rt.start(pod, new StartSpec("c", 0, "busybox", List.of("sh", "-c",
        "trap 'if [ -f " + dir.resolve("prestop-ran") + " ]; then echo after-prestop; else echo before-prestop; fi > "
            + log + "; exit 0' TERM; while true; do sleep 0.1; done"), List.of(), Map.of(), null));
    await().atMost(Duration.ofSeconds(10)).until(() -> rt.pid(pod.uid(), "c").isPresent());
    Thread.sleep(300); // the shell installs its trap
    JsonNode container = M.readTree("""
        {"name": "c", "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "sleep 1; touch %s"]}}}}
        """.formatted(dir.resolve("prestop-ran")));
    Prober prober = new Prober(timer, Executors.newCachedThreadPool());
    List<String> failures = new CopyOnWriteArrayList<>();
    ContainerInstance done = Hooks.stop(rt, pod.uid(), "c", container,
        prober.runner(rt, pod.uid(), "c", container, "127.3.0.2"), Duration.ofSeconds(20), failures::add)
        .get(60, TimeUnit.SECONDS);
    assertThat(Files.readString(log).trim()).isEqualTo("after-prestop");
    assertThat(done.exitCode()).isZero();
    assertThat(failures).isEmpty();

    rt.start(pod, new StartSpec("d", 0, "busybox", List.of("sleep", "300"), List.of(), Map.of(), null));
    JsonNode failing = M.readTree("{\"name\": \"d\", \"lifecycle\": {\"preStop\": {\"exec\": {\"command\": [\"false\"]}}}}");
    ContainerInstance d = Hooks.stop(rt, pod.uid(), "d", failing, prober.runner(rt, pod.uid(), "d", failing, "127.3.0.2"),
        Duration.ofSeconds(10), failures::add).get(60, TimeUnit.SECONDS);
    assertThat(failures).containsExactly("PreStopHook failed");
    assertThat(d.exitCode()).as("stopped anyway, by SIGTERM").isEqualTo(143);
  }

  @Test
  void postStartRunsAfterTheStart() throws Exception {
    rt = new ProcessRuntime(dir, "127.3.0.0/16", Cgroups.disabled("not needed"), false);
    rt.start(pod, new StartSpec("c", 0, "busybox", List.of("sleep", "300"), List.of(), Map.of(), null));
    JsonNode container = M.readTree("""
        {"name": "c", "lifecycle": {"postStart": {"exec": {"command": ["touch", "%s"]}}}}
        """.formatted(dir.resolve("post")));
    Prober prober = new Prober(timer, Executors.newCachedThreadPool());
    List<String> failures = new CopyOnWriteArrayList<>();
    Hooks.postStart(container, prober.runner(rt, pod.uid(), "c", container, "127.3.0.2"), Duration.ofSeconds(10),
        failures::add);
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("post")));
    JsonNode failing = M.readTree("{\"name\": \"c\", \"lifecycle\": {\"postStart\": {\"exec\": {\"command\": [\"false\"]}}}}");
    Hooks.postStart(failing, prober.runner(rt, pod.uid(), "c", failing, "127.3.0.2"), Duration.ofSeconds(10),
        failures::add);
    await().atMost(Duration.ofSeconds(30)).until(() -> failures.contains("PostStartHook failed"));
  }
}
