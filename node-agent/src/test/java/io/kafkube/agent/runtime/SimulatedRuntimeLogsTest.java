package io.kafkube.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** The simulated runtime's log says what it did to the instance, and nothing else. */
class SimulatedRuntimeLogsTest {
  @Test
  void logsTellCreationStartAndExitOfEachInstance() {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try {
      SimulatedRuntime rt = new SimulatedRuntime(new SimulatedRuntime.Settings(Duration.ZERO, Duration.ofMillis(50), 3),
          timers, "10.64.0");
      PodRef pod = new PodRef("u1", "default", "p", Map.of());
      rt.start(pod, new StartSpec("c", 0, "busybox", List.of("true"), List.of(), Map.of(), null));
      await().atMost(Duration.ofSeconds(30)).until(() -> rt.containers("u1").get(0).exited());
      assertThat(rt.logs("u1", "c", false).orElseThrow().lines().toList()).hasSize(3)
          .allMatch(l -> l.contains("simulated container simulated://u1/c/0"))
          .last().asString().endsWith("exited with code 3 (Error)");
      assertThat(rt.logs("u1", "c", true)).isEmpty();
      rt.start(pod, new StartSpec("c", 1, "busybox", List.of("true"), List.of(), Map.of(), null));
      assertThat(rt.logs("u1", "c", true).orElseThrow()).contains("simulated://u1/c/0", "exited with code 3");
      assertThat(rt.logs("u1", "c", false).orElseThrow()).contains("simulated://u1/c/1 started");
    } finally {
      timers.shutdownNow();
    }
  }
}
