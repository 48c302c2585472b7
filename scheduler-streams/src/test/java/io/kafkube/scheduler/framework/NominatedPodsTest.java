package io.kafkube.scheduler.framework;

import static io.kafkube.scheduler.testing.TestNodes.node;
import static io.kafkube.scheduler.testing.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.scheduler.plugins.DefaultProfile;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pod nominated to a node (after preemption) reserves its room there against pods of lower or equal
 * priority, as kube-scheduler's RunFilterPluginsWithNominatedPods does; higher-priority pods ignore it.
 */
class NominatedPodsTest {
  private static NodeInfo used(NodeInfo n, String cpu) {
    n.addPod(Resources.parse(Map.of("cpu", cpu)));
    return n;
  }

  /** Node a has 1 cpu left, node b 500m; the incoming pod asks for 1 cpu, so only a can take it. */
  private static List<NodeInfo> nodes() {
    return List.of(used(node("a").cpu("4").memory("8Gi").info(), "3"),
        used(node("b").cpu("4").memory("8Gi").info(), "3500m"));
  }

  static Stream<Arguments> cases() {
    PodInfo incomingLow = pod("incoming").cpu("1").priority(0).info();
    PodInfo incomingHigh = pod("incoming").cpu("1").priority(1000).info();
    PodInfo nominatedHigh = pod("preemptor").cpu("1").priority(1000).info();
    PodInfo nominatedLow = pod("preemptor").cpu("1").priority(0).info();
    PodInfo nominatedSmall = pod("preemptor").cpu("500m").priority(1000).info();
    return Stream.of(
        Arguments.of("no nomination", incomingLow, null, null, "a"),
        Arguments.of("higher-priority pod nominated to a reserves it", incomingLow, nominatedHigh, "a", null),
        Arguments.of("equal priority reserves too", incomingHigh, nominatedHigh, "a", null),
        Arguments.of("a lower-priority nomination is ignored", incomingHigh, nominatedLow, "a", "a"),
        Arguments.of("a nomination leaving room is no obstacle", incomingLow, nominatedSmall, "b", "a"),
        Arguments.of("a nomination to another node", incomingLow, nominatedHigh, "b", "a"),
        Arguments.of("the nominated pod itself goes to its node", nominatedHigh, nominatedHigh, "a", "a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nominatedPodsReserveTheirRoom(String name, PodInfo incoming, PodInfo nominated, String nominatedTo,
      String expected) {
    SchedulingAlgorithm algorithm = new SchedulingAlgorithm(DefaultProfile.create());
    SchedulingAlgorithm.Nominations nominations =
        node -> nominated != null && node.equals(nominatedTo) ? List.of(nominated) : List.of();
    ScheduleResult r = algorithm.schedule(incoming, nodes(), nominations);
    assertThat(r.isPlaced() ? r.node() : null).isEqualTo(expected);
  }
}
