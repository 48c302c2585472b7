package io.kafkube.scheduler.framework;

import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.testing.TestPods;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PodInfoTest {
  record RequestCase(String name, TestPods.Builder pod, Map<String, String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<RequestCase> requests() {
    return Stream.of(
        new RequestCase("none", pod("p"), Map.of()),
        new RequestCase("one container", pod("p").cpu("250m").memory("64Mi"), Map.of("cpu", "250m", "memory", "64Mi")),
        new RequestCase("containers summed", pod("p").cpu("250m").container("cpu", "1", "nvidia.com/gpu", "1"),
            Map.of("cpu", "1250m", "nvidia.com/gpu", "1")),
        new RequestCase("limit when no request", pod("p").limit("memory", "1Gi").cpu("100m"),
            Map.of("cpu", "100m", "memory", "1Gi")),
        new RequestCase("init max per resource", pod("p").cpu("1").memory("1Gi")
            .initContainer("cpu", "2", "memory", "100Mi").initContainer("cpu", "500m", "memory", "2Gi"),
            Map.of("cpu", "2", "memory", "2Gi")),
        new RequestCase("overhead on top", pod("p").cpu("1").initContainer("cpu", "2").overhead("cpu", "250m")
            .overhead("memory", "120Mi"), Map.of("cpu", "2250m", "memory", "120Mi")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void requestsAsKubernetesCountsThem(RequestCase c) {
    assertThat(c.pod().info().requests()).isEqualTo(Resources.parse(c.expected()));
  }

  record WaitCase(String name, TestPods.Builder pod, boolean waits) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<WaitCase> waiting() {
    return Stream.of(
        new WaitCase("plain pod", pod("p"), true),
        new WaitCase("default-scheduler", pod("p").schedulerName("default-scheduler"), true),
        new WaitCase("another scheduler's pod", pod("p").schedulerName("volcano"), false),
        new WaitCase("bound", pod("p").nodeName("n"), false),
        new WaitCase("being deleted", pod("p").deleting(), false),
        new WaitCase("succeeded", pod("p").phase("Succeeded"), false),
        new WaitCase("failed", pod("p").phase("Failed"), false),
        new WaitCase("pending", pod("p").phase("Pending"), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("waiting")
  void whichPodsWaitForThisScheduler(WaitCase c) {
    assertThat(c.pod().info().needsScheduling()).isEqualTo(c.waits());
  }

  @Test
  void deadlineFromActiveDeadlineSecondsOrAnnotationWhicheverIsEarlier() {
    long created = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    assertThat(pod("p").info().deadline()).isEqualTo(Long.MAX_VALUE);
    assertThat(pod("p").activeDeadlineSeconds(60).info().deadline()).isEqualTo(created + 60_000);
    assertThat(pod("p").deadlineAnnotation("2026-01-01T00:00:30Z").info().deadline()).isEqualTo(created + 30_000);
    assertThat(pod("p").activeDeadlineSeconds(10).deadlineAnnotation("2026-01-01T00:00:30Z").info().deadline())
        .isEqualTo(created + 10_000);
    assertThat(pod("p").deadlineAnnotation("tomorrow").info().deadline()).isEqualTo(Long.MAX_VALUE);
  }
}
