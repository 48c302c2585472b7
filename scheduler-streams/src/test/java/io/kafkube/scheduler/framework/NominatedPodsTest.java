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

  private static final String ZONE = "topology.kubernetes.io/zone";
  private static final String HOST = "kubernetes.io/hostname";

  /** Two roomy nodes, n1 in zone a and n2 in zone b, with the given pods on n2. */
  private static List<NodeInfo> zones(PodInfo... onN2) {
    NodeInfo n1 = node("n1").cpu("8").memory("8Gi").label(ZONE, "a").label(HOST, "n1").info();
    NodeInfo n2 = node("n2").cpu("8").memory("8Gi").label(ZONE, "b").label(HOST, "n2").info();
    for (PodInfo p : onN2) {
      n2.addPod(p);
    }
    return List.of(n1, n2);
  }

  static Stream<Arguments> clusterWideCases() {
    PodInfo spreadWeb = pod("incoming").label("app", "web").priority(100)
        .spread(1, ZONE, "DoNotSchedule", null, "app=web").info();
    PodInfo web = pod("preemptor").label("app", "web").priority(1000).info();
    PodInfo lowWeb = pod("preemptor").label("app", "web").priority(0).info();
    PodInfo webInOther = pod("preemptor").namespace("other").label("app", "web").priority(1000).info();
    PodInfo antiWeb = pod("incoming").priority(100).podAntiAffinity(HOST, "app=web").info();
    PodInfo repelsWeb = pod("preemptor").priority(1000).podAntiAffinity(HOST, "app=web").info();
    PodInfo plainWeb = pod("incoming").label("app", "web").priority(100).info();
    PodInfo wantsDb = pod("incoming").priority(100).podAffinity(HOST, "app=db").info();
    PodInfo db = pod("preemptor").label("app", "db").priority(1000).info();
    return Stream.of(
        Arguments.of("spread: no nomination, the empty zone a", spreadWeb, null, "n1"),
        Arguments.of("spread: a pod nominated to n1 counts in zone a", spreadWeb, web, "n2"),
        Arguments.of("spread: a lower-priority nominated pod does not count", spreadWeb, lowWeb, "n1"),
        Arguments.of("spread: a nominated pod of another namespace does not count", spreadWeb, webInOther, "n1"),
        Arguments.of("anti-affinity: a matching pod nominated to n1 keeps the pod off it", antiWeb, web, "n2"),
        Arguments.of("anti-affinity: without nomination n1 is free", antiWeb, null, "n1"),
        Arguments.of("symmetry: a nominated pod's anti-affinity keeps a matching pod off n1", plainWeb, repelsWeb, "n2"),
        Arguments.of("affinity to a nominated pod alone does not help (the filters run without it too)", wantsDb, db,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clusterWideCases")
  void nominatedPodsCountInClusterWideCountsOnTheirNode(String name, PodInfo incoming, PodInfo nominated,
      String expected) {
    SchedulingAlgorithm algorithm = new SchedulingAlgorithm(DefaultProfile.create());
    SchedulingAlgorithm.Nominations nominations =
        node -> nominated != null && node.equals("n1") ? List.of(nominated) : List.of();
    ScheduleResult r = algorithm.schedule(incoming, zones(), nominations);
    assertThat(r.isPlaced() ? r.node() : null).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void theWhatIfLeavesTheCycleStateAsItWas() {
    SchedulingAlgorithm algorithm = new SchedulingAlgorithm(DefaultProfile.create());
    PodInfo spreadWeb = pod("incoming").label("app", "web").priority(100)
        .spread(1, ZONE, "DoNotSchedule", null, "app=web").info();
    List<NodeInfo> nodes = zones();
    CycleState state = new CycleState();
    assertThat(algorithm.preFilter(state, spreadWeb, nodes)).isNull();
    PodInfo web = pod("preemptor").label("app", "web").priority(1000).info();
    assertThat(algorithm.filterWithNominated(state, spreadWeb, nodes.get(0), node -> List.of(web))).isNotNull();
    // The nominated pod was added to a copy: the same state still fits n1 without nominations.
    assertThat(algorithm.filter(state, spreadWeb, nodes.get(0))).isNull();
  }
}
