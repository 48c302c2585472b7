package io.kafkube.scheduler.plugins;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.framework.CycleState;
import io.kafkube.scheduler.framework.NodeInfo;
import io.kafkube.scheduler.framework.Resources;
import io.kafkube.scheduler.framework.Status;
import io.kafkube.scheduler.testing.TestNodes;
import io.kafkube.scheduler.testing.TestPods;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NodeResourcesFitTest {
  record Case(String name, TestPods.Builder pod, TestNodes.Builder node, Map<String, String> used, int podsOnNode,
      List<String> reasons) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("fits", pod("p").cpu("500m").memory("1Gi"), node("n").cpu("1").memory("2Gi"), Map.of(), 0, List.of()),
        new Case("exactly fits what is left", pod("p").cpu("500m"), node("n").cpu("1"), Map.of("cpu", "500m"), 1,
            List.of()),
        new Case("insufficient cpu", pod("p").cpu("500m"), node("n").cpu("1"), Map.of("cpu", "800m"), 1,
            List.of("Insufficient cpu")),
        new Case("insufficient cpu and memory", pod("p").cpu("2").memory("3Gi"), node("n").cpu("1").memory("2Gi"),
            Map.of(), 0, List.of("Insufficient cpu", "Insufficient memory")),
        new Case("ephemeral storage", pod("p").request("ephemeral-storage", "20Gi"),
            node("n").allocatable("ephemeral-storage", "10Gi"), Map.of(), 0, List.of("Insufficient ephemeral-storage")),
        new Case("gpu on a node without gpus", pod("p").request("nvidia.com/gpu", "1"), node("n").cpu("8"), Map.of(),
            0, List.of("Insufficient nvidia.com/gpu")),
        new Case("gpu fits", pod("p").request("nvidia.com/gpu", "1"), node("n").allocatable("nvidia.com/gpu", "2"),
            Map.of("nvidia.com/gpu", "1"), 1, List.of()),
        new Case("gpu used up", pod("p").request("nvidia.com/gpu", "1"), node("n").allocatable("nvidia.com/gpu", "2"),
            Map.of("nvidia.com/gpu", "2"), 2, List.of("Insufficient nvidia.com/gpu")),
        new Case("too many pods", pod("p"), node("n").cpu("4").pods(2), Map.of(), 2, List.of("Too many pods")),
        new Case("too many pods and insufficient cpu", pod("p").cpu("5"), node("n").cpu("4").pods(1), Map.of(), 1,
            List.of("Too many pods", "Insufficient cpu")),
        new Case("limit stands for an absent request", pod("p").limit("cpu", "2"), node("n").cpu("1"), Map.of(), 0,
            List.of("Insufficient cpu")),
        new Case("request wins over limit", pod("p").cpu("500m").limit("cpu", "2"), node("n").cpu("1"), Map.of(), 0,
            List.of()),
        new Case("containers are summed", pod("p").cpu("600m").container("cpu", "600m"), node("n").cpu("1"), Map.of(),
            0, List.of("Insufficient cpu")),
        new Case("largest init container counts when above the sum", pod("p").cpu("100m").initContainer("cpu", "2"),
            node("n").cpu("1"), Map.of(), 0, List.of("Insufficient cpu")),
        new Case("init containers are not summed", pod("p").cpu("100m").initContainer("cpu", "800m")
            .initContainer("cpu", "800m"), node("n").cpu("1"), Map.of(), 0, List.of()),
        new Case("overhead is added", pod("p").cpu("900m").overhead("cpu", "200m"), node("n").cpu("1"), Map.of(), 0,
            List.of("Insufficient cpu")),
        new Case("a pod without requests fits a full node", pod("p"), node("n").cpu("1"), Map.of("cpu", "1"), 1,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(Case c) {
    NodeInfo node = c.node().info();
    if (c.podsOnNode() > 0) {
      node.addPod(Resources.parse(c.used()));
      for (int i = 1; i < c.podsOnNode(); i++) {
        node.addPod(Resources.NONE);
      }
    }
    Status s = new NodeResourcesFit().filter(new CycleState(), c.pod().info(), node);
    assertThat(s.reasons()).containsExactlyElementsOf(c.reasons());
    assertThat(s.code()).isEqualTo(c.reasons().isEmpty() ? Status.Code.SUCCESS : Status.Code.UNSCHEDULABLE);
  }
}
